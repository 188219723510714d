/*
 * xc_foreign.c - mapping another domain's machine frames into this
 * process: an mmap of privcmd filled by IOCTL_PRIVCMD_MMAPBATCH_V2, which
 * reports success or an errno for every page separately.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_private.h"
#include "xc_linux_abi.h"

#define XC_FOREIGN_MAX_PAGES (1u << 20)

void *xc_map_foreign_bulk(xc_interface *h, uint32_t domid, int prot,
                          const uint64_t *mfns, int *errs, unsigned int num)
{
    struct xc_privcmd_mmapbatch_v2 batch = { 0 };
    size_t len = (size_t)num * XC_PAGE_SIZE;
    void *addr = NULL;
    char what[64];
    long rc;
    int mrc;

    snprintf(what, sizeof(what), "map_foreign(domain %u, %u pages)",
             domid, num);
    if (!mfns || !errs)
        return xc_fail_null(h, EINVAL, "%s: NULL frame or error array", what);
    if (num == 0 || num > XC_FOREIGN_MAX_PAGES)
        return xc_fail_null(h, EINVAL, "%s: page count must be 1..%u", what,
                            XC_FOREIGN_MAX_PAGES);
    if (prot & ~(PROT_READ | PROT_WRITE))
        return xc_fail_null(h, EINVAL, "%s: prot 0x%x has bits other than "
                            "PROT_READ|PROT_WRITE", what, (unsigned)prot);
    if (domid != DOMID_XEN && xc_check_domid(h, what, domid) < 0)
        return NULL;

    mrc = h->ops->dev_mmap(h->ctx, h->privcmd_fd, len, prot, 0, &addr);
    if (mrc < 0)
        return xc_fail_null(h, -mrc, "%s: mmap of privcmd failed: %s", what,
                            strerror(-mrc));
    batch.num = num;
    batch.dom = (uint16_t)domid;
    batch.addr = (uint64_t)(uintptr_t)addr;
    batch.arr = mfns;
    batch.err = errs;
    rc = h->ops->dev_ioctl(h->ctx, h->privcmd_fd,
                           XC_IOCTL_PRIVCMD_MMAPBATCH_V2, &batch);
    /* ENOENT means "some pages are paged out": errs says which. */
    if (rc < 0 && rc != -ENOENT) {
        h->ops->dev_munmap(h->ctx, addr, len);
        return xc_fail_null(h, (int)-rc, "%s: %s", what, strerror((int)-rc));
    }
    return addr;
}

void *xc_map_foreign_pages(xc_interface *h, uint32_t domid, int prot,
                           const uint64_t *mfns, unsigned int num)
{
    unsigned int i;
    int *errs;
    void *addr;

    if (num == 0 || num > XC_FOREIGN_MAX_PAGES || !mfns)
        return xc_fail_null(h, EINVAL, "map_foreign(domain %u): bad frame "
                            "array or page count %u", domid, num);
    errs = calloc(num, sizeof(*errs));
    if (!errs)
        return xc_fail_null(h, ENOMEM, "map_foreign: out of memory");
    addr = xc_map_foreign_bulk(h, domid, prot, mfns, errs, num);
    if (!addr) {
        free(errs);
        return NULL;
    }
    for (i = 0; i < num; i++) {
        if (errs[i] == 0)
            continue;
        xc_fail(h, -errs[i] > 0 ? -errs[i] : EIO,
                "map_foreign(domain %u): page %u (frame 0x%llx) could not "
                "be mapped: %s", domid, i, (unsigned long long)mfns[i],
                strerror(-errs[i]));
        h->ops->dev_munmap(h->ctx, addr, (size_t)num * XC_PAGE_SIZE);
        free(errs);
        errno = xc_last_errno(h);
        return NULL;
    }
    free(errs);
    return addr;
}

int xc_unmap_foreign(xc_interface *h, void *addr, unsigned int num)
{
    int rc;

    if (!addr || num == 0 || num > XC_FOREIGN_MAX_PAGES)
        return xc_fail(h, EINVAL, "unmap_foreign: bad address or page count "
                       "%u", num);
    rc = h->ops->dev_munmap(h->ctx, addr, (size_t)num * XC_PAGE_SIZE);
    if (rc < 0)
        return xc_fail(h, -rc, "unmap_foreign: %s", strerror(-rc));
    return 0;
}
