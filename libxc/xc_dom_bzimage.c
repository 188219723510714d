/*
 * xc_dom_bzimage.c - the domain builder's bzImage reader.
 *
 * A bzImage is real-mode setup code, a self-decompressing stub and the
 * compressed kernel ELF.  Since boot protocol 2.08 the setup header says
 * where that compressed blob is (payload_offset, payload_length, counted
 * from the start of the protected-mode code), so a PV loader can take the
 * ELF out without running any of the image's own code.  The kernel build
 * appends the uncompressed size as a little-endian 32-bit word to every
 * format's stream (gzip's own trailer already ends with it), which gives
 * the exact output size to expect before decompressing a single byte.
 *
 * Decoders: gzip through zlib (libxc links it anyway); xz, lzma, zstd,
 * lz4 and bzip2 through Debian's liblzma, libzstd, liblz4 and libbz2.
 * libxc/Makefile links their static archives into this object and hides
 * every symbol but ours (ld -r, objcopy), so programs linking
 * libxenctrl.a with plain "-lz" (xend, statically linked for dom0) keep
 * linking and need no decoder library at run time.  Output is written
 * into a buffer of exactly the announced size plus one (a hard cap: a
 * stream that wants to write more is refused).
 *
 * Setup-header offsets are those of the x86 boot protocol documentation
 * (xen/include/xen/bzimage-layout.h, shared with the hypervisor's reader and
 * linux-xen/tools/bzimage-extract.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "xc_dom_bzimage.h"
#include "xen/bzimage-layout.h"

#define LZ4_LEGACY_MAGIC   0x184c2102u
#define LZ4_LEGACY_BLOCK   (8u << 20)   /* lz4 -l: 8 MiB per block */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

const char *xc_dom_bz_format_name(enum xc_bz_format f)
{
    switch (f) {
    case XC_BZ_GZIP:  return "gzip";
    case XC_BZ_XZ:    return "xz";
    case XC_BZ_ZSTD:  return "zstd";
    case XC_BZ_LZ4:   return "lz4";
    case XC_BZ_BZIP2: return "bzip2";
    case XC_BZ_LZMA:  return "lzma";
    case XC_BZ_LZO:   return "lzo";
    default:          return "unknown";
    }
}

int xc_dom_is_bzimage(const uint8_t *img, size_t len)
{
    return len >= HDR_MAGIC + 4 && le16(img + HDR_BOOT_FLAG) == BOOT_FLAG_VALUE &&
           memcmp(img + HDR_MAGIC, "HdrS", 4) == 0;
}

static enum xc_bz_format detect(const uint8_t *p, size_t len)
{
    static const struct { enum xc_bz_format f; uint8_t n; uint8_t m[6]; } t[] = {
        { XC_BZ_GZIP,  2, { 0x1f, 0x8b } },
        { XC_BZ_XZ,    6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
        { XC_BZ_ZSTD,  4, { 0x28, 0xb5, 0x2f, 0xfd } },
        { XC_BZ_LZ4,   4, { 0x02, 0x21, 0x4c, 0x18 } },
        { XC_BZ_BZIP2, 3, { 'B', 'Z', 'h' } },
        { XC_BZ_LZMA,  3, { 0x5d, 0x00, 0x00 } },
        { XC_BZ_LZO,   5, { 0x89, 'L', 'Z', 'O', 0x00 } },
    };

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (len >= t[i].n && memcmp(p, t[i].m, t[i].n) == 0)
            return t[i].f;
    return XC_BZ_NONE;
}

/*
 * Every decoder below: decompress in[0..inlen) into out[0..cap), where cap
 * is one more than the announced size, so filling it means "more than
 * announced".  Returns the number of bytes produced, or -1 with a reason.
 */

static long dec_gzip(const uint8_t *in, size_t inlen, uint8_t *out,
                     size_t cap, char *err, size_t errlen)
{
    z_stream s;
    int r;

    memset(&s, 0, sizeof(s));
    if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
        snprintf(err, errlen, "cannot start zlib");
        return -1;
    }
    s.next_in = (Bytef *)in;
    s.next_out = out;
    /* zlib counts in uInt: feed and drain in chunks. */
    for (;;) {
        size_t in_left = inlen - (size_t)((const uint8_t *)s.next_in - in);
        size_t out_left = cap - (size_t)(s.next_out - out);

        s.avail_in = in_left > (1u << 30) ? 1u << 30 : (uInt)in_left;
        s.avail_out = out_left > (1u << 30) ? 1u << 30 : (uInt)out_left;
        r = inflate(&s, Z_NO_FLUSH);
        if (r == Z_STREAM_END)
            break;
        if (r == Z_OK)
            continue;
        if (r == Z_BUF_ERROR && s.avail_out == 0 && out_left <= (1u << 30))
            snprintf(err, errlen, "gzip data inflates to more than announced");
        else if (r == Z_BUF_ERROR)
            snprintf(err, errlen, "gzip data is truncated");
        else
            snprintf(err, errlen, "damaged gzip data (%s)",
                     s.msg ? s.msg : "zlib error");
        inflateEnd(&s);
        return -1;
    }
    long got = (long)(s.next_out - out);
    inflateEnd(&s);
    return got;
}

