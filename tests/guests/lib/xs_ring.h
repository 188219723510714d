/*
 * A test kernel's side of its xenstore ring (public/io/xs_wire.h): copy
 * bytes in and out with the ring's index protocol, notify the store's
 * event channel, and sleep on it (SCHEDOP_poll, a slice at a time) while
 * the ring is full or empty.  Each call gives up at an absolute pvclock
 * deadline.  The message layer (headers, replies, watches) stays in the
 * kernels that speak it.
 */
#ifndef GUEST_LIB_XS_RING_H
#define GUEST_LIB_XS_RING_H

#include <stdint.h>
#include "public/xen.h"
#include "public/event_channel.h"
#include "public/io/xs_wire.h"

struct xs_ring {
    volatile struct xenstore_domain_interface *intf;
    evtchn_port_t port;
    uint64_t slice_ns;              /* longest single sleep on the port */
};

/* Sleep until the port fires or a slice passes. */
void xs_ring_wait(const struct xs_ring *r);
/* Copy len bytes into / out of the ring; 1 when done, 0 at the deadline. */
int xs_ring_put(const struct xs_ring *r, const void *src, unsigned int len,
                uint64_t deadline);
int xs_ring_get(const struct xs_ring *r, void *dst, unsigned int len,
                uint64_t deadline);

#endif /* GUEST_LIB_XS_RING_H */
