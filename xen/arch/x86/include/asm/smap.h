/*
 * SMEP and SMAP (arch/x86/smap.c): ring 0 may not execute, or (outside a
 * stac/clac window) read or write, pages a guest could map as user pages.
 * PV guests run in ring 3, so every guest page is a user page.
 *
 * Every hypervisor access to memory through a guest virtual address goes
 * through guest_access.c, which opens the window around the copy alone.
 * The entry paths clear RFLAGS.AC (a guest may set it in ring 3 and it
 * survives an interrupt gate), SYSCALL clears it through SFMASK.
 */
#ifndef X86_SMAP_H
#define X86_SMAP_H

#include <xen/types.h>

#define X86_CR4_SMEP  (1UL << 20)
#define X86_CR4_SMAP  (1UL << 21)

/* Set once on the boot CPU; every CPU then enables the same. */
extern bool smep_enabled, smap_enabled;

/* Per CPU, from cpu_init_percpu(); the boot CPU decides and logs. */
void cpu_init_smep_smap(unsigned int cpu);

/* Allow / forbid supervisor access to user pages (no-ops without SMAP,
 * where the instructions do not exist). */
static inline void stac(void)
{
    if ( smap_enabled )
        __asm__ __volatile__("stac" ::: "memory");
}

static inline void clac(void)
{
    if ( smap_enabled )
        __asm__ __volatile__("clac" ::: "memory");
}

#endif /* X86_SMAP_H */
