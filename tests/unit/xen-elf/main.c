/* xen-elf-tests: the host tests of xen/common/inflate.c, unxz.c (with
 * lzma2.c, xz-bcj.c), bzimage.c and libelf.c.
 *
 * Usage: xen-elf-tests [-p PREFIX] [-f ELF_FIXTURE] [-s SECTIONS_FIXTURE]
 *                      [-b HOST_BINARY] [-k KERNEL.gz KERNEL_ELF]
 *                      [-z VMLINUZ [KERNEL_ELF|-]] [-n FUZZ_ITERATIONS]
 *                      [-r SEED]
 * Prints one PASS/FAIL/SKIP line per case; exits 1 if any case failed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "tests.h"

int main(int argc, char **argv)
{
    const char *fixture = NULL, *sections = NULL, *host_bin = "/bin/ls";
    const char *kernel_gz = NULL, *kernel = NULL;
    const char *vmlinuz = NULL, *vmlinuz_elf = NULL;
    unsigned long iterations = 20000;
    uint64_t seed = 1;
    int i;

    for ( i = 1; i < argc; i++ )
    {
        if ( !strcmp(argv[i], "-p") && i + 1 < argc )
            case_prefix = argv[++i];
        else if ( !strcmp(argv[i], "-f") && i + 1 < argc )
            fixture = argv[++i];
        else if ( !strcmp(argv[i], "-s") && i + 1 < argc )
            sections = argv[++i];
        else if ( !strcmp(argv[i], "-b") && i + 1 < argc )
            host_bin = argv[++i];
        else if ( !strcmp(argv[i], "-k") && i + 2 < argc )
        {
            kernel_gz = argv[++i];
            kernel = argv[++i];
        }
        else if ( !strcmp(argv[i], "-z") && i + 2 < argc )
        {
            vmlinuz = argv[++i];
            vmlinuz_elf = strcmp(argv[++i], "-") ? argv[i] : NULL;
        }
        else if ( !strcmp(argv[i], "-n") && i + 1 < argc )
            iterations = strtoul(argv[++i], NULL, 0);
        else if ( !strcmp(argv[i], "-r") && i + 1 < argc )
            seed = strtoull(argv[++i], NULL, 0);
        else
        {
            fprintf(stderr, "usage: see the top of main.c\n");
            return 2;
        }
    }

    test_inflate();
    if ( kernel_gz )
        test_inflate_kernel(kernel_gz, kernel);
    test_inflate_fuzz(iterations, seed);
    test_unxz();
    test_unxz_fuzz(iterations / 4, seed);
    test_bzimage(vmlinuz, vmlinuz_elf);
    test_elf(fixture, sections, host_bin);
    test_elf_fuzz(fixture, iterations, seed);
    return cases_failed() ? 1 : 0;
}
