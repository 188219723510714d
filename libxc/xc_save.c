/*
 * xc_save.c - non-cooperative save of a paused PV domU to a file.  The
 * domain's p2m is read from its own list (found through start_info and
 * its page tables) and cross-checked with getframeinfo; page-table pages,
 * the vCPU contexts and start_info are rewritten from machine frames to
 * PFNs so the file is independent of the host's memory.  Format:
 * xenctrl.h (XC_SAVE_*) and docs/save-restore.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <zlib.h>

#include "xc_private.h"
#include "public/arch-x86_64.h"
#include "public/sched.h"

#define PTE_PRESENT   1ull
#define PTE_FRAME     0x000FFFFFFFFFF000ull
#define L4_XEN_FIRST  256      /* hypervisor slots of every L4: 256..271 */
#define L4_XEN_LAST   271
#define PAGE          XC_PAGE_SIZE
#define BATCH         256      /* pages mapped, copied and written at once */

struct m2p_pair { uint64_t mfn, pfn; };

struct saver {
    xc_interface *h;
    uint32_t domid;
    FILE *f;
    xc_dominfo_t info;
    uint64_t nr_pages, start_info_pfn;
    uint64_t *p2m;
    uint64_t *p2m_frames;       /* PFNs holding the guest's p2m list */
    uint64_t nr_p2m_frames;
    struct m2p_pair *m2p;       /* p2m sorted by mfn, for PT rewriting */
    uint8_t *types;
    bool suspended;             /* cooperative: the guest suspended itself */
    bool via_shinfo;            /* p2m found through shared_info */
};

