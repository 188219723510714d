/*
 * xc_dom_boot.c - the last steps of building a PV domain, once its memory
 * is filled: pin the bootstrap L4 on the domain's behalf (mmuext_op with
 * foreigndom = the domain), then load vCPU 0 with the start-of-day
 * registers the PV ABI fixes.  Restore pins every level through the same
 * xc_dom_pin_table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"
#include "xc_dom_image.h"
#include "public/arch-x86_64.h"

int xc_dom_pin_table(xc_interface *h, uint32_t domid, unsigned level,
                     uint64_t mfn, const char *who)
{
    struct xc_hbuf b;
    struct mmuext_op *op;
    long rc;

    if (level < 1 || level > 4)
        return xc_fail(h, EINVAL, "%s: no page-table level %u to pin (1 to "
                       "4)", who, level);
    if (xc_hbuf_alloc(h, &b, sizeof(*op)) < 0)
        return -1;
    op = b.p;
    memset(op, 0, sizeof(*op));
    /* MMUEXT_PIN_L1_TABLE..L4 are consecutive (public/xen.h). */
    op->cmd = MMUEXT_PIN_L1_TABLE + (level - 1);
    op->arg1.mfn = mfn;
    rc = xc_hypercall(h, __HYPERVISOR_mmuext_op, xc_hbuf_va(&b), 1, 0,
                      domid, 0);
    xc_hbuf_free(h, &b);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "%s: mmuext_op PIN_L%u_TABLE of frame "
                       "%#llx (foreigndom %u) failed: %s (the hypervisor log "
                       "says which entry it refused)", who, level,
                       (unsigned long long)mfn, domid, strerror((int)-rc));
    return 0;
}

int xc_dom_pin_l4(xc_interface *h, uint32_t domid, uint64_t l4_mfn)
{
    return xc_dom_pin_table(h, domid, 4, l4_mfn,
                            "domain builder: pinning the bootstrap L4");
}

int xc_dom_start_vcpu0(xc_interface *h, uint32_t domid,
                       const struct xc_dom_layout *l, uint64_t entry,
                       uint64_t l4_mfn)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    int rc;

    if (!c)
        return xc_fail(h, ENOMEM, "domain builder: out of memory");
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = entry;
    c->user_regs.rsp = xc_dom_pfn_va(l, l->stack_pfn + 1);
    c->user_regs.rsi = xc_dom_pfn_va(l, l->start_info_pfn);
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 1u << 9;              /* events on */
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    c->ctrlreg[3] = xen_pfn_to_cr3(l4_mfn);
    /* Callbacks stay zero: the kernel registers its own. */
    rc = xc_vcpu_setcontext(h, domid, 0, c);
    free(c);
    return rc;
}
