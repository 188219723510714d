/* The page-type engine: validation, reference counts, pinning, exclusion
 * of writable mappings and page tables, foreign and I/O frames, the
 * hypervisor's L4 slots, base pointers, teardown, the audit, and a
 * fork-like stress that must leave every count at its baseline. */

#include <stdlib.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <asm/pv-mm.h>
#include <asm/io-perm.h>

/* A frame the heap holds free right now (harness.h). */
mfn_t free_heap_frame(void)
{
    for ( mfn_t m = HOST_FRAMES - 1; m > 256; m-- )
        if ( (mfn_to_page(m)->count_info & PGC_state_mask) == PGC_state_free )
            return m;
    FAIL("no free frame");
}

static void check_baseline(const mfn_t *m, unsigned int n)
{
    for ( unsigned int i = 0; i < n; i++ )
    {
        if ( gen_count(m[i]) != 1 || type_count(m[i]) != 0 ||
             (mfn_to_page(m[i])->type_info & PGT_pinned) )
            FAIL("mfn %#lx not at baseline: count %lu type %#lx",
                 m[i], gen_count(m[i]), mfn_to_page(m[i])->type_info);
        if ( pgt_table_level(type_of(m[i])) )
            FAIL("mfn %#lx still typed as a table", m[i]);
    }
}

static void pin_counts_and_unpin_baseline(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct tree t;

    build_tree(d, &t);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(type_of(t.l4), PGT_l4_page_table);
    CHECK_EQ(type_of(t.l3), PGT_l3_page_table);
    CHECK_EQ(type_of(t.l2), PGT_l2_page_table);
    CHECK_EQ(type_of(t.l1), PGT_l1_page_table);
    CHECK_EQ(type_of(t.data), PGT_writable_page);
    CHECK(mfn_to_page(t.l4)->type_info & PGT_pinned);
    CHECK(mfn_to_page(t.l1)->type_info & PGT_validated);
    CHECK_EQ(gen_count(t.l4), 3);       /* alloc, pin, RO map in l1[2] */
    CHECK_EQ(type_count(t.l4), 1);
    CHECK_EQ(gen_count(t.l3), 2);
    CHECK_EQ(type_count(t.l3), 1);
    CHECK_EQ(gen_count(t.l1), 3);       /* alloc, l2 entry, RO self map */
    CHECK_EQ(type_count(t.l1), 1);
    CHECK_EQ(gen_count(t.data), 2);
    CHECK_EQ(type_count(t.data), 1);
    CHECK_EQ(mm_audit_domain(d), 0);

    CHECK_EQ(pv_unpin_table(d, t.l4), 0);
    check_baseline((mfn_t[]){ t.l4, t.l3, t.l2, t.l1, t.data }, 5);
    CHECK_EQ(type_of(t.data), PGT_writable_page);   /* kept at count 0 */
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void hypervisor_slots_and_user_bit(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct tree t;
    pte_t *l4, *l1;

    build_tree(d, &t);
    l4 = frame_va(t.l4);
    l1 = frame_va(t.l1);
    l4[260] = mkpte(t.data, TBL);       /* guest junk in a hypervisor slot */
    l1[3] = mkpte(t.data, PTE_RO | _PAGE_GLOBAL);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    for ( unsigned int s = L4_HV_FIRST_SLOT; s <= L4_HV_LAST_SLOT; s++ )
        CHECK_EQ(l4[s], pv_hypervisor_l4e(s));
    CHECK(l4[L4_M2P_SLOT] & _PAGE_USER);            /* the readable M2P */
    CHECK(!(l4[L4_M2P_SLOT] & _PAGE_RW));
    CHECK(!(l4[257] & _PAGE_USER));                  /* the rest: not */
    CHECK(l4[257] & _PAGE_PRESENT);
    CHECK(l4[0] & _PAGE_USER);
    CHECK(l1[0] & _PAGE_USER);
    CHECK(!(l1[3] & _PAGE_GLOBAL));
    CHECK_EQ(gen_count(t.data), 3);     /* no ref taken for slot 260 */

    /* Updates to hypervisor slots are refused; guest slots are not. */
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l4), 4, 256, 0, d, NULL, false),
             -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l4), 4, 271, 0, d, NULL, false),
             -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l4), 4, 272, 0, d, NULL, false), 0);
    CHECK_EQ(mm_audit_domain(d), 0);
}

