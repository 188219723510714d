/*
 * dom0_op commands about the machine and its bookkeeping: per-domain
 * accounting, the log ring, frame ownership, performance counters and
 * physinfo.
 *
 * readlog numbers LINES, not bytes (interface version 2): the log ring
 * (common/printk.c) stores whole lines with one sequence number each, so
 * start_seq, next_seq, head_seq and lost count lines and only nr_bytes
 * counts bytes.  docs/dom0_op.md has the details.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/console.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>
#include <xen/version.h>
#include <xen/arch-hooks.h>
#include "dom0_op-internal.h"

/* xen/param.h's limits against the ABI constants they must match. */
BUILD_BUG_ON(MAX_VCPUS != MAX_VIRT_CPUS);
BUILD_BUG_ON(MAX_CREATE_VCPUS > XEN_DOM0_MAX_VCPUS);

long dom0_getaccounting(struct xen_dom0_op *op)
{
    struct xen_dom0_getaccounting *g = &op->u.getaccounting;
    const struct domain_stats *st;
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(g->domid, &err)) == NULL )
        return err;
    if ( g->nr_hypercall_counts > XEN_DOM0_HYPERCALL_COUNTERS_MAX ||
         (g->nr_hypercall_counts > 0 && g->hypercall_counts == 0) )
        return -EINVAL;
    st = &d->stats;
    for ( uint32_t i = 0; i < g->nr_hypercall_counts; i++ )
    {
        uint64_t n = i < NR_HYPERCALLS ? st->hypercalls[i] : 0;

        if ( copy_to_guest_index(g->hypercall_counts, i, &n, sizeof(n)) )
            return -EFAULT;
    }
    g->nr_hypercalls_kept = NR_HYPERCALLS;
    g->cpu_time_ns = dom0_domain_cpu_time(d);
    g->hypercalls = st->hypercalls_total;
    g->events_sent = st->events_sent;
    g->events_delivered = st->events_delivered;
    g->exceptions_bounced = st->exceptions_bounced;
    g->page_faults = st->page_faults_bounced;
    g->ptwr_emulations = st->ptwr_emulations;
    g->mmu_updates = st->mmu_updates;
    return 0;
}

/* ---- readlog ------------------------------------------------------------ */

#define LOG_BOUNCE PAGE_SIZE    /* longer than any log line */

long dom0_readlog(struct xen_dom0_op *op)
{
    struct xen_dom0_readlog *r = &op->u.readlog;
    uint64_t seq = r->start_seq, lost = 0, lost_now;
    uint32_t copied = 0;
    char *kbuf;
    long rc = 0;

    if ( r->size == 0 || r->size > XEN_DOM0_READLOG_MAX )
        return -EINVAL;
    if ( r->start_seq > console_log_next_seq() )
        return -EINVAL;
    if ( (kbuf = xmalloc_bytes(LOG_BOUNCE)) == NULL )
        return -ENOMEM;

    while ( copied < r->size )
    {
        size_t room = min((size_t)(r->size - copied), (size_t)LOG_BOUNCE);
        size_t n = console_log_read(&seq, kbuf, room, &lost_now);

        lost += lost_now;
        if ( n == 0 )
        {
            uint64_t first;

            if ( copied > 0 || seq >= console_log_next_seq() )
                break;
            /* The next line alone is longer than the whole buffer:
             * deliver its head and move past it, so every reader makes
             * progress. */
            first = seq;
            n = console_log_read(&seq, kbuf, LOG_BOUNCE, &lost_now);
            if ( n == 0 )
                break;
            lost += lost_now;
            first += lost_now;          /* where that read really began */
            n = min(n, (size_t)r->size);
            for ( size_t i = 0; i < n; i++ )
                if ( kbuf[i] == '\n' )
                {
                    n = i + 1;
                    break;
                }
            seq = first + 1;
        }
        if ( copy_to_guest(r->buffer + copied, kbuf, n) )
        {
            rc = -EFAULT;
            break;
        }
        copied += n;
    }
    xfree(kbuf);
    if ( rc )
        return rc;
    r->nr_bytes = copied;
    r->next_seq = seq;
    r->lost = lost;
    r->head_seq = console_log_next_seq();
    return 0;
}

