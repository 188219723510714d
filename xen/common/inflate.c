/* DEFLATE (RFC 1951) and gzip (RFC 1952) decoding, written from the RFCs.
 *
 * Speed matters here: the dom0 kernel (tens of MB) is inflated at boot,
 * possibly under an emulator.  So:
 *  - input bits sit in a 64-bit buffer refilled with one unaligned 8-byte
 *    load while at least 8 input bytes remain; one refill always covers a
 *    whole length/distance pair (at most 48 bits);
 *  - Huffman codes up to FAST_BITS long decode with one table look-up;
 *    longer (rare) codes fall back to a walk over the canonical code;
 *  - match copies move 8 bytes at a time when the source is at least 8
 *    bytes back.
 *
 * Safety: the input is never read past its end.  Near the end the bit
 * buffer is padded with zero bytes that are counted ("phantom" bytes);
 * using any of their bits means the data was truncated.  Every output write
 * is checked against the capacity before it happens.
 */

#include <xen/errno.h>
#include <xen/inflate.h>
#include <xen/lib.h>
#include <xen/mm.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the bit reader assumes a little-endian machine"
#endif

#define MAX_CODE_BITS   15      /* longest Huffman code DEFLATE allows */
#define FAST_BITS       10      /* first-level table: 2^10 entries */
#define NR_LITLEN       288     /* literal/length alphabet, 286/287 unused */
#define NR_DIST         32      /* distance alphabet, 30/31 unused */
#define NR_CODELEN      19      /* code-length alphabet (dynamic headers) */

/* A canonical Huffman code.  fast[] is indexed by the next FAST_BITS input
 * bits (first code bit in bit 0, as the stream delivers them); an entry is
 * (symbol << 4) | length, or 0 when the code starting there is longer than
 * FAST_BITS or unused.  count[] and sorted[] drive the slow walk. */
struct huffman {
    uint16_t fast[1u << FAST_BITS];
    uint16_t count[MAX_CODE_BITS + 1];  /* codes of each length */
    uint16_t sorted[NR_LITLEN];         /* symbols ordered by (length, value) */
};

struct inflate_state {
    const uint8_t *in;          /* next byte to load into bitbuf */
    const uint8_t *in_end;
    uint64_t bitbuf;            /* next stream bit in bit 0 */
    unsigned int bitcnt;        /* valid bits in bitbuf */
    unsigned int phantom;       /* zero bytes padded in past in_end */
    uint8_t *out;
    size_t out_pos;
    size_t out_cap;
    struct huffman litlen;
    struct huffman dist;
    bool tables_fixed;          /* litlen/dist hold the fixed codes */
};

/* Base values and extra-bit counts of length symbols 257..285 and distance
 * symbols 0..29 (RFC 1951, 3.2.5). */
static const uint16_t length_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t length_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
    16385, 24577,
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};

/* The order in which a dynamic header lists code-length code lengths. */
static const uint8_t codelen_order[NR_CODELEN] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/* ---- bit input -------------------------------------------------------- */

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, sizeof(v));     /* one unaligned load */
    return v;
}

/* Make at least 56 bits available (some may be phantom). */
static inline void refill(struct inflate_state *s)
{
    if ( likely(s->in_end - s->in >= 8) )
    {
        /* Bits above bitcnt already in bitbuf are copies of the same input
         * bytes, so OR-ing the whole load in is harmless. */
        s->bitbuf |= load_le64(s->in) << s->bitcnt;
        s->in += (63 - s->bitcnt) >> 3;
        s->bitcnt |= 56;
        return;
    }
    while ( s->bitcnt <= 56 )
    {
        if ( s->in < s->in_end )
            s->bitbuf |= (uint64_t)*s->in++ << s->bitcnt;
        else
            s->phantom++;
        s->bitcnt += 8;
    }
}

/* True once bits past the real end of the input have been consumed. */
static inline bool overran(const struct inflate_state *s)
{
    return unlikely(s->phantom) && s->bitcnt < s->phantom * 8;
}

static inline unsigned int peek_bits(const struct inflate_state *s,
                                     unsigned int n)
{
    return s->bitbuf & ((1ull << n) - 1);
}

static inline void drop_bits(struct inflate_state *s, unsigned int n)
{
    s->bitbuf >>= n;
    s->bitcnt -= n;
}

