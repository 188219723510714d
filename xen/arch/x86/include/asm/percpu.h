/* Per-CPU state.
 *
 * Each CPU owns one STACK_SIZE-aligned stack block:
 *
 *   page 0      guard (unmapped)
 *   page 1      IST stack for #DF
 *   page 2      guard (unmapped)
 *   page 3      IST stack for NMI
 *   page 4      guard (unmapped)
 *   page 5      IST stack for #MC
 *   page 6      guard (unmapped)
 *   pages 7..   the normal hypervisor stack, struct cpu_info at its top
 *
 * so get_cpu_info() works from any stack of the CPU (IST ones included) by
 * rounding RSP up, with no GS-base juggling on entry from a guest.  Every
 * stack has an unmapped page below it (arch/x86/stack-guard.c): running
 * off the bottom is a #PF that cannot be delivered on the same stack, so a
 * #DF on its own IST stack, which reports the overflow and panics, instead
 * of silently writing over the next stack down.
 * Plain per-CPU variables are arrays indexed by CPU number. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <asm/config.h>

#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3

/* Page index in the stack block of each IST stack (it grows down from the
 * top of that page) and of the primary stack's lowest page. */
#define STACK_PAGE_IST(ist)   (2 * (ist) - 1)
#define STACK_PAGE_PRIMARY    7
#define STACK_GUARD_PAGES     4     /* pages 0, 2, 4, 6 */

#ifndef __ASSEMBLY__
#include <asm/percpu-common.h>

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ ("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
                               sizeof(struct cpu_info));
}

/* The stack block of each CPU (cpu 0's is static in setup.c). */
extern void *cpu_stack_block[NR_CPUS];

/* Unmap the guard pages of cpu's stack block (stack-guard.c).  The block
 * must be set up (zeroed) before: nothing may touch the guards after. */
void stack_guards_install(unsigned int cpu);
/* For a #DF: if the interrupted RSP ran into a guard page of this CPU's
 * block, print "stack overflow on CPU n" and return true. */
struct cpu_regs;
bool stack_overflow_report(const struct cpu_regs *r);
#endif

#endif /* X86_PERCPU_H */
