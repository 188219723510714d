/* The TLB-flush clock's reading side (asm/flushtlb.h explains the clock
 * and ticks it); no CR3 access, so generic code may include it through
 * xen/arch-hooks.h. */
#ifndef X86_TLBCLOCK_H
#define X86_TLBCLOCK_H

#include <xen/types.h>
#include <asm/config.h>

extern uint64_t tlbflush_clock;
extern uint64_t tlbflush_time[NR_CPUS];

/* A CPU's tlbflush_time while it runs on the idle page tables (which map
 * no guest memory, and guest entries are never global): it caches no guest
 * translation, so no stamp is newer than its "flush".  Balloons and frees
 * used to send an IPI to an idle CPU for every batch, under TCG a wake-up
 * of its host thread (asm/flushtlb.h, write_cr3_idle). */
#define TLBFLUSH_TIME_IDLE  (~0UL)

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
