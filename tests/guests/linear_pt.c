/*
 * linear_pt: linear page tables as Xen's pv-linear-pt (default on) allows
 * them since XSA-240.  An L2/L3/L4 entry may name a table of its own level
 * if it is read-only: a self-reference, or another validated table of that
 * level that holds no linear entries itself, from a table that nothing
 * names linearly (no chains).  Writable ones are refused.  The self-map
 * really maps the page tables (read through the linear VA, the L1 entry of
 * a page and its L4 read back; a store faults); a table named linearly
 * keeps its type after unpin (cannot be made writable or pinned as another
 * level) until the entry goes.  Booted a second time with
 * pv-linear-pt=false: every such entry is refused.  A self-map and a
 * linear entry are left for the teardown; mm_audit at shutdown.
 */
#include "guest.h"
#include "pt.h"


static int enabled = 1;

static unsigned long sext(unsigned long va)
{
    return (va & (1UL << 47)) ? (va | 0xffff000000000000UL) : va;
}

/* A fresh empty table of 'level', read-only and pinned. */
static void *new_table(unsigned int level)
{
    static const unsigned int pin[] = { 0, MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE,
                                        MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
    uint64_t *t = page_alloc();

    memset(t, 0, PAGE_SIZE);
    if (set_ro(t) != 0 || mmuext1(pin[level], virt_to_mfn(t)) != 0)
        test_abort("new_table", "cannot make a pinned L%u", level);
    return t;
}

static void read_option(void)
{
    static struct xen_commandline cl;

    if (hv_xen_version(XENVER_commandline, &cl) == 0 &&
        (strstr(cl.buf, "pv-linear-pt=false") || strstr(cl.buf, "pv-linear-pt=0") ||
         strstr(cl.buf, "no-pv-linear-pt")))
        enabled = 0;
    printf("linear page tables expected %s\n", enabled ? "on" : "off");
}

/* Case name for a read-only linear entry, with the expected answer. */
static const char *nm(const char *what)
{
    return casename("%s: %s", what, enabled ? "accepted" : "-EINVAL (pv-linear-pt=false)");
}

/* Expected answer for a read-only linear entry. */
static long want(void)
{
    return enabled ? 0 : -EINVAL;
}

static void test_l4_self_map(void)
{
    uint64_t l4_ma = virt_to_mfn(current_l4) << PAGE_SHIFT;
    const unsigned long S = 300;
    unsigned long base = sext(S << 39);
    unsigned long l4_va = sext(S << 39 | S << 30 | S << 21 | S << 12);
    unsigned long probe = (unsigned long)current_l4;
    uint64_t v = 0, *l1e;

    CHECK_EQ(mmu_update1(l4_ma + S * 8, l4_ma | PTE_KERNEL_RW), -EINVAL,
             "a writable L4 self-reference is -EINVAL");
    CHECK_EQ(mmu_update1(l4_ma + S * 8, l4_ma | PTE_KERNEL_RO), want(),
             nm("a read-only L4 self-reference"));
    if (!enabled) {
        CHECK_EQ(current_l4[S], 0, "refused: the slot stays empty");
        return;
    }
    CHECK_EQ(current_l4[S] & PTE_ADDR_MASK, l4_ma, "the slot names the L4 itself");
    CHECK_EQ(current_l4[S] & PTE_RW, 0, "read-only");

    /* Through the self-map: the L4 as data, and any L1 entry. */
    CHECK(probe_read((void *)(l4_va + S * 8), &v) == -1 && v == current_l4[S],
          "the self-map shows the L4 (its own slot read back)");
    CHECK(probe_read((void *)(l4_va + 511 * 8), &v) == -1 && v == current_l4[511],
          "and its kernel slot 511");
    l1e = pte_lookup(probe, 1, NULL);
    CHECK(l1e != NULL &&
          probe_read((void *)(base + (((probe & 0xffffffffffffUL) >> 12) * 8)), &v) == -1 &&
          v == *l1e, "the linear VA of a page's L1 entry shows that entry");
    trap_reset();
    CHECK_EQ(probe_write((void *)(l4_va + 400 * 8), 1), TRAP_PF,
             "a store through the self-map faults (read-only)");
    CHECK_EQ(current_l4[400], 0, "and changed nothing");

    CHECK_EQ(set_rw(current_l4), -EINVAL, "the L4 still cannot be made writable");
    CHECK_EQ(mmu_update1(l4_ma + S * 8, 0), 0, "remove the self-map");
}

static void test_l4_to_l4(void)
{
    uint64_t c_ma = virt_to_mfn(current_l4) << PAGE_SHIFT;
    uint64_t *b = new_table(4), *a = new_table(4);
    uint64_t b_ma = virt_to_mfn(b) << PAGE_SHIFT, a_ma = virt_to_mfn(a) << PAGE_SHIFT;

    CHECK_EQ(mmu_update1(c_ma + 301 * 8, b_ma | PTE_KERNEL_RW), -EINVAL,
             "a writable L4 entry naming another L4 is -EINVAL");
    CHECK_EQ(mmu_update1(c_ma + 301 * 8, b_ma | PTE_KERNEL_RO), want(),
             nm("a read-only L4 entry naming another (pinned) L4"));
    if (!enabled)
        goto out;

    /* No chains: B is named linearly, so it may hold no linear entry;
     * C holds one, so nothing may name C linearly. */
    CHECK_EQ(mmu_update1(b_ma + 302 * 8, a_ma | PTE_KERNEL_RO), -EINVAL,
             "a table named linearly cannot get a linear entry (chain)");
    CHECK_EQ(mmu_update1(a_ma + 303 * 8, c_ma | PTE_KERNEL_RO), -EINVAL,
             "a table holding a linear entry cannot be named linearly (chain)");
    CHECK_EQ(mmu_update1(a_ma + 303 * 8, b_ma | PTE_KERNEL_RO), 0,
             "a second table may name B linearly too");
    CHECK_EQ(mmu_update1(b_ma + 304 * 8, b_ma | PTE_KERNEL_RO), 0,
             "B may still map itself (self-references are not counted)");
    CHECK_EQ(mmu_update1(b_ma + 304 * 8, 0), 0, "drop B's self-map");
    CHECK_EQ(mmu_update1(a_ma + 303 * 8, 0), 0, "drop A's entry");

    /* The linear entry holds B's type: unpinned, it stays an L4. */
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(b)), 0, "unpin B");
    CHECK_EQ(set_rw(b), -EINVAL, "B named linearly cannot be made writable");
    CHECK_ERR(mmuext1(MMUEXT_PIN_L3_TABLE, virt_to_mfn(b)), "nor pinned as an L3");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L4_TABLE, virt_to_mfn(b)), 0, "but pinned again as an L4");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(b)), 0, "unpin B again");
    CHECK_EQ(mmu_update1(c_ma + 301 * 8, 0), 0, "remove the linear entry");
    CHECK_EQ(set_rw(b), 0, "now B can be made writable");
    b = NULL;
