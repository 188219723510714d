/*
 * xc_linux.c - the real transport: Linux 6.1's /dev/xen device nodes.
 *
 * Hypercall buffers: the hypervisor reads hypercall arguments through
 * dom0's page tables while the privcmd ioctl runs, so they must be present
 * and must not move.  Linux 6.1's xen-privcmd module also provides
 * /dev/xen/hypercall, whose mmap()ed pages are kernel-allocated and never
 * swapped or migrated; we use it when it exists.  Without it we fall back
 * to anonymous mmap + mlock, which keeps pages resident (enough for our
 * hypervisor, which faults nothing in) but does not stop page migration.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xc_private.h"

#define PRIVCMD_PATH    "/dev/xen/privcmd"
#define HYPERCALL_PATH  "/dev/xen/hypercall"
#define EVTCHN_PATH     "/dev/xen/evtchn"
#define GNTDEV_PATH     "/dev/xen/gntdev"

struct linux_ctx {
    int hypercall_fd;           /* -1: use mlock'd anonymous memory */
};

static int linux_dev_open(void *ctx, enum xc_device dev)
{
    const char *path;
    int fd;

    (void)ctx;
    switch (dev) {
    case XC_DEV_PRIVCMD: path = PRIVCMD_PATH; break;
    case XC_DEV_EVTCHN:  path = EVTCHN_PATH;  break;
    case XC_DEV_GNTDEV:  path = GNTDEV_PATH;  break;
    default:             return -EINVAL;
    }
    fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static void linux_dev_close(void *ctx, int fd)
{
    (void)ctx;
    close(fd);
}

static long linux_dev_ioctl(void *ctx, int fd, unsigned long req, void *arg)
{
    int rc;

    (void)ctx;
    rc = ioctl(fd, req, arg);
    return rc < 0 ? -errno : rc;
}

static long linux_dev_read(void *ctx, int fd, void *buf, size_t len)
{
    ssize_t n;

    (void)ctx;
    do
        n = read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (long)n;
}

static long linux_dev_write(void *ctx, int fd, const void *buf, size_t len)
{
    ssize_t n;

    (void)ctx;
    do
        n = write(fd, buf, len);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (long)n;
}

static int linux_dev_mmap(void *ctx, int fd, size_t len, int prot,
                          off_t offset, void **addr)
{
    void *p;

    (void)ctx;
    p = mmap(NULL, len, prot, MAP_SHARED, fd, offset);
    if (p == MAP_FAILED)
        return -errno;
    *addr = p;
    return 0;
}

static int linux_dev_munmap(void *ctx, void *addr, size_t len)
{
    (void)ctx;
    return munmap(addr, len) < 0 ? -errno : 0;
}

static void *linux_buf_alloc(void *ctx, size_t len)
{
    struct linux_ctx *lc = ctx;
    void *p;

    if (lc->hypercall_fd >= 0) {
        p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
                 lc->hypercall_fd, 0);
        return p == MAP_FAILED ? NULL : p;
    }
    p = mmap(NULL, len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (mlock(p, len) < 0) {
        munmap(p, len);
        return NULL;
    }
    return p;
}

static void linux_buf_free(void *ctx, void *buf, size_t len)
{
    struct linux_ctx *lc = ctx;

    if (lc->hypercall_fd < 0)
        munlock(buf, len);
    munmap(buf, len);
}

static void linux_destroy(void *ctx)
{
    struct linux_ctx *lc = ctx;

    if (lc->hypercall_fd >= 0)
        close(lc->hypercall_fd);
    free(lc);
}

static const struct xc_transport_ops linux_ops = {
    .name = "linux",
    .dev_open = linux_dev_open,
    .dev_close = linux_dev_close,
    .dev_ioctl = linux_dev_ioctl,
    .dev_read = linux_dev_read,
    .dev_write = linux_dev_write,
    .dev_mmap = linux_dev_mmap,
    .dev_munmap = linux_dev_munmap,
    .buf_alloc = linux_buf_alloc,
    .buf_free = linux_buf_free,
    .destroy = linux_destroy,
};

const struct xc_transport_ops *xc_linux_transport(void **ctx)
{
    struct linux_ctx *lc = malloc(sizeof(*lc));

    if (!lc)
        return NULL;
    /* Optional: older kernels and non-Xen hosts lack it. */
    lc->hypercall_fd = open(HYPERCALL_PATH, O_RDWR | O_CLOEXEC);
    *ctx = lc;
    return &linux_ops;
}

xc_interface *xc_interface_open(void)
{
    const struct xc_transport_ops *ops;
    xc_interface *h;
    void *ctx;
    int err;

    ops = xc_linux_transport(&ctx);
    if (!ops) {
        xc_set_open_error("xc_interface_open: out of memory");
        errno = ENOMEM;
        return NULL;
    }
    h = xc_interface_open_transport(ops, ctx);
    if (h)
        return h;
    err = errno;
    if (err == ENOENT)
        xc_set_open_error("xc_interface_open: " PRIVCMD_PATH " does not "
                          "exist: not running in dom0 under our hypervisor, "
                          "or the xen-privcmd module is not loaded");
    else if (err == EACCES || err == EPERM)
        xc_set_open_error("xc_interface_open: " PRIVCMD_PATH ": %s (the "
                          "toolstack must run as root)", strerror(err));
    else
        xc_set_open_error("xc_interface_open: " PRIVCMD_PATH ": %s",
                          strerror(err));
    errno = err;
    return NULL;
}
