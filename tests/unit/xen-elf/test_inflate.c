/* Tests of xen/common/inflate.c: round trips against Debian's gzip, hand
 * made DEFLATE streams for each block type and each corruption class, and
 * the gzip header and trailer checks.
 *
 * Every decode gets input and output buffers malloc'd to exactly the size
 * passed in, so the sanitizer build catches any access past either. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/inflate.h>
#include "check.h"
#include "deflate_writer.h"
#include "host.h"
#include "tests.h"

/* ---- helpers ----------------------------------------------------------- */

static uint8_t *dup_exact(const void *p, size_t len)
{
    uint8_t *d = malloc(len ? len : 1);

    if ( !d )
        abort();
    memcpy(d, p, len);
    return d;
}

/* gunzip with the input copied to an exact-size buffer and an out_cap-byte
 * output buffer; the output is returned through *outp (caller frees). */
static int gunzip_exact(const uint8_t *gz, size_t gz_len, size_t out_cap,
                        uint8_t **outp, size_t *out_len)
{
    uint8_t *in = dup_exact(gz, gz_len);
    uint8_t *out = malloc(out_cap ? out_cap : 1);
    int rc;

    *out_len = (size_t)-1;
    rc = gunzip(in, gz_len, out, out_cap, out_len);
    free(in);
    if ( outp )
        *outp = out;
    else
        free(out);
    return rc;
}

static int raw_exact(const uint8_t *def, size_t len, size_t out_cap,
                     uint8_t *copy_out, size_t *out_len, size_t *used)
{
    uint8_t *in = dup_exact(def, len);
    uint8_t *out = malloc(out_cap ? out_cap : 1);
    int rc;

    rc = inflate_raw(in, len, out, out_cap, out_len, used);
    if ( rc == 0 && copy_out )
        memcpy(copy_out, out, *out_len);
    free(in);
    free(out);
    return rc;
}

/* Where the DEFLATE data of a well-formed gzip member starts. */
static size_t gzip_data_offset(const uint8_t *gz, size_t len)
{
    size_t pos = 10;

    if ( gz[3] & 0x04 )
        pos += 2 + (gz[10] | gz[11] << 8);
    if ( gz[3] & 0x08 )
        while ( pos < len && gz[pos++] != 0 )
            ;
    if ( gz[3] & 0x10 )
        while ( pos < len && gz[pos++] != 0 )
            ;
    if ( gz[3] & 0x02 )
        pos += 2;
    return pos;
}

/* Decode and compare; also checks gzip_isize, inflate_raw over the bare
 * stream and that one byte less of output space is -ENOSPC. */
static void check_round_trip(const uint8_t *gz, size_t gz_len,
                             const uint8_t *want, size_t want_len)
{
    uint8_t *out;
    size_t out_len, used, off;
    uint32_t isize;
    int rc;

    rc = gunzip_exact(gz, gz_len, want_len, &out, &out_len);
    CHECK_RC(rc, 0);
    if ( rc == 0 )
    {
        CHECK_EQ(out_len, want_len);
        CHECK(out_len == want_len && !memcmp(out, want, want_len));
    }
    free(out);

    CHECK_RC(gzip_isize(gz, gz_len, &isize), 0);
    CHECK_EQ(isize, (uint32_t)want_len);

    if ( want_len > 0 )
        CHECK_RC(gunzip_exact(gz, gz_len, want_len - 1, NULL, &out_len),
                 -ENOSPC);

    off = gzip_data_offset(gz, gz_len);
    rc = raw_exact(gz + off, gz_len - off - 8, want_len, NULL, &out_len,
                   &used);
    CHECK_RC(rc, 0);
    if ( rc == 0 )
        CHECK_EQ(used, gz_len - off - 8);
}

/* ---- generated inputs -------------------------------------------------- */

enum input_kind { IN_ZEROS, IN_RANDOM, IN_TEXT, IN_MIXED, IN_SPARSE };
static const char *const kind_names[] = {
    "zeros", "random", "text", "mixed", "sparse",
};

