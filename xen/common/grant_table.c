/*
 * grant_table_op: the table itself.  Every domain may have a grant table
 * of up to gnttab_max_frames frames, in version 1 (8-byte entries) or 2
 * (16-byte entries plus status frames holding GTF_reading/GTF_writing).
 * The frames are hypervisor pages shared writable with the domain; a
 * frame index keeps its MFN for the table's lifetime, because Linux
 * re-maps all frames each time the table grows.
 *
 * Here: setup_table, query_size, set_version, get_version,
 * get_status_frames, dump_table, the dispatcher, teardown and what the
 * frame audit asks.  Mapping is grant_map.c, copying grant_copy.c, entry
 * pinning grant_entry.c; docs/grant-tables.md has the rules.
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
#include "grant-priv.h"

unsigned int gnttab_max_frames = 32;
integer_param("gnttab_max_frames", gnttab_max_frames);

DEFINE_SPINLOCK(gt_lock);
DEFINE_SPINLOCK(gt_audit_lock);
struct grant_table *gt_list;

static unsigned int max_frames(void)
{
    return min(gnttab_max_frames, (unsigned int)GNTTAB_HARD_MAX_FRAMES);
}

struct grant_table *gt_find(struct domain *d, bool create)
{
    struct grant_table *gt;

    for ( gt = gt_list; gt; gt = gt->next )
        if ( gt->d == d )
            return gt;
    /* A dying domain's table is gone (or going) for good: a new one
     * would outlive the domain. */
    if ( !create || READ_ONCE(d->state) == DOMAIN_DYING ||
         (gt = xzalloc(struct grant_table)) == NULL )
        return NULL;
    gt->d = d;
    gt->domid = d->domain_id;
    gt->version = 1;
    spin_lock(&gt_audit_lock);
    gt->next = gt_list;
    gt_list = gt;
    spin_unlock(&gt_audit_lock);
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

struct domain *gt_granter(struct domain *self, domid_t id)
{
    if ( id == DOMID_SELF || id == self->domain_id )
    {
        domain_get(self);
        return self;
    }
    return domain_lookup(id);
}

static void *shared_page(struct domain *d)
{
    void *f = alloc_xenheap_page();

    if ( f != NULL )
    {
        memset(f, 0, PAGE_SIZE);
        share_xen_page_with_guest(virt_to_page(f), d);
    }
    return f;
}

/* Give v2 the status frames its table size needs. */
static int16_t grow_status(struct grant_table *gt)
{
    while ( gt->version == 2 && gt->nr_status < GT_STATUS_FRAMES(gt->nr_frames) )
    {
        void *f = shared_page(gt->d);

        if ( f == NULL )
            return GNTST_general_error;
        gt->status[gt->nr_status++] = f;
    }
    return GNTST_okay;
}

static int16_t grow_table(struct grant_table *gt, unsigned int n)
{
    while ( gt->nr_frames < n )
    {
        void *f = shared_page(gt->d);

        if ( f == NULL )
            return GNTST_general_error;
        gt->frames[gt->nr_frames++] = f;
    }
    return grow_status(gt);
}

static int16_t do_setup_table(struct domain *self,
                              struct gnttab_setup_table *op)
{
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    d = op_domain(self, op->dom, &st);
    if ( d == NULL )
        return st;
    if ( op->nr_frames > max_frames() )
        st = GNTST_general_error;       /* growth limit, as Xen */
    else if ( (gt = gt_find(d, true)) == NULL )
        st = GNTST_general_error;
    else
        st = grow_table(gt, op->nr_frames);
    for ( unsigned int i = 0; st == GNTST_okay && i < op->nr_frames; i++ )
    {
        xen_pfn_t mfn = virt_to_maddr(gt->frames[i]) >> PAGE_SHIFT;

        if ( copy_to_guest_index(op->frame_list.va, i, &mfn, sizeof(mfn)) )
            st = GNTST_bad_virt_addr;
    }
    domain_put(d);
    return st;
}

static long setup_table(struct domain *self, uint64_t uop)
{
    struct gnttab_setup_table op;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    op.status = do_setup_table(self, &op);
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
        gt = gt_find(d, false);
        op.nr_frames = gt ? gt->nr_frames : 0;
        op.max_nr_frames = max_frames();
        domain_put(d);
    }
    op.status = st;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* Drop the status frames (switch back to v1): refused while the guest (or
 * anyone) still maps one (XSA-255: a mapping would outlive the frame's
 * use and keep writable hypervisor memory). */
static int release_status(struct grant_table *gt)
{
    for ( unsigned int i = 0; i < gt->nr_status; i++ )
        if ( page_refcount(virt_to_page(gt->status[i])) > 1 )
            return -EBUSY;
    while ( gt->nr_status > 0 )
        unshare_xen_page(virt_to_page(gt->status[--gt->nr_status]));
    return 0;
}

/*
 * Convert the reserved entries (0..7, the toolstack's console and
 * xenstore grants) between layouts, as Xen does; the rest of the table is
 * the guest's to rewrite.  -EINVAL when a v2 frame does not fit v1.
 */
