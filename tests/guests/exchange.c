/*
 * exchange: XENMEM_exchange as Xen answers it and as Linux's
 * xen_create_contiguous_region / xen_destroy_contiguous_region use it.
 * Errors first, nothing consumed (order above the limit -EPERM; domids
 * differ, sizes differ, nr_exchanged beyond nr_extents -EINVAL; no such
 * domain -ESRCH; bad pointer -EFAULT; nr_exchanged == nr_extents is 0; a
 * still-mapped input frame -EINVAL with nr_exchanged 0).  Then order 0 for
 * order 0 (new MFN written back, its M2P entry the GPFN we gave, the old
 * frame no longer ours), two order-0 frames for one order-1 extent
 * (aligned, contiguous, M2P of both) and back, and a list whose second
 * frame is still mapped (-EINVAL, nr_exchanged 1).  The reservation never
 * changes.
 */
#include "guest.h"

#define PTE_RW_KERNEL (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

static domid_t self = DOMID_SELF;

static long exchange(struct xen_memory_exchange *x)
{
    return hv_memory_op(XENMEM_exchange, x);
}

static void setup_x(struct xen_memory_exchange *x, xen_pfn_t *in, unsigned long nin,
                    unsigned int oin, xen_pfn_t *out, unsigned long nout, unsigned int oout)
{
    memset(x, 0, sizeof(*x));
    x->in.extent_start.p = in;
    x->in.nr_extents = nin;
    x->in.extent_order = oin;
    x->in.domid = DOMID_SELF;
    x->out.extent_start.p = out;
    x->out.nr_extents = nout;
    x->out.extent_order = oout;
    x->out.domid = DOMID_SELF;
}

static long unmap(void *va)
{
    return hv_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
}

/* Map frame mfn at va (a page of ours) and record it in our p2m. */
static long remap(void *va, unsigned long mfn)
{
    long rc = hv_update_va_mapping((unsigned long)va, (mfn << PAGE_SHIFT) | PTE_RW_KERNEL,
                                   UVMF_INVLPG);

    if (rc == 0)
        p2m[virt_to_pfn(va)] = mfn;
    return rc;
}

static uint64_t m2p_of(unsigned long mfn)
{
    uint64_t v = ~0UL;

    probe_read(&m2p[mfn], &v);
    return v;
}

static void test_errors(void)
{
    static struct xen_memory_exchange x;
    static xen_pfn_t in[2], out[2];
    uint8_t *mapped = page_alloc();

    in[0] = virt_to_mfn(mapped);
    out[0] = 0x4321;
    setup_x(&x, in, 1, 19, out, 1, 19);
    CHECK_EQ(exchange(&x), -EPERM, "extent order 19 is -EPERM");
    setup_x(&x, in, 1, 0, out, 1, 0);
    x.out.domid = 0;
    CHECK_EQ(exchange(&x), -EINVAL, "in and out domids differ: -EINVAL");
    setup_x(&x, in, 1, 0, out, 2, 0);
    CHECK_EQ(exchange(&x), -EINVAL, "sizes differ: -EINVAL");
    setup_x(&x, in, 2, 0, out, 1, 0);
    CHECK_EQ(exchange(&x), -EINVAL, "sizes differ the other way: -EINVAL");
    setup_x(&x, in, 1, 0, out, 1, 0);
    x.nr_exchanged = 2;
    CHECK_EQ(exchange(&x), -EINVAL, "nr_exchanged beyond nr_extents: -EINVAL");
    x.nr_exchanged = 1;
    CHECK_EQ(exchange(&x), 0, "nr_exchanged == nr_extents: 0, nothing done");
    CHECK_EQ(x.nr_exchanged, 1, "nr_exchanged left as it was");
    setup_x(&x, in, 1, 0, out, 1, 0);
    x.in.domid = x.out.domid = 7;
    CHECK_EQ(exchange(&x), -ESRCH, "no domain 7: -ESRCH");
    CHECK_EQ(hv_memory_op(XENMEM_exchange, (void *)BAD_PTR_NONCANON), -EFAULT,
             "bad argument pointer: -EFAULT");
    setup_x(&x, in, 1, 0, out, 1, 0);
    CHECK_EQ(exchange(&x), -EINVAL, "a frame still mapped: -EINVAL");
    CHECK_EQ(x.nr_exchanged, 0, "nr_exchanged 0");
    CHECK_EQ(out[0], 0x4321, "out list untouched");
    mapped[0] = 1;
    CHECK_EQ(mapped[0], 1, "the frame is still ours and mapped");
    in[0] = 1;              /* low memory: never a guest's frame */
    CHECK_EQ(exchange(&x), -EINVAL, "a frame that is not ours: -EINVAL");
}