static void generate(enum input_kind kind, uint8_t *buf, size_t len,
                     uint64_t seed)
{
    static const char *const words[] = {
        "the ", "hypervisor ", "page ", "table ", "of ", "dom0 ", "grant ",
        "event ", "channel\n", "kernel ", "xen ", "a ", "memory ", "0x1000 ",
    };
    struct rng r;
    size_t i = 0;

    rng_seed(&r, seed);
    switch ( kind )
    {
    case IN_ZEROS:
        memset(buf, 0, len);
        break;
    case IN_RANDOM:
        for ( i = 0; i < len; i++ )
            buf[i] = rng_next(&r) >> 56;
        break;
    case IN_TEXT:
        while ( i < len )
        {
            const char *w = words[rng_below(&r, ARRAY_LEN(words))];

            while ( *w && i < len )
                buf[i++] = *w++;
        }
        break;
    case IN_MIXED:
        /* Random runs, copies from near and far back (up to and past the
         * 32 KiB window), and byte runs. */
        while ( i < len )
        {
            size_t n = 1 + rng_below(&r, 300), k;
            uint32_t what = rng_below(&r, 4);

            if ( n > len - i )
                n = len - i;
            if ( what == 0 || i < 40000 )
                for ( k = 0; k < n; k++ )
                    buf[i + k] = rng_next(&r) >> 56;
            else if ( what == 1 )
            {
                size_t dist = 1 + rng_below(&r, 40000);

                for ( k = 0; k < n; k++ )
                    buf[i + k] = buf[i + k - dist];
            }
            else if ( what == 2 )
            {
                size_t dist = 1 + rng_below(&r, 12);

                for ( k = 0; k < n; k++ )
                    buf[i + k] = buf[i + k - dist];
            }
            else
                memset(buf + i, rng_next(&r) >> 56, n);
            i += n;
        }
        break;
    case IN_SPARSE:
        memset(buf, 0, len);
        for ( i = 0; i < len / 64; i++ )
            buf[rng_below(&r, len)] = rng_next(&r) >> 56;
        break;
    }
}

static void round_trip_case(enum input_kind kind, size_t len,
                            const char *const *opts, unsigned int nr_opts)
{
    uint8_t *data = malloc(len ? len : 1);
    unsigned int i;

    case_begin("inflate/gzip-%s-%zu", kind_names[kind], len);
    generate(kind, data, len, len * 31 + kind);
    for ( i = 0; i < nr_opts && case_failures() == 0; i++ )
    {
        size_t gz_len;
        uint8_t *gz = gzip_data(opts[i], "in.bin", data, len, &gz_len);

        if ( !gz )
        {
            CHECK_FAIL("gzip %s failed", opts[i]);
            break;
        }
        check_round_trip(gz, gz_len, data, len);
        if ( case_failures() )
            printf("  detail: with gzip %s\n", opts[i]);
        free(gz);
    }
    case_end();
    free(data);
}

static void test_round_trips(void)
{
    static const char *const all_levels[] = {
        "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9", "-n -6",
        "-N -9",
    };
    static const char *const some_levels[] = { "-1", "-6", "-9" };
    static const struct { enum input_kind kind; size_t len; } inputs[] = {
        { IN_ZEROS, 0 }, { IN_RANDOM, 1 }, { IN_TEXT, 2 }, { IN_RANDOM, 100 },
        { IN_TEXT, 1000 }, { IN_RANDOM, 70000 }, { IN_ZEROS, 300000 },
        { IN_TEXT, 200000 }, { IN_MIXED, 250000 }, { IN_SPARSE, 150000 },
        { IN_TEXT, 32768 }, { IN_MIXED, 65537 },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_LEN(inputs); i++ )
        round_trip_case(inputs[i].kind, inputs[i].len, all_levels,
                        ARRAY_LEN(all_levels));
    /* Big enough for many blocks of every kind. */
    round_trip_case(IN_MIXED, 4u << 20, some_levels, ARRAY_LEN(some_levels));
    round_trip_case(IN_SPARSE, 3u << 20, some_levels, 1);
}

/* ---- CRC-32 ------------------------------------------------------------ */

