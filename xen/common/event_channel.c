/*
 * Event channels: ports, their bindings, raising them and the 2-level
 * ABI's port ops.  The event_channel_op hypercall is in
 * event_channel_op.c; the FIFO ABI in event_fifo.c.
 *
 * A port is a slot of d->evtchn[] (NR_EVTCHN_2L of them; port 0 is
 * reserved and never handed out) or, once the guest switched to the FIFO
 * ABI (event_fifo.c, EVTCHNOP_init_control), of a bucket of
 * d->evtchn_buckets, up to d->max_evtchns.  What raising, unmasking and
 * clearing a port mean is the ABI's: d->evtchn_ops.  2-level: raising
 * sets its bit in shared_info's pending bitmap and, unless the guest
 * masked it, the
 * word's bit in the notified vCPU's selector and then upcall_pending; the
 * return-to-guest path turns that into an upcall (docs/events-and-time.md).
 *
 * Locking (see xen/event.h): d->event_lock, interrupts off, for everything
 * about one domain's ports.  Operations that touch two domains' ports
 * (binding, sending over or closing an interdomain channel) also hold
 * evtchn_pair_lock, taken first; since every change to an interdomain binding
 * happens under it, holding it keeps the peer domain and port valid, and
 * its holders may take both domains' event locks in any order.
 *
 * Each end of an interdomain channel holds a reference to the domain at
 * the other end (domain_get at bind, domain_put once the close has
 * dropped every lock), so the peer's struct outlives the binding even if
 * the peer is killed meanwhile; killing a domain closes all its ports,
 * which unbinds the far ends.  A dying domain gets no new bindings.
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

DEFINE_SPINLOCK(evtchn_pair_lock);

/* ---- Small helpers ---------------------------------------------------- */

/* The channel behind a port number, NULL if there is none: out of range,
 * or port 0, which is reserved and never valid for any operation. */
struct evtchn *evtchn_port_to_chn(const struct domain *d, unsigned int port)
{
    struct evtchn *b;

    if ( d->evtchn == NULL || port == 0 || port >= d->max_evtchns )
        return NULL;
    if ( port < NR_EVTCHN_2L )
        return &d->evtchn[port];
    port -= NR_EVTCHN_2L;
    if ( d->evtchn_buckets == NULL ||
         port / EVTCHN_BUCKET_PORTS >= EVTCHN_NR_BUCKETS )
        return NULL;
    b = d->evtchn_buckets[port / EVTCHN_BUCKET_PORTS];
    return b == NULL ? NULL : &b[port % EVTCHN_BUCKET_PORTS];
}

struct vcpu *evtchn_vcpu(const struct domain *d, unsigned int id)
{
    return id < d->max_vcpus && id < MAX_VCPUS ? d->vcpu[id] : NULL;
}