static long dec_lzma_family(int alone, const uint8_t *in, size_t inlen,
                            uint8_t *out, size_t cap, char *err,
                            size_t errlen)
{
    const char *fmt = alone ? "lzma" : "xz";
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret r;
    long got = -1;

    r = alone ? lzma_alone_decoder(&s, UINT64_MAX)
              : lzma_stream_decoder(&s, UINT64_MAX, 0);
    if (r != LZMA_OK) {
        snprintf(err, errlen, "cannot start the %s decoder (%d)", fmt, (int)r);
        goto out;
    }
    s.next_in = in;
    s.avail_in = inlen;
    s.next_out = out;
    s.avail_out = cap;
    do
        r = lzma_code(&s, LZMA_FINISH);
    while (r == LZMA_OK);
    if (r == LZMA_STREAM_END)
        got = (long)s.total_out;
    else if (r == LZMA_BUF_ERROR && s.avail_out == 0)
        snprintf(err, errlen, "%s data inflates to more than announced", fmt);
    else if (r == LZMA_BUF_ERROR)
        snprintf(err, errlen, "%s data is truncated", fmt);
    else
        snprintf(err, errlen, "damaged %s data (liblzma error %d)", fmt,
                 (int)r);
    lzma_end(&s);
out:
    return got;
}

static long dec_zstd(const uint8_t *in, size_t inlen, uint8_t *out,
                     size_t cap, char *err, size_t errlen)
{
    ZSTD_inBuffer ib = { in, inlen, 0 };
    ZSTD_outBuffer ob = { out, cap, 0 };
    ZSTD_DCtx *d;
    size_t r = 1;
    long got = -1;

    d = ZSTD_createDCtx();
    if (!d) {
        snprintf(err, errlen, "cannot start the zstd decoder");
        goto out;
    }
    /* The kernel build uses zstd -22 --ultra, whose window is larger than
     * the library's default limit. */
    ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, 31);
    for (;;) {
        size_t before = ob.pos;

        r = ZSTD_decompressStream(d, &ob, &ib);
        if (ZSTD_isError(r)) {
            snprintf(err, errlen, "damaged zstd data (%s)", ZSTD_getErrorName(r));
            break;
        }
        if (ob.pos == ob.size) {
            snprintf(err, errlen, "zstd data inflates to more than announced");
            r = 1;
            break;
        }
        if (ib.pos == ib.size && (r == 0 || ob.pos == before)) {
            /* r == 0: the last frame ended; else it stopped mid-frame. */
            if (r != 0)
                snprintf(err, errlen, "zstd data is truncated");
            break;
        }
    }
    if (r == 0)
        got = (long)ob.pos;
    ZSTD_freeDCtx(d);
