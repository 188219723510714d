/*
 * sched_op: yielding, blocking until an event, polling event ports, and
 * shutting a domain down.
 *
 * Blocking never sleeps here: vcpu_block() marks the vCPU blocked and the
 * switch happens on the way back to the guest.  That is what makes the
 * lost-wakeup check below work: after marking ourselves blocked we look
 * for work once more, and anyone raising work after that look sees us
 * blocked and wakes us (the raise path in event_channel.c does the mirror
 * image: flag first, then look at the vCPU's state).
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/arch-hooks.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <public/sched.h>

static long sched_block(struct vcpu *v)
{
    unsigned long flags;

    path_trace(PT_BLOCK, PT_DV(v), 0);
    spin_lock_irqsave(&v->domain->event_lock, flags);
    evtchn_poll_end_locked(v);          /* no stale poll may wake us */
    spin_unlock_irqrestore(&v->domain->event_lock, flags);

    /* Unmasking and blocking are one step for the guest: it blocks with
     * events masked so nothing is delivered between its check and here. */
    if ( v->vcpu_info != NULL )
        WRITE_ONCE(v->vcpu_info->evtchn_upcall_mask, 0);
    vcpu_block(v);
    smp_mb();
    if ( vcpu_event_deliverable(v) )
        vcpu_wake(v);
    return 0;
}

/* Is port pending right now?  A look only: the race-free decision to
 * sleep is evtchn_poll_begin/recheck's. */
static bool poll_port_pending(struct domain *d, unsigned int port)
{
    unsigned long flags;
    bool pending;

    spin_lock_irqsave(&d->event_lock, flags);
    pending = evtchn_port_is_pending(d, port);
    spin_unlock_irqrestore(&d->event_lock, flags);
    return pending;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    uint32_t ports[POLL_MAX_PORTS];
    s_time_t timeout;
    unsigned long flags;

    spin_lock_irqsave(&v->domain->event_lock, flags);
    evtchn_poll_end_locked(v);      /* no earlier poll outlives this call */
    spin_unlock_irqrestore(&v->domain->event_lock, flags);
    if ( copy_from_guest(&p, arg, sizeof(p)) )
        return -EFAULT;
    if ( p.nr_ports > POLL_MAX_PORTS )
        return -EINVAL;
    if ( !guest_range_ok(guest_handle_va(p.ports),
                         (size_t)p.nr_ports * sizeof(ports[0])) )
        return -EFAULT;
    /* Xen's order from here: an upcall already deliverable, then each port
     * in the guest's order (unreadable -EFAULT, out of range -EINVAL,
     * pending: done, 0).  So a pending port ends the call before a bad
     * one listed after it is even read, as guests written for Xen see. */
    if ( vcpu_event_deliverable(v) )
        return 0;
    for ( unsigned int i = 0; i < p.nr_ports; i++ )
    {
        if ( copy_from_guest_index(&ports[i], guest_handle_va(p.ports), i,
                                   sizeof(ports[i])) )
            return -EFAULT;
        /* Any port below the limit of the domain's current ABI (2-level
         * 4096, FIFO EVTCHN_FIFO_NR_CHANNELS), bound or not; an unbound
         * one is simply never pending. */
        if ( ports[i] >= READ_ONCE(v->domain->max_evtchns) )
            return -EINVAL;
        if ( poll_port_pending(v->domain, ports[i]) )
            return 0;
    }
    timeout = p.timeout > (uint64_t)STIME_MAX ? STIME_MAX : (s_time_t)p.timeout;

    if ( p.nr_ports == 0 )
    {
        /* Nothing to watch: sleep until an upcall or the timeout. */
        vcpu_block(v);
        smp_mb();
        if ( vcpu_event_deliverable(v) )
            vcpu_wake(v);
        else if ( timeout != 0 )
            set_timer(&v->poll_timer, timeout);
        return 0;
    }

    /* Published before nr_poll_ports (under the event lock), so a raiser
     * that sees us polling sees the list. */
    if ( v->poll_ports == NULL )
    {
        v->poll_ports = xzalloc_array(uint32_t, POLL_MAX_PORTS);
        if ( v->poll_ports == NULL )
            return -ENOMEM;
    }
    if ( evtchn_poll_begin(v, ports, p.nr_ports) )
        return 0;                       /* already pending */
    vcpu_block(v);
    smp_mb();
    if ( evtchn_poll_recheck(v, timeout) )
        vcpu_wake(v);
    return 0;
}

static long sched_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_shutdown s;

    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.reason > SHUTDOWN_MAX )
        return -EINVAL;
    domain_shutdown(v->domain, s.reason);
    return 0;
}

static long sched_remote_shutdown(struct vcpu *v, uint64_t arg)
{
    struct sched_remote_shutdown s;
    struct domain *d;

    if ( !v->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(&s, arg, sizeof(s)) )
        return -EFAULT;
    if ( s.reason > SHUTDOWN_MAX )
        return -EINVAL;
    if ( (d = domain_lookup(s.domain_id)) == NULL )
        return -ESRCH;
    domain_shutdown(d, s.reason);
    domain_put(d);
    return 0;
}

/* sched_op(cmd, arg) */
HYPERCALL(sched_op)
{
    struct vcpu *v = current;

    switch ( a1 )
    {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;
    case SCHEDOP_block:
        return sched_block(v);
    case SCHEDOP_shutdown:
        return sched_shutdown(v, a2);
    case SCHEDOP_poll:
        return sched_poll(v, a2);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown(v, a2);
    /* Not provided: Linux copes (watchdog driver fails to load, dom0's
     * ACPI pinning falls back). */
    case SCHEDOP_shutdown_code:
    case SCHEDOP_watchdog:
    case SCHEDOP_pin_override:
    default:
        return -ENOSYS;
    }
}
