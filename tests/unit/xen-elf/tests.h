/* The test groups of the xen-elf test programs. */
#ifndef XEN_ELF_TESTS_H
#define XEN_ELF_TESTS_H

#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* test_inflate.c */
void test_inflate(void);
void test_inflate_kernel(const char *gz_path, const char *elf_path);
/* test_fuzz.c: 'iterations' random mutations of each seed input. */
void test_inflate_fuzz(unsigned long iterations, uint64_t seed);
void test_elf_fuzz(const char *fixture, unsigned long iterations,
                   uint64_t seed);
/* test_elf.c */
void test_elf(const char *fixture, const char *sections_fixture,
              const char *host_binary);
/* test_elf_notes.c */
void test_elf_notes(void);

#endif
