/*
 * test_dom0_op.c - the per-domain and per-vCPU dom0_op wrappers: each
 * must encode its command, the interface version and its fields, decode
 * the answer, map errors, and refuse bad arguments before any hypercall.
 */
#include <stdlib.h>

#include "test.h"

/* Every byte of the op past `used` bytes of the union must be zero. */
static int tail_is_zero(const struct xen_dom0_op *op, size_t used)
{
    const uint8_t *p = op->u.pad;
    size_t i;

    for (i = used; i < sizeof(op->u.pad); i++)
        if (p[i])
            return 0;
    return 1;
}

static long answer_create(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    op->u.createdomain.domid = 7;
    return 0;
}

static void test_create_encodes(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_domain_create_args_t a = {
        .domid = XC_DOMID_ANY, .flags = XC_DOMCREATE_PRIVILEGED,
        .max_pages = 65536, .max_vcpus = 2, .handle = { 1, 2, 3, 16 },
    };
    const struct xen_dom0_createdomain *c = &f.last_op.u.createdomain;
    uint32_t domid = 0;

    f.dom0_op = answer_create;
    CHECK(xc_domain_create(h, &a, &domid) == 0);
    CHECK(domid == 7);
    CHECK(f.nr_hypercalls == 1);
    CHECK(f.last_call.op == 36);
    CHECK(f.last_op.cmd == XEN_DOM0_createdomain);
    CHECK(f.last_op.interface_version == XEN_DOM0_OP_INTERFACE_VERSION);
    CHECK(c->domid == DOMID_INVALID);
    CHECK(c->flags == XEN_DOM0_CDF_privileged);
    CHECK(c->max_pages == 65536);
    CHECK(c->max_vcpus == 2);
    CHECK(c->handle[0] == 1 && c->handle[3] == 16 && c->handle[15] == 0);
    CHECK(c->pad0 == 0 && c->pad1 == 0);
    CHECK(tail_is_zero(&f.last_op, sizeof(*c)));
    CHECK(f.live_bufs == 0);
    CHECK(xc_interface_close(h) == 0);
    CHECK(f.destroyed && f.nr_closes == 1);
}

static void test_create_refuses_bad_args(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_domain_create_args_t ok = { .domid = XC_DOMID_ANY, .max_pages = 1,
                                   .max_vcpus = 1 };
    xc_domain_create_args_t a;
    uint32_t domid;

    CHECK_REFUSED(&f, xc_domain_create(h, NULL, &domid));
    CHECK_REFUSED(&f, xc_domain_create(h, &ok, NULL));
    a = ok; a.flags = 2;
    CHECK_REFUSED(&f, xc_domain_create(h, &a, &domid));
    a = ok; a.max_vcpus = 0;
    CHECK_REFUSED(&f, xc_domain_create(h, &a, &domid));
    a = ok; a.max_vcpus = XEN_DOM0_MAX_VCPUS + 1;
    CHECK_REFUSED(&f, xc_domain_create(h, &a, &domid));
    a = ok; a.max_pages = 0;
    CHECK_REFUSED(&f, xc_domain_create(h, &a, &domid));
    a = ok; a.domid = DOMID_SELF;
    CHECK_REFUSED(&f, xc_domain_create(h, &a, &domid));
    CHECK(strstr(xc_last_error(h), "not an ordinary domain") != NULL);
    xc_interface_close(h);
}

static long answer_ok(struct fake *f, struct xen_dom0_op *op)
{
    (void)f; (void)op;
    return 0;
}

