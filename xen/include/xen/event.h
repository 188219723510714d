/*
 * Event channels (2-level ABI), virtual IRQs, guest time and the vCPU
 * operations built on them.
 *
 * Port state lives in d->evtchn[]; the pending and mask bitmaps live in the
 * guest-visible shared_info page; per-vCPU selector and upcall flags in its
 * vcpu_info.  Raising a port follows the ABI's order exactly (pending bit,
 * mask check, selector bit, upcall_pending, kick), so a guest handler racing
 * with the hypervisor never loses an event.  docs/events-and-time.md tells
 * the whole story.
 *
 * Locking: d->event_lock (always taken with interrupts off, because timer
 * handlers raise VIRQs) protects d->evtchn[], every vCPU's virq_to_evtchn[]
 * and poll state, and the switch of a vCPU's vcpu_info.  Two domains'
 * locks are taken lower domain id first.
 */
#ifndef XEN_EVENT_H
#define XEN_EVENT_H

#include <xen/types.h>
#include <public/event_channel.h>

struct domain;
struct vcpu;
struct vcpu_guest_context;

enum evtchn_state {
    ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_PIRQ,
    ECS_VIRQ, ECS_IPI,
};

struct evtchn {
    uint8_t state;              /* enum evtchn_state */
    uint8_t priority;           /* FIFO: queue of its next event */
    uint8_t fifo_pending;       /* FIFO: raised while its word had no page */
    uint8_t last_priority;      /* FIFO: queue it was last linked on ... */
    uint16_t notify_vcpu;       /* vCPU that gets the upcall */
    uint16_t last_vcpu;         /* ... of this vCPU (kept across reuse) */
    union {
        struct { domid_t remote_domid; } unbound;
        struct { struct domain *remote_dom; uint16_t remote_port; } interdomain;
        uint16_t virq;
        uint16_t pirq;
    } u;
};

/* ---- Event channels (common/event_channel.c) ---- */

/* Domain creation: allocate the port table (port 0 reserved).  0/-ENOMEM.
 * Needs nothing else of d but d->domain_id. */
int evtchn_domain_init(struct domain *d);
/* Domain destruction: close every port (peers of interdomain ports go back
 * to unbound) and free the table.  Call after its vCPUs stopped running. */
void evtchn_domain_destroy(struct domain *d);

/* Raise a port of d (from the hypervisor or another domain).  Ports that
 * are out of range are ignored. */
void evtchn_port_set_pending(struct domain *d, unsigned int port);
/* Raise a VIRQ: per-vCPU ones on v, global ones on the domain (bound on
 * vCPU 0).  Nothing happens when the VIRQ is not bound. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);
/* Is virq one of the domain-wide VIRQs (as opposed to per-vCPU)? */
bool virq_is_global(unsigned int virq);

/* For the domain builder / toolstack: a new unbound port of d that
 * remote_dom may bind to.  Port number, or -ENOSPC/-EINVAL. */
int evtchn_alloc_unbound_port(struct domain *d, domid_t remote_dom);
/* Close one port of d (as EVTCHNOP_close from d would).  0 or -EINVAL. */
int evtchn_close_port(struct domain *d, unsigned int port);
/* Is the port's pending bit set? (false for ports out of range) */
bool evtchn_port_is_pending(const struct domain *d, unsigned int port);

/* Set v's upcall_pending and make sure it notices (wake or IPI). */
void vcpu_mark_events_pending(struct vcpu *v);
/* Does v have an upcall to take now? (pending && !mask) */
bool vcpu_event_deliverable(const struct vcpu *v);

/* vCPU life cycle (common/vcpu_op.c).  vcpu_timers_init (declared in
 * xen/sched.h): call from vcpu_create once v->domain, v->vcpu_id,
 * v->processor and d->shared_info are set.  It sets up v's timers (on
 * v->processor), points v->vcpu_info at its shared_info slot if nothing
 * else was set (ids < 32), starts its runstate as offline and writes its
 * time record.  vcpu_events_destroy: stop and kill v's timers, free its
 * poll state and drop the page of a registered vcpu_info; call before
 * freeing v. */