bool virq_is_global(unsigned int virq)
{
    switch ( virq )
    {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

/* The vCPU whose virq_to_evtchn[] holds a VIRQ port's binding. */
static struct vcpu *virq_owner(const struct domain *d, const struct evtchn *chn)
{
    return evtchn_vcpu(d, virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu);
}

/* A free port, its channel reset to defaults (the caller binds it), or
 * -ENOSPC.  FIFO ports above the 2-level range come in buckets allocated
 * here; a port still LINKED in a FIFO queue is not reused.  d->event_lock
 * held. */
int evtchn_get_free_port(struct domain *d)
{
    for ( unsigned int port = 1; port < d->max_evtchns; port++ )
    {
        struct evtchn *chn = evtchn_port_to_chn(d, port);

        if ( chn == NULL )
        {
            unsigned int b = (port - NR_EVTCHN_2L) / EVTCHN_BUCKET_PORTS;

            if ( port < NR_EVTCHN_2L || d->evtchn_buckets == NULL )
                return -ENOSPC;
            d->evtchn_buckets[b] = xzalloc_array(struct evtchn,
                                                 EVTCHN_BUCKET_PORTS);
            if ( d->evtchn_buckets[b] == NULL )
                return -ENOMEM;
            for ( unsigned int i = 0; i < EVTCHN_BUCKET_PORTS; i++ )
                d->evtchn_buckets[b][i].last_priority =
                    EVTCHN_FIFO_PRIORITY_DEFAULT;
            chn = evtchn_port_to_chn(d, port);
        }
        if ( chn->state == ECS_FREE && !d->evtchn_ops->is_busy(d, port) )
        {
            chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
            chn->fifo_pending = 0;
            return port;
        }
    }
    return -ENOSPC;
}

/* Back to free, with no stale pending event for the next user of the
 * port.  The mask is the guest's; it is left alone, and so is where the
 * port was last queued (FIFO: a queue's tail may still name it). */
static void free_port(struct domain *d, unsigned int port)
{
    struct evtchn *chn = evtchn_port_to_chn(d, port);
    uint16_t last_vcpu = chn->last_vcpu;
    uint8_t last_priority = chn->last_priority;

    if ( d->shared_info != NULL )
        d->evtchn_ops->clear_pending(d, port, chn);
    memset(chn, 0, sizeof(*chn));
    chn->state = ECS_FREE;
    chn->last_vcpu = last_vcpu;
    chn->last_priority = last_priority;
}

unsigned long evtchn_lock(struct domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&d->event_lock, flags);
    return flags;
}

void evtchn_unlock(struct domain *d, unsigned long flags)
{
    spin_unlock_irqrestore(&d->event_lock, flags);
}

/* Both domains' event locks (once if they are the same); evtchn_pair_lock held. */
void evtchn_lock_two(struct domain *a, struct domain *b)
{
    spin_lock(&a->event_lock);
    if ( b != a )
        spin_lock(&b->event_lock);
}

void evtchn_unlock_two(struct domain *a, struct domain *b)
{
    if ( b != a )
        spin_unlock(&b->event_lock);
    spin_unlock(&a->event_lock);
}

/* ---- Raising ------------------------------------------------------------ */

/* Make v notice new work: wake it if it sleeps (block or poll), or
 * interrupt the CPU it runs on so it looks on its way back to the guest.
 * On its own CPU the return path checks anyway.  d->event_lock held. */
static void kick_vcpu(struct vcpu *v)
{
    enum vcpu_state state;

    /* Pairs with the barrier after marking a vCPU blocked in
     * SCHEDOP_block/poll: either we see it blocked, or it sees our flag. */
    smp_mb();
    state = READ_ONCE(v->state);
    path_trace(PT_KICK, PT_DV(v), state | READ_ONCE(v->processor) << 8);
    if ( state == VCPU_BLOCKED )
    {
        evtchn_poll_end_locked(v);
        vcpu_wake(v);
    }
    else if ( state == VCPU_RUNNING && v->processor != smp_processor_id() )
        cpu_kick(v->processor);
}

void evtchn_mark_pending_locked(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;

    if ( vi == NULL )
        return;
    if ( xchg_u8(&vi->evtchn_upcall_pending, 1) == 0 )
        kick_vcpu(v);
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    unsigned long flags = evtchn_lock(v->domain);

    evtchn_mark_pending_locked(v);
    evtchn_unlock(v->domain, flags);
}

bool vcpu_event_deliverable(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;

    return vi != NULL && READ_ONCE(vi->evtchn_upcall_pending) &&
           !READ_ONCE(vi->evtchn_upcall_mask);
}

/* The selector step: tell v that word port/64 has work. */
static void set_selector_locked(struct vcpu *v, unsigned int port)
{
    struct vcpu_info *vi = v->vcpu_info;

    if ( vi == NULL )
        return;     /* no vcpu_info yet: registering one sets every bit */
    if ( !test_and_set_bit(BIT_WORD(port),
                           (unsigned long *)&vi->evtchn_pending_sel) )
        evtchn_mark_pending_locked(v);
}

/* Is port in v's poll list?  event_lock held. */
static bool polls_port(const struct vcpu *v, unsigned int port)
{
    if ( v->poll_ports == NULL )
        return false;
    for ( unsigned int i = 0; i < v->nr_poll_ports; i++ )
        if ( v->poll_ports[i] == port )
            return true;
    return false;
}

/* A port became pending: any vCPU of d polling it wakes up, masked or not. */
void evtchn_wake_pollers_locked(struct domain *d, unsigned int port)
{
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
    {
        struct vcpu *v = d->vcpu[i];

        if ( v == NULL || !polls_port(v, port) )
            continue;
        evtchn_poll_end_locked(v);
        if ( READ_ONCE(v->state) == VCPU_BLOCKED )
            vcpu_wake(v);
    }
}

void evtchn_raise_locked(struct domain *d, unsigned int port)
{
    struct evtchn *chn = evtchn_port_to_chn(d, port);

    if ( d->shared_info == NULL || chn == NULL )
        return;
    d->evtchn_ops->set_pending(d, port, chn);
}

/* ---- The 2-level ABI's port ops ------------------------------------------ */

static void l2_set_pending(struct domain *d, unsigned int port,
                           struct evtchn *chn)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v;

    if ( test_and_set_bit(port, (unsigned long *)s->evtchn_pending) )
        return;                         /* the edge is already pending */
    evtchn_wake_pollers_locked(d, port);
    if ( test_bit(port, (unsigned long *)s->evtchn_mask) )
        return;                         /* guest sees it when it unmasks */
    v = evtchn_vcpu(d, chn->notify_vcpu);
    if ( v != NULL )
        set_selector_locked(v, port);
}

