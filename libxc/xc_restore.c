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
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "xc_private.h"
#include "xc_dom_image.h"
#include "xc_save_image.h"
#include "xc_save_identity.h"
#include "public/arch-x86_64.h"

#define PTE_PRESENT  1ull
#define PTE_FRAME    0x000FFFFFFFFFF000ull
#define PAGE         XC_PAGE_SIZE
#define FILE_MAX     (1ull << 34)

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

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

struct fixup {
    uint64_t shinfo;
    uint32_t console_port, store_port;
    int32_t *p2m_slot;          /* pfn -> index in p2m_frames, or -1 */
    uint64_t console_mfn, store_mfn;   /* the new ones, for the caller */
    uint64_t copied;            /* frames written by copyframes */
    uint64_t skipped;           /* left as populate gave them (zero) */
};

/* PFNs -> new machine frames in one page-table page (at pte). */
static int remachine_table(xc_interface *h, struct xc_save_image *im,
                           uint64_t *pte, uint64_t shinfo)
{
    uint64_t i, to = 0, f;

    for (i = 0; i < PAGE / 8; i++) {
        if (!(pte[i] & PTE_PRESENT))
            continue;
        f = (pte[i] & PTE_FRAME) >> 12;
        if (f == XC_SAVE_PFN_SHINFO)
            to = shinfo;
        else if (new_frame(h, im, f, "a page-table entry", &to) < 0)
            return -1;
        pte[i] = (pte[i] & ~PTE_FRAME) | (to << 12);
    }
    return 0;
}

/* What one page needs after its saved bytes are in place (pg, mapped in
 * the new domain): page tables and start_info get the new frames, the
 * guest's p2m list pages the new p2m. */
static int fix_page(xc_interface *h, struct xc_save_image *im,
                    struct fixup *fx, uint64_t pfn, uint8_t *pg)
{
    unsigned t = im->types[pfn] & 0x7f;
    int32_t slot = fx->p2m_slot[pfn];

    if (t >= 1 && t <= 4 &&
        remachine_table(h, im, (uint64_t *)pg, fx->shinfo) < 0)
        return -1;
    if (pfn == im->hdr.start_info_pfn) {
        struct start_info *si = (struct start_info *)pg;

        si->shared_info = fx->shinfo << 12;
        if (si->store_mfn &&
            new_frame(h, im, si->store_mfn, "start_info's store ring",
                      &si->store_mfn) < 0)
            return -1;
        if (si->console.domU.mfn &&
            new_frame(h, im, si->console.domU.mfn, "start_info's console "
                      "ring", &si->console.domU.mfn) < 0)
            return -1;
        si->console.domU.evtchn = fx->console_port;
        si->store_evtchn = si->store_mfn ? fx->store_port : 0;
        fx->console_mfn = si->console.domU.mfn;
        fx->store_mfn = si->store_mfn;
    }
    while (slot >= 0) {
        /* A list page may be named by several slots in a hostile file:
         * each gets its part (the chain runs through p2m_next). */
        uint64_t *list = (uint64_t *)pg, i0 = (uint64_t)slot * (PAGE / 8), i;

        for (i = i0; i < im->hdr.nr_pages && i < i0 + PAGE / 8; i++)
            list[i - i0] = im->new_p2m[i];
        slot = fx->p2m_slot[im->hdr.nr_pages + (uint64_t)slot];
    }
    return 0;
}

/*
 * Write every page record into the new domain: map its run of new
 * frames (one mmapbatch), put each page's bytes (or zeroes for a page
 * the file left out) and fix it up.  Compressed data is decoded into one
 * record's worth of scratch; raw data is copied straight from the file.
 */
/* Whether pfn's saved bytes are changed on the way in (fix_page). */
static bool needs_fix(const struct xc_save_image *im, const struct fixup *fx,
                      uint64_t pfn)
{
    unsigned t = im->types[pfn] & 0x7f;

    return (t >= 1 && t <= 4) || pfn == im->hdr.start_info_pfn ||
           fx->p2m_slot[pfn] >= 0;
}

/*
 * One record through copyframes, XC_COPIER_FRAMES pages at a time: each
 * page's bytes into the copier's buffer (pages the file left out are
 * zeroed by the hypervisor, unless they need fixing), fixed there, then
 * written into the frames.  1: the hypervisor has no copyframes (nothing
 * written yet), 0 done, -1 failed.
 */