void vcpu_events_destroy(struct vcpu *v);

/* ---- Guest time (arch/x86/guest-time.c) ---- */

/* Rewrite v->vcpu_info->time (pvclock) under the version protocol.  Call
 * when v is created (done by vcpu_timers_init), registers a new vcpu_info
 * (done by VCPUOP_register_vcpu_info) and whenever it is scheduled in. */
void update_vcpu_system_time(struct vcpu *v);
/* Write the wall-clock time at system time 0 into d->shared_info. */
void update_domain_wallclock(struct domain *d);
/* Boot: read the CMOS RTC once to learn the wall-clock time. */
void wallclock_init(void);
/* platform_op settime: the wall-clock time was sec:nsec at system time
 * 'at'.  Updates every domain's shared_info. */
void wallclock_set(uint64_t sec, uint32_t nsec, s_time_t at);
/* Wall-clock time at system time 0, in ns since the epoch. */
uint64_t wallclock_base_ns(void);

/* The CMOS RTC's registers as read, and what they mean.  The RTC is taken
 * to run in UTC (QEMU's default). */
struct rtc_raw {
    uint8_t sec, min, hour, mday, mon, year, century, status_b;
};
struct rtc_date {
    unsigned int year, mon, mday, hour, min, sec;   /* mon, mday from 1 */
};
/* Read the registers outside an update; *when = NOW() at the read.
 * 0, or -EIO if the clock never settles. */
int rtc_read(struct rtc_raw *r, s_time_t *when);
/* BCD or binary, 12- or 24-hour; 0 or -EINVAL for impossible dates. */
int rtc_decode(const struct rtc_raw *r, struct rtc_date *t);
/* Seconds since 1970-01-01 00:00 UTC of a valid date. */
uint64_t rtc_date_to_unix(const struct rtc_date *t);

/* ---- Runstate (common/vcpu_op.c) ---- */

/* The scheduler calls this on every change of v's RUNSTATE_* (running,
 * runnable, blocked, offline).  It accounts the time spent in the old
 * state and, when v is current in guest-kernel mode (its kernel page
 * tables loaded), refreshes the guest's registered copy. */
void vcpu_runstate_change(struct vcpu *v, int new_state, s_time_t now);
/* Write v's runstate to its registered guest area (a guest-kernel virtual
 * address) through the page tables now loaded: the context switch calls it
 * for the incoming vCPU once its kernel page tables are loaded. */
void vcpu_runstate_publish(struct vcpu *v);

/* ---- Shared by the event code's own files only ---- */

/*
 * Port ops: what differs between the 2-level ABI (event_channel.c) and
 * the FIFO ABI (event_fifo.c).  d->evtchn_ops points at one of them; all
 * are called with d->event_lock held and a valid chn for port.
 */
struct evtchn_port_ops {
    /* Raise: mark pending, wake pollers if newly so, notify unless masked. */
    void (*set_pending)(struct domain *d, unsigned int port,
                        struct evtchn *chn);
    /* The port is being freed: forget a pending event. */
    void (*clear_pending)(struct domain *d, unsigned int port,
                          struct evtchn *chn);
    /* EVTCHNOP_unmask: clear the mask; deliver what waited behind it. */
    void (*unmask)(struct domain *d, unsigned int port, struct evtchn *chn);
    bool (*is_pending)(const struct domain *d, unsigned int port,
                       const struct evtchn *chn);
    /* May a free port be handed out again? (FIFO: not while LINKED) */
    bool (*is_busy)(const struct domain *d, unsigned int port);
    /* chn->notify_vcpu changed (EVTCHNOP_bind_vcpu). */
    void (*moved)(struct domain *d, unsigned int port, struct evtchn *chn);
    /* EVTCHNOP_set_priority; NULL: the ABI has no priorities (-ENOSYS). */
    int (*set_priority)(struct domain *d, struct evtchn *chn,
                        unsigned int priority);
};
extern const struct evtchn_port_ops evtchn_port_ops_2l;
extern const struct evtchn_port_ops evtchn_port_ops_fifo;

