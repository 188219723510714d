/* Helpers shared by the xen-elf tests (util.c).  printk and xmalloc are
 * the shared harness's shims (tests/unit/harness/shim). */
#ifndef XEN_ELF_HOST_H
#define XEN_ELF_HOST_H

#include <stddef.h>
#include <stdint.h>

/* Non-zero: xmalloc_bytes() returns NULL (shim/xmalloc.c). */
extern int xmalloc_fail;

/* A whole file in a malloc'd buffer of exactly its size (at least 1 byte
 * is allocated).  NULL if it cannot be read. */
uint8_t *read_whole_file(const char *path, size_t *len);
int write_whole_file(const char *path, const void *data, size_t len);
/* A private directory for scratch files, removed at exit. */
const char *scratch_dir(void);
/* data through the host's `TOOL <opts> -c` (via a scratch file called
 * name); malloc'd, NULL on failure. */
uint8_t *tool_data(const char *tool, const char *opts, const char *name,
                   const void *data, size_t len, size_t *out_len);
/* data compressed by the host's `gzip <opts>` (via a scratch file called
 * name); malloc'd, NULL on failure. */
uint8_t *gzip_data(const char *opts, const char *name, const void *data,
                   size_t len, size_t *gz_len);

/* Seeded xorshift64* generator: runs repeat exactly. */
struct rng { uint64_t s; };
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t n);

/* The benchmarks' timing: run(ctx) up to repeats times, stopping at the
 * first non-zero status (left in *rc); the least wall time of one run in
 * seconds (CLOCK_MONOTONIC), 1e9 if none ran. */
double bench_best(int repeats, int (*run)(void *ctx), void *ctx, int *rc);

/* A reference CRC-32 written bit by bit, independent of inflate.c's. */
uint32_t ref_crc32(uint32_t crc, const void *data, size_t len);

#endif
