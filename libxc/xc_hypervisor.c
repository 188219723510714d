/*
 * xc_hypervisor.c - typed wrappers for the machine-wide dom0_op commands:
 * the log ring, frame ownership, performance counters and physinfo.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

int xc_readlog(xc_interface *h, uint64_t start_seq, char *buf, uint32_t size,
               xc_readlog_result_t *res)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_readlog *r = &op.u.readlog;
    struct xc_hbuf hb;

    if (!buf || !res)
        return xc_fail(h, EINVAL, "readlog: NULL buffer or result");
    if (size == 0 || size > XEN_DOM0_READLOG_MAX)
        return xc_fail(h, EINVAL, "readlog: size %u is not in 1..%u",
                       size, XEN_DOM0_READLOG_MAX);
    if (xc_hbuf_alloc(h, &hb, size) < 0)
        return -1;
    r->start_seq = start_seq;
    r->buffer = xc_hbuf_va(&hb);
    r->size = size;
    if (xc_dom0_op(h, XEN_DOM0_readlog, &op, "readlog") < 0) {
        xc_hbuf_free(h, &hb);
        return -1;
    }
    if (r->nr_bytes > size) {
        xc_hbuf_free(h, &hb);
        return xc_fail(h, EIO, "readlog: hypervisor returned %u bytes for "
                       "a %u-byte buffer", r->nr_bytes, size);
    }
    memcpy(buf, hb.p, r->nr_bytes);
    xc_hbuf_free(h, &hb);
    res->nr_bytes = r->nr_bytes;
    res->next_seq = r->next_seq;
    res->lost = r->lost;
    res->head_seq = r->head_seq;
    return 0;
}

/* One hypercall's worth of getframeinfo, through the caller's buffers
 * (in: nr frame numbers, out: nr results). */
static int frameinfo_batch(xc_interface *h, struct xc_hbuf *in,
                           struct xc_hbuf *out, const uint64_t *mfns,
                           unsigned int nr, xc_frameinfo_t *info)
{
    struct xen_dom0_op op = { 0 };
    const struct xen_dom0_frameinfo *fi;
    unsigned int i;
    int rc;

    memcpy(in->p, mfns, (size_t)nr * sizeof(uint64_t));
    op.u.getframeinfo.nr_frames = nr;
    op.u.getframeinfo.mfns = xc_hbuf_va(in);
    op.u.getframeinfo.info = xc_hbuf_va(out);
    rc = xc_dom0_op(h, XEN_DOM0_getframeinfo, &op, "getframeinfo");
    if (rc == 0) {
        fi = out->p;
        for (i = 0; i < nr; i++) {
            info[i].owner = fi[i].owner;
            info[i].type = fi[i].type;
            info[i].pinned = !!(fi[i].flags & XEN_DOM0_FRAMEF_pinned);
        }
    }
    return rc;
}

int xc_get_frameinfo(xc_interface *h, const uint64_t *mfns, unsigned int nr,
                     xc_frameinfo_t *info)
{
    struct xc_hbuf in, out;
    unsigned int done, n, most;
    int rc = 0;

    if (!mfns || !info)
        return xc_fail(h, EINVAL, "getframeinfo: NULL frame or info array");
    if (nr == 0)
        return xc_fail(h, EINVAL, "getframeinfo: no frames asked for");
    /* One pair of buffers for every batch: each new one costs dom0 a
     * mapping and an unmapping with TLB flushes (a save asks about all
     * of a 256 MiB guest's 65,536 frames: 64 batches). */
    most = nr < XEN_DOM0_FRAMEINFO_MAX ? nr : XEN_DOM0_FRAMEINFO_MAX;
    if (xc_hbuf_alloc(h, &in, (size_t)most * sizeof(uint64_t)) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &out, (size_t)most *
                      sizeof(struct xen_dom0_frameinfo)) < 0) {
        xc_hbuf_free(h, &in);
        return -1;
    }
    for (done = 0; done < nr && rc == 0; done += n) {
        n = nr - done < most ? nr - done : most;
        rc = frameinfo_batch(h, &in, &out, mfns + done, n, info + done);
    }
    xc_hbuf_free(h, &out);
    xc_hbuf_free(h, &in);
    return rc < 0 ? -1 : 0;
}

