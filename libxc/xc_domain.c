/*
 * xc_domain.c - typed wrappers for the per-domain dom0_op commands:
 * lifecycle, information, memory limit and scheduler parameters.
 */
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "xc_private.h"

/* Bounded so a domain that never finishes dying cannot hang the caller. */
#define DESTROY_RETRIES 1000

int xc_domain_create(xc_interface *h, const xc_domain_create_args_t *args,
                     uint32_t *domid)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_createdomain *c = &op.u.createdomain;

    if (!args || !domid)
        return xc_fail(h, EINVAL, "xc_domain_create: NULL argument");
    if (args->domid != XC_DOMID_ANY &&
        xc_check_domid(h, "xc_domain_create", args->domid) < 0)
        return -1;
    if (args->flags & ~XC_DOMCREATE_PRIVILEGED)
        return xc_fail(h, EINVAL, "xc_domain_create: unknown flags 0x%x",
                       args->flags & ~XC_DOMCREATE_PRIVILEGED);
    if (args->max_pages == 0)
        return xc_fail(h, EINVAL, "xc_domain_create: max_pages is 0");
    if (args->max_vcpus == 0 || args->max_vcpus > XEN_DOM0_MAX_VCPUS)
        return xc_fail(h, EINVAL, "xc_domain_create: max_vcpus %u is not in "
                       "1..%u", args->max_vcpus, XEN_DOM0_MAX_VCPUS);

    c->domid = (uint16_t)args->domid;
    c->flags = (args->flags & XC_DOMCREATE_PRIVILEGED) ?
               XEN_DOM0_CDF_privileged : 0;
    c->max_pages = args->max_pages;
    c->max_vcpus = args->max_vcpus;
    memcpy(c->handle, args->handle, sizeof(c->handle));
    if (xc_dom0_op(h, XEN_DOM0_createdomain, &op, "createdomain") < 0)
        return -1;
    *domid = c->domid;
    return 0;
}

/* destroy, pause and unpause carry nothing but the domain id. */
static int simple_domain_op(xc_interface *h, uint32_t cmd, const char *name,
                            uint32_t domid)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "%s(domain %u)", name, domid);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    op.u.domain.domid = (uint16_t)domid;
    return xc_dom0_op(h, cmd, &op, what);
}

int xc_domain_destroy(xc_interface *h, uint32_t domid)
{
    int tries;

    for (tries = 0; tries < DESTROY_RETRIES; tries++) {
        if (simple_domain_op(h, XEN_DOM0_destroydomain, "destroydomain",
                             domid) == 0)
            return 0;
        if (errno != EAGAIN)
            return -1;
    }
    return xc_fail(h, EAGAIN, "destroydomain(domain %u): still being torn "
                   "down after %d attempts", domid, DESTROY_RETRIES);
}

int xc_domain_pause(xc_interface *h, uint32_t domid)
{
    return simple_domain_op(h, XEN_DOM0_pausedomain, "pausedomain", domid);
}

int xc_domain_unpause(xc_interface *h, uint32_t domid)
{
    return simple_domain_op(h, XEN_DOM0_unpausedomain, "unpausedomain", domid);
}

int xc_domain_resume(xc_interface *h, uint32_t domid)
{
    int i, rc = -1;

    /* EAGAIN: a vCPU is still leaving its CPU after the suspend. */
    for (i = 0; i < 100; i++) {
        rc = simple_domain_op(h, XEN_DOM0_resumedomain, "resumedomain",
                              domid);
        if (rc == 0 || xc_last_errno(h) != EAGAIN)
            break;
        usleep(1000);
    }
    return rc;
}

static void dominfo_from_abi(xc_dominfo_t *out,
                             const struct xen_dom0_domaininfo *in)
{
    memset(out, 0, sizeof(*out));
    out->domid = in->domid;
    out->dying = !!(in->flags & XEN_DOMINF_dying);
    out->shutdown = !!(in->flags & XEN_DOMINF_shutdown);
    out->paused = !!(in->flags & XEN_DOMINF_paused);
    out->blocked = !!(in->flags & XEN_DOMINF_blocked);
    out->running = !!(in->flags & XEN_DOMINF_running);
    out->privileged = !!(in->flags & XEN_DOMINF_privileged);
    out->shutdown_reason = in->shutdown_reason;
    out->tot_pages = in->tot_pages;
    out->max_pages = in->max_pages;
    out->shared_info_frame = in->shared_info_frame;
    out->cpu_time_ns = in->cpu_time_ns;
    out->nr_online_vcpus = in->nr_online_vcpus;
    out->max_vcpu_id = in->max_vcpu_id;
    memcpy(out->handle, in->handle, sizeof(out->handle));
}

int xc_domain_getinfo(xc_interface *h, uint32_t domid, xc_dominfo_t *info)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "getdomaininfo(domain %u)", domid);
    if (!info)
        return xc_fail(h, EINVAL, "%s: NULL info", what);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    op.u.getdomaininfo.domid = (uint16_t)domid;
    if (xc_dom0_op(h, XEN_DOM0_getdomaininfo, &op, what) < 0)
        return -1;
    dominfo_from_abi(info, &op.u.getdomaininfo.info);
    return 0;
}

