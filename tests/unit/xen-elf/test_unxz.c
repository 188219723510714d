/* Tests of xen/common/unxz.c (with lzma2.c and xz-bcj.c): round trips
 * against Debian's xz on generated inputs with many encoder settings
 * (checks, filters, block sizes, literal/position bits, dictionary
 * sizes, concatenated streams), and refusals of damaged files: every
 * truncation, every single-bit flip, and hand-edited fields whose CRC is
 * recomputed so that the field's own check is what must catch them.
 *
 * Every decode gets input and output buffers malloc'd to exactly the size
 * passed in, so the sanitizer build catches any access past either. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/inflate.h>
#include <xen/unxz.h>
#include "check.h"
#include "host.h"
#include "tests.h"

/* ---- helpers ----------------------------------------------------------- */

int unxz_exact(const uint8_t *xz, size_t len, size_t out_cap,
               uint8_t **outp, size_t *out_len)
{
    uint8_t *in = malloc(len ? len : 1);
    uint8_t *out = malloc(out_cap ? out_cap : 1);
    int rc;

    if ( !in || !out )
        abort();
    memcpy(in, xz, len);
    *out_len = (size_t)-1;
    rc = unxz(in, len, out, out_cap, out_len);
    free(in);
    if ( outp )
        *outp = out;
    else
        free(out);
    return rc;
}