out:
    if (b) {
        mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(b));
        set_rw(b);
    }
    mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(a));
    CHECK_EQ(set_rw(a), 0, "A back to writable");
}

static void test_l3_l2(void)
{
    uint64_t l3_ma, l2_ma, *l3e, *l2e, v = 0;
    uint64_t *l3, *l2, *nl3;
    unsigned long va;

    l3e = pte_lookup(GUEST_VIRT_BASE, 3, NULL);
    l2e = pte_lookup(GUEST_VIRT_BASE, 2, NULL);
    if (!l3e || !l2e)
        test_abort("tables", "cannot find the kernel's L3 and L2");
    l3_ma = *pte_lookup(GUEST_VIRT_BASE, 4, NULL) & PTE_ADDR_MASK;
    l2_ma = *l3e & PTE_ADDR_MASK;
    l3 = (uint64_t *)((unsigned long)l3e & ~0xfffUL);
    l2 = (uint64_t *)((unsigned long)l2e & ~0xfffUL);
    CHECK_EQ(l3[100], 0, "kernel L3 slot 100 is free");
    CHECK_EQ(l2[500], 0, "kernel L2 slot 500 is free");

    CHECK_EQ(mmu_update1(l3_ma + 100 * 8, l3_ma | PTE_KERNEL_RW), -EINVAL,
             "a writable L3 self-reference is -EINVAL");
    CHECK_EQ(mmu_update1(l3_ma + 100 * 8, l3_ma | PTE_KERNEL_RO), want(),
             nm("a read-only L3 self-reference"));
    mmu_update1(l3_ma + 100 * 8, 0);

    nl3 = new_table(3);
    CHECK_EQ(mmu_update1(l3_ma + 101 * 8, pte_for(nl3, PTE_KERNEL_RW)), -EINVAL,
             "a writable L3 entry naming another L3 is -EINVAL");
    CHECK_EQ(mmu_update1(l3_ma + 101 * 8, pte_for(nl3, PTE_KERNEL_RO)), want(),
             nm("a read-only L3 entry naming another L3"));
    mmu_update1(l3_ma + 101 * 8, 0);
    mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(nl3));
    set_rw(nl3);

    CHECK_EQ(mmu_update1(l2_ma + 500 * 8, l2_ma | PTE_KERNEL_RW), -EINVAL,
             "a writable L2 self-reference is -EINVAL");
    CHECK_EQ(mmu_update1(l2_ma + 500 * 8, l2_ma | PTE_KERNEL_RO), want(),
             nm("a read-only L2 self-reference"));
    if (enabled) {
        /* VA of slot 500, page j: the L1 table that L2 entry j names. */
        va = GUEST_VIRT_BASE + 500UL * 0x200000;
        CHECK(probe_read((void *)(va + 8), &v) == -1 &&
              v == *pte_lookup(GUEST_VIRT_BASE + PAGE_SIZE, 1, NULL),
              "the L2 self-map shows the kernel's first L1 (entry 1 read back)");
        CHECK(probe_read((void *)(va + 500UL * PAGE_SIZE + 500 * 8), &v) == -1 &&
              (v & PTE_ADDR_MASK) == l2_ma,
              "and the L2 itself (its own slot 500 read back)");
        trap_reset();
        CHECK_EQ(probe_write((void *)(va + 16), 0), TRAP_PF, "a store through it faults");
    }
    mmu_update1(l2_ma + 500 * 8, 0);
}

