/*
 * GNTTABOP_copy: the hypervisor copies bytes between two frames, each
 * named either by a grant reference of some domain (GNTCOPY_*_gref) or,
 * for the caller's own frames only, by frame number (an MFN: PV).
 *
 * Checks, in Xen's order and with its status codes:
 *   - offset + len beyond the page on either side: GNTST_bad_copy_arg
 *     (nothing can reach the next frame);
 *   - a frame-number side naming another domain: GNTST_permission_denied;
 *   - a domain that does not exist: GNTST_bad_domain;
 *   - a grant: the pin rules of grant_entry.c (GNTST_bad_gntref beyond the
 *     table, GNTST_general_error for the wrong domid, a read-only grant as
 *     destination, transitive grants, a v2 sub-page window not covering
 *     the bytes);
 *   - a frame number not the caller's (XSA-232 class): GNTST_bad_page;
 *   - a destination that cannot be writable (a page table): general error.
 * The grant stays pinned (GTF_reading/GTF_writing set) only while the
 * copy runs.  Both sides may be the same frame: the bytes move as memmove
 * moves them.
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

struct copy_side {
    struct domain *d;           /* referenced */
    struct grant_table *gt;     /* pinned grant, or NULL */
    grant_ref_t ref;
    struct page_info *pg;       /* referenced (and typed, for dest) */
    bool dest;
};

static int16_t side_get(struct domain *self, const struct gnttab_copy_ptr *p,
                        bool gref, bool dest, uint16_t len,
                        struct copy_side *s)
{
    unsigned int off, wlen;
    mfn_t mfn;
    int16_t st;

    s->dest = dest;
    if ( !gref )
    {
        if ( p->domid != DOMID_SELF && p->domid != self->domain_id )
            return GNTST_permission_denied;
        domain_get(self);
        s->d = self;
        mfn = p->u.gmfn;
    }
    else
    {
        if ( (s->d = gt_granter(self, p->domid)) == NULL )
            return GNTST_bad_domain;
        s->gt = gt_find(s->d, false);
        st = gt_pin(s->gt, p->u.ref, self->domain_id, !dest, true, &mfn,
                    &off, &wlen);
        if ( st != GNTST_okay )
        {
            s->gt = NULL;
            return st;
        }
        s->ref = p->u.ref;
        if ( p->offset < off || p->offset + len > off + wlen )
            return GNTST_general_error;     /* outside the sub-page */
    }
    if ( (s->pg = get_page_from_mfn(mfn, s->d)) == NULL )
        return gref ? GNTST_general_error : GNTST_bad_page;
    if ( dest )
    {
        put_page(s->pg);
        if ( get_page_and_type(s->pg, s->d, PGT_writable_page) )
        {
            s->pg = NULL;
            return GNTST_general_error;
        }
    }
    return GNTST_okay;
}

static void side_put(struct copy_side *s)
{
    if ( s->pg != NULL )
    {
        if ( s->dest )
            put_page_and_type(s->pg);
        else
            put_page(s->pg);
    }
    if ( s->gt != NULL )
        gt_unpin(s->gt, s->ref, !s->dest);
    if ( s->d != NULL )
        domain_put(s->d);
}

static int16_t copy_one(struct domain *self, const struct gnttab_copy *op)
{
    struct copy_side src = { 0 }, dst = { 0 };
    int16_t st;

    if ( op->source.offset + op->len > PAGE_SIZE ||
         op->dest.offset + op->len > PAGE_SIZE )
        return GNTST_bad_copy_arg;
    st = side_get(self, &op->source, op->flags & GNTCOPY_source_gref, false,
                  op->len, &src);
    if ( st == GNTST_okay )
        st = side_get(self, &op->dest, op->flags & GNTCOPY_dest_gref, true,
                      op->len, &dst);
    if ( st == GNTST_okay )
        memmove((char *)page_to_virt(dst.pg) + op->dest.offset,
                (const char *)page_to_virt(src.pg) + op->source.offset,
                op->len);
    side_put(&dst);
    side_put(&src);
    return st;
}

/* The first failures are logged, so a backend whose copies fail (a
 * stalled vif, a disk error) shows why in the hypervisor log; a guest
 * cannot flood it: after COPY_FAILS_LOGGED nothing more is said. */
#define COPY_FAILS_LOGGED 16
static unsigned int copy_fails;

static void report_fail(const struct domain *self,
                        const struct gnttab_copy *op, int16_t st)
{
    if ( copy_fails >= COPY_FAILS_LOGGED )
        return;
    copy_fails++;
    printk(XENLOG_GUEST "d%u: GNTTABOP_copy failed %d: flags %#x src %s "
           "d%u %#lx+%u dst %s d%u %#lx+%u len %u%s\n", self->domain_id, st,
           op->flags, (op->flags & GNTCOPY_source_gref) ? "ref" : "frame",
           op->source.domid, (unsigned long)op->source.u.gmfn,
           op->source.offset, (op->flags & GNTCOPY_dest_gref) ? "ref" :
           "frame", op->dest.domid, (unsigned long)op->dest.u.gmfn,
           op->dest.offset, op->len,
           copy_fails == COPY_FAILS_LOGGED ? " (no more logged)" : "");
}

long gnttab_copy(struct domain *self, uint64_t uop, unsigned long count)
{
    for ( unsigned long i = 0; i < count; i++ )
    {
        struct gnttab_copy op;
        uint64_t at = uop + i * sizeof(op);

        if ( i > 0 && hypercall_preempt_check() )
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op,
                                                 GNTTABOP_copy, at,
                                                 count - i, 0, 0);
        if ( copy_from_guest(&op, at, sizeof(op)) )
            return -EFAULT;
        op.status = copy_one(self, &op);
        if ( op.status != GNTST_okay )
            report_fail(self, &op, op.status);
        if ( copy_to_guest(at, &op, sizeof(op)) )
            return -EFAULT;
    }
    return 0;
}