static int convert_reserved(struct grant_table *gt, unsigned int to)
{
    struct grant_entry_v1 *v1 = gt->frames[0];
    union grant_entry_v2 *v2 = gt->frames[0];
    grant_status_t *s = gt->status[0];
    struct { uint16_t flags; domid_t domid; uint64_t frame; }
        e[GNTTAB_NR_RESERVED_ENTRIES];

    if ( gt->nr_frames == 0 )
        return 0;
    for ( unsigned int i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        if ( to == 2 )
        {
            e[i].flags = v1[i].flags;
            e[i].domid = v1[i].domid;
            e[i].frame = v1[i].frame;
        }
        else
        {
            e[i].flags = v2[i].hdr.flags | (s[i] & (GTF_reading | GTF_writing));
            e[i].domid = v2[i].hdr.domid;
            e[i].frame = v2[i].full_page.frame;
            if ( e[i].frame != (uint32_t)e[i].frame )
                return -EINVAL;
        }
    }
    memset(v1, 0, GNTTAB_NR_RESERVED_ENTRIES * sizeof(*v2));
    for ( unsigned int i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++ )
    {
        if ( to == 2 )
        {
            v2[i].hdr.flags = e[i].flags & ~(GTF_reading | GTF_writing);
            v2[i].hdr.domid = e[i].domid;
            v2[i].full_page.frame = e[i].frame;
            s[i] = e[i].flags & (GTF_reading | GTF_writing);
        }
        else
        {
            v1[i].flags = e[i].flags;
            v1[i].domid = e[i].domid;
            v1[i].frame = e[i].frame;
        }
    }
    return 0;
}

/* The version switch rules: only to 1 or 2; refused (-EBUSY) while any
 * grant of the table is pinned (mapped or being copied); v2 status frames
 * are made on the way up and released on the way down. */
static long switch_version(struct grant_table *gt, unsigned int to)
{
    int rc;

    if ( gt->version == to )
        return 0;
    if ( gt->pins != 0 )
        return -EBUSY;
    if ( to == 2 )
    {
        gt->version = 2;
        if ( grow_status(gt) != GNTST_okay || convert_reserved(gt, 2) )
        {
            /* No memory: stay at v1 (the new frames are unused). */
            gt->version = 1;
            (void)release_status(gt);
            return -ENOMEM;
        }
        return 0;
    }
    for ( unsigned int i = 0; i < gt->nr_status; i++ )
        if ( page_refcount(virt_to_page(gt->status[i])) > 1 )
            return -EBUSY;
    rc = convert_reserved(gt, 1);
    if ( rc )
        return rc;
    gt->version = 1;
    return release_status(gt);
}

static long set_version(struct domain *self, uint64_t uop)
{
    struct gnttab_set_version op;
    struct grant_table *gt;
    long rc = 0;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( op.version != 1 && op.version != 2 )
        return -EINVAL;
    gt = gt_find(self, true);
    if ( gt == NULL )
        return -ENOMEM;
    rc = switch_version(gt, op.version);
    op.version = gt->version;
    if ( copy_to_guest(uop, &op, sizeof(op)) )
        return -EFAULT;
    return rc;
}

static long get_version(struct domain *self, uint64_t uop)
{
    struct gnttab_get_version op;
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = op_domain(self, op.dom, &st)) == NULL )
        return st == GNTST_permission_denied ? -EPERM : -ESRCH;
    gt = gt_find(d, false);
    op.version = gt ? gt->version : 1;
    domain_put(d);
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long get_status_frames(struct domain *self, uint64_t uop)
{
    struct gnttab_get_status_frames op;
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = op_domain(self, op.dom, &st)) != NULL )
    {
        gt = gt_find(d, false);
        /* More than the table has (none at all in v1): refused. */
        if ( gt == NULL || op.nr_frames > gt->nr_status )
            st = GNTST_general_error;
        for ( unsigned int i = 0; st == GNTST_okay && i < op.nr_frames; i++ )
        {
            uint64_t mfn = virt_to_maddr(gt->status[i]) >> PAGE_SHIFT;

            if ( copy_to_guest_index(op.frame_list.va, i, &mfn, sizeof(mfn)) )
                st = GNTST_bad_virt_addr;
        }
        domain_put(d);
    }
    op.status = st;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

