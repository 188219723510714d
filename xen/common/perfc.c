/*
 * The performance-counter registry (see xen/perfc.h): one 64-bit count
 * and one name per enum perfc_id.
 */
#include <xen/lib.h>
#include <xen/perfc.h>

static uint64_t perfc_counts[PERFC_NR];

static const char *const perfc_names[PERFC_NR] = {
    [PERFC_hypercalls] = "hypercalls",
    [PERFC_context_switches] = "context_switches",
    [PERFC_exceptions_bounced] = "exceptions_bounced",
    [PERFC_page_faults_bounced] = "page_faults_bounced",
    [PERFC_ptwr_emulations] = "ptwr_emulations",
    [PERFC_dom0_ops] = "dom0_ops",
    [PERFC_domains_created] = "domains_created",
    [PERFC_domains_destroyed] = "domains_destroyed",
    [PERFC_vcpu_wakes] = "vcpu_wakes",
    [PERFC_wake_to_run_lt_100us] = "wake_to_run_lt_100us",
    [PERFC_wake_to_run_lt_1ms] = "wake_to_run_lt_1ms",
    [PERFC_wake_to_run_lt_10ms] = "wake_to_run_lt_10ms",
    [PERFC_wake_to_run_ge_10ms] = "wake_to_run_ge_10ms",
    [PERFC_io_emulated] = "io_emulated",
    [PERFC_wake_ran_at_slice_end] = "wake_ran_at_slice_end",
    [PERFC_wake_late_on_idle_cpu] = "wake_late_on_idle_cpu",
    [PERFC_flush_ipis] = "flush_ipis",
    [PERFC_wake_moved_to_idle_cpu] = "wake_moved_to_idle_cpu",
    [PERFC_idle_kick_by_ipi] = "idle_kick_by_ipi",
    [PERFC_idle_kick_by_timer] = "idle_kick_by_timer",
    [PERFC_apic_timer_writes] = "apic_timer_writes",
};

void perfc_incr(enum perfc_id id)
{
    if ( (unsigned int)id < PERFC_NR )
        __atomic_add_fetch(&perfc_counts[id], 1, __ATOMIC_RELAXED);
}

uint64_t perfc_value(unsigned int idx)
{
    return idx < PERFC_NR ? __atomic_load_n(&perfc_counts[idx],
                                            __ATOMIC_RELAXED) : 0;
}

const char *perfc_name(unsigned int idx)
{
    return idx < PERFC_NR ? perfc_names[idx] : NULL;
}

void perfc_reset_all(void)
{
    for ( unsigned int i = 0; i < PERFC_NR; i++ )
        __atomic_store_n(&perfc_counts[i], 0, __ATOMIC_RELAXED);
}

void perfc_print_all(void)
{
    printk("perf counters:");
    for ( unsigned int i = 0; i < PERFC_NR; i++ )
        printk(" %s=%lu", perfc_names[i],
               (unsigned long)perfc_value(i));
    printk("\n");
}
