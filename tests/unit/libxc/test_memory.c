/*
 * test_memory.c - the plain (non-dom0_op) hypercall wrappers: memory_op,
 * xen_version, EVTCHNOP_alloc_unbound and the page-table pin (mmuext_op)
 * that the domain builder and restore share.
 */
#include <stdlib.h>

#include "test.h"
#include "xc_dom_image.h"
#include "public/xen.h"
#include "public/memory.h"
#include "public/version.h"
#include "public/event_channel.h"

/* Populate/increase: write MFN = 0x9000 + i for each extent; returns
 * f->ioctl_result extents if non-zero, else all of them. */
static long answer_memory(struct fake *f, const struct xc_privcmd_hypercall *c)
{
    struct xen_memory_reservation *r;
    uint64_t *ext;
    uint64_t i, n;

    if (c->op != __HYPERVISOR_memory_op)
        return -ENOSYS;
    if (c->arg[0] == XENMEM_maximum_ram_page)
        return c->arg[1] == 0 ? 0x7ffff : -EINVAL;
    if (c->arg[0] == XENMEM_current_reservation || c->arg[0] == 14) {
        const domid_t *d = (void *)(uintptr_t)c->arg[1];

        if (!fake_is_hbuf(d, sizeof(*d)))
            return -EFAULT;
        return c->arg[0] == 14 ? 0x10000 + *d : 0x100 + *d;
    }
    r = (void *)(uintptr_t)c->arg[1];
    if (!fake_is_hbuf(r, sizeof(*r)))
        return -EFAULT;
    ext = (void *)(uintptr_t)r->extent_start.va;
    if (!fake_is_hbuf(ext, r->nr_extents * 8))
        return -EFAULT;
    if (r->domid != 12 || r->extent_order != 9 || r->mem_flags != 0)
        return -EINVAL;
    n = f->ioctl_result ? (uint64_t)f->ioctl_result : r->nr_extents;
    for (i = 0; i < n; i++) {
        if (c->arg[0] == XENMEM_populate_physmap && ext[i] != 512 * i)
            return -EINVAL;             /* the gpfns were not copied in */
        if (c->arg[0] == XENMEM_decrease_reservation && ext[i] != 0x777)
            return -EINVAL;
        ext[i] = 0x9000 + i;
    }
    return (long)n;
}

static void test_reservations(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    uint64_t ext[4];
    const uint64_t gone[2] = { 0x777, 0x777 };
    unsigned int i;

    f.hypercall = answer_memory;
    for (i = 0; i < 4; i++)
        ext[i] = 512 * i;
    CHECK(xc_domain_populate_physmap(h, 12, 4, 9, ext) == 4);
    CHECK(f.last_call.arg[0] == XENMEM_populate_physmap);
    CHECK(ext[0] == 0x9000 && ext[3] == 0x9003);

    CHECK(xc_domain_increase_reservation(h, 12, 4, 9, ext) == 4);
    CHECK(f.last_call.arg[0] == XENMEM_increase_reservation);
    CHECK(xc_domain_decrease_reservation(h, 12, 2, 9, gone) == 2);
    CHECK(f.last_call.arg[0] == XENMEM_decrease_reservation);

    f.ioctl_result = 3;                 /* hypervisor runs out after 3 */
    for (i = 0; i < 4; i++)
        ext[i] = 512 * i;
    CHECK(xc_domain_populate_physmap(h, 12, 4, 9, ext) == 3);
    for (i = 0; i < 4; i++)
        ext[i] = 512 * i;
    CHECK(xc_domain_populate_physmap_exact(h, 12, 4, 9, ext) == -1);
    CHECK(errno == ENOMEM);
    CHECK(strstr(xc_last_error(h), "only 3 of 4") != NULL);

    CHECK_REFUSED(&f, xc_domain_populate_physmap(h, 12, 0, 9, ext));
    CHECK_REFUSED(&f, xc_domain_populate_physmap(h, 12, 4, 9, NULL));
    CHECK_REFUSED(&f, xc_domain_populate_physmap(h, 12, 1ul << 21, 0, ext));
    CHECK_REFUSED(&f, xc_domain_increase_reservation(h, 12, 1, 40, ext));
    CHECK_REFUSED(&f, xc_domain_decrease_reservation(h, 0x7FF0, 1, 0, gone));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

static void test_memory_queries(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    uint64_t v = 0;

    f.hypercall = answer_memory;
    CHECK(xc_domain_current_reservation(h, 3, &v) == 0 && v == 0x103);
    CHECK(f.last_call.arg[0] == XENMEM_current_reservation);
    CHECK(xc_domain_maximum_gpfn(h, 3, &v) == 0 && v == 0x10003);
    CHECK(f.last_call.arg[0] == 14);
    CHECK(xc_maximum_ram_page(h, &v) == 0 && v == 0x7ffff);
    CHECK_REFUSED(&f, xc_domain_current_reservation(h, 3, NULL));
    CHECK_REFUSED(&f, xc_maximum_ram_page(h, NULL));
    xc_interface_close(h);
}

static long answer_version(struct fake *f, const struct xc_privcmd_hypercall *c)
{
    (void)f;
    if (c->op != __HYPERVISOR_xen_version)
        return -ENOSYS;
    switch (c->arg[0]) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_extraversion:
        /* No terminator inside the array: libxc must add one. */
        memset((void *)(uintptr_t)c->arg[1], 'x', 16);
        return 0;
    case XENVER_capabilities:
        strcpy((void *)(uintptr_t)c->arg[1], "xen-3.0-x86_64");
        return 0;
    case XENVER_get_features: {
        struct xen_feature_info *fi = (void *)(uintptr_t)c->arg[1];

        fi->submap = fi->submap_idx == 0 ? 0xa0 : 0;
        return 0;
    }
    }
    return -ENOSYS;
}

