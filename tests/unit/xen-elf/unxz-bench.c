/* unxz-bench: times the hypervisor's .xz decoder (xen/common/unxz.c) on
 * a bzImage's xz payload, through bzimage.c as the dom0 builder does, and
 * prints the output rate.  Usage: unxz-bench VMLINUZ [REPEATS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <xen/bzimage.h>
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
    struct bzimage_payload pl;
    const char *why = "";
    double best = 1e9;
    uint8_t *img, *out;
    size_t len, out_len = 0;

    if ( argc < 2 || repeats < 1 )
    {
        fprintf(stderr, "usage: %s VMLINUZ [REPEATS]\n", argv[0]);
        return 2;
    }
    img = read_whole_file(argv[1], &len);
    if ( !img || bzimage_payload(img, len, &pl, &why) )
    {
        fprintf(stderr, "%s: not a usable bzImage: %s\n", argv[1], why);
        return 1;
    }
    out = malloc(pl.size);
    for ( i = 0; i < repeats && rc == 0; i++ )
    {
        double t = now();

        rc = bzimage_decode(&pl, out, pl.size, &out_len);
        t = now() - t;
        if ( t < best )
            best = t;
    }
    if ( rc )
    {
        fprintf(stderr, "decode failed: %d\n", rc);
        return 1;
    }
    printf("unxz:    %zu -> %zu bytes (%s payload), best of %d: %.3f s, "
           "%.1f MB/s out, %.1f MB/s in\n", pl.len, out_len,
           bzimage_format_name(pl.format), repeats, best,
           out_len / best / 1e6, pl.len / best / 1e6);
    free(img);
    free(out);
    return 0;
}
