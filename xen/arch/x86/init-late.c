/*
 * Late arch initialisation, after memory is up: interrupts, ACPI, the
 * local APIC, time and the secondary CPUs, in the order each one needs
 * the one before.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <xen/sched.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/fpu.h>
#include <asm/smap.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smpboot.h>
#include <asm/time.h>
#include <asm/timer-trace.h>

void pic_disable(void);

/* Per-CPU state every CPU needs before it can run guests. */
void cpu_init_percpu(unsigned int cpu)
{
    scheduler_init_cpu(cpu);
    syscall_init_cpu(cpu);
    cpu_init_guest_features();
    cpu_init_smep_smap(cpu);
    pat_init_cpu();
}

void arch_init_late(void)
{
    pic_disable();              /* before interrupts are ever enabled */
    acpi_init();                /* CPU list, APIC address, poweroff */
    lapic_map();
    lapic_init_cpu();
    apic_timer_calibrate();
    apic_timer_init_cpu();
    timer_trace_init(nr_cpu_ids);
    if ( timers_init(nr_cpu_ids) )
        panic("cannot allocate the timer heaps");
    cpu_init_percpu(0);
    fpu_init_mxcsr_mask();      /* needs CR4.OSFXSR from the line above */
    local_irq_enable();
    smp_boot_cpus();
}
