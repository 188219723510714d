/*
 * xc_dom0_op.c - the single path from a typed wrapper to the dom0_op
 * hypercall: version stamping, bounce buffering and errno meanings.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

/* What each errno means under the dom0_op contract (docs/dom0_op.md). */
static const char *dom0_errno_meaning(int err)
{
    switch (err) {
    case EPERM:   return "permission denied: this domain is not privileged";
    case ENOENT:  return "no such vCPU or counter";
    case ESRCH:   return "no such domain";
    case EAGAIN:  return "busy, try again";
    case ENOMEM:  return "hypervisor out of memory";
    case EFAULT:  return "hypervisor could not access a buffer";
    case EBUSY:   return "domain is in the wrong state for this operation";
    case EEXIST:  return "domain id already in use";
    case EINVAL:  return "invalid argument";
    case ENOSPC:  return "no free domain id";
    case ENOSYS:  return "operation not implemented by this hypervisor";
    default:      return strerror(err);
    }
}

int xc_dom0_op(xc_interface *h, uint32_t cmd, struct xen_dom0_op *op,
               const char *what)
{
    struct xc_hbuf buf;

    if (xc_hbuf_alloc(h, &buf, sizeof(*op)) < 0)
        return -1;
    return xc_dom0_op_kept(h, cmd, op, &buf, what, true);
}

/* The same through a bounce buffer the caller keeps (free: release it
 * at the end).  A hypercall buffer costs dom0 a mapping and an unmapping
 * (with TLB flushes): callers making thousands of calls keep one. */
int xc_dom0_op_kept(xc_interface *h, uint32_t cmd, struct xen_dom0_op *op,
                    struct xc_hbuf *hb, const char *what, bool free_it)
{
    struct xc_hbuf buf = *hb, none = { NULL, 0 };
    struct xen_dom0_op *bounce;
    long rc;

    if (!free_it)
        buf = none;     /* xc_hbuf_free below then does nothing */
    op->cmd = cmd;
    op->interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    bounce = hb->p;
    memcpy(bounce, op, sizeof(*op));

    rc = xc_hypercall(h, __HYPERVISOR_dom0_op, xc_hbuf_va(hb), 0, 0, 0, 0);

    if (rc == -XEN_DOM0_EVERSION) {
        uint32_t theirs = bounce->interface_version;

        xc_hbuf_free(h, &buf);
        return xc_fail(h, EPROTO, "%s: the tools and the hypervisor disagree "
                       "on the dom0_op interface version (tools %u, "
                       "hypervisor %u); rebuild the tools and the hypervisor "
                       "from the same tree", what,
                       (unsigned)XEN_DOM0_OP_INTERFACE_VERSION,
                       (unsigned)theirs);
    }
    if (rc < -4095) {
        xc_hbuf_free(h, &buf);
        return xc_fail(h, EIO, "%s: hypervisor returned %ld, which is not "
                       "an errno", what, rc);
    }
    if (rc < 0) {
        int err = (int)-rc;

        xc_hbuf_free(h, &buf);
        return xc_fail(h, err, "%s: %s", what, dom0_errno_meaning(err));
    }
    memcpy(op, bounce, sizeof(*op));
    xc_hbuf_free(h, &buf);
    return 0;
}
