/*
 * The local APIC timer drives the software timers (common/timer.c).
 *
 * One-shot mode: each CPU's timer is programmed for its earliest deadline;
 * the interrupt runs the expired timers and programs the next one.  The
 * APIC timer rate is measured against the TSC at boot.  Deadlines beyond
 * the 32-bit counter's reach just fire early and re-arm.
 *
 * The counter is written only when what it counts toward changes: not
 * again for a deadline it is still counting toward (a wake-up IPI re-reads
 * an unchanged heap; the interrupt handler's timer_run has just programmed
 * the next deadline itself), and not to stop a stopped timer.  Under QEMU
 * every write is an emulated MMIO store that takes QEMU's big lock and
 * moves one of its timers, on the path of every cross-CPU wake-up.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/setup.h>
#include <xen/perfc.h>
#include <asm/timer-trace.h>

#define APIC_DIVIDE_16 0x3
#define MIN_DELTA_NS   1000       /* shorter deadlines: fire after ~1 us */

static uint64_t apic_timer_hz;
static struct time_scale ns_to_apic;    /* ns -> APIC ticks */
/* What each CPU's APIC was last programmed for, and whether it is still
 * counting toward it (a finite deadline whose interrupt has not come). */
static s_time_t hw_deadline[NR_CPUS];
static bool hw_counting[NR_CPUS];

/* Program this CPU's timer for 'deadline' (STIME_MAX: stop it). */
static void apic_timer_set(s_time_t deadline)
{
    unsigned int cpu = smp_processor_id();
    s_time_t delta;
    uint64_t ticks;

    if ( deadline == hw_deadline[cpu] &&
         (deadline == STIME_MAX || hw_counting[cpu]) )
        return;                 /* already so */
    hw_deadline[cpu] = deadline;
    perfc_incr(PERFC_apic_timer_writes);
    if ( deadline == STIME_MAX )
    {
        hw_counting[cpu] = false;
        timer_trace(TT_PROGRAM, (uint64_t)deadline, 0);
        apic_write(APIC_TMR_INIT, 0);
        return;
    }
    hw_counting[cpu] = true;
    delta = deadline - NOW();
    if ( delta < MIN_DELTA_NS )
        delta = MIN_DELTA_NS;
    ticks = scale_delta((uint64_t)delta, &ns_to_apic);
    if ( ticks == 0 )
        ticks = 1;
    if ( ticks > 0xffffffffUL )
        ticks = 0xffffffffUL;
    timer_trace(TT_PROGRAM, (uint64_t)deadline, ticks);
    apic_write(APIC_TMR_INIT, (uint32_t)ticks);
}

/* Called by common/timer.c with cpu's heap lock held. */
void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
    if ( cpu == smp_processor_id() )
    {
        unsigned long flags = local_irq_save();
        apic_timer_set(deadline);
        local_irq_restore(flags);
    }
    else
    {
        timer_trace(TT_REMOTE, (uint64_t)deadline, cpu);
        cpu_kick(cpu);      /* it re-reads its heap in the IPI handler */
    }
}

static void apic_timer_interrupt(struct cpu_regs *r)
{
    unsigned int cpu = smp_processor_id();
    s_time_t next;

    apic_eoi();
    idle_note_wake(IDLE_WOKE_TIMER);
    hw_counting[cpu] = false;           /* the one-shot has fired */
    timer_trace(TT_IRQ, (uint64_t)hw_deadline[cpu], 0);
    /* timer_run programs the next deadline (arch_timer_program). */
    next = timer_run(cpu, NOW());
    timer_trace(TT_RUN, (uint64_t)next, 0);
}

static void ipi_wake_interrupt(struct cpu_regs *r)
{
    s_time_t next;

    apic_eoi();
    idle_note_wake(IDLE_WOKE_IPI);
    next = timer_next_deadline(smp_processor_id());
    timer_trace(TT_IPI, (uint64_t)next, 0);
    apic_timer_set(next);
}

void apic_timer_calibrate(void)
{
    uint64_t t0, t1, start_count = 0xffffffffUL, end_count;

    apic_write(APIC_TMR_DIV, APIC_DIVIDE_16);
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
    t0 = rdtsc();
    apic_write(APIC_TMR_INIT, (uint32_t)start_count);
    udelay(10000);
    end_count = apic_read(APIC_TMR_CUR);
    t1 = rdtsc();
    apic_write(APIC_TMR_INIT, 0);
    apic_timer_hz = (start_count - end_count) * cpu_khz * 1000 / (t1 - t0);
    if ( apic_timer_hz < 1000 )
        panic("APIC timer calibration failed (%lu Hz)",
              (unsigned long)apic_timer_hz);
    /* ns -> ticks is the inverse conversion: build it from a rate of
     * 1e18 / hz "ns per tick" by swapping roles. */
    time_scale_from_hz(&ns_to_apic, 1000000000000000000UL / apic_timer_hz);
    set_irq_handler(VECTOR_TIMER, apic_timer_interrupt);
    set_irq_handler(VECTOR_IPI_WAKE, ipi_wake_interrupt);
    printk("APIC timer: %lu.%03lu MHz (divide by 16), one-shot\n",
           (unsigned long)(apic_timer_hz / 1000000),
           (unsigned long)(apic_timer_hz / 1000 % 1000));
}

void apic_timer_init_cpu(void)
{
    apic_write(APIC_TMR_DIV, APIC_DIVIDE_16);
    apic_write(APIC_LVT_TIMER, VECTOR_TIMER);   /* one-shot, unmasked */
    apic_write(APIC_TMR_INIT, 0);
}
