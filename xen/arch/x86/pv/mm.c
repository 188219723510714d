/*
 * The PV MMU hypercalls: mmu_update, mmuext_op, update_va_mapping and
 * update_va_mapping_otherdomain.  They decode and check guest requests and
 * hand every page-table change to the type engine in arch/x86/mm.c.
 *
 * Batches stop at the first failing request; the number done so far goes
 * to the guest's done pointer (when given) and the error is returned.
 * Long batches are preemptible (see pv/continuation.c): the continuation
 * carries the rest of the list with MMU_UPDATE_PREEMPTED in the count, and
 * the running total lives in the guest's done counter, as in Xen's ABI.
 * Nothing here implies a TLB flush except what the guest asks for.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/domain-page.h>
#include <asm/pv-mm.h>
#include <public/xen.h>

#define LDT_MAX_ENTRIES 8192

/* foreigndom: bits 15:0 own the mapped frames, bits 31:16 (if non-zero)
 * are one more than the id of the page tables' owner.  Both come back
 * referenced (put_owners gives them back). */
static int decode_foreigndom(struct domain *d, unsigned long foreigndom,
                             struct domain **pg_owner,
                             struct domain **pt_owner)
{
    unsigned int pt_id = (foreigndom >> 16) & 0xffff;
    domid_t pg_id = foreigndom & 0xffff;
    int err = 0;

    /* DOMID_IO owns no frames of its own here: it names the caller's I/O
     * memory, which the caller's own permissions decide (io-perm.c), so
     * it looks up as the caller. */
    if ( pg_id == DOMID_IO )
        pg_id = DOMID_SELF;
    *pg_owner = domain_lookup_for(d, pg_id, &err);
    if ( *pg_owner == NULL )
        return err;
    *pt_owner = domain_lookup_for(d, pt_id ? pt_id - 1 : DOMID_SELF, &err);
    if ( *pt_owner == NULL )
    {
        domain_put(*pg_owner);
        return err;
    }
    return 0;
}

static void put_owners(struct domain *pg_owner, struct domain *pt_owner)
{
    domain_put(pg_owner);
    domain_put(pt_owner);
}

static void report_done(uint64_t done_va, unsigned int done)
{
    if ( done_va != 0 )
        (void)copy_to_guest(done_va, &done, sizeof(done));
}

/*
 * The batch protocol mmu_update and mmuext_op share: a count with
 * MMU_UPDATE_PREEMPTED set is a continuation, whose total so far is in the
 * guest's done counter; entries are copied in one at a time, with a
 * preemption check before each but the first; a preempted batch continues
 * from the first entry not done.
 */
static unsigned long batch_resume(unsigned long count, uint64_t done_va,
                                  unsigned int *done)
{
    if ( count & MMU_UPDATE_PREEMPTED )
    {
        /* A continuation: the total so far is in the guest's counter. */
        count &= ~MMU_UPDATE_PREEMPTED;
        if ( done_va != 0 && copy_from_guest(done, done_va, sizeof(*done)) )
            *done = 0;
    }
    return count;
}

/* Entry i of the list into item: 0 (or 0 with *preempted set: stop here),
 * or -EFAULT. */
static int batch_next(uint64_t list, unsigned int i, void *item, size_t size,
                      bool *preempted)
{
    if ( i > 0 && hypercall_preempt_check() )
    {
        *preempted = true;
        return 0;
    }
    if ( copy_from_guest_index(item, list, i, size) )
        return -EFAULT;
    return 0;
}

static long batch_continuation(unsigned int nr, uint64_t rest,
                               unsigned long left, uint64_t done_va,
                               unsigned long foreigndom)
{
    return hypercall_create_continuation(nr, rest,
                                         left | MMU_UPDATE_PREEMPTED,
                                         done_va, foreigndom, 0);
}

static int machphys_update(struct domain *pg_owner, uint64_t ptr,
                           uint64_t val)
{
    mfn_t mfn = ptr >> PAGE_SHIFT;
    struct page_info *pg = get_page_from_mfn(mfn, pg_owner);

    if ( pg == NULL )
        return -EINVAL;
    set_gpfn_from_mfn(mfn, val);
    put_page(pg);
    return 0;
}