out:
    return got;
}

static long dec_lz4(const uint8_t *in, size_t inlen, uint8_t *out,
                    size_t cap, char *err, size_t errlen)
{
    size_t pos = 4, got = 0;
    uint8_t *block = NULL;
    long ret = -1;

    block = malloc(LZ4_LEGACY_BLOCK);
    if (!block) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* Legacy frame: magic, then (le32 compressed size, block)*; a second
     * frame may follow with its own magic. */
    while (pos < inlen) {
        uint32_t csize;
        int n;

        if (inlen - pos < 4) {
            snprintf(err, errlen, "lz4 data is truncated (partial block size)");
            goto out;
        }
        csize = le32(in + pos);
        pos += 4;
        if (csize == LZ4_LEGACY_MAGIC)
            continue;
        if (csize == 0 || csize > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK)) {
            snprintf(err, errlen, "damaged lz4 data (block size %u)", csize);
            goto out;
        }
        if (csize > inlen - pos) {
            snprintf(err, errlen, "lz4 data is truncated");
            goto out;
        }
        n = LZ4_decompress_safe((const char *)in + pos, (char *)block, (int)csize,
                  (int)LZ4_LEGACY_BLOCK);
        if (n < 0) {
            snprintf(err, errlen, "damaged lz4 data (block at %zu)", pos - 4);
            goto out;
        }
        if ((size_t)n > cap - got || (size_t)n == cap - got) {
            snprintf(err, errlen, "lz4 data inflates to more than announced");
            goto out;
        }
        memcpy(out + got, block, (size_t)n);
        got += (size_t)n;
        pos += csize;
    }
    ret = (long)got;
out:
    free(block);
    return ret;
}

static long dec_bzip2(const uint8_t *in, size_t inlen, uint8_t *out,
                      size_t cap, char *err, size_t errlen)
{
    bz_stream s;
    long got = -1;
    int r;

    memset(&s, 0, sizeof(s));
    if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
        snprintf(err, errlen, "cannot start the bzip2 decoder");
        goto out;
    }
    /* libbz2 counts in unsigned int; kernels are far below 4 GiB and the
     * cap is checked by the caller, but keep to the type anyway. */
    if (inlen > 0xffffffffu || cap > 0xffffffffu) {
        snprintf(err, errlen, "bzip2 payload too large");
        BZ2_bzDecompressEnd(&s);
        goto out;
    }
    s.next_in = (char *)in;
    s.avail_in = (unsigned int)inlen;
    s.next_out = (char *)out;
    s.avail_out = (unsigned int)cap;
    do
        r = BZ2_bzDecompress(&s);
    while (r == BZ_OK && s.avail_in > 0 && s.avail_out > 0);
    if (r == BZ_STREAM_END)
        got = (long)(cap - s.avail_out);
    else if (r == BZ_OK && s.avail_out == 0)
        snprintf(err, errlen, "bzip2 data inflates to more than announced");
    else if (r == BZ_OK)
        snprintf(err, errlen, "bzip2 data is truncated");
    else
        snprintf(err, errlen, "damaged bzip2 data (libbz2 error %d)", r);
    BZ2_bzDecompressEnd(&s);
out:
    return got;
}

/* ---- the setup header -------------------------------------------------- */

