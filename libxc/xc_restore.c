/*
 * xc_restore.c - recreate a PV domU from a file written by xc_save.c.
 * The whole file is read and checked first, so a corrupt or truncated
 * file is refused before any domain exists.  Then: a new paused domain,
 * its memory, the pages written back with PFNs turned into the new
 * machine frames, page tables pinned bottom-up, fresh console/store event
 * channels in start_info, vCPU contexts loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_private.h"
#include "xc_dom_image.h"
#include "xc_save_image.h"
#include "public/arch-x86_64.h"

#define PTE_PRESENT  1ull
#define PTE_FRAME    0x000FFFFFFFFFF000ull
#define PAGE         XC_PAGE_SIZE
#define FILE_MAX     (1ull << 34)

static int new_frame(xc_interface *h, const struct xc_save_image *im, uint64_t pfn,
                     const char *what, uint64_t *mfn)
{
    if (pfn >= im->hdr.nr_pages)
        return xc_fail(h, EINVAL, "restore: %s names pfn %#llx, beyond the "
                       "domain's %llu pages", what, (unsigned long long)pfn,
                       (unsigned long long)im->hdr.nr_pages);
    *mfn = im->new_p2m[pfn];
    return 0;
}

/* PFNs -> new machine frames in every page table, start_info, p2m list. */
static int remachine(xc_interface *h, struct xc_save_image *im, uint64_t shinfo,
                     uint32_t console_port, uint32_t store_port)
{
    struct start_info *si = (struct start_info *)
        (im->mem + im->hdr.start_info_pfn * PAGE);
    uint64_t pfn, i, n = im->hdr.nr_pages;

    for (pfn = 0; pfn < n; pfn++) {
        unsigned t = im->types[pfn] & 0x7f;
        uint64_t *pte = (uint64_t *)(im->mem + pfn * PAGE);

        if (pfn % 4096 == 0)
            xc_report_progress(h, pfn / 2, n);  /* first half: rewriting */
        if (t < 1 || t > 4)
            continue;
        for (i = 0; i < PAGE / 8; i++) {
            uint64_t to = 0, f;
            if (!(pte[i] & PTE_PRESENT))
                continue;
            f = (pte[i] & PTE_FRAME) >> 12;
            if (f == XC_SAVE_PFN_SHINFO)
                to = shinfo;
            else if (new_frame(h, im, f, "a page-table entry", &to) < 0)
                return -1;
            pte[i] = (pte[i] & ~PTE_FRAME) | (to << 12);
        }
    }
    si->shared_info = shinfo << 12;
    if (si->store_mfn &&
        new_frame(h, im, si->store_mfn, "start_info's store ring",
                  &si->store_mfn) < 0)
        return -1;
    if (si->console.domU.mfn &&
        new_frame(h, im, si->console.domU.mfn, "start_info's console ring",
                  &si->console.domU.mfn) < 0)
        return -1;
    si->console.domU.evtchn = console_port;
    si->store_evtchn = si->store_mfn ? store_port : 0;
    for (i = 0; i < n; i++) {
        uint64_t *list = (uint64_t *)(im->mem +
                                      im->p2m_frames[i / (PAGE / 8)] * PAGE);
        list[i % (PAGE / 8)] = im->new_p2m[i];
    }
    return 0;
}

static int pin(xc_interface *h, uint32_t domid, unsigned level, uint64_t mfn)
{
    struct xc_hbuf b;
    struct mmuext_op *op;
    long rc;

    if (xc_hbuf_alloc(h, &b, sizeof(*op)) < 0)
        return -1;
    op = b.p;
    memset(op, 0, sizeof(*op));
    op->cmd = MMUEXT_PIN_L1_TABLE + (level - 1);
    op->arg1.mfn = mfn;
    rc = xc_hypercall(h, __HYPERVISOR_mmuext_op, xc_hbuf_va(&b), 1, 0,
                      domid, 0);
    xc_hbuf_free(h, &b);
    if (rc < 0)
        return xc_fail(h, (int)-rc, "restore: mmuext_op PIN_L%u_TABLE of "
                       "frame %#llx (foreigndom %u) failed: %s", level,
                       (unsigned long long)mfn, domid, strerror((int)-rc));
    return 0;
}

