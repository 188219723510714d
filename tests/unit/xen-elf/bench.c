/* inflate-bench: times gunzip() (xen/common/inflate.c) on a gzip file and
 * prints the output rate.  Usage: inflate-bench FILE.gz [REPEATS] */
#include <stdio.h>
#include <stdlib.h>
#include <xen/inflate.h>
#include "host.h"

struct job {
    const uint8_t *gz;
    size_t gz_len, out_len;
    uint8_t *out;
    uint32_t isize;
};

static int run_gunzip(void *ctx)
{
    struct job *j = ctx;

    return gunzip(j->gz, j->gz_len, j->out, j->isize, &j->out_len);
}

int main(int argc, char **argv)
{
    int repeats = argc > 2 ? atoi(argv[2]) : 3, rc;
    struct job j = { .out_len = 0 };
    uint8_t *gz;
    double best;

    if ( argc < 2 || repeats < 1 )
    {
        fprintf(stderr, "usage: %s FILE.gz [REPEATS]\n", argv[0]);
        return 2;
    }
    gz = read_whole_file(argv[1], &j.gz_len);
    if ( !gz || gzip_isize(gz, j.gz_len, &j.isize) )
    {
        fprintf(stderr, "%s: not a readable gzip file\n", argv[1]);
        return 1;
    }
    j.gz = gz;
    j.out = malloc(j.isize ? j.isize : 1);
    best = bench_best(repeats, run_gunzip, &j, &rc);
    if ( rc )
    {
        fprintf(stderr, "gunzip failed: %d\n", rc);
        return 1;
    }
    printf("inflate: %zu -> %zu bytes, best of %d: %.3f s, %.1f MB/s out, "
           "%.1f MB/s in\n", j.gz_len, j.out_len, repeats, best,
           j.out_len / best / 1e6, j.gz_len / best / 1e6);
    free(gz);
    free(j.out);
    return 0;
}