int xc_dom_bzimage_unpack(const uint8_t *img, size_t len, size_t max,
                          uint8_t **out, size_t *out_len,
                          enum xc_bz_format *format,
                          char *err, size_t errlen)
{
    uint64_t pm_start, off, plen;
    unsigned int version;
    const uint8_t *payload;
    size_t stream_len;
    uint32_t announced;
    enum xc_bz_format f;
    char derr[160];
    uint8_t *buf;
    long got;

    if (!xc_dom_is_bzimage(img, len)) {
        snprintf(err, errlen, "not a bzImage (no \"HdrS\" setup header)");
        return -1;
    }
    if (len < HDR_END) {
        snprintf(err, errlen, "bzImage truncated inside its setup header "
                 "(%zu bytes)", len);
        return -1;
    }
    version = le16(img + HDR_VERSION);
    if (version < PROTOCOL_PAYLOAD) {
        snprintf(err, errlen, "bzImage boot protocol %u.%02u is older than "
                 "2.08 and does not say where its payload is",
                 version >> 8, version & 0xff);
        return -1;
    }
    pm_start = bzimage_pm_start(img);
    off = le32(img + HDR_PAYLOAD_OFFSET);
    plen = le32(img + HDR_PAYLOAD_LENGTH);
    if (pm_start + off + plen > len) {
        snprintf(err, errlen, "bzImage payload [0x%llx, +0x%llx) lies beyond "
                 "the end of the file (%zu bytes): truncated?",
                 (unsigned long long)(pm_start + off),
                 (unsigned long long)plen, len);
        return -1;
    }
    if (plen < 8) {
        snprintf(err, errlen, "bzImage payload is only %llu bytes",
                 (unsigned long long)plen);
        return -1;
    }
    payload = img + pm_start + off;
    f = detect(payload, (size_t)plen);
    if (f == XC_BZ_NONE) {
        snprintf(err, errlen, "bzImage payload has an unknown compression "
                 "(magic %02x %02x %02x %02x)", payload[0], payload[1],
                 payload[2], payload[3]);
        return -1;
    }
    if (f == XC_BZ_LZO) {
        snprintf(err, errlen, "bzImage payload is lzo-compressed, which the "
                 "domain builder does not decode; use a gzip, xz, zstd, lz4, "
                 "bzip2 or lzma kernel");
        return -1;
    }
    /* The last four bytes give the size; for gzip they are its own ISIZE
     * and belong to the stream, for the others the build appended them. */
    announced = le32(payload + plen - 4);
    stream_len = f == XC_BZ_GZIP ? (size_t)plen : (size_t)plen - 4;
    if (announced == 0) {
        snprintf(err, errlen, "bzImage %s payload announces an empty kernel",
                 xc_dom_bz_format_name(f));
        return -1;
    }
    if (announced > max) {
        snprintf(err, errlen, "bzImage %s payload inflates to %u bytes, more "
                 "than the %zu allowed", xc_dom_bz_format_name(f), announced,
                 max);
        return -1;
    }
    buf = malloc((size_t)announced + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory for a %u-byte kernel", announced);
        return -1;
    }
    derr[0] = 0;
    switch (f) {
    case XC_BZ_GZIP:
        got = dec_gzip(payload, stream_len, buf, (size_t)announced + 1,
                       derr, sizeof(derr));
        break;
    case XC_BZ_XZ:
    case XC_BZ_LZMA:
        got = dec_lzma_family(f == XC_BZ_LZMA, payload, stream_len, buf,
                              (size_t)announced + 1, derr, sizeof(derr));
        break;
    case XC_BZ_ZSTD:
        got = dec_zstd(payload, stream_len, buf, (size_t)announced + 1,
                       derr, sizeof(derr));
        break;
    case XC_BZ_LZ4:
        got = dec_lz4(payload, stream_len, buf, (size_t)announced + 1,
                      derr, sizeof(derr));
        break;
    default:
        got = dec_bzip2(payload, stream_len, buf, (size_t)announced + 1,
                        derr, sizeof(derr));
        break;
    }
    if (got < 0) {
        free(buf);
        snprintf(err, errlen, "bzImage %s payload: %s",
                 xc_dom_bz_format_name(f), derr);
        return -1;
    }
    if ((uint64_t)got != announced) {
        free(buf);
        snprintf(err, errlen, "bzImage %s payload inflated to %ld bytes, "
                 "its trailer says %u", xc_dom_bz_format_name(f), got,
                 announced);
        return -1;
    }
    *out = buf;
    *out_len = (size_t)got;
    *format = f;
    return 0;
}
