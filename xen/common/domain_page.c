/*
 * Frames charged to domains: allocation, general reference counts, and the
 * way back to the heap (see xen/domain-page.h for the rules).
 */
#include <xen/lib.h>
#include <xen/arch-hooks.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/domain-page.h>

static inline unsigned long page_state(const struct page_info *pg)
{
    return READ_ONCE(pg->count_info) & PGC_state_mask;
}

/* The last reference is gone: nothing maps the frame any more.  A stale
 * TLB entry on some CPU could still reach it, so flush before anyone else
 * can get the frame (flush == false: the caller already did).  The frame
 * is not zeroed here: every way out of the heap zeroes what it hands out
 * (alloc_domheap_pages, alloc_xenheap_pages), so scrubbing on the way in
 * as well only doubled the cost of giving memory back (a balloon, a
 * destroy: 256 MiB of memset each under TCG).  Only CPUs
 * that have not flushed since the frame's last mapping went (its stamp)
 * can hold one: when a guest unmaps a batch of frames, flushes, and then
 * gives them back (Linux's balloon), that is none, and a batch costs no
 * IPI at all instead of one per frame. */
static void free_unreferenced_frame(struct page_info *pg, bool flush)
{
    set_gpfn_from_mfn(page_to_mfn(pg), M2P_INVALID_ENTRY);
    if ( flush )
    {
        uint64_t stale = tlbflush_filter(pv_all_cpus(), pg->tlbflush_timestamp);

        if ( stale != 0 )
            flush_tlb_mask(stale);
    }
    pg->owner = NULL;
    pg->type_info = 0;
    pg->count_info = PGC_state_inuse;
    free_heap_pages(pg, 0);
}

struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order)
{
    struct page_info *pg;
    unsigned long nr = 1UL << order, i;

    if ( d == NULL || order > MAX_ORDER )
        return NULL;

    /* Charge first, so two CPUs cannot both pass the max_pages check. */
    spin_lock(&d->lock);
    if ( d->state == DOMAIN_DYING || d->tot_pages + nr > d->max_pages ||
         d->tot_pages + nr < d->tot_pages )
    {
        spin_unlock(&d->lock);
        return NULL;
    }
    d->tot_pages += nr;
    spin_unlock(&d->lock);

    pg = alloc_heap_pages(order);
    if ( pg == NULL )
    {
        spin_lock(&d->lock);
        d->tot_pages -= nr;
        spin_unlock(&d->lock);
        return NULL;
    }

    /* Not the domain's yet: no owner and no reference, so get_page and
     * the releasers (domain_extent_steal, domain_page_release) refuse
     * these frames.  A guest may guess a frame's MFN and hand it back
     * from another vCPU while we run; until the frame is on d->page_list
     * its list field is still the heap's, and releasing it would unlink
     * that (a hypervisor panic, or silently corrupted heap lists). */
    for ( i = 0; i < nr; i++ )
    {
        /* Zeroed here, whatever the heap's history: the heap holds what
         * domains gave back and what the hypervisor used (boot data,
         * xmalloc'd state) as it was, and a new domain must never read
         * either (nor find a "fresh" page-table frame non-zero). */
        scrub_page(&pg[i]);
        pg[i].type_info = PGT_none;
        set_gpfn_from_mfn(page_to_mfn(&pg[i]), M2P_INVALID_ENTRY);
    }
    pg->order = 0;      /* the heap's head-of-block order is not ours */

    spin_lock(&d->lock);
    if ( d->state == DOMAIN_DYING )
    {
        /* Killed while we allocated: relinquish_domain_pages may already
         * have walked the list, so these frames must not join it. */
        d->tot_pages -= nr;
        spin_unlock(&d->lock);
        for ( i = 0; i < nr; i++ )
            free_unreferenced_frame(&pg[i], false);
        return NULL;
    }
    /* Owner, allocation reference and list membership appear together,
     * under the lock every releaser takes. */
    for ( i = 0; i < nr; i++ )
    {
        list_add_tail(&pg[i].list, &d->page_list);
        WRITE_ONCE(pg[i].owner, d);
        __atomic_store_n(&pg[i].count_info,
                         PGC_state_inuse | PGC_allocated | 1,
                         __ATOMIC_RELEASE);
    }
    spin_unlock(&d->lock);
    return pg;
}

