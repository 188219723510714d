/* Unit tests for xen/common/sched_op.c: block and poll decisions (and the
 * wake-ups that end them), shutdown, yield. */

#include <stdlib.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/spinlock.h>
#include <public/event_channel.h>
#include <public/sched.h>

#define MS 1000000LL

static long poll_ports(const uint32_t *ports, unsigned int nr, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

    memcpy(gptr(0x400), ports, nr * sizeof(*ports));
    p.ports.va = gva(0x400);
    return sched_op(SCHEDOP_poll, &p, sizeof(p));
}

static void block_without_events_sleeps(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    unsigned int port;

    set_current(v);
    port = ev_bind_ipi(0);
    v->vcpu_info->evtchn_upcall_mask = 1;       /* the guest blocks masked */
    CHECK_EQ(sched_op(SCHEDOP_block, NULL, 0), 0);
    CHECK_EQ(v->vcpu_info->evtchn_upcall_mask, 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK_EQ(sched_log.blocks, 1);
    CHECK_EQ(sched_log.wakes, 0);

    /* An event wakes it, from another CPU. */
    set_cpu(3);
    evtchn_port_set_pending(d, port);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(sched_log.wakes, 1);
}

static void block_with_event_pending_returns(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    unsigned int port;

    set_current(v);
    port = ev_bind_ipi(0);
    /* Arrived while masked: the upcall is pending but not deliverable. */
    v->vcpu_info->evtchn_upcall_mask = 1;
    evtchn_port_set_pending(d, port);
    CHECK_EQ(v->vcpu_info->evtchn_upcall_pending, 1);
    CHECK(!vcpu_event_deliverable(v));
    CHECK_EQ(sched_op(SCHEDOP_block, NULL, 0), 0);
    /* Unmasking made it deliverable: the block is undone at once. */
    CHECK_EQ(v->vcpu_info->evtchn_upcall_mask, 0);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(sched_log.wakes, 1);
    CHECK(vcpu_event_deliverable(v));
}

static void poll_returns_at_once_when_pending(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[2];

    set_current(v);
    ports[0] = ev_bind_ipi(0);
    ports[1] = ev_bind_ipi(0);
    v->vcpu_info->evtchn_upcall_mask = 1;
    port_mask(d, ports[1], true);
    evtchn_port_set_pending(d, ports[1]);   /* masked, but pending counts */
    CHECK_EQ(poll_ports(ports, 2, 0), 0);
    CHECK_EQ(v->state, VCPU_RUNNING);
    CHECK_EQ(sched_log.blocks, 0);
    CHECK_EQ(v->nr_poll_ports, 0);
    CHECK_EQ(v->vcpu_info->evtchn_upcall_mask, 1);  /* poll never unmasks */
}

static void poll_sleeps_until_its_port(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[1];
    unsigned int other;

    set_current(v);
    ports[0] = ev_bind_ipi(0);
    other = ev_bind_ipi(0);
    port_mask(d, ports[0], true);
    port_mask(d, other, true);
    v->vcpu_info->evtchn_upcall_mask = 1;
    CHECK_EQ(poll_ports(ports, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK_EQ(v->nr_poll_ports, 1);
    CHECK(!timer_is_active(&v->poll_timer));

    set_cpu(2);
    evtchn_port_set_pending(d, other);      /* not polled, masked */
    CHECK_EQ(v->state, VCPU_BLOCKED);
    evtchn_port_set_pending(d, ports[0]);   /* polled, masked: still wakes */
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(v->nr_poll_ports, 0);
    CHECK_EQ(sched_log.wakes, 1);
    /* The poll is over: a later edge on that port wakes nobody. */
    port_clear_pending(d, ports[0]);
    v->state = VCPU_BLOCKED;
    evtchn_port_set_pending(d, ports[0]);
    CHECK_EQ(sched_log.wakes, 1);
}

static void poll_times_out(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu *v = d->vcpu[1];            /* CPU 1 */
    uint32_t ports[1];

    set_current(v);
    ports[0] = ev_bind_ipi(1);
    v->vcpu_info->evtchn_upcall_mask = 1;   /* as Linux's spinlock polls */
    set_now(10 * MS);
    CHECK_EQ(poll_ports(ports, 1, 15 * MS), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK(timer_is_active(&v->poll_timer));
    run_timers(1, 14 * MS);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    run_timers(1, 15 * MS);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(v->nr_poll_ports, 0);

    /* Woken by its port first: the timeout is cancelled with the poll. */
    set_current(v);
    CHECK_EQ(poll_ports(ports, 1, 30 * MS), 0);
    CHECK(timer_is_active(&v->poll_timer));
    evtchn_port_set_pending(d, ports[0]);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK(!timer_is_active(&v->poll_timer));

    /* No ports: just a timed sleep. */
    port_clear_pending(d, ports[0]);
    set_current(v);
    CHECK_EQ(poll_ports(ports, 0, 40 * MS), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    run_timers(1, 40 * MS);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
}

static void poll_wakes_for_deliverable_upcall(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[1];
    unsigned int other;

    set_current(v);
    ports[0] = ev_bind_ipi(0);
    other = ev_bind_ipi(0);
    v->vcpu_info->evtchn_upcall_mask = 0;   /* polling with events on */
    CHECK_EQ(poll_ports(ports, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    evtchn_port_set_pending(d, other);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(v->nr_poll_ports, 0);
    /* And with an upcall already deliverable, poll does not even block. */
    set_current(v);
    CHECK_EQ(poll_ports(ports, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_RUNNING);
}

static void poll_argument_checks(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[129] = { 0 };
    struct sched_poll p;

    set_current(v);
    ports[0] = 4096;
    CHECK_EQ(poll_ports(ports, 1, 0), -EINVAL);
    ports[0] = 1;
    CHECK_EQ(poll_ports(ports, 129, 0), -EINVAL);
    p = (struct sched_poll){ .nr_ports = 1 };
    p.ports.va = 0x1000;                    /* unmapped */
    CHECK_EQ(sched_op(SCHEDOP_poll, &p, sizeof(p)), -EFAULT);
    p.ports.va = gva(GUEST_SIZE - 4);       /* last element runs off */
    p.nr_ports = 2;
    CHECK_EQ(sched_op(SCHEDOP_poll, &p, sizeof(p)), -EFAULT);
    CHECK_EQ(do_sched_op(SCHEDOP_poll, 0, 0, 0, 0), -EFAULT);
    CHECK_EQ(v->state, VCPU_RUNNING);
    CHECK_EQ(sched_log.blocks, 0);
    /* 128 ports are fine. */
    for ( unsigned int i = 0; i < 128; i++ )
        ports[i] = i + 1;
    CHECK_EQ(poll_ports(ports, 128, 0), 0);
    CHECK_EQ(v->nr_poll_ports, 128);
    /* SCHEDOP_block ends a stale poll. */
    v->state = VCPU_RUNNING;
    CHECK_EQ(sched_op(SCHEDOP_block, NULL, 0), 0);
    CHECK_EQ(v->nr_poll_ports, 0);
}

/* The port limit is the domain's current ABI's, not the 2-level 4096: with
 * the FIFO limit (set here directly; the switch itself is event_fifo's
 * business) a port above 4095 is polled, woken by its raise, and only a
 * port at the limit is -EINVAL. */
static void poll_high_ports_follow_the_abi_limit(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[3];
    unsigned long flags;

    set_current(v);
    ports[0] = 4096;
    CHECK_EQ(poll_ports(ports, 1, 0), -EINVAL);     /* 2-level: 4096 max */
    d->max_evtchns = EVTCHN_FIFO_NR_CHANNELS;
    ports[0] = EVTCHN_FIFO_NR_CHANNELS;
    CHECK_EQ(poll_ports(ports, 1, 0), -EINVAL);
    CHECK_EQ(v->state, VCPU_RUNNING);
    ports[0] = 5000;
    ports[1] = EVTCHN_FIFO_NR_CHANNELS - 1;
    ports[2] = 4096 + 64;
    CHECK_EQ(poll_ports(ports, 3, 0), 0);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    CHECK_EQ(v->nr_poll_ports, 3);
    CHECK_EQ(v->poll_ports[1], EVTCHN_FIFO_NR_CHANNELS - 1);
    /* Raises of ports it does not poll (904 is 5000 modulo 4096) leave it. */
    spin_lock_irqsave(&d->event_lock, flags);
    evtchn_wake_pollers_locked(d, 5000 - 4096);
    evtchn_wake_pollers_locked(d, 5001);
    spin_unlock_irqrestore(&d->event_lock, flags);
    CHECK_EQ(v->state, VCPU_BLOCKED);
    /* Its highest port wakes it. */
    spin_lock_irqsave(&d->event_lock, flags);
    evtchn_wake_pollers_locked(d, EVTCHN_FIFO_NR_CHANNELS - 1);
    spin_unlock_irqrestore(&d->event_lock, flags);
    CHECK_EQ(v->state, VCPU_RUNNABLE);
    CHECK_EQ(v->nr_poll_ports, 0);
    d->max_evtchns = NR_EVTCHN_2L;
}

/* Xen's order: an upcall already deliverable, then each port in turn, a
 * pending one ending the call (0) before later ports are checked. */
static void poll_checks_ports_in_xens_order(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    uint32_t ports[2];
    struct sched_poll p = { .nr_ports = 2 };

    set_current(v);
    v->vcpu_info->evtchn_upcall_mask = 1;
    ports[0] = ev_bind_ipi(0);
    ports[1] = 4096;
    CHECK_EQ(poll_ports(ports, 2, 0), -EINVAL);     /* nothing pending yet */
    evtchn_port_set_pending(d, ports[0]);
    CHECK_EQ(poll_ports(ports, 2, 0), 0);           /* pending, then bad */
    CHECK_EQ(v->state, VCPU_RUNNING);
    ports[1] = ports[0];
    ports[0] = 4096;
    CHECK_EQ(poll_ports(ports, 2, 0), -EINVAL);     /* bad, then pending */
    /* A pending port before an unreadable one: 0 (the copy never runs). */
    memcpy(gptr(GUEST_SIZE - 4), &ports[1], 4);
    p.ports.va = gva(GUEST_SIZE - 4);
    CHECK_EQ(sched_op(SCHEDOP_poll, &p, sizeof(p)), 0);
    /* A deliverable upcall comes before any port check. */
    evtchn_port_set_pending(d, ev_bind_ipi(0));
    v->vcpu_info->evtchn_upcall_mask = 0;
    CHECK(vcpu_event_deliverable(v));
    ports[0] = 4096;
    CHECK_EQ(poll_ports(ports, 1, 0), 0);
    CHECK_EQ(v->state, VCPU_RUNNING);
    CHECK_EQ(sched_log.blocks, 0);
}

static void shutdown_and_yield(void)
{
    struct domain *d0 = dom_new(0, 1, true);
    struct domain *d1 = dom_new(1, 1, false);
    struct sched_shutdown s;
    struct sched_remote_shutdown r;

    set_current(d1->vcpu[0]);
    CHECK_EQ(sched_op(SCHEDOP_yield, NULL, 0), 0);
    CHECK_EQ(sched_log.yields, 1);
    for ( unsigned int reason = 0; reason <= SHUTDOWN_MAX; reason++ )
    {
        s.reason = reason;
        CHECK_EQ(sched_op(SCHEDOP_shutdown, &s, sizeof(s)), 0);
        CHECK_EQ(sched_log.shutdown_reason, reason);
        CHECK(sched_log.shutdown_domain == d1);
    }
    CHECK_EQ(sched_log.shutdowns, SHUTDOWN_MAX + 1);
    s.reason = SHUTDOWN_MAX + 1;
    CHECK_EQ(sched_op(SCHEDOP_shutdown, &s, sizeof(s)), -EINVAL);
    CHECK_EQ(do_sched_op(SCHEDOP_shutdown, 0, 0, 0, 0), -EFAULT);

    r = (struct sched_remote_shutdown){ .domain_id = 0, .reason = 0 };
    CHECK_EQ(sched_op(SCHEDOP_remote_shutdown, &r, sizeof(r)), -EPERM);
    set_current(d0->vcpu[0]);
    r = (struct sched_remote_shutdown){ .domain_id = 1, .reason = SHUTDOWN_reboot };
    CHECK_EQ(sched_op(SCHEDOP_remote_shutdown, &r, sizeof(r)), 0);
    CHECK(sched_log.shutdown_domain == d1);
    CHECK_EQ(sched_log.shutdown_reason, SHUTDOWN_reboot);
    r.domain_id = 42;
    CHECK_EQ(sched_op(SCHEDOP_remote_shutdown, &r, sizeof(r)), -ESRCH);
    r = (struct sched_remote_shutdown){ .domain_id = 1, .reason = 77 };
    CHECK_EQ(sched_op(SCHEDOP_remote_shutdown, &r, sizeof(r)), -EINVAL);
    CHECK_EQ(sched_log.shutdowns, SHUTDOWN_MAX + 2);

    CHECK_EQ(sched_op(SCHEDOP_shutdown_code, &s, sizeof(s)), -ENOSYS);
    CHECK_EQ(sched_op(SCHEDOP_watchdog, &s, sizeof(s)), -ENOSYS);
    CHECK_EQ(sched_op(SCHEDOP_pin_override, &s, sizeof(s)), -ENOSYS);
    CHECK_EQ(sched_op(1000, &s, sizeof(s)), -ENOSYS);
}

const struct test_case schedop_cases[] = {
    { "schedop/block-without-events-sleeps", block_without_events_sleeps },
    { "schedop/block-with-event-pending-returns", block_with_event_pending_returns },
    { "schedop/poll-returns-at-once-when-pending", poll_returns_at_once_when_pending },
    { "schedop/poll-sleeps-until-its-port", poll_sleeps_until_its_port },
    { "schedop/poll-times-out", poll_times_out },
    { "schedop/poll-wakes-for-deliverable-upcall", poll_wakes_for_deliverable_upcall },
    { "schedop/poll-argument-checks", poll_argument_checks },
    { "schedop/poll-high-ports-follow-the-abi-limit", poll_high_ports_follow_the_abi_limit },
    { "schedop/poll-checks-ports-in-xens-order", poll_checks_ports_in_xens_order },
    { "schedop/shutdown-and-yield", shutdown_and_yield },
    { NULL, NULL },
};
