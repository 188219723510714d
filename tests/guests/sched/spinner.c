/*
 * Spinner domains (spinner.h).  The page tables map one code page at
 * SPIN_VA: L4[0] -> L3[0] -> L2[2] -> L1[0] -> code.
 */
#include "spinner.h"

#define SPIN_VA 0x400000UL

static struct xen_dom0_op op;

static long dom0_op(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

/* Write 'len' bytes (the rest zero) to frame mfn of domain d through a
 * page of ours whose mapping we borrow and give back. */
static long write_foreign(domid_t d, uint64_t mfn, const void *src, size_t len)
{
    static uint8_t *scratch;
    static uint64_t own_pte;
    long rc;

    if ( scratch == NULL )
    {
        scratch = page_alloc();
        own_pte = (virt_to_mfn(scratch) << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;
    }
    rc = hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, (unsigned long)scratch,
                    (mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D, UVMF_INVLPG, d);
    if ( rc )
        return rc;
    memset(scratch, 0, PAGE_SIZE);
    memcpy(scratch, src, len);
    return hv_update_va_mapping((unsigned long)scratch, own_pte, UVMF_INVLPG);
}

static const uint8_t spin_code[] = {
    0xf3, 0x90,                         /* 1: pause */
    0xeb, 0xfc,                         /*    jmp 1b */
};

long spinner_create(void)
{
    static struct vcpu_guest_context ctx;
    static xen_pfn_t f[5];
    static uint64_t page[512];
    struct xen_memory_reservation r = { .nr_extents = 5 };
    domid_t d;
    long rc;

    memset(&op.u, 0, sizeof(op.u));
    op.u.createdomain.domid = DOMID_INVALID;
    op.u.createdomain.max_pages = 16;
    op.u.createdomain.max_vcpus = 1;
    if ( (rc = dom0_op(XEN_DOM0_createdomain)) )
        return rc;
    d = op.u.createdomain.domid;
    for ( unsigned int i = 0; i < 5; i++ )
        f[i] = i;
    r.domid = d;
    r.extent_start.p = f;
    if ( hv_memory_op(XENMEM_populate_physmap, &r) != 5 )
        goto fail;
    for ( unsigned int i = 0; i < 4; i++ )
    {
        unsigned int idx = i == 2 ? (unsigned int)((SPIN_VA >> 21) & 511) : 0;
        uint64_t flags = PTE_P | PTE_US | PTE_A | (i < 3 ? PTE_RW : 0);

        memset(page, 0, sizeof(page));
        page[idx] = (f[i + 1] << PAGE_SHIFT) | flags;
        if ( write_foreign(d, f[i], page, sizeof(page)) )
            goto fail;
    }
    if ( write_foreign(d, f[4], spin_code, sizeof(spin_code)) )
        goto fail;

    pv_page_context(&ctx, SPIN_VA, f[0]);
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpucontext.domid = d;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    if ( dom0_op(XEN_DOM0_setvcpucontext) )
        goto fail;
    return d;

 fail:
    spinner_destroy(d);
    return -EINVAL;
}

long spinner_unpause(domid_t d)
{
    memset(&op.u, 0, sizeof(op.u));
    op.u.domain.domid = d;
    return dom0_op(XEN_DOM0_unpausedomain);
}

long spinner_destroy(domid_t d)
{
    memset(&op.u, 0, sizeof(op.u));
    op.u.domain.domid = d;
    return dom0_op(XEN_DOM0_destroydomain);
}

uint64_t spinner_cpu_time(domid_t d)
{
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpuinfo.domid = d;
    op.u.vcpuinfo.vcpu = 0;
    return dom0_op(XEN_DOM0_getvcpuinfo) ? 0 : op.u.vcpuinfo.cpu_time_ns;
}