static void l2_clear_pending(struct domain *d, unsigned int port,
                             struct evtchn *chn)
{
    clear_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
}

static bool l2_is_pending(const struct domain *d, unsigned int port,
                          const struct evtchn *chn)
{
    return test_bit(port,
                    (const unsigned long *)d->shared_info->evtchn_pending);
}

static void l2_unmask(struct domain *d, unsigned int port, struct evtchn *chn)
{
    struct vcpu *v;

    clear_bit(port, (unsigned long *)d->shared_info->evtchn_mask);
    /* An edge that arrived while masked was only recorded as pending:
     * do the selector step it skipped. */
    if ( l2_is_pending(d, port, chn) &&
         (v = evtchn_vcpu(d, chn->notify_vcpu)) != NULL )
        set_selector_locked(v, port);
}

static bool l2_is_busy(const struct domain *d, unsigned int port)
{
    return false;
}

/* An event already waiting must reach its new vCPU. */
static void l2_moved(struct domain *d, unsigned int port, struct evtchn *chn)
{
    struct vcpu *v = evtchn_vcpu(d, chn->notify_vcpu);

    if ( v != NULL && l2_is_pending(d, port, chn) &&
         !test_bit(port, (unsigned long *)d->shared_info->evtchn_mask) )
        set_selector_locked(v, port);
}

const struct evtchn_port_ops evtchn_port_ops_2l = {
    .set_pending   = l2_set_pending,
    .clear_pending = l2_clear_pending,
    .unmask        = l2_unmask,
    .is_pending    = l2_is_pending,
    .is_busy       = l2_is_busy,
    .moved         = l2_moved,
    .set_priority  = NULL,
};

void evtchn_port_set_pending(struct domain *d, unsigned int port)
{
    unsigned long flags = evtchn_lock(d);

    evtchn_raise_locked(d, port);
    evtchn_unlock(d, flags);
}

bool evtchn_port_is_pending(const struct domain *d, unsigned int port)
{
    const struct evtchn *chn = evtchn_port_to_chn(d, port);

    if ( d->shared_info == NULL || chn == NULL )
        return false;
    return d->evtchn_ops->is_pending(d, port, chn);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    struct vcpu *v0;
    unsigned long flags;

    if ( d == NULL || virq >= NR_VIRQS || !virq_is_global(virq) )
        return;
    flags = evtchn_lock(d);
    v0 = evtchn_vcpu(d, 0);
    if ( v0 != NULL && v0->virq_to_evtchn[virq] != 0 )
        evtchn_raise_locked(d, v0->virq_to_evtchn[virq]);
    evtchn_unlock(d, flags);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d;
    unsigned long flags;

    if ( v == NULL || virq >= NR_VIRQS )
        return;
    d = v->domain;
    if ( virq_is_global(virq) )
    {
        send_guest_global_virq(d, virq);
        return;
    }
    flags = evtchn_lock(d);
    if ( v->virq_to_evtchn[virq] != 0 )
        evtchn_raise_locked(d, v->virq_to_evtchn[virq]);
    evtchn_unlock(d, flags);
}

