/* Tests of xen/common/inflate.c: round trips against Debian's gzip and
 * the gzip header and trailer checks (hand-made DEFLATE streams for each
 * block type and corruption class are in test_inflate_streams.c).
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

int raw_exact(const uint8_t *def, size_t len, size_t out_cap,
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
    test_inflate_streams();
    test_small_file_corruptions();
    test_round_trips();
}