static void test_crc32(void)
{
    uint8_t buf[300];
    struct rng r;
    unsigned int off, len;

    case_begin("inflate/crc32");
    CHECK_EQ(crc32(0, "123456789", 9), 0xcbf43926u);     /* RFC check value */
    CHECK_EQ(crc32(0, "", 0), 0);
    rng_seed(&r, 7);
    for ( off = 0; off < sizeof(buf); off++ )
        buf[off] = rng_next(&r);
    for ( off = 0; off < 9; off++ )
        for ( len = 0; len + off <= sizeof(buf); len += 7 )
        {
            uint32_t whole = crc32(0, buf + off, len);

            CHECK_EQ(whole, ref_crc32(0, buf + off, len));
            CHECK_EQ(crc32(crc32(0, buf + off, len / 3), buf + off + len / 3,
                           len - len / 3), whole);
        }
    case_end();
}

/* ---- hand-made streams ------------------------------------------------- */

static void expect_raw(const char *name, const struct bitwriter *bw,
                       size_t out_cap, int want_rc, const char *want)
{
    uint8_t out[1024];
    size_t out_len = 0, used = 0;
    int rc;

    case_begin("inflate/raw-%s", name);
    rc = raw_exact(bw->buf, bw_bytes(bw), out_cap, out, &out_len, &used);
    CHECK_RC(rc, want_rc);
    if ( rc == 0 && want )
    {
        CHECK_EQ(out_len, strlen(want));
        CHECK(out_len == strlen(want) && !memcmp(out, want, out_len));
        CHECK_EQ(used, bw_bytes(bw));
    }
    case_end();
}

static void put_stored(struct bitwriter *bw, int final, const char *s,
                       unsigned int nlen_xor)
{
    size_t len = strlen(s);

    bw_put(bw, final, 1);
    bw_put(bw, 0, 2);
    bw_align(bw);
    bw_put(bw, len, 16);
    bw_put(bw, (~len & 0xffff) ^ nlen_xor, 16);
    while ( *s )
        bw_put(bw, (uint8_t)*s++, 8);
}

static void fixed_begin(struct bitwriter *bw, int final)
{
    bw_init(bw);
    bw_put(bw, final, 1);
    bw_put(bw, 1, 2);
}

static void test_stored_and_fixed(void)
{
    struct bitwriter bw;

    bw_init(&bw);
    put_stored(&bw, 1, "hello", 0);
    expect_raw("stored", &bw, 5, 0, "hello");
    expect_raw("stored-output-too-small", &bw, 4, -ENOSPC, NULL);

    bw_init(&bw);
    put_stored(&bw, 0, "", 0);              /* empty, not final */
    put_stored(&bw, 0, "ab", 0);
    put_stored(&bw, 1, "cd", 0);
    expect_raw("stored-several", &bw, 16, 0, "abcd");

    bw_init(&bw);
    put_stored(&bw, 1, "hello", 1);
    expect_raw("stored-bad-nlen", &bw, 16, -EINVAL, NULL);

    bw_init(&bw);
    put_stored(&bw, 1, "hello", 0);
    bw.bits -= 8;                           /* drop the last data byte */
    expect_raw("stored-truncated", &bw, 16, -EINVAL, NULL);

    bw_init(&bw);
    put_stored(&bw, 0, "x", 0);             /* not final, then nothing */
    expect_raw("missing-final-block", &bw, 16, -EINVAL, NULL);

    bw_init(&bw);
    bw_put(&bw, 1, 1);
    bw_put(&bw, 3, 2);                      /* BTYPE 11 is reserved */
    bw_put(&bw, 0, 16);
    expect_raw("block-type-3", &bw, 16, -EINVAL, NULL);

    fixed_begin(&bw, 1);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 'b');
    bw_fixed_litlen(&bw, 0xf0);             /* a 9-bit literal */
    bw_fixed_match(&bw, 6, 3);
    bw_fixed_match(&bw, 258, 1);
    bw_fixed_litlen(&bw, 256);
    {
        char want[300] = "ab\xf0" "ab\xf0" "ab\xf0";

        memset(want + 9, 0xf0, 258);
        want[267] = '\0';
        expect_raw("fixed", &bw, 267, 0, want);
        expect_raw("fixed-match-output-too-small", &bw, 266, -ENOSPC, NULL);
    }
    expect_raw("fixed-literal-output-too-small", &bw, 2, -ENOSPC, NULL);

    fixed_begin(&bw, 1);
    bw_fixed_match(&bw, 3, 1);              /* nothing written yet */
    bw_fixed_litlen(&bw, 256);
    expect_raw("distance-before-start", &bw, 16, -EINVAL, NULL);

    fixed_begin(&bw, 1);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 'b');
    bw_fixed_litlen(&bw, 'c');
    bw_fixed_match(&bw, 4, 4);              /* one byte too far back */
    bw_fixed_litlen(&bw, 256);
    expect_raw("distance-too-far-back", &bw, 16, -EINVAL, NULL);

    /* A distance reaching back across an earlier block is fine. */
    bw_init(&bw);
    put_stored(&bw, 0, "xyz", 0);
    bw_put(&bw, 1, 1);
    bw_put(&bw, 1, 2);
    bw_fixed_match(&bw, 5, 3);
    bw_fixed_litlen(&bw, 256);
    expect_raw("distance-into-previous-block", &bw, 8, 0, "xyzxyzxy");

    fixed_begin(&bw, 1);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 286);              /* in the code, not a length */
    bw_put(&bw, 0, 16);
    expect_raw("length-symbol-286", &bw, 16, -EINVAL, NULL);

    fixed_begin(&bw, 1);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 257);
    bw_fixed_dist(&bw, 30);                 /* in the code, not a distance */
    bw_put(&bw, 0, 16);
    expect_raw("distance-symbol-30", &bw, 16, -EINVAL, NULL);

    fixed_begin(&bw, 1);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 'b');              /* no end-of-block symbol */
    expect_raw("fixed-truncated", &bw, 16, -EINVAL, NULL);

    bw_init(&bw);
    expect_raw("empty-input", &bw, 16, -EINVAL, NULL);
}