/* ---- SCHEDOP_poll support ---------------------------------------------- */

void evtchn_poll_end_locked(struct vcpu *v)
{
    v->nr_poll_ports = 0;              /* the list's entries are dead now */
    stop_timer(&v->poll_timer);
}

bool evtchn_poll_begin(struct vcpu *v, const uint32_t *ports, unsigned int nr)
{
    struct domain *d = v->domain;
    unsigned long flags;
    bool ready = false;

    if ( v->poll_ports == NULL )
        return true;                    /* nowhere to record: do not sleep */
    flags = evtchn_lock(d);
    evtchn_poll_end_locked(v);          /* a stale poll that nobody ended */
    if ( nr > POLL_MAX_PORTS )
        nr = POLL_MAX_PORTS;            /* sched_poll refused more already */
    for ( unsigned int i = 0; i < nr; i++ )
    {
        v->poll_ports[i] = ports[i];
        if ( evtchn_port_is_pending(d, ports[i]) )
            ready = true;
    }
    v->nr_poll_ports = nr;
    if ( ready || vcpu_event_deliverable(v) )
    {
        evtchn_poll_end_locked(v);
        ready = true;
    }
    evtchn_unlock(d, flags);
    return ready;
}

bool evtchn_poll_recheck(struct vcpu *v, s_time_t timeout)
{
    struct domain *d = v->domain;
    unsigned long flags = evtchn_lock(d);
    bool ready = false;

    /* A waker ends the poll (nr_poll_ports back to 0) before waking us. */
    if ( v->nr_poll_ports == 0 || vcpu_event_deliverable(v) )
        ready = true;
    else
        for ( unsigned int i = 0; i < v->nr_poll_ports && !ready; i++ )
            if ( evtchn_port_is_pending(d, v->poll_ports[i]) )
                ready = true;
    if ( ready )
        evtchn_poll_end_locked(v);
    else if ( timeout != 0 )
        set_timer(&v->poll_timer, timeout);
    evtchn_unlock(d, flags);
    return ready;
}

void evtchn_poll_timer_fn(void *data)
{
    struct vcpu *v = data;
    unsigned long flags = evtchn_lock(v->domain);

    evtchn_poll_end_locked(v);
    if ( READ_ONCE(v->state) == VCPU_BLOCKED )
        vcpu_wake(v);
    evtchn_unlock(v->domain, flags);
}

/* ---- Domain life cycle -------------------------------------------------- */

int evtchn_domain_init(struct domain *d)
{
    d->evtchn = xzalloc_array(struct evtchn, NR_EVTCHN_2L);
    if ( d->evtchn == NULL )
        return -ENOMEM;
    spin_lock_init(&d->event_lock);
    d->evtchn[0].state = ECS_RESERVED;
    for ( unsigned int port = 0; port < NR_EVTCHN_2L; port++ )
        d->evtchn[port].last_priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    d->max_evtchns = NR_EVTCHN_2L;
    d->evtchn_ops = &evtchn_port_ops_2l;
    return 0;
}

