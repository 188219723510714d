/*
 * dom0_op (hypercall 36): the toolstack's control interface.
 *
 * This file is the front door: it checks the request header in the order
 * docs/dom0_op.md prescribes (privilege, copy in, version, command, pads
 * and flags), runs the command under one lock and copies the result back.
 * The commands themselves live in dom0_op_domain.c, dom0_op_vcpu.c and
 * dom0_op_machine.c.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>
#include "dom0_op-internal.h"

/* Toolstack calls are rare; one lock keeps them from ever seeing each
 * other half done.  Nothing waits for another CPU under it (see
 * dom0_cmd.finish). */
static DEFINE_SPINLOCK(dom0_op_lock);

struct pad_field {
    uint8_t off, len;                   /* within the union */
};

struct dom0_cmd {
    long (*run)(struct xen_dom0_op *op);
    long (*finish)(struct xen_dom0_op *op);   /* after the lock; or NULL */
    uint8_t size;                       /* the command's struct */
    uint8_t flags_off;                  /* 0xff: no flag word */
    uint32_t flags_mask;
    struct pad_field pads[2];           /* len 0: unused */
};

#define FIELD(type, f) { __builtin_offsetof(type, f), \
                         sizeof(((type *)0)->f) }
#define NO_FLAGS 0xff, 0
#define FLAGS(type, f, mask) __builtin_offsetof(type, f), mask

static const struct dom0_cmd dom0_cmds[] = {
    [XEN_DOM0_createdomain] = { dom0_createdomain, NULL,
        sizeof(struct xen_dom0_createdomain),
        FLAGS(struct xen_dom0_createdomain, flags, XEN_DOM0_CDF_MASK),
        { FIELD(struct xen_dom0_createdomain, pad0),
          FIELD(struct xen_dom0_createdomain, pad1) } },
#define DOMAIN_ONLY(fn, after) { fn, after, sizeof(struct xen_dom0_domain), \
        NO_FLAGS,                                                            \
        { FIELD(struct xen_dom0_domain, pad0),                               \
          FIELD(struct xen_dom0_domain, pad1) } }
    [XEN_DOM0_destroydomain] = DOMAIN_ONLY(dom0_destroydomain,
                                             dom0_destroydomain_finish),
    [XEN_DOM0_pausedomain] = DOMAIN_ONLY(dom0_pausedomain,
                                           dom0_pausedomain_finish),
    [XEN_DOM0_unpausedomain] = DOMAIN_ONLY(dom0_unpausedomain, NULL),
    [XEN_DOM0_resumedomain] = DOMAIN_ONLY(dom0_resumedomain, NULL),
    [XEN_DOM0_getdomaininfo] = { dom0_getdomaininfo, NULL,
        sizeof(struct xen_dom0_getdomaininfo), NO_FLAGS,
        { FIELD(struct xen_dom0_getdomaininfo, pad0),
          FIELD(struct xen_dom0_getdomaininfo, pad1) } },
    [XEN_DOM0_getdomaininfolist] = { dom0_getdomaininfolist, NULL,
        sizeof(struct xen_dom0_getdomaininfolist), NO_FLAGS,
        { FIELD(struct xen_dom0_getdomaininfolist, pad0),
          FIELD(struct xen_dom0_getdomaininfolist, pad1) } },
    [XEN_DOM0_setmaxmem] = { dom0_setmaxmem, NULL,
        sizeof(struct xen_dom0_setmaxmem), NO_FLAGS,
        { FIELD(struct xen_dom0_setmaxmem, pad0),
          FIELD(struct xen_dom0_setmaxmem, pad1) } },
    [XEN_DOM0_getvcpucontext] = { dom0_getvcpucontext, NULL,
        sizeof(struct xen_dom0_vcpucontext), NO_FLAGS,
        { FIELD(struct xen_dom0_vcpucontext, pad0),
          FIELD(struct xen_dom0_vcpucontext, pad1) } },
    [XEN_DOM0_setvcpucontext] = { dom0_setvcpucontext, NULL,
        sizeof(struct xen_dom0_vcpucontext), NO_FLAGS,
        { FIELD(struct xen_dom0_vcpucontext, pad0),
          FIELD(struct xen_dom0_vcpucontext, pad1) } },
    [XEN_DOM0_setvcpuaffinity] = { dom0_setvcpuaffinity, NULL,
        sizeof(struct xen_dom0_vcpuaffinity), NO_FLAGS,
        { FIELD(struct xen_dom0_vcpuaffinity, pad0),
          FIELD(struct xen_dom0_vcpuaffinity, pad1) } },
    [XEN_DOM0_getvcpuaffinity] = { dom0_getvcpuaffinity, NULL,
        sizeof(struct xen_dom0_vcpuaffinity), NO_FLAGS,
        { FIELD(struct xen_dom0_vcpuaffinity, pad0),
          FIELD(struct xen_dom0_vcpuaffinity, pad1) } },
    [XEN_DOM0_getvcpuinfo] = { dom0_getvcpuinfo, NULL,
        sizeof(struct xen_dom0_vcpuinfo), NO_FLAGS,
        { FIELD(struct xen_dom0_vcpuinfo, pad0),
          FIELD(struct xen_dom0_vcpuinfo, pad1) } },
    [XEN_DOM0_getschedparams] = { dom0_getschedparams, NULL,
        sizeof(struct xen_dom0_schedparams), NO_FLAGS,
        { FIELD(struct xen_dom0_schedparams, pad0) } },
    [XEN_DOM0_setschedparams] = { dom0_setschedparams, NULL,
        sizeof(struct xen_dom0_schedparams), NO_FLAGS,
        { FIELD(struct xen_dom0_schedparams, pad0) } },
    [XEN_DOM0_getaccounting] = { dom0_getaccounting, NULL,
        sizeof(struct xen_dom0_getaccounting), NO_FLAGS,
        { FIELD(struct xen_dom0_getaccounting, pad0),
          FIELD(struct xen_dom0_getaccounting, pad1) } },
    [XEN_DOM0_readlog] = { dom0_readlog, NULL,
        sizeof(struct xen_dom0_readlog),
        FLAGS(struct xen_dom0_readlog, flags, XEN_DOM0_READLOG_MASK),
        { FIELD(struct xen_dom0_readlog, pad0) } },
    [XEN_DOM0_getframeinfo] = { dom0_getframeinfo, NULL,
        sizeof(struct xen_dom0_getframeinfo), NO_FLAGS,
        { FIELD(struct xen_dom0_getframeinfo, pad0) } },
    [XEN_DOM0_getperfcounters] = { dom0_getperfcounters, NULL,
        sizeof(struct xen_dom0_getperfcounters),
        FLAGS(struct xen_dom0_getperfcounters, flags, XEN_DOM0_PERFC_MASK),
        { { 0, 0 } } },
    [XEN_DOM0_copyframes] = { dom0_copyframes, NULL,
        sizeof(struct xen_dom0_copyframes),
        FLAGS(struct xen_dom0_copyframes, flags, XEN_DOM0_COPYF_MASK),
        { FIELD(struct xen_dom0_copyframes, pad0) } },
    [XEN_DOM0_physinfo] = { dom0_physinfo, NULL,
        sizeof(struct xen_dom0_physinfo), NO_FLAGS,
        { FIELD(struct xen_dom0_physinfo, pad0),
          FIELD(struct xen_dom0_physinfo, pad1) } },
};