/* A dynamic block: litlen lengths lens[0..nr_litlen), distance lengths
 * after them; then the symbols of 'data' and end-of-block, coded with the
 * transmitted code. */
static void put_dynamic_block(struct bitwriter *bw, int final,
                              const uint8_t *lens, unsigned int nr_litlen,
                              unsigned int nr_dist, const char *data)
{
    uint32_t codes[320];

    bw_put(bw, final, 1);
    bw_put(bw, 2, 2);
    bw_dynamic_header(bw, lens, nr_litlen, nr_dist);
    canonical_codes(lens, nr_litlen, codes);
    for ( ; *data; data++ )
        bw_put_code(bw, codes[(uint8_t)*data], lens[(uint8_t)*data]);
    if ( lens[256] )
        bw_put_code(bw, codes[256], lens[256]);
}

static void put_dynamic(struct bitwriter *bw, const uint8_t *lens,
                        unsigned int nr_litlen, unsigned int nr_dist,
                        const char *data)
{
    bw_init(bw);
    put_dynamic_block(bw, 1, lens, nr_litlen, nr_dist, data);
}

static void test_dynamic(void)
{
    uint8_t lens[320];
    struct bitwriter bw;
    unsigned int i;

    /* Literals a..d and end-of-block: lengths 2,2,2,3,3; one distance. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens['b'] = lens['c'] = 2;
    lens['d'] = lens[256] = 3;
    lens[257] = 1;                          /* distance code 0 */
    put_dynamic(&bw, lens, 257, 1, "abcddcba");
    expect_raw("dynamic", &bw, 8, 0, "abcddcba");

    /* Fixed, fixed, dynamic, fixed: the fixed tables are rebuilt after
     * the dynamic block replaced them. */
    bw_init(&bw);
    bw_put(&bw, 0, 1);
    bw_put(&bw, 1, 2);
    bw_fixed_litlen(&bw, 'a');
    bw_fixed_litlen(&bw, 256);
    bw_put(&bw, 0, 1);
    bw_put(&bw, 1, 2);
    bw_fixed_litlen(&bw, 'b');
    bw_fixed_litlen(&bw, 256);
    put_dynamic_block(&bw, 0, lens, 257, 1, "abcd");
    bw_put(&bw, 1, 1);
    bw_put(&bw, 1, 2);
    bw_fixed_litlen(&bw, 'q');
    bw_fixed_match(&bw, 4, 5);
    bw_fixed_litlen(&bw, 256);
    expect_raw("fixed-dynamic-fixed", &bw, 11, 0, "ababcdqabcd");

    /* A long code (over the first-level table) for some symbols. */
    memset(lens, 0, sizeof(lens));
    for ( i = 0; i < 15; i++ )
        lens['A' + i] = i + 1;
    lens[256] = 15;                         /* completes the code */
    lens[257] = 1;
    lens[258] = 1;
    put_dynamic(&bw, lens, 257, 2, "ONMLKJIHGFEDCBA");
    expect_raw("dynamic-15-bit-codes", &bw, 15, 0, "ONMLKJIHGFEDCBA");

    /* Three codes of one bit: over-subscribed. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens['b'] = lens[256] = 1;
    lens[257] = 1;
    put_dynamic(&bw, lens, 257, 1, "ab");
    expect_raw("dynamic-oversubscribed", &bw, 8, -EINVAL, NULL);

    /* Two codes of two bits: incomplete literal/length code. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens[256] = 2;
    lens[257] = 1;
    put_dynamic(&bw, lens, 257, 1, "a");
    expect_raw("dynamic-incomplete", &bw, 8, -EINVAL, NULL);

    /* No code for end-of-block. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens['b'] = 1;
    lens[257] = 1;
    put_dynamic(&bw, lens, 257, 1, "ab");
    expect_raw("dynamic-no-end-of-block", &bw, 8, -EINVAL, NULL);

    /* HLIT says 287 codes; at most 286 exist. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens[256] = 1;
    lens[287] = 1;
    put_dynamic(&bw, lens, 287, 1, "a");
    expect_raw("dynamic-hlit-too-big", &bw, 8, -EINVAL, NULL);

    /* HDIST says 31 codes; at most 30 exist. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens[256] = 1;
    lens[257] = 1;
    put_dynamic(&bw, lens, 257, 31, "a");
    expect_raw("dynamic-hdist-too-big", &bw, 8, -EINVAL, NULL);

    /* No distance codes at all is fine until a match needs one. */
    memset(lens, 0, sizeof(lens));
    lens['a'] = lens[256] = 2;
    lens[257] = 2;                          /* length 3 */
    lens[258] = 2;
    put_dynamic(&bw, lens, 259, 1, "aa");
    expect_raw("dynamic-no-distances", &bw, 8, 0, "aa");
    put_dynamic(&bw, lens, 259, 1, "a");
    bw_truncate(&bw, bw.bits - 2);          /* take back end-of-block */
    bw_put_code(&bw, 2, 2);                 /* symbol 257 (code 10) */
    bw_put_code(&bw, 0, 2);
    expect_raw("dynamic-match-without-distance-code", &bw, 8, -EINVAL, NULL);
}