/* Pinning with one bad entry fails and leaves every count untouched. */
static void expect_refused(struct domain *d, struct tree *t, unsigned int level,
                           mfn_t table, unsigned int idx, pte_t e)
{
    frame_va(table)[idx] = e;
    if ( pv_pin_table(d, t->l4, 4) == 0 )
        FAIL("pin accepted L%u entry %#lx", level, (unsigned long)e);
    check_baseline((mfn_t[]){ t->l4, t->l3, t->l2, t->l1, t->data }, 5);
    frame_va(table)[idx] = 0;
}

static void refused_entries(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct domain *other = new_domain(2, false, 64);
    mfn_t foreign = domain_frame(other);
    struct tree t;

    build_tree(d, &t);
    expect_refused(d, &t, 1, t.l1, 5, mkpte(t.l2, PTE_RW));   /* RW table */
    expect_refused(d, &t, 1, t.l1, 5, mkpte(t.l4, PTE_RW));
    expect_refused(d, &t, 2, t.l2, 5, mkpte(t.data, TBL | _PAGE_PSE));
    expect_refused(d, &t, 3, t.l3, 5, mkpte(t.data, TBL | _PAGE_PSE));
    expect_refused(d, &t, 1, t.l1, 5, mkpte(t.data, PTE_RO | _PAGE_PCD));
    expect_refused(d, &t, 2, t.l2, 5, mkpte(t.l1, TBL | _PAGE_GLOBAL));
    expect_refused(d, &t, 1, t.l1, 5, mkpte(foreign, PTE_RO));
    expect_refused(d, &t, 1, t.l1, 5, mkpte(0xa0, PTE_RO));   /* VGA hole */
    expect_refused(d, &t, 1, t.l1, 5, mkpte(HOST_FRAMES + 5, PTE_RO));
    expect_refused(d, &t, 4, t.l4, 1, mkpte(t.l4, TBL));      /* self ref */
    expect_refused(d, &t, 3, t.l3, 1, mkpte(t.l3, TBL));
    expect_refused(d, &t, 2, t.l2, 1, mkpte(t.l2, TBL));
    expect_refused(d, &t, 2, t.l2, 1, mkpte(t.l3, TBL));      /* wrong level */
    expect_refused(d, &t, 2, t.l2, 1, mkpte(foreign, TBL));
    /* A free heap frame and a hypervisor frame are nobody's to map. */
    expect_refused(d, &t, 1, t.l1, 5, mkpte(free_heap_frame(), PTE_RO));
    expect_refused(d, &t, 1, t.l1, 5,
                   mkpte(m2p_chunk_mfn(0), PTE_RO));
    /* Not-present entries are the guest's business (swap entries). */
    frame_va(t.l1)[5] = 0xdeadbeef000UL | 0x3e;
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(frame_va(t.l1)[5], 0xdeadbeef000UL | 0x3e);
    CHECK_EQ(pv_unpin_table(d, t.l4), 0);
}

