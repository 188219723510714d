/*
 * Domains and vCPUs.
 *
 * A domain owns memory (its page list, tot_pages <= max_pages), event
 * channels and vCPUs.  A vCPU is the schedulable thing: it runs on one
 * physical CPU at a time (v->processor) and is runnable unless it is
 * blocked (SCHEDOP_block/poll), down (not yet brought up) or paused (a
 * count: the toolstack, shutdown and the hypervisor itself may pause).
 *
 * Locking: d->lock protects the page list and counts; d->event_lock the
 * event channels; the scheduler has its own per-CPU locks.
 */
#ifndef XEN_SCHED_H
#define XEN_SCHED_H

#include <xen/types.h>
#include <xen/errno.h>
#include <xen/list.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/rangeset.h>
#include <public/xen.h>
#include <public/vcpu.h>
#include <asm/domain.h>
#include <xen/param.h>          /* MAX_VCPUS, NR_EVTCHN_2L, NR_HYPERCALLS */

struct evtchn;
struct evtchn_port_ops;
struct evtchn_fifo_domain;

/* Counters that feed accounting (dom0_op getaccounting). */
struct domain_stats {
    uint64_t hypercalls[NR_HYPERCALLS];
    uint64_t hypercalls_total;
    uint64_t events_sent;
    uint64_t events_delivered;      /* upcalls made */
    uint64_t exceptions_bounced;
    uint64_t page_faults_bounced;
    uint64_t ptwr_emulations;       /* page-table writes emulated */
    uint64_t mmu_updates;           /* mmu_update entries applied */
};

enum vcpu_state {
    VCPU_DOWN,          /* never brought up, or VCPUOP_down */
    VCPU_RUNNABLE,
    VCPU_RUNNING,
    VCPU_BLOCKED,       /* SCHEDOP_block / poll: waits for an event */
};

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;             /* physical CPU it runs on */
    enum vcpu_state state;
    unsigned int pause_count;
    bool is_idle;                       /* a CPU's idle vCPU */

    struct vcpu_info *vcpu_info;        /* hypervisor pointer to it */
    mfn_t vcpu_info_mfn;                /* INVALID_MFN: in shared_info */

    /* Timers: VIRQ_TIMER one-shot (set_timer_op / singleshot), poll. */
    struct timer singleshot_timer;
    struct timer poll_timer;
    s_time_t periodic_period;           /* 0: no periodic timer */
    struct timer periodic_timer;

    /* SCHEDOP_poll: the ports waited on, as the guest listed them (first
     * nr_poll_ports of POLL_MAX_PORTS entries): a list, not a bitmap, so
     * it does not depend on how many ports the domain's ABI allows. */
    uint32_t *poll_ports;
    unsigned int nr_poll_ports;

    int virq_to_evtchn[NR_VIRQS];       /* 0 = unbound */

    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest;            /* guest VA of its copy, 0 = none */
    uint64_t time_area_guest;           /* guest VA of a vcpu_time_info copy
                                           (for the guest's vDSO), 0 = none */
    s_time_t runstate_entry;            /* when state last changed */

    struct list_head runq_link;         /* on its CPU's run queue */
    uint64_t cpu_time;                  /* ns spent running */
    /* Scheduler (common/schedule.c, docs/scheduler.md). */
    uint64_t affinity;                  /* hard: CPUs it may run on */
    int64_t vruntime;                   /* weighted ns run, queue-relative */
    bool wake_boost;                    /* woken from blocked, not yet run
                                           since: competes SLICE_NS ahead */
    s_time_t woken_at;                  /* last wake from blocked, 0 once
                                           it ran (the wake latency perf
                                           counters) */
    bool woken_on_idle;                 /* its CPU was idle at that wake */
    bool is_running;                    /* its context is live on
                                           v->processor: not yet saved by
                                           the context switch, so it must
                                           not move */
    bool trace_hypercalls;
    bool enosys_is_answer;              /* the running handler's -ENOSYS is
                                           an answer, not "unsupported"
                                           (hypercall_enosys_answer) */
    /* The last hypercall (top level) and the last one dispatched (a
     * multicall's entry), number and arguments: printed when the domain
     * is crashed for an unwritable guest stack. */
    unsigned long last_hypercall[6], last_dispatched[6];

    struct arch_vcpu arch;
};

enum domain_state {
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN,                    /* shut down, awaiting destroy */
    DOMAIN_DYING,                       /* being destroyed */
};

struct domain {
    domid_t domain_id;
    bool is_privileged;                 /* may use dom0_op, foreign maps */
    enum domain_state state;
    unsigned int shutdown_code;         /* SHUTDOWN_* when shut down */
    unsigned int pause_count;           /* counted pauses (domain_pause) */
    unsigned int refcnt;                /* see domain_get/domain_put */
    bool teardown_started;              /* domain_kill_finish ran */
    xen_domain_handle_t handle;         /* 16-byte UUID, opaque */
    uint64_t unknown_hcalls_reported;   /* bit N: "unknown hypercall N"
                                         * logged once (pv/hypercall.c) */

    spinlock_t lock;                    /* pages and counts */
    struct list_head page_list;
    unsigned long tot_pages;
    unsigned long max_pages;