static int copy_record(xc_interface *h, struct xc_save_image *im,
                       uint32_t domid, struct fixup *fx, struct xc_copier *cp,
                       const struct xc_save_prec *rec, const uint8_t *src,
                       double *t_map, double *t_copy)
{
    uint32_t i = 0, k = 0, j, n, nzero;
    uint8_t *data = cp->data.p, *zero = cp->zero.p;
    double t;

    for (i = 0; i < rec->count; i += n) {
        uint64_t first = rec->first + i;

        n = rec->count - i < XC_COPIER_FRAMES ? rec->count - i :
            XC_COPIER_FRAMES;
        t = now_s();
        for (j = 0, nzero = 0; j < n; j++) {
            uint8_t *pg = data + (size_t)j * PAGE;
            uint32_t b = i + j;

            zero[j] = 0;
            if (!rec->bitmap || (rec->bitmap[b / 8] >> (b % 8) & 1))
                memcpy(pg, src + (size_t)k++ * PAGE, PAGE);
            else if (needs_fix(im, fx, first + j))
                memset(pg, 0, PAGE);
            else {
                zero[j] = 1;
                nzero++;
                continue;
            }
            if (fix_page(h, im, fx, first + j, pg) < 0)
                return -1;
        }
        *t_copy += now_s() - t;
        /* The frames came from populate_physmap, which hands out zeroed
         * frames only (security-model.md, invariant 14): a run the file
         * left all zero is already right.  Zeroing it again was 200 MiB
         * of memset for a booted 256 MiB Linux guest. */
        if (nzero == n) {
            fx->skipped += n;
            continue;
        }
        t = now_s();
        if (xc_copier_run(h, cp, domid, true, im->new_p2m + first, n) < 0) {
            if (errno == ENOSYS && fx->copied == 0) {
                xc_clear_last_error(h);
                return 1;
            }
            return -1;
        }
        fx->copied += n;
        *t_map += now_s() - t;
    }
    return 0;
}

