/* File, scratch-directory, gzip, random-number and reference-CRC helpers
 * for the xen-elf tests (see host.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "host.h"

uint8_t *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size;

    if ( !f )
        return NULL;
    if ( fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
         fseek(f, 0, SEEK_SET) == 0 )
    {
        buf = malloc(size ? size : 1);
        if ( buf && fread(buf, 1, size, f) != (size_t)size )
        {
            free(buf);
            buf = NULL;
        }
        *len = size;
    }
    fclose(f);
    return buf;
}

int write_whole_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if ( !f )
        return -1;
    ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static char scratch[64];

static void remove_scratch(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    if ( system(cmd) != 0 )
        fprintf(stderr, "could not remove %s\n", scratch);
}

const char *scratch_dir(void)
{
    if ( !scratch[0] )
    {
        snprintf(scratch, sizeof(scratch), "/tmp/xen-elf-test.XXXXXX");
        if ( !mkdtemp(scratch) )
        {
            perror("mkdtemp");
            exit(2);
        }
        atexit(remove_scratch);
    }
    return scratch;
}

void rng_seed(struct rng *r, uint64_t seed)
{
    r->s = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
    return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

uint32_t ref_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    int bit;

    crc = ~crc;
    while ( len-- )
    {
        crc ^= *p++;
        for ( bit = 0; bit < 8; bit++ )
            crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    return ~crc;
}

/* See host.h. */
uint8_t *tool_data(const char *tool, const char *opts, const char *name,
                   const void *data, size_t len, size_t *out_len)
{
    char path[256], cmd[800];
    uint8_t *out;

    snprintf(path, sizeof(path), "%s/%s", scratch_dir(), name);
    if ( write_whole_file(path, data, len) )
        return NULL;
    snprintf(cmd, sizeof(cmd), "%s %s -c '%s' > '%s.out'", tool, opts, path,
             path);
    if ( system(cmd) != 0 )
        return NULL;
    snprintf(cmd, sizeof(cmd), "%s.out", path);
    out = read_whole_file(cmd, out_len);
    remove(path);
    remove(cmd);
    return out;
}

/* See host.h. */
uint8_t *gzip_data(const char *opts, const char *name, const void *data,
                   size_t len, size_t *gz_len)
{
    return tool_data("gzip", opts, name, data, len, gz_len);
}

/* See host.h. */
double bench_best(int repeats, int (*run)(void *ctx), void *ctx, int *rc)
{
    double best = 1e9;
    struct timespec a, b;

    *rc = 0;
    for ( int i = 0; i < repeats && *rc == 0; i++ )
    {
        double t;

        clock_gettime(CLOCK_MONOTONIC, &a);
        *rc = run(ctx);
        clock_gettime(CLOCK_MONOTONIC, &b);
        t = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
        if ( t < best )
            best = t;
    }
    return best;
}