/* A linear entry present when a table is validated (pinned here) counts
 * as one added later does: the table holds a linear entry, so nothing may
 * name it linearly.  The old code reset the table's linear count when
 * validation finished, which let the chain below through (the 10^6-call
 * fuzzer run's audit: "linear count 0, expected 1"). */
static void test_linear_at_validation(void)
{
    uint64_t *a = new_table(4), *e = page_alloc(), *f = new_table(4);
    uint64_t a_ma = virt_to_mfn(a) << PAGE_SHIFT, e_ma, f_ma = virt_to_mfn(f) << PAGE_SHIFT;
    long rc;

    memset(e, 0, PAGE_SIZE);
    e[310] = a_ma | PTE_KERNEL_RO;
    e_ma = virt_to_mfn(e) << PAGE_SHIFT;
    CHECK_EQ(set_ro(e), 0, "E (naming A read-only in slot 310) made read-only");
    rc = mmuext1(MMUEXT_PIN_L4_TABLE, virt_to_mfn(e));
    CHECK_EQ(rc, want(), nm("E pinned as an L4 with its linear entry"));
    if (rc != 0)
        goto out;
    CHECK_EQ(mmu_update1(f_ma + 311 * 8, e_ma | PTE_KERNEL_RO), -EINVAL,
             "a table validated with a linear entry cannot be named linearly (chain)");
    CHECK_EQ(mmu_update1(f_ma + 311 * 8, 0), 0, "F's slot cleared");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(e)), 0, "unpin E");
out:
    CHECK_EQ(set_rw(e), 0, "E back to writable");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(a)), 0, "unpin A");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(f)), 0, "unpin F");
}

void test_main(void)
{
    setup(SETUP_TRAPS | SETUP_SHARED_INFO);
    read_option();
    test_l4_self_map();
    test_l4_to_l4();
    test_linear_at_validation();
    test_l3_l2();
    if (enabled) {
        /* Left in place: teardown and the audit at shutdown see them. */
        uint64_t c_ma = virt_to_mfn(current_l4) << PAGE_SHIFT;
        uint64_t *d = new_table(4);

        CHECK_EQ(mmu_update1(c_ma + 300 * 8, c_ma | PTE_KERNEL_RO), 0, "self-map left for teardown");
        CHECK_EQ(mmu_update1(c_ma + 305 * 8, pte_for(d, PTE_KERNEL_RO)), 0, "linear entry left for teardown");
        CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(d)), 0, "its target unpinned");
    }
}