static int pair_cmp(const void *a, const void *b)
{
    const struct m2p_pair *x = a, *y = b;
    return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

/* PFN of one of the domain's frames, or -1 if it is not one of them. */
static int64_t mfn_to_pfn(const struct saver *s, uint64_t mfn)
{
    struct m2p_pair key = { mfn, 0 }, *hit;

    hit = bsearch(&key, s->m2p, s->nr_pages, sizeof(key), pair_cmp);
    return hit ? (int64_t)hit->pfn : -1;
}

static int read_frame(struct saver *s, uint64_t mfn, void *dst)
{
    void *p = xc_map_foreign_pages(s->h, s->domid, PROT_READ, &mfn, 1);

    if (!p)
        return -1;
    memcpy(dst, p, PAGE);
    xc_unmap_foreign(s->h, p, 1);
    return 0;
}

/* Guest VA -> MFN through the page tables rooted at l4_mfn (4K pages
 * only: PV guests have no superpages). */
static int walk_va(struct saver *s, uint64_t l4_mfn, uint64_t va,
                   uint64_t *mfn)
{
    uint64_t table[PAGE / 8], frame = l4_mfn;
    int level;

    for (level = 4; level >= 1; level--) {
        unsigned idx = (va >> (12 + 9 * (level - 1))) & 511;

        if (read_frame(s, frame, table) < 0)
            return -1;
        if (!(table[idx] & PTE_PRESENT))
            return xc_fail(s->h, EINVAL, "save: guest address %#llx is not "
                           "mapped (level %d entry %u)",
                           (unsigned long long)va, level, idx);
        frame = (table[idx] & PTE_FRAME) >> 12;
    }
    *mfn = frame;
    return 0;
}

static int alloc_p2m(struct saver *s, uint64_t nr)
{
    s->nr_pages = nr;
    s->nr_p2m_frames = (nr * 8 + PAGE - 1) / PAGE;
    s->p2m = calloc(nr, 8);
    s->p2m_frames = calloc(s->nr_p2m_frames, 8);
    s->m2p = calloc(nr, sizeof(*s->m2p));
    s->types = calloc(nr, 1);
    if (!s->p2m || !s->p2m_frames || !s->m2p || !s->types)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    return 0;
}

/* Every frame in list[0..n) must be the domain's (for the tables the p2m
 * is published through). */
static int check_owned(struct saver *s, const uint64_t *list, unsigned n,
                       const char *what)
{
    xc_frameinfo_t *fi = calloc(n ? n : 1, sizeof(*fi));
    unsigned i;
    int rc = 0;

    if (!fi)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    if (xc_get_frameinfo(s->h, list, n, fi) < 0)
        rc = -1;
    for (i = 0; rc == 0 && i < n; i++)
        if (fi[i].owner != s->domid)
            rc = xc_fail(s->h, EINVAL, "save: %s entry %u names frame %#llx, "
                         "owned by %#x, not domain %u", what, i,
                         (unsigned long long)list[i], fi[i].owner, s->domid);
    free(fi);
    return rc;
}

/*
 * The p2m as the ABI publishes it: shared_info.arch.max_pfn entries, in
 * leaf pages listed by frame-list pages listed by the page at
 * pfn_to_mfn_frame_list_list (512 frames per page at each level).  The
 * domain's pages are PFNs 0..tot_pages-1.  Returns 1 if the guest
 * publishes no list (0 or ~0), 0 when read, -1 on error.
 */
static int p2m_from_shinfo(struct saver *s)
{
    uint64_t shpage[PAGE / 8], fll[PAGE / 8], fl[PAGE / 8];
    struct shared_info *sh = (struct shared_info *)shpage;
    uint64_t max_pfn, fll_mfn, nr = s->info.tot_pages, nleaf, i;
    unsigned nfl, f;

    if (read_frame(s, s->info.shared_info_frame, shpage) < 0)
        return -1;
    max_pfn = sh->arch.max_pfn;
    fll_mfn = sh->arch.pfn_to_mfn_frame_list_list;
    if (fll_mfn == 0 || fll_mfn == ~0ull)
        return 1;
    if (max_pfn == 0 || max_pfn > XC_SAVE_MAX_PAGES || nr == 0 ||
        nr > max_pfn)
        return xc_fail(s->h, EINVAL, "save: shared_info says max_pfn %llu, "
                       "the domain has %llu pages", (unsigned long long)
                       max_pfn, (unsigned long long)nr);
    if (check_owned(s, &fll_mfn, 1, "pfn_to_mfn_frame_list_list") < 0 ||
        read_frame(s, fll_mfn, fll) < 0)
        return -1;
    /* Only the leaves covering the domain's pages are read. */
    nleaf = (nr + PAGE / 8 - 1) / (PAGE / 8);
    nfl = (unsigned)((nleaf + PAGE / 8 - 1) / (PAGE / 8));
    if (check_owned(s, fll, nfl, "the p2m frame-list-list") < 0 ||
        alloc_p2m(s, nr) < 0)
        return -1;
    for (f = 0; f < nfl; f++) {
        unsigned n = (unsigned)(nleaf - (uint64_t)f * (PAGE / 8));

        if (n > PAGE / 8)
            n = PAGE / 8;
        if (read_frame(s, fll[f], fl) < 0 ||
            check_owned(s, fl, n, "a p2m frame list") < 0)
            return -1;
        for (i = 0; i < n; i++) {
            uint64_t leaf = (uint64_t)f * (PAGE / 8) + i, chunk[PAGE / 8];
            uint64_t cnt = nr - leaf * (PAGE / 8);

            if (cnt > PAGE / 8)
                cnt = PAGE / 8;
            if (read_frame(s, fl[i], chunk) < 0)
                return -1;
            memcpy(s->p2m + leaf * (PAGE / 8), chunk, cnt * 8);
            s->p2m_frames[leaf] = fl[i];    /* turned into a PFN later */
        }
    }
    s->via_shinfo = true;
    return 0;
}

/* The builder's way: start_info (at si_va) names the p2m list's VA. */
static int p2m_from_start_info(struct saver *s, uint64_t l4_mfn,
                               uint64_t si_va)
{
    uint64_t si_page[PAGE / 8];
    struct start_info *si = (struct start_info *)si_page;
    uint64_t si_mfn, i, nr;

    if (walk_va(s, l4_mfn, si_va, &si_mfn) < 0 ||
        read_frame(s, si_mfn, si_page) < 0)
        return -1;
    nr = si->nr_pages;
    if (nr == 0 || nr > XC_SAVE_MAX_PAGES || nr > s->info.tot_pages)
        return xc_fail(s->h, EINVAL, "save: start_info says %llu pages, the "
                       "domain has %llu", (unsigned long long)nr,
                       (unsigned long long)s->info.tot_pages);
    if (alloc_p2m(s, nr) < 0)
        return -1;
    for (i = 0; i < s->nr_p2m_frames; i++) {
        uint64_t mfn, chunk[PAGE / 8], n = nr - i * (PAGE / 8);

        if (walk_va(s, l4_mfn, si->mfn_list + i * PAGE, &mfn) < 0 ||
            read_frame(s, mfn, chunk) < 0)
            return -1;
        if (n > PAGE / 8)
            n = PAGE / 8;
        memcpy(s->p2m + i * (PAGE / 8), chunk, n * 8);
        s->p2m_frames[i] = mfn;     /* turned into a PFN below */
    }
    return 0;
}

/* start_info_mfn: where start_info is (0: find it through si_va). */
static int find_p2m(struct saver *s, uint64_t l4_mfn, uint64_t si_va,
                    uint64_t start_info_mfn)
{
    uint64_t i, nr, si_mfn = start_info_mfn;
    xc_frameinfo_t *fi;
    int rc;

    rc = p2m_from_shinfo(s);
    if (rc < 0)
        return -1;
    if (rc == 1 && p2m_from_start_info(s, l4_mfn, si_va) < 0)
        return -1;
    if (si_mfn == 0 && walk_va(s, l4_mfn, si_va, &si_mfn) < 0)
        return -1;
    nr = s->nr_pages;
    fi = calloc(nr, sizeof(*fi));
    if (!fi)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    /* Trust nothing the guest wrote: every frame must be the domain's. */
    if (xc_get_frameinfo(s->h, s->p2m, (unsigned)nr, fi) < 0)
        goto fail;
    for (i = 0; i < nr; i++) {
        if (fi[i].owner != s->domid) {
            xc_fail(s->h, EINVAL, "save: the guest's p2m maps pfn %llu to "
                    "frame %#llx, owned by %#x, not domain %u",
                    (unsigned long long)i, (unsigned long long)s->p2m[i],
                    fi[i].owner, s->domid);
            goto fail;
        }
        s->types[i] = (uint8_t)fi[i].type |
                      (fi[i].pinned ? XC_SAVE_TYPE_PINNED : 0);
        s->m2p[i].mfn = s->p2m[i];
        s->m2p[i].pfn = i;
    }
    qsort(s->m2p, nr, sizeof(*s->m2p), pair_cmp);
    for (i = 1; i < nr; i++)
        if (s->m2p[i].mfn == s->m2p[i - 1].mfn) {
            xc_fail(s->h, EINVAL, "save: the guest's p2m names frame %#llx "
                    "twice", (unsigned long long)s->m2p[i].mfn);
            goto fail;
        }
    for (i = 0; i < s->nr_p2m_frames; i++) {
        int64_t pfn = mfn_to_pfn(s, s->p2m_frames[i]);
        if (pfn < 0) {
            xc_fail(s->h, EINVAL, "save: p2m list frame is not the domain's");
            goto fail;
        }
        s->p2m_frames[i] = (uint64_t)pfn;
    }
    {
        int64_t pfn = mfn_to_pfn(s, si_mfn);
        if (pfn < 0) {
            xc_fail(s->h, EINVAL, "save: start_info (frame %#llx) is not "
                    "the domain's", (unsigned long long)si_mfn);
            goto fail;
        }
        s->start_info_pfn = (uint64_t)pfn;
    }
    free(fi);
    return 0;
fail:
    free(fi);
    return -1;
}

static int put(struct saver *s, const void *p, size_t len)
{
    if (len && fwrite(p, 1, len, s->f) != len)
        return xc_fail(s->h, errno ? errno : EIO, "save: writing the file: "
                       "%s", strerror(errno ? errno : EIO));
    return 0;
}

static int put_record(struct saver *s, uint32_t type, const void *a,
                      size_t alen, const void *b, size_t blen)
{
    uint32_t hdr[2] = { type, 0 };
    uint64_t len = alen + blen;

    if (put(s, hdr, sizeof(hdr)) < 0 || put(s, &len, 8) < 0 ||
        put(s, a, alen) < 0 || put(s, b, blen) < 0)
        return -1;
    return 0;
}

static int pfn_of(struct saver *s, uint64_t mfn, const char *what,
                  uint64_t *pfn)
{
    int64_t p = mfn_to_pfn(s, mfn);

    if (p < 0)
        return xc_fail(s->h, EINVAL, "save: %s (frame %#llx) is not one of "
                       "the domain's pages", what, (unsigned long long)mfn);
    *pfn = (uint64_t)p;
    return 0;
}

static int save_vcpus(struct saver *s)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    uint32_t v, hdr[2];
    unsigned i, ngdt;
    uint64_t pfn = 0;
    int rc = -1;

    if (!c)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    for (v = 0; v <= s->info.max_vcpu_id; v++) {
        if (xc_vcpu_getcontext(s->h, s->domid, v, c) < 0)
            goto out;
        if (!(c->flags & VGCF_online))
            continue;
        if (pfn_of(s, xen_cr3_to_pfn(c->ctrlreg[3]), "the kernel page-table "
                   "base", &pfn) < 0)
            goto out;
        c->ctrlreg[3] = xen_pfn_to_cr3(pfn);
        if (c->ctrlreg[1]) {
            if (pfn_of(s, xen_cr3_to_pfn(c->ctrlreg[1]), "the user page-"
                       "table base", &pfn) < 0)
                goto out;
            c->ctrlreg[1] = xen_pfn_to_cr3(pfn);
        }
        ngdt = (unsigned)((c->gdt_ents + 511) / 512);
        for (i = 0; i < ngdt && i < 16; i++) {
            if (pfn_of(s, c->gdt_frames[i], "a GDT frame", &pfn) < 0)
                goto out;
            c->gdt_frames[i] = pfn;
        }
        /* The suspending vCPU's rdx named start_info by MFN: keep no
         * machine frame in the file. */
        if (s->suspended && v == 0)
            c->user_regs.rdx = s->start_info_pfn;
        hdr[0] = v;
        hdr[1] = 0;
        if (put_record(s, XC_SAVE_REC_VCPU, hdr, sizeof(hdr), c,
                       sizeof(*c)) < 0)
            goto out;
    }
    rc = 0;
out:
    free(c);
    return rc;
}

