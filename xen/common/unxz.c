/* The .xz container, decoded from its specification (XZ file format
 * 1.0.4): streams of
 *
 *   stream header  6-byte magic, 2 flag bytes (the check type), CRC32
 *   blocks         header (size, flags, optional sizes, filter chain,
 *                  zero padding, CRC32), filtered data, zero padding to a
 *                  multiple of 4, the check of the uncompressed data
 *   index          0x00, record count, (unpadded size, uncompressed size)
 *                  per block, zero padding, CRC32
 *   stream footer  CRC32, backward size (the index's), the flags, "YZ"
 *
 * with optional stream padding (zero bytes, a multiple of 4) between and
 * after streams.  Integers in headers and the index are variable-length
 * (7 bits a byte, least significant first, at most 9 bytes, minimal).
 *
 * Every field is checked; the index must describe exactly the blocks that
 * were decoded (compared through a running CRC32 of the records on both
 * sides, as well as their count).  Filters: LZMA2 (lzma2.c), last, and
 * optionally x86 BCJ (xz-bcj.c) before it, as Linux's CONFIG_KERNEL_XZ
 * builds use.  Checks: none, CRC32, CRC64.
 */
#include <xen/errno.h>
#include <xen/inflate.h>
#include <xen/lib.h>
#include <xen/unxz.h>
#include "xz-private.h"

const uint8_t xz_magic[XZ_MAGIC_LEN] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const uint8_t footer_magic[2] = { 'Y', 'Z' };

#define STREAM_HDR_LEN  12
#define FOOTER_LEN      12
#define CHECK_NONE      0x0
#define CHECK_CRC32     0x1
#define CHECK_CRC64     0x4
#define FILTER_X86      0x04
#define FILTER_LZMA2    0x21
#define MAX_FILTERS     4
#define VLI_MAX_BYTES   9

/* Check sizes by type, from the specification: 0, 4, 8, 16, 32, 64 in
 * groups of three (types 0x1-0x3 are 4 bytes, ...). */
static unsigned int check_size(unsigned int type)
{
    return type == 0 ? 0 : 4u << ((type - 1) / 3);
}

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* ---- CRC-64 ----------------------------------------------------------- */

#define CRC64_POLY 0xc96c5795d7870f42ull    /* ECMA-182, reflected */

static uint64_t crc64_table[256];
static bool crc64_ready;

uint64_t xz_crc64(uint64_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    if ( unlikely(!READ_ONCE(crc64_ready)) )
    {
        /* Filling twice at once writes the same values. */
        for ( unsigned int b = 0; b < 256; b++ )
        {
            uint64_t c = b;

            for ( unsigned int bit = 0; bit < 8; bit++ )
                c = (c >> 1) ^ (CRC64_POLY & -(c & 1));
            crc64_table[b] = c;
        }
        barrier();
        WRITE_ONCE(crc64_ready, true);
    }
    crc = ~crc;
    while ( len-- )
        crc = (crc >> 8) ^ crc64_table[(crc ^ *p++) & 0xff];
    return ~crc;
}

/* ---- helpers ---------------------------------------------------------- */