/* Dynamic headers whose code-length stream is written by hand, to reach
 * the repeat symbols and a bad code-length code: variant 0 is valid. */
static void build_codelen_variant(struct bitwriter *bw, int variant)
{
    static const uint8_t order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    };
    unsigned int i, first = variant == 3 ? 16 : 18;

    bw_init(bw);
    bw_put(bw, 1, 1);
    bw_put(bw, 2, 2);
    bw_put(bw, 0, 5);                       /* 257 litlen codes */
    bw_put(bw, 0, 5);                       /* 1 distance code */
    bw_put(bw, 18 - 4, 4);                  /* order[0..17]: up to symbol 1 */
    for ( i = 0; i < 18; i++ )
    {
        unsigned int l = (order[i] == 1 || order[i] == first) ? 1 : 0;

        if ( variant == 2 && order[i] == 0 )
            l = 1;                          /* a third 1-bit code */
        if ( variant == 4 && order[i] == 1 )
            l = 2;                          /* incomplete: 1 + 1/2 */
        bw_put(bw, l, 3);
    }
    /* Canonical codes: symbol 1 -> 0, symbol 'first' -> 1. */
    switch ( variant )
    {
    case 0:     /* valid: 'a' = 1, 256 = 1, distance 0 = 1 */
        bw_put_code(bw, 1, 1); bw_put(bw, 97 - 11, 7);          /* 0..96 */
        bw_put_code(bw, 0, 1);                                  /* 'a' */
        bw_put_code(bw, 1, 1); bw_put(bw, 138 - 11, 7);         /* 98..235 */
        bw_put_code(bw, 1, 1); bw_put(bw, 20 - 11, 7);          /* ..255 */
        bw_put_code(bw, 0, 1);                                  /* 256 */
        bw_put_code(bw, 0, 1);                                  /* dist 0 */
        bw_put_code(bw, 0, 1);                                  /* 'a' */
        bw_put_code(bw, 0, 1);                                  /* 'a' */
        bw_put_code(bw, 1, 1);                                  /* end */
        break;
    case 1:     /* two runs of 138 zeros: more than 258 lengths */
        bw_put_code(bw, 1, 1); bw_put(bw, 127, 7);
        bw_put_code(bw, 1, 1); bw_put(bw, 127, 7);
        bw_put(bw, 0, 16);
        break;
    case 3:     /* symbol 16 (repeat the previous length) first */
        bw_put_code(bw, 1, 1); bw_put(bw, 0, 2);
        bw_put(bw, 0, 32);
        break;
    default:    /* the code-length code itself is bad */
        bw_put(bw, 0, 32);
        break;
    }
}