int get_page(struct page_info *pg, struct domain *d)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_ACQUIRE);

    for ( ;; )
    {
        unsigned long count = x & PGC_count_mask;

        if ( (x & PGC_state_mask) != PGC_state_inuse || count == 0 ||
             count >= PGC_count_max || d == NULL ||
             READ_ONCE(pg->owner) != d )
            return 0;
        if ( __atomic_compare_exchange_n(&pg->count_info, &x, x + 1, false,
                                         __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE) )
            break;
    }
    /* The owner cannot have changed while we held no reference, because a
     * frame changes owner only after its count reached 0. */
    return 1;
}

struct page_info *get_page_from_mfn(mfn_t mfn, struct domain *d)
{
    struct page_info *pg;

    if ( !mfn_in_frame_table(mfn) )
        return NULL;
    pg = mfn_to_page(mfn);
    return get_page(pg, d) ? pg : NULL;
}

/* Drop one reference; true when it was the last. */
static bool drop_ref(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_ACQUIRE);
    unsigned long nx;

    do {
        if ( (x & PGC_count_mask) == 0 || (x & PGC_state_mask) != PGC_state_inuse )
            panic("put_page: mfn %#lx has no reference to drop (count_info %#lx)",
                  page_to_mfn(pg), x);
        nx = x - 1;
        if ( (nx & PGC_count_mask) == 0 )
            nx &= ~(PGC_allocated | PGC_xen_shared);
    } while ( !__atomic_compare_exchange_n(&pg->count_info, &x, nx, false,
                                           __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE) );
    return (nx & PGC_count_mask) == 0;
}

void put_page(struct page_info *pg)
{
    /* A mapping may just have gone: stamp before the count drops. */
    pg->tlbflush_timestamp = tlbflush_now();
    if ( drop_ref(pg) )
        free_unreferenced_frame(pg, true);
}

/*
 * Drop the allocation's reference (taken back by take_allocation or
 * take_sole_allocation).  It is no mapping, so no TLB entry goes with it:
 * the frame keeps the stamp of its last real unmapping.  Stamping "now"
 * here, as put_page does, made every CPU look stale and cost a flush of
 * all CPUs (an IPI) per frame given back: a 256 MiB balloon was 65536
 * IPIs.  A mapping made and dropped meanwhile (another vCPU can still
 * get_page the frame until this drop) stamped it itself, so the filter in
 * free_unreferenced_frame still reaches every CPU that could cache it.
 */
static void put_allocation_ref(struct page_info *pg)
{
    if ( drop_ref(pg) )
        free_unreferenced_frame(pg, true);
}

/* Clear PGC_allocated; true if we did (the caller owns that reference). */
static bool take_allocation(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_ACQUIRE);

    do {
        if ( !(x & PGC_allocated) )
            return false;
    } while ( !__atomic_compare_exchange_n(&pg->count_info, &x,
                                           x & ~PGC_allocated, false,
                                           __ATOMIC_ACQ_REL,
                                           __ATOMIC_ACQUIRE) );
    return true;
}

int domain_page_release(struct domain *d, struct page_info *pg)
{
    if ( d == NULL || READ_ONCE(pg->owner) != d ||
         page_state(pg) != PGC_state_inuse )
        return -EINVAL;
    spin_lock(&d->lock);
    if ( !take_allocation(pg) )
    {
        spin_unlock(&d->lock);
        return -EINVAL;
    }
    list_del(&pg->list);
    list_init(&pg->list);
    d->tot_pages--;
    spin_unlock(&d->lock);
    put_allocation_ref(pg);
    return 0;
}

void free_domheap_pages(struct page_info *pg, unsigned int order)
{
    for ( unsigned long i = 0; i < (1UL << order); i++ )
    {
        struct domain *d = READ_ONCE(pg[i].owner);

        /* A guest can hand back a frame it just got (another vCPU may
         * guess the MFN) before the caller frees it: that one is gone
         * already, which is not the hypervisor's inconsistency. */
        if ( d == NULL || domain_page_release(d, &pg[i]) != 0 )
            printk(XENLOG_WARNING "free_domheap_pages: mfn %#lx was released "
                   "already\n", page_to_mfn(&pg[i]));
    }
}

/*
 * The whole check-then-release happens under d->lock, and the commit point
 * for each frame is one compare-exchange from exactly "in use, allocated,
 * one reference" to "in use, one reference (ours)": a concurrent
 * get_page, another vCPU releasing the same frame, or a type reference
 * (which always comes with a general one) makes it fail.  Frames already
 * taken are given their allocation back, so a refused extent is unchanged.
 */
