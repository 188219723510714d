/* mmu_update, mmuext_op and update_va_mapping as a guest calls them (guest
 * pointers are host pointers in these tests). */

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <asm/pv-mm.h>
#include <public/xen.h>

static struct domain *d;
static struct vcpu *v;
static struct tree t;

/* A running domain with its tree pinned and loaded as kernel table. */
static void setup_running(bool privileged)
{
    d = new_domain(privileged ? 0 : 1, privileged, 256);
    v = new_vcpu(d, 0);
    set_current(v);
    build_tree(d, &t);
    CHECK_EQ(pv_pin_table(d, t.l4, 4), 0);
    CHECK_EQ(pv_set_guest_table(v, t.l4, false), 0);
}

static uint64_t entry_ma(mfn_t table, unsigned int idx)
{
    return ((uint64_t)table << PAGE_SHIFT) + idx * 8;
}

static void mmu_update_normal_and_done(void)
{
    mfn_t a, b;
    struct mmu_update req[3];
    unsigned int done = 99;

    setup_running(false);
    a = domain_frame(d);
    b = domain_frame(d);
    req[0] = (struct mmu_update){ entry_ma(t.l1, 10) | MMU_NORMAL_PT_UPDATE,
                                  mkpte(a, PTE_RW) };
    req[1] = (struct mmu_update){ entry_ma(t.l1, 11) | MMU_NORMAL_PT_UPDATE,
                                  mkpte(t.l3, PTE_RW) };   /* RW table: no */
    req[2] = (struct mmu_update){ entry_ma(t.l1, 12) | MMU_NORMAL_PT_UPDATE,
                                  mkpte(b, PTE_RO) };
    CHECK_EQ(pv_mmu_update(v, gva(req), 3, gva(&done), DOMID_SELF), -EINVAL);
    CHECK_EQ(done, 1);
    CHECK_EQ(frame_va(t.l1)[10], mkpte(a, PTE_RW) | _PAGE_USER);
    CHECK_EQ(frame_va(t.l1)[11], 0);
    CHECK_EQ(type_count(a), 1);
    CHECK_EQ(gen_count(b), 1);

    /* The rest of the batch, then the L2 level: a new L1 is validated. */
    mfn_t nl1 = domain_frame(d);
    frame_va(nl1)[3] = mkpte(b, PTE_RW);
    req[0] = req[2];
    req[1] = (struct mmu_update){ entry_ma(t.l2, 1), mkpte(nl1, TBL) };
    CHECK_EQ(pv_mmu_update(v, gva(req), 2, gva(&done), DOMID_SELF), 0);
    CHECK_EQ(done, 2);
    CHECK_EQ(type_of(nl1), PGT_l1_page_table);
    CHECK_EQ(type_count(b), 1);
    CHECK_EQ(gen_count(b), 3);
    CHECK_EQ(mm_audit_domain(d), 0);

    /* Clearing drops everything again. */
    req[0] = (struct mmu_update){ entry_ma(t.l2, 1), 0 };
    CHECK_EQ(pv_mmu_update(v, gva(req), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(type_of(nl1), PGT_none);
    CHECK_EQ(gen_count(b), 2);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void mmu_update_plain_and_bad_input(void)
{
    struct mmu_update req;
    mfn_t plain, other;
    struct domain *o;

    setup_running(false);
    plain = domain_frame(d);
    /* A frame that is not a table: a checked plain write. */
    req = (struct mmu_update){ entry_ma(plain, 7), 0x1234567 };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(frame_va(plain)[7], 0x1234567);
    CHECK_EQ(type_count(plain), 0);
    /* Someone else's frame, a hypervisor slot, garbage pointers. */
    o = new_domain(2, false, 16);
    other = domain_frame(o);
    req = (struct mmu_update){ entry_ma(other, 0), 0 };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), -EINVAL);
    req = (struct mmu_update){ entry_ma(t.l4, 256), 0 };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), -EPERM);
    req = (struct mmu_update){ entry_ma(HOST_FRAMES + 9, 0), 0 };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), -EINVAL);
    CHECK_EQ(pv_mmu_update(v, BAD_GUEST_VA, 1, 0, DOMID_SELF), -EFAULT);
    /* Bit 31 is MMU_UPDATE_PREEMPTED (a continuation with nothing left);
     * a count beyond 31 bits is refused. */
    CHECK_EQ(pv_mmu_update(v, gva(&req), 0x80000000UL, 0, DOMID_SELF), 0);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 0x100000000UL, 0, DOMID_SELF), -EINVAL);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 0, 0, DOMID_SELF), 0);
    /* An unprivileged domain cannot name another. */
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 2), -EPERM);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 0x30000 | DOMID_SELF), -EPERM);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void mmu_update_preserve_ad(void)
{
    struct mmu_update req;
    mfn_t a;

    setup_running(false);
    a = domain_frame(d);
    frame_va(t.l1)[0] |= _PAGE_DIRTY;       /* the MMU wrote through it */
    req = (struct mmu_update){ entry_ma(t.l1, 0) | MMU_PT_UPDATE_PRESERVE_AD,
                               mkpte(t.data, _PAGE_PRESENT) };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(frame_va(t.l1)[0], mkpte(t.data, _PAGE_PRESENT | _PAGE_USER |
                                      _PAGE_ACCESSED | _PAGE_DIRTY));
    CHECK_EQ(type_count(t.data), 0);        /* now read-only */
    req = (struct mmu_update){ entry_ma(t.l1, 0), mkpte(a, _PAGE_PRESENT) };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(frame_va(t.l1)[0], mkpte(a, _PAGE_PRESENT | _PAGE_USER));
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void mmu_update_machphys_and_foreign(void)
{
    struct domain *du = new_domain(5, false, 16);
    mfn_t guest_frame = domain_frame(du);
    struct mmu_update req;

    setup_running(true);
    req = (struct mmu_update){ ((uint64_t)t.data << PAGE_SHIFT) |
                               MMU_MACHPHYS_UPDATE, 0x42 };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(get_gpfn_from_mfn(t.data), 0x42);
    req.ptr = ((uint64_t)guest_frame << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), -EINVAL);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 5), 0);      /* named */
    CHECK_EQ(get_gpfn_from_mfn(guest_frame), 0x42);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 77), -ESRCH);

    /* privcmd-style foreign mapping: frame of domain 5. */
    req = (struct mmu_update){ entry_ma(t.l1, 20), mkpte(guest_frame, PTE_RW) };
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, DOMID_SELF), -EPERM);
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 5), 0);
    CHECK_EQ(gen_count(guest_frame), 2);
    CHECK_EQ(type_count(guest_frame), 1);
    CHECK_EQ(mm_audit_domain(du), 0);
    req.val = 0;
    CHECK_EQ(pv_mmu_update(v, gva(&req), 1, 0, 5), 0);
    CHECK_EQ(gen_count(guest_frame), 1);
}