/* A variable-length integer at in[*pos], not reading past end. */
static int get_vli(const uint8_t *in, size_t end, size_t *pos, uint64_t *val)
{
    uint64_t v = 0;

    for ( unsigned int i = 0; i < VLI_MAX_BYTES; i++ )
    {
        uint8_t b;

        if ( *pos >= end )
            return -EINVAL;
        b = in[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if ( !(b & 0x80) )
        {
            if ( i && b == 0 )
                return -EINVAL;         /* not the shortest encoding */
            *val = v;
            return 0;
        }
    }
    return -EINVAL;
}

/* Zero bytes at in[pos..pos+n) that must all be within end. */
static bool zeros(const uint8_t *in, size_t end, size_t pos, size_t n)
{
    if ( n > end - pos )
        return false;
    while ( n-- )
        if ( in[pos++] )
            return false;
    return true;
}

/* The running record of blocks for the index comparison. */
struct records {
    uint64_t count;
    uint32_t crc;           /* CRC32 over (unpadded, uncompressed) as LE64s */
};

static void record_add(struct records *r, uint64_t unpadded,
                       uint64_t uncompressed)
{
    uint8_t rec[16];

    for ( unsigned int i = 0; i < 8; i++ )
    {
        rec[i] = unpadded >> (8 * i);
        rec[8 + i] = uncompressed >> (8 * i);
    }
    r->crc = crc32(r->crc, rec, sizeof(rec));
    r->count++;
}

/* ---- blocks ----------------------------------------------------------- */

struct block_hdr {
    size_t len;                 /* header size in bytes */
    bool has_csize, has_usize;
    uint64_t csize, usize;
    bool x86;                   /* x86 BCJ before LZMA2 */
    uint32_t x86_start;
    uint32_t dict_size;
};

static int parse_filter(const uint8_t *h, size_t end, size_t *pos,
                        bool last, struct block_hdr *bh)
{
    uint64_t id, psize;
    int rc;

    if ( (rc = get_vli(h, end, pos, &id)) ||
         (rc = get_vli(h, end, pos, &psize)) )
        return rc;
    if ( psize > end - *pos )
        return -EINVAL;
    if ( id == FILTER_LZMA2 )
    {
        unsigned int b;

        if ( !last || psize != 1 )
            return -EINVAL;
        b = h[*pos];
        if ( b > 40 )                   /* also catches reserved bits 6-7 */
            return -EINVAL;
        bh->dict_size = b == 40 ? 0xffffffffu
                                : (2u | (b & 1)) << (b / 2 + 11);
    }
    else if ( id == FILTER_X86 )
    {
        if ( last )
            return -EINVAL;             /* BCJ cannot end a chain */
        if ( bh->x86 )
            return -EOPNOTSUPP;
        if ( psize == 4 )
            bh->x86_start = get_le32(h + *pos);
        else if ( psize != 0 )
            return -EINVAL;
        bh->x86 = true;
    }
    else
        return -EOPNOTSUPP;             /* a filter we do not decode */
    *pos += psize;
    return 0;
}

static int parse_block_header(const uint8_t *in, size_t in_len, size_t pos,
                              struct block_hdr *bh)
{
    const uint8_t *h = in + pos;
    size_t len = ((size_t)h[0] + 1) * 4, p = 2, end;
    unsigned int flags, nfilters;
    int rc;

    memset(bh, 0, sizeof(*bh));
    if ( len > in_len - pos )
        return -EINVAL;
    end = len - 4;                      /* the CRC32 */
    if ( crc32(0, h, end) != get_le32(h + end) )
        return -EILSEQ;
    flags = h[1];
    if ( flags & 0x3c )
        return -EINVAL;
    nfilters = (flags & 3) + 1;
    if ( flags & 0x40 )
    {
        if ( (rc = get_vli(h, end, &p, &bh->csize)) )
            return rc;
        if ( bh->csize == 0 )
            return -EINVAL;
        bh->has_csize = true;
    }
    if ( flags & 0x80 )
    {
        if ( (rc = get_vli(h, end, &p, &bh->usize)) )
            return rc;
        bh->has_usize = true;
    }
    for ( unsigned int i = 0; i < nfilters; i++ )
        if ( (rc = parse_filter(h, end, &p, i == nfilters - 1, bh)) )
            return rc;
    if ( !zeros(h, end, p, end - p) )
        return -EINVAL;
    bh->len = len;
    return 0;
}

/* One block at in[*pos], its data appended at out[*out_pos]. */
static int decode_block(const uint8_t *in, size_t in_len, size_t *pos,
                        uint8_t *out, size_t out_cap, size_t *out_pos,
                        unsigned int check, struct records *recs)
{
    struct block_hdr bh;
    size_t p = *pos, used, produced, pad, csz = check_size(check);
    uint8_t *data = out + *out_pos;
    int rc;

    if ( (rc = parse_block_header(in, in_len, p, &bh)) )
        return rc;
    p += bh.len;
    rc = lzma2_decode(in + p, in_len - p, &used, data, out_cap - *out_pos,
                      &produced, bh.dict_size);
    if ( rc )
        return rc;
    if ( (bh.has_csize && bh.csize != used) ||
         (bh.has_usize && bh.usize != produced) )
        return -EINVAL;
    p += used;
    pad = (4 - (used & 3)) & 3;
    if ( !zeros(in, in_len, p, pad) )
        return -EINVAL;
    p += pad;
    if ( csz > in_len - p )
        return -EINVAL;
    if ( bh.x86 )
        xz_bcj_x86_decode(data, produced, bh.x86_start);
    if ( (check == CHECK_CRC32 &&
          crc32(0, data, produced) != get_le32(in + p)) ||
         (check == CHECK_CRC64 &&
          xz_crc64(0, data, produced) != get_le64(in + p)) )
        return -EILSEQ;
    p += csz;
    record_add(recs, bh.len + used + csz, produced);
    *pos = p;
    *out_pos += produced;
    return 0;
}

/* ---- index, stream header and footer ---------------------------------- */

/* The index at in[*pos] (its 0x00 indicator included). */
static int decode_index(const uint8_t *in, size_t in_len, size_t *pos,
                        const struct records *blocks)
{
    size_t start = *pos, p = start + 1, pad;
    struct records idx = { 0, 0 };
    uint64_t count;
    int rc;

    if ( (rc = get_vli(in, in_len, &p, &count)) )
        return rc;
    if ( count != blocks->count )
        return -EINVAL;
    for ( uint64_t i = 0; i < count; i++ )
    {
        uint64_t unpadded, usize;

        if ( (rc = get_vli(in, in_len, &p, &unpadded)) ||
             (rc = get_vli(in, in_len, &p, &usize)) )
            return rc;
        record_add(&idx, unpadded, usize);
    }
    if ( idx.crc != blocks->crc )
        return -EINVAL;
    pad = (4 - ((p - start) & 3)) & 3;
    if ( !zeros(in, in_len, p, pad) )
        return -EINVAL;
    p += pad;
    if ( in_len - p < 4 )
        return -EINVAL;
    if ( crc32(0, in + start, p - start) != get_le32(in + p) )
        return -EILSEQ;
    *pos = p + 4;
    return 0;
}

static int decode_stream(const uint8_t *in, size_t in_len, size_t *pos,
                         uint8_t *out, size_t out_cap, size_t *out_pos)
{
    const uint8_t *s = in + *pos;
    struct records blocks = { 0, 0 };
    size_t p, index_start;
    unsigned int check;
    int rc;

    if ( in_len - *pos < STREAM_HDR_LEN + FOOTER_LEN ||
         memcmp(s, xz_magic, XZ_MAGIC_LEN) )
        return -EINVAL;
    if ( crc32(0, s + 6, 2) != get_le32(s + 8) )
        return -EILSEQ;
    if ( s[6] != 0 || (s[7] & 0xf0) )
        return -EINVAL;
    check = s[7] & 0x0f;
    if ( check != CHECK_NONE && check != CHECK_CRC32 && check != CHECK_CRC64 )
        return -EOPNOTSUPP;

    p = *pos + STREAM_HDR_LEN;
    for ( ;; )
    {
        if ( p >= in_len )
            return -EINVAL;
        if ( in[p] == 0x00 )
            break;                      /* the index indicator */
        if ( (rc = decode_block(in, in_len, &p, out, out_cap, out_pos,
                                check, &blocks)) )
            return rc;
    }
    index_start = p;
    if ( (rc = decode_index(in, in_len, &p, &blocks)) )
        return rc;

    if ( in_len - p < FOOTER_LEN )
        return -EINVAL;
    s = in + p;
    if ( memcmp(s + 10, footer_magic, 2) )
        return -EINVAL;
    if ( crc32(0, s + 4, 6) != get_le32(s) )
        return -EILSEQ;
    /* Flags as in the header; backward size = the index's size. */
    if ( s[8] != 0 || s[9] != check ||
         ((uint64_t)get_le32(s + 4) + 1) * 4 != p - index_start )
        return -EINVAL;
    *pos = p + FOOTER_LEN;
    return 0;
}

int unxz(const void *in, size_t in_len, void *out, size_t out_cap,
         size_t *out_len)
{
    const uint8_t *p = in;
    size_t pos = 0, out_pos = 0;
    int rc;

    /* At least one stream; then padding, or more streams. */
    do {
        if ( (rc = decode_stream(p, in_len, &pos, out, out_cap, &out_pos)) )
            return rc;
        while ( pos < in_len && p[pos] == 0 )
        {
            if ( in_len - pos < 4 || get_le32(p + pos) != 0 )
                return -EINVAL;         /* padding is whole zero words */
            pos += 4;
        }
    } while ( pos < in_len );
    *out_len = out_pos;
    return 0;
}

const char *unxz_strerror(int err)
{
    switch ( err )
    {
    case 0:            return "ok";
    case -EINVAL:      return "not xz, or corrupt or truncated";
    case -ENOSPC:      return "output larger than the buffer";
    case -EILSEQ:      return "CRC or check mismatch";
    case -EOPNOTSUPP:  return "unsupported filter or check type";
    case -ENOMEM:      return "out of memory";
    default:           return "unknown error";
    }
}