/* n <= 32 bits; the caller has refilled. */
static inline unsigned int take_bits(struct inflate_state *s, unsigned int n)
{
    unsigned int v = peek_bits(s, n);

    drop_bits(s, n);
    return v;
}

/* Give back whole unused bytes in bitbuf and continue at a byte boundary.
 * Returns false if phantom bits were used. */
static bool align_to_byte(struct inflate_state *s)
{
    unsigned int whole;

    if ( overran(s) )
        return false;
    drop_bits(s, s->bitcnt & 7);
    whole = s->bitcnt / 8 - s->phantom;
    s->in -= whole;
    s->bitbuf = 0;
    s->bitcnt = 0;
    s->phantom = 0;
    return true;
}

/* ---- Huffman codes ---------------------------------------------------- */

static unsigned int reverse_bits(unsigned int code, unsigned int len)
{
    unsigned int r = 0;

    while ( len-- )
    {
        r = (r << 1) | (code & 1);
        code >>= 1;
    }
    return r;
}

/* Build a code from per-symbol lengths (0 = unused).  An over-subscribed
 * set is always corrupt.  An incomplete set is accepted only when it has
 * a single code, since the RFC allows exactly that (e.g. one distance
 * code); the unused half then simply fails to decode. */
static int build_huffman(struct huffman *h, const uint8_t *lens,
                         unsigned int nr_syms)
{
    uint16_t next_code[MAX_CODE_BITS + 1], offset[MAX_CODE_BITS + 1];
    unsigned int sym, len, used = 0;
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for ( sym = 0; sym < nr_syms; sym++ )
        h->count[lens[sym]]++;
    h->count[0] = 0;

    /* left: how many codes of the current length are still free. */
    for ( len = 1; len <= MAX_CODE_BITS; len++ )
    {
        left = left * 2 - h->count[len];
        if ( left < 0 )
            return -EINVAL;
        used += h->count[len];
    }
    if ( left > 0 && used > 1 )
        return -EINVAL;

    next_code[1] = 0;
    offset[1] = 0;
    for ( len = 1; len < MAX_CODE_BITS; len++ )
    {
        next_code[len + 1] = (next_code[len] + h->count[len]) << 1;
        offset[len + 1] = offset[len] + h->count[len];
    }

    memset(h->fast, 0, sizeof(h->fast));
    for ( sym = 0; sym < nr_syms; sym++ )
    {
        unsigned int rev, step;

        len = lens[sym];
        if ( len == 0 )
            continue;
        h->sorted[offset[len]++] = sym;
        if ( len > FAST_BITS )
        {
            next_code[len]++;
            continue;
        }
        /* Every table index whose low len bits are this code. */
        rev = reverse_bits(next_code[len]++, len);
        for ( step = rev; step < (1u << FAST_BITS); step += 1u << len )
            h->fast[step] = (sym << 4) | len;
    }
    return 0;
}

/* Codes longer than FAST_BITS: walk the canonical code one bit at a time.
 * Codes of one length are consecutive numbers starting at 'first'. */
static int decode_slow(struct inflate_state *s, const struct huffman *h)
{
    unsigned int len, code = 0, first = 0, index = 0;
    uint64_t bits = s->bitbuf;

    for ( len = 1; len <= MAX_CODE_BITS; len++ )
    {
        code |= bits & 1;
        bits >>= 1;
        if ( code - first < h->count[len] )
        {
            drop_bits(s, len);
            return h->sorted[index + code - first];
        }
        index += h->count[len];
        first = (first + h->count[len]) << 1;
        code <<= 1;
    }
    return -EINVAL;
}

/* Next symbol; at least 15 bits must be in bitbuf. */
static inline int decode_symbol(struct inflate_state *s,
                                const struct huffman *h)
{
    unsigned int entry = h->fast[peek_bits(s, FAST_BITS)];

    if ( likely(entry) )
    {
        drop_bits(s, entry & 15);
        return entry >> 4;
    }
    return decode_slow(s, h);
}

/* ---- blocks ----------------------------------------------------------- */

static int inflate_stored(struct inflate_state *s)
{
    unsigned int len, nlen;

    if ( !align_to_byte(s) || s->in_end - s->in < 4 )
        return -EINVAL;
    len = s->in[0] | (s->in[1] << 8);
    nlen = s->in[2] | (s->in[3] << 8);
    s->in += 4;
    if ( len != (~nlen & 0xffff) )
        return -EINVAL;
    if ( (size_t)(s->in_end - s->in) < len )
        return -EINVAL;
    if ( s->out_cap - s->out_pos < len )
        return -ENOSPC;
    memcpy(s->out + s->out_pos, s->in, len);
    s->out_pos += len;
    s->in += len;
    return 0;
}