int xc_domain_getinfolist(xc_interface *h, uint32_t first_domid,
                          unsigned int max, xc_dominfo_t *info)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_getdomaininfolist *l = &op.u.getdomaininfolist;
    const struct xen_dom0_domaininfo *recs;
    struct xc_hbuf buf;
    unsigned int i, n;

    if (!info)
        return xc_fail(h, EINVAL, "getdomaininfolist: NULL info array");
    if (max == 0 || max > XEN_DOM0_INFOLIST_MAX)
        return xc_fail(h, EINVAL, "getdomaininfolist: max %u is not in "
                       "1..%u", max, XEN_DOM0_INFOLIST_MAX);
    if (first_domid >= DOMID_FIRST_RESERVED)
        return 0;                       /* nothing can live up there */
    if (xc_hbuf_alloc(h, &buf, (size_t)max * sizeof(*recs)) < 0)
        return -1;
    l->first_domid = (uint16_t)first_domid;
    l->max_entries = max;
    l->buffer = xc_hbuf_va(&buf);
    if (xc_dom0_op(h, XEN_DOM0_getdomaininfolist, &op,
                   "getdomaininfolist") < 0) {
        xc_hbuf_free(h, &buf);
        return -1;
    }
    n = l->nr_entries;
    if (n > max) {
        xc_hbuf_free(h, &buf);
        return xc_fail(h, EIO, "getdomaininfolist: hypervisor claims %u "
                       "entries for a %u-entry buffer", n, max);
    }
    recs = buf.p;
    for (i = 0; i < n; i++)
        dominfo_from_abi(&info[i], &recs[i]);
    xc_hbuf_free(h, &buf);
    return (int)n;
}

int xc_domain_setmaxmem(xc_interface *h, uint32_t domid, uint64_t max_pages)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "setmaxmem(domain %u)", domid);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    if (max_pages == 0)
        return xc_fail(h, EINVAL, "%s: max_pages is 0", what);
    op.u.setmaxmem.domid = (uint16_t)domid;
    op.u.setmaxmem.max_pages = max_pages;
    return xc_dom0_op(h, XEN_DOM0_setmaxmem, &op, what);
}

static int sched_check(xc_interface *h, const char *what, uint32_t domid,
                       const void *p)
{
    if (!p)
        return xc_fail(h, EINVAL, "%s: NULL parameters", what);
    return xc_check_domid(h, what, domid);
}

int xc_sched_get(xc_interface *h, uint32_t domid, xc_sched_params_t *p)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "getschedparams(domain %u)", domid);
    if (sched_check(h, what, domid, p) < 0)
        return -1;
    op.u.schedparams.domid = (uint16_t)domid;
    if (xc_dom0_op(h, XEN_DOM0_getschedparams, &op, what) < 0)
        return -1;
    p->sched_id = op.u.schedparams.sched_id;
    p->weight = op.u.schedparams.weight;
    p->cap = op.u.schedparams.cap;
    return 0;
}

int xc_sched_set(xc_interface *h, uint32_t domid, const xc_sched_params_t *p)
{
    struct xen_dom0_op op = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "setschedparams(domain %u)", domid);
    if (sched_check(h, what, domid, p) < 0)
        return -1;
    if (p->weight == 0 || p->weight > XEN_DOM0_SCHED_WEIGHT_MAX)
        return xc_fail(h, EINVAL, "%s: weight %u is not in 1..%u", what,
                       p->weight, XEN_DOM0_SCHED_WEIGHT_MAX);
    op.u.schedparams.domid = (uint16_t)domid;
    op.u.schedparams.weight = p->weight;
    op.u.schedparams.cap = p->cap;
    return xc_dom0_op(h, XEN_DOM0_setschedparams, &op, what);
}

int xc_domain_get_accounting(xc_interface *h, uint32_t domid,
                             xc_accounting_t *acct,
                             uint64_t *counts, unsigned int nr_counts)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_getaccounting *a = &op.u.getaccounting;
    struct xc_hbuf buf = { 0 };
    char what[64];

    snprintf(what, sizeof(what), "getaccounting(domain %u)", domid);
    if (!acct)
        return xc_fail(h, EINVAL, "%s: NULL accounting record", what);
    if (!counts != !nr_counts)
        return xc_fail(h, EINVAL, "%s: counter array and its length must "
                       "be given together", what);
    if (nr_counts > XEN_DOM0_HYPERCALL_COUNTERS_MAX)
        return xc_fail(h, EINVAL, "%s: %u counters requested, at most %u",
                       what, nr_counts, XEN_DOM0_HYPERCALL_COUNTERS_MAX);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    if (nr_counts &&
        xc_hbuf_alloc(h, &buf, (size_t)nr_counts * sizeof(uint64_t)) < 0)
        return -1;
    a->domid = (uint16_t)domid;
    a->nr_hypercall_counts = nr_counts;
    a->hypercall_counts = nr_counts ? xc_hbuf_va(&buf) : 0;
    if (xc_dom0_op(h, XEN_DOM0_getaccounting, &op, what) < 0) {
        xc_hbuf_free(h, &buf);
        return -1;
    }
    if (nr_counts)
        memcpy(counts, buf.p, (size_t)nr_counts * sizeof(uint64_t));
    xc_hbuf_free(h, &buf);

    acct->cpu_time_ns = a->cpu_time_ns;
    acct->hypercalls = a->hypercalls;
    acct->events_sent = a->events_sent;
    acct->events_delivered = a->events_delivered;
    acct->exceptions_bounced = a->exceptions_bounced;
    acct->page_faults = a->page_faults;
    acct->ptwr_emulations = a->ptwr_emulations;
    acct->mmu_updates = a->mmu_updates;
    acct->nr_hypercalls_kept = a->nr_hypercalls_kept;
    return 0;
}
