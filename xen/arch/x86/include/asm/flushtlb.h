/*
 * The TLB-flush clock: knowing which CPUs still need a flush.
 *
 * Each full local TLB flush (any CR3 write) ticks a global clock and
 * records the tick as that CPU's last flush time.  When the last mapping
 * of a frame goes away, the frame is stamped with the clock.  A CPU whose
 * last flush is later than a frame's stamp cannot hold a stale entry for
 * it, so a flush "for that frame" only needs to reach the others.  Guests
 * switch CR3 on every user/kernel transition, so most remote flushes a
 * page-type change would need turn out to be unnecessary.
 */
#ifndef X86_FLUSHTLB_H
#define X86_FLUSHTLB_H

#include <xen/types.h>
#include <asm/config.h>
#include <asm/percpu.h>
#include <asm/processor.h>

extern uint64_t tlbflush_clock;
extern uint64_t tlbflush_time[NR_CPUS];

static inline uint64_t tlbflush_now(void)
{
    return __atomic_load_n(&tlbflush_clock, __ATOMIC_SEQ_CST);
}

/* Load CR3 (which flushes all non-global entries) and record it. */
static inline void write_cr3_flush(unsigned long cr3)
{
    uint64_t t = __atomic_add_fetch(&tlbflush_clock, 1, __ATOMIC_SEQ_CST);

    write_cr3(cr3);
    __atomic_store_n(&tlbflush_time[smp_processor_id()], t, __ATOMIC_RELEASE);
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

#endif /* X86_FLUSHTLB_H */