long pv_mmu_update(struct vcpu *v, uint64_t reqs, unsigned long count,
                   uint64_t done_va, unsigned long foreigndom)
{
    struct domain *pg_owner = NULL, *pt_owner = NULL;
    unsigned int done = 0, i;
    bool preempted = false;
    int rc;

    count = batch_resume(count, done_va, &done);
    if ( count > INT32_MAX )
        return -EINVAL;
    rc = decode_foreigndom(v->domain, foreigndom, &pg_owner, &pt_owner);
    if ( rc )
        return rc;

    for ( i = 0; i < count; i++ )
    {
        struct mmu_update req;
        struct page_info *pg;
        unsigned int cmd;

        rc = batch_next(reqs, i, &req, sizeof(req), &preempted);
        if ( rc || preempted )
            break;
        cmd = req.ptr & 3;
        switch ( cmd )
        {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE:   /* a PV guest never translates */
            pg = get_page_from_mfn(req.ptr >> PAGE_SHIFT, pt_owner);
            if ( pg == NULL )
            {
                rc = -EINVAL;
                break;
            }
            rc = pv_update_any_entry(pg, (req.ptr & (PAGE_SIZE - 1)) >> 3,
                                     req.val, pg_owner,
                                     cmd == MMU_PT_UPDATE_PRESERVE_AD);
            put_page(pg);
            break;
        case MMU_MACHPHYS_UPDATE:
            rc = machphys_update(pg_owner, req.ptr, req.val);
            break;
        }
        if ( rc )
            break;
    }
    put_owners(pg_owner, pt_owner);
    v->domain->stats.mmu_updates += i;
    report_done(done_va, done + i);
    if ( preempted )
        return batch_continuation(__HYPERVISOR_mmu_update,
                                  reqs + i * sizeof(struct mmu_update),
                                  count - i, done_va, foreigndom);
    return rc;
}

HYPERCALL(mmu_update)
{
    (void)a5;
    return pv_mmu_update(current, a1, a2 & 0xffffffffUL, a3, a4);
}

/* ---- TLB flush scopes --------------------------------------------------- */

/* A guest bitmap of vCPU ids (unsigned longs); we support 64 vCPUs. */
static int read_vcpumask(uint64_t va, uint64_t *mask)
{
    return copy_from_guest(mask, va, sizeof(*mask)) ? -EFAULT : 0;
}

static void flush_vcpus(struct domain *d, uint64_t vcpumask, bool one,
                        unsigned long va)
{
    uint64_t cpus = pv_vcpumask_to_cpumask(d, vcpumask);

    if ( one )
        flush_tlb_one_mask(cpus, va);
    else
        flush_tlb_mask(cpus);
}

static bool va_canonical(unsigned long va)
{
    return (unsigned long)((long)(va << 16) >> 16) == va;
}

/* ---- mmuext_op ---------------------------------------------------------- */

static int copy_or_clear_page(struct domain *d, mfn_t dst, mfn_t src,
                              bool copy)
{
    struct page_info *dpg, *spg = NULL;
    int rc;

    dpg = get_page_from_mfn(dst, d);
    if ( dpg == NULL )
        return -EINVAL;
    if ( copy && (spg = get_page_from_mfn(src, d)) == NULL )
    {
        put_page(dpg);
        return -EINVAL;
    }
    rc = get_page_type(dpg, PGT_writable_page);
    if ( rc == 0 )
    {
        if ( copy )
            memcpy(page_to_virt(dpg), page_to_virt(spg), PAGE_SIZE);
        else
            memset(page_to_virt(dpg), 0, PAGE_SIZE);
        put_page_type(dpg);
    }
    if ( spg )
        put_page(spg);
    put_page(dpg);
    return rc;
}

static int set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
    if ( ents > LDT_MAX_ENTRIES || (base & (PAGE_SIZE - 1)) )
        return -EINVAL;
    if ( ents != 0 && !guest_range_ok(base, (size_t)ents * 8) )
        return -EINVAL;
    v->arch.ldt_base = ents ? base : 0;
    v->arch.ldt_ents = ents;
    return 0;
}

static int one_mmuext(struct vcpu *v, const struct mmuext_op *op,
                      struct domain *pg_owner)
{
    struct domain *d = v->domain;
    uint64_t mask;
    int rc;