static int load_vcpus(xc_interface *h, uint32_t domid, struct xc_save_image *im)
{
    uint32_t v;
    unsigned i;

    for (v = 0; v < im->hdr.nr_vcpus; v++) {
        struct vcpu_guest_context *c = &im->vcpu[v];
        uint64_t mfn = 0;

        if (!(c->flags & VGCF_online))
            continue;
        if (new_frame(h, im, xen_cr3_to_pfn(c->ctrlreg[3]), "cr3", &mfn) < 0)
            return -1;
        c->ctrlreg[3] = xen_pfn_to_cr3(mfn);
        if (c->ctrlreg[1]) {
            if (new_frame(h, im, xen_cr3_to_pfn(c->ctrlreg[1]), "user cr3",
                          &mfn) < 0)
                return -1;
            c->ctrlreg[1] = xen_pfn_to_cr3(mfn);
        }
        for (i = 0; i < (c->gdt_ents + 511) / 512 && i < 16; i++)
            if (new_frame(h, im, c->gdt_frames[i], "a GDT frame",
                          &c->gdt_frames[i]) < 0)
                return -1;
        if (xc_vcpu_setcontext(h, domid, v, c) < 0)
            return -1;
    }
    return 0;
}

static int rebuild(xc_interface *h, struct xc_save_image *im, uint32_t domid,
                   xc_restore_result_t *out)
{
    uint64_t n = im->hdr.nr_pages, pfn;
    struct start_info *si;
    xc_dominfo_t info;
    long cport, sport = 0;
    unsigned level;
    uint8_t *map;

    im->new_p2m = malloc(n * 8);
    if (!im->new_p2m)
        return xc_fail(h, ENOMEM, "restore: out of memory");
    for (pfn = 0; pfn < n; pfn++)
        im->new_p2m[pfn] = pfn;
    if (xc_domain_populate_physmap_exact(h, domid, n, 0, im->new_p2m) < 0 ||
        xc_domain_getinfo(h, domid, &info) < 0)
        return -1;
    si = (struct start_info *)(im->mem + im->hdr.start_info_pfn * PAGE);
    if (si->store_mfn && (sport = xc_evtchn_alloc_unbound(h, domid, 0)) < 0)
        return -1;
    if ((cport = xc_evtchn_alloc_unbound(h, domid, 0)) < 0)
        return -1;
    if (remachine(h, im, info.shared_info_frame, (uint32_t)cport,
                  (uint32_t)sport) < 0)
        return -1;
    map = xc_map_foreign_pages(h, domid, PROT_READ | PROT_WRITE,
                               im->new_p2m, (unsigned)n);
    if (!map)
        return -1;
    xc_report_progress(h, n / 2, n);
    memcpy(map, im->mem, n * PAGE);
    xc_unmap_foreign(h, map, (unsigned)n);
    for (level = 1; level <= 4; level++)
        for (pfn = 0; pfn < n; pfn++)
            if ((im->types[pfn] & 0x7f) == level &&
                (im->types[pfn] & XC_SAVE_TYPE_PINNED) &&
                pin(h, domid, level, im->new_p2m[pfn]) < 0)
                return -1;
    if (load_vcpus(h, domid, im) < 0)
        return -1;
    xc_report_progress(h, n, n);
    out->domid = domid;
    out->console_port = (uint32_t)cport;
    out->store_port = (uint32_t)sport;
    out->console_mfn = si->console.domU.mfn;
    out->store_mfn = si->store_mfn;
    out->nr_pages = n;
    out->start_info_va = im->hdr.start_info_va;
    return 0;
}

int xc_domain_restore(xc_interface *h, const char *path, uint32_t domid,
                      const uint8_t *handle, bool paused,
                      xc_restore_result_t *out)
{
    xc_domain_create_args_t args;
    struct xc_save_image im;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = -1, gz;
    char err[256];

    memset(&im, 0, sizeof(im));
    memset(out, 0, sizeof(*out));
    rc = xc_dom_read_file(path, 0, FILE_MAX, &buf, &len, &gz, err,
                          sizeof(err));
    if (rc != 0)
        return xc_fail(h, rc, "restore: %s", err);
    rc = -1;
    if (xc_save_parse(h, path, buf, len, &im) < 0)
        goto out;
    memset(&args, 0, sizeof(args));
    args.domid = domid;
    args.max_pages = im.hdr.nr_pages;
    args.max_vcpus = im.hdr.nr_vcpus;
    if (handle)
        memcpy(args.handle, handle, sizeof(args.handle));
    if (xc_domain_create(h, &args, &domid) < 0)
        goto out;
    if (rebuild(h, &im, domid, out) < 0 ||
        (!paused && xc_domain_unpause(h, domid) < 0)) {
        int e = xc_last_errno(h);
        char *msg = strdup(xc_last_error(h));
        xc_domain_destroy(h, domid);
        xc_fail(h, e ? e : EIO, "%s (the new domain %u was destroyed)",
                msg ? msg : "restore failed", domid);
        free(msg);
        goto out;
    }
    out->guest_id = im.guest_id;
    im.guest_id = NULL;
    out->version = im.hdr.version;
    out->nr_vcpus = im.hdr.nr_vcpus;
    out->toolstack = im.toolstack;
    out->toolstack_len = im.toolstack_len;
    im.toolstack = NULL;
    rc = 0;
out:
    free(buf);
    xc_save_image_free(&im);
    return rc;
}