/* Copy a match of len bytes from dist back.  Bounds already checked. */
static inline void copy_match(struct inflate_state *s, unsigned int dist,
                              unsigned int len)
{
    uint8_t *dst = s->out + s->out_pos;
    const uint8_t *src = dst - dist;
    uint8_t *end = dst + len;

    if ( dist >= 8 && s->out_cap - s->out_pos >= len + 8 )
    {
        /* Each chunk reads only bytes already written; it may write up to
         * 7 bytes past the match, which the capacity check allows. */
        do {
            uint64_t v;

            __builtin_memcpy(&v, src, 8);
            __builtin_memcpy(dst, &v, 8);
            src += 8;
            dst += 8;
        } while ( dst < end );
    }
    else
    {
        while ( dst < end )
            *dst++ = *src++;
    }
    s->out_pos += len;
}

/* Decode literals and matches until the end-of-block symbol. */
static int inflate_codes(struct inflate_state *s)
{
    for ( ;; )
    {
        int sym;
        unsigned int len, dist;

        refill(s);
        sym = decode_symbol(s, &s->litlen);
        /* Truncation is reported as such, before any -ENOSPC. */
        if ( overran(s) )
            return -EINVAL;
        if ( sym < 256 )
        {
            if ( sym < 0 )
                return sym;
            if ( unlikely(s->out_pos == s->out_cap) )
                return -ENOSPC;
            s->out[s->out_pos++] = sym;
            continue;
        }
        if ( sym == 256 )
            return 0;
        sym -= 257;
        if ( sym >= 29 )
            return -EINVAL;
        len = length_base[sym] + take_bits(s, length_extra[sym]);

        sym = decode_symbol(s, &s->dist);
        if ( sym < 0 || sym >= 30 )
            return -EINVAL;
        dist = dist_base[sym] + take_bits(s, dist_extra[sym]);

        if ( overran(s) || dist > s->out_pos )
            return -EINVAL;
        if ( s->out_cap - s->out_pos < len )
            return -ENOSPC;
        copy_match(s, dist, len);
    }
}

static int inflate_fixed(struct inflate_state *s)
{
    uint8_t lens[NR_LITLEN];
    unsigned int i;
    int rc;

    /* Runs of fixed blocks (tiny ones are cheap to make) reuse the
     * tables rather than rebuilding them each time. */
    if ( s->tables_fixed )
        return inflate_codes(s);

    /* RFC 1951, 3.2.6. */
    for ( i = 0; i < 144; i++ )
        lens[i] = 8;
    for ( ; i < 256; i++ )
        lens[i] = 9;
    for ( ; i < 280; i++ )
        lens[i] = 7;
    for ( ; i < NR_LITLEN; i++ )
        lens[i] = 8;
    rc = build_huffman(&s->litlen, lens, NR_LITLEN);
    if ( rc )
        return rc;
    for ( i = 0; i < NR_DIST; i++ )
        lens[i] = 5;
    rc = build_huffman(&s->dist, lens, NR_DIST);
    if ( rc )
        return rc;
    s->tables_fixed = true;
    return inflate_codes(s);
}

