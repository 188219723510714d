/*
 * test_hypervisor.c - the machine-wide dom0_op wrappers: readlog,
 * getframeinfo (with batching), performance counters and physinfo.
 */
#include <stdlib.h>

#include "test.h"

static long answer_readlog(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_readlog *r = &op->u.readlog;
    char *buf = (void *)(uintptr_t)r->buffer;

    (void)f;
    if (!fake_is_hbuf(buf, r->size) || r->flags)
        return -EINVAL;
    memcpy(buf, "hello\n", 6);
    r->nr_bytes = 6;
    r->lost = 100 - r->start_seq;       /* oldest byte kept is 100 */
    r->next_seq = 106;
    r->head_seq = 106;
    return 0;
}

static void test_readlog(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_readlog_result_t res;
    char buf[64];

    f.dom0_op = answer_readlog;
    CHECK(xc_readlog(h, 40, buf, sizeof(buf), &res) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_readlog);
    CHECK(f.last_op.u.readlog.start_seq == 40);
    CHECK(f.last_op.u.readlog.size == sizeof(buf));
    CHECK(res.nr_bytes == 6 && memcmp(buf, "hello\n", 6) == 0);
    CHECK(res.lost == 60 && res.next_seq == 106 && res.head_seq == 106);
    CHECK_REFUSED(&f, xc_readlog(h, 0, buf, 0, &res));
    CHECK_REFUSED(&f, xc_readlog(h, 0, buf, XEN_DOM0_READLOG_MAX + 1, &res));
    CHECK_REFUSED(&f, xc_readlog(h, 0, NULL, 10, &res));
    CHECK_REFUSED(&f, xc_readlog(h, 0, buf, 10, NULL));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

static unsigned int frame_batches;

static long answer_frameinfo(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_getframeinfo *g = &op->u.getframeinfo;
    const uint64_t *mfns = (void *)(uintptr_t)g->mfns;
    struct xen_dom0_frameinfo *info = (void *)(uintptr_t)g->info;
    uint32_t i;

    (void)f;
    if (g->nr_frames == 0 || g->nr_frames > XEN_DOM0_FRAMEINFO_MAX)
        return -EINVAL;
    if (!fake_is_hbuf(mfns, g->nr_frames * 8) ||
        !fake_is_hbuf(info, g->nr_frames * sizeof(*info)))
        return -EFAULT;
    frame_batches++;
    for (i = 0; i < g->nr_frames; i++) {
        info[i].owner = (uint16_t)(mfns[i] & 0x7fff);
        info[i].type = (uint8_t)(mfns[i] % 7);
        info[i].flags = (mfns[i] & 1) ? XEN_DOM0_FRAMEF_pinned : 0;
    }
    return 0;
}

static void test_frameinfo_batches(void)
{
    enum { N = 1500 };
    struct fake f;
    xc_interface *h = fake_open(&f);
    uint64_t *mfns = malloc(N * sizeof(*mfns));
    xc_frameinfo_t *info = calloc(N, sizeof(*info));
    unsigned int i;

    CHECK(mfns && info);
    for (i = 0; i < N; i++)
        mfns[i] = 1000 + i;
    f.dom0_op = answer_frameinfo;
    frame_batches = 0;
    CHECK(xc_get_frameinfo(h, mfns, N, info) == 0);
    CHECK(frame_batches == 2);
    CHECK(f.last_op.cmd == XEN_DOM0_getframeinfo);
    CHECK(f.last_op.u.getframeinfo.nr_frames == N - XEN_DOM0_FRAMEINFO_MAX);
    for (i = 0; i < N; i++) {
        CHECK(info[i].owner == ((1000 + i) & 0x7fff));
        CHECK(info[i].type == (1000 + i) % 7);
        CHECK(info[i].pinned == ((1000 + i) & 1));
    }
    CHECK_REFUSED(&f, xc_get_frameinfo(h, mfns, 0, info));
    CHECK_REFUSED(&f, xc_get_frameinfo(h, NULL, 1, info));
    CHECK_REFUSED(&f, xc_get_frameinfo(h, mfns, 1, NULL));
    CHECK(f.live_bufs == 0);
    free(mfns);
    free(info);
    xc_interface_close(h);
}

/* Three counters: "hypercalls"=10, "page_faults"=20, "ticks"=30. */
static const char *const perfc_names[] = { "hypercalls", "page_faults",
                                           "ticks" };
static int perfc_reset_seen;

static long answer_perfc(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_getperfcounters *p = &op->u.getperfcounters;
    uint32_t i, n;

    (void)f;
    if (p->flags & ~XEN_DOM0_PERFC_MASK)
        return -EINVAL;
    p->nr_total = 3;
    if (p->flags & XEN_DOM0_PERFC_RESET) {
        if (p->query != XEN_DOM0_PERFC_QUERY_VALUES)
            return -EINVAL;
        perfc_reset_seen = 1;
    }
    n = p->first >= 3 ? 0 : 3 - p->first;
    if (n > p->max_entries)
        n = p->max_entries;
    for (i = 0; i < n; i++) {
        uint32_t idx = p->first + i;

        if (p->query == XEN_DOM0_PERFC_QUERY_NAMES) {
            struct xen_dom0_perfc_name *nm = (void *)(uintptr_t)p->buffer;

            nm[i].id = idx + 100;
            snprintf(nm[i].name, sizeof(nm[i].name), "%s", perfc_names[idx]);
        } else {
            struct xen_dom0_perfc_value *v = (void *)(uintptr_t)p->buffer;

            v[i].id = idx + 100;
            v[i].value = (idx + 1) * 10;
        }
    }
    p->nr_entries = n;
    return 0;
}

static void test_perf_counters(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_perfc_t pc[8];

    f.dom0_op = answer_perfc;
    perfc_reset_seen = 0;
    CHECK(xc_perf_counter_count(h) == 3);
    CHECK(f.last_op.u.getperfcounters.max_entries == 0);
    CHECK(f.last_op.u.getperfcounters.buffer == 0);
    CHECK(xc_perf_counters(h, pc, 8, false) == 3);
    CHECK(!perfc_reset_seen);
    CHECK(pc[0].id == 100 && strcmp(pc[0].name, "hypercalls") == 0);
    CHECK(pc[0].value == 10);
    CHECK(pc[2].id == 102 && strcmp(pc[2].name, "ticks") == 0);
    CHECK(pc[2].value == 30);
    CHECK(xc_perf_counters(h, pc, 2, true) == 2);
    CHECK(perfc_reset_seen);
    CHECK(f.last_op.u.getperfcounters.flags == XEN_DOM0_PERFC_RESET);
    CHECK_REFUSED(&f, xc_perf_counters(h, pc, 0, false));
    CHECK_REFUSED(&f, xc_perf_counters(h, NULL, 3, false));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

static long answer_physinfo(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_physinfo *p = &op->u.physinfo;

    (void)f;
    p->nr_cpus = 2;
    p->cpu_khz = 2400000;
    p->total_pages = 524288;
    p->free_pages = 1000;
    p->xen_major = 4;
    p->xen_minor = 17;
    p->max_vcpus = XEN_DOM0_MAX_VCPUS;
    p->sched_id = XEN_SCHEDULER_CREDIT;
    p->max_domid = 0x7fef;
    return 0;
}

static void test_physinfo(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_physinfo_t pi;

    f.dom0_op = answer_physinfo;
    CHECK(xc_physinfo(h, &pi) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_physinfo);
    CHECK(pi.nr_cpus == 2 && pi.cpu_khz == 2400000);
    CHECK(pi.total_pages == 524288 && pi.free_pages == 1000);
    CHECK(pi.xen_major == 4 && pi.xen_minor == 17);
    CHECK(pi.max_vcpus == XEN_DOM0_MAX_VCPUS);
    CHECK(pi.sched_id == XC_SCHED_CREDIT && pi.max_domid == 0x7fef);
    CHECK_REFUSED(&f, xc_physinfo(h, NULL));
    xc_interface_close(h);
}

const struct test_case hypervisor_tests[] = {
    { "readlog", test_readlog },
    { "frameinfo_batches", test_frameinfo_batches },
    { "perf_counters", test_perf_counters },
    { "physinfo", test_physinfo },
    { NULL, NULL },
};
