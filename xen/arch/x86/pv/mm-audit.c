/*
 * The memory audit: recount, from scratch, every reference the page-table
 * rules say a domain's frames should have, and compare with the counts the
 * frames carry.
 *
 * Expected general references of a frame = its allocation (PGC_allocated)
 * or the hypervisor's share (PGC_xen_shared) + one per present entry of any
 * validated page table (of any domain) naming it + one per pin + one per
 * vCPU base pointer + what other hypervisor code reports holding
 * (mm_audit_other_refs).  Expected type references = entries of the next
 * level up naming it, RW L1 entries naming it (writable type), pins and
 * base pointers, and the other holders'.  It also re-checks every entry of
 * the domain's validated tables against the validation rules.
 *
 * Runs under the page-table lock, so counts are stable while it looks.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/domain-page.h>
#include <asm/pv-mm.h>
#include <asm/io-perm.h>

extern mfn_t max_mfn;

static bool opt_mm_audit;
boolean_param("mm_audit", opt_mm_audit);

__weak unsigned long mm_audit_other_refs(const struct domain *d, mfn_t mfn,
                                         unsigned long *type_refs)
{
    (void)d; (void)mfn;
    *type_refs = 0;
    return 0;
}

struct tally {
    uint32_t *gen;      /* expected general refs from tables, pins, CR3s */
    uint32_t *typ;      /* expected type refs from the same */
    int32_t *lin;       /* expected linear count (pgt_linear_count) */
    unsigned long nframes;
    int errors;
    struct domain *d;
};

#define MISMATCH(t, ...) do { printk(XENLOG_ERR "mm_audit: " __VA_ARGS__); \
                              (t)->errors++; } while ( 0 )

static bool frame_tracked(mfn_t mfn, unsigned long nframes)
{
    return mfn < nframes && mfn_in_frame_table(mfn) &&
           (READ_ONCE(mfn_to_page(mfn)->count_info) & PGC_state_mask) ==
           PGC_state_inuse;
}

/* Count what one validated table holds; check its entries if it is d's. */
static void tally_table(struct tally *t, mfn_t mfn, unsigned int level)
{
    struct page_info *pg = mfn_to_page(mfn);
    const pte_t *tab = page_to_virt(pg);
    struct domain *owner = page_get_owner(pg);
    bool mine = owner == t->d;

    for ( unsigned int i = 0; i < 512; i++ )
    {
        pte_t e = tab[i];
        mfn_t target = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;

        if ( level == 4 && l4_slot_is_hypervisor(i) )
        {
            if ( mine && e != pv_hypervisor_l4e(i) )
                MISMATCH(t, "d%u L4 %#lx slot %u: %#lx is not the "
                         "hypervisor's entry\n", t->d->domain_id, mfn, i,
                         (unsigned long)e);
            continue;
        }
        if ( !(e & _PAGE_PRESENT) )
            continue;
        if ( mine && (!(e & _PAGE_USER) ||
                      pv_check_entry_flags(owner, level, e) != 0) )
            MISMATCH(t, "d%u L%u %#lx[%u] = %#lx breaks the entry rules\n",
                     t->d->domain_id, level, mfn, i, (unsigned long)e);
        if ( !frame_tracked(target, t->nframes) )
        {
            /* Only what validation lets through: an I/O frame the
             * table's owner was given (io-perm.c), in an L1. */
            if ( level > 1 || owner == NULL ||
                 !io_frame_permitted(owner, target) )
                MISMATCH(t, "L%u %#lx[%u] names untracked frame %#lx\n",
                         level, mfn, i, target);
            continue;
        }
        if ( level > 1 && target == mfn )
        {
            /* A linear self-reference holds nothing; read-only only. */
            if ( e & _PAGE_RW )
                MISMATCH(t, "L%u %#lx[%u] is a writable self-reference\n",
                         level, mfn, i);
            continue;
        }
        t->gen[target]++;
        if ( level > 1 &&
             page_type(mfn_to_page(target)) == PGT_level(level) )
        {
            /* Linear: read-only, and counted on both tables. */
            t->typ[target]++;
            t->lin[mfn]++;
            t->lin[target]--;
            if ( e & _PAGE_RW )
                MISMATCH(t, "L%u %#lx[%u] -> %#lx: writable linear entry\n",
                         level, mfn, i, target);
        }
        else if ( level > 1 )
        {
            t->typ[target]++;
            if ( mine && page_type(mfn_to_page(target)) != PGT_level(level - 1) )
                MISMATCH(t, "d%u L%u %#lx[%u] -> %#lx is not an L%u table\n",
                         t->d->domain_id, level, mfn, i, target, level - 1);
        }
        else if ( e & _PAGE_RW )
        {
            t->typ[target]++;
            if ( page_type(mfn_to_page(target)) != PGT_writable_page )
                MISMATCH(t, "L1 %#lx[%u] maps %#lx writable but its type is "
                         "%#lx\n", mfn, i, target,
                         page_type(mfn_to_page(target)) >> PGT_type_shift);
        }
    }
}

static void tally_base_pointer(struct tally *t, mfn_t m)
{
    if ( m != 0 && m < t->nframes )   /* also skips INVALID_MFN */
    {
        t->gen[m]++;
        t->typ[m]++;
    }
}