static void test_codelen_stream(void)
{
    static const struct { const char *name; int rc; } variants[] = {
        { "codelen-runs", 0 },
        { "codelen-run-overflows", -EINVAL },
        { "codelen-code-oversubscribed", -EINVAL },
        { "codelen-repeat-with-no-previous", -EINVAL },
        { "codelen-code-incomplete", -EINVAL },
    };
    struct bitwriter bw;
    int v;

    for ( v = 0; v < (int)ARRAY_LEN(variants); v++ )
    {
        build_codelen_variant(&bw, v);
        expect_raw(variants[v].name, &bw, 8, variants[v].rc,
                   variants[v].rc ? NULL : "aa");
    }
}

/* ---- gzip header and trailer ------------------------------------------- */

/* A member with the given optional header fields around the deflate data
 * and trailer of 'plain' (a gzip -n member). */
static size_t build_member(uint8_t *dst, const uint8_t *plain, size_t plain_len,
                           uint8_t flags, const char *extra, size_t xlen,
                           const char *name, const char *comment, int bad_hcrc)
{
    size_t pos = 0;

    memcpy(dst, plain, 10);
    dst[3] = flags;
    pos = 10;
    if ( flags & 0x04 )
    {
        dst[pos++] = xlen & 0xff;
        dst[pos++] = xlen >> 8;
        memcpy(dst + pos, extra, xlen);
        pos += xlen;
    }
    if ( flags & 0x08 )
    {
        strcpy((char *)dst + pos, name);
        pos += strlen(name) + 1;
    }
    if ( flags & 0x10 )
    {
        strcpy((char *)dst + pos, comment);
        pos += strlen(comment) + 1;
    }
    if ( flags & 0x02 )
    {
        uint32_t c = ref_crc32(0, dst, pos) ^ (bad_hcrc ? 1 : 0);

        dst[pos++] = c & 0xff;
        dst[pos++] = (c >> 8) & 0xff;
    }
    memcpy(dst + pos, plain + 10, plain_len - 10);
    return pos + plain_len - 10;
}