static void test_lifecycle_ops_encode(void)
{
    static const struct {
        int (*fn)(xc_interface *, uint32_t);
        uint32_t cmd;
    } ops[] = {
        { xc_domain_destroy, XEN_DOM0_destroydomain },
        { xc_domain_pause, XEN_DOM0_pausedomain },
        { xc_domain_unpause, XEN_DOM0_unpausedomain },
    };
    struct fake f;
    xc_interface *h = fake_open(&f);
    unsigned int i;

    f.dom0_op = answer_ok;
    for (i = 0; i < 3; i++) {
        CHECK(ops[i].fn(h, 42 + i) == 0);
        CHECK(f.last_op.cmd == ops[i].cmd);
        CHECK(f.last_op.interface_version == XEN_DOM0_OP_INTERFACE_VERSION);
        CHECK(f.last_op.u.domain.domid == 42 + i);
        CHECK(tail_is_zero(&f.last_op, 2));
        CHECK_REFUSED(&f, ops[i].fn(h, 0x7FF0));
        CHECK_REFUSED(&f, ops[i].fn(h, 70000));
    }
    CHECK(f.nr_hypercalls == 3);
    xc_interface_close(h);
}

static long answer_eagain_thrice(struct fake *f, struct xen_dom0_op *op)
{
    (void)op;
    return f->nr_hypercalls <= 3 ? -EAGAIN : 0;
}

static void test_destroy_retries_eagain(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);

    f.dom0_op = answer_eagain_thrice;
    CHECK(xc_domain_destroy(h, 3) == 0);
    CHECK(f.nr_hypercalls == 4);
    xc_interface_close(h);
}

static long answer_info(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_domaininfo *i = &op->u.getdomaininfo.info;

    (void)f;
    i->domid = op->u.getdomaininfo.domid;
    i->flags = XEN_DOMINF_shutdown | XEN_DOMINF_paused |
               XEN_DOMINF_privileged;
    i->shutdown_reason = 2;
    i->tot_pages = 1000;
    i->max_pages = 2000;
    i->shared_info_frame = 0xabc;
    i->cpu_time_ns = 123456789;
    i->nr_online_vcpus = 1;
    i->max_vcpu_id = 3;
    i->handle[15] = 0xee;
    return 0;
}

static void test_getinfo_decodes(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_dominfo_t info;

    f.dom0_op = answer_info;
    CHECK(xc_domain_getinfo(h, 5, &info) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_getdomaininfo);
    CHECK(f.last_op.u.getdomaininfo.domid == 5);
    CHECK(info.domid == 5);
    CHECK(info.shutdown && info.paused && info.privileged);
    CHECK(!info.dying && !info.blocked && !info.running);
    CHECK(info.shutdown_reason == 2);
    CHECK(info.tot_pages == 1000 && info.max_pages == 2000);
    CHECK(info.shared_info_frame == 0xabc);
    CHECK(info.cpu_time_ns == 123456789);
    CHECK(info.nr_online_vcpus == 1 && info.max_vcpu_id == 3);
    CHECK(info.handle[15] == 0xee);
    CHECK_REFUSED(&f, xc_domain_getinfo(h, 5, NULL));
    xc_interface_close(h);
}

static long answer_list(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct xen_dom0_domaininfo *recs = (void *)(uintptr_t)l->buffer;

    (void)f;
    if (!fake_is_hbuf(recs, l->max_entries * sizeof(*recs)))
        return -EFAULT;
    recs[0].domid = l->first_domid;
    recs[0].flags = XEN_DOMINF_running;
    recs[1].domid = l->first_domid + 4;
    recs[1].flags = XEN_DOMINF_blocked | XEN_DOMINF_dying;
    l->nr_entries = 2;
    return 0;
}

static long answer_list_lying(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    op->u.getdomaininfolist.nr_entries = op->u.getdomaininfolist.max_entries + 1;
    return 0;
}

