/* Late arch initialisation: ACPI, local APIC, time, secondary CPUs. */
#include <xen/lib.h>
#include <asm/setup.h>
#include <xen/timer.h>

void arch_init_late(void)
{
}

bool selftest_timer_rate(void)
{
    return false;
}

void arch_stop_other_cpus(void)
{
}

void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
}