static void test_gzip_header(const uint8_t *plain, size_t plain_len,
                             const uint8_t *data, size_t len)
{
    static const struct { const char *name; uint8_t flags; } combos[] = {
        { "ftext", 0x01 }, { "fextra", 0x04 }, { "fname", 0x08 },
        { "fcomment", 0x10 }, { "fhcrc", 0x02 }, { "all-fields", 0x1f },
    };
    uint8_t *m = malloc(plain_len + 600);
    char extra[300];
    size_t mlen, out_len;
    unsigned int i;

    memset(extra, 'x', sizeof(extra));
    for ( i = 0; i < ARRAY_LEN(combos); i++ )
    {
        case_begin("inflate/header-%s", combos[i].name);
        mlen = build_member(m, plain, plain_len, combos[i].flags, extra, 257,
                            "vmlinux", "a comment", 0);
        check_round_trip(m, mlen, data, len);
        case_end();
    }

    case_begin("inflate/header-fhcrc-mismatch");
    mlen = build_member(m, plain, plain_len, 0x1e, extra, 3, "n", "c", 1);
    CHECK_RC(gunzip_exact(m, mlen, len, NULL, &out_len), -EILSEQ);
    case_end();

    case_begin("inflate/header-fextra-longer-than-file");
    mlen = build_member(m, plain, plain_len, 0x04, extra, 0, "", "", 0);
    m[10] = 0xff;
    m[11] = 0xff;
    CHECK_RC(gunzip_exact(m, mlen, len, NULL, &out_len), -EINVAL);
    case_end();

    case_begin("inflate/header-fname-unterminated");
    memcpy(m, plain, 10);
    m[3] = 0x08;
    memset(m + 10, 'n', 20);
    CHECK_RC(gunzip_exact(m, 30, len, NULL, &out_len), -EINVAL);
    case_end();

    /* Every single-bit flip in the fixed 10 bytes. */
    case_begin("inflate/header-bit-flips");
    for ( i = 0; i < 80; i++ )
    {
        unsigned int byte = i / 8, bit = i % 8;
        int rc;

        memcpy(m, plain, plain_len);
        m[byte] ^= 1u << bit;
        rc = gunzip_exact(m, plain_len, len, NULL, &out_len);
        if ( byte < 3 || (byte == 3 && bit >= 5) )
            CHECK_RC(rc, -EINVAL);          /* magic, method, reserved */
        else if ( byte == 3 && bit == 0 )
            CHECK_RC(rc, 0);                /* FTEXT is only a hint */
        else if ( byte == 3 )
        {
            if ( rc == 0 )
                CHECK_FAIL("flag bit %u accepted", bit);
        }
        else
            CHECK_RC(rc, 0);                /* MTIME, XFL, OS: ignored */
    }
    case_end();
    free(m);
}

static void test_gzip_trailer(const uint8_t *plain, size_t plain_len,
                              size_t len)
{
    uint8_t *m = malloc(plain_len + 1);
    size_t out_len, cut;
    uint32_t isize;
    int bad = 0;

    case_begin("inflate/trailer-crc-mismatch");
    memcpy(m, plain, plain_len);
    m[plain_len - 8] ^= 0x01;
    CHECK_RC(gunzip_exact(m, plain_len, len, NULL, &out_len), -EILSEQ);
    case_end();

    case_begin("inflate/trailer-isize-mismatch");
    memcpy(m, plain, plain_len);
    m[plain_len - 1] ^= 0x80;
    CHECK_RC(gunzip_exact(m, plain_len, len, NULL, &out_len), -EILSEQ);
    case_end();

    case_begin("inflate/trailing-garbage");
    memcpy(m, plain, plain_len);
    m[plain_len] = 0;
    CHECK_RC(gunzip_exact(m, plain_len + 1, len + 1, NULL, &out_len), -EINVAL);
    case_end();

    case_begin("inflate/truncated-at-every-byte");
    for ( cut = 0; cut < plain_len; cut++ )
    {
        int rc = gunzip_exact(plain, cut, len, NULL, &out_len);

        if ( rc != -EINVAL && bad++ < 3 )
            CHECK_FAIL("%zu of %zu bytes: rc %d", cut,
                      plain_len, rc);
        if ( cut < 18 )
            CHECK_RC(gzip_isize(plain, cut, &isize), -EINVAL);
    }
    case_end();

    case_begin("inflate/not-gzip");
    memcpy(m, plain, plain_len);
    m[0] = 'P';
    CHECK_RC(gzip_isize(m, plain_len, &isize), -EINVAL);
    CHECK_RC(gunzip_exact(m, plain_len, len, NULL, &out_len), -EINVAL);
    case_end();

    case_begin("inflate/no-memory");
    xmalloc_fail = 1;
    CHECK_RC(gunzip_exact(plain, plain_len, len, NULL, &out_len), -ENOMEM);
    xmalloc_fail = 0;
    case_end();
    free(m);
}