static bool take_sole_allocation(struct domain *d, struct page_info *pg)
{
    unsigned long x = PGC_state_inuse | PGC_allocated | 1;

    if ( READ_ONCE(pg->owner) != d || page_type_count(pg) != 0 )
        return false;
    return __atomic_compare_exchange_n(&pg->count_info, &x,
                                       PGC_state_inuse | 1, false,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

int domain_extent_steal(struct domain *d, mfn_t mfn, unsigned int order)
{
    unsigned long nr = 1UL << order, i;

    if ( d == NULL || !IS_ALIGNED(mfn, nr) || !mfn_in_frame_table(mfn) ||
         !mfn_in_frame_table(mfn + nr - 1) )
        return -EINVAL;
    spin_lock(&d->lock);
    for ( i = 0; i < nr; i++ )
        if ( !take_sole_allocation(d, mfn_to_page(mfn + i)) )
            break;
    if ( i < nr )
    {
        while ( i-- > 0 )
            __atomic_or_fetch(&mfn_to_page(mfn + i)->count_info,
                              PGC_allocated, __ATOMIC_ACQ_REL);
        spin_unlock(&d->lock);
        return -EBUSY;
    }
    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        list_del(&pg->list);
        list_init(&pg->list);
    }
    d->tot_pages -= nr;
    spin_unlock(&d->lock);
    return 0;
}

int domain_extent_release(struct domain *d, mfn_t mfn, unsigned int order)
{
    int rc = domain_extent_steal(d, mfn, order);

    if ( rc == 0 )
        for ( unsigned long i = 0; i < (1UL << order); i++ )
            put_allocation_ref(mfn_to_page(mfn + i));
    return rc;
}

void domain_extent_unsteal(struct domain *d, mfn_t mfn, unsigned int order)
{
    unsigned long nr = 1UL << order, i;

    spin_lock(&d->lock);
    if ( d->state == DOMAIN_DYING )
    {
        /* relinquish_domain_pages may have walked the list already. */
        spin_unlock(&d->lock);
        for ( i = 0; i < nr; i++ )
            put_page(mfn_to_page(mfn + i));
        return;
    }
    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        __atomic_or_fetch(&pg->count_info, PGC_allocated, __ATOMIC_ACQ_REL);
        list_add_tail(&pg->list, &d->page_list);
    }
    d->tot_pages += nr;
    spin_unlock(&d->lock);
}

void share_xen_page_with_guest(struct page_info *pg, struct domain *d)
{
    BUG_ON(page_state(pg) != PGC_state_inuse || d == NULL);
    pg->type_info = PGT_none;
    pg->owner = d;
    set_gpfn_from_mfn(page_to_mfn(pg), M2P_INVALID_ENTRY);
    __atomic_store_n(&pg->count_info, PGC_state_inuse | PGC_xen_shared | 1,
                     __ATOMIC_RELEASE);
}

void unshare_xen_page(struct page_info *pg)
{
    BUG_ON(!(READ_ONCE(pg->count_info) & PGC_xen_shared));
    /* No new references from here on; existing mappings keep the page
     * alive and the last one frees it. */
    WRITE_ONCE(pg->owner, NULL);
    put_page(pg);
}

unsigned long relinquish_domain_pages(struct domain *d)
{
    struct list_head *pos, *tmp;
    unsigned long orphans = 0;

    pv_relinquish_page_tables(d);
    /* No page table of d is validated any more, so no mapping of d's
     * frames exists in d's own tables: one flush covers every frame freed
     * below. */
    flush_tlb_mask(pv_all_cpus());

    spin_lock(&d->lock);
    list_for_each_safe(pos, tmp, &d->page_list)
    {
        struct page_info *pg = list_entry(pos, struct page_info, list);

        list_del(&pg->list);
        list_init(&pg->list);
        d->tot_pages--;
        if ( !take_allocation(pg) )
            continue;
        if ( drop_ref(pg) )
            free_unreferenced_frame(pg, false);
        else
        {
            /* Still mapped by another domain: it is freed by the put_page
             * that drops that mapping.  No owner, so nobody can take a new
             * reference through a domain that is going away. */
            WRITE_ONCE(pg->owner, NULL);
            orphans++;
        }
    }
    spin_unlock(&d->lock);
    return orphans;
}
