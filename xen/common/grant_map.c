/*
 * GNTTABOP_map_grant_ref, unmap_grant_ref and unmap_and_replace: one
 * domain mapping a frame another (or the same) domain granted it, and the
 * maptrack that remembers each mapping under a handle.
 *
 * References (docs/grant-tables.md): a maptrack entry holds, from map to
 * the unmap of its last part, one general reference on the granted frame
 * and, unless read-only, one PGT_writable_page type reference, so the
 * frame can be neither freed (decrease_reservation, the granter's death)
 * nor retyped (made a page table) under the mapper.  A host mapping's
 * page-table entry holds its own references, like any entry.  A handle
 * may carry a host part and a device part; each is unmapped on its own
 * and the references go with the last (XSA-224: mixing host and device
 * unmaps of one handle, or unmapping through another mapping's address,
 * must not drop what another part still needs).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/domain-page.h>
#include <xen/arch-hooks.h>
#include "grant-priv.h"

#define MAP_PARTS (GNTMAP_host_map | GNTMAP_device_map)

/* A free handle of gt (growing the maptrack), or -1. */
static int alloc_handle(struct grant_table *gt)
{
    struct maptrack *n;
    unsigned int cap, old = gt->mt_cap;

    for ( unsigned int h = 0; h < gt->mt_cap; h++ )
        if ( gt->mt[h].rgt == NULL )
            return h;
    if ( gt->mt_cap >= GT_MAPTRACK_MAX )
        return -1;
    cap = gt->mt_cap ? gt->mt_cap * 2 : 64;
    if ( (n = xzalloc_array(struct maptrack, cap)) == NULL )
        return -1;
    spin_lock(&gt_audit_lock);
    if ( gt->mt_cap )
        memcpy(n, gt->mt, gt->mt_cap * sizeof(*n));
    xfree(gt->mt);
    gt->mt = n;
    gt->mt_cap = cap;
    spin_unlock(&gt_audit_lock);
    return old;
}

/* Take the maptrack's references on the frame: general, and writable
 * type unless read-only.  false when the frame is not the granter's any
 * more or is a page table / descriptor page. */
static bool frame_get(mfn_t mfn, struct domain *granter, bool readonly)
{
    struct page_info *pg = get_page_from_mfn(mfn, granter);

    if ( pg == NULL )
        return false;
    if ( readonly )
        return true;
    put_page(pg);
    return get_page_and_type(pg, granter, PGT_writable_page) == 0;
}

static void frame_put(mfn_t mfn, bool readonly)
{
    if ( readonly )
        put_page(mfn_to_page(mfn));
    else
        put_page_and_type(mfn_to_page(mfn));
}

static int16_t map_one(struct domain *self, struct gnttab_map_grant_ref *op)
{
    struct grant_table *lgt, *rgt;
    struct domain *rd;
    struct maptrack *m;
    bool ro = op->flags & GNTMAP_readonly;
    unsigned int off, len;
    mfn_t mfn;
    int16_t st;
    int h;

    if ( !(op->flags & MAP_PARTS) )
        return GNTST_bad_gntref;        /* Xen's answer to no host/device */
    if ( (rd = gt_granter(self, op->dom)) == NULL )
        return GNTST_bad_domain;
    rgt = gt_find(rd, false);
    lgt = gt_find(self, true);
    if ( lgt == NULL )
        st = GNTST_no_space;
    else if ( rgt == NULL || op->ref >= gt_nr_entries(rgt) )
        st = GNTST_bad_gntref;
    else if ( (h = alloc_handle(lgt)) < 0 )
        st = GNTST_no_space;
    else
        st = gt_pin(rgt, op->ref, self->domain_id, ro, false, &mfn,
                    &off, &len);
    if ( st != GNTST_okay )
        goto out;
    if ( !frame_get(mfn, rd, ro) )
    {
        st = GNTST_general_error;       /* not rd's, or a table */
        gt_unpin(rgt, op->ref, ro);
        goto out;
    }
    if ( (op->flags & GNTMAP_host_map) &&
         arch_grant_map_host(current, op->host_addr,
                             op->flags & GNTMAP_contains_pte, mfn, rd,
                             op->flags) != 0 )
    {
        st = GNTST_general_error;       /* bad VA or PTE address */
        frame_put(mfn, ro);
        gt_unpin(rgt, op->ref, ro);
        goto out;
    }
    spin_lock(&gt_audit_lock);
    m = &lgt->mt[h];
    m->rgt = rgt;
    m->ref = op->ref;
    m->flags = op->flags & (MAP_PARTS | GNTMAP_readonly | GNTMAP_contains_pte);
    m->host_addr = op->host_addr;
    m->mfn = mfn;
    lgt->mt_used++;
    spin_unlock(&gt_audit_lock);
    op->handle = h;
    if ( op->flags & GNTMAP_device_map )
        op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;  /* PV: no IOMMU */
 out:
    domain_put(rd);
    return st;
}

/* Free handle m once neither part is mapped: its references go. */
static void release_if_done(struct grant_table *lgt, struct maptrack *m)
{
    struct grant_table *rgt = m->rgt;
    bool ro = m->flags & GNTMAP_readonly;
    mfn_t mfn = m->mfn;

    if ( m->flags & MAP_PARTS )
        return;
    spin_lock(&gt_audit_lock);
    m->rgt = NULL;
    lgt->mt_used--;
    spin_unlock(&gt_audit_lock);
    frame_put(mfn, ro);
    gt_unpin(rgt, m->ref, ro);
}

