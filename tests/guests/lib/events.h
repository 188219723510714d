/*
 * Event channels, 2-level ABI, as Linux drives them: an upcall entry
 * registered with CALLBACKOP_register (mask events on entry) that clears
 * evtchn_upcall_pending, swaps evtchn_pending_sel to 0 and handles
 * pending & ~mask word by word, clearing each pending bit before calling
 * the port's handler.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdint.h>

#include "public/event_channel.h"

#define NR_PORTS 4096

typedef void (*port_handler_t)(evtchn_port_t port);

/* Registers the event (mask_events) and failsafe callbacks; returns rc. */
long events_init(void);

void evtchn_set_handler(evtchn_port_t port, port_handler_t fn);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask_local(evtchn_port_t port); /* clear the bit, no hypercall */
int evtchn_is_pending(evtchn_port_t port);
int evtchn_is_masked(evtchn_port_t port);
void evtchn_clear_pending(evtchn_port_t port);

/* When set, the upcall calls this instead of the 2-level handler (a test
 * of another ABI, e.g. FIFO, brings its own). */
extern void (*evtchn_upcall_override)(void);

/* Upcalls and per-port deliveries seen so far. */
extern volatile unsigned int upcall_count;
extern volatile unsigned int port_events[NR_PORTS];

/* The guest's "interrupt flag": evtchn_upcall_mask in its vcpu_info. */
void events_enable(void);  /* unmask; force delivery if already pending */
void events_disable(void);

/*
 * Spin (events enabled, yielding to the hypervisor) until *counter reaches
 * target.  Returns 1 if reached, 0 once timeout_ns of system time has
 * passed *and* WAIT_YIELDS_AFTER more yields have returned since: the
 * give-up is decided by our progress, not by the clock alone, because
 * system time is the host's and a busy host can stop this vCPU for longer
 * than any timeout (each yield is a return from the hypervisor, which
 * delivers what is pending and runs timers that are due).
 */
#define WAIT_YIELDS_AFTER 1000
int wait_for_count(volatile unsigned int *counter, unsigned int target,
                   uint64_t timeout_ns);

/* Sleep in SCHEDOP_poll (no timeout) until port is pending or the vCPU
 * is woken otherwise; returns 1, having cleared the bit, if port was
 * pending, else 0.  For a vCPU that serves one port with upcalls off. */
int evtchn_poll_one(evtchn_port_t port);

/* The ns vCPU 0 has spent blocked (VCPUOP_get_runstate_info): grows only
 * while it sleeps in the hypervisor, so "did not sleep" can be checked
 * without a clock that a busy host stretches. */
uint64_t vcpu0_blocked_ns(void);

/* Handy wrappers; they return the hypercall rc and store the port. */
long evtchn_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long evtchn_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
long evtchn_send(evtchn_port_t port);
long evtchn_close(evtchn_port_t port);
long evtchn_unmask(evtchn_port_t port);

#endif /* GUEST_EVENTS_H */
