/* memory_op (reservations, memory maps, the M2P location) and the grant
 * table sizing operations. */

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <xen/smp.h>
#include <asm/tlbclock.h>
#include <asm/bootinfo.h>
#include <asm/pv-mm.h>
#include <public/memory.h>
#include <public/grant_table.h>

struct e820_wire {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

static long reserve(struct domain *self, unsigned int cmd, xen_pfn_t *list,
                    unsigned long n, unsigned int order, domid_t dom)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = order, .domid = dom,
    };

    r.extent_start.va = gva(list);
    return pv_memory_op(self, cmd, gva(&r));
}

static void reservation_accounting(void)
{
    struct domain *d = new_domain(1, false, 10);
    xen_pfn_t list[8] = { 0 };
    unsigned long free0 = free_frames();

    CHECK_EQ(reserve(d, XENMEM_increase_reservation, list, 3, 1, DOMID_SELF), 3);
    CHECK_EQ(d->tot_pages, 6);
    for ( unsigned int i = 0; i < 3; i++ )
    {
        CHECK(page_get_owner(mfn_to_page(list[i])) == d);
        CHECK(page_get_owner(mfn_to_page(list[i] + 1)) == d);
        CHECK_EQ(list[i] & 1, 0);                   /* order-1 aligned */
    }
    /* max_pages bounds it: two more order-1 extents fit, not three. */
    CHECK_EQ(reserve(d, XENMEM_increase_reservation, list, 3, 1, DOMID_SELF), 2);
    CHECK_EQ(d->tot_pages, 10);
    CHECK_EQ(free_frames(), free0 - 10);
    CHECK_EQ(reserve(d, XENMEM_increase_reservation, list, 1, 10, DOMID_SELF),
             -EINVAL);                              /* order too big for domU */
    CHECK_EQ(pv_memory_op(d, XENMEM_current_reservation,
                          gva(&(domid_t){ DOMID_SELF })), 10);
    CHECK_EQ(pv_memory_op(d, XENMEM_maximum_reservation,
                          gva(&(domid_t){ DOMID_SELF })), 10);
    CHECK_EQ(pv_memory_op(d, 14 /* maximum_gpfn */,
                          gva(&(domid_t){ DOMID_SELF })), 9);
    CHECK_EQ(pv_memory_op(d, XENMEM_current_reservation,
                          gva(&(domid_t){ 0 })), -EPERM);
    CHECK_EQ(pv_memory_op(d, XENMEM_current_reservation, BAD_GUEST_VA), -EFAULT);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void populate_and_decrease(void)
{
    struct domain *d = new_domain(1, false, 16);
    struct vcpu *v = new_vcpu(d, 0);
    xen_pfn_t list[4] = { 0x100, 0x104 };
    unsigned long free0 = free_frames();
    mfn_t m0, m1;
    struct tree t;

    set_current(v);
    CHECK_EQ(reserve(d, XENMEM_populate_physmap, list, 2, 2, DOMID_SELF), 2);
    m0 = list[0];
    m1 = list[1];
    for ( unsigned int j = 0; j < 4; j++ )
    {
        CHECK_EQ(get_gpfn_from_mfn(m0 + j), 0x100 + j);
        CHECK_EQ(get_gpfn_from_mfn(m1 + j), 0x104 + j);
    }
    /* Give back the first extent: frames go back, M2P invalid (zeroed
     * when the heap hands them out again: xen-mm's buddy_xenheap_and_scrub
     * and new_frames_are_zero below). */
    memset(frame_va(m0), 0xaa, PAGE_SIZE);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &list[0], 1, 2, DOMID_SELF), 1);
    CHECK_EQ(d->tot_pages, 4);
    CHECK_EQ(get_gpfn_from_mfn(m0), M2P_INVALID_ENTRY);
    CHECK(page_get_owner(mfn_to_page(m0)) == NULL);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &list[0], 1, 2, DOMID_SELF), 0);

    /* A frame still mapped or typed is not given back. */
    build_tree(d, &t);
    frame_va(t.l1)[7] = mkpte(m1 + 1, PTE_RO);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &list[1], 1, 2, DOMID_SELF), 0);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &t.l2, 1, 0, DOMID_SELF), 0);
    CHECK_EQ(d->tot_pages, 9);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 7, 0, d, NULL, false), 0);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &list[1], 1, 2, DOMID_SELF), 1);
    /* Misaligned or someone else's. */
    xen_pfn_t odd = t.data + 1;
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &odd, 1, 1, DOMID_SELF), 0);
    CHECK_EQ(pv_unpin_table(d, t.l4), 0);
    struct domain *o = new_domain(2, false, 4);
    xen_pfn_t theirs = domain_frame(o);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &theirs, 1, 0, DOMID_SELF), 0);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &theirs, 1, 0, 2), -EPERM);
    CHECK_EQ(mm_audit_domain(d), 0);
    CHECK_EQ(free_frames(), free0 - 5 - 1);         /* the tree and theirs */
    /* Resuming from an extent index in the upper command bits. */
    xen_pfn_t two[2] = { 0x200, 0x201 };
    CHECK_EQ(reserve(d, XENMEM_populate_physmap | (1 << 6), two, 2, 0,
                     DOMID_SELF), 2);
    CHECK_EQ(get_gpfn_from_mfn(two[1]), 0x201);
    CHECK_EQ(reserve(d, XENMEM_populate_physmap | (5 << 6), two, 2, 0,
                     DOMID_SELF), -EINVAL);
}

