/*
 * The event_channel_op hypercall: each EVTCHNOP_* checks the guest's
 * arguments and works on ports through event_channel.c's helpers, with
 * that file's locking rules (d->event_lock with interrupts off; pair_lock
 * first for anything touching two domains' ports).
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/arch-hooks.h>
#include <xen/smp.h>
#include <public/event_channel.h>
#include "event_channel-internal.h"

static long op_alloc_unbound(uint64_t arg)
{
    struct evtchn_alloc_unbound a;
    struct domain *d;
    int rc = 0, port;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    d = domain_lookup_for(current->domain, a.dom, &rc);
    if ( d == NULL )
        return rc;
    /* DOMID_SELF as the remote end means the caller. */
    port = evtchn_alloc_unbound_port(d, a.remote_dom == DOMID_SELF ?
                                        current->domain->domain_id :
                                        a.remote_dom);
    domain_put(d);
    if ( port < 0 )
        return port;
    a.port = port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long op_bind_interdomain(uint64_t arg)
{
    struct evtchn_bind_interdomain a;
    struct domain *ld = current->domain, *rd;
    struct evtchn *rchn;
    unsigned long flags;
    int lport;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( a.remote_port == 0 || a.remote_port >= EVTCHN_FIFO_NR_CHANNELS )
        return -EINVAL;
    /* Any domain may bind to a port offered to it: no privilege check,
     * but a reference, which the new local end keeps. */
    if ( a.remote_dom == DOMID_SELF || a.remote_dom == ld->domain_id )
    {
        rd = ld;
        domain_get(rd);
    }
    else if ( (rd = domain_lookup(a.remote_dom)) == NULL )
        return -ESRCH;

    spin_lock_irqsave(&evtchn_pair_lock, flags);
    evtchn_lock_two(ld, rd);
    rchn = evtchn_port_to_chn(rd, a.remote_port);
    /* Killed since the lookup: its ports are being closed for good. */
    if ( READ_ONCE(rd->state) == DOMAIN_DYING ||
         READ_ONCE(ld->state) == DOMAIN_DYING )
        lport = -ESRCH;
    else if ( rchn == NULL || rchn->state != ECS_UNBOUND ||
              rchn->u.unbound.remote_domid != ld->domain_id )
        lport = -EINVAL;
    else if ( (lport = evtchn_get_free_port(ld)) > 0 )
    {
        struct evtchn *lchn = evtchn_port_to_chn(ld, lport);

        lchn->state = ECS_INTERDOMAIN;
        lchn->notify_vcpu = 0;
        lchn->u.interdomain.remote_dom = rd;
        lchn->u.interdomain.remote_port = a.remote_port;
        memset(&rchn->u, 0, sizeof(rchn->u));
        rchn->state = ECS_INTERDOMAIN;
        rchn->u.interdomain.remote_dom = ld;
        rchn->u.interdomain.remote_port = lport;
        domain_get(ld);                 /* the far end's reference */
        /* Sends to the unbound end were dropped; a spurious event here is
         * harmless and covers them. */
        evtchn_raise_locked(ld, lport);
    }
    evtchn_unlock_two(ld, rd);
    spin_unlock_irqrestore(&evtchn_pair_lock, flags);
    if ( lport < 0 )
    {
        domain_put(rd);
        return lport;
    }
    a.local_port = lport;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long op_bind_virq(uint64_t arg)
{
    struct evtchn_bind_virq a;
    struct domain *d = current->domain;
    struct vcpu *v;
    unsigned long flags;
    int port;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( a.virq >= NR_VIRQS )
        return -EINVAL;
    if ( virq_is_global(a.virq) && a.vcpu != 0 )
        return -EINVAL;
    if ( (v = evtchn_vcpu(d, a.vcpu)) == NULL )
        return -ENOENT;

    flags = evtchn_lock(d);
    if ( v->virq_to_evtchn[a.virq] != 0 )
        port = -EEXIST;
    else if ( (port = evtchn_get_free_port(d)) > 0 )
    {
        struct evtchn *chn = evtchn_port_to_chn(d, port);

        chn->state = ECS_VIRQ;
        chn->notify_vcpu = a.vcpu;
        chn->u.virq = a.virq;
        v->virq_to_evtchn[a.virq] = port;
    }
    evtchn_unlock(d, flags);
    if ( port < 0 )
        return port;
    a.port = port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

/* A physical IRQ the domain mapped (PHYSDEVOP_map_pirq) onto a new port,
 * notified on vCPU 0.  The sharing flag is accepted and means nothing:
 * message-signalled interrupts are never shared. */
static long op_bind_pirq(uint64_t arg)
{
    struct evtchn_bind_pirq a;
    struct domain *d = current->domain;
    unsigned long flags;
    int port, rc;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( a.pirq >= NR_PIRQS )
        return -EINVAL;
    flags = evtchn_lock(d);
    if ( (port = evtchn_get_free_port(d)) > 0 )
    {
        rc = arch_pirq_bind(d, a.pirq, port);
        if ( rc == 0 )
        {
            struct evtchn *chn = evtchn_port_to_chn(d, port);

            chn->state = ECS_PIRQ;
            chn->notify_vcpu = 0;
            chn->u.pirq = a.pirq;
        }
        else
            port = rc;
    }
    evtchn_unlock(d, flags);
    if ( port < 0 )
        return port;
    a.port = port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long op_bind_ipi(uint64_t arg)
{
    struct evtchn_bind_ipi a;
    struct domain *d = current->domain;
    unsigned long flags;
    int port;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( evtchn_vcpu(d, a.vcpu) == NULL )
        return -ENOENT;
    flags = evtchn_lock(d);
    if ( (port = evtchn_get_free_port(d)) > 0 )
    {
        struct evtchn *chn = evtchn_port_to_chn(d, port);

        chn->state = ECS_IPI;
        chn->notify_vcpu = a.vcpu;
    }
    evtchn_unlock(d, flags);
    if ( port < 0 )
        return port;
    a.port = port;
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long op_close(uint64_t arg)
{
    struct evtchn_close a;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    return evtchn_close_port(current->domain, a.port);
}

static long op_send(uint64_t arg)
{
    struct evtchn_send a;
    struct domain *ld = current->domain, *rd;
    struct evtchn *chn;
    unsigned long flags;
    bool interdomain = false;
    long rc = 0;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;

    /* Fast path: everything but interdomain stays inside this domain. */
    flags = evtchn_lock(ld);
    chn = evtchn_port_to_chn(ld, a.port);
    if ( chn == NULL )
        rc = -EINVAL;
    else if ( chn->state == ECS_IPI )
        evtchn_raise_locked(ld, a.port);
    else if ( chn->state == ECS_INTERDOMAIN )
        interdomain = true;
    else if ( chn->state != ECS_UNBOUND )   /* unbound: dropped, like Xen */
        rc = -EINVAL;
    evtchn_unlock(ld, flags);
    if ( !interdomain )
        goto out;

    spin_lock_irqsave(&evtchn_pair_lock, flags);
    spin_lock(&ld->event_lock);
    if ( chn->state == ECS_INTERDOMAIN )
    {
        unsigned int rport = chn->u.interdomain.remote_port;

        rd = chn->u.interdomain.remote_dom;
        spin_unlock(&ld->event_lock);
        spin_lock(&rd->event_lock);
        evtchn_raise_locked(rd, rport);
        spin_unlock(&rd->event_lock);
    }
    else
    {
        /* Closed meanwhile, or unbound again: as if we came later. */
        rc = chn->state == ECS_UNBOUND ? 0 : -EINVAL;
        spin_unlock(&ld->event_lock);
    }
    spin_unlock_irqrestore(&evtchn_pair_lock, flags);
 out:
    if ( rc == 0 )
        __atomic_add_fetch(&ld->stats.events_sent, 1, __ATOMIC_RELAXED);
    return rc;
}

static long op_status(uint64_t arg)
{
    struct evtchn_status a;
    struct domain *d;
    struct evtchn *chn;
    unsigned long flags;
    int rc = 0;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    d = domain_lookup_for(current->domain, a.dom, &rc);
    if ( d == NULL )
        return rc;

    flags = evtchn_lock(d);
    chn = evtchn_port_to_chn(d, a.port);
    if ( chn == NULL )
    {
        evtchn_unlock(d, flags);
        domain_put(d);
        return -EINVAL;
    }
    memset(&a.u, 0, sizeof(a.u));
    a.vcpu = chn->notify_vcpu;
    switch ( chn->state )
    {
    case ECS_UNBOUND:
        a.status = EVTCHNSTAT_unbound;
        a.u.unbound.dom = chn->u.unbound.remote_domid;
        break;
    case ECS_INTERDOMAIN:
        a.status = EVTCHNSTAT_interdomain;
        a.u.interdomain.dom = chn->u.interdomain.remote_dom->domain_id;
        a.u.interdomain.port = chn->u.interdomain.remote_port;
        break;
    case ECS_PIRQ:
        a.status = EVTCHNSTAT_pirq;
        a.u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        a.status = EVTCHNSTAT_virq;
        a.u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        a.status = EVTCHNSTAT_ipi;
        break;
    default:                            /* free */
        a.status = EVTCHNSTAT_closed;
        a.vcpu = 0;
        break;
    }
    evtchn_unlock(d, flags);
    domain_put(d);
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

static long op_bind_vcpu(uint64_t arg)
{
    struct evtchn_bind_vcpu a;
    struct domain *d = current->domain;
    struct evtchn *chn;
    struct vcpu *v;
    unsigned long flags;
    long rc = 0;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( (v = evtchn_vcpu(d, a.vcpu)) == NULL )
        return -ENOENT;

    flags = evtchn_lock(d);
    chn = evtchn_port_to_chn(d, a.port);
    if ( chn == NULL )
        rc = -EINVAL;
    else
        switch ( chn->state )
        {
        case ECS_VIRQ:
            /* Per-vCPU VIRQs belong to their vCPU; global ones may move. */
            if ( !virq_is_global(chn->u.virq) )
            {
                rc = -EINVAL;
                break;
            }
            /* fall through */
        case ECS_UNBOUND:
        case ECS_INTERDOMAIN:
        case ECS_PIRQ:
            chn->notify_vcpu = a.vcpu;
            if ( d->shared_info != NULL )
                d->evtchn_ops->moved(d, a.port, chn);
            break;
        default:                        /* IPIs stay; free ports: nothing */
            rc = -EINVAL;
            break;
        }
    evtchn_unlock(d, flags);
    return rc;
}

static long op_unmask(uint64_t arg)
{
    struct evtchn_unmask a;
    struct domain *d = current->domain;
    struct evtchn *chn;
    unsigned long flags;
    long rc = 0;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    flags = evtchn_lock(d);
    chn = evtchn_port_to_chn(d, a.port);
    if ( chn == NULL || d->shared_info == NULL )
        rc = -EINVAL;
    else
        d->evtchn_ops->unmask(d, a.port, chn);
    evtchn_unlock(d, flags);
    return rc;
}

/* Is any port above the 2-level range bound?  d->event_lock held. */
static bool high_ports_bound(const struct domain *d)
{
    for ( unsigned int port = NR_EVTCHN_2L; port < d->max_evtchns; port++ )
    {
        const struct evtchn *chn = evtchn_port_to_chn(d, port);

        if ( chn == NULL )
            port |= EVTCHN_BUCKET_PORTS - 1;    /* a whole bucket missing */
        else if ( chn->state != ECS_FREE )
            return true;
    }
    return false;
}

static long op_reset(uint64_t arg)
{
    struct evtchn_reset a;
    struct domain *d;
    unsigned long flags;
    int rc = 0;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    d = domain_lookup_for(current->domain, a.dom, &rc);
    if ( d == NULL )
        return rc;
    /* Free ports answer -EINVAL; the table is only read under its lock
     * (a dying domain's may go at any time).  Like Xen, a reset also
     * returns the domain to the 2-level ABI, but only once no port above
     * its range is bound (d may be binding new ones meanwhile: a few more
     * rounds, else it stays on FIFO rather than hide a bound port). */
    for ( unsigned int round = 0; round < 4; round++ )
    {
        bool done;

        for ( unsigned int port = 1; port < READ_ONCE(d->max_evtchns); port++ )
            (void)evtchn_close_port(d, port);
        flags = evtchn_lock(d);
        done = d->evtchn == NULL || !high_ports_bound(d);
        if ( done && d->evtchn != NULL )
            evtchn_fifo_destroy(d);
        evtchn_unlock(d, flags);
        if ( done )
            break;
    }
    domain_put(d);
    return 0;
}

static long op_init_control(uint64_t arg)
{
    struct evtchn_init_control a;
    long rc;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    a.link_bits = EVTCHN_FIFO_LINK_BITS;
    rc = evtchn_fifo_init_control(current->domain, &a);
    if ( rc == 0 && copy_to_guest(arg, &a, sizeof(a)) )
        rc = -EFAULT;
    return rc;
}

static long op_expand_array(uint64_t arg)
{
    struct evtchn_expand_array a;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    return evtchn_fifo_expand_array(current->domain, a.array_gfn);
}

static long op_set_priority(uint64_t arg)
{
    struct evtchn_set_priority a;
    struct domain *d = current->domain;
    struct evtchn *chn;
    unsigned long flags;
    long rc;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    flags = evtchn_lock(d);
    chn = evtchn_port_to_chn(d, a.port);
    if ( chn == NULL )
        rc = -EINVAL;
    else if ( d->evtchn_ops->set_priority == NULL )
        rc = -ENOSYS;                   /* 2-level: no priorities */
    else
        rc = d->evtchn_ops->set_priority(d, chn, a.priority);
    evtchn_unlock(d, flags);
    return rc;
}

HYPERCALL(event_channel_op)
{
    uint64_t arg = a2;

    switch ( a1 )
    {
    case EVTCHNOP_bind_interdomain: return op_bind_interdomain(arg);
    case EVTCHNOP_bind_virq:        return op_bind_virq(arg);
    case EVTCHNOP_close:            return op_close(arg);
    case EVTCHNOP_send:             return op_send(arg);
    case EVTCHNOP_status:           return op_status(arg);
    case EVTCHNOP_alloc_unbound:    return op_alloc_unbound(arg);
    case EVTCHNOP_bind_ipi:         return op_bind_ipi(arg);
    case EVTCHNOP_bind_vcpu:        return op_bind_vcpu(arg);
    case EVTCHNOP_unmask:           return op_unmask(arg);
    case EVTCHNOP_reset:            return op_reset(arg);
    case EVTCHNOP_init_control:     return op_init_control(arg);
    case EVTCHNOP_expand_array:     return op_expand_array(arg);
    case EVTCHNOP_set_priority:     return op_set_priority(arg);
    case EVTCHNOP_bind_pirq:        return op_bind_pirq(arg);
    default:
        return -ENOSYS;
    }
}