    struct shared_info *shared_info;    /* hypervisor pointer */
    mfn_t shared_info_mfn;

    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VCPUS];

    spinlock_t event_lock;
    struct evtchn *evtchn;              /* NR_EVTCHN_2L entries */
    unsigned int max_evtchns;           /* ports < this may exist */
    const struct evtchn_port_ops *evtchn_ops;   /* 2-level or FIFO */
    struct evtchn **evtchn_buckets;     /* FIFO ports >= NR_EVTCHN_2L */
    struct evtchn_fifo_domain *evtchn_fifo;     /* NULL: 2-level ABI */

    struct domain_stats stats;
    s_time_t created_at;

    /* Scheduler parameters and the cap's budget (common/schedule.c). */
    unsigned int sched_weight;          /* 1..65535, default 256 */
    unsigned int sched_cap;             /* % of one CPU, 0 = uncapped */
    int64_t cap_budget;                 /* ns left in this cap period */
    s_time_t cap_period_end;
    spinlock_t sched_lock;              /* refills of the budget */

    /* console_io output is assembled into lines before printing. */
    char console_line[128];
    unsigned int console_len;
    /* Rate limit on those lines (console_io.c): when the next line is
     * due, and how many were dropped since the last one printed. */
    s_time_t console_next_due;
    unsigned long console_suppressed;

    /* The machine this domain may touch directly (docs/dom0-hardware.md):
     * I/O ports, and machine frames of I/O memory it may map.  Empty for
     * a new domain; the dom0 builder gives dom0 the machine's. */
    struct rangeset ioports;
    struct rangeset iomem;

    struct domain *next_in_list;
    struct arch_domain arch;
};

/*
 * common/domain.c: the whole domain lifecycle (docs/domain-lifecycle.md).
 *
 * Every pointer to a domain other than the caller's own comes with a
 * reference: domain_lookup*() and domain_create() return one, the holder
 * gives it back with domain_put().  A domain's memory is freed by the last
 * put, which can only come after domain_kill_finish() unlinked it.
 */
extern struct domain *domain_list;
extern spinlock_t domlist_lock;
/* A new domain, on the list, with a reference for the caller. */
struct domain *domain_create(domid_t id, unsigned int max_vcpus,
                             bool privileged, int *err);
void domain_get(struct domain *d);          /* d already referenced */
void domain_put(struct domain *d);          /* the last one frees d */
struct domain *domain_lookup(domid_t id);   /* referenced; NULL if none or
                                               dying */
struct domain *domain_lookup_any(domid_t id);   /* dying ones too */
/*
 * The domain a hypercall argument names, as seen by 'caller', referenced:
 * the caller itself for DOMID_SELF or its own id; another (not dying)
 * domain only for a privileged caller.  NULL with *err = -EPERM (not
 * allowed) or -ESRCH (no such domain).
 */
struct domain *domain_lookup_for(struct domain *caller, domid_t id, int *err);
struct vcpu *vcpu_create(struct domain *d, unsigned int id,
                         unsigned int cpu);
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why);
/* Counted pauses: d runs only while the count is 0. */
void domain_pause(struct domain *d);        /* and wait until off CPU */
void domain_pause_nosync(struct domain *d);
void domain_pause_wait(struct domain *d);   /* off CPU, or unpaused */
int domain_unpause(struct domain *d);       /* -EINVAL if not paused */
/* Killing: begin (mark dying, pause; false if already dying) is quick and
 * may run under a lock; finish (wait, tear down, unlink, drop the list's
 * reference) waits for d's vCPUs and must not. */
bool domain_kill_begin(struct domain *d);
void domain_kill_finish(struct domain *d);
void domain_kill(struct domain *d);         /* both */
extern struct domain *hardware_domain;      /* dom0 */

/* The vCPU running on this CPU (its idle vCPU when no guest runs). */
#define current ((struct vcpu *)get_cpu_info()->current_vcpu)

/* common/schedule.c */
void vcpu_wake(struct vcpu *v);             /* blocked -> runnable */
void vcpu_start(struct vcpu *v);            /* down -> runnable */
void vcpu_block(struct vcpu *v);            /* current -> blocked */
void vcpu_pause(struct vcpu *v);            /* and wait until it is off CPU */
void vcpu_pause_nosync(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/* VMASST_TYPE_* bits a PV guest may enable (common/kernel.c). */
uint64_t vm_assist_allowed(void);
void vcpu_requeue(struct vcpu *v);          /* queued again if it can run */
void vcpu_yield(void);
void vcpu_down(struct vcpu *v);              /* VCPUOP_down */
void raise_schedule(unsigned int cpu);      /* reschedule before return */
void scheduler_init_cpu(unsigned int cpu);  /* idle vCPU, run queue */
/* A new domain's and vCPU's scheduler state (defaults: weight 256, no
 * cap, every CPU allowed); from domain_create / vcpu_create. */
void sched_init_domain(struct domain *d);
void sched_init_vcpu(struct vcpu *v);
/* Weight 1..65535, cap 0 (none) or percent of one CPU; -EINVAL. */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);
/* Hard affinity: v runs only on CPUs of mask (online ones, at least one;
 * -EINVAL otherwise).  v moves off a CPU it may no longer use at its next
 * deschedule. */
int sched_set_affinity(struct vcpu *v, uint64_t mask);
/* Called by the context switch on prev's old CPU once prev's state is
 * saved and that CPU no longer uses prev's page tables: prev may move. */
void sched_context_saved(struct vcpu *prev);
/* ns v has run, including the slice it is in now. */
uint64_t vcpu_cpu_time(const struct vcpu *v);

/* Runstate bookkeeping, called by the scheduler on every change
 * (common/vcpu_op.c keeps the guest's copy up to date). */
void vcpu_runstate_change(struct vcpu *v, int new_state, s_time_t now);
/* Set up a new vCPU's guest timers (singleshot, periodic, poll). */
void vcpu_timers_init(struct vcpu *v);

#endif /* XEN_SCHED_H */