static void memory_maps(void)
{
    struct domain *du = new_domain(1, false, 0x20000);
    struct domain *dom0 = new_domain(0, true, 64);
    struct e820_wire e[8];
    struct xen_memory_map map = { .nr_entries = 8 };

    map.buffer.va = gva(e);
    CHECK_EQ(pv_memory_op(du, XENMEM_memory_map, gva(&map)), 0);
    CHECK_EQ(map.nr_entries, 1);
    CHECK_EQ(e[0].addr, 0);
    CHECK_EQ(e[0].size, 0x20000UL << PAGE_SHIFT);
    CHECK_EQ(e[0].type, E820_RAM);
    CHECK_EQ(sizeof(struct e820_wire), 20);
    map.nr_entries = 8;
    CHECK_EQ(pv_memory_op(du, XENMEM_machine_memory_map, gva(&map)), -EPERM);
    CHECK_EQ(pv_memory_op(dom0, XENMEM_machine_memory_map, gva(&map)), 0);
    CHECK_EQ(map.nr_entries, boot_info.nr_mmap);
    CHECK_EQ(e[1].addr, 0xa0000);
    CHECK_EQ(e[1].type, E820_RESERVED);
    map.nr_entries = 2;
    CHECK_EQ(pv_memory_op(dom0, XENMEM_machine_memory_map, gva(&map)), -ENOBUFS);
    map.nr_entries = 0;
    CHECK_EQ(pv_memory_op(du, XENMEM_memory_map, gva(&map)), -ENOBUFS);
    map.nr_entries = 8;
    map.buffer.va = BAD_GUEST_VA;
    CHECK_EQ(pv_memory_op(du, XENMEM_memory_map, gva(&map)), -EFAULT);
    CHECK_EQ(pv_memory_op(du, XENMEM_memory_map, BAD_GUEST_VA), -EFAULT);
}

static void m2p_location(void)
{
    struct domain *d = new_domain(1, false, 4);
    struct xen_machphys_mapping m;
    xen_pfn_t chunks[4];
    struct xen_machphys_mfn_list l = { .max_extents = 4 };

    CHECK_EQ(pv_memory_op(d, XENMEM_machphys_mapping, gva(&m)), 0);
    CHECK_EQ(m.v_start, 0xffff800000000000UL);
    CHECK_EQ(m.max_mfn, HOST_FRAMES - 1);
    CHECK(m.v_end >= m.v_start + HOST_FRAMES * 8);
    CHECK(m.v_end <= 0xffff804000000000UL);
    l.extent_start.va = gva(chunks);
    CHECK_EQ(pv_memory_op(d, XENMEM_machphys_mfn_list, gva(&l)), 0);
    CHECK_EQ(l.nr_extents, 1);
    CHECK_EQ(chunks[0], m2p_chunk_mfn(0));
    CHECK_EQ(pv_memory_op(d, XENMEM_maximum_ram_page, 0), HOST_FRAMES - 1);
    CHECK_EQ(pv_memory_op(d, 63, 0), -ENOSYS);
    /* XENMEM_exchange is implemented (tests/guests/exchange.c): a bad
     * argument pointer is -EFAULT. */
    CHECK_EQ(pv_memory_op(d, XENMEM_exchange, 0), -EFAULT);

    /* The guest alias: slot 256 -> L3 -> L2 -> 2 MiB chunk, read-only,
     * user-readable, and the direct map of the chunk holds the values. */
    pte_t l4e = idle_pg_table[256];
    CHECK((l4e & (_PAGE_PRESENT | _PAGE_USER)) == (_PAGE_PRESENT | _PAGE_USER));
    pte_t l3e = ((pte_t *)maddr_to_virt(l4e & PTE_ADDR_MASK))[0];
    pte_t l2e = ((pte_t *)maddr_to_virt(l3e & PTE_ADDR_MASK))[0];
    CHECK(!(l3e & _PAGE_RW) && !(l2e & _PAGE_RW) && (l2e & _PAGE_PSE));
    CHECK_EQ((l2e & PTE_ADDR_MASK) >> PAGE_SHIFT, m2p_chunk_mfn(0));
    set_gpfn_from_mfn(300, 0x1234);
    CHECK_EQ(((unsigned long *)maddr_to_virt(l2e & PTE_ADDR_MASK))[300], 0x1234);
    CHECK_EQ(get_gpfn_from_mfn(300), 0x1234);
    CHECK_EQ(get_gpfn_from_mfn(HOST_FRAMES + 7), M2P_INVALID_ENTRY);
    for ( unsigned int s = 257; s <= 271; s++ )
        CHECK(idle_pg_table[s] & _PAGE_PRESENT);    /* every slot has an L3 */
}