static void test_order0(void)
{
    static struct xen_memory_exchange x;
    static xen_pfn_t in[1], out[1];
    uint8_t *p = page_alloc();
    unsigned long old = virt_to_mfn(p), pfn = virt_to_pfn(p);
    static struct xen_memory_reservation r;

    CHECK_EQ(unmap(p), 0, "unmap a page of ours");
    in[0] = old;
    out[0] = pfn;
    setup_x(&x, in, 1, 0, out, 1, 0);
    CHECK_EQ(exchange(&x), 0, "exchange 1 x order 0 for 1 x order 0");
    CHECK_EQ(x.nr_exchanged, 1, "nr_exchanged 1");
    CHECK(out[0] != pfn && out[0] != old, "a new MFN is written back");
    CHECK_EQ(m2p_of(out[0]), pfn, "its M2P entry is the GPFN we gave");
    r.extent_start.p = in;
    r.nr_extents = 1;
    r.domid = DOMID_SELF;
    CHECK_EQ(hv_memory_op(XENMEM_decrease_reservation, &r), 0,
             "the old frame is no longer ours (decrease does nothing)");
    CHECK_EQ(remap(p, out[0]), 0, "map the new frame in its place");
    p[100] = 0x5a;
    CHECK_EQ(p[100], 0x5a, "and use it");
}

static void test_contiguous(void)
{
    static struct xen_memory_exchange x;
    static xen_pfn_t in[2], out[2];
    uint8_t *p1 = page_alloc(), *p2 = page_alloc();
    unsigned long pfn = virt_to_pfn(p1), m;

    if (virt_to_pfn(p2) != pfn + 1)
        test_abort("contiguous", "pool pages not consecutive");
    in[0] = virt_to_mfn(p1);
    in[1] = virt_to_mfn(p2);
    CHECK(unmap(p1) == 0 && unmap(p2) == 0, "unmap two consecutive pages");
    out[0] = pfn;
    setup_x(&x, in, 2, 0, out, 1, 1);
    x.out.mem_flags = 32;   /* below 4 GiB, as swiotlb-xen asks */
    CHECK_EQ(exchange(&x), 0, "exchange 2 x order 0 for 1 x order 1 (32-bit)");
    CHECK_EQ(x.nr_exchanged, 2, "nr_exchanged counts input extents: 2");
    m = out[0];
    CHECK_EQ(m & 1, 0, "the order-1 extent is aligned");
    CHECK(m < (1UL << 20), "and below 4 GiB");
    CHECK(m2p_of(m) == pfn && m2p_of(m + 1) == pfn + 1, "M2P of both frames");
    CHECK(remap(p1, m) == 0 && remap(p2, m + 1) == 0, "map them");

    /* And back: one order-1 extent for two order-0 frames. */
    CHECK(unmap(p1) == 0 && unmap(p2) == 0, "unmap them again");
    in[0] = m;
    out[0] = pfn;
    out[1] = pfn + 1;
    setup_x(&x, in, 1, 1, out, 2, 0);
    CHECK_EQ(exchange(&x), 0, "exchange 1 x order 1 for 2 x order 0");
    CHECK_EQ(x.nr_exchanged, 1, "nr_exchanged 1");
    CHECK(m2p_of(out[0]) == pfn && m2p_of(out[1]) == pfn + 1, "M2P of both new frames");
    CHECK(remap(p1, out[0]) == 0 && remap(p2, out[1]) == 0, "map them");
}

static void test_partial(void)
{
    static struct xen_memory_exchange x;
    static xen_pfn_t in[2], out[2];
    uint8_t *p = page_alloc(), *q = page_alloc();

    CHECK_EQ(unmap(p), 0, "unmap one page; the next stays mapped");
    in[0] = virt_to_mfn(p);
    in[1] = virt_to_mfn(q);
    out[0] = virt_to_pfn(p);
    out[1] = 0x777;
    setup_x(&x, in, 2, 0, out, 2, 0);
    CHECK_EQ(exchange(&x), -EINVAL, "second input still mapped: -EINVAL");
    CHECK_EQ(x.nr_exchanged, 1, "after exchanging the first (nr_exchanged 1)");
    CHECK(out[0] != virt_to_pfn(p) && m2p_of(out[0]) == virt_to_pfn(p), "first output written back");
    CHECK_EQ(out[1], 0x777, "second output untouched");
    CHECK_EQ(remap(p, out[0]), 0, "map the new frame");
    q[0] = 3;
    CHECK_EQ(q[0], 3, "the mapped one is still ours");
}

void test_main(void)
{
    long cur;

    setup(SETUP_TRAPS | SETUP_SHARED_INFO);
    cur = hv_memory_op(XENMEM_current_reservation, &self);
    test_errors();
    test_order0();
    test_contiguous();
    test_partial();
    CHECK_EQ(hv_memory_op(XENMEM_current_reservation, &self), cur, "current_reservation unchanged");
}
