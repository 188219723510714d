/*
 * xc_gnttab.c - mapping other domains' grants through /dev/xen/gntdev:
 * reserve an mmap offset for a set of grant refs, then mmap it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_private.h"
#include "xc_linux_abi.h"

#define XC_GNTTAB_MAX_REFS 1024u

struct xc_gnttab {
    xc_interface *h;
    int fd;
};

xc_gnttab *xc_gnttab_open(xc_interface *h)
{
    xc_gnttab *xcg;
    int fd;

    if (!h) {
        errno = EINVAL;
        return NULL;
    }
    xcg = calloc(1, sizeof(*xcg));
    if (!xcg)
        return xc_fail_null(h, ENOMEM, "xc_gnttab_open: out of memory");
    fd = h->ops->dev_open(h->ctx, XC_DEV_GNTDEV);
    if (fd < 0) {
        free(xcg);
        return xc_fail_null(h, -fd, "xc_gnttab_open: cannot open the grant "
                            "device: %s%s", strerror(-fd),
                            fd == -ENOENT ? " (is the xen-gntdev module "
                            "loaded?)" : "");
    }
    xcg->h = h;
    xcg->fd = fd;
    xc_child_get(h);
    return xcg;
}

int xc_gnttab_close(xc_gnttab *xcg)
{
    xc_interface *h;

    if (!xcg) {
        errno = EINVAL;
        return -1;
    }
    h = xcg->h;
    h->ops->dev_close(h->ctx, xcg->fd);
    xc_child_put(h);
    free(xcg);
    return 0;
}

static int unmap_index(xc_gnttab *xcg, uint64_t index, uint32_t count)
{
    struct xc_gntdev_unmap_grant_ref u = { .index = index, .count = count };
    xc_interface *h = xcg->h;

    return (int)h->ops->dev_ioctl(h->ctx, xcg->fd,
                                  XC_IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
}

void *xc_gnttab_map_grant_refs(xc_gnttab *xcg, unsigned int count,
                               const uint32_t *domids, const uint32_t *refs,
                               int prot)
{
    struct xc_gntdev_map_grant_ref *m;
    xc_interface *h;
    void *addr = NULL;
    unsigned int i;
    size_t size;
    long rc;
    int mrc;

    if (!xcg) {
        errno = EINVAL;
        return NULL;
    }
    h = xcg->h;
    if (!domids || !refs)
        return xc_fail_null(h, EINVAL, "gnttab map: NULL domid or ref array");
    if (count == 0 || count > XC_GNTTAB_MAX_REFS)
        return xc_fail_null(h, EINVAL, "gnttab map: %u grants, must be "
                            "1..%u", count, XC_GNTTAB_MAX_REFS);
    if (prot & ~(PROT_READ | PROT_WRITE) || !(prot & PROT_READ))
        return xc_fail_null(h, EINVAL, "gnttab map: prot must be PROT_READ "
                            "or PROT_READ|PROT_WRITE");
    for (i = 0; i < count; i++)
        if (xc_check_domid(h, "gnttab map", domids[i]) < 0)
            return NULL;

    size = sizeof(*m) + (count - 1) * sizeof(m->refs[0]);
    m = calloc(1, size);
    if (!m)
        return xc_fail_null(h, ENOMEM, "gnttab map: out of memory");
    m->count = count;
    for (i = 0; i < count; i++) {
        m->refs[i].domid = domids[i];
        m->refs[i].ref = refs[i];
    }
    rc = h->ops->dev_ioctl(h->ctx, xcg->fd, XC_IOCTL_GNTDEV_MAP_GRANT_REF, m);
    if (rc < 0) {
        free(m);
        return xc_fail_null(h, (int)-rc, "gnttab map of %u grant(s) from "
                            "domain %u: %s", count, domids[0],
                            strerror((int)-rc));
    }
    /* The grants are mapped (and checked by the hypervisor) only now. */
    mrc = h->ops->dev_mmap(h->ctx, xcg->fd, (size_t)count * XC_PAGE_SIZE,
                           prot, (off_t)m->index, &addr);
    if (mrc < 0) {
        unmap_index(xcg, m->index, count);
        free(m);
        return xc_fail_null(h, -mrc, "gnttab map of %u grant(s) from domain "
                            "%u, ref %u: mmap failed: %s", count, domids[0],
                            refs[0], strerror(-mrc));
    }
    free(m);
    return addr;
}

void *xc_gnttab_map_grant_ref(xc_gnttab *xcg, uint32_t domid, uint32_t ref,
                              int prot)
{
    return xc_gnttab_map_grant_refs(xcg, 1, &domid, &ref, prot);
}

int xc_gnttab_unmap(xc_gnttab *xcg, void *addr, unsigned int count)
{
    struct xc_gntdev_get_offset_for_vaddr q = { 0 };
    xc_interface *h;
    long rc;

    if (!xcg)
        return errno = EINVAL, -1;
    h = xcg->h;
    if (!addr || count == 0 || count > XC_GNTTAB_MAX_REFS)
        return xc_fail(h, EINVAL, "gnttab unmap: bad address or count %u",
                       count);
    q.vaddr = (uint64_t)(uintptr_t)addr;
    rc = h->ops->dev_ioctl(h->ctx, xcg->fd,
                           XC_IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &q);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "gnttab unmap: %p is not a grant "
                       "mapping: %s", addr, strerror((int)-rc));
    if (q.count != count)
        return xc_fail(h, EINVAL, "gnttab unmap: mapping at %p has %u pages, "
                       "not %u", addr, q.count, count);
    rc = h->ops->dev_munmap(h->ctx, addr, (size_t)count * XC_PAGE_SIZE);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "gnttab unmap: munmap: %s",
                       strerror((int)-rc));
    rc = unmap_index(xcg, q.offset, count);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "gnttab unmap: releasing the grants: %s",
                       strerror((int)-rc));
    return 0;
}