static void test_version(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    uint32_t major, minor, submap;
    char extra[XC_EXTRAVERSION_LEN];
    char caps[XC_CAPABILITIES_LEN];

    f.hypercall = answer_version;
    CHECK(xc_version(h, &major, &minor) == 0);
    CHECK(major == 4 && minor == 17);
    CHECK(xc_version_extra(h, extra) == 0);
    CHECK(strlen(extra) == XC_EXTRAVERSION_LEN - 1);
    CHECK(xc_version_capabilities(h, caps) == 0);
    CHECK(strcmp(caps, "xen-3.0-x86_64") == 0);
    CHECK(xc_version_features(h, 0, &submap) == 0 && submap == 0xa0);
    CHECK(f.last_call.arg[0] == XENVER_get_features);
    CHECK_REFUSED(&f, xc_version(h, NULL, &minor));
    CHECK_REFUSED(&f, xc_version_features(h, 0, NULL));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

static long answer_alloc_unbound(struct fake *f,
                                 const struct xc_privcmd_hypercall *c)
{
    struct evtchn_alloc_unbound *a = (void *)(uintptr_t)c->arg[1];

    (void)f;
    if (c->op != __HYPERVISOR_event_channel_op ||
        c->arg[0] != EVTCHNOP_alloc_unbound || !fake_is_hbuf(a, sizeof(*a)))
        return -EINVAL;
    if (a->dom == 99)
        return -ESRCH;
    a->port = (uint32_t)a->dom + a->remote_dom + 1;
    return 0;
}

static void test_alloc_unbound(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);

    f.hypercall = answer_alloc_unbound;
    CHECK(xc_evtchn_alloc_unbound(h, 5, 0) == 6);
    CHECK(xc_evtchn_alloc_unbound(h, 99, 0) == -1 && errno == ESRCH);
    CHECK(strstr(xc_last_error(h), "domain 99") != NULL);
    CHECK_REFUSED(&f, xc_evtchn_alloc_unbound(h, 0x7FF4, 0));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

/* One mmuext_op on behalf of domain 7: PIN_L<n>_TABLE with the frame in
 * arg1; frame 0xbad is refused as the hypervisor would refuse a table
 * with a bad entry. */
static long answer_pin(struct fake *f, const struct xc_privcmd_hypercall *c)
{
    const struct mmuext_op *op = (void *)(uintptr_t)c->arg[0];

    (void)f;
    if (c->op != __HYPERVISOR_mmuext_op || c->arg[1] != 1 || c->arg[2] != 0 ||
        c->arg[3] != 7 || !fake_is_hbuf(op, sizeof(*op)))
        return -ENOSYS;
    if (op->arg1.mfn == 0xbad)
        return -EINVAL;
    /* The level comes back as the answer, so the test sees the cmd. */
    return op->cmd - MMUEXT_PIN_L1_TABLE + 1 == (unsigned)(op->arg1.mfn >> 12)
           ? 0 : -EPERM;
}

static void test_pin_table(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    unsigned level;

    f.hypercall = answer_pin;
    for (level = 1; level <= 4; level++)
        CHECK(xc_dom_pin_table(h, 7, level, (uint64_t)level << 12,
                               "test") == 0);
    CHECK(xc_dom_pin_l4(h, 7, 4 << 12) == 0);
    CHECK(f.nr_hypercalls == 5);
    CHECK(xc_dom_pin_table(h, 7, 3, 0xbad, "restore") == -1 &&
          errno == EINVAL);
    CHECK(strstr(xc_last_error(h), "restore: mmuext_op PIN_L3_TABLE of "
                 "frame 0xbad (foreigndom 7)") != NULL);
    CHECK(xc_dom_pin_l4(h, 7, 0xbad) == -1);
    CHECK(strstr(xc_last_error(h), "domain builder: pinning the bootstrap "
                 "L4: mmuext_op PIN_L4_TABLE") != NULL);
    CHECK_REFUSED(&f, xc_dom_pin_table(h, 7, 0, 1 << 12, "test"));
    CHECK_REFUSED(&f, xc_dom_pin_table(h, 7, 5, 5 << 12, "test"));
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

const struct test_case memory_tests[] = {
    { "reservations", test_reservations },
    { "memory_queries", test_memory_queries },
    { "xen_version", test_version },
    { "evtchn_alloc_unbound", test_alloc_unbound },
    { "pin_table", test_pin_table },
    { NULL, NULL },
};