void evtchn_domain_destroy(struct domain *d)
{
    struct evtchn *table, **buckets;
    struct evtchn_fifo_domain *fifo;
    unsigned long flags;

    if ( d->evtchn == NULL )
        return;
    for ( unsigned int port = 1; port < d->max_evtchns; port++ )
    {
        const struct evtchn *chn = evtchn_port_to_chn(d, port);

        if ( chn != NULL && chn->state != ECS_FREE )
            evtchn_close_port(d, port);
    }
    /* A timer may still be raising a VIRQ: it finds no table, under the
     * lock, rather than a freed one. */
    flags = evtchn_lock(d);
    evtchn_fifo_destroy(d);
    table = d->evtchn;
    d->evtchn = NULL;
    buckets = d->evtchn_buckets;
    d->evtchn_buckets = NULL;
    fifo = d->evtchn_fifo;
    d->evtchn_fifo = NULL;
    evtchn_unlock(d, flags);
    xfree(fifo);
    xfree(table);
    if ( buckets != NULL )
        for ( unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++ )
            xfree(buckets[b]);
    xfree(buckets);
}

/* ---- Operations (also usable from inside the hypervisor) --------------- */

int evtchn_alloc_unbound_port(struct domain *d, domid_t remote_dom)
{
    unsigned long flags;
    int port;

    if ( remote_dom == DOMID_SELF )
        remote_dom = d->domain_id;
    if ( remote_dom >= DOMID_FIRST_RESERVED )
        return -EINVAL;
    flags = evtchn_lock(d);
    /* The table goes (under this lock) when d is killed. */
    port = d->evtchn == NULL ? -EINVAL : evtchn_get_free_port(d);
    if ( port > 0 )
    {
        struct evtchn *chn = evtchn_port_to_chn(d, port);

        chn->state = ECS_UNBOUND;
        chn->notify_vcpu = 0;
        chn->u.unbound.remote_domid = remote_dom;
    }
    evtchn_unlock(d, flags);
    return port;
}

/* References a close gave up, dropped once no lock is held (a put may
 * free the domain whose lock we hold). */
struct close_puts {
    struct domain *d[2];
    unsigned int n;
};

static void put_closed(struct close_puts *p)
{
    while ( p->n > 0 )
        domain_put(p->d[--p->n]);
}

/* evtchn_pair_lock and d's event lock held. */
static int close_locked(struct domain *d, unsigned int port,
                        struct close_puts *puts)
{
    struct evtchn *chn = evtchn_port_to_chn(d, port);
    struct vcpu *owner;

    if ( chn == NULL )
        return -EINVAL;
    switch ( chn->state )
    {
    case ECS_UNBOUND:
    case ECS_IPI:
        break;
    case ECS_PIRQ:
        arch_pirq_unbind(d, chn->u.pirq);
        break;
    case ECS_VIRQ:
        owner = virq_owner(d, chn);
        if ( owner != NULL &&
             owner->virq_to_evtchn[chn->u.virq] == (int)port )
            owner->virq_to_evtchn[chn->u.virq] = 0;
        break;
    case ECS_INTERDOMAIN:
    {
        struct domain *rd = chn->u.interdomain.remote_dom;
        struct evtchn *rchn = evtchn_port_to_chn(rd, chn->u.interdomain.remote_port);

        /* The far end waits, unbound, for us to bind again. */
        if ( rd != d )
            spin_lock(&rd->event_lock);
        if ( rchn != NULL && rchn->state == ECS_INTERDOMAIN )
        {
            rchn->state = ECS_UNBOUND;
            memset(&rchn->u, 0, sizeof(rchn->u));
            rchn->u.unbound.remote_domid = d->domain_id;
            puts->d[puts->n++] = d;     /* the far end's reference to us */
        }
        if ( rd != d )
            spin_unlock(&rd->event_lock);
        puts->d[puts->n++] = rd;        /* ours to the far end */
        break;
    }
    default:                            /* free */
        return -EINVAL;
    }
    free_port(d, port);
    return 0;
}

int evtchn_close_port(struct domain *d, unsigned int port)
{
    struct close_puts puts = { .n = 0 };
    unsigned long flags;
    int rc;

    spin_lock_irqsave(&evtchn_pair_lock, flags);
    spin_lock(&d->event_lock);
    rc = close_locked(d, port, &puts);
    spin_unlock(&d->event_lock);
    spin_unlock_irqrestore(&evtchn_pair_lock, flags);
    put_closed(&puts);
    return rc;
}
