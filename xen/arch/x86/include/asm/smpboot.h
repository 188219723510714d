/* Secondary CPU start-up (arch/x86/smpboot.c, boot/trampoline.S). */
#ifndef X86_SMPBOOT_H
#define X86_SMPBOOT_H

/* Physical page the APs start in (below 1 MiB, outside the heap). */
#define TRAMPOLINE_PA 0x8000

#ifndef __ASSEMBLY__
#include <xen/types.h>

struct trampoline_params {
    uint32_t cr3, cr4, efer, cpu;
    uint64_t stack, entry;
};

void smp_boot_cpus(void);
#endif

#endif /* X86_SMPBOOT_H */