    switch ( op->cmd )
    {
    case MMUEXT_PIN_L1_TABLE:
    case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE:
    case MMUEXT_PIN_L4_TABLE:
        return pv_pin_table(pg_owner, op->arg1.mfn,
                            op->cmd - MMUEXT_PIN_L1_TABLE + 1);
    case MMUEXT_UNPIN_TABLE:
        return pv_unpin_table(pg_owner, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        if ( pg_owner != d || op->arg1.mfn == 0 )
            return -EINVAL;
        return pv_set_guest_table(v, op->arg1.mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        if ( pg_owner != d )
            return -EINVAL;
        return pv_set_guest_table(v, op->arg1.mfn, true);
    case MMUEXT_TLB_FLUSH_LOCAL:
        flush_tlb_local_guest();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if ( va_canonical(op->arg1.linear_addr) )
            flush_tlb_one_local(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
    case MMUEXT_INVLPG_MULTI:
        rc = read_vcpumask(op->arg2.vcpumask.va, &mask);
        if ( rc )
            return rc;
        if ( op->cmd == MMUEXT_INVLPG_MULTI &&
             !va_canonical(op->arg1.linear_addr) )
            return 0;
        flush_vcpus(d, mask, op->cmd == MMUEXT_INVLPG_MULTI,
                    op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_ALL:
        flush_vcpus(d, ~0UL, false, 0);
        return 0;
    case MMUEXT_INVLPG_ALL:
        if ( va_canonical(op->arg1.linear_addr) )
            flush_vcpus(d, ~0UL, true, op->arg1.linear_addr);
        return 0;
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:
        if ( !d->is_privileged )
            return -EPERM;
        flush_cache_mask(op->cmd == MMUEXT_FLUSH_CACHE
                         ? (1UL << v->processor) : pv_all_cpus());
        return 0;
    case MMUEXT_SET_LDT:
        return set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_CLEAR_PAGE:
        return copy_or_clear_page(d, op->arg1.mfn, 0, false);
    case MMUEXT_COPY_PAGE:
        return copy_or_clear_page(d, op->arg1.mfn, op->arg2.src_mfn, true);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -EOPNOTSUPP;     /* no superpages for PV guests */
    default:
        return -ENOSYS;
    }
}

long pv_mmuext_op(struct vcpu *v, uint64_t ops, unsigned long count,
                  uint64_t done_va, unsigned long foreigndom)
{
    struct domain *pg_owner;
    unsigned int done = 0, i;
    bool preempted = false;
    int rc = 0;

    count = batch_resume(count, done_va, &done);
    if ( count > INT32_MAX )
        return -EINVAL;
    pg_owner = domain_lookup_for(v->domain, foreigndom & 0xffff, &rc);
    if ( pg_owner == NULL )
        return rc;
    for ( i = 0; i < count; i++ )
    {
        struct mmuext_op op;

        rc = batch_next(ops, i, &op, sizeof(op), &preempted);
        if ( rc || preempted )
            break;
        rc = one_mmuext(v, &op, pg_owner);
        if ( rc )
            break;
    }
    domain_put(pg_owner);
    report_done(done_va, done + i);
    if ( preempted )
        return batch_continuation(__HYPERVISOR_mmuext_op,
                                  ops + i * sizeof(struct mmuext_op),
                                  count - i, done_va, foreigndom);
    return rc;
}

HYPERCALL(mmuext_op)
{
    (void)a5;
    return pv_mmuext_op(current, a1, a2 & 0xffffffffUL, a3, a4);
}

/* ---- update_va_mapping -------------------------------------------------- */

long pv_update_va_mapping(struct vcpu *v, unsigned long va, uint64_t val,
                          unsigned long flags, struct domain *pg_owner)
{
    struct domain *d = v->domain;
    unsigned long scope = flags & ~UVMF_FLUSHTYPE_MASK;
    uint64_t mask = ~0UL;
    int rc;

    rc = pv_update_va_entry(pv_current_root(v), va, val, d, pg_owner);
    if ( rc )
        return rc;

    if ( (flags & UVMF_FLUSHTYPE_MASK) == UVMF_NONE )
        return 0;
    if ( scope != UVMF_LOCAL && scope != UVMF_ALL )
    {
        /* UVMF_MULTI: the rest of the word points at a vCPU bitmap. */
        rc = read_vcpumask(scope, &mask);
        if ( rc )
            return rc;
    }
    switch ( flags & UVMF_FLUSHTYPE_MASK )
    {
    case UVMF_TLB_FLUSH:
        if ( scope == UVMF_LOCAL )
            flush_tlb_local_guest();
        else
            flush_vcpus(d, mask, false, 0);
        break;
    case UVMF_INVLPG:
        if ( scope == UVMF_LOCAL )
            flush_tlb_one_local(va);
        else
            flush_vcpus(d, mask, true, va);
        break;
    default:
        return -EINVAL;
    }
    return 0;
}

HYPERCALL(update_va_mapping)
{
    struct vcpu *v = current;

    (void)a4; (void)a5;
    return pv_update_va_mapping(v, a1, a2, a3, v->domain);
}

HYPERCALL(update_va_mapping_otherdomain)
{
    struct vcpu *v = current;
    struct domain *pg_owner;
    int err = 0;
    long rc;

    (void)a5;
    pg_owner = domain_lookup_for(v->domain, a4 & 0xffff, &err);
    if ( pg_owner == NULL )
        return err;
    rc = pv_update_va_mapping(v, a1, a2, a3, pg_owner);
    domain_put(pg_owner);
    return rc;
}
