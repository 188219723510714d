/* Between xen-events' event-channel tests (test_evtchn.c,
 * test_evtchn_delivery.c): a vCPU's vcpu_info and selector bit, and
 * EVTCHNOP_status/send/close for the current domain. */
#ifndef XEN_EVENTS_EVTCHN_TEST_H
#define XEN_EVENTS_EVTCHN_TEST_H

#include "harness.h"
#include <xen/hypercall.h>
#include <public/event_channel.h>

static inline struct vcpu_info *vi_of(struct domain *d, unsigned int id)
{
    return d->vcpu[id]->vcpu_info;
}

static inline bool sel_bit(struct domain *d, unsigned int vcpu, unsigned int port)
{
    return (vi_of(d, vcpu)->evtchn_pending_sel >> (port / 64)) & 1;
}

static inline struct evtchn_status status_of(domid_t dom, unsigned int port, long *rc)
{
    struct evtchn_status s = { .dom = dom, .port = port };

    *rc = evtchn_op(EVTCHNOP_status, &s, sizeof(s));
    return s;
}

static inline long send_port(unsigned int port)
{
    struct evtchn_send s = { .port = port };

    return evtchn_op(EVTCHNOP_send, &s, sizeof(s));
}

static inline long close_port(unsigned int port)
{
    struct evtchn_close c = { .port = port };

    return evtchn_op(EVTCHNOP_close, &c, sizeof(c));
}

#endif /* XEN_EVENTS_EVTCHN_TEST_H */