bool dom0_bytes_zero(const void *p, size_t len)
{
    const uint8_t *b = p;

    for ( size_t i = 0; i < len; i++ )
        if ( b[i] )
            return false;
    return true;
}

/* Step 5 of the processing order: reserved bits and bytes. */
static bool request_well_formed(const struct dom0_cmd *c,
                                const struct xen_dom0_op *op)
{
    const uint8_t *u = op->u.pad;

    if ( !dom0_bytes_zero(u + c->size, XEN_DOM0_OP_PAYLOAD_SIZE - c->size) )
        return false;
    for ( unsigned int i = 0; i < ARRAY_SIZE(c->pads); i++ )
        if ( !dom0_bytes_zero(u + c->pads[i].off, c->pads[i].len) )
            return false;
    if ( c->flags_off != 0xff )
    {
        uint32_t flags;

        memcpy(&flags, u + c->flags_off, sizeof(flags));
        if ( flags & ~c->flags_mask )
            return false;
    }
    return true;
}

HYPERCALL(dom0_op)
{
    uint64_t uop = a1;
    struct xen_dom0_op op;
    const struct dom0_cmd *c;
    long rc;

    if ( !current->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_DOM0_OP_INTERFACE_VERSION )
    {
        uint32_t mine = XEN_DOM0_OP_INTERFACE_VERSION;

        if ( copy_to_guest(uop + __builtin_offsetof(struct xen_dom0_op,
                                                    interface_version),
                           &mine, sizeof(mine)) )
            return -EFAULT;
        return -XEN_DOM0_EVERSION;   /* EPROTO: used for nothing else */
    }
    if ( op.cmd >= ARRAY_SIZE(dom0_cmds) || dom0_cmds[op.cmd].run == NULL )
        return -ENOSYS;
    c = &dom0_cmds[op.cmd];
    if ( !request_well_formed(c, &op) )
        return -EINVAL;

    perfc_incr(PERFC_dom0_ops);
    spin_lock(&dom0_op_lock);
    rc = c->run(&op);
    dom0_put_held();
    spin_unlock(&dom0_op_lock);
    /* Waiting for other CPUs never happens under the lock. */
    if ( rc == 0 && c->finish )
        rc = c->finish(&op);

    if ( rc == 0 && copy_to_guest(uop, &op, sizeof(op)) )
        rc = -EFAULT;
    return rc;
}