uint8_t *xz_data(const char *opts, const void *data, size_t len,
                 size_t *xz_len)
{
    static unsigned int serial;
    char name[32];

    snprintf(name, sizeof(name), "xz-in-%u", serial++);
    return tool_data("xz --format=xz", opts, name, data, len, xz_len);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* ---- generated inputs -------------------------------------------------- */

enum kind { K_ZEROS, K_RANDOM, K_TEXT, K_X86, K_FAR };
static const char *const kind_names[] = {
    "zeros", "random", "text", "x86", "far",
};

static void generate(enum kind kind, uint8_t *buf, size_t len, uint64_t seed)
{
    static const char *const words[] = {
        "page ", "table ", "dom0 ", "grant ", "event ", "xz ", "lzma2 ",
        "hypervisor\n", "0x", "ff", "\x00\x01", "kernel ",
    };
    struct rng r;
    size_t i = 0;

    rng_seed(&r, seed);
    switch ( kind )
    {
    case K_ZEROS:
        memset(buf, 0, len);
        break;
    case K_RANDOM:
        for ( i = 0; i < len; i++ )
            buf[i] = rng_next(&r) >> 56;
        break;
    case K_TEXT:
        while ( i < len )
        {
            const char *w = words[rng_below(&r, ARRAY_LEN(words))];

            while ( *w && i < len )
                buf[i++] = *w++;
        }
        break;
    case K_X86:
        /* Code-like: many E8/E9 bytes, often with near (00/ff) operand
         * tops, sometimes packed closer than 5 bytes apart, so the BCJ
         * filter's every rule is exercised. */
        for ( i = 0; i < len; i++ )
        {
            uint32_t what = rng_below(&r, 10);

            if ( what < 3 )
                buf[i] = 0xe8 + (what & 1);
            else if ( what < 6 )
                buf[i] = what & 1 ? 0xff : 0x00;
            else
                buf[i] = rng_next(&r) >> 56;
        }
        break;
    case K_FAR:
        /* Random 64 KiB pieces repeated from 1.5 to 2 MiB back: only a
         * dictionary that large finds the matches. */
        while ( i < len )
        {
            size_t n = 65536 < len - i ? 65536 : len - i;

            if ( i >= (2u << 20) && rng_below(&r, 2) )
                memcpy(buf + i, buf + i - (2u << 20) +
                       rng_below(&r, 1u << 19), n);
            else
                for ( size_t k = 0; k < n; k++ )
                    buf[i + k] = rng_next(&r) >> 56;
            i += n;
        }
        break;
    }
}

/* Decode and compare; one byte less of output space must be -ENOSPC. */
static void check_round_trip(const uint8_t *xz, size_t xz_len,
                             const uint8_t *want, size_t want_len)
{
    uint8_t *out;
    size_t out_len;
    int rc;

    rc = unxz_exact(xz, xz_len, want_len, &out, &out_len);
    CHECK_RC(rc, 0);
    if ( rc == 0 )
    {
        CHECK_EQ(out_len, want_len);
        CHECK(out_len == want_len && !memcmp(out, want, want_len));
    }
    free(out);
    if ( want_len > 0 )
        CHECK_RC(unxz_exact(xz, xz_len, want_len - 1, NULL, &out_len),
                 -ENOSPC);
}

static void round_trip(const char *name, enum kind kind, size_t len,
                       const char *opts)
{
    uint8_t *data = malloc(len ? len : 1), *xz;
    size_t xz_len;

    case_begin("unxz/%s-%s-%zu", name, kind_names[kind], len);
    generate(kind, data, len, len * 7 + kind);
    xz = xz_data(opts, data, len, &xz_len);
    if ( !xz )
        CHECK_FAIL("xz %s failed", opts);
    else
        check_round_trip(xz, xz_len, data, len);
    free(xz);
    free(data);
    case_end();
}

static void test_round_trips(void)
{
    static const struct {
        const char *name, *opts;
    } settings[] = {
        { "crc32", "--check=crc32" },
        { "crc64", "--check=crc64" },
        { "nocheck", "--check=none" },
        { "x86", "--check=crc32 --x86 --lzma2=preset=6" },
        { "x86-start", "--check=crc32 --x86=start=4096 --lzma2=preset=1" },
        { "fast", "--check=crc32 --lzma2=preset=0" },
        { "extreme", "--check=crc64 --lzma2=preset=9e,dict=1MiB" },
        { "lc0-lp4-pb4", "--check=crc32 --lzma2=lc=0,lp=4,pb=4" },
        { "lc4-lp0-pb0", "--check=crc32 --lzma2=lc=4,lp=0,pb=0" },
        { "dict4k", "--check=crc32 --lzma2=dict=4KiB" },
        { "blocks", "--check=crc32 --block-size=40000" },
        { "blocks-mt", "--check=crc32 -T2 --block-size=30000 --x86 --lzma2=preset=6" },
    };
    static const size_t sizes[] = { 0, 1, 5, 4096, 300000 };

    for ( unsigned int s = 0; s < ARRAY_LEN(settings); s++ )
        for ( unsigned int k = K_ZEROS; k <= K_X86; k++ )
            for ( unsigned int z = 0; z < ARRAY_LEN(sizes); z++ )
                if ( sizes[z] <= 4096 ? k == K_RANDOM || s == 0
                                      : s < 3 || k == K_X86 || k == K_TEXT )
                    round_trip(settings[s].name, k, sizes[z],
                               settings[s].opts);
    /* Matches 2 MiB back need a large dictionary. */
    round_trip("dict4m", K_FAR, 3u << 20,
               "--check=crc32 --lzma2=preset=1,dict=4MiB");
    /* The kernel's own settings (scripts/xz_wrap.sh), on code-like data. */
    round_trip("kernel", K_X86, 1u << 20,
               "--check=crc32 --x86 --lzma2=dict=32MiB");
}

/* Two streams, with and without stream padding between and after. */
static void test_concatenated(void)
{
    uint8_t a[3000], b[5000], *xa, *xb, *cat, want[8000];
    size_t la, lb;

    generate(K_TEXT, a, sizeof(a), 1);
    generate(K_X86, b, sizeof(b), 2);
    memcpy(want, a, sizeof(a));
    memcpy(want + sizeof(a), b, sizeof(b));
    xa = xz_data("--check=crc32", a, sizeof(a), &la);
    xb = xz_data("--check=crc64 --x86 --lzma2=preset=6", b, sizeof(b), &lb);
    case_begin("unxz/concatenated");
    if ( !xa || !xb )
        FAIL("xz failed");
    cat = malloc(la + lb + 16);
    memcpy(cat, xa, la);
    memcpy(cat + la, xb, lb);
    check_round_trip(cat, la + lb, want, sizeof(want));
    case_end();

    case_begin("unxz/stream-padding");
    memcpy(cat, xa, la);
    memset(cat + la, 0, 8);
    memcpy(cat + la + 8, xb, lb);
    memset(cat + la + 8 + lb, 0, 4);
    check_round_trip(cat, la + lb + 12, want, sizeof(want));
    case_end();

    case_begin("unxz/stream-padding-not-multiple-of-4");
    {
        size_t n;

        memcpy(cat, xa, la);
        memset(cat + la, 0, 3);
        CHECK_RC(unxz_exact(cat, la + 3, sizeof(a), NULL, &n), -EINVAL);
        memset(cat + la, 0, 6);
        memcpy(cat + la + 6, xb, lb);
        CHECK_RC(unxz_exact(cat, la + 6 + lb, sizeof(want), NULL, &n),
                 -EINVAL);
    }
    case_end();

    case_begin("unxz/trailing-garbage");
    {
        size_t n;

        memcpy(cat, xa, la);
        memcpy(cat + la, "junk", 4);
        CHECK_RC(unxz_exact(cat, la + 4, sizeof(a), NULL, &n), -EINVAL);
    }
    case_end();
    free(cat);
    free(xa);
    free(xb);
}

/* ---- damaged files ----------------------------------------------------- */

/* Every prefix, and every single-bit flip, of a small file is refused:
 * the CRC32 check (or a structural check) catches each. */
static void test_truncations_and_flips(void)
{
    uint8_t data[2000], *xz, *bad;
    size_t len, n;
    unsigned int wrong = 0;

    generate(K_X86, data, sizeof(data), 3);
    xz = xz_data("--check=crc32 --x86 --lzma2=preset=6", data, sizeof(data),
                 &len);
    case_begin("unxz/every-truncation-refused");
    if ( !xz )
        FAIL("xz failed");
    bad = malloc(len);
    for ( size_t cut = 0; cut < len; cut++ )
    {
        int rc = unxz_exact(xz, cut, sizeof(data), NULL, &n);

        if ( rc != -EINVAL && rc != -EILSEQ && wrong++ < 4 )
            CHECK_FAIL("%zu of %zu bytes: rc %d", cut, len, rc);
    }
    case_end();

    wrong = 0;
    case_begin("unxz/every-bit-flip-refused");
    for ( size_t i = 0; i < len * 8; i++ )
    {
        int rc;

        memcpy(bad, xz, len);
        bad[i / 8] ^= 1u << (i % 8);
        rc = unxz_exact(bad, len, sizeof(data), NULL, &n);
        if ( rc == 0 && wrong++ < 4 )
            CHECK_FAIL("flip of bit %zu accepted", i);
        else if ( rc != 0 && rc != -EINVAL && rc != -EILSEQ &&
                  rc != -EOPNOTSUPP && rc != -ENOSPC && wrong++ < 4 )
            CHECK_FAIL("flip of bit %zu: unexpected rc %d", i, rc);
    }
    case_end();
    free(bad);
    free(xz);
}

/* Hand edits of one field each, the field's CRC recomputed. */
static void test_fields(void)
{
    uint8_t data[70000], *xz, *bad;
    size_t len, n, idx, bh_len;
    unsigned int i;

    generate(K_TEXT, data, sizeof(data), 4);
    /* -T2 stores both sizes in the block header. */
    xz = xz_data("--check=crc32 -T2 --block-size=1000000", data,
                 sizeof(data), &len);
    case_begin("unxz/fixture-layout");
    if ( !xz )
        FAIL("xz failed");
    bad = malloc(len);
    bh_len = (xz[12] + 1) * 4;
    /* The index starts backward-size bytes before the footer. */
    idx = len - 12 - (le32(xz + len - 8) + 1) * 4;

    CHECK(xz[13] & 0x40);               /* compressed size present */
    CHECK(xz[13] & 0x80);               /* uncompressed size present */
    CHECK_EQ(xz[idx], 0);
    CHECK_RC(unxz_exact(xz, len, sizeof(data), NULL, &n), 0);
    case_end();

#define EDIT(name, want, ...) do {                                          \
        case_begin("unxz/refused-" name);                                   \
        memcpy(bad, xz, len);                                               \
        __VA_ARGS__;                                                        \
        CHECK_RC(unxz_exact(bad, len, sizeof(data), NULL, &n), want);       \
        case_end();                                                         \
    } while ( 0 )
#define FIX_STREAM_CRC() put_le32(bad + 8, crc32(0, bad + 6, 2))
#define FIX_BLOCK_CRC() \
    put_le32(bad + 12 + bh_len - 4, crc32(0, bad + 12, bh_len - 4))
#define FIX_FOOTER_CRC() \
    put_le32(bad + len - 12, crc32(0, bad + len - 8, 6))
#define FIX_INDEX_CRC() \
    put_le32(bad + len - 16, crc32(0, bad + idx, len - 16 - idx))

    EDIT("magic", -EINVAL, bad[1] ^= 1);
    EDIT("stream-header-crc", -EILSEQ, bad[8] ^= 1);
    EDIT("stream-flags-reserved", -EINVAL, bad[6] = 1; FIX_STREAM_CRC());
    EDIT("check-sha256", -EOPNOTSUPP, bad[7] = 0x0a; FIX_STREAM_CRC());
    EDIT("check-reserved", -EOPNOTSUPP, bad[7] = 0x0f; FIX_STREAM_CRC());
    EDIT("block-header-crc", -EILSEQ, bad[12 + bh_len - 1] ^= 0x80);
    EDIT("block-flags-reserved", -EINVAL, bad[13] |= 0x04; FIX_BLOCK_CRC());
    /* Walk the block header as the spec lays it out: flags, compressed
     * size, uncompressed size, then the filter flags and padding. */
    {
        size_t p = 14, usz, filt;

        while ( xz[p] & 0x80 )
            p++;
        usz = ++p;
        while ( xz[p] & 0x80 )
            p++;
        filt = ++p;
        EDIT("block-uncompressed-size", -EINVAL,
             bad[usz] ^= 1; FIX_BLOCK_CRC());
        EDIT("block-compressed-size", -EINVAL, bad[14] ^= 4; FIX_BLOCK_CRC());
        EDIT("block-filter-unknown", -EOPNOTSUPP,
             bad[filt] = 0x03; FIX_BLOCK_CRC());
        EDIT("lzma2-dict-reserved", -EINVAL,
             bad[filt + 2] = 41; FIX_BLOCK_CRC());
        EDIT("lzma2-not-last", -EINVAL,
             bad[13] |= 1; FIX_BLOCK_CRC());
        if ( filt + 3 < 12 + bh_len - 4 )
            EDIT("header-padding-nonzero", -EINVAL,
                 bad[filt + 3] = 1; FIX_BLOCK_CRC());
    }
    EDIT("index-crc", -EILSEQ, bad[len - 16] ^= 1);
    EDIT("index-count", -EINVAL, bad[idx + 1] += 1; FIX_INDEX_CRC());
    EDIT("index-record", -EINVAL, bad[idx + 2] ^= 4; FIX_INDEX_CRC());
    EDIT("footer-crc", -EILSEQ, bad[len - 12] ^= 1);
    EDIT("footer-backward-size", -EINVAL, bad[len - 8] += 1;
         FIX_FOOTER_CRC());
    EDIT("footer-flags", -EINVAL, bad[len - 3] ^= 5; FIX_FOOTER_CRC());
    EDIT("footer-magic", -EINVAL, bad[len - 1] = 'X');
    /* Non-zero block padding: only when the data needs padding. */
    {
        uint64_t csize = 0;

        for ( i = 0; i < 9; i++ )
        {
            csize |= (uint64_t)(xz[14 + i] & 0x7f) << (7 * i);
            if ( !(xz[14 + i] & 0x80) )
                break;
        }
        if ( csize & 3 )
            EDIT("block-padding", -EINVAL, bad[12 + bh_len + csize] = 1);
    }

    case_begin("unxz/refused-out-of-memory");
    xmalloc_fail = 1;
    CHECK_RC(unxz_exact(xz, len, sizeof(data), NULL, &n), -ENOMEM);
    xmalloc_fail = 0;
    case_end();

    case_begin("unxz/refused-empty-and-tiny");
    CHECK_RC(unxz_exact(xz, 0, 10, NULL, &n), -EINVAL);
    CHECK_RC(unxz_exact(xz, 12, 10, NULL, &n), -EINVAL);
    CHECK_RC(unxz_exact(xz, 23, 10, NULL, &n), -EINVAL);
    case_end();
    free(bad);
    free(xz);
#undef EDIT
}

