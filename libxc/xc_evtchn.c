/*
 * xc_evtchn.c - event channels: the alloc_unbound hypercall the toolstack
 * uses for a new domain's ports, and the /dev/xen/evtchn handle through
 * which dom0 userspace binds, signals and waits on ports.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"
#include "xc_linux_abi.h"
#include "public/event_channel.h"

/* 2-level event channels: ports are below 4096. */
#define XC_EVTCHN_NR_PORTS 4096u

struct xc_evtchn {
    xc_interface *h;
    int fd;
};

int xc_evtchn_alloc_unbound(xc_interface *h, uint32_t domid,
                            uint32_t remote_domid)
{
    struct xc_hbuf buf;
    struct evtchn_alloc_unbound *a;
    char what[80];
    long rc;
    int port;

    snprintf(what, sizeof(what), "evtchn alloc_unbound(domain %u, remote %u)",
             domid, remote_domid);
    if (domid != DOMID_SELF && xc_check_domid(h, what, domid) < 0)
        return -1;
    if (remote_domid != DOMID_SELF &&
        xc_check_domid(h, what, remote_domid) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &buf, sizeof(*a)) < 0)
        return -1;
    a = buf.p;
    a->dom = (domid_t)domid;
    a->remote_dom = (domid_t)remote_domid;
    rc = xc_hypercall(h, __HYPERVISOR_event_channel_op,
                      EVTCHNOP_alloc_unbound, xc_hbuf_va(&buf), 0, 0, 0);
    port = (int)a->port;
    xc_hbuf_free(h, &buf);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "%s: %s", what, strerror((int)-rc));
    if (port <= 0 || (unsigned)port >= XC_EVTCHN_NR_PORTS)
        return xc_fail(h, EIO, "%s: hypervisor returned port %d", what, port);
    return port;
}

xc_evtchn *xc_evtchn_open(xc_interface *h)
{
    xc_evtchn *xce;
    int fd;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    xce = calloc(1, sizeof(*xce));
    if (!xce)
        return xc_fail_null(h, ENOMEM, "xc_evtchn_open: out of memory");
    fd = h->ops->dev_open(h->ctx, XC_DEV_EVTCHN);
    if (fd < 0) {
        free(xce);
        return xc_fail_null(h, -fd, "xc_evtchn_open: cannot open the event "
                            "channel device: %s%s", strerror(-fd),
                            fd == -ENOENT ? " (is the xen-evtchn module "
                            "loaded?)" : "");
    }
    xce->h = h;
    xce->fd = fd;
    xc_child_get(h);
    return xce;
}

int xc_evtchn_close(xc_evtchn *xce)
{
    xc_interface *h;

    if (!xce) {
        errno = EINVAL;
        return -1;
    }
    h = xce->h;
    h->ops->dev_close(h->ctx, xce->fd);
    xc_child_put(h);
    free(xce);
    return 0;
}

int xc_evtchn_fd(xc_evtchn *xce)
{
    if (!xce) {
        errno = EINVAL;
        return -1;
    }
    return xce->fd;
}

/* Every evtchn ioctl returns a port (binds) or 0; -errno on failure. */
static int evtchn_ioctl(xc_evtchn *xce, unsigned long req, void *arg,
                        const char *what)
{
    xc_interface *h = xce->h;
    long rc = h->ops->dev_ioctl(h->ctx, xce->fd, req, arg);

    if (rc < 0)
        return xc_fail(h, (int)-rc, "%s: %s", what, strerror((int)-rc));
    if (rc >= (long)XC_EVTCHN_NR_PORTS)
        return xc_fail(h, EIO, "%s: kernel returned port %ld", what, rc);
    return (int)rc;
}

static int port_check(xc_evtchn *xce, const char *what, uint32_t port)
{
    if (port == 0 || port >= XC_EVTCHN_NR_PORTS)
        return xc_fail(xce->h, EINVAL, "%s: port %u is not a valid event "
                       "channel (1..%u)", what, port, XC_EVTCHN_NR_PORTS - 1);
    return 0;
}