static int perfc_query(xc_interface *h, uint32_t query, uint32_t flags,
                       uint32_t first, uint32_t max, struct xc_hbuf *buf,
                       uint32_t *nr_entries, uint32_t *nr_total)
{
    struct xen_dom0_op op = { 0 };
    struct xen_dom0_getperfcounters *p = &op.u.getperfcounters;

    p->query = query;
    p->flags = flags;
    p->first = first;
    p->max_entries = max;
    p->buffer = buf ? xc_hbuf_va(buf) : 0;
    if (xc_dom0_op(h, XEN_DOM0_getperfcounters, &op, "getperfcounters") < 0)
        return -1;
    if (p->nr_entries > max)
        return xc_fail(h, EIO, "getperfcounters: hypervisor returned %u "
                       "entries for %u slots", p->nr_entries, max);
    *nr_entries = p->nr_entries;
    *nr_total = p->nr_total;
    return 0;
}

int xc_perf_counter_count(xc_interface *h)
{
    uint32_t nr = 0, total = 0;

    if (perfc_query(h, XEN_DOM0_PERFC_QUERY_NAMES, 0, 0, 0, NULL,
                    &nr, &total) < 0)
        return -1;
    return (int)(total > INT32_MAX ? INT32_MAX : total);
}

/* Names and values are fetched in two passes over the same index range;
 * the ids tie them together, so a mismatch is reported, not guessed. */
static int perfc_chunk(xc_interface *h, xc_perfc_t *out, uint32_t first,
                       uint32_t n, uint32_t *got)
{
    struct xc_hbuf names, values;
    const struct xen_dom0_perfc_name *nm;
    const struct xen_dom0_perfc_value *val;
    uint32_t nr_names = 0, nr_values = 0, total = 0, i;
    int rc = -1;

    if (xc_hbuf_alloc(h, &names, (size_t)n * sizeof(*nm)) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &values, (size_t)n * sizeof(*val)) < 0)
        goto out_names;
    if (perfc_query(h, XEN_DOM0_PERFC_QUERY_NAMES, 0, first, n, &names,
                    &nr_names, &total) < 0)
        goto out_values;
    if (perfc_query(h, XEN_DOM0_PERFC_QUERY_VALUES, 0, first, n, &values,
                    &nr_values, &total) < 0)
        goto out_values;
    if (nr_values != nr_names) {
        xc_fail(h, EIO, "getperfcounters: %u names but %u values",
                nr_names, nr_values);
        goto out_values;
    }
    nm = names.p;
    val = values.p;
    for (i = 0; i < nr_names; i++) {
        if (nm[i].id != val[i].id) {
            xc_fail(h, EIO, "getperfcounters: entry %u is counter %u in the "
                    "name list but %u in the value list", first + i,
                    nm[i].id, val[i].id);
            goto out_values;
        }
        out[i].id = nm[i].id;
        memcpy(out[i].name, nm[i].name, XC_PERFC_NAME_LEN);
        out[i].name[XC_PERFC_NAME_LEN - 1] = '\0';
        out[i].value = val[i].value;
    }
    *got = nr_names;
    rc = 0;
out_values:
    xc_hbuf_free(h, &values);
out_names:
    xc_hbuf_free(h, &names);
    return rc;
}

int xc_perf_counters(xc_interface *h, xc_perfc_t *out, unsigned int max,
                     bool reset)
{
    uint32_t done = 0, got, n;

    if (!out)
        return xc_fail(h, EINVAL, "getperfcounters: NULL output array");
    if (max == 0 || max > INT32_MAX)
        return xc_fail(h, EINVAL, "getperfcounters: %u entries asked for",
                       max);
    while (done < max) {
        n = max - done;
        if (n > XEN_DOM0_PERFC_MAX)
            n = XEN_DOM0_PERFC_MAX;
        if (perfc_chunk(h, out + done, done, n, &got) < 0)
            return -1;
        done += got;
        if (got < n)
            break;
    }
    /* A separate call so no chunk is reset before it has been read;
     * increments that land between the two are lost, which is fine for
     * statistics. */
    if (reset && perfc_query(h, XEN_DOM0_PERFC_QUERY_VALUES,
                             XEN_DOM0_PERFC_RESET, 0, 0, NULL, &got, &n) < 0)
        return -1;
    return (int)done;
}

int xc_physinfo(xc_interface *h, xc_physinfo_t *info)
{
    struct xen_dom0_op op = { 0 };
    const struct xen_dom0_physinfo *p = &op.u.physinfo;

    if (!info)
        return xc_fail(h, EINVAL, "physinfo: NULL info");
    if (xc_dom0_op(h, XEN_DOM0_physinfo, &op, "physinfo") < 0)
        return -1;
    info->nr_cpus = p->nr_cpus;
    info->cpu_khz = p->cpu_khz;
    info->total_pages = p->total_pages;
    info->free_pages = p->free_pages;
    info->xen_major = p->xen_major;
    info->xen_minor = p->xen_minor;
    info->max_vcpus = p->max_vcpus;
    info->sched_id = p->sched_id;
    info->max_domid = p->max_domid;
    return 0;
}