static void test_getinfolist(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_dominfo_t info[8];

    f.dom0_op = answer_list;
    CHECK(xc_domain_getinfolist(h, 1, 8, info) == 2);
    CHECK(f.last_op.cmd == XEN_DOM0_getdomaininfolist);
    CHECK(f.last_op.u.getdomaininfolist.first_domid == 1);
    CHECK(f.last_op.u.getdomaininfolist.max_entries == 8);
    CHECK(info[0].domid == 1 && info[0].running && !info[0].dying);
    CHECK(info[1].domid == 5 && info[1].blocked && info[1].dying);
    CHECK_REFUSED(&f, xc_domain_getinfolist(h, 0, 0, info));
    CHECK_REFUSED(&f, xc_domain_getinfolist(h, 0, XEN_DOM0_INFOLIST_MAX + 1,
                                             info));
    CHECK_REFUSED(&f, xc_domain_getinfolist(h, 0, 8, NULL));
    f.dom0_op = answer_list_lying;
    CHECK(xc_domain_getinfolist(h, 0, 8, info) == -1);
    CHECK(errno == EIO);
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

static void test_setmaxmem(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);

    f.dom0_op = answer_ok;
    CHECK(xc_domain_setmaxmem(h, 9, XC_KIB_TO_PAGES(524288)) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_setmaxmem);
    CHECK(f.last_op.u.setmaxmem.domid == 9);
    CHECK(f.last_op.u.setmaxmem.max_pages == 131072);
    CHECK_REFUSED(&f, xc_domain_setmaxmem(h, 9, 0));
    xc_interface_close(h);
}

static long answer_getcontext(struct fake *f, struct xen_dom0_op *op)
{
    struct vcpu_guest_context *c = (void *)(uintptr_t)op->u.vcpucontext.ctxt;

    (void)f;
    if (op->u.vcpucontext.size != sizeof(*c) || !fake_is_hbuf(c, sizeof(*c)))
        return -EINVAL;
    c->user_regs.rip = 0xffffffff81000000ull;
    c->ctrlreg[3] = 0x1234000;
    return 0;
}

static long answer_setcontext(struct fake *f, struct xen_dom0_op *op)
{
    struct vcpu_guest_context *c = (void *)(uintptr_t)op->u.vcpucontext.ctxt;

    (void)f;
    if (op->u.vcpucontext.size != sizeof(*c) || !fake_is_hbuf(c, sizeof(*c)))
        return -EINVAL;
    return c->user_regs.rsi == 0x5555 && c->flags == VGCF_online ? 0 : -EINVAL;
}

static void test_vcpu_context(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    struct vcpu_guest_context *ctxt = calloc(1, sizeof(*ctxt));

    CHECK(ctxt != NULL);
    f.dom0_op = answer_getcontext;
    CHECK(xc_vcpu_getcontext(h, 4, 1, ctxt) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_getvcpucontext);
    CHECK(f.last_op.u.vcpucontext.domid == 4);
    CHECK(f.last_op.u.vcpucontext.vcpu == 1);
    CHECK(ctxt->user_regs.rip == 0xffffffff81000000ull);
    CHECK(ctxt->ctrlreg[3] == 0x1234000);

    memset(ctxt, 0, sizeof(*ctxt));
    ctxt->user_regs.rsi = 0x5555;
    ctxt->flags = VGCF_online;
    f.dom0_op = answer_setcontext;
    CHECK(xc_vcpu_setcontext(h, 4, 0, ctxt) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_setvcpucontext);
    ctxt->flags = 0;
    CHECK(xc_vcpu_setcontext(h, 4, 0, ctxt) == -1 && errno == EINVAL);

    CHECK_REFUSED(&f, xc_vcpu_getcontext(h, 4, 0, NULL));
    CHECK_REFUSED(&f, xc_vcpu_setcontext(h, 4, 0, NULL));
    CHECK_REFUSED(&f, xc_vcpu_getcontext(h, 4, XEN_DOM0_MAX_VCPUS, ctxt));
    CHECK(f.live_bufs == 0);
    free(ctxt);
    xc_interface_close(h);
}

static long answer_affinity(struct fake *f, struct xen_dom0_op *op)
{
    const uint8_t *map = (void *)(uintptr_t)op->u.vcpuaffinity.cpumap;

    (void)f;
    if (!fake_is_hbuf(map, 2))
        return -EFAULT;
    return map[0] == 0xff && map[1] == 0x03 ? 0 : -EINVAL;
}