/* ---- getframeinfo ------------------------------------------------------- */

static void describe_frame(uint64_t mfn, struct xen_dom0_frameinfo *fi)
{
    const struct page_info *pg;
    const struct domain *owner;
    unsigned long ti;

    fi->owner = DOMID_INVALID;
    fi->type = XEN_DOM0_FRAME_NONE;
    fi->flags = 0;
    if ( mfn >= (1UL << 40) || !mfn_in_frame_table(mfn) )
        return;
    pg = mfn_to_page(mfn);
    if ( (READ_ONCE(pg->count_info) & PGC_state_mask) != PGC_state_inuse )
        return;                         /* free, or not RAM */
    owner = page_get_owner(pg);
    fi->owner = owner ? owner->domain_id : DOMID_XEN;
    ti = READ_ONCE(pg->type_info);
    if ( (ti & PGT_count_mask) != 0 )
    {
        switch ( ti & PGT_type_mask )
        {
        case PGT_l1_page_table: fi->type = XEN_DOM0_FRAME_L1; break;
        case PGT_l2_page_table: fi->type = XEN_DOM0_FRAME_L2; break;
        case PGT_l3_page_table: fi->type = XEN_DOM0_FRAME_L3; break;
        case PGT_l4_page_table: fi->type = XEN_DOM0_FRAME_L4; break;
        case PGT_seg_desc_page: fi->type = XEN_DOM0_FRAME_SEGDESC; break;
        case PGT_writable_page: fi->type = XEN_DOM0_FRAME_WRITABLE; break;
        }
    }
    if ( ti & PGT_pinned )
        fi->flags |= XEN_DOM0_FRAMEF_pinned;
}

long dom0_getframeinfo(struct xen_dom0_op *op)
{
    struct xen_dom0_getframeinfo *g = &op->u.getframeinfo;

    if ( g->nr_frames == 0 || g->nr_frames > XEN_DOM0_FRAMEINFO_MAX )
        return -EINVAL;
    for ( uint32_t i = 0; i < g->nr_frames; i++ )
    {
        struct xen_dom0_frameinfo fi;
        uint64_t mfn;

        if ( copy_from_guest_index(&mfn, g->mfns, i, sizeof(mfn)) )
            return -EFAULT;
        describe_frame(mfn, &fi);
        if ( copy_to_guest_index(g->info, i, &fi, sizeof(fi)) )
            return -EFAULT;
    }
    return 0;
}

/* ---- getperfcounters ---------------------------------------------------- */

long dom0_getperfcounters(struct xen_dom0_op *op)
{
    struct xen_dom0_getperfcounters *p = &op->u.getperfcounters;
    bool reset = p->flags & XEN_DOM0_PERFC_RESET;
    uint32_t n = 0;

    if ( p->query > XEN_DOM0_PERFC_QUERY_VALUES ||
         (reset && p->query != XEN_DOM0_PERFC_QUERY_VALUES) ||
         p->max_entries > XEN_DOM0_PERFC_MAX ||
         (p->buffer == 0 && p->max_entries > 0) )
        return -EINVAL;

    for ( uint64_t i = p->first; i < PERFC_NR && n < p->max_entries; i++ )
    {
        int bad;

        if ( p->query == XEN_DOM0_PERFC_QUERY_NAMES )
        {
            struct xen_dom0_perfc_name e;

            memset(&e, 0, sizeof(e));
            e.id = (uint32_t)i;
            strlcpy(e.name, perfc_name(i), sizeof(e.name));
            bad = copy_to_guest_index(p->buffer, n, &e, sizeof(e));
        }
        else
        {
            struct xen_dom0_perfc_value e = { .id = (uint32_t)i,
                                              .value = perfc_value(i) };

            bad = copy_to_guest_index(p->buffer, n, &e, sizeof(e));
        }
        if ( bad )
            return -EFAULT;
        n++;
    }
    if ( reset )
        perfc_reset_all();
    p->nr_entries = n;
    p->nr_total = PERFC_NR;
    return 0;
}