static int write_pages(xc_interface *h, struct xc_save_image *im,
                       uint32_t domid, struct fixup *fx, double *t_map,
                       double *t_copy)
{
    uint8_t *scratch = NULL;
    struct xc_copier cp;
    bool use_copy = true;
    size_t r;
    int rc = -1;

    if (xc_copier_open(h, &cp) < 0)
        return -1;
    for (r = 0; r < im->nr_recs; r++) {
        const struct xc_save_prec *rec = &im->recs[r];
        const uint8_t *src = rec->data;
        uint8_t *map;
        uint32_t i, k = 0;
        double t;

        if (rec->codec != XC_SAVE_CODEC_NONE) {
            if (!scratch &&
                !(scratch = malloc((size_t)XC_SAVE_REC_MAX_PAGES * PAGE))) {
                xc_fail(h, ENOMEM, "restore: out of memory");
                goto out;
            }
            if (xc_save_prec_decode(h, rec, scratch) < 0)
                goto out;
            src = scratch;
        }
        if (use_copy) {
            int c = copy_record(h, im, domid, fx, &cp, rec, src, t_map,
                                t_copy);

            if (c < 0)
                goto out;
            if (c == 0) {
                xc_report_progress(h, rec->first + rec->count,
                                   im->hdr.nr_pages);
                continue;
            }
            use_copy = false;       /* no copyframes: map the frames */
        }
        t = now_s();
        map = xc_map_foreign_pages(h, domid, PROT_READ | PROT_WRITE,
                                   im->new_p2m + rec->first, rec->count);
        *t_map += now_s() - t;
        if (!map)
            goto out;
        t = now_s();
        for (i = 0; i < rec->count; i++) {
            uint8_t *pg = map + (size_t)i * PAGE;

            if (!rec->bitmap || (rec->bitmap[i / 8] >> (i % 8) & 1))
                memcpy(pg, src + (size_t)k++ * PAGE, PAGE);
            else
                memset(pg, 0, PAGE);    /* new frames are not scrubbed */
            if (fix_page(h, im, fx, rec->first + i, pg) < 0) {
                xc_unmap_foreign(h, map, rec->count);
                goto out;
            }
        }
        *t_copy += now_s() - t;
        t = now_s();
        xc_unmap_foreign(h, map, rec->count);
        *t_map += now_s() - t;
        xc_report_progress(h, rec->first + rec->count, im->hdr.nr_pages);
    }
    rc = 0;
out:
    xc_copier_close(h, &cp);
    free(scratch);
    return rc;
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
    uint64_t n = im->hdr.nr_pages, pfn, k;
    struct fixup fx;
    xc_dominfo_t info;
    long cport, sport = 0;
    unsigned level;
    double t0 = now_s(), t_pop, t_map = 0, t_copy = 0, t_pin;
    int rc = -1;

    memset(&fx, 0, sizeof(fx));
    im->new_p2m = malloc(n * 8);
    /* p2m_slot: first n entries per pfn, then a chain per slot. */
    fx.p2m_slot = malloc((n + im->nr_p2m_frames) * sizeof(int32_t));
    if (!im->new_p2m || !fx.p2m_slot) {
        xc_fail(h, ENOMEM, "restore: out of memory");
        goto out;
    }
    for (pfn = 0; pfn < n + im->nr_p2m_frames; pfn++)
        fx.p2m_slot[pfn] = -1;
    for (k = 0; k < im->nr_p2m_frames; k++) {
        fx.p2m_slot[n + k] = fx.p2m_slot[im->p2m_frames[k]];
        fx.p2m_slot[im->p2m_frames[k]] = (int32_t)k;
    }
    for (pfn = 0; pfn < n; pfn++)
        im->new_p2m[pfn] = pfn;
    if (xc_domain_populate_physmap_exact(h, domid, n, 0, im->new_p2m) < 0 ||
        xc_domain_getinfo(h, domid, &info) < 0)
        goto out;
    t_pop = now_s() - t0;
    if (im->start_info_store &&
        (sport = xc_evtchn_alloc_unbound(h, domid, 0)) < 0)
        goto out;
    if ((cport = xc_evtchn_alloc_unbound(h, domid, 0)) < 0)
        goto out;
    fx.shinfo = info.shared_info_frame;
    fx.console_port = (uint32_t)cport;
    fx.store_port = (uint32_t)sport;
    if (write_pages(h, im, domid, &fx, &t_map, &t_copy) < 0)
        goto out;
    t_pin = now_s();
    for (level = 1; level <= 4; level++)
        for (pfn = 0; pfn < n; pfn++)
            if ((im->types[pfn] & 0x7f) == level &&
                (im->types[pfn] & XC_SAVE_TYPE_PINNED) &&
                xc_dom_pin_table(h, domid, level, im->new_p2m[pfn],
                                 "restore") < 0)
                goto out;
    if (load_vcpus(h, domid, im) < 0)
        goto out;
    t_pin = now_s() - t_pin;
    xc_report_progress(h, n, n);
    out->domid = domid;
    out->console_port = (uint32_t)cport;
    out->store_port = (uint32_t)sport;
    out->console_mfn = fx.console_mfn;
    out->store_mfn = fx.store_mfn;
    out->nr_pages = n;
    out->start_info_va = im->hdr.start_info_va;
    snprintf(h->sr_timing, sizeof(h->sr_timing), "populate %.2f, %s %.2f "
             "(%llu frames left as populated: zero), fill %.2f, pin+vcpus "
             "%.2f", t_pop, fx.copied ? "copyframes" : "map", t_map,
             (unsigned long long)fx.skipped, t_copy, t_pin);
    rc = 0;
out:
    free(fx.p2m_slot);
    return rc;
}

/*
 * What the file needs from this host, compared before anything is
 * created: the ABI it was saved under, the vCPUs it says it saved, and
 * memory for its pages.
 */