/* Every single-bit flip of the compressed data: an error, or exactly the
 * right output (a flip in the padding after the last block). */
static void test_data_bit_flips(const uint8_t *plain, size_t plain_len,
                                const uint8_t *data, size_t len)
{
    uint8_t *m = malloc(plain_len), *out;
    size_t bit, out_len, wrong = 0, accepted = 0;

    case_begin("inflate/data-bit-flips");
    for ( bit = 10 * 8; bit < (plain_len - 8) * 8; bit++ )
    {
        int rc;

        memcpy(m, plain, plain_len);
        m[bit / 8] ^= 1u << (bit % 8);
        rc = gunzip_exact(m, plain_len, len + 64, &out, &out_len);
        if ( rc == 0 )
        {
            accepted++;
            if ( out_len != len || memcmp(out, data, len) )
                wrong++;
        }
        else if ( rc != -EINVAL && rc != -EILSEQ && rc != -ENOSPC )
            CHECK_FAIL("bit %zu: rc %d", bit, rc);
        free(out);
    }
    CHECK_EQ(wrong, 0);
    CHECK(accepted < 8);        /* at most the last byte's padding bits */
    case_end();
    free(m);
}

/* The exact capacity works and nothing past it is touched. */
static void test_exact_capacity(const uint8_t *gz, size_t gz_len,
                                const uint8_t *data, size_t len)
{
    uint8_t *out = malloc(len + 64);
    size_t out_len, i;
    int rc;

    case_begin("inflate/exact-capacity-leaves-rest-alone");
    memset(out, 0xa5, len + 64);
    rc = gunzip(gz, gz_len, out, len, &out_len);
    CHECK_RC(rc, 0);
    CHECK(rc || !memcmp(out, data, len));
    for ( i = len; i < len + 64; i++ )
        if ( out[i] != 0xa5 )
        {
            CHECK_FAIL("byte %zu past the end written", i);
            break;
        }
    case_end();
    free(out);
}

static void test_small_file_corruptions(void)
{
    size_t len = 3000, gz_len;
    uint8_t *data = malloc(len), *gz;

    generate(IN_MIXED, data, len, 99);
    /* Repetitive enough for matches, small enough to flip every bit. */
    memcpy(data + 1500, data, 1500);
    gz = gzip_data("-n -9", "small", data, len, &gz_len);
    case_begin("inflate/small-file-compressed");
    CHECK(gz != NULL);
    case_end();
    if ( gz )
    {
        test_gzip_header(gz, gz_len, data, len);
        test_gzip_trailer(gz, gz_len, len);
        test_data_bit_flips(gz, gz_len, data, len);
        test_exact_capacity(gz, gz_len, data, len);
    }
    free(gz);
    free(data);
}

/* The kernel image, when the build has produced it: must match the ELF
 * the build decompressed with gzip. */
void test_inflate_kernel(const char *gz_path, const char *elf_path)
{
    uint8_t *gz, *elf, *out = NULL;
    size_t gz_len, elf_len, out_len;
    uint32_t isize;
    int rc;

    gz = read_whole_file(gz_path, &gz_len);
    elf = read_whole_file(elf_path, &elf_len);
    if ( !gz || !elf )
    {
        case_skip("inflate/kernel", "no kernel image built (build/boot)");
        free(gz);
        free(elf);
        return;
    }
    case_begin("inflate/kernel");
    CHECK_RC(gzip_isize(gz, gz_len, &isize), 0);
    CHECK_EQ(isize, (uint32_t)elf_len);
    out = malloc(elf_len);
    rc = gunzip(gz, gz_len, out, elf_len, &out_len);
    CHECK_RC(rc, 0);
    CHECK(rc || (out_len == elf_len && !memcmp(out, elf, elf_len)));
    case_end();
    free(out);
    free(gz);
    free(elf);
}

void test_inflate(void)
{
    test_crc32();
    test_stored_and_fixed();
    test_dynamic();
    test_codelen_stream();
    test_small_file_corruptions();
    test_round_trips();
}
