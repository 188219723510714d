/*
 * test_devices.c - the device-node side of libxc: /dev/xen/evtchn and
 * gntdev ioctls, foreign mapping through MMAPBATCH_V2, opening the real
 * privcmd transport, and handle lifetime and thread safety.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "test.h"

static void test_evtchn_binds(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_evtchn *xce = xc_evtchn_open(h);
    const struct xc_evtchn_bind_interdomain *bi = (void *)f.last_arg;
    const struct xc_evtchn_bind_virq *bv = (void *)f.last_arg;
    const struct xc_evtchn_bind_unbound *bu = (void *)f.last_arg;
    const struct xc_evtchn_port *pp = (void *)f.last_arg;

    CHECK(xce != NULL);
    CHECK(xc_evtchn_fd(xce) == FAKE_FD_EVTCHN);
    f.ioctl_result = 17;
    CHECK(xc_evtchn_bind_interdomain(xce, 0, 3) == 17);
    CHECK(f.last_req == 0x00084501 && f.last_fd == FAKE_FD_EVTCHN);
    CHECK(bi->remote_domain == 0 && bi->remote_port == 3);
    CHECK(xc_evtchn_bind_virq(xce, 3) == 17);
    CHECK(f.last_req == 0x00044500 && bv->virq == 3);
    CHECK(xc_evtchn_bind_unbound_port(xce, 4) == 17);
    CHECK(f.last_req == 0x00044502 && bu->remote_domain == 4);
    f.ioctl_result = 0;
    CHECK(xc_evtchn_notify(xce, 17) == 0);
    CHECK(f.last_req == 0x00044504 && pp->port == 17);
    CHECK(xc_evtchn_unbind(xce, 17) == 0);
    CHECK(f.last_req == 0x00044503 && pp->port == 17);
    f.ioctl_result = -ENOTCONN;
    CHECK(xc_evtchn_notify(xce, 18) == -1 && errno == ENOTCONN);
    f.ioctl_result = 5000;              /* not a port a 2-level ABI has */
    CHECK(xc_evtchn_bind_virq(xce, 1) == -1 && errno == EIO);

    CHECK_REFUSED(&f, xc_evtchn_bind_virq(xce, NR_VIRQS));
    CHECK_REFUSED(&f, xc_evtchn_notify(xce, 0));
    CHECK_REFUSED(&f, xc_evtchn_unbind(xce, 4096));
    CHECK_REFUSED(&f, xc_evtchn_bind_interdomain(xce, 0x7FF0, 3));
    CHECK_REFUSED(&f, xc_evtchn_bind_interdomain(xce, 1, 0));

    /* The parent cannot go away under an open child. */
    CHECK(xc_interface_close(h) == -1 && errno == EBUSY);
    CHECK(xc_evtchn_close(xce) == 0);
    CHECK(xc_interface_close(h) == 0);
    CHECK(f.nr_closes == 2);
}

static void test_evtchn_pending(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_evtchn *xce = xc_evtchn_open(h);

    CHECK(xce != NULL);
    f.pending_ports[0] = 9;
    f.pending_ports[1] = 4;
    f.nr_pending = 2;
    CHECK(xc_evtchn_pending(xce) == 9);
    CHECK(xc_evtchn_pending(xce) == 4);
    xc_clear_last_error(h);
    CHECK(xc_evtchn_pending(xce) == -1 && errno == EAGAIN);
    CHECK(xc_last_errno(h) == 0);      /* "nothing yet" is not a failure */
    f.read_error = -EFBIG;
    CHECK(xc_evtchn_pending(xce) == -1 && errno == EFBIG);
    CHECK(strstr(xc_last_error(h), "overflowed") != NULL);
    CHECK(xc_evtchn_unmask(xce, 9) == 0);
    CHECK(f.nr_written == 1 && f.written_ports[0] == 9);
    CHECK_REFUSED(&f, xc_evtchn_unmask(xce, 0));
    CHECK(f.nr_written == 1);
    xc_evtchn_close(xce);

    f.open_error[XC_DEV_EVTCHN] = -ENOENT;
    CHECK(xc_evtchn_open(h) == NULL && errno == ENOENT);
    CHECK(strstr(xc_last_error(h), "xen-evtchn") != NULL);
    CHECK(xc_interface_close(h) == 0);
}

