/*
 * Performance counters: hypervisor-wide event counts that the toolstack
 * reads with dom0_op getperfcounters (docs/dom0_op.md).
 *
 * Each counter has a fixed index (enum perfc_id, also its stable id) and a
 * name.  Counting is one relaxed atomic add, cheap enough for hot paths;
 * a count may be a little behind on another CPU, which is fine for
 * statistics.
 */
#ifndef XEN_PERFC_H
#define XEN_PERFC_H

#include <xen/types.h>

enum perfc_id {
    PERFC_hypercalls,           /* every hypercall entry */
    PERFC_context_switches,     /* a CPU switched to another vCPU */
    PERFC_exceptions_bounced,   /* faults/traps reflected to a guest */
    PERFC_page_faults_bounced,  /* of which #PF */
    PERFC_ptwr_emulations,      /* writable-page-table stores emulated */
    PERFC_dom0_ops,             /* dom0_op calls that passed the header */
    PERFC_domains_created,
    PERFC_domains_destroyed,
    /* Wake-ups of blocked vCPUs (schedule.c) and how long each waited
     * from the wake to running: the latency of an event notification. */
    PERFC_vcpu_wakes,
    PERFC_wake_to_run_lt_100us,
    PERFC_wake_to_run_lt_1ms,
    PERFC_wake_to_run_lt_10ms,
    PERFC_wake_to_run_ge_10ms,
    /* Port I/O instructions a PV guest trapped on and the emulator
     * handled (pv/emul-priv.c; a string instruction counts once per
     * trap): what the TSS I/O bitmap (io-bitmap.c) saves. */
    PERFC_io_emulated,
    /* Why a woken vCPU waited (schedule.c): it first ran only when a
     * slice ended (the preemption boost did not put it ahead), or it
     * waited 1 ms or more although its CPU was idle at the wake (only the
     * wake IPI and the CPU's way out of HLT stood between them). */
    PERFC_wake_ran_at_slice_end,
    PERFC_wake_late_on_idle_cpu,
    /* Remote TLB or cache flushes sent (pv/mm-flush.c), one per request
     * however many CPUs it names: each waits for their answer, under TCG
     * for their host threads to run. */
    PERFC_flush_ipis,
    /* Wakes from blocked queued on an idle CPU instead of the vCPU's own
     * busy one (schedule.c, vcpu_make_runnable). */
    PERFC_wake_moved_to_idle_cpu,
    /* A CPU halted in its idle loop that another CPU had asked to look at
     * its softirqs (a wake-up, a vCPU to steal) left HLT on that wake-up
     * IPI (by_ipi), or only on its own timer interrupt, the IPI not there
     * yet (by_timer: that wake waited for a timer; arch/x86/idle.c). */
    PERFC_idle_kick_by_ipi,
    PERFC_idle_kick_by_timer,
    /* Writes of a local APIC's timer count (arch/x86/apic-timer.c): only
     * when its deadline changes, each an emulated MMIO store under QEMU. */
    PERFC_apic_timer_writes,
    PERFC_NR
};

void perfc_incr(enum perfc_id id);
uint64_t perfc_value(unsigned int idx);        /* 0 past the end */
const char *perfc_name(unsigned int idx);      /* NULL past the end */
void perfc_reset_all(void);
void perfc_print_all(void);      /* every counter on the console */

#endif /* XEN_PERFC_H */