static void mmuext_pin_baseptr_and_pages(void)
{
    struct mmuext_op op[2];
    unsigned int done = 0;
    mfn_t l1 = 0, a, b;

    setup_running(false);
    l1 = domain_frame(d);
    a = domain_frame(d);
    b = domain_frame(d);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = l1 };
    op[1] = (struct mmuext_op){ .cmd = MMUEXT_PIN_L2_TABLE, .arg1.mfn = l1 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 2, gva(&done), DOMID_SELF), -EINVAL);
    CHECK_EQ(done, 1);
    CHECK(mfn_to_page(l1)->type_info & PGT_pinned);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = l1 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(type_count(l1), 0);

    /* User base pointer, then none. */
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = t.l4 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(v->arch.guest_table_user, t.l4);
    CHECK_EQ(type_count(t.l4), 3);
    op[0].arg1.mfn = 0;
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(v->arch.guest_table_user, 0);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = 0 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);
    op[0].arg1.mfn = t.l3;
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);

    /* Clear and copy: only frames that may be written. */
    memset(frame_va(a), 0x5a, PAGE_SIZE);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_COPY_PAGE, .arg1.mfn = b,
                                .arg2.src_mfn = a };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(((uint8_t *)frame_va(b))[4095], 0x5a);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_CLEAR_PAGE, .arg1.mfn = a };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(((uint8_t *)frame_va(a))[100], 0);
    op[0].arg1.mfn = t.l2;                          /* a live table */
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);
    CHECK(frame_va(t.l2)[0] != 0);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_COPY_PAGE, .arg1.mfn = t.l1,
                                .arg2.src_mfn = a };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);

    /* LDT bounds. */
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_SET_LDT,
                                .arg1.linear_addr = 0x100000,
                                .arg2.nr_ents = 32 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(v->arch.ldt_ents, 32);
    op[0].arg2.nr_ents = 8193;
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);
    op[0].arg2.nr_ents = 1;
    op[0].arg1.linear_addr = 0x100008;
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EINVAL);
    op[0].arg1.linear_addr = 0;
    op[0].arg2.nr_ents = 0;
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(v->arch.ldt_ents, 0);

    op[0] = (struct mmuext_op){ .cmd = 14 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -ENOSYS);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_FLUSH_CACHE };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, DOMID_SELF), -EPERM);
    CHECK_EQ(pv_mmuext_op(v, BAD_GUEST_VA, 1, 0, DOMID_SELF), -EFAULT);
    op[0] = (struct mmuext_op){ .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = l1 };
    CHECK_EQ(pv_mmuext_op(v, gva(op), 1, 0, 3), -EPERM);
    CHECK_EQ(mm_audit_domain(d), 0);
}