/* Rewrite a page-table page in place from MFNs to PFNs. */
static int unmachine_table(struct saver *s, uint64_t pfn, uint64_t *pte)
{
    unsigned level = s->types[pfn] & 0x7f, i;

    for (i = 0; i < PAGE / 8; i++) {
        uint64_t mfn, to;
        int64_t p;

        if (!(pte[i] & PTE_PRESENT))
            continue;
        if (level == 4 && i >= L4_XEN_FIRST && i <= L4_XEN_LAST) {
            pte[i] = 0;             /* the hypervisor refills these */
            continue;
        }
        mfn = (pte[i] & PTE_FRAME) >> 12;
        p = mfn_to_pfn(s, mfn);
        if (p >= 0)
            to = (uint64_t)p;
        else if (mfn == s->info.shared_info_frame && level == 1)
            to = XC_SAVE_PFN_SHINFO;
        else
            return xc_fail(s->h, EINVAL, "save: L%u page-table pfn %llu "
                           "entry %u maps frame %#llx, which is not the "
                           "domain's", level, (unsigned long long)pfn, i,
                           (unsigned long long)mfn);
        pte[i] = (pte[i] & ~PTE_FRAME) | (to << 12);
    }
    return 0;
}

static int unmachine_start_info(struct saver *s, struct start_info *si)
{
    uint64_t pfn = 0;

    si->shared_info = 0;
    if (s->suspended)
        return 0;       /* the guest made its ring frames PFNs itself */
    if (si->store_mfn) {
        if (pfn_of(s, si->store_mfn, "start_info's store ring", &pfn) < 0)
            return -1;
        si->store_mfn = pfn;
    }
    if (si->console.domU.mfn) {
        if (pfn_of(s, si->console.domU.mfn, "start_info's console ring",
                   &pfn) < 0)
            return -1;
        si->console.domU.mfn = pfn;
    }
    return 0;
}

