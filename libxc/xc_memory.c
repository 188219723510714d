/*
 * xc_memory.c - memory_op wrappers a toolstack needs to size and fill
 * another domain: reservations, populate_physmap and the limit queries.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xc_private.h"
#include "public/memory.h"

/* Upstream's number; our memory.h does not list it (yet). */
#ifndef XENMEM_maximum_gpfn
#define XENMEM_maximum_gpfn 14
#endif

/* Bounds that keep one call's bounce buffer sane (8 MiB of frames). */
#define XC_MAX_EXTENTS       (1ul << 20)
#define XC_MAX_EXTENT_ORDER  18

static long reservation_op(xc_interface *h, unsigned int cmd,
                           const char *name, uint32_t domid,
                           unsigned long nr_extents,
                           unsigned int extent_order,
                           uint64_t *extents, int copy_in, int copy_out)
{
    struct xc_hbuf rbuf, abuf;
    struct xen_memory_reservation *r;
    size_t bytes = nr_extents * sizeof(uint64_t);
    char what[64];
    long rc;

    snprintf(what, sizeof(what), "%s(domain %u)", name, domid);
    if (!extents)
        return xc_fail(h, EINVAL, "%s: NULL extent array", what);
    if (nr_extents == 0 || nr_extents > XC_MAX_EXTENTS)
        return xc_fail(h, EINVAL, "%s: %lu extents, must be 1..%lu", what,
                       nr_extents, XC_MAX_EXTENTS);
    if (extent_order > XC_MAX_EXTENT_ORDER)
        return xc_fail(h, EINVAL, "%s: extent order %u is above %u", what,
                       extent_order, XC_MAX_EXTENT_ORDER);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &rbuf, sizeof(*r)) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &abuf, bytes) < 0) {
        xc_hbuf_free(h, &rbuf);
        return -1;
    }
    if (copy_in)
        memcpy(abuf.p, extents, bytes);
    r = rbuf.p;
    r->extent_start.va = xc_hbuf_va(&abuf);
    r->nr_extents = nr_extents;
    r->extent_order = extent_order;
    r->mem_flags = 0;
    r->domid = (domid_t)domid;

    rc = xc_hypercall(h, __HYPERVISOR_memory_op, cmd, xc_hbuf_va(&rbuf),
                      0, 0, 0);
    if (rc >= 0 && (unsigned long)rc > nr_extents)
        rc = xc_fail(h, EIO, "%s: hypervisor claims %ld of %lu extents",
                     what, rc, nr_extents);
    else if (rc < 0)
        rc = xc_fail(h, (int)-rc, "%s: %s", what, strerror((int)-rc));
    else if (copy_out)
        memcpy(extents, abuf.p, (size_t)rc * sizeof(uint64_t));
    xc_hbuf_free(h, &abuf);
    xc_hbuf_free(h, &rbuf);
    return rc;
}

long xc_domain_increase_reservation(xc_interface *h, uint32_t domid,
                                    unsigned long nr_extents,
                                    unsigned int extent_order,
                                    uint64_t *extents)
{
    return reservation_op(h, XENMEM_increase_reservation,
                          "increase_reservation", domid, nr_extents,
                          extent_order, extents, 0, 1);
}

long xc_domain_decrease_reservation(xc_interface *h, uint32_t domid,
                                    unsigned long nr_extents,
                                    unsigned int extent_order,
                                    const uint64_t *extents)
{
    /* copy_out is 0, so the array is only read. */
    return reservation_op(h, XENMEM_decrease_reservation,
                          "decrease_reservation", domid, nr_extents,
                          extent_order, (uint64_t *)extents, 1, 0);
}

long xc_domain_populate_physmap(xc_interface *h, uint32_t domid,
                                unsigned long nr_extents,
                                unsigned int extent_order,
                                uint64_t *extents)
{
    return reservation_op(h, XENMEM_populate_physmap, "populate_physmap",
                          domid, nr_extents, extent_order, extents, 1, 1);
}

int xc_domain_populate_physmap_exact(xc_interface *h, uint32_t domid,
                                     unsigned long nr_extents,
                                     unsigned int extent_order,
                                     uint64_t *extents)
{
    long done = xc_domain_populate_physmap(h, domid, nr_extents,
                                           extent_order, extents);

    if (done < 0)
        return -1;
    if ((unsigned long)done != nr_extents)
        return xc_fail(h, ENOMEM, "populate_physmap(domain %u): only %ld of "
                       "%lu extents populated", domid, done, nr_extents);
    return 0;
}

/* Ops whose argument is a pointer to one domid_t and whose answer is the
 * hypercall's return value. */
static int domid_query(xc_interface *h, unsigned int cmd, const char *name,
                       uint32_t domid, uint64_t *out)
{
    struct xc_hbuf buf;
    char what[64];
    long rc;

    snprintf(what, sizeof(what), "%s(domain %u)", name, domid);
    if (!out)
        return xc_fail(h, EINVAL, "%s: NULL result", what);
    if (xc_check_domid(h, what, domid) < 0)
        return -1;
    if (xc_hbuf_alloc(h, &buf, sizeof(domid_t)) < 0)
        return -1;
    *(domid_t *)buf.p = (domid_t)domid;
    rc = xc_hypercall(h, __HYPERVISOR_memory_op, cmd, xc_hbuf_va(&buf),
                      0, 0, 0);
    xc_hbuf_free(h, &buf);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "%s: %s", what, strerror((int)-rc));
    *out = (uint64_t)rc;
    return 0;
}

int xc_domain_current_reservation(xc_interface *h, uint32_t domid,
                                  uint64_t *pages)
{
    return domid_query(h, XENMEM_current_reservation, "current_reservation",
                       domid, pages);
}

int xc_domain_maximum_gpfn(xc_interface *h, uint32_t domid, uint64_t *gpfn)
{
    return domid_query(h, XENMEM_maximum_gpfn, "maximum_gpfn", domid, gpfn);
}

int xc_maximum_ram_page(xc_interface *h, uint64_t *mfn)
{
    long rc;

    if (!mfn)
        return xc_fail(h, EINVAL, "maximum_ram_page: NULL result");
    rc = xc_hypercall(h, __HYPERVISOR_memory_op, XENMEM_maximum_ram_page,
                      0, 0, 0, 0);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "maximum_ram_page: %s",
                       strerror((int)-rc));
    *mfn = (uint64_t)rc;
    return 0;
}