static void test_gnttab_map_unmap(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    xc_gnttab *xcg = xc_gnttab_open(h);
    const uint32_t domids[2] = { 3, 3 }, refs[2] = { 8, 9 };
    const struct xc_gntdev_map_grant_ref *m = (void *)f.last_arg;
    const struct xc_gntdev_unmap_grant_ref *u = (void *)f.last_arg;
    void *p;

    CHECK(xcg != NULL);
    p = xc_gnttab_map_grant_refs(xcg, 2, domids, refs, PROT_READ | PROT_WRITE);
    CHECK(p != NULL);
    CHECK(f.last_req == 0x00184700 && f.last_fd == FAKE_FD_GNTDEV);
    CHECK(m->count == 2 && m->refs[0].domid == 3 && m->refs[0].ref == 8);
    CHECK(f.live_maps == 1);
    CHECK(xc_gnttab_unmap(xcg, p, 2) == 0);
    CHECK(f.last_req == 0x00104701);
    CHECK(u->index == 0x5000 && u->count == 2);
    CHECK(f.live_maps == 0);

    CHECK_REFUSED_NULL(&f, xc_gnttab_map_grant_refs(xcg, 0, domids, refs,
                                                     PROT_READ));
    CHECK_REFUSED_NULL(&f, xc_gnttab_map_grant_refs(xcg, 2, NULL, refs,
                                                     PROT_READ));
    CHECK_REFUSED_NULL(&f, xc_gnttab_map_grant_ref(xcg, 3, 8, PROT_EXEC));
    CHECK_REFUSED_NULL(&f, xc_gnttab_map_grant_ref(xcg, 0x7FF2, 8,
                                                    PROT_READ));
    f.ioctl_result = -EINVAL;
    CHECK(xc_gnttab_map_grant_ref(xcg, 3, 8, PROT_READ) == NULL);
    CHECK(f.live_maps == 0);
    CHECK(xc_gnttab_close(xcg) == 0);
    CHECK(xc_interface_close(h) == 0);
}

static void test_foreign_bulk(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    const struct xc_privcmd_mmapbatch_v2 *b = (void *)f.last_arg;
    uint64_t mfns[3] = { 0x100, 0x200, 0x300 };
    int errs[3] = { 1, 1, 1 };
    void *p;

    f.mmapbatch_errs[1] = -EINVAL;
    p = xc_map_foreign_bulk(h, 6, PROT_READ, mfns, errs, 3);
    CHECK(p != NULL);
    CHECK(f.last_req == 0x00205004 && f.last_fd == FAKE_FD_PRIVCMD);
    CHECK(b->num == 3 && b->dom == 6);
    CHECK(b->addr == (uint64_t)(uintptr_t)p);
    CHECK(b->arr == mfns && b->err == errs);
    CHECK(errs[0] == 0 && errs[1] == -EINVAL && errs[2] == 0);
    CHECK(xc_unmap_foreign(h, p, 3) == 0);
    CHECK(f.live_maps == 0);

    /* All-or-nothing variant: page 1 failed, so nothing stays mapped. */
    CHECK(xc_map_foreign_pages(h, 6, PROT_READ, mfns, 3) == NULL);
    CHECK(errno == EINVAL);
    CHECK(strstr(xc_last_error(h), "page 1") != NULL);
    CHECK(f.live_maps == 0);
    f.mmapbatch_errs[1] = 0;
    p = xc_map_foreign_pages(h, 6, PROT_READ | PROT_WRITE, mfns, 3);
    CHECK(p != NULL);
    CHECK(xc_unmap_foreign(h, p, 3) == 0);

    /* "Some pages paged out" still returns the mapping. */
    f.ioctl_result = -ENOENT;
    p = xc_map_foreign_bulk(h, 6, PROT_READ, mfns, errs, 3);
    CHECK(p != NULL);
    xc_unmap_foreign(h, p, 3);
    f.ioctl_result = -EPERM;
    CHECK(xc_map_foreign_bulk(h, 6, PROT_READ, mfns, errs, 3) == NULL);
    CHECK(errno == EPERM && f.live_maps == 0);

    CHECK_REFUSED_NULL(&f, xc_map_foreign_bulk(h, 6, PROT_READ, NULL, errs,
                                                3));
    CHECK_REFUSED_NULL(&f, xc_map_foreign_bulk(h, 6, PROT_READ, mfns, NULL,
                                                3));
    CHECK_REFUSED_NULL(&f, xc_map_foreign_bulk(h, 6, PROT_READ, mfns, errs,
                                                0));
    CHECK_REFUSED_NULL(&f, xc_map_foreign_bulk(h, 6, PROT_EXEC, mfns, errs,
                                                3));
    CHECK_REFUSED(&f, xc_unmap_foreign(h, NULL, 3));
    xc_interface_close(h);
}