/* Read a dynamic block's code lengths and build its two codes. */
static int read_dynamic_header(struct inflate_state *s)
{
    uint8_t lens[NR_LITLEN + NR_DIST];
    uint8_t cl_lens[NR_CODELEN];
    unsigned int nr_litlen, nr_dist, nr_codelen, i, n;
    int rc;

    s->tables_fixed = false;
    refill(s);
    nr_litlen = take_bits(s, 5) + 257;
    nr_dist = take_bits(s, 5) + 1;
    nr_codelen = take_bits(s, 4) + 4;
    if ( nr_litlen > 286 || nr_dist > 30 )
        return -EINVAL;

    memset(cl_lens, 0, sizeof(cl_lens));
    for ( i = 0; i < nr_codelen; i++ )
    {
        if ( (i & 7) == 0 )
            refill(s);
        cl_lens[codelen_order[i]] = take_bits(s, 3);
    }
    if ( overran(s) )
        return -EINVAL;
    /* The code-length code reuses the distance table as scratch. */
    rc = build_huffman(&s->dist, cl_lens, NR_CODELEN);
    if ( rc )
        return rc;
    /* build_huffman lets through a code-length code of one symbol, but
     * that can only give every length the same value (or none), and the
     * checks below reject all such sets. */

    n = nr_litlen + nr_dist;
    i = 0;
    while ( i < n )
    {
        int sym;
        unsigned int repeat, fill;

        refill(s);
        if ( overran(s) )
            return -EINVAL;
        sym = decode_symbol(s, &s->dist);
        if ( sym < 0 )
            return -EINVAL;
        if ( sym < 16 )
        {
            lens[i++] = sym;
            continue;
        }
        if ( sym == 16 )
        {
            if ( i == 0 )
                return -EINVAL;     /* nothing to repeat */
            fill = lens[i - 1];
            repeat = 3 + take_bits(s, 2);
        }
        else if ( sym == 17 )
        {
            fill = 0;
            repeat = 3 + take_bits(s, 3);
        }
        else
        {
            fill = 0;
            repeat = 11 + take_bits(s, 7);
        }
        if ( repeat > n - i )
            return -EINVAL;
        while ( repeat-- )
            lens[i++] = fill;
    }
    if ( overran(s) )
        return -EINVAL;
    if ( lens[256] == 0 )
        return -EINVAL;             /* no way to end the block */

    rc = build_huffman(&s->litlen, lens, nr_litlen);
    if ( rc )
        return rc;
    return build_huffman(&s->dist, lens + nr_litlen, nr_dist);
}

static int inflate_dynamic(struct inflate_state *s)
{
    int rc = read_dynamic_header(s);

    return rc ? rc : inflate_codes(s);
}

static int inflate_blocks(struct inflate_state *s)
{
    unsigned int final, type;
    int rc;

    do {
        refill(s);
        final = take_bits(s, 1);
        type = take_bits(s, 2);
        if ( overran(s) )
            return -EINVAL;
        switch ( type )
        {
        case 0:
            rc = inflate_stored(s);
            break;
        case 1:
            rc = inflate_fixed(s);
            break;
        case 2:
            rc = inflate_dynamic(s);
            break;
        default:
            rc = -EINVAL;
            break;
        }
        if ( rc )
            return rc;
    } while ( !final );

    return align_to_byte(s) ? 0 : -EINVAL;
}

int inflate_raw(const void *in, size_t in_len, void *out, size_t out_cap,
                size_t *out_len, size_t *in_used)
{
    struct inflate_state *s = xmalloc_bytes(sizeof(*s));
    int rc;

    if ( !s )
        return -ENOMEM;
    s->in = in;
    s->in_end = in + in_len;
    s->bitbuf = 0;
    s->bitcnt = 0;
    s->phantom = 0;
    s->out = out;
    s->out_pos = 0;
    s->out_cap = out_cap;
    s->tables_fixed = false;

    rc = inflate_blocks(s);
    if ( rc == 0 )
    {
        *out_len = s->out_pos;
        *in_used = s->in - (const uint8_t *)in;
    }
    xfree(s);
    return rc;
}

/* ---- CRC-32 ----------------------------------------------------------- */

#define CRC32_POLY 0xedb88320u      /* reflected 0x04c11db7 */

/* Eight tables let crc32() fold 8 input bytes per step ("slicing by 8"):
 * tables[k][b] is the CRC contribution of byte b followed by k zero bytes.
 * Filled on first use; filling twice at once writes the same values. */
static uint32_t crc_tables[8][256];
static bool crc_tables_ready;

static void crc_tables_fill(void)
{
    unsigned int b, k, bit;

    for ( b = 0; b < 256; b++ )
    {
        uint32_t c = b;

        for ( bit = 0; bit < 8; bit++ )
            c = (c >> 1) ^ (CRC32_POLY & -(c & 1));
        crc_tables[0][b] = c;
    }
    for ( k = 1; k < 8; k++ )
        for ( b = 0; b < 256; b++ )
        {
            uint32_t prev = crc_tables[k - 1][b];

            crc_tables[k][b] = (prev >> 8) ^ crc_tables[0][prev & 0xff];
        }
    barrier();
    WRITE_ONCE(crc_tables_ready, true);
}

