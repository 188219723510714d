/* The test groups of the xen-elf test programs. */
#ifndef XEN_ELF_TESTS_H
#define XEN_ELF_TESTS_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* test_inflate.c */
void test_inflate(void);
void test_inflate_kernel(const char *gz_path, const char *elf_path);
/* Decode raw DEFLATE from exactly-sized copies of its buffers; copies
 * the output to copy_out when given.  inflate_raw's return value. */
int raw_exact(const uint8_t *def, size_t len, size_t out_cap,
              uint8_t *copy_out, size_t *out_len, size_t *used);
/* test_inflate_streams.c */
void test_inflate_streams(void);
/* test_fuzz.c: 'iterations' random mutations of each seed input. */
struct rng;
/* Flip bits, overwrite bytes, cut, insert or splice in buf[0..len) (room
 * for cap); returns the new length. */
size_t fuzz_mutate(struct rng *r, uint8_t *buf, size_t len, size_t cap);
void test_inflate_fuzz(unsigned long iterations, uint64_t seed);
void test_elf_fuzz(const char *fixture, unsigned long iterations,
                   uint64_t seed);
/* test_unxz.c */
void test_unxz(void);
void test_unxz_fuzz(unsigned long iterations, uint64_t seed);
/* unxz with exactly-sized copies of its buffers; *outp (if given) gets
 * the output buffer, which the caller frees. */
int unxz_exact(const uint8_t *xz, size_t len, size_t out_cap,
               uint8_t **outp, size_t *out_len);
/* data compressed by the host's `xz --format=xz <opts>`; malloc'd. */
uint8_t *xz_data(const char *opts, const void *data, size_t len,
                 size_t *xz_len);
/* test_bzimage.c: synthetic bzImages, and VMLINUZ (with the ELF the build
 * extracted from it, ELF may be NULL) when given. */
void test_bzimage(const char *vmlinuz, const char *elf);
/* test_elf.c */
void test_elf(const char *fixture, const char *sections_fixture,
              const char *host_binary);
/* test_elf_notes.c */
void test_elf_notes(void);

#endif