static int check_host(xc_interface *h, const char *path,
                      const struct xc_save_image *im)
{
    char caps[XC_CAPABILITIES_LEN], abi[64], *sp;
    uint32_t major = 0, minor = 0, v, online = 0;
    const char *vs;
    xc_physinfo_t pi;

    for (v = 0; v < im->hdr.nr_vcpus; v++)
        if (im->vcpu[v].flags & VGCF_online)
            online++;
    if (im->guest_id && (vs = strstr(im->guest_id, "vcpus_saved=")) &&
        strtoul(vs + 12, NULL, 10) != online)
        return xc_fail(h, EINVAL, "restore: %s says %lu vCPUs were saved "
                       "but holds %u", path, strtoul(vs + 12, NULL, 10),
                       online);
    if (im->have_abi) {
        if (xc_version(h, &major, &minor) < 0 ||
            xc_version_capabilities(h, caps) < 0)
            return -1;
        snprintf(abi, sizeof(abi), "%s", im->abi.caps);
        if ((sp = strchr(abi, ' ')) != NULL)
            *sp = '\0';
        if (im->abi.vcpu_context_size != sizeof(struct vcpu_guest_context))
            return xc_fail(h, ENOEXEC, "restore: %s was saved with a %u-byte "
                           "vCPU context, this libxc has %zu: it cannot run "
                           "here", path, im->abi.vcpu_context_size,
                           sizeof(struct vcpu_guest_context));
        if (im->abi.page_size != PAGE)
            return xc_fail(h, ENOEXEC, "restore: %s has %u-byte pages, this "
                           "host %u", path, im->abi.page_size, PAGE);
        if (!abi[0] || !strstr(caps, abi))
            return xc_fail(h, ENOEXEC, "restore: %s needs guest ABI '%s', "
                           "this hypervisor offers '%s'", path, abi, caps);
        if (im->abi.hv_major > major)
            return xc_fail(h, ENOEXEC, "restore: %s was saved on hypervisor "
                           "%u.%u, newer than this one (%u.%u)", path,
                           im->abi.hv_major, im->abi.hv_minor, major, minor);
    }
    if (xc_physinfo(h, &pi) < 0)
        return -1;
    if (pi.free_pages < im->hdr.nr_pages)
        return xc_fail(h, ENOMEM, "restore: %s needs %llu MiB for its "
                       "pages, the host has %llu MiB free", path,
                       (unsigned long long)((im->hdr.nr_pages + 255) >> 8),
                       (unsigned long long)(pi.free_pages >> 8));
    return 0;
}

/* The file, mapped read-only: page data is copied from it once, into
 * the new domain (no second copy in memory). */
static int map_file(xc_interface *h, const char *path, const uint8_t **buf,
                    size_t *len)
{
    static const uint8_t empty[1];
    struct stat st;
    void *m;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return xc_fail(h, errno, "restore: cannot open %s: %s", path,
                       strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return xc_fail(h, EINVAL, "restore: %s is not a regular file", path);
    }
    if ((uint64_t)st.st_size > FILE_MAX) {
        close(fd);
        return xc_fail(h, EFBIG, "restore: %s is larger than %llu bytes",
                       path, FILE_MAX);
    }
    *len = (size_t)st.st_size;
    if (*len == 0) {
        close(fd);
        *buf = empty;
        return 0;
    }
    m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return xc_fail(h, errno, "restore: cannot map %s: %s", path,
                       strerror(errno));
    *buf = m;
    return 0;
}

int xc_domain_restore(xc_interface *h, const char *path, uint32_t domid,
                      const uint8_t *handle, bool paused,
                      xc_restore_result_t *out)
{
    xc_domain_create_args_t args;
    struct xc_save_image im;
    const uint8_t *buf = NULL;
    size_t len = 0;
    int rc = -1;
    double t0 = now_s(), t_parse;
    char timing[160];

    memset(&im, 0, sizeof(im));
    memset(out, 0, sizeof(*out));
    if (map_file(h, path, &buf, &len) < 0)
        return -1;
    if (xc_save_parse(h, path, buf, len, &im) < 0 ||
        xc_restore_identity(h, path, &im, out->warning,
                            sizeof(out->warning)) < 0 ||
        check_host(h, path, &im) < 0)
        goto out;
    t_parse = now_s() - t0;
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
    out->suspended = (im.hdr.flags & XC_SAVE_F_SUSPENDED) != 0;
    out->toolstack = im.toolstack;
    out->toolstack_len = im.toolstack_len;
    im.toolstack = NULL;
    memcpy(timing, h->sr_timing, sizeof(timing) - 1);
    timing[sizeof(timing) - 1] = '\0';
    snprintf(h->sr_timing, sizeof(h->sr_timing), "restore %.2f s: read+check "
             "%.2f, %s; %llu pages", now_s() - t0, t_parse, timing,
             (unsigned long long)im.hdr.nr_pages);
    rc = 0;
out:
    if (len)
        munmap((void *)buf, len);
    xc_save_image_free(&im);
    return rc;
}
