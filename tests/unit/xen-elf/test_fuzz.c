/* Seeded, bounded fuzz loops over inflate.c and libelf.c: random mutations
 * of valid inputs must give an error or a correct result, never a crash,
 * a hang or an access outside the buffers (the sanitizer build checks the
 * last: every buffer is malloc'd to exactly the size passed in). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/libelf.h>
#include <xen/inflate.h>
#include "check.h"
#include "host.h"
#include "tests.h"

struct sample {
    uint8_t *data;
    size_t len;
};

/* Flip bits, overwrite bytes, cut, or splice; returns the new length. */
size_t fuzz_mutate(struct rng *r, uint8_t *buf, size_t len, size_t cap)
{
    unsigned int n = 1 + rng_below(r, 3);

    while ( n-- && len )
    {
        size_t at = rng_below(r, len);

        switch ( rng_below(r, 6) )
        {
        case 0: case 1:
            buf[at] ^= 1u << rng_below(r, 8);
            break;
        case 2:
            buf[at] = rng_next(r);
            break;
        case 3:
            len = at;                       /* truncate */
            break;
        case 4:
            if ( len < cap )                /* insert a byte */
            {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = rng_next(r);
                len++;
            }
            break;
        default:
        {
            size_t from = rng_below(r, len), span = rng_below(r, 16);

            if ( span > len - at )
                span = len - at;
            if ( span > len - from )
                span = len - from;
            memmove(buf + at, buf + from, span);
            break;
        }
        }
    }
    return len;
}

void test_inflate_fuzz(unsigned long iterations, uint64_t seed)
{
    static const struct { const char *opts; unsigned int kind; size_t len; }
    seeds[] = {
        { "-n -9", 0, 3000 }, { "-n -1", 1, 6000 }, { "-n -6", 2, 400 },
        { "-n -9", 3, 9000 }, { "-N -6", 0, 1 },
    };
    struct sample gz[ARRAY_LEN(seeds)];
    unsigned long i, ok = 0, errors = 0;
    unsigned int k;
    struct rng r;

    case_begin("inflate/fuzz-%lu-seed-%llu", iterations,
               (unsigned long long)seed);
    rng_seed(&r, seed);
    for ( k = 0; k < ARRAY_LEN(seeds); k++ )
    {
        uint8_t *d = malloc(seeds[k].len);
        size_t j;

        /* text-ish, random, repetitive or zero-heavy material */
        for ( j = 0; j < seeds[k].len; j++ )
            switch ( seeds[k].kind )
            {
            case 0: d[j] = "abcdefgh  \n"[rng_below(&r, 11)]; break;
            case 1: d[j] = rng_next(&r); break;
            case 2:
                d[j] = j % 7 ? (uint8_t)(d[j - 1] + 1) : (uint8_t)rng_next(&r);
                break;
            default: d[j] = rng_below(&r, 10) ? 0 : rng_next(&r); break;
            }
        gz[k].data = gzip_data(seeds[k].opts, "fuzz-seed", d, seeds[k].len, &gz[k].len);
        free(d);
        if ( !gz[k].data )
        {
            CHECK_FAIL("gzip failed");
            case_end();
            return;
        }
    }

    for ( i = 0; i < iterations; i++ )
    {
        const struct sample *s = &gz[rng_below(&r, ARRAY_LEN(seeds))];
        size_t cap_in = s->len + 8, len, out_cap, out_len, used;
        uint8_t *buf = malloc(cap_in), *in, *out;
        int rc;

        memcpy(buf, s->data, s->len);
        len = fuzz_mutate(&r, buf, s->len, cap_in);
        in = malloc(len ? len : 1);
        memcpy(in, buf, len);
        out_cap = rng_below(&r, 4) ? 12000 : rng_below(&r, 12000);
        out = malloc(out_cap ? out_cap : 1);

        rc = gunzip(in, len, out, out_cap, &out_len);
        if ( rc == 0 )
        {
            ok++;
            if ( out_len > out_cap ||
                 crc32(0, out, out_len) !=
                 (uint32_t)(in[len - 8] | in[len - 7] << 8 |
                            in[len - 6] << 16 | (uint32_t)in[len - 5] << 24) )
                CHECK_FAIL("iteration %lu: bad success", i);
        }
        else if ( rc != -EINVAL && rc != -EILSEQ && rc != -ENOSPC )
            CHECK_FAIL("iteration %lu: rc %d", i, rc);
        else
            errors++;

        /* The same bytes as a raw stream, from a random start. */
        if ( len )
        {
            size_t start = rng_below(&r, len < 24 ? len : 24);

            rc = inflate_raw(in + start, len - start, out, out_cap, &out_len,
                             &used);
            if ( rc == 0 && (out_len > out_cap || used > len - start) )
                CHECK_FAIL("iteration %lu: raw sizes", i);
            else if ( rc && rc != -EINVAL && rc != -ENOSPC )
                CHECK_FAIL("iteration %lu: raw rc %d", i,
                          rc);
        }
        free(in);
        free(out);
        free(buf);
    }
    printf("  info: inflate fuzz: %lu decoded, %lu rejected\n", ok, errors);
    CHECK(errors > iterations / 2);     /* the mutations did bite */
    case_end();
    for ( k = 0; k < ARRAY_LEN(seeds); k++ )
        free(gz[k].data);
}

