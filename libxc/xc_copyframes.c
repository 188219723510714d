/*
 * xc_copyframes.c - dom0_op copyframes (25): whole frames of a domain
 * copied to or from hypercall buffers, the way save and restore move a
 * guest's memory without mapping it (docs/dom0_op.md).  A copier keeps
 * its buffers between calls (each new one costs dom0 a mapping and an
 * unmapping with TLB flushes, which made the first version slower than
 * mapping the frames); they are small (XC_COPIER_FRAMES + 3 pages)
 * because Linux's /dev/xen/hypercall gives each open file 64 pages.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

int xc_copier_open(xc_interface *h, struct xc_copier *c)
{
    memset(c, 0, sizeof(*c));
    if (xc_hbuf_alloc(h, &c->mfns, XC_COPIER_FRAMES * 8) < 0 ||
        xc_hbuf_alloc(h, &c->data, (size_t)XC_COPIER_FRAMES *
                      XC_PAGE_SIZE) < 0 ||
        xc_hbuf_alloc(h, &c->zero, XC_COPIER_FRAMES) < 0 ||
        xc_hbuf_alloc(h, &c->op, sizeof(struct xen_dom0_op)) < 0) {
        xc_copier_close(h, c);
        return -1;
    }
    return 0;
}

void xc_copier_close(xc_interface *h, struct xc_copier *c)
{
    xc_hbuf_free(h, &c->mfns);
    xc_hbuf_free(h, &c->data);
    xc_hbuf_free(h, &c->zero);
    xc_hbuf_free(h, &c->op);
}

/* Read (write false): frames -> c->data, c->zero[i] = 1 for an all-zero
 * frame (its data slot is then stale).  Write: c->data -> frames, zeroes
 * where c->zero[i] != 0.  0, or -1 (errno ENOSYS: the hypervisor has no
 * copyframes; the caller maps frames instead). */
int xc_copier_run(xc_interface *h, struct xc_copier *c, uint32_t domid,
                  bool write, const uint64_t *mfns, unsigned n)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_copyframes *cf = &op.u.copyframes;

    if (n == 0 || n > XC_COPIER_FRAMES)
        return xc_fail(h, EINVAL, "copyframes: %u frames", n);
    memcpy(c->mfns.p, mfns, (size_t)n * 8);
    cf->domid = (uint16_t)domid;
    cf->flags = write ? XEN_DOM0_COPYF_write : 0;
    cf->nr_frames = n;
    cf->mfns = xc_hbuf_va(&c->mfns);
    cf->buffer = xc_hbuf_va(&c->data);
    cf->zero_map = xc_hbuf_va(&c->zero);
    return xc_dom0_op_kept(h, XEN_DOM0_copyframes, &op, &c->op, "copyframes",
                           false) < 0 ? -1 : 0;
}
