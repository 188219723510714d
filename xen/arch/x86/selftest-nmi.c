/*
 * nmi_stress=<microseconds>: send NMIs to every CPU at that period for the
 * whole run, so they land wherever the CPUs happen to be: in guests, in
 * the SYSCALL stub, in the middle of hypercalls, in the idle loop.  A test
 * then checks the guests behave exactly as without.  Off by default.
 *
 * CPU 0's timer sends an NMI to all other CPUs each period and, every
 * fourth period, to itself as well (landing in this handler, i.e. in the
 * hypervisor with interrupts off).
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/timer.h>
#include <asm/apic.h>
#include <asm/time.h>

static unsigned int nmi_stress_us;
integer_param("nmi_stress", nmi_stress_us);

static struct timer nmi_timer;
static unsigned long nmi_ticks;

static void nmi_tick(void *unused)
{
    (void)unused;
    apic_send_ipi_allbutself(APIC_DM_NMI);
    if ( (++nmi_ticks & 3) == 0 )
        apic_send_ipi(cpu_apic_id[0], APIC_DM_NMI);
    set_timer(&nmi_timer, NOW() + nmi_stress_us * 1000L);
}

void nmi_stress_start(void)
{
    if ( !nmi_stress_us )
        return;
    printk(XENLOG_WARNING "nmi_stress: an NMI to every CPU each %u us\n",
           nmi_stress_us);
    init_timer(&nmi_timer, nmi_tick, NULL, 0);
    set_timer(&nmi_timer, NOW() + nmi_stress_us * 1000L);
}