int xc_evtchn_bind_interdomain(xc_evtchn *xce, uint32_t domid,
                               uint32_t remote_port)
{
    struct xc_evtchn_bind_interdomain b = {
        .remote_domain = domid, .remote_port = remote_port,
    };
    char what[80];

    if (!xce)
        return errno = EINVAL, -1;
    snprintf(what, sizeof(what), "evtchn bind_interdomain(domain %u, port %u)",
             domid, remote_port);
    if (xc_check_domid(xce->h, what, domid) < 0 ||
        port_check(xce, what, remote_port) < 0)
        return -1;
    return evtchn_ioctl(xce, XC_IOCTL_EVTCHN_BIND_INTERDOMAIN, &b, what);
}

int xc_evtchn_bind_unbound_port(xc_evtchn *xce, uint32_t remote_domid)
{
    struct xc_evtchn_bind_unbound b = { .remote_domain = remote_domid };
    char what[64];

    if (!xce)
        return errno = EINVAL, -1;
    snprintf(what, sizeof(what), "evtchn bind_unbound_port(remote %u)",
             remote_domid);
    if (xc_check_domid(xce->h, what, remote_domid) < 0)
        return -1;
    return evtchn_ioctl(xce, XC_IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b, what);
}

int xc_evtchn_bind_virq(xc_evtchn *xce, uint32_t virq)
{
    struct xc_evtchn_bind_virq b = { .virq = virq };
    char what[48];

    if (!xce)
        return errno = EINVAL, -1;
    snprintf(what, sizeof(what), "evtchn bind_virq(%u)", virq);
    if (virq >= NR_VIRQS)
        return xc_fail(xce->h, EINVAL, "%s: no such virq (0..%u)", what,
                       NR_VIRQS - 1);
    return evtchn_ioctl(xce, XC_IOCTL_EVTCHN_BIND_VIRQ, &b, what);
}

static int port_ioctl(xc_evtchn *xce, unsigned long req, const char *name,
                      uint32_t port)
{
    struct xc_evtchn_port p = { .port = port };
    char what[48];

    if (!xce)
        return errno = EINVAL, -1;
    snprintf(what, sizeof(what), "evtchn %s(port %u)", name, port);
    if (port_check(xce, what, port) < 0)
        return -1;
    return evtchn_ioctl(xce, req, &p, what) < 0 ? -1 : 0;
}

int xc_evtchn_notify(xc_evtchn *xce, uint32_t port)
{
    return port_ioctl(xce, XC_IOCTL_EVTCHN_NOTIFY, "notify", port);
}

int xc_evtchn_unbind(xc_evtchn *xce, uint32_t port)
{
    return port_ioctl(xce, XC_IOCTL_EVTCHN_UNBIND, "unbind", port);
}

int xc_evtchn_pending(xc_evtchn *xce)
{
    xc_interface *h;
    uint32_t port;
    long n;

    if (!xce)
        return errno = EINVAL, -1;
    h = xce->h;
    n = h->ops->dev_read(h->ctx, xce->fd, &port, sizeof(port));
    if (n == -EAGAIN) {
        errno = EAGAIN;         /* the normal "nothing yet": not an error */
        return -1;
    }
    if (n < 0)
        return xc_fail(h, (int)-n, "evtchn pending: %s%s", strerror((int)-n),
                       n == -EFBIG ? " (event queue overflowed; events were "
                       "lost)" : "");
    if (n != sizeof(port))
        return xc_fail(h, EIO, "evtchn pending: short read of %ld bytes", n);
    if (port == 0 || port >= XC_EVTCHN_NR_PORTS)
        return xc_fail(h, EIO, "evtchn pending: kernel reported port %u",
                       port);
    return (int)port;
}

int xc_evtchn_unmask(xc_evtchn *xce, uint32_t port)
{
    xc_interface *h;
    long n;

    if (!xce)
        return errno = EINVAL, -1;
    h = xce->h;
    if (port_check(xce, "evtchn unmask", port) < 0)
        return -1;
    n = h->ops->dev_write(h->ctx, xce->fd, &port, sizeof(port));
    if (n < 0)
        return xc_fail(h, (int)-n, "evtchn unmask(port %u): %s", port,
                       strerror((int)-n));
    if (n != sizeof(port))
        return xc_fail(h, EIO, "evtchn unmask(port %u): short write", port);
    return 0;
}