/* LZMA2 chunks written by hand: the control-byte rules. */
static void test_lzma2_chunks(void)
{
    /* A stream with check none around a given LZMA2 body. */
    static const uint8_t hdr[12] = {
        0xfd, '7', 'z', 'X', 'Z', 0, 0, 0, 0xff, 0x12, 0xd9, 0x41,
    };
    uint8_t f[256], idx[16];
    size_t n;

    struct { const char *name; uint8_t body[16]; size_t blen; int want;
             const char *out; } cases[] = {
        { "stored-dict-reset", { 1, 0, 2, 'a', 'b', 'c', 0 }, 7, 0, "abc" },
        { "stored-then-stored", { 1, 0, 0, 'a', 2, 0, 1, 'b', 'c', 0 }, 10,
          0, "abc" },
        { "no-dict-reset-first", { 2, 0, 0, 'a', 0 }, 5, -EINVAL, NULL },
        { "reserved-control", { 3, 0, 0, 'a', 0 }, 5, -EINVAL, NULL },
        { "lzma-without-props", { 1, 0, 0, 'a', 0x80, 0, 0, 0, 4, 0, 0, 0,
          0, 0, 0 }, 15, -EINVAL, NULL },
        { "bad-props", { 0xe0, 0, 0, 0, 4, 225, 0, 0, 0, 0, 0, 0 }, 12,
          -EINVAL, NULL },
        { "lc-plus-lp-over-4", { 0xe0, 0, 0, 0, 4, (0 * 5 + 2) * 9 + 3,
          0, 0, 0, 0, 0, 0 }, 12, -EINVAL, NULL },
        { "no-end-byte", { 1, 0, 0, 'a' }, 4, -EINVAL, NULL },
    };

    for ( unsigned int c = 0; c < ARRAY_LEN(cases); c++ )
    {
        size_t p = 0, bstart, unpadded, ilen;
        uint8_t *out;
        int rc;

        case_begin("unxz/lzma2-%s", cases[c].name);
        memcpy(f, hdr, 12);
        p = 12;
        bstart = p;
        /* Block header: 12 bytes, one filter (LZMA2, dict 4 KiB). */
        f[p++] = 2;
        f[p++] = 0;
        f[p++] = 0x21;
        f[p++] = 1;
        f[p++] = 0;
        memset(f + p, 0, 3);
        p += 3;
        put_le32(f + p, crc32(0, f + bstart, 8));
        p += 4;
        memcpy(f + p, cases[c].body, cases[c].blen);
        p += cases[c].blen;
        unpadded = p - bstart;
        while ( p & 3 )
            f[p++] = 0;
        /* Index: one record. */
        ilen = 0;
        idx[ilen++] = 0;
        idx[ilen++] = 1;
        idx[ilen++] = unpadded;
        idx[ilen++] = cases[c].out ? strlen(cases[c].out) : 1;
        while ( ilen & 3 )
            idx[ilen++] = 0;
        put_le32(idx + ilen, crc32(0, idx, ilen));
        memcpy(f + p, idx, ilen + 4);
        p += ilen + 4;
        /* Footer. */
        put_le32(f + p + 4, (ilen + 4) / 4 - 1);
        f[p + 8] = 0;
        f[p + 9] = 0;
        put_le32(f + p, crc32(0, f + p + 4, 6));
        f[p + 10] = 'Y';
        f[p + 11] = 'Z';
        p += 12;
        rc = unxz_exact(f, p, 64, &out, &n);
        CHECK_RC(rc, cases[c].want);
        if ( rc == 0 && cases[c].out )
            CHECK(n == strlen(cases[c].out) &&
                  !memcmp(out, cases[c].out, n));
        free(out);
        case_end();
    }
}

/* CRC-64 against the check value of its definition. */
static void test_crc64(void)
{
    case_begin("unxz/crc64-check-value");
    CHECK(xz_crc64(0, "123456789", 9) == 0x995dc9bbdf1939faull);
    CHECK(xz_crc64(xz_crc64(0, "1234", 4), "56789", 5) ==
          0x995dc9bbdf1939faull);
    case_end();
}

void test_unxz(void)
{
    test_crc64();
    test_round_trips();
    test_concatenated();
    test_truncations_and_flips();
    test_fields();
    test_lzma2_chunks();
}