/* ---- ELF ---------------------------------------------------------------- */

struct load_check {
    const uint8_t *img;
    size_t len;
    int bad;
};

static int fuzz_copy(void *ctx, uint64_t dest, const void *src, size_t len)
{
    struct load_check *lc = ctx;
    const uint8_t *s = src;

    (void)dest;
    if ( s < lc->img || len > lc->len ||
         (size_t)(s - lc->img) > lc->len - len )
        lc->bad = 1;
    return 0;
}

static int fuzz_zero(void *ctx, uint64_t dest, size_t len)
{
    (void)ctx;
    (void)dest;
    (void)len;
    return 0;
}

static int count_note(void *ctx, const struct elf_note *n)
{
    const struct load_check *lc = ctx;
    const uint8_t *d = n->desc;
    volatile uint8_t sum = 0;
    uint32_t i;

    if ( n->descsz && (d < lc->img || (size_t)(d - lc->img) > lc->len ||
                       n->descsz > lc->len - (size_t)(d - lc->img)) )
        return -ERANGE;
    /* Touch every name and descriptor byte: the sanitizer sees overruns. */
    for ( i = 0; i < n->descsz; i++ )
        sum += d[i];
    for ( i = 0; i < n->namesz; i++ )
        sum += n->name[i];
    return 0;
}

void test_elf_fuzz(const char *fixture, unsigned long iterations,
                   uint64_t seed)
{
    unsigned long i, accepted = 0;
    uint8_t *orig;
    size_t orig_len;
    struct rng r;

    if ( !fixture || !(orig = read_whole_file(fixture, &orig_len)) )
    {
        case_skip("elf/fuzz", "no fixture given");
        return;
    }
    case_begin("elf/fuzz-%lu-seed-%llu", iterations, (unsigned long long)seed);
    rng_seed(&r, seed);
    for ( i = 0; i < iterations; i++ )
    {
        uint8_t *img = malloc(orig_len + 8);
        struct elf_image ei;
        struct elf_xen_notes xn;
        struct load_check lc;
        size_t len = orig_len;
        unsigned int n = 1 + rng_below(&r, 4);
        int rc;

        memcpy(img, orig, orig_len);
        /* Mostly the headers and notes, where the parsing happens. */
        while ( n-- )
        {
            size_t at = rng_below(&r, 8) ? rng_below(&r, 512)
                                         : rng_below(&r, len);

            if ( at >= len )
                continue;
            if ( rng_below(&r, 2) )
                img[at] ^= 1u << rng_below(&r, 8);
            else
                img[at] = rng_below(&r, 3) ? rng_next(&r) : 0xff;
        }
        if ( rng_below(&r, 8) == 0 )
            len = rng_below(&r, orig_len);
        {
            uint8_t *exact = malloc(len ? len : 1);

            memcpy(exact, img, len);
            free(img);
            img = exact;
        }
        lc.img = img;
        lc.len = len;
        lc.bad = 0;
        rc = elf_init(&ei, img, len);
        if ( rc == 0 )
        {
            accepted++;
            if ( ei.pend < ei.pstart )
                CHECK_FAIL("iteration %lu: range", i);
            elf_xen_notes(&ei, &xn);
            if ( elf_xen_parse(&ei, &xn) == 0 &&
                 (xn.entry < xn.virt_kstart || xn.entry >= xn.virt_kend) )
                case_fail(__FILE__, __LINE__, "iteration %lu: entry", i);
            elf_for_each_note(&ei, count_note, &lc, NULL);
            elf_load(&ei, 0xffffffff80000000ull, fuzz_copy, fuzz_zero, &lc);
            if ( lc.bad )
                CHECK_FAIL("iteration %lu: copy source "
                          "outside the image", i);
        }
        else if ( !ei.err )
            CHECK_FAIL("iteration %lu: rc %d, no reason",
                      i, rc);
        free(img);
    }
    printf("  info: elf fuzz: %lu of %lu mutated images accepted\n",
           accepted, iterations);
    case_end();
    free(orig);
}