static int16_t unmap_one(struct domain *self, grant_handle_t handle,
                         uint64_t host_addr, uint64_t dev_bus_addr,
                         uint64_t new_addr)
{
    struct grant_table *lgt = gt_find(self, false);
    struct maptrack *m;

    if ( lgt == NULL || handle >= lgt->mt_cap || lgt->mt[handle].rgt == NULL )
        return GNTST_bad_handle;
    m = &lgt->mt[handle];
    if ( dev_bus_addr != 0 && (m->flags & GNTMAP_device_map) &&
         dev_bus_addr != ((uint64_t)m->mfn << PAGE_SHIFT) )
        return GNTST_bad_dev_addr;
    if ( host_addr != 0 && (m->flags & GNTMAP_host_map) )
    {
        /* Only through this handle's own entry: an address another
         * mapping of the same frame uses is refused, not unmapped. */
        if ( host_addr != m->host_addr ||
             arch_grant_unmap_host(current, host_addr,
                                   m->flags & GNTMAP_contains_pte, m->mfn,
                                   new_addr) != 0 )
            return GNTST_general_error;
        m->flags &= ~GNTMAP_host_map;
    }
    if ( dev_bus_addr != 0 && (m->flags & GNTMAP_device_map) )
        m->flags &= ~GNTMAP_device_map;
    release_if_done(lgt, m);
    return GNTST_okay;
}

/*
 * The batch loop the three ops share: copy each element in, do it, copy
 * its status back; preemptible between elements with a continuation that
 * carries the rest of the array (as Xen).
 */
#define BATCH(self, uop, count, type, body)                                  \
    do {                                                                     \
        for ( unsigned long i_ = 0; i_ < (count); i_++ )                     \
        {                                                                    \
            type op;                                                         \
            uint64_t at_ = (uop) + i_ * sizeof(type);                        \
                                                                             \
            if ( i_ > 0 && hypercall_preempt_check() )                       \
                return hypercall_create_continuation(                        \
                    __HYPERVISOR_grant_table_op, cmd_, at_, (count) - i_,    \
                    0, 0);                                                   \
            if ( copy_from_guest(&op, at_, sizeof(op)) )                     \
                return -EFAULT;                                              \
            body;                                                            \
            if ( copy_to_guest(at_, &op, sizeof(op)) )                       \
                return -EFAULT;                                              \
        }                                                                    \
        return 0;                                                            \
    } while ( 0 )

/* The first failed maps and unmaps are logged (a backend's stall shows
 * why in the hypervisor log); after MAP_FAILS_LOGGED nothing more, so a
 * hostile guest cannot flood the log. */
#define MAP_FAILS_LOGGED 16
static unsigned int map_fails;

static int16_t logged(const struct domain *self, const char *what,
                      unsigned int dom, unsigned long ref_or_handle,
                      unsigned int flags, uint64_t addr, int16_t st)
{
    if ( st != GNTST_okay && map_fails < MAP_FAILS_LOGGED )
    {
        map_fails++;
        printk(XENLOG_GUEST "d%u: GNTTABOP_%s failed %d: d%u %#lx flags "
               "%#x addr %#lx%s\n", self->domain_id, what, st, dom,
               ref_or_handle, flags, (unsigned long)addr,
               map_fails == MAP_FAILS_LOGGED ? " (no more logged)" : "");
    }
    return st;
}

long gnttab_map(struct domain *self, uint64_t uop, unsigned long count)
{
    const unsigned long cmd_ = GNTTABOP_map_grant_ref;

    BATCH(self, uop, count, struct gnttab_map_grant_ref,
          op.status = logged(self, "map_grant_ref", op.dom, op.ref, op.flags,
                             op.host_addr, map_one(self, &op)));
}

long gnttab_unmap(struct domain *self, uint64_t uop, unsigned long count)
{
    const unsigned long cmd_ = GNTTABOP_unmap_grant_ref;

    BATCH(self, uop, count, struct gnttab_unmap_grant_ref,
          op.status = logged(self, "unmap_grant_ref", 0, op.handle, 0,
                             op.host_addr,
                             unmap_one(self, op.handle, op.host_addr,
                                       op.dev_bus_addr, 0)));
}

long gnttab_unmap_and_replace(struct domain *self, uint64_t uop,
                              unsigned long count)
{
    const unsigned long cmd_ = GNTTABOP_unmap_and_replace;

    /* A host mapping only; new_addr's entry moves into its place. */
    BATCH(self, uop, count, struct gnttab_unmap_and_replace,
          op.status = unmap_one(self, op.handle, op.host_addr, 0,
                                op.new_addr));
}

/* The mapping domain is going: release every handle without touching its
 * page tables (their entries drop their own references when the tables
 * are torn down). */
void gt_maptrack_release_all(struct grant_table *gt)
{
    for ( unsigned int h = 0; h < gt->mt_cap; h++ )
        if ( gt->mt[h].rgt != NULL )
        {
            gt->mt[h].flags &= ~MAP_PARTS;
            release_if_done(gt, &gt->mt[h]);
        }
}