static int save_pages(struct saver *s)
{
    size_t raw_len = (size_t)BATCH * PAGE;
    uint8_t *raw = malloc(raw_len);
    uLongf zcap = compressBound(raw_len);
    uint8_t *z = malloc(zcap);
    uint64_t first, n, i;
    int rc = -1;

    if (!raw || !z) {
        xc_fail(s->h, ENOMEM, "save: out of memory");
        goto out;
    }
    for (first = 0; first < s->nr_pages; first += n) {
        uint64_t hdr[2];
        uLongf zlen = zcap;
        uint8_t *map;

        n = s->nr_pages - first < BATCH ? s->nr_pages - first : BATCH;
        map = xc_map_foreign_pages(s->h, s->domid, PROT_READ,
                                   s->p2m + first, (unsigned)n);
        if (!map)
            goto out;
        memcpy(raw, map, n * PAGE);
        xc_unmap_foreign(s->h, map, (unsigned)n);
        for (i = 0; i < n; i++) {
            uint64_t pfn = first + i;
            unsigned t = s->types[pfn] & 0x7f;

            if (t >= 1 && t <= 4 &&
                unmachine_table(s, pfn, (uint64_t *)(raw + i * PAGE)) < 0)
                goto out;
            if (pfn == s->start_info_pfn &&
                unmachine_start_info(s, (struct start_info *)
                                     (raw + i * PAGE)) < 0)
                goto out;
        }
        if (compress2(z, &zlen, raw, n * PAGE, 1) != Z_OK) {
            xc_fail(s->h, EIO, "save: zlib compression failed");
            goto out;
        }
        hdr[0] = first;
        hdr[1] = n;
        if (put_record(s, XC_SAVE_REC_PAGES, hdr, sizeof(hdr), z, zlen) < 0)
            goto out;
        xc_report_progress(s->h, first + n, s->nr_pages);
    }
    rc = 0;
out:
    free(raw);
    free(z);
    return rc;
}