/* ---- physinfo ----------------------------------------------------------- */

long dom0_physinfo(struct xen_dom0_op *op)
{
    struct xen_dom0_physinfo *p = &op->u.physinfo;

    p->nr_cpus = num_online_cpus();
    p->cpu_khz = (uint32_t)cpu_khz;
    p->total_pages = heap_total_pages();
    p->free_pages = heap_free_pages();
    p->xen_major = XEN_VERSION_MAJOR;
    p->xen_minor = XEN_VERSION_MINOR;
    p->max_vcpus = MAX_CREATE_VCPUS;
    p->sched_id = XEN_SCHEDULER_CREDIT;
    p->max_domid = DOMID_FIRST_RESERVED - 1;
    return 0;
}

/* ---- copyframes --------------------------------------------------------- */

static bool frame_is_zero(const uint64_t *w)
{
    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i += 4 )
        if ( w[i] | w[i + 1] | w[i + 2] | w[i + 3] )
            return false;
    return true;
}

/*
 * Save and restore move a whole guest through here instead of mapping
 * each frame into dom0 (a PTE write and a TLB flush per frame each way
 * cost far more than the copy under emulation).  Each frame is held by a
 * general reference while copied; a write also holds a writable type
 * reference, which a frame in use as a page or descriptor table refuses.
 */
long dom0_copyframes(struct xen_dom0_op *op)
{
    struct xen_dom0_copyframes *c = &op->u.copyframes;
    bool write = c->flags & XEN_DOM0_COPYF_write;
    struct domain *d;
    uint32_t nzero = 0;
    int err;

    if ( c->nr_frames == 0 || c->nr_frames > XEN_DOM0_COPYFRAMES_MAX ||
         c->mfns == 0 || c->buffer == 0 )
        return -EINVAL;
    if ( (d = dom0_get_domain(c->domid, &err)) == NULL )
        return err;
    for ( uint32_t i = 0; i < c->nr_frames; i++ )
    {
        struct page_info *pg;
        uint64_t mfn;
        uint8_t zero = 0;
        void *va;
        int rc = 0;

        if ( copy_from_guest_index(&mfn, c->mfns, i, sizeof(mfn)) )
            return -EFAULT;
        if ( mfn >= (1UL << 40) || !mfn_in_frame_table(mfn) )
            return -EINVAL;
        pg = mfn_to_page(mfn);
        if ( write )
        {
            if ( c->zero_map &&
                 copy_from_guest_index(&zero, c->zero_map, i, 1) )
                return -EFAULT;
            if ( get_page_and_type(pg, d, PGT_writable_page) )
                return page_get_owner(pg) == d ? -EBUSY : -EINVAL;
            va = page_to_virt(pg);
            if ( zero )
                memset(va, 0, PAGE_SIZE);
            else
                rc = copy_from_guest_index(va, c->buffer, i, PAGE_SIZE);
            put_page_and_type(pg);
        }
        else
        {
            if ( (pg = get_page_from_mfn(mfn, d)) == NULL )
                return -EINVAL;
            va = page_to_virt(pg);
            if ( c->zero_map )
                zero = frame_is_zero(va);
            if ( !zero )
                rc = copy_to_guest_index(c->buffer, i, va, PAGE_SIZE);
            put_page(pg);
            if ( !rc && c->zero_map )
                rc = copy_to_guest_index(c->zero_map, i, &zero, 1);
            nzero += zero;
        }
        if ( rc )
            return -EFAULT;
    }
    c->nr_zero = nzero;
    return 0;
}