uint32_t crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;

    if ( unlikely(!READ_ONCE(crc_tables_ready)) )
        crc_tables_fill();

    crc = ~crc;
    while ( len >= 8 )
    {
        uint64_t v = load_le64(p) ^ crc;

        crc = crc_tables[7][v & 0xff] ^
              crc_tables[6][(v >> 8) & 0xff] ^
              crc_tables[5][(v >> 16) & 0xff] ^
              crc_tables[4][(v >> 24) & 0xff] ^
              crc_tables[3][(v >> 32) & 0xff] ^
              crc_tables[2][(v >> 40) & 0xff] ^
              crc_tables[1][(v >> 48) & 0xff] ^
              crc_tables[0][v >> 56];
        p += 8;
        len -= 8;
    }
    while ( len-- )
        crc = (crc >> 8) ^ crc_tables[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

/* ---- gzip ------------------------------------------------------------- */

#define GZ_ID1      0x1f
#define GZ_ID2      0x8b
#define GZ_CM_DEFLATE 8
#define GZ_FHCRC    0x02
#define GZ_FEXTRA   0x04
#define GZ_FNAME    0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0
#define GZ_HDR_LEN  10
#define GZ_TRAILER_LEN 8

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Skip a NUL-terminated header string starting at *pos. */
static int skip_string(const uint8_t *in, size_t len, size_t *pos)
{
    while ( *pos < len )
        if ( in[(*pos)++] == 0 )
            return 0;
    return -EINVAL;
}

/* Parse the member header; *hdr_len is where the DEFLATE data starts. */
static int parse_gzip_header(const uint8_t *in, size_t len, size_t *hdr_len)
{
    size_t pos = GZ_HDR_LEN;
    uint8_t flags;

    if ( len < GZ_HDR_LEN + GZ_TRAILER_LEN ||
         in[0] != GZ_ID1 || in[1] != GZ_ID2 || in[2] != GZ_CM_DEFLATE )
        return -EINVAL;
    flags = in[3];
    if ( flags & GZ_FRESERVED )
        return -EINVAL;

    if ( flags & GZ_FEXTRA )
    {
        size_t xlen;

        if ( len - pos < 2 )
            return -EINVAL;
        xlen = in[pos] | (in[pos + 1] << 8);
        pos += 2;
        if ( len - pos < xlen )
            return -EINVAL;
        pos += xlen;
    }
    if ( (flags & GZ_FNAME) && skip_string(in, len, &pos) )
        return -EINVAL;
    if ( (flags & GZ_FCOMMENT) && skip_string(in, len, &pos) )
        return -EINVAL;
    if ( flags & GZ_FHCRC )
    {
        /* The low 16 bits of the CRC-32 of every header byte before it. */
        uint32_t want;

        if ( len - pos < 2 )
            return -EINVAL;
        want = in[pos] | (in[pos + 1] << 8);
        if ( (crc32(0, in, pos) & 0xffff) != want )
            return -EILSEQ;
        pos += 2;
    }
    if ( len - pos < GZ_TRAILER_LEN )
        return -EINVAL;
    *hdr_len = pos;
    return 0;
}

int gzip_isize(const void *in, size_t in_len, uint32_t *isize)
{
    const uint8_t *p = in;

    if ( in_len < GZ_HDR_LEN + GZ_TRAILER_LEN || p[0] != GZ_ID1 ||
         p[1] != GZ_ID2 || p[2] != GZ_CM_DEFLATE )
        return -EINVAL;
    *isize = get_le32(p + in_len - 4);
    return 0;
}

int gunzip(const void *in, size_t in_len, void *out, size_t out_cap,
           size_t *out_len)
{
    const uint8_t *p = in;
    size_t hdr_len, used, produced;
    int rc;

    rc = parse_gzip_header(p, in_len, &hdr_len);
    if ( rc )
        return rc;
    /* The trailer is not part of the DEFLATE data. */
    rc = inflate_raw(p + hdr_len, in_len - hdr_len - GZ_TRAILER_LEN, out,
                     out_cap, &produced, &used);
    if ( rc )
        return rc;
    if ( hdr_len + used + GZ_TRAILER_LEN != in_len )
        return -EINVAL;     /* data after the member */
    p += hdr_len + used;
    if ( get_le32(p) != crc32(0, out, produced) ||
         get_le32(p + 4) != (uint32_t)produced )
        return -EILSEQ;
    *out_len = produced;
    return 0;
}
