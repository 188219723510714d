/*
 * grant_table_op, the sizing half: every domain may have a version-1 grant
 * table of up to gnttab_max_frames frames.  The frames are hypervisor pages
 * shared writable with the domain (it maps them by MFN and writes grant
 * entries there); a frame index keeps its MFN for the table's lifetime,
 * because Linux re-maps all frames each time the table grows.
 *
 * Mapping, unmapping and copying grants (map_grant_ref, copy, ...) are not
 * implemented yet and answer -ENOSYS, which Linux tolerates at boot.
 *
 * The per-domain state hangs off a small list here rather than struct
 * domain, so this file stands alone.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/domain-page.h>
#include <xen/grant_table.h>
#include <public/grant_table.h>

unsigned int gnttab_max_frames = 32;
integer_param("gnttab_max_frames", gnttab_max_frames);

struct grant_table {
    struct domain *d;
    unsigned int nr_frames;
    void *frames[GNTTAB_HARD_MAX_FRAMES];
    struct grant_table *next;
};

static DEFINE_SPINLOCK(gt_lock);            /* the list and every table */
static struct grant_table *gt_list;

static unsigned int max_frames(void)
{
    return min(gnttab_max_frames, (unsigned int)GNTTAB_HARD_MAX_FRAMES);
}

/* Lock held. */
static struct grant_table *find_table(struct domain *d, bool create)
{
    struct grant_table *gt;

    for ( gt = gt_list; gt; gt = gt->next )
        if ( gt->d == d )
            return gt;
    if ( !create || (gt = xzalloc(struct grant_table)) == NULL )
        return NULL;
    gt->d = d;
    gt->next = gt_list;
    gt_list = gt;
    return gt;
}

/* The domain an op names, referenced; GNTST_* status when it may not. */
static struct domain *op_domain(struct domain *self, domid_t id, int16_t *st)
{
    int err = 0;
    struct domain *d = domain_lookup_for(self, id, &err);

    if ( d == NULL )
        *st = err == -EPERM ? GNTST_permission_denied : GNTST_bad_domain;
    return d;
}

/* Lock held.  Grow d's table to n frames. */
static int16_t grow_table(struct grant_table *gt, unsigned int n)
{
    while ( gt->nr_frames < n )
    {
        void *f = alloc_xenheap_page();

        if ( f == NULL )
            return GNTST_general_error;
        memset(f, 0, PAGE_SIZE);
        share_xen_page_with_guest(virt_to_page(f), gt->d);
        gt->frames[gt->nr_frames++] = f;
    }
    return GNTST_okay;
}

static long setup_table(struct domain *self, uint64_t uop)
{
    struct gnttab_setup_table op;
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    d = op_domain(self, op.dom, &st);
    if ( d != NULL && op.nr_frames > max_frames() )
        st = GNTST_general_error;
    if ( d != NULL && st == GNTST_okay )
    {
        spin_lock(&gt_lock);
        /* A dying domain's table is gone (or going) for good: a new one
         * would outlive the domain. */
        gt = READ_ONCE(d->state) == DOMAIN_DYING ? NULL : find_table(d, true);
        st = gt ? grow_table(gt, op.nr_frames) : GNTST_general_error;
        for ( unsigned int i = 0; st == GNTST_okay && i < op.nr_frames; i++ )
        {
            xen_pfn_t mfn = virt_to_maddr(gt->frames[i]) >> PAGE_SHIFT;

            if ( copy_to_guest_index(op.frame_list.va, i, &mfn, sizeof(mfn)) )
                st = GNTST_bad_virt_addr;
        }
        spin_unlock(&gt_lock);
    }
    if ( d != NULL )
        domain_put(d);
    op.status = st;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long query_size(struct domain *self, uint64_t uop)
{
    struct gnttab_query_size op;
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    d = op_domain(self, op.dom, &st);
    if ( d != NULL )
    {
        spin_lock(&gt_lock);
        gt = find_table(d, false);
        op.nr_frames = gt ? gt->nr_frames : 0;
        spin_unlock(&gt_lock);
        op.max_nr_frames = max_frames();
        domain_put(d);
    }
    op.status = st;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(uint64_t uop)
{
    struct gnttab_set_version op;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    /* Only version 1; a guest asking for 2 falls back to 1 on this. */
    if ( op.version != 1 )
        return -EOPNOTSUPP;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_version(struct domain *self, uint64_t uop)
{
    struct gnttab_get_version op;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = op_domain(self, op.dom, &st)) == NULL )
        return st == GNTST_permission_denied ? -EPERM : -ESRCH;
    domain_put(d);
    op.version = 1;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

long pv_grant_table_op(struct domain *self, unsigned long cmd, uint64_t uop,
                       unsigned long count)
{
    switch ( cmd )
    {
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
    case GNTTABOP_set_version:
    case GNTTABOP_get_version:
        if ( count != 1 )
            return -EINVAL;
        break;
    default:
        return -ENOSYS;
    }
    switch ( cmd )
    {
    case GNTTABOP_setup_table:
        return setup_table(self, uop);
    case GNTTABOP_query_size:
        return query_size(self, uop);
    case GNTTABOP_set_version:
        return set_version(uop);
    default:
        return get_version(self, uop);
    }
}

HYPERCALL(grant_table_op)
{
    (void)a4; (void)a5;
    return pv_grant_table_op(current->domain, a1, a2, a3);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table **pp, *gt = NULL;

    spin_lock(&gt_lock);
    for ( pp = &gt_list; *pp; pp = &(*pp)->next )
        if ( (*pp)->d == d )
        {
            gt = *pp;
            *pp = gt->next;
            break;
        }
    spin_unlock(&gt_lock);
    if ( gt == NULL )
        return;
    /* A frame still mapped somewhere is freed by its last unmapping. */
    for ( unsigned int i = 0; i < gt->nr_frames; i++ )
        unshare_xen_page(virt_to_page(gt->frames[i]));
    xfree(gt);
}