static void test_real_privcmd_missing(void)
{
    xc_interface *h;

    if (access("/dev/xen/privcmd", F_OK) == 0)
        SKIP("/dev/xen/privcmd exists: really in dom0");
    errno = 0;
    h = xc_interface_open();
    CHECK(h == NULL);
    CHECK(errno == ENOENT);
    CHECK(strstr(xc_open_error(), "/dev/xen/privcmd") != NULL);
    CHECK(strstr(xc_open_error(), "xen-privcmd") != NULL);
}

static void test_open_failure_cleans_up(void)
{
    struct fake f;

    memset(&f, 0, sizeof(f));
    f.open_error[XC_DEV_PRIVCMD] = -EACCES;
    errno = 0;
    CHECK(xc_interface_open_transport(&fake_ops, &f) == NULL);
    CHECK(errno == EACCES);
    CHECK(f.destroyed == 1);
    CHECK(strstr(xc_open_error(), "fake") != NULL);
    CHECK(xc_interface_open_transport(NULL, NULL) == NULL && errno == EINVAL);
}

/* Several threads share one handle; every call must see its own buffer
 * and answer, and no hypercall buffer may leak. */
static long answer_echo_domid(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    if (op->u.getdomaininfo.domid % 5 == 0)
        return -ESRCH;
    op->u.getdomaininfo.info.domid = op->u.getdomaininfo.domid;
    op->u.getdomaininfo.info.tot_pages = op->u.getdomaininfo.domid * 3;
    return 0;
}

struct worker {
    xc_interface *h;
    unsigned int base;
    int bad;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    xc_dominfo_t info;
    unsigned int i, d;

    for (i = 0; i < 300; i++) {
        d = w->base + i;
        if (d % 5 == 0) {
            if (xc_domain_getinfo(w->h, d, &info) != -1 || errno != ESRCH)
                w->bad++;
            if (strlen(xc_last_error(w->h)) == 0)
                w->bad++;
        } else if (xc_domain_getinfo(w->h, d, &info) != 0 ||
                   info.domid != d || info.tot_pages != (uint64_t)d * 3) {
            w->bad++;
        }
    }
    return NULL;
}

static void test_threads_share_handle(void)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    pthread_t t[4];
    struct worker w[4];
    int i;

    f.dom0_op = answer_echo_domid;
    for (i = 0; i < 4; i++) {
        w[i] = (struct worker){ .h = h, .base = 1 + 1000 * i };
        CHECK(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].bad == 0);
    }
    CHECK(f.nr_hypercalls == 1200);
    CHECK(f.live_bufs == 0);
    xc_interface_close(h);
}

const struct test_case device_tests[] = {
    { "evtchn_binds", test_evtchn_binds },
    { "evtchn_pending", test_evtchn_pending },
    { "gnttab_map_unmap", test_gnttab_map_unmap },
    { "foreign_bulk", test_foreign_bulk },
    { "real_privcmd_missing", test_real_privcmd_missing },
    { "open_failure_cleans_up", test_open_failure_cleans_up },
    { "threads_share_handle", test_threads_share_handle },
    { NULL, NULL },
};
