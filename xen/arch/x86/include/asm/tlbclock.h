/* The TLB-flush clock's reading side (asm/flushtlb.h explains the clock
 * and ticks it); no CR3 access, so generic code may include it through
 * xen/arch-hooks.h. */
#ifndef X86_TLBCLOCK_H
#define X86_TLBCLOCK_H

#include <xen/types.h>
#include <asm/config.h>

extern uint64_t tlbflush_clock;
extern uint64_t tlbflush_time[NR_CPUS];

static inline uint64_t tlbflush_now(void)
{
    return __atomic_load_n(&tlbflush_clock, __ATOMIC_SEQ_CST);
}

/* The CPUs of mask that may still cache a translation removed at 'stamp'. */
static inline uint64_t tlbflush_filter(uint64_t mask, uint64_t stamp)
{
    uint64_t out = 0;

    for ( unsigned int cpu = 0; cpu < NR_CPUS && mask >> cpu; cpu++ )
        if ( (mask & (1UL << cpu)) &&
             __atomic_load_n(&tlbflush_time[cpu], __ATOMIC_ACQUIRE) <= stamp )
            out |= 1UL << cpu;
    return out;
}

#endif /* X86_TLBCLOCK_H */