static int save_all(struct saver *s, uint64_t start_info_va,
                    const char *guest_id, const void *ts, size_t ts_len)
{
    struct vcpu_guest_context *c0 = calloc(1, sizeof(*c0));
    xc_save_header_t hdr;
    int rc;

    if (!c0)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    rc = xc_vcpu_getcontext(s->h, s->domid, 0, c0);
    /* A suspending guest names its start_info frame in rdx. */
    if (rc == 0)
        rc = find_p2m(s, xen_cr3_to_pfn(c0->ctrlreg[3]), start_info_va,
                      s->suspended ? c0->user_regs.rdx : 0);
    free(c0);
    if (rc < 0)
        return -1;

    memset(&hdr, 0, sizeof(hdr));
    memcpy(hdr.magic, XC_SAVE_MAGIC, 8);
    hdr.version = XC_SAVE_VERSION;
    hdr.nr_pages = s->nr_pages;
    hdr.start_info_pfn = s->start_info_pfn;
    hdr.start_info_va = start_info_va;
    hdr.nr_vcpus = s->info.max_vcpu_id + 1;
    hdr.flags = s->suspended ? XC_SAVE_F_SUSPENDED : 0;
    if (!guest_id)
        guest_id = "";
    if (put(s, &hdr, sizeof(hdr)) < 0 ||
        put_record(s, XC_SAVE_REC_GUEST_ID, guest_id,
                   strnlen(guest_id, XC_SAVE_GUEST_ID_MAX), NULL, 0) < 0 ||
        put_record(s, XC_SAVE_REC_P2M_FRAMES, s->p2m_frames,
                   s->nr_p2m_frames * 8, NULL, 0) < 0 ||
        put_record(s, XC_SAVE_REC_TOOLSTACK, ts, ts_len, NULL, 0) < 0 ||
        save_vcpus(s) < 0 ||
        put_record(s, XC_SAVE_REC_TYPES, s->types, s->nr_pages, NULL,
                   0) < 0 ||
        save_pages(s) < 0 ||
        put_record(s, XC_SAVE_REC_END, NULL, 0, NULL, 0) < 0)
        return -1;
    return 0;
}

