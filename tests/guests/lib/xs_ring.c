/* The xenstore ring's index protocol, from the guest's side (xs_ring.h). */
#include "guest.h"
#include "xs_ring.h"

void xs_ring_wait(const struct xs_ring *r)
{
    struct sched_poll p;
    evtchn_port_t ports[1] = { r->port };

    evtchn_clear_pending(r->port);
    vcpu->evtchn_upcall_pending = 0;
    barrier();
    p.ports.p = ports;
    p.nr_ports = 1;
    p.timeout = pvclock_now() + r->slice_ns;
    hv_sched_op(SCHEDOP_poll, &p);
}

int xs_ring_put(const struct xs_ring *r, const void *src, unsigned int len,
                uint64_t deadline)
{
    volatile struct xenstore_domain_interface *ring = r->intf;
    const char *s = src;
    unsigned int done = 0;

    while (done < len) {
        XENSTORE_RING_IDX cons = ring->req_cons, prod = ring->req_prod;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod - cons == XENSTORE_RING_SIZE) {
            if ((int64_t)(pvclock_now() - deadline) > 0)
                return 0;
            evtchn_send(r->port);
            xs_ring_wait(r);
            continue;
        }
        while (prod - cons < XENSTORE_RING_SIZE && done < len)
            ring->req[MASK_XENSTORE_IDX(prod++)] = s[done++];
        __atomic_thread_fence(__ATOMIC_RELEASE);
        ring->req_prod = prod;
        evtchn_send(r->port);
    }
    return 1;
}

int xs_ring_get(const struct xs_ring *r, void *dst, unsigned int len,
                uint64_t deadline)
{
    volatile struct xenstore_domain_interface *ring = r->intf;
    char *d = dst;
    unsigned int done = 0;

    while (done < len) {
        XENSTORE_RING_IDX cons = ring->rsp_cons, prod = ring->rsp_prod;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (prod == cons) {
            if ((int64_t)(pvclock_now() - deadline) > 0)
                return 0;
            xs_ring_wait(r);
            continue;
        }
        while (cons != prod && done < len)
            d[done++] = ring->rsp[MASK_XENSTORE_IDX(cons++)];
        __atomic_thread_fence(__ATOMIC_RELEASE);
        ring->rsp_cons = cons;
        evtchn_send(r->port);   /* more may be queued behind a full ring */
    }
    return 1;
}
