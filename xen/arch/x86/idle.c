/*
 * The idle loop: what a CPU does when it has no vCPU to run.
 *
 * It runs pending softirqs (which is where the scheduler switches to a
 * vCPU that became runnable; that never returns here, and the next time
 * the CPU idles this loop starts afresh on a reset stack), and otherwise
 * sleeps in HLT.  The check and the sleep are atomic ("sti; hlt" with
 * interrupts off before the check) so a wake-up cannot be missed.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/timer.h>
#include <xen/perfc.h>
#include <asm/timer-trace.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/domain.h>
#include <asm/time.h>

/* Per CPU: the interrupts that came since the idle loop last halted. */
static unsigned int woke_by[NR_CPUS];

void idle_note_wake(unsigned int why)
{
    woke_by[smp_processor_id()] |= why;
}

/* Just out of HLT: if another CPU kicked us meanwhile (a vCPU woken for
 * this CPU, one to steal), count whether its IPI is what woke us or only
 * our timer did (the wake would then have waited for a timer: lost or
 * late IPIs show here; docs/scheduler.md). */
static void account_halt_exit(unsigned int cpu)
{
    if ( !softirq_take_kick(cpu) )
        return;
    if ( woke_by[cpu] & IDLE_WOKE_IPI )
        perfc_incr(PERFC_idle_kick_by_ipi);
    else if ( woke_by[cpu] & IDLE_WOKE_TIMER )
        perfc_incr(PERFC_idle_kick_by_timer);
}

void idle_loop(void)
{
    unsigned int cpu = smp_processor_id();

    for ( ;; )
    {
        local_irq_disable();
        /* A deadline that passed while its interrupt is still on its way
         * (see common/timer.c) is not slept through. */
        timer_run_overdue(cpu, NOW());
        /* Kicks from before this look are answered by it, not by the
         * interrupt that ends the halt below. */
        (void)softirq_take_kick(cpu);
        woke_by[cpu] = 0;
        if ( softirq_pending(cpu) )
        {
            local_irq_enable();
            do_softirqs();
            continue;
        }
        timer_trace(TT_HALT, 0, 0);
        safe_halt();
        local_irq_disable();
        timer_trace(TT_UNHALT, 0, 0);
        account_halt_exit(cpu);
    }
}

/* Leave the boot path for good: continue in the idle loop on a fresh
 * stack that starts below this CPU's guest frame area. */
void __noreturn reset_stack_and_idle(void)
{
    __asm__ __volatile__("mov %0, %%rsp; jmp idle_loop"
                         :: "r"(guest_cpu_regs()));
    __builtin_unreachable();
}
