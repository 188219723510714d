/*
 * xc_vcpu.c - typed wrappers for the per-vCPU dom0_op commands: register
 * context, CPU affinity and run state.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xc_private.h"

static int vcpu_check(xc_interface *h, const char *what, uint32_t domid,
                      uint32_t vcpu, const void *ptr)
{
    if (!ptr)
        return xc_fail(h, EINVAL, "%s: NULL buffer", what);
    if (vcpu >= XEN_DOM0_MAX_VCPUS)
        return xc_fail(h, EINVAL, "%s: vcpu %u is beyond the limit of %u",
                       what, vcpu, XEN_DOM0_MAX_VCPUS);
    return xc_check_domid(h, what, domid);
}

static void fill_context_op(struct xen_dom0_op *op, uint32_t domid,
                            uint32_t vcpu, const struct xc_hbuf *buf)
{
    op->u.vcpucontext.domid = (uint16_t)domid;
    op->u.vcpucontext.vcpu = vcpu;
    op->u.vcpucontext.ctxt = xc_hbuf_va(buf);
    op->u.vcpucontext.size = sizeof(struct vcpu_guest_context);
}

int xc_vcpu_getcontext(xc_interface *h, uint32_t domid, uint32_t vcpu,
                       struct vcpu_guest_context *ctxt)
{
    struct xen_dom0_op op = { 0 };
    struct xc_hbuf buf;
    char what[64];

    snprintf(what, sizeof(what), "getvcpucontext(domain %u, vcpu %u)",
             domid, vcpu);
    if (vcpu_check(h, what, domid, vcpu, ctxt) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &buf, sizeof(*ctxt)) < 0)
        return -1;
    fill_context_op(&op, domid, vcpu, &buf);
    if (xc_dom0_op(h, XEN_DOM0_getvcpucontext, &op, what) < 0) {
        xc_hbuf_free(h, &buf);
        return -1;
    }
    memcpy(ctxt, buf.p, sizeof(*ctxt));
    xc_hbuf_free(h, &buf);
    return 0;
}

int xc_vcpu_setcontext(xc_interface *h, uint32_t domid, uint32_t vcpu,
                       const struct vcpu_guest_context *ctxt)
{
    struct xen_dom0_op op = { 0 };
    struct xc_hbuf buf;
    char what[64];
    int rc;

    snprintf(what, sizeof(what), "setvcpucontext(domain %u, vcpu %u)",
             domid, vcpu);
    if (vcpu_check(h, what, domid, vcpu, ctxt) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &buf, sizeof(*ctxt)) < 0)
        return -1;
    memcpy(buf.p, ctxt, sizeof(*ctxt));
    fill_context_op(&op, domid, vcpu, &buf);
    rc = xc_dom0_op(h, XEN_DOM0_setvcpucontext, &op, what);
    xc_hbuf_free(h, &buf);
    return rc;
}

/*
 * setvcpuaffinity and getvcpuaffinity share one argument block: the map
 * of nr_bits bits goes in from in (set) or comes back into out (get);
 * exactly one of them is given.
 */
static int vcpu_affinity_op(xc_interface *h, unsigned int cmd,
                            const char *name, uint32_t domid, uint32_t vcpu,
                            const uint8_t *in, uint8_t *out,
                            unsigned int nr_bits)
{
    struct xen_dom0_op op = { 0 };
    struct xc_hbuf buf;
    size_t bytes = ((size_t)nr_bits + 7) / 8;
    char what[64];
    int rc;

    snprintf(what, sizeof(what), "%s(domain %u, vcpu %u)", name, domid,
             vcpu);
    if (vcpu_check(h, what, domid, vcpu, in != NULL ? in : out) < 0)
        return -1;
    if (nr_bits == 0 || nr_bits > XEN_DOM0_CPUMAP_MAX_BITS)
        return xc_fail(h, EINVAL, "%s: cpumap of %u bits, must be 1..%u",
                       what, nr_bits, XEN_DOM0_CPUMAP_MAX_BITS);
    if (xc_hbuf_alloc(h, &buf, bytes) < 0)
        return -1;
    if (in != NULL) {
        memcpy(buf.p, in, bytes);
        if (nr_bits % 8)        /* bits past nr_bits are not the caller's */
            ((uint8_t *)buf.p)[bytes - 1] &=
                (uint8_t)((1u << (nr_bits % 8)) - 1);
    } else {
        memset(buf.p, 0, bytes);
    }
    op.u.vcpuaffinity.domid = (uint16_t)domid;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.cpumap = xc_hbuf_va(&buf);
    op.u.vcpuaffinity.nr_bits = nr_bits;
    rc = xc_dom0_op(h, cmd, &op, what);
    if (rc == 0 && out != NULL)
        memcpy(out, buf.p, bytes);
    xc_hbuf_free(h, &buf);
    return rc;
}

int xc_vcpu_setaffinity(xc_interface *h, uint32_t domid, uint32_t vcpu,
                        const uint8_t *cpumap, unsigned int nr_bits)
{
    return vcpu_affinity_op(h, XEN_DOM0_setvcpuaffinity, "setvcpuaffinity",
                            domid, vcpu, cpumap, NULL, nr_bits);
}

int xc_vcpu_getaffinity(xc_interface *h, uint32_t domid, uint32_t vcpu,
                        uint8_t *cpumap, unsigned int nr_bits)
{
    return vcpu_affinity_op(h, XEN_DOM0_getvcpuaffinity, "getvcpuaffinity",
                            domid, vcpu, NULL, cpumap, nr_bits);
}

int xc_vcpu_getinfo(xc_interface *h, uint32_t domid, uint32_t vcpu,
                    xc_vcpuinfo_t *info)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "getvcpuinfo(domain %u, vcpu %u)",
             domid, vcpu);
    if (vcpu_check(h, what, domid, vcpu, info) < 0)
        return -1;
    op.u.vcpuinfo.domid = (uint16_t)domid;
    op.u.vcpuinfo.vcpu = vcpu;
    if (xc_dom0_op(h, XEN_DOM0_getvcpuinfo, &op, what) < 0)
        return -1;
    info->online = op.u.vcpuinfo.online != 0;
    info->blocked = op.u.vcpuinfo.blocked != 0;
    info->running = op.u.vcpuinfo.running != 0;
    info->cpu = op.u.vcpuinfo.cpu;
    info->cpu_time_ns = op.u.vcpuinfo.cpu_time_ns;
    return 0;
}
