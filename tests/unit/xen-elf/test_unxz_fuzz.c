/* A seeded, bounded fuzz loop over unxz: random mutations of valid .xz
 * files (LZMA2 alone and with x86 BCJ, CRC32 and CRC64, one block and
 * several) must give an error or the right number of bytes within the
 * buffer, never a crash, a hang or an access outside the buffers (the
 * sanitizer build checks the last: every buffer is malloc'd to exactly the
 * size passed in).  An unmutated file must still decode to its data. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/unxz.h>
#include "check.h"
#include "host.h"
#include "tests.h"

#define FUZZ_DATA 6000

void test_unxz_fuzz(unsigned long iterations, uint64_t seed)
{
    static const char *const opts[] = {
        "--check=crc32 --x86 --lzma2=preset=6",
        "--check=crc64 --lzma2=preset=0",
        "--check=none --block-size=1500",
        "--check=crc32 -T2 --block-size=2000 --x86 --lzma2=preset=6",
        "--check=crc32 --lzma2=lc=0,lp=4,pb=4",
    };
    uint8_t *xz[ARRAY_LEN(opts)], data[FUZZ_DATA];
    size_t xz_len[ARRAY_LEN(opts)];
    unsigned long i, ok = 0, errors[5] = { 0 };
    struct rng r;

    case_begin("unxz/fuzz-%lu-seed-%llu", iterations,
               (unsigned long long)seed);
    rng_seed(&r, seed);
    /* Code-ish material: text, E8/E9 opcodes with near operands, runs. */
    for ( size_t j = 0; j < FUZZ_DATA; j++ )
        data[j] = j % 97 < 40 ? "call jmp \n"[rng_below(&r, 10)]
                 : j % 97 < 70 ? (uint8_t[]){ 0xe8, 0xe9, 0, 0xff }[rng_below(&r, 4)]
                 : (uint8_t)rng_next(&r);
    for ( unsigned int k = 0; k < ARRAY_LEN(opts); k++ )
    {
        xz[k] = xz_data(opts[k], data, FUZZ_DATA, &xz_len[k]);
        if ( !xz[k] )
        {
            CHECK_FAIL("xz %s failed", opts[k]);
            case_end();
            return;
        }
    }

    for ( i = 0; i < iterations; i++ )
    {
        unsigned int k = rng_below(&r, ARRAY_LEN(opts));
        size_t cap_in = xz_len[k] + 8, len, out_cap, out_len;
        uint8_t *buf = malloc(cap_in), *in, *out;
        int rc;

        memcpy(buf, xz[k], xz_len[k]);
        len = i % 64 ? fuzz_mutate(&r, buf, xz_len[k], cap_in) : xz_len[k];
        in = malloc(len ? len : 1);
        memcpy(in, buf, len);
        out_cap = rng_below(&r, 4) ? FUZZ_DATA + 100
                                   : rng_below(&r, FUZZ_DATA + 100);
        out = malloc(out_cap ? out_cap : 1);

        rc = unxz(in, len, out, out_cap, &out_len);
        if ( rc == 0 )
        {
            ok++;
            if ( out_len > out_cap )
                CHECK_FAIL("iteration %lu: %zu bytes out of %zu", i,
                           out_len, out_cap);
            if ( len == xz_len[k] && !memcmp(in, xz[k], len) &&
                 (out_len != FUZZ_DATA || memcmp(out, data, FUZZ_DATA)) )
                CHECK_FAIL("iteration %lu: unmutated file decoded wrong", i);
        }
        else if ( rc == -EINVAL )
            errors[0]++;
        else if ( rc == -EILSEQ )
            errors[1]++;
        else if ( rc == -ENOSPC )
            errors[2]++;
        else if ( rc == -EOPNOTSUPP )
            errors[3]++;
        else
            CHECK_FAIL("iteration %lu: unexpected rc %d", i, rc);
        free(buf);
        free(in);
        free(out);
    }
    printf("  info: unxz fuzz: %lu decoded, %lu EINVAL, %lu EILSEQ, "
           "%lu ENOSPC, %lu EOPNOTSUPP\n", ok, errors[0], errors[1],
           errors[2], errors[3]);
    CHECK(ok > 0);
    CHECK(errors[0] > 0 && errors[1] > 0);
    for ( unsigned int k = 0; k < ARRAY_LEN(opts); k++ )
        free(xz[k]);
    case_end();
}
