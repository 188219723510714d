/*
 * What event_channel_op.c (the hypercall) uses of event_channel.c (ports,
 * bindings, raising).  Private to those two files.
 *
 * Locking: evtchn_lock/evtchn_unlock take d->event_lock with interrupts
 * off; anything touching two domains' ports takes evtchn_pair_lock first,
 * then evtchn_lock_two.  The *_locked functions need d->event_lock held.
 */
#ifndef XEN_COMMON_EVENT_CHANNEL_INTERNAL_H
#define XEN_COMMON_EVENT_CHANNEL_INTERNAL_H

#include <xen/sched.h>
#include <xen/spinlock.h>

/* Taken before any two domains' event locks (see event_channel.c). */
extern spinlock_t evtchn_pair_lock;

/* d's vCPU 'id', or NULL if there is none. */
struct vcpu *evtchn_vcpu(const struct domain *d, unsigned int id);
/* A free port of d (allocating a FIFO bucket if needed), or -ENOSPC /
 * -ENOMEM.  d->event_lock held. */
int evtchn_get_free_port(struct domain *d);
unsigned long evtchn_lock(struct domain *d);
void evtchn_unlock(struct domain *d, unsigned long flags);
/* Both domains' event locks (once if they are the same); pair lock held. */
void evtchn_lock_two(struct domain *a, struct domain *b);
void evtchn_unlock_two(struct domain *a, struct domain *b);
/* Mark d's port pending as d's ABI says and notify its vCPU.
 * d->event_lock held. */
void evtchn_raise_locked(struct domain *d, unsigned int port);

#endif /* XEN_COMMON_EVENT_CHANNEL_INTERNAL_H */