static void privileged_foreign_and_io(void)
{
    struct domain *dom0 = new_domain(0, true, 64);
    struct domain *du = new_domain(1, false, 64);
    mfn_t foreign = domain_frame(du);
    struct tree t;

    CHECK_EQ(io_perm_grant_machine(dom0), 0);   /* as the dom0 builder */
    build_tree(dom0, &t);
    frame_va(t.l1)[5] = mkpte(foreign, PTE_RW);
    frame_va(t.l1)[6] = mkpte(0xa0, PTE_RW | _PAGE_PCD);
    frame_va(t.l1)[7] = mkpte(HOST_FRAMES + 100, PTE_RW);   /* MMIO */
    CHECK_EQ(pv_pin_table(dom0, t.l1, 1), 0);
    CHECK_EQ(gen_count(foreign), 2);
    CHECK_EQ(type_count(foreign), 1);
    CHECK_EQ(mm_audit_domain(du), 0);
    CHECK_EQ(mm_audit_domain(dom0), 0);
    /* MMIO, but only below the CPU's physical address width. */
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8,
                             ((1UL << pv_paddr_bits) - PAGE_SIZE) | PTE_RO,
                             dom0, NULL, false), 0);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8,
                             (1UL << pv_paddr_bits) | PTE_RO, dom0, NULL,
                             false), -EINVAL);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8,
                             ((1UL << 52) - PAGE_SIZE) | PTE_RO, dom0, NULL,
                             false), -EINVAL);
    /* Hypervisor RAM stays out of reach even for dom0. */
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8,
                             mkpte(m2p_chunk_mfn(0), PTE_RO), dom0, NULL,
                             false), -EINVAL);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8,
                             mkpte(free_heap_frame(), PTE_RO), dom0, NULL,
                             false), -EINVAL);
    /* During an update the foreign frame must belong to the named domain. */
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8, mkpte(foreign, PTE_RO),
                             dom0, NULL, false), -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 8, mkpte(foreign, PTE_RO),
                             du, NULL, false), 0);
    CHECK_EQ(gen_count(foreign), 3);
    CHECK_EQ(pv_unpin_table(dom0, t.l1), 0);
    CHECK_EQ(gen_count(foreign), 1);
    CHECK_EQ(type_count(foreign), 0);
}

static void type_change_only_at_zero(void)
{
    struct domain *d = new_domain(1, false, 64);
    mfn_t m = domain_frame(d);
    struct page_info *pg = mfn_to_page(m);
    unsigned long before = flushes_all;

    CHECK_EQ(get_page_type(pg, PGT_writable_page), 0);
    CHECK_EQ(get_page_type(pg, PGT_writable_page), 0);
    CHECK_EQ(type_count(m), 2);
    CHECK_EQ(get_page_type(pg, PGT_l1_page_table), -EINVAL);
    CHECK_EQ(get_page_type(pg, PGT_seg_desc_page), -EINVAL);
    put_page_type(pg);
    CHECK_EQ(get_page_type(pg, PGT_l1_page_table), -EINVAL);
    put_page_type(pg);
    /* Leaving "writable" flushes TLBs that may still allow writes. */
    CHECK_EQ(get_page_type(pg, PGT_l1_page_table), 0);
    CHECK(flushes_all > before);
    CHECK_EQ(get_page_type(pg, PGT_writable_page), -EINVAL);
    CHECK_EQ(get_page_type(pg, PGT_l2_page_table), -EINVAL);
    put_page_type(pg);
    CHECK_EQ(type_of(m), PGT_none);
    if ( setjmp(panic_jmp) == 0 )
    {
        panic_armed = 1;
        put_page_type(pg);
        FAIL("put_page_type with no type reference did not panic");
    }
    pv_mm_unlock();     /* the panic left the page-table lock held */
    CHECK_EQ(pv_pin_table(d, m, 1), 0);
    CHECK_EQ(pv_pin_table(d, m, 1), -EINVAL);       /* pinned twice */
    CHECK_EQ(pv_pin_table(d, m, 2), -EINVAL);       /* other level */
    CHECK_EQ(pv_unpin_table(d, m), 0);
    CHECK_EQ(pv_unpin_table(d, m), -EINVAL);        /* not pinned */
    CHECK_EQ(pv_pin_table(d, m, 5), -EINVAL);
    CHECK_EQ(pv_pin_table(d, HOST_FRAMES + 1, 1), -EINVAL);
    check_baseline(&m, 1);
}

