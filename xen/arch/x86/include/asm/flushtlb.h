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
/* The clock itself (tlbflush_now, tlbflush_filter), which generic code
 * reads through xen/arch-hooks.h, is in asm/tlbclock.h. */
#ifndef X86_FLUSHTLB_H
#define X86_FLUSHTLB_H

#include <xen/types.h>
#include <asm/config.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/tlbclock.h>

/* Load CR3 (which flushes all non-global entries) and record it. */
static inline void write_cr3_flush(unsigned long cr3)
{
    unsigned int cpu = smp_processor_id();
    uint64_t t = __atomic_add_fetch(&tlbflush_clock, 1, __ATOMIC_SEQ_CST);

    /* Leaving the idle tables: until now nothing was cached, from the CR3
     * load on anything may be, so "flushed at t" must be visible before
     * the load (a stamp older than t names a mapping removed before this
     * CPU could walk it; a newer one still finds this CPU stale). */
    if ( __atomic_load_n(&tlbflush_time[cpu], __ATOMIC_RELAXED) ==
         TLBFLUSH_TIME_IDLE )
        __atomic_store_n(&tlbflush_time[cpu], t, __ATOMIC_SEQ_CST);
    write_cr3(cr3);
    __atomic_store_n(&tlbflush_time[cpu], t, __ATOMIC_RELEASE);
}

/* Load the idle page tables: no guest translation is cached from here
 * until the next write_cr3_flush, which every guest CR3 load is. */
static inline void write_cr3_idle(unsigned long cr3)
{
    write_cr3_flush(cr3);
    __atomic_store_n(&tlbflush_time[smp_processor_id()], TLBFLUSH_TIME_IDLE,
                     __ATOMIC_RELEASE);
}

#endif /* X86_FLUSHTLB_H */
