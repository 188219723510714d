/* Tests of xen/common/inflate.c on hand-made DEFLATE streams: stored,
 * fixed and dynamic blocks, code-length streams, and each corruption
 * class, written bit by bit with deflate_writer.  Buffers are malloc'd to
 * the exact size (raw_exact), so the sanitizer build catches overruns. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/inflate.h>
#include "check.h"
#include "deflate_writer.h"
#include "host.h"
#include "tests.h"

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


void test_inflate_streams(void)
{
    test_stored_and_fixed();
    test_dynamic();
    test_codelen_stream();
}
