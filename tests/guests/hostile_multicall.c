/*
 * hostile_multicall: multicall lists a hostile guest can build.  Each
 * entry's op is the guest's full 64-bit value; one that merely truncates
 * to a real hypercall number (0x10000000d -> 13, multicall) is an unknown
 * hypercall (-ENOSYS), so a list that names itself through such an op
 * cannot make the hypervisor recurse.  Nesting a real multicall is
 * -EINVAL per entry; a list running off the end of mapped memory stops
 * with -EFAULT after the entries it could read.  The last case checks the
 * hypervisor still answers.
 */
#include "guest.h"

#define MC_MULTICALL  ((uint64_t)__HYPERVISOR_multicall)

static struct multicall_entry mc[8] __attribute__((aligned(64)));

static void fill(struct multicall_entry *e, uint64_t op)
{
    memset(e, 0, sizeof(*e));
    e->op = op;
    e->result = 0x5555;
}

/* An entry whose op is 'op' and whose arguments name the list itself:
 * were 'op' taken as multicall, it would recurse without end. */
static void self_referencing(const char *what, uint64_t op, long want)
{
    long rc;

    fill(&mc[0], op);
    mc[0].args[0] = (uint64_t)mc;
    mc[0].args[1] = 1;
    rc = hypercall2(__HYPERVISOR_multicall, (uint64_t)mc, 1);
    CHECK_EQ(rc, 0, casename("multicall of one self-naming entry with op %s "
                             "returns 0", what));
    CHECK_EQ(mc[0].result, want, casename("entry with op %s has result %ld",
                                          what, want));
}

/* The first VA above the image that the initial mapping does not cover. */
static uint64_t end_of_mapping(void)
{
    uint64_t va = GUEST_VIRT_BASE + 0x100000;

    for (;;) {
        uint64_t ma, *pte = pte_lookup(va, 1, &ma);

        if (!pte || !(*pte & PTE_P))
            return va;
        va += PAGE_SIZE;
    }
}

static void list_past_mapped_memory(void)
{
    uint64_t end = end_of_mapping();
    /* Two readable entries at the very end, the third one unmapped. */
    struct multicall_entry *tail = (struct multicall_entry *)end - 2;
    long rc;

    printf("initial mapping ends at %#lx\n", end);
    fill(&tail[0], __HYPERVISOR_xen_version);
    tail[0].args[0] = XENVER_pagesize;
    fill(&tail[1], __HYPERVISOR_xen_version);
    tail[1].args[0] = XENVER_pagesize;
    rc = hypercall2(__HYPERVISOR_multicall, (uint64_t)tail, 1000);
    CHECK_EQ(rc, -EFAULT, "multicall whose count runs past mapped memory is -EFAULT");
    CHECK_EQ(tail[0].result, 4096, "entries before the unmapped end still ran (0)");
    CHECK_EQ(tail[1].result, 4096, "entries before the unmapped end still ran (1)");

    rc = hypercall2(__HYPERVISOR_multicall, (uint64_t)tail, 4096);
    CHECK_EQ(rc, -EFAULT, "multicall of the maximum count past mapped memory is -EFAULT");
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, (uint64_t)tail, 4097), -EINVAL,
             "multicall of 4097 entries is -EINVAL");
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, (uint64_t)tail, ~0UL), -EINVAL,
             "multicall of ~0 entries is -EINVAL");
}

/* Every entry of one list with a hostile op, then one good entry. */
static void hostile_ops_in_one_list(void)
{
    static const uint64_t ops[] = {
        0x10000000dUL, 0xffffffff0000000dUL, 0x100000017UL, 64, 0x80000000UL,
        0x8000000000000000UL, ~0UL,
    };
    unsigned int n = ARRAY_SIZE(ops);
    long rc;

    for (unsigned int i = 0; i < n; i++) {
        fill(&mc[i], ops[i]);
        mc[i].args[0] = (uint64_t)mc;   /* a list, were it a multicall */
        mc[i].args[1] = n + 1;
    }
    fill(&mc[n], __HYPERVISOR_xen_version);
    mc[n].args[0] = XENVER_pagesize;
    rc = hypercall2(__HYPERVISOR_multicall, (uint64_t)mc, n + 1);
    CHECK_EQ(rc, 0, "multicall of hostile ops returns 0");
    for (unsigned int i = 0; i < n; i++)
        CHECK_EQ(mc[i].result, -ENOSYS,
                 casename("hostile op %#lx in a multicall is -ENOSYS", ops[i]));
    CHECK_EQ(mc[n].result, 4096, "the good entry after them ran");
}

/* Direct hypercalls with the same numbers: the same one range check. */
static void hostile_direct_numbers(void)
{
    static const uint64_t nrs[] = {
        0x10000000dUL, 0x100000011UL, 0xffffffff00000011UL, 64,
        0x8000000000000000UL, ~0UL,
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++)
        CHECK_EQ(hypercall2(nrs[i], XENVER_pagesize, 0), -ENOSYS,
                 casename("direct hypercall number %#lx is -ENOSYS", nrs[i]));
}

void test_main(void)
{
    self_referencing("0x10000000d", 0x10000000dUL, -ENOSYS);
    self_referencing("0xffffffff0000000d", 0xffffffff0000000dUL, -ENOSYS);
    self_referencing("13 (multicall)", MC_MULTICALL, -EINVAL);
    self_referencing("23 (iret)", __HYPERVISOR_iret, -EINVAL);
    self_referencing("0x100000017", 0x100000017UL, -ENOSYS);

    /* Nesting by depth: entry i is a multicall of entry i+1.  Only the
     * outer list runs; every nested multicall entry is refused. */
    for (unsigned int i = 0; i < 7; i++) {
        fill(&mc[i], MC_MULTICALL);
        mc[i].args[0] = (uint64_t)&mc[i + 1];
        mc[i].args[1] = 1;
    }
    fill(&mc[7], __HYPERVISOR_xen_version);
    mc[7].args[0] = XENVER_pagesize;
    CHECK_EQ(hypercall2(__HYPERVISOR_multicall, (uint64_t)mc, 1), 0,
             "multicall whose entry is a multicall returns 0");
    CHECK_EQ(mc[0].result, -EINVAL, "nested multicall entry is -EINVAL");
    CHECK_EQ(mc[1].result, 0x5555, "the nested list was not run");

    hostile_ops_in_one_list();
    hostile_direct_numbers();
    list_past_mapped_memory();

    CHECK_EQ(hv_xen_version(XENVER_pagesize, NULL), 4096,
             "the hypervisor still answers after all that");
}