static long gnt(struct domain *d, unsigned int cmd, void *op, unsigned int n)
{
    return pv_grant_table_op(d, cmd, gva(op), n);
}

static void grant_table_sizing(void)
{
    struct domain *d = new_domain(1, false, 16);
    struct domain *dom0 = new_domain(0, true, 16);
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 2 };
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    xen_pfn_t frames[40];
    unsigned long free0 = free_frames();
    struct tree t;

    CHECK_EQ(gnt(d, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 0);
    CHECK_EQ(q.max_nr_frames, 32);
    s.frame_list.va = gva(frames);
    CHECK_EQ(gnt(d, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_okay);
    xen_pfn_t first = frames[0], second = frames[1];
    CHECK(page_get_owner(mfn_to_page(first)) == d);
    s.nr_frames = 4;
    CHECK_EQ(gnt(d, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(frames[0], first);                     /* stable MFNs */
    CHECK_EQ(frames[1], second);
    CHECK_EQ(gnt(d, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, 4);
    s.nr_frames = 33;
    CHECK_EQ(gnt(d, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_general_error);
    s.nr_frames = 1;
    s.dom = 0;
    CHECK_EQ(gnt(d, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_permission_denied);
    q.dom = 1;
    CHECK_EQ(gnt(dom0, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.nr_frames, 4);
    q.dom = 99;
    CHECK_EQ(gnt(dom0, GNTTABOP_query_size, &q, 1), 0);
    CHECK_EQ(q.status, GNTST_bad_domain);
    sv.version = 3;
    CHECK_EQ(gnt(d, GNTTABOP_set_version, &sv, 1), -EINVAL);
    sv.version = 1;
    CHECK_EQ(gnt(d, GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(gnt(d, GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 1);
    CHECK_EQ(gnt(d, GNTTABOP_query_size, &q, 2), -EINVAL);
    CHECK_EQ(gnt(d, GNTTABOP_transfer, &q, 1), -ENOSYS);
    CHECK_EQ(gnt(d, 99, &q, 1), -ENOSYS);
    CHECK_EQ(pv_grant_table_op(d, GNTTABOP_query_size, BAD_GUEST_VA, 1), -EFAULT);

    /* The guest maps a grant frame writable; it cannot make it a table. */
    build_tree(d, &t);
    frame_va(t.l1)[9] = mkpte(first, PTE_RW);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(pv_pin_table(d, second, 1), -EINVAL);
    CHECK_EQ(mm_audit_domain(d), 0);
    /* Teardown: the mapped frame outlives the table until unmapped. */
    grant_table_destroy(d);
    CHECK_EQ(free_frames(), free0 - 5 - 1);
    CHECK_EQ(pv_unpin_table(d, t.l4), 0);
    CHECK_EQ(free_frames(), free0 - 5);
}

/* Every CPU flushes its whole TLB now (as the guest's flush_tlb_all, or
 * any CR3 switch, does in the hypervisor: asm/flushtlb.h). */
static void all_cpus_flushed(void)
{
    uint64_t now = ++tlbflush_clock;

    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
        tlbflush_time[cpu] = now;
}

/* A new frame of d (populate_physmap rewrites *frame with what it got),
 * mapped at slot 8 of v's tables and unmapped again with no flush: what
 * the balloon then gives back. */
static void frame_mapped_then_unmapped(struct domain *d, struct vcpu *v,
                                       xen_pfn_t *frame)
{
    CHECK_EQ(reserve(d, XENMEM_populate_physmap, frame, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(pv_update_va_mapping(v, 8 * PAGE_SIZE, mkpte(*frame, PTE_RW),
                                  UVMF_NONE, d), 0);
    CHECK_EQ(pv_update_va_mapping(v, 8 * PAGE_SIZE, 0, UVMF_NONE, d), 0);
}

/*
 * Linux's balloon driver: unmap a batch of frames one by one with no
 * flush, flush once, give the batch back in one decrease_reservation.
 * Every extent is given back, and the give-back itself flushes nothing:
 * no CPU can cache a mapping older than its last flush.  (It used to
 * flush every CPU per frame, an IPI each: issue 11's slow balloon.)  A
 * frame unmapped after the last flush is still flushed from every CPU.
 */
static void balloon_batch_flush(void)
{
    enum { N = 16 };
    struct domain *d = new_domain(1, false, 64);
    struct vcpu *v = new_vcpu(d, 0);
    uint64_t online0 = cpu_online_mask;
    unsigned long free0 = free_frames(), before;
    xen_pfn_t list[N];
    struct tree t;

    set_current(v);
    cpu_online_mask = 3;            /* a second CPU that might be stale */
    for ( unsigned int i = 0; i < N; i++ )
        list[i] = 0x300 + i;
    CHECK_EQ(reserve(d, XENMEM_populate_physmap, list, N, 0, DOMID_SELF), N);
    build_tree(d, &t);
    for ( unsigned int i = 0; i < N; i++ )
        frame_va(t.l1)[8 + i] = mkpte(list[i], PTE_RW);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(pv_set_guest_table(v, t.l4, false), 0);
    CHECK_EQ(gen_count(list[0]), 2);          /* allocation + mapping */

    for ( unsigned int i = 0; i < N; i++ )
        CHECK_EQ(pv_update_va_mapping(v, (8 + i) * PAGE_SIZE, 0, UVMF_NONE, d),
                 0);
    all_cpus_flushed();
    before = flushes_all;
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, list, N, 0, DOMID_SELF),
             N);
    CHECK_EQ(flushes_all, before);
    CHECK_EQ(d->tot_pages, 5);                /* the tree is left */
    CHECK_EQ(free_frames(), free0 - 5);

    /* Hostile: unmapped but never flushed since; the frame must not reach
     * the heap while any CPU may still reach it. */
    xen_pfn_t one = 0x400;
    frame_mapped_then_unmapped(d, v, &one);
    before = flushes_all;
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &one, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(flushes_all, before + 1);
    CHECK_EQ(last_flush_mask, 3);

    /* The same with CPU 1 on the idle tables (no guest translations): only
     * CPU 0 is flushed, no IPI to wake CPU 1.  Once CPU 1 loads a guest
     * CR3 again it counts from that tick, and is stale for what goes
     * after. */
    one = 0x401;
    frame_mapped_then_unmapped(d, v, &one);
    tlbflush_time[1] = TLBFLUSH_TIME_IDLE;
    before = flushes_all;
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &one, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(flushes_all, before + 1);
    CHECK_EQ(last_flush_mask, 1);
    tlbflush_time[1] = ++tlbflush_clock;    /* back on a guest's tables */
    one = 0x402;
    frame_mapped_then_unmapped(d, v, &one);
    before = flushes_all;
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, &one, 1, 0, DOMID_SELF), 1);
    CHECK_EQ(last_flush_mask, 3);
    CHECK_EQ(mm_audit_domain(d), 0);
    cpu_online_mask = online0;
}

/*
 * A domain's memory is not zeroed when it goes back to the heap (that
 * doubled the cost of a balloon or a destroy) but when the heap hands it
 * out: frames one domain filled and gave back reach the next zeroed.  The
 * second domain takes every free frame, so it gets the dirty ones.
 */
static void new_frames_are_zero(void)
{
    struct domain *d = new_domain(1, false, 16);
    struct domain *o;
    xen_pfn_t list[2] = { 0x100, 0x104 };
    unsigned long nfree, got = 0;

    CHECK_EQ(reserve(d, XENMEM_populate_physmap, list, 2, 2, DOMID_SELF), 2);
    for ( unsigned int j = 0; j < 4; j++ )
    {
        memset(frame_va(list[0] + j), 0xaa, PAGE_SIZE);
        memset(frame_va(list[1] + j), 0x55, PAGE_SIZE);
    }
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, list, 2, 2, DOMID_SELF), 2);
    nfree = free_frames();
    o = new_domain(2, false, nfree + 1);
    for ( ;; )
    {
        struct page_info *pg = alloc_domheap_pages(o, 0);
        const uint8_t *b;

        if ( pg == NULL )
            break;
        got++;
        b = page_to_virt(pg);
        for ( unsigned long i = 0; i < PAGE_SIZE; i++ )
            if ( b[i] != 0 )
            {
                FAIL("frame %#lx byte %#lx is %#x in its new domain",
                     page_to_mfn(pg), i, b[i]);
                break;
            }
    }
    CHECK_EQ(got, nfree);
}

static bool frame_is_zero(mfn_t mfn)
{
    const uint8_t *b = (const uint8_t *)frame_va(mfn);

    for ( unsigned long i = 0; i < PAGE_SIZE; i++ )
        if ( b[i] != 0 )
            return false;
    return true;
}

/*
 * The guarantee that lets a guest skip zeroing what it gives back (the
 * domU kit boots Linux with xen_scrub_pages=0; security-model.md
 * invariant 14): every way a frame a domain gave back reaches another
 * domain goes through the heap and out through alloc_domheap_pages,
 * which zeroes it.  Frames one domain filled and gave back by
 * decrease_reservation (a balloon) and as the input of XENMEM_exchange
 * reach a second domain's populate_physmap zeroed, every one of them
 * (the second domain takes every free frame); a grant transfer, which
 * would hand a frame to another domain without the heap, is refused.
 */
static void given_back_frames_reach_others_zeroed(void)
{
    struct domain *d = new_domain(1, false, 32), *o;
    struct vcpu *v = new_vcpu(d, 0);
    static xen_pfn_t mine[8], in[4], out[4], batch[64];
    struct xen_memory_exchange x;
    struct gnttab_transfer tr = { .mfn = 0, .domid = 2, .ref = 0 };
    unsigned long nfree, got = 0, dirty = 0;
    long n;

    set_current(v);
    for ( unsigned int i = 0; i < 8; i++ )
        mine[i] = 0x100 + i;
    CHECK_EQ(reserve(d, XENMEM_populate_physmap, mine, 8, 0, DOMID_SELF), 8);
    for ( unsigned int i = 0; i < 8; i++ )
        memset(frame_va(mine[i]), 0xa5, PAGE_SIZE);
    CHECK_EQ(reserve(d, XENMEM_decrease_reservation, mine, 4, 0, DOMID_SELF), 4);

    memset(&x, 0, sizeof(x));
    for ( unsigned int j = 0; j < 4; j++ )
    {
        in[j] = mine[4 + j];
        out[j] = 0x200 + j;
    }
    x.in.extent_start.va = gva(in);
    x.in.nr_extents = 4;
    x.in.domid = DOMID_SELF;
    x.out.extent_start.va = gva(out);
    x.out.nr_extents = 4;
    x.out.domid = DOMID_SELF;
    CHECK_EQ(pv_memory_op(d, XENMEM_exchange, gva(&x)), 0);
    CHECK_EQ(x.nr_exchanged, 4);
    /* Chunk by chunk: a later chunk's output may be an earlier chunk's
     * input frame (the heap hands back what it just got), zeroed too. */
    for ( unsigned int j = 0; j < 4; j++ )
        CHECK(frame_is_zero(out[j]));

    tr.mfn = out[0];
    CHECK_EQ(gnt(d, GNTTABOP_transfer, &tr, 1), -ENOSYS);
    CHECK(page_get_owner(mfn_to_page(out[0])) == d);

    o = new_domain(2, false, ~0UL >> 1);
    set_current(new_vcpu(o, 0));
    nfree = free_frames();
    do
    {
        for ( unsigned int k = 0; k < 64; k++ )
            batch[k] = 0x1000 + got + k;
        n = reserve(o, XENMEM_populate_physmap, batch, 64, 0, DOMID_SELF);
        CHECK(n >= 0 && n <= 64);
        for ( long k = 0; k < n; k++ )
            if ( !frame_is_zero(batch[k]) )
            {
                if ( dirty++ < 3 )
                    CHECK_FAIL("mfn %#lx reached domain 2 not zeroed",
                               (unsigned long)batch[k]);
            }
        got += n;
    } while ( n == 64 );
    CHECK_EQ(got, nfree);
    CHECK_EQ(dirty, 0);
}

const struct test_case memory_cases[] = {
    { "reservation-accounting", reservation_accounting },
    { "populate-and-decrease", populate_and_decrease },
    { "balloon-batch-flush", balloon_batch_flush },
    { "new-frames-are-zero", new_frames_are_zero },
    { "given-back-frames-reach-others-zeroed", given_back_frames_reach_others_zeroed },
    { "memory-maps", memory_maps },
    { "m2p-location", m2p_location },
    { "grant-table-sizing", grant_table_sizing },
    { NULL, NULL },
};
