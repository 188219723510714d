/*
 * TLB and cache flushes for the PV MMU, on this CPU and on others.
 *
 * A remote flush is one request at a time (flush_lock): the sender writes
 * what to do, sets one pending bit per target CPU, sends VECTOR_IPI_FLUSH
 * and spins until every target cleared its bit.  A CPU that spins for the
 * lock, or for pt_lock, serves requests aimed at it meanwhile
 * (flush_tlb_poll), so two CPUs flushing each other at the same time with
 * interrupts off cannot deadlock.
 *
 * Guest entries are never global (mm.c strips the bit), so reloading CR3
 * drops every guest translation.
 */
#include <xen/lib.h>
#include <xen/perfc.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/flushtlb.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/pv-mm.h>

#define FLUSH_ALL_VA    (~0UL)      /* flush_va: the whole TLB */
#define FLUSH_CACHES    (~1UL)      /* flush_va: wbinvd */

uint64_t tlbflush_clock = 1;
uint64_t tlbflush_time[NR_CPUS];

static DEFINE_SPINLOCK(flush_lock);
static volatile uint64_t flush_pending;     /* CPUs yet to act */
static volatile unsigned long flush_va;
static bool flush_handler_set;

static void do_local(unsigned long va)
{
    unsigned int me = smp_processor_id();
    unsigned long cr3;

    if ( va == FLUSH_ALL_VA )
    {
        cr3 = read_cr3();
        /* An idle CPU asked to flush stays "idle" (asm/tlbclock.h), or
         * every frame freed after this would find it stale again.  Only
         * if it was so already: a CPU interrupted in write_cr3_flush on
         * its way to a guest's tables has recorded a tick instead. */
        if ( __atomic_load_n(&tlbflush_time[me], __ATOMIC_ACQUIRE) ==
             TLBFLUSH_TIME_IDLE && cr3 == __pa_image(idle_pg_table) )
            write_cr3_idle(cr3);
        else
            write_cr3_flush(cr3);
    }
    else if ( va == FLUSH_CACHES )
        __asm__ __volatile__("wbinvd" ::: "memory");
    else
        invlpg(va);
}

void flush_tlb_poll(void)
{
    uint64_t me = 1UL << smp_processor_id();

    if ( __atomic_load_n(&flush_pending, __ATOMIC_ACQUIRE) & me )
    {
        do_local(flush_va);
        __atomic_fetch_and(&flush_pending, ~me, __ATOMIC_RELEASE);
    }
}

static void flush_interrupt(struct cpu_regs *r)
{
    (void)r;
    apic_eoi();
    flush_tlb_poll();
}

static void flush_on(uint64_t cpumask, unsigned long va)
{
    unsigned int me = smp_processor_id();
    uint64_t others = cpumask & cpu_online_mask & ~(1UL << me);

    if ( others != 0 && !flush_handler_set )
    {
        /* First remote flush: nobody can have needed the vector before. */
        set_irq_handler(VECTOR_IPI_FLUSH, flush_interrupt);
        flush_handler_set = true;
    }
    if ( others != 0 )
    {
        while ( !spin_trylock(&flush_lock) )
        {
            flush_tlb_poll();
            cpu_relax();
        }
        flush_va = va;
        perfc_incr(PERFC_flush_ipis);
        __atomic_store_n(&flush_pending, others, __ATOMIC_RELEASE);
        for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
            if ( others & (1UL << cpu) )
                apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_FLUSH);
    }
    if ( cpumask & (1UL << me) )
        do_local(va);
    if ( others != 0 )
    {
        while ( __atomic_load_n(&flush_pending, __ATOMIC_ACQUIRE) &
                cpu_online_mask )
            cpu_relax();
        spin_unlock(&flush_lock);
    }
}

void flush_tlb_mask(uint64_t cpumask)
{
    flush_on(cpumask, FLUSH_ALL_VA);
}

void flush_tlb_one_mask(uint64_t cpumask, unsigned long va)
{
    flush_on(cpumask, va & PAGE_MASK);
}

void flush_cache_mask(uint64_t cpumask)
{
    flush_on(cpumask, FLUSH_CACHES);
}

void flush_tlb_local_guest(void)
{
    write_cr3_flush(read_cr3());
}

void flush_tlb_one_local(unsigned long va)
{
    invlpg(va);
}

uint64_t pv_all_cpus(void)
{
    return cpu_online_mask;
}

uint64_t pv_vcpumask_to_cpumask(const struct domain *d, uint64_t vcpumask)
{
    uint64_t cpus = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && i < 64; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        if ( v != NULL && (vcpumask & (1UL << i)) && v->processor < NR_CPUS )
            cpus |= 1UL << v->processor;
    }
    return cpus;
}

void pv_reload_cr3(struct vcpu *v)
{
    unsigned long cr3;

    if ( v != current )
        return;
    cr3 = vcpu_cr3(v);
    if ( cr3 != 0 )
        write_cr3_flush(cr3);
}