/* fsync the directory holding path, so the rename is durable. */
static int sync_dir(xc_interface *h, const char *path)
{
    char *dir = strdup(path), *slash;
    int fd, rc = 0;

    if (!dir)
        return xc_fail(h, ENOMEM, "save: out of memory");
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || fsync(fd) != 0)
        rc = xc_fail(h, errno, "save: syncing directory %s: %s", dir,
                     strerror(errno));
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

int xc_domain_save_ext(xc_interface *h, uint32_t domid, uint64_t start_info_va,
                       bool suspended, const char *guest_id,
                       const void *toolstack, size_t toolstack_len,
                       const char *path)
{
    struct saver s;
    char *tmp;
    int rc = -1;

    memset(&s, 0, sizeof(s));
    s.h = h;
    s.domid = domid;
    s.suspended = suspended;
    if (xc_check_domid(h, "save", domid) < 0)
        return -1;
    if (!path || !*path)
        return xc_fail(h, EINVAL, "save: no file name");
    if (toolstack_len > XC_SAVE_TOOLSTACK_MAX || (toolstack_len && !toolstack))
        return xc_fail(h, EINVAL, "save: toolstack data too large");
    if (xc_domain_getinfo(h, domid, &s.info) < 0)
        return -1;
    if (suspended && (!s.info.shutdown ||
                      s.info.shutdown_reason != SHUTDOWN_suspend))
        return xc_fail(h, EINVAL, "save: domain %u has not suspended itself",
                       domid);
    if (asprintf(&tmp, "%s.tmp", path) < 0)
        return xc_fail(h, ENOMEM, "save: out of memory");
    s.f = fopen(tmp, "wbx");
    if (!s.f) {
        rc = xc_fail(h, errno, "save: cannot create %s: %s", tmp,
                     strerror(errno));
        free(tmp);
        return rc;
    }
    if (xc_domain_pause(h, domid) < 0) {
        fclose(s.f);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    rc = save_all(&s, start_info_va, guest_id, toolstack, toolstack_len);
    if (rc == 0 && (fflush(s.f) != 0 || fsync(fileno(s.f)) != 0))
        rc = xc_fail(h, errno, "save: syncing %s: %s", tmp, strerror(errno));
    if (fclose(s.f) != 0 && rc == 0)
        rc = xc_fail(h, errno, "save: closing %s: %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, path) != 0)
        rc = xc_fail(h, errno, "save: renaming %s to %s: %s", tmp, path,
                     strerror(errno));
    if (rc == 0)
        rc = sync_dir(h, path);
    if (rc != 0) {
        unlink(tmp);
        /* A failed save must not leave running a domain stopped. */
        if (!s.info.paused)
            xc_domain_unpause(h, domid);
    } else if (suspended && !s.info.paused) {
        /* The pause is the caller's to keep only when it was not
         * suspended; a suspended domain stays stopped by its shutdown. */
        xc_domain_unpause(h, domid);
    }
    free(tmp);
    free(s.p2m);
    free(s.p2m_frames);
    free(s.m2p);
    free(s.types);
    return rc;
}

int xc_domain_save(xc_interface *h, uint32_t domid, uint64_t start_info_va,
                   const void *toolstack, size_t toolstack_len,
                   const char *path)
{
    return xc_domain_save_ext(h, domid, start_info_va, false, NULL,
                              toolstack, toolstack_len, path);
}
