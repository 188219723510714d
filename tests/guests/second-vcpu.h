/*
 * Bringing up vCPU 1 of a test kernel that runs as dom0 (privileged), for
 * the kernels that need two vCPUs racing each other (racemem, preempt,
 * lifecycle).  Kept local to them: a shared lib/smp.c is on its way.
 *
 * vCPU 1 gets vCPU 0's context (same page tables, trap table, callbacks)
 * through dom0_op getvcpucontext, with its own stack and fn as the entry;
 * setvcpucontext with VGCF_online starts it.  fn must never return.  Its
 * events stay masked (every vCPU starts so).
 */
#ifndef GUEST_SECOND_VCPU_H
#define GUEST_SECOND_VCPU_H

#include "guest.h"
#include "public/dom0_op.h"

static struct xen_dom0_op sv_op;
static struct vcpu_guest_context sv_ctx;
static uint8_t sv_stack[16384] __attribute__((aligned(16)));

static long sv_dom0_op(uint32_t cmd)
{
    sv_op.cmd = cmd;
    sv_op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&sv_op));
}

/* 0, or the failing dom0_op's rc. */
static __attribute__((unused)) long start_vcpu1(void (*fn)(void))
{
    long rc;

    memset(&sv_op, 0, sizeof(sv_op));
    sv_op.u.vcpucontext.domid = 0;
    sv_op.u.vcpucontext.vcpu = 0;
    sv_op.u.vcpucontext.ctxt = HC_PTR(&sv_ctx);
    sv_op.u.vcpucontext.size = sizeof(sv_ctx);
    if ( (rc = sv_dom0_op(XEN_DOM0_getvcpucontext)) )
        return rc;
    sv_ctx.user_regs.rip = (uint64_t)fn;
    /* As if called: the return address slot below a 16-byte boundary. */
    sv_ctx.user_regs.rsp = (uint64_t)(sv_stack + sizeof(sv_stack)) - 8;
    sv_ctx.gdt_ents = 0;
    sv_ctx.flags |= VGCF_online;
    memset(&sv_op.u, 0, sizeof(sv_op.u));
    sv_op.u.vcpucontext.domid = 0;
    sv_op.u.vcpucontext.vcpu = 1;
    sv_op.u.vcpucontext.ctxt = HC_PTR(&sv_ctx);
    sv_op.u.vcpucontext.size = sizeof(sv_ctx);
    return sv_dom0_op(XEN_DOM0_setvcpucontext);
}

/* Raise our own reservation limit so increase_reservation has room. */
static __attribute__((unused)) long raise_own_max_pages(unsigned long extra)
{
    domid_t self = DOMID_SELF;
    long cur = hv_memory_op(XENMEM_current_reservation, &self);

    if ( cur < 0 )
        return cur;
    memset(&sv_op, 0, sizeof(sv_op));
    sv_op.u.setmaxmem.domid = 0;
    sv_op.u.setmaxmem.max_pages = (uint64_t)cur + extra;
    return sv_dom0_op(XEN_DOM0_setmaxmem);
}

#endif /* GUEST_SECOND_VCPU_H */