static void shared_xen_pages(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct page_info *sp = alloc_heap_pages(0);
    mfn_t s = page_to_mfn(sp);
    unsigned long free0;
    struct tree t;

    share_xen_page_with_guest(sp, d);
    build_tree(d, &t);
    frame_va(t.l1)[5] = mkpte(s, PTE_RW);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(gen_count(s), 2);
    CHECK_EQ(mm_audit_domain(d), 0);
    CHECK_EQ(pv_pin_table(d, s, 1), -EINVAL);   /* never a table */
    free0 = free_frames();
    unshare_xen_page(sp);
    CHECK_EQ(free_frames(), free0);             /* still mapped */
    CHECK(get_page(sp, d) == 0);                /* no new references */
    CHECK_EQ(pv_update_entry(mfn_to_page(t.l1), 1, 5, 0, d, NULL, false), 0);
    CHECK_EQ(free_frames(), free0 + 1);         /* freed with the mapping */
    CHECK_EQ(pv_unpin_table(d, t.l4), 0);
}

static void base_pointers(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct vcpu *v = new_vcpu(d, 0);
    struct tree t, u;

    set_current(v);
    build_tree(d, &t);
    build_tree(d, &u);
    CHECK_EQ(pv_set_guest_table(v, t.l4, false), 0);
    CHECK_EQ(v->arch.guest_table, t.l4);
    CHECK_EQ(type_count(t.l4), 1);
    CHECK_EQ(gen_count(t.l4), 3);
    CHECK(cr3_reloads > 0);
    CHECK_EQ(pv_set_guest_table(v, u.l4, true), 0);
    CHECK_EQ(mm_audit_domain(d), 0);
    CHECK_EQ(pv_set_guest_table(v, u.l4, false), 0);    /* switch kernel */
    CHECK_EQ(type_count(t.l4), 0);
    CHECK_EQ(type_of(t.l1), PGT_none);                  /* devalidated */
    CHECK_EQ(type_count(u.l4), 2);
    CHECK_EQ(pv_set_guest_table(v, 0, true), 0);        /* drop user */
    CHECK_EQ(type_count(u.l4), 1);
    CHECK_EQ(pv_set_guest_table(v, 0, false), -EINVAL);
    CHECK_EQ(pv_set_guest_table(v, u.data, false), -EINVAL); /* mapped RW */
    CHECK_EQ(mm_audit_domain(d), 0);
    pv_release_guest_tables(v);
    check_baseline((mfn_t[]){ t.l4, t.l1, u.l4, u.l3, u.l2, u.l1, u.data }, 7);
}

static void teardown_returns_everything(void)
{
    unsigned long free0 = free_frames();
    struct domain *dom0 = new_domain(0, true, 64);
    struct domain *d = new_domain(1, false, 64);
    struct vcpu *v = new_vcpu(d, 0);
    struct tree t, z;
    mfn_t shared;

    set_current(v);
    build_tree(d, &t);
    build_tree(dom0, &z);
    shared = domain_frame(d);
    frame_va(z.l1)[9] = mkpte(shared, PTE_RW);      /* dom0 maps d's frame */
    CHECK_EQ(pv_pin_table(dom0, z.l1, 1), 0);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(pv_pin_table(d, t.l1, 1), 0);
    CHECK_EQ(pv_set_guest_table(v, t.l4, false), 0);

    pv_release_guest_tables(v);
    d->state = DOMAIN_DYING;
    CHECK_EQ(relinquish_domain_pages(d), 1);        /* the dom0-mapped one */
    CHECK_EQ(d->tot_pages, 0);
    CHECK(list_empty(&d->page_list));
    CHECK(page_get_owner(mfn_to_page(shared)) == NULL);
    CHECK_EQ(pv_unpin_table(dom0, z.l1), 0);        /* drops the orphan */
    d->state = DOMAIN_RUNNING;
    CHECK_EQ(relinquish_domain_pages(dom0), 0);
    CHECK_EQ(free_frames(), free0);
    CHECK(alloc_domheap_pages(d, 0) != NULL);       /* scrubbed frames */
}

