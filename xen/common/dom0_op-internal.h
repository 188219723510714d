/*
 * Shared by the dom0_op files only: the per-command handler signature and
 * the helpers every area uses.  docs/dom0_op.md is the contract.
 *
 * A handler gets the caller's whole request (already copied in, header
 * checked) and edits its OUT fields in place; it returns 0 or -errno.  It
 * runs under dom0_op_lock, so two toolstack calls never interleave.  A
 * command that must wait for other CPUs (destroy, pause) has a second
 * step, run after the lock is dropped when the first returned 0.
 */
#ifndef COMMON_DOM0_OP_INTERNAL_H
#define COMMON_DOM0_OP_INTERNAL_H

#include <xen/types.h>
#include <public/dom0_op.h>

struct domain;
struct vcpu;

/* Is every byte of p[0..len) zero? */
bool dom0_bytes_zero(const void *p, size_t len);

/* A (not dying) domain by id for the command now running, referenced until
 * the command returns: the front door drops every such reference with
 * dom0_put_held().  -EINVAL for a reserved id, -ESRCH for none. */
struct domain *dom0_get_domain(domid_t id, int *err);
void dom0_put_held(void);
/* vCPU n of d, or NULL with *err = -ENOENT. */
struct vcpu *dom0_get_vcpu(struct domain *d, uint32_t n, int *err);

/* Sum of the CPU time of d's vCPUs. */
uint64_t dom0_domain_cpu_time(const struct domain *d);

/* Per-domain scheduler parameters live beside the domain (the
 * round-robin scheduler does not use them yet). */
void dom0_sched_forget(const struct domain *d);

/* Command handlers, by area. */
long dom0_createdomain(struct xen_dom0_op *op);
long dom0_destroydomain(struct xen_dom0_op *op);
long dom0_destroydomain_finish(struct xen_dom0_op *op);
long dom0_pausedomain(struct xen_dom0_op *op);
long dom0_pausedomain_finish(struct xen_dom0_op *op);
long dom0_unpausedomain(struct xen_dom0_op *op);
long dom0_resumedomain(struct xen_dom0_op *op);
long dom0_getdomaininfo(struct xen_dom0_op *op);
long dom0_getdomaininfolist(struct xen_dom0_op *op);
long dom0_setmaxmem(struct xen_dom0_op *op);

long dom0_getvcpucontext(struct xen_dom0_op *op);
long dom0_setvcpucontext(struct xen_dom0_op *op);
long dom0_setvcpuaffinity(struct xen_dom0_op *op);
long dom0_getvcpuaffinity(struct xen_dom0_op *op);
long dom0_getvcpuinfo(struct xen_dom0_op *op);
long dom0_getschedparams(struct xen_dom0_op *op);
long dom0_setschedparams(struct xen_dom0_op *op);

long dom0_getaccounting(struct xen_dom0_op *op);
long dom0_readlog(struct xen_dom0_op *op);
long dom0_getframeinfo(struct xen_dom0_op *op);
long dom0_getperfcounters(struct xen_dom0_op *op);
long dom0_physinfo(struct xen_dom0_op *op);
long dom0_copyframes(struct xen_dom0_op *op);

#endif /* COMMON_DOM0_OP_INTERNAL_H */
