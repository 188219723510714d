/*
 * xc_save_codec.c - the page-data codecs of save files (format 3): none,
 * LZ4 and zstd level 1, from Debian's liblz4 and libzstd.  On its own so
 * libxenctrl.a can link the codec archives into one object with it (as
 * xc_dom_bzimage.c does: Makefile) and the fuzzer can build it alone.
 *
 * Decompression is always into a buffer of the exact announced size and
 * succeeds only if it fills it exactly: a record can never inflate past
 * what its header says, so a "bomb" costs at most that buffer.
 */
#include <string.h>
#include <lz4.h>
#include <zstd.h>

#include "xc_private.h"

#define ZSTD_FAST_LEVEL 1

const char *xc_save_codec_name(unsigned codec)
{
    switch (codec) {
    case XC_SAVE_CODEC_NONE: return "none";
    case XC_SAVE_CODEC_LZ4:  return "lz4";
    case XC_SAVE_CODEC_ZSTD: return "zstd";
    default:                 return NULL;
    }
}

int xc_save_codec_parse(const char *name)
{
    unsigned c;

    for (c = 0; c < XC_SAVE_CODEC_COUNT; c++)
        if (name && strcmp(name, xc_save_codec_name(c)) == 0)
            return (int)c;
    return -1;
}

size_t xc_save_codec_bound(unsigned codec, size_t n)
{
    switch (codec) {
    case XC_SAVE_CODEC_LZ4:  return (size_t)LZ4_compressBound((int)n);
    case XC_SAVE_CODEC_ZSTD: return ZSTD_compressBound(n);
    default:                 return n;
    }
}

/* Compressed length in dst (cap bytes), or 0 on failure. */
size_t xc_save_codec_compress(unsigned codec, const void *src, size_t n,
                              void *dst, size_t cap)
{
    size_t r;

    switch (codec) {
    case XC_SAVE_CODEC_NONE:
        if (n > cap)
            return 0;
        memcpy(dst, src, n);
        return n;
    case XC_SAVE_CODEC_LZ4:
        if (n > (size_t)LZ4_MAX_INPUT_SIZE)
            return 0;
        return (size_t)LZ4_compress_default(src, dst, (int)n,
                                            cap > (size_t)INT32_MAX ?
                                            INT32_MAX : (int)cap);
    case XC_SAVE_CODEC_ZSTD:
        r = ZSTD_compress(dst, cap, src, n, ZSTD_FAST_LEVEL);
        return ZSTD_isError(r) ? 0 : r;
    default:
        return 0;
    }
}

/* 0 when src (slen bytes) decodes to exactly n bytes in dst, else -1. */
int xc_save_codec_decompress(unsigned codec, const void *src, size_t slen,
                             void *dst, size_t n)
{
    size_t r;
    int got;

    switch (codec) {
    case XC_SAVE_CODEC_NONE:
        if (slen != n)
            return -1;
        memcpy(dst, src, n);
        return 0;
    case XC_SAVE_CODEC_LZ4:
        if (slen > (size_t)INT32_MAX || n > (size_t)INT32_MAX)
            return -1;
        got = LZ4_decompress_safe(src, dst, (int)slen, (int)n);
        return got >= 0 && (size_t)got == n ? 0 : -1;
    case XC_SAVE_CODEC_ZSTD: {
        /* The frame's own size field is not trusted: the output buffer
         * is the cap. */
        ZSTD_DCtx *z = ZSTD_createDCtx();

        if (!z)
            return -1;
        r = ZSTD_decompressDCtx(z, dst, n, src, slen);
        ZSTD_freeDCtx(z);
        return !ZSTD_isError(r) && r == n ? 0 : -1;
    }
    default:
        return -1;
    }
}