static void test_vcpu_affinity(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    uint8_t map[2] = { 0xff, 0xff };

    f.dom0_op = answer_affinity;
    /* 10 bits: the top 6 bits of byte 1 are not the caller's to send. */
    CHECK(xc_vcpu_setaffinity(h, 2, 1, map, 10) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_setvcpuaffinity);
    CHECK(f.last_op.u.vcpuaffinity.nr_bits == 10);
    CHECK(f.last_op.u.vcpuaffinity.vcpu == 1);
    CHECK_REFUSED(&f, xc_vcpu_setaffinity(h, 2, 1, map, 0));
    CHECK_REFUSED(&f, xc_vcpu_setaffinity(h, 2, 1, map,
                                           XEN_DOM0_CPUMAP_MAX_BITS + 1));
    CHECK_REFUSED(&f, xc_vcpu_setaffinity(h, 2, 1, NULL, 8));
    xc_interface_close(h);
}

static long answer_vcpuinfo(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    op->u.vcpuinfo.online = 1;
    op->u.vcpuinfo.blocked = 1;
    op->u.vcpuinfo.running = 0;
    op->u.vcpuinfo.cpu = 1;
    op->u.vcpuinfo.cpu_time_ns = 777;
    return 0;
}

static void test_vcpu_getinfo(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_vcpuinfo_t vi;

    f.dom0_op = answer_vcpuinfo;
    CHECK(xc_vcpu_getinfo(h, 3, 2, &vi) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_getvcpuinfo);
    CHECK(f.last_op.u.vcpuinfo.domid == 3 && f.last_op.u.vcpuinfo.vcpu == 2);
    CHECK(vi.online && vi.blocked && !vi.running);
    CHECK(vi.cpu == 1 && vi.cpu_time_ns == 777);
    CHECK_REFUSED(&f, xc_vcpu_getinfo(h, 3, 2, NULL));
    xc_interface_close(h);
}

static long answer_sched(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    if (op->cmd == XEN_DOM0_getschedparams) {
        op->u.schedparams.sched_id = XEN_SCHEDULER_CREDIT;
        op->u.schedparams.weight = 256;
        op->u.schedparams.cap = 50;
    }
    return 0;
}

static void test_sched_params(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_sched_params_t p = { 0 };

    f.dom0_op = answer_sched;
    CHECK(xc_sched_get(h, 6, &p) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_getschedparams);
    CHECK(p.sched_id == XC_SCHED_CREDIT && p.weight == 256 && p.cap == 50);
    p.weight = 512;
    p.cap = 0;
    CHECK(xc_sched_set(h, 6, &p) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_setschedparams);
    CHECK(f.last_op.u.schedparams.domid == 6);
    CHECK(f.last_op.u.schedparams.weight == 512);
    CHECK(f.last_op.u.schedparams.cap == 0);
    p.weight = 0;
    CHECK_REFUSED(&f, xc_sched_set(h, 6, &p));
    p.weight = XC_SCHED_WEIGHT_MAX + 1;
    CHECK_REFUSED(&f, xc_sched_set(h, 6, &p));
    CHECK_REFUSED(&f, xc_sched_get(h, 6, NULL));
    xc_interface_close(h);
}

static long answer_accounting(struct fake *f, struct xen_dom0_op *op)
{
    struct xen_dom0_getaccounting *a = &op->u.getaccounting;
    uint64_t *counts = (void *)(uintptr_t)a->hypercall_counts;
    uint32_t i;

    (void)f;
    if (a->nr_hypercall_counts &&
        !fake_is_hbuf(counts, a->nr_hypercall_counts * sizeof(*counts)))
        return -EFAULT;
    for (i = 0; i < a->nr_hypercall_counts; i++)
        counts[i] = i * 10;
    a->nr_hypercalls_kept = 56;
    a->cpu_time_ns = 1;
    a->hypercalls = 2;
    a->events_sent = 3;
    a->events_delivered = 4;
    a->exceptions_bounced = 5;
    a->page_faults = 6;
    a->ptwr_emulations = 7;
    a->mmu_updates = 8;
    return 0;
}

