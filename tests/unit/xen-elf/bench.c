/* inflate-bench: times gunzip() (xen/common/inflate.c) on a gzip file and
 * prints the output rate.  Usage: inflate-bench FILE.gz [REPEATS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xen/inflate.h>
#include "host.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int repeats = argc > 2 ? atoi(argv[2]) : 3, i, rc = 0;
    double best = 1e9;
    uint8_t *gz, *out;
    size_t gz_len, out_len = 0;
    uint32_t isize;

    if ( argc < 2 || repeats < 1 )
    {
        fprintf(stderr, "usage: %s FILE.gz [REPEATS]\n", argv[0]);
        return 2;
    }
    gz = read_whole_file(argv[1], &gz_len);
    if ( !gz || gzip_isize(gz, gz_len, &isize) )
    {
        fprintf(stderr, "%s: not a readable gzip file\n", argv[1]);
        return 1;
    }
    out = malloc(isize ? isize : 1);
    for ( i = 0; i < repeats && rc == 0; i++ )
    {
        double t = now();

        rc = gunzip(gz, gz_len, out, isize, &out_len);
        t = now() - t;
        if ( t < best )
            best = t;
    }
    if ( rc )
    {
        fprintf(stderr, "gunzip failed: %d\n", rc);
        return 1;
    }
    printf("inflate: %zu -> %zu bytes, best of %d: %.3f s, %.1f MB/s out, "
           "%.1f MB/s in\n", gz_len, out_len, repeats, best,
           out_len / best / 1e6, gz_len / best / 1e6);
    free(gz);
    free(out);
    return 0;
}