static void mmuext_flushes(void)
{
    struct mmuext_op op;
    uint64_t mask = 2;

    setup_running(false);
    new_vcpu(d, 1);
    flushes_all = flushes_one = 0;
    op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_all, 1);
    op = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = 0x5000 };
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_one, 1);
    op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_MULTI,
                             .arg2.vcpumask.va = gva(&mask) };
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_all, 2);
    CHECK_EQ(last_flush_mask, 1UL << 1);    /* vCPU 1 runs on CPU 1 */
    op.cmd = MMUEXT_INVLPG_MULTI;
    op.arg1.linear_addr = 0x7000;
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_one, 2);
    op.arg2.vcpumask.va = BAD_GUEST_VA;
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), -EFAULT);
    op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_ALL };
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(last_flush_mask, 3);
    op = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_ALL, .arg1.linear_addr = 0x9000 };
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_one, 3);
    /* A non-canonical address is ignored, never handed to invlpg. */
    op.cmd = MMUEXT_INVLPG_LOCAL;
    op.arg1.linear_addr = 0x0000900000000000UL;
    CHECK_EQ(pv_mmuext_op(v, gva(&op), 1, 0, DOMID_SELF), 0);
    CHECK_EQ(flushes_one, 3);
}

static void update_va_mapping_flags(void)
{
    mfn_t a;
    uint64_t mask = 1;

    setup_running(false);
    new_vcpu(d, 1);
    a = domain_frame(d);
    flushes_all = flushes_one = 0;
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, mkpte(a, PTE_RW), UVMF_NONE, d), 0);
    CHECK_EQ(frame_va(t.l1)[3], mkpte(a, PTE_RW) | _PAGE_USER);
    CHECK_EQ(flushes_all + flushes_one, 0);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, mkpte(a, PTE_RO),
                                  UVMF_INVLPG | UVMF_LOCAL, d), 0);
    CHECK_EQ(flushes_one, 1);
    CHECK_EQ(type_count(a), 0);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, 0, UVMF_TLB_FLUSH | UVMF_ALL, d), 0);
    CHECK_EQ(flushes_all, 1);
    CHECK_EQ(last_flush_mask, 3);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, 0, UVMF_INVLPG | UVMF_ALL, d), 0);
    CHECK_EQ(flushes_one, 2);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, 0, UVMF_TLB_FLUSH | gva(&mask), d), 0);
    CHECK_EQ(last_flush_mask, 1);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, 0, UVMF_TLB_FLUSH |
                                  (BAD_GUEST_VA & ~7UL), d), -EFAULT);
    CHECK_EQ(pv_update_va_mapping(v, 0x3000, 0, 3, d), -EINVAL);
    /* Making a page-table page writable is refused. */
    CHECK_EQ(pv_update_va_mapping(v, 0x1000, mkpte(t.l1, PTE_RW), 0, d), -EINVAL);
    CHECK_EQ(frame_va(t.l1)[1], mkpte(t.l1, PTE_RO) | _PAGE_USER);
    /* No L1 there / not a guest address. */
    CHECK_EQ(pv_update_va_mapping(v, 0x40000000, 0, 0, d), -EINVAL);
    CHECK_EQ(pv_update_va_mapping(v, 0xffff800000000000UL, 0, 0, d), -EINVAL);
    CHECK_EQ(pv_update_va_mapping(v, 0x0000800000000000UL, 0, 0, d), -EINVAL);
    CHECK_EQ(mm_audit_domain(d), 0);
}

const struct test_case hypercall_cases[] = {
    { "mmu-update-normal-and-done", mmu_update_normal_and_done },
    { "mmu-update-plain-and-bad-input", mmu_update_plain_and_bad_input },
    { "mmu-update-preserve-ad", mmu_update_preserve_ad },
    { "mmu-update-machphys-and-foreign", mmu_update_machphys_and_foreign },
    { "mmuext-pin-baseptr-and-pages", mmuext_pin_baseptr_and_pages },
    { "mmuext-flushes", mmuext_flushes },
    { "update-va-mapping-flags", update_va_mapping_flags },
    { NULL, NULL },
};