static void test_accounting(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_accounting_t acct;
    uint64_t counts[4] = { 99, 99, 99, 99 };

    f.dom0_op = answer_accounting;
    CHECK(xc_domain_get_accounting(h, 8, &acct, counts, 4) == 0);
    CHECK(f.last_op.cmd == XEN_DOM0_getaccounting);
    CHECK(f.last_op.u.getaccounting.nr_hypercall_counts == 4);
    CHECK(counts[0] == 0 && counts[3] == 30);
    CHECK(acct.cpu_time_ns == 1 && acct.hypercalls == 2);
    CHECK(acct.events_sent == 3 && acct.events_delivered == 4);
    CHECK(acct.exceptions_bounced == 5 && acct.page_faults == 6);
    CHECK(acct.ptwr_emulations == 7 && acct.mmu_updates == 8);
    CHECK(acct.nr_hypercalls_kept == 56);
    CHECK(xc_domain_get_accounting(h, 8, &acct, NULL, 0) == 0);
    CHECK(f.last_op.u.getaccounting.hypercall_counts == 0);
    CHECK_REFUSED(&f, xc_domain_get_accounting(h, 8, &acct, NULL, 4));
    CHECK_REFUSED(&f, xc_domain_get_accounting(h, 8, &acct, counts, 0));
    CHECK_REFUSED(&f, xc_domain_get_accounting(h, 8, &acct, counts,
                                  XEN_DOM0_HYPERCALL_COUNTERS_MAX + 1));
    CHECK_REFUSED(&f, xc_domain_get_accounting(h, 8, NULL, NULL, 0));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

/* The hypervisor answers -EPROTO and reports its own version. */
static long answer_other_version(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    op->interface_version = 7;
    return -XEN_DOM0_EVERSION;
}

static void test_version_mismatch(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    const char *msg;
    char want[64];

    f.dom0_op = answer_other_version;
    CHECK(xc_domain_pause(h, 1) == -1);
    CHECK(errno == EPROTO);
    CHECK(xc_last_errno(h) == EPROTO);
    msg = xc_last_error(h);
    snprintf(want, sizeof(want), "tools %u, hypervisor 7",
             XEN_DOM0_OP_INTERFACE_VERSION);
    CHECK(strstr(msg, want) != NULL);
    CHECK(strstr(msg, "dom0_op interface version") != NULL);
    CHECK(strstr(msg, "rebuild") != NULL);
    CHECK(f.live_bufs == 0);
    xc_clear_last_error(h);
    CHECK(xc_last_error(h)[0] == '\0' && xc_last_errno(h) == 0);
    xc_interface_close(h);
}

static long answer_esrch(struct fake *f, struct xen_dom0_op *op)
{
    (void)f; (void)op;
    return -ESRCH;
}

static long answer_garbage(struct fake *f, struct xen_dom0_op *op)
{
    (void)f; (void)op;
    return -100000;
}

static void test_errors_are_mapped(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_dominfo_t info;

    f.dom0_op = answer_esrch;
    CHECK(xc_domain_getinfo(h, 5, &info) == -1);
    CHECK(errno == ESRCH);
    CHECK(strstr(xc_last_error(h), "no such domain") != NULL);
    CHECK(strstr(xc_last_error(h), "domain 5") != NULL);
    f.dom0_op = answer_garbage;
    CHECK(xc_domain_unpause(h, 5) == -1 && errno == EIO);
    f.dom0_op = answer_ok;
    f.fail_buf_alloc = 1;
    CHECK(xc_domain_unpause(h, 5) == -1 && errno == ENOMEM);
    CHECK(f.nr_hypercalls == 2);
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

const struct test_case dom0_op_tests[] = {
    { "create_encodes", test_create_encodes },
    { "create_refuses_bad_args", test_create_refuses_bad_args },
    { "lifecycle_ops_encode", test_lifecycle_ops_encode },
    { "destroy_retries_eagain", test_destroy_retries_eagain },
    { "getinfo_decodes", test_getinfo_decodes },
    { "getinfolist", test_getinfolist },
    { "setmaxmem", test_setmaxmem },
    { "vcpu_context", test_vcpu_context },
    { "vcpu_affinity", test_vcpu_affinity },
    { "vcpu_getinfo", test_vcpu_getinfo },
    { "sched_params", test_sched_params },
    { "accounting", test_accounting },
    { "version_mismatch", test_version_mismatch },
    { "errors_are_mapped", test_errors_are_mapped },
    { NULL, NULL },
};
