/* unxz-bench: times the hypervisor's .xz decoder (xen/common/unxz.c) on
 * a bzImage's xz payload, through bzimage.c as the dom0 builder does, and
 * prints the output rate.  Usage: unxz-bench VMLINUZ [REPEATS] */
#include <stdio.h>
#include <stdlib.h>
#include <xen/bzimage.h>
#include "host.h"

struct job {
    struct bzimage_payload pl;
    uint8_t *out;
    size_t out_len;
};

static int run_decode(void *ctx)
{
    struct job *j = ctx;

    return bzimage_decode(&j->pl, j->out, j->pl.size, &j->out_len);
}

int main(int argc, char **argv)
{
    int repeats = argc > 2 ? atoi(argv[2]) : 3, rc;
    struct job j = { .out_len = 0 };
    const char *why = "";
    uint8_t *img;
    size_t len;
    double best;

    if ( argc < 2 || repeats < 1 )
    {
        fprintf(stderr, "usage: %s VMLINUZ [REPEATS]\n", argv[0]);
        return 2;
    }
    img = read_whole_file(argv[1], &len);
    if ( !img || bzimage_payload(img, len, &j.pl, &why) )
    {
        fprintf(stderr, "%s: not a usable bzImage: %s\n", argv[1], why);
        return 1;
    }
    j.out = malloc(j.pl.size);
    best = bench_best(repeats, run_decode, &j, &rc);
    if ( rc )
    {
        fprintf(stderr, "decode failed: %d\n", rc);
        return 1;
    }
    printf("unxz:    %zu -> %zu bytes (%s payload), best of %d: %.3f s, "
           "%.1f MB/s out, %.1f MB/s in\n", j.pl.len, j.out_len,
           bzimage_format_name(j.pl.format), repeats, best,
           j.out_len / best / 1e6, j.pl.len / best / 1e6);
    free(img);
    free(j.out);
    return 0;
}