/* dump_table: the table's size and every pinned grant, on the console. */
static long dump_table(struct domain *self, uint64_t uop)
{
    struct gnttab_dump_table op;
    struct grant_table *gt;
    struct domain *d;
    int16_t st = GNTST_okay;

    if ( copy_from_guest(&op, uop, sizeof(op)) )
        return -EFAULT;
    if ( (d = op_domain(self, op.dom, &st)) != NULL )
    {
        gt = gt_find(d, false);
        printk("grant table d%u: v%u, %u frames, %u status frames, "
               "%lu pins, %u maptrack\n", d->domain_id, gt ? gt->version : 1,
               gt ? gt->nr_frames : 0, gt ? gt->nr_status : 0,
               gt ? gt->pins : 0, gt ? gt->mt_used : 0);
        for ( unsigned int r = 0; gt && r < gt_nr_entries(gt); r++ )
        {
            struct active_grant *a = gt->active[r / GT_ACTIVE_CHUNK];

            if ( a && a[r % GT_ACTIVE_CHUNK].pins )
                printk("  ref %u: mfn %#lx, %u pins (%u writable)\n", r,
                       a[r % GT_ACTIVE_CHUNK].frame,
                       a[r % GT_ACTIVE_CHUNK].pins,
                       a[r % GT_ACTIVE_CHUNK].wpins);
        }
        domain_put(d);
    }
    op.status = st;
    return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long one_op(struct domain *self, unsigned long cmd, uint64_t uop,
                   unsigned long count)
{
    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
        return gnttab_map(self, uop, count);
    case GNTTABOP_unmap_grant_ref:
        return gnttab_unmap(self, uop, count);
    case GNTTABOP_unmap_and_replace:
        return gnttab_unmap_and_replace(self, uop, count);
    case GNTTABOP_copy:
        return gnttab_copy(self, uop, count);
    }
    if ( count != 1 )
        return -EINVAL;
    switch ( cmd )
    {
    case GNTTABOP_setup_table:
        return setup_table(self, uop);
    case GNTTABOP_query_size:
        return query_size(self, uop);
    case GNTTABOP_set_version:
        return set_version(self, uop);
    case GNTTABOP_get_status_frames:
        return get_status_frames(self, uop);
    case GNTTABOP_dump_table:
        return dump_table(self, uop);
    default:
        return get_version(self, uop);
    }
}

long pv_grant_table_op(struct domain *self, unsigned long cmd, uint64_t uop,
                       unsigned long count)
{
    long rc;

    switch ( cmd )
    {
    case GNTTABOP_map_grant_ref:
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_unmap_and_replace:
    case GNTTABOP_copy:
    case GNTTABOP_setup_table:
    case GNTTABOP_query_size:
    case GNTTABOP_set_version:
    case GNTTABOP_get_status_frames:
    case GNTTABOP_get_version:
    case GNTTABOP_dump_table:
        break;
    default:
        /* transfer, swap_grant_ref, cache_flush: not supported. */
        return -ENOSYS;
    }
    if ( count > INT32_MAX )
        return -EINVAL;
    spin_lock(&gt_lock);
    rc = one_op(self, cmd, uop, count);
    spin_unlock(&gt_lock);
    return rc;
}

HYPERCALL(grant_table_op)
{
    (void)a4; (void)a5;
    return pv_grant_table_op(current->domain, a1, a2, a3);
}

void gt_maybe_free(struct grant_table *gt)
{
    if ( !gt->dying || gt->pins != 0 || gt->mt_used != 0 )
        return;
    for ( unsigned int i = 0; i < ARRAY_SIZE(gt->active); i++ )
        xfree(gt->active[i]);
    xfree(gt->mt);
    xfree(gt);
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table **pp, *gt = NULL;

    spin_lock(&gt_lock);
    spin_lock(&gt_audit_lock);
    for ( pp = &gt_list; *pp; pp = &(*pp)->next )
        if ( (*pp)->d == d )
        {
            gt = *pp;
            *pp = gt->next;
            break;
        }
    spin_unlock(&gt_audit_lock);
    if ( gt != NULL )
    {
        /* The mappings d made go first (their references with them). */
        gt_maptrack_release_all(gt);
        gt->dying = true;
        gt->d = NULL;
        /* A frame still mapped somewhere is freed by its last unmapping;
         * grants others map stay pinned (their frames referenced by the
         * mappers) until unmapped, and the table state with them. */
        for ( unsigned int i = 0; i < gt->nr_frames; i++ )
            unshare_xen_page(virt_to_page(gt->frames[i]));
        for ( unsigned int i = 0; i < gt->nr_status; i++ )
            unshare_xen_page(virt_to_page(gt->status[i]));
        gt->nr_frames = gt->nr_status = 0;
        gt_maybe_free(gt);
    }
    spin_unlock(&gt_lock);
}

unsigned long grant_audit_refs(const struct domain *d, mfn_t mfn,
                               unsigned long *type_refs)
{
    unsigned long refs = 0, typ = 0;

    (void)d;    /* the frame's owner: a mapping holds refs on the frame */
    spin_lock(&gt_audit_lock);
    for ( struct grant_table *gt = gt_list; gt; gt = gt->next )
        for ( unsigned int h = 0; h < gt->mt_cap; h++ )
            if ( gt->mt[h].rgt != NULL && gt->mt[h].mfn == mfn )
            {
                refs++;
                if ( !(gt->mt[h].flags & GNTMAP_readonly) )
                    typ++;
            }
    spin_unlock(&gt_audit_lock);
    *type_refs = typ;
    return refs;
}