/* Ports of d live in d->evtchn[] (the first NR_EVTCHN_2L) and, once the
 * FIFO ABI is on, in buckets of EVTCHN_BUCKET_PORTS allocated on demand. */
#define EVTCHN_BUCKET_PORTS 512
#define EVTCHN_NR_BUCKETS \
    ((EVTCHN_FIFO_NR_CHANNELS - NR_EVTCHN_2L) / EVTCHN_BUCKET_PORTS)
/* The channel behind a port, NULL for port 0, out of range or not yet
 * allocated.  d->event_lock held. */
struct evtchn *evtchn_port_to_chn(const struct domain *d, unsigned int port);
/* Wake the vCPUs of d polling port; d->event_lock held. */
void evtchn_wake_pollers_locked(struct domain *d, unsigned int port);

/* event_fifo.c.  EVTCHNOP_init_control / expand_array: 0 or -errno as
 * Xen answers; init_control switches d to the FIFO ABI the first time. */
int evtchn_fifo_init_control(struct domain *d,
                             const struct evtchn_init_control *a);
int evtchn_fifo_expand_array(struct domain *d, uint64_t array_gfn);
/* Back to the 2-level ABI: drop every control block and array page.
 * d->event_lock held; ports above NR_EVTCHN_2L must all be free. */
void evtchn_fifo_destroy(struct domain *d);
/* For the memory audit: how many control blocks and event array pages of
 * d are frame mfn (each holds a general + writable type reference).
 * Reads without the event lock; d->evtchn_fifo lives until destruction. */
unsigned long evtchn_fifo_audit_refs(const struct domain *d, mfn_t mfn);

/* Set upcall_pending and kick v; v->domain->event_lock held. */
void evtchn_mark_pending_locked(struct vcpu *v);
/* SCHEDOP_poll: record the (validated) ports v waits on; true if one is
 * already pending or an upcall is deliverable (then nothing is recorded). */
bool evtchn_poll_begin(struct vcpu *v, const uint32_t *ports, unsigned int nr);
/* After v was marked blocked: true if the poll is already over (a port
 * became pending, an upcall is deliverable, or a waker ended it); else
 * arm the timeout (0: none) and leave v polling. */
bool evtchn_poll_recheck(struct vcpu *v, s_time_t timeout);
/* Forget v's poll and stop its timeout; event_lock held. */
void evtchn_poll_end_locked(struct vcpu *v);
/* v->poll_timer's handler (data = v): the poll timed out. */
void evtchn_poll_timer_fn(void *data);
/* vcpu_op.c: v->singleshot_timer's and v->periodic_timer's handlers. */
void vcpu_singleshot_timer_fn(void *data);
void vcpu_periodic_timer_fn(void *data);

/* ---- Hooks the rest of the hypervisor provides ---- */

/* arch: load a vcpu_guest_context (VCPUOP_initialise) into a vCPU that
 * has none; 0 or -errno.  Generic checks (canonical addresses, table
 * sizes, a kernel page table) were already done.  On success it must have
 * set v->arch.guest_table (the kernel L4): that is what marks v as
 * initialised for VCPUOP_up and a second VCPUOP_initialise.  (A weak
 * default in vcpu_op.c answers -ENOSYS until the arch provides it.) */
int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c);
/* Common sanity checks on a context before arch_set_vcpu_context. */
int vcpu_context_check(const struct vcpu_guest_context *c);
/* scheduler: take v off the CPU for good (VCPUOP_down): state VCPU_DOWN,
 * off its run queue, runstate offline; if v is current, reschedule on the
 * way out.  (A weak default in vcpu_op.c sets the state and reschedules.) */
void vcpu_down(struct vcpu *v);

#endif /* XEN_EVENT_H */
