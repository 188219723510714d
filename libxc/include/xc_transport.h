/*
 * xc_transport.h - the operating-system layer behind an xc_interface.
 *
 * libxc encodes every request itself (hypercall arguments, privcmd, evtchn
 * and gntdev ioctls) and hands it to this table, which only moves bytes:
 * open a device, ioctl, read, write, mmap, munmap, and allocate memory
 * that hypercalls may point at.  The real table (xc_linux.c) maps these
 * one-to-one onto Linux system calls; a test can pass its own table to
 * xc_interface_open_transport() and inspect exactly what libxc asked for.
 *
 * All functions return >= 0 on success and a negative errno on failure
 * (never -1 with errno), so a fake need not touch errno.
 */
#ifndef XC_TRANSPORT_H
#define XC_TRANSPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "xenctrl.h"

#ifdef __cplusplus
extern "C" {
#endif

enum xc_device {
    XC_DEV_PRIVCMD,      /* /dev/xen/privcmd: hypercalls, foreign maps    */
    XC_DEV_EVTCHN,       /* /dev/xen/evtchn                               */
    XC_DEV_GNTDEV,       /* /dev/xen/gntdev                               */
};

struct xc_transport_ops {
    const char *name;

    /* A descriptor for dev, or -errno. */
    int  (*dev_open)(void *ctx, enum xc_device dev);
    void (*dev_close)(void *ctx, int fd);
    /* The ioctl's non-negative result, or -errno. */
    long (*dev_ioctl)(void *ctx, int fd, unsigned long request, void *arg);
    long (*dev_read)(void *ctx, int fd, void *buf, size_t len);
    long (*dev_write)(void *ctx, int fd, const void *buf, size_t len);
    /* MAP_SHARED mapping of fd at offset; 0 and *addr set, or -errno. */
    int  (*dev_mmap)(void *ctx, int fd, size_t len, int prot, off_t offset,
                     void **addr);
    int  (*dev_munmap)(void *ctx, void *addr, size_t len);

    /* Memory a hypercall may point at (never paged out while in use);
     * len is a multiple of the page size.  NULL on failure. */
    void *(*buf_alloc)(void *ctx, size_t len);
    void  (*buf_free)(void *ctx, void *buf, size_t len);

    /* Called by xc_interface_close after the privcmd descriptor is
     * closed; may be NULL. */
    void (*destroy)(void *ctx);
};

/* Open a handle on an arbitrary transport.  It opens XC_DEV_PRIVCMD at
 * once; on failure it returns NULL with errno set and calls destroy. */
xc_interface *xc_interface_open_transport(const struct xc_transport_ops *ops,
                                          void *ctx);

/* The Linux transport, for callers that want to wrap it.  *ctx receives
 * its state (owned by the returned table's destroy). */
const struct xc_transport_ops *xc_linux_transport(void **ctx);

#ifdef __cplusplus
}
#endif

#endif /* XC_TRANSPORT_H */