static void compare_frame(struct tally *t, mfn_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    unsigned long ci = pg->count_info, ti = pg->type_info;
    unsigned long other_typ = 0;
    unsigned long other = mm_audit_other_refs(t->d, mfn, &other_typ);
    unsigned long want_gen = t->gen[mfn] + other +
        ((ci & (PGC_allocated | PGC_xen_shared)) ? 1 : 0);
    unsigned long want_typ = t->typ[mfn] + other_typ;
    unsigned long level = pgt_table_level(ti);

    if ( (ci & PGC_state_mask) != PGC_state_inuse )
        MISMATCH(t, "d%u owns mfn %#lx in heap state %#lx\n",
                 t->d->domain_id, mfn, ci >> PGC_state_shift);
    if ( (ci & PGC_count_mask) != want_gen )
        MISMATCH(t, "d%u mfn %#lx: %lu general references, expected %lu\n",
                 t->d->domain_id, mfn, ci & PGC_count_mask, want_gen);
    if ( (ti & PGT_count_mask) != want_typ )
        MISMATCH(t, "d%u mfn %#lx: type %lu count %lu, expected %lu\n",
                 t->d->domain_id, mfn, (ti & PGT_type_mask) >> PGT_type_shift,
                 ti & PGT_count_mask, want_typ);
    if ( pgt_linear_count(ti) != t->lin[mfn] )
        MISMATCH(t, "d%u mfn %#lx: linear count %d, expected %d\n",
                 t->d->domain_id, mfn, pgt_linear_count(ti), t->lin[mfn]);
    if ( level && (ti & PGT_count_mask) && !(ti & PGT_validated) )
        MISMATCH(t, "d%u mfn %#lx: table in use but not validated\n",
                 t->d->domain_id, mfn);
    if ( (ti & PGT_pinned) && (!level || !(ti & PGT_count_mask)) )
        MISMATCH(t, "d%u mfn %#lx: pinned but not a table in use\n",
                 t->d->domain_id, mfn);
}

static void check_page_list(struct tally *t)
{
    struct domain *d = t->d;
    struct list_head *pos;
    unsigned long listed = 0, allocated = 0;

    list_for_each(pos, &d->page_list)
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);

        listed++;
        if ( page_get_owner(pg) != d || !(pg->count_info & PGC_allocated) )
            MISMATCH(t, "d%u page list holds mfn %#lx (owner %s, %s)\n",
                     d->domain_id, page_to_mfn(pg),
                     page_get_owner(pg) == d ? "ok" : "other",
                     (pg->count_info & PGC_allocated) ? "allocated"
                                                       : "not allocated");
    }
    for ( mfn_t m = 0; m < t->nframes; m++ )
        if ( mfn_in_frame_table(m) && page_get_owner(mfn_to_page(m)) == d &&
             (mfn_to_page(m)->count_info & PGC_allocated) )
            allocated++;
    if ( listed != d->tot_pages || allocated != d->tot_pages )
        MISMATCH(t, "d%u tot_pages %lu, page list %lu, allocated frames %lu\n",
                 d->domain_id, d->tot_pages, listed, allocated);
}

int mm_audit_domain(struct domain *d)
{
    struct tally t = { .d = d, .nframes = max_mfn };

    t.gen = xzalloc_array(uint32_t, t.nframes);
    t.typ = xzalloc_array(uint32_t, t.nframes);
    t.lin = xzalloc_array(int32_t, t.nframes);
    if ( t.gen == NULL || t.typ == NULL || t.lin == NULL )
    {
        xfree(t.gen);
        xfree(t.typ);
        xfree(t.lin);
        printk(XENLOG_ERR "mm_audit: out of memory\n");
        return -1;
    }

    pv_mm_lock();
    for ( mfn_t m = 0; m < t.nframes; m++ )
    {
        struct page_info *pg;
        unsigned long ti;

        if ( !frame_tracked(m, t.nframes) )
            continue;
        pg = mfn_to_page(m);
        ti = pg->type_info;
        if ( pgt_table_level(ti) && (ti & PGT_count_mask) &&
             (ti & PGT_validated) )
            tally_table(&t, m, pgt_table_level(ti));
        if ( ti & PGT_pinned )
        {
            t.gen[m]++;
            t.typ[m]++;
        }
    }
    spin_lock(&domlist_lock);
    for ( struct domain *dd = domain_list; dd; dd = dd->next_in_list )
        for ( unsigned int i = 0; i < dd->max_vcpus && i < MAX_VCPUS; i++ )
            if ( dd->vcpu[i] )
            {
                tally_base_pointer(&t, dd->vcpu[i]->arch.guest_table);
                tally_base_pointer(&t, dd->vcpu[i]->arch.guest_table_user);
            }
    spin_unlock(&domlist_lock);

    for ( mfn_t m = 0; m < t.nframes; m++ )
        if ( mfn_in_frame_table(m) && page_get_owner(mfn_to_page(m)) == d )
            compare_frame(&t, m);
    spin_lock(&d->lock);
    check_page_list(&t);
    spin_unlock(&d->lock);
    pv_mm_unlock();

    xfree(t.gen);
    xfree(t.typ);
    xfree(t.lin);
    return t.errors;
}

void mm_audit_at_shutdown(struct domain *d)
{
    int n;

    if ( !opt_mm_audit )
        return;
    n = mm_audit_domain(d);
    printk("mm_audit: d%u: %d mismatch%s\n", d->domain_id, n,
           n == 1 ? "" : "es");
}