/* VCPUOP_register_vcpu_info keeps a general and a writable type reference
 * on the frame it moved the vcpu_info into (pv/mm-audit-held.c reports
 * them); the audit must expect exactly those. */
static void audit_counts_vcpu_info_frame(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct vcpu *v = new_vcpu(d, 0);
    struct tree t;

    build_tree(d, &t);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(get_page_and_type(mfn_to_page(t.data), d, PGT_writable_page), 0);
    v->vcpu_info_mfn = t.data;
    CHECK_EQ(mm_audit_domain(d), 0);
    printk_clear();
    v->vcpu_info_mfn = INVALID_MFN;                 /* references nobody holds */
    CHECK_EQ(mm_audit_domain(d), 2);                /* general and type count */
    CHECK(printk_seen("general references"));
    put_page_and_type(mfn_to_page(t.data));
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void audit_catches_broken_counts(void)
{
    struct domain *d = new_domain(1, false, 64);
    struct tree t;

    build_tree(d, &t);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(mm_audit_domain(d), 0);
    printk_clear();
    mfn_to_page(t.data)->count_info++;
    CHECK_EQ(mm_audit_domain(d), 1);
    CHECK(printk_seen("general references"));
    mfn_to_page(t.data)->count_info--;
    mfn_to_page(t.l2)->type_info--;
    CHECK(mm_audit_domain(d) >= 1);
    CHECK(printk_seen("type"));
    mfn_to_page(t.l2)->type_info++;
    frame_va(t.l1)[0] &= ~_PAGE_USER;               /* behind our back */
    CHECK_EQ(mm_audit_domain(d), 1);
    frame_va(t.l1)[0] |= _PAGE_USER;
    frame_va(t.l4)[258] = 0;
    CHECK_EQ(mm_audit_domain(d), 1);
    frame_va(t.l4)[258] = pv_hypervisor_l4e(258);
    d->tot_pages++;
    CHECK_EQ(mm_audit_domain(d), 1);
    d->tot_pages--;
    CHECK_EQ(mm_audit_domain(d), 0);
}

/* Thousands of address spaces built, switched to, edited and torn down, as
 * fork/exec/exit would; every count must come back to its baseline. */
static void fork_like_stress(void)
{
    struct domain *d = new_domain(1, false, 4096);
    struct vcpu *v = new_vcpu(d, 0);
    enum { POOL = 64, ROUNDS = 3000 };
    mfn_t pool[POOL];
    unsigned long free0;

    set_current(v);
    for ( unsigned int i = 0; i < POOL; i++ )
        pool[i] = domain_frame(d);
    free0 = free_frames();

    for ( unsigned int r = 0; r < ROUNDS; r++ )
    {
        mfn_t l4 = domain_frame(d), l3 = domain_frame(d), l2 = domain_frame(d);
        unsigned int nl1 = 1 + rng_next() % 4;
        mfn_t l1[4];

        frame_va(l4)[rng_next() % 256] = mkpte(l3, TBL);
        frame_va(l4)[300] = mkpte(l3, TBL);         /* shared below */
        frame_va(l3)[7] = mkpte(l2, TBL);
        for ( unsigned int i = 0; i < nl1; i++ )
        {
            l1[i] = domain_frame(d);
            frame_va(l2)[i] = mkpte(l1[i], TBL);
            for ( unsigned int j = 0; j < 16; j++ )
            {
                mfn_t target = pool[rng_next() % POOL];

                frame_va(l1[i])[rng_next() % 512] =
                    mkpte(target, (rng_next() & 1) ? PTE_RW : PTE_RO);
            }
        }
        if ( pv_pin_table(d, l4, 4) )
            FAIL("round %u: pin failed", r);
        if ( pv_set_guest_table(v, l4, rng_next() & 1) )
            FAIL("round %u: base pointer failed", r);
        for ( unsigned int k = 0; k < 8; k++ )
        {
            mfn_t target = pool[rng_next() % POOL];
            int rc = pv_update_entry(mfn_to_page(l1[rng_next() % nl1]), 1,
                                     rng_next() % 512,
                                     (rng_next() % 4) ? mkpte(target, PTE_RW)
                                                      : 0,
                                     d, NULL, false);
            if ( rc )
                FAIL("round %u: update failed %d", r, rc);
        }
        if ( r % 500 == 0 && mm_audit_domain(d) != 0 )
            FAIL("round %u: audit found mismatches", r);
        if ( pv_unpin_table(d, l4) )
            FAIL("round %u: unpin failed", r);
        pv_release_guest_tables(v);
        check_baseline((mfn_t[]){ l4, l3, l2 }, 3);
        check_baseline(l1, nl1);
        for ( unsigned int i = 0; i < POOL; i++ )
            if ( gen_count(pool[i]) != 1 || type_count(pool[i]) != 0 )
                FAIL("round %u: pool frame %#lx count %lu type count %lu",
                     r, pool[i], gen_count(pool[i]), type_count(pool[i]));
        free_domheap_pages(mfn_to_page(l4), 0);
        free_domheap_pages(mfn_to_page(l3), 0);
        free_domheap_pages(mfn_to_page(l2), 0);
        for ( unsigned int i = 0; i < nl1; i++ )
            free_domheap_pages(mfn_to_page(l1[i]), 0);
        if ( free_frames() != free0 )
            FAIL("round %u: %ld frames leaked", r,
                 (long)(free0 - free_frames()));
    }
    CHECK_EQ(d->tot_pages, POOL);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void allocation_accounting(void)
{
    struct domain *d = new_domain(1, false, 4);
    struct page_info *pg = alloc_domheap_pages(d, 1);

    CHECK(pg != NULL);
    CHECK_EQ(d->tot_pages, 2);
    CHECK(page_get_owner(pg) == d);
    CHECK(pg->count_info & PGC_allocated);
    CHECK_EQ(get_gpfn_from_mfn(page_to_mfn(pg)), M2P_INVALID_ENTRY);
    CHECK(alloc_domheap_pages(d, 2) == NULL);       /* 2 + 4 > 4 */
    CHECK_EQ(d->tot_pages, 2);
    CHECK(alloc_domheap_pages(d, 1) != NULL);
    CHECK(alloc_domheap_pages(d, 0) == NULL);
    CHECK(alloc_domheap_pages(NULL, 0) == NULL);
    CHECK(get_page(pg, d));
    CHECK(!get_page(pg, new_domain(2, false, 1)));
    put_page(pg);
    free_domheap_pages(pg, 1);
    CHECK_EQ(d->tot_pages, 2);
    CHECK(!get_page(pg, d));                        /* freed */
    if ( setjmp(panic_jmp) == 0 )
    {
        panic_armed = 1;
        put_page(pg);
        FAIL("put_page on a free frame did not panic");
    }
    CHECK(strstr(panic_msg, "no reference") != NULL);
}

const struct test_case type_cases[] = {
    { "pin-counts-and-unpin-baseline", pin_counts_and_unpin_baseline },
    { "hypervisor-slots-and-user-bit", hypervisor_slots_and_user_bit },
    { "refused-entries", refused_entries },
    { "privileged-foreign-and-io", privileged_foreign_and_io },
    { "type-change-only-at-zero", type_change_only_at_zero },
    { "shared-xen-pages", shared_xen_pages },
    { "base-pointers", base_pointers },
    { "teardown-returns-everything", teardown_returns_everything },
    { "audit-catches-broken-counts", audit_catches_broken_counts },
    { "audit-counts-vcpu-info-frame", audit_counts_vcpu_info_frame },
    { "fork-like-stress", fork_like_stress },
    { "allocation-accounting", allocation_accounting },
    { NULL, NULL },
};
