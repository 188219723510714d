/*
 * xc_save.c - save of a paused or suspended PV domU to a file.  The
 * domain's p2m comes from xc_save_p2m.c; its pages from the hypervisor
 * (copyframes) or foreign mappings; page-table pages, the vCPU contexts
 * and start_info are rewritten from machine frames to PFNs so the file is
 * independent of the host's memory.  Format: xenctrl.h (XC_SAVE_*) and
 * docs/save-restore.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "xc_private.h"
#include "xc_save_image.h"
#include "public/arch-x86_64.h"
#include "public/sched.h"

#include "xc_save_state.h"

static int write_all(struct saver *s, struct iovec *iov, int n);

static int put(struct saver *s, const void *p, size_t len)
{
    struct iovec v = { (void *)p, len };

    return len ? write_all(s, &v, 1) : 0;
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
    int64_t p = xc_save_mfn_to_pfn(s, mfn);

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
        s->nr_vcpus_online++;
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
        p = xc_save_mfn_to_pfn(s, mfn);
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

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    unsigned i;

    for (i = 0; i < PAGE / 8; i += 8)
        if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] |
            w[i + 6] | w[i + 7])
            return false;
    return true;
}

/* The guest kernel's banner ("Linux version ..."), looked for in the
 * first pages until found: the kernel image sits low in its memory, and
 * the first hit there is linux_banner.  Recorded, not trusted. */
static void find_banner(struct saver *s, const uint8_t *page)
{
    static const char key[] = "Linux version ";
    const uint8_t *hit = memmem(page, PAGE, key, sizeof(key) - 1);
    size_t n = 0;

    if (!hit)
        return;
    while (hit + n < page + PAGE && n < sizeof(s->banner) - 1 &&
           hit[n] >= 0x20 && hit[n] < 0x7f)
        n++;
    memcpy(s->banner, hit, n);
    s->banner[n] = '\0';
}

static int write_all(struct saver *s, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(s->fd, iov, n < IOV_MAX ? n : IOV_MAX);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return xc_fail(s->h, errno, "save: writing the file: %s",
                           strerror(errno));
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

/*
 * One PAGE_DATA record for pfns first..first+n-1, whose bytes are at map
 * (zero: NULL, or which of them the hypervisor found all zero; their
 * bytes at map are then not there).  Pages that are all zero are left out (a bit clear in the bitmap); page tables
 * and start_info are rewritten in scratch copies; the rest go to the file
 * straight from the mapping when no codec is asked for (one writev, no
 * copy), else are gathered and compressed.
 */
static int save_batch(struct saver *s, uint64_t first, unsigned n,
                      uint8_t *map, const uint8_t *zero, struct sbufs *b)
{
    uint64_t rec[2];
    struct iovec *pv = b->iov + 3;     /* 0..2: record header, fixed part */
    unsigned i, nw = (n + 63) / 64, nscratch = 0, niov = 0;
    size_t data_len = 0;
    double t = now_s();
    struct xc_save_ck ck = { 0, 0 };

    memset(b->bitmap, 0, nw * 8);
    for (i = 0; i < n; i++) {
        uint64_t pfn = first + i;
        unsigned ty = s->types[pfn] & 0x7f;
        uint8_t *pg = map + (size_t)i * PAGE;

        if (zero && zero[i] && ((ty >= 1 && ty <= 4) ||
                                pfn == s->start_info_pfn))
            memset(pg, 0, PAGE);    /* its slot was not filled */
        if (ty >= 1 && ty <= 4) {
            uint8_t *c = b->scratch + (size_t)nscratch++ * PAGE;

            memcpy(c, pg, PAGE);
            if (unmachine_table(s, pfn, (uint64_t *)c) < 0)
                return -1;
            pg = c;
        } else if (pfn == s->start_info_pfn) {
            uint8_t *c = b->scratch + (size_t)nscratch++ * PAGE;

            memcpy(c, pg, PAGE);
            if (unmachine_start_info(s, (struct start_info *)c) < 0)
                return -1;
            pg = c;
        } else if (zero ? zero[i] : page_is_zero(pg)) {
            s->zero_pages++;
            continue;
        } else if (!s->banner[0] && pfn < BANNER_SCAN_PAGES) {
            find_banner(s, pg);
        }
        b->bitmap[i / 64] |= 1ull << (i % 64);
        xc_save_ck_update(&ck, pg, PAGE);
        if (s->codec == XC_SAVE_CODEC_NONE) {
            /* Neighbouring pages of the mapping share one iovec. */
            if (niov > 0 && (uint8_t *)pv[niov - 1].iov_base +
                pv[niov - 1].iov_len == pg)
                pv[niov - 1].iov_len += PAGE;
            else {
                pv[niov].iov_base = pg;
                pv[niov++].iov_len = PAGE;
            }
        } else {
            memcpy(b->raw + data_len, pg, PAGE);
        }
        data_len += PAGE;
    }
    s->t_scan += now_s() - t;
    if (s->codec != XC_SAVE_CODEC_NONE && data_len) {
        t = now_s();
        data_len = xc_save_codec_compress(s->codec, b->raw, data_len, b->z,
                                          b->zcap);
        s->t_compress += now_s() - t;
        if (data_len == 0)
            return xc_fail(s->h, EIO, "save: %s compression failed",
                           xc_save_codec_name(s->codec));
        pv[niov].iov_base = b->z;
        pv[niov++].iov_len = data_len;
    }
    /* Record header, then the fixed part: the vector's first two slots
     * were left for them. */
    rec[0] = XC_SAVE_REC_PAGE_DATA;
    rec[1] = sizeof(b->hdr) + (uint64_t)nw * 8 + data_len;
    xc_save_ck_update(&ck, b->bitmap, nw * 8);
    b->hdr[0] = first;
    b->hdr[1] = (uint64_t)n | ((uint64_t)s->codec << 32);
    b->hdr[2] = xc_save_ck_final(&ck);
    b->iov[0].iov_base = rec;
    b->iov[0].iov_len = 16;
    b->iov[1].iov_base = b->hdr;
    b->iov[1].iov_len = sizeof(b->hdr);
    b->iov[2].iov_base = b->bitmap;
    b->iov[2].iov_len = nw * 8;
    s->data_bytes += data_len;
    t = now_s();
    if (write_all(s, b->iov, (int)niov + 3) < 0)
        return -1;
    s->t_write += now_s() - t;
    return 0;
}

static int save_pages(struct saver *s)
{
    struct xc_copier cp;
    struct sbufs b;
    uint64_t first;
    unsigned n;
    int rc = -1;
    double t;

    memset(&b, 0, sizeof(b));
    memset(&cp, 0, sizeof(cp));
    b.scratch = malloc((size_t)XC_SAVE_DATA_MAX_PAGES * PAGE);
    b.iov = calloc(XC_SAVE_DATA_MAX_PAGES + 4, sizeof(*b.iov));
    if (s->codec != XC_SAVE_CODEC_NONE) {
        b.raw = malloc((size_t)XC_SAVE_DATA_MAX_PAGES * PAGE);
        b.zcap = xc_save_codec_bound(s->codec,
                                     (size_t)XC_SAVE_DATA_MAX_PAGES * PAGE);
        b.z = malloc(b.zcap);
    }
    if (!b.scratch || !b.iov ||
        (s->codec != XC_SAVE_CODEC_NONE && (!b.raw || !b.z))) {
        xc_fail(s->h, ENOMEM, "save: out of memory");
        goto out;
    }
    /* The hypervisor copies the frames (and says which are zero) in
     * records of XC_COPIER_FRAMES pages; one without copyframes has them
     * mapped, 4096 at a time. */
    if (xc_copier_open(s->h, &cp) < 0)
        goto out;
    for (first = 0; first < s->nr_pages; first += n) {
        n = s->nr_pages - first < XC_COPIER_FRAMES ?
            (unsigned)(s->nr_pages - first) : XC_COPIER_FRAMES;
        t = now_s();
        rc = xc_copier_run(s->h, &cp, s->domid, false, s->p2m + first, n);
        s->t_map += now_s() - t;
        if (rc < 0 && first == 0 && errno == ENOSYS) {
            xc_clear_last_error(s->h);
            break;
        }
        if (rc < 0 || save_batch(s, first, n, cp.data.p, cp.zero.p, &b) < 0)
            goto out;
        rc = -1;
        s->copied = true;
        if (first / 4096 != (first + n) / 4096 || first + n == s->nr_pages)
            xc_report_progress(s->h, first + n, s->nr_pages);
    }
    for (first = s->copied ? s->nr_pages : 0; first < s->nr_pages;
         first += n) {
        uint8_t *map;

        n = s->nr_pages - first < XC_SAVE_DATA_MAX_PAGES ?
            (unsigned)(s->nr_pages - first) : XC_SAVE_DATA_MAX_PAGES;
        t = now_s();
        map = xc_map_foreign_pages(s->h, s->domid, PROT_READ,
                                   s->p2m + first, n);
        s->t_map += now_s() - t;
        if (!map)
            goto out;
        rc = save_batch(s, first, n, map, NULL, &b);
        t = now_s();
        xc_unmap_foreign(s->h, map, n);
        s->t_map += now_s() - t;
        if (rc < 0)
            goto out;
        rc = -1;
        xc_report_progress(s->h, first + n, s->nr_pages);
    }
    rc = 0;
out:
    xc_copier_close(s->h, &cp);
    free(b.scratch);
    free(b.iov);
    free(b.raw);
    free(b.z);
    return rc;
}
/* What a restoring hypervisor must offer (xc_save_abi_t). */
static int put_abi(struct saver *s)
{
    xc_save_abi_t abi;
    char caps[XC_CAPABILITIES_LEN];

    memset(&abi, 0, sizeof(abi));
    if (xc_version(s->h, &abi.hv_major, &abi.hv_minor) < 0 ||
        xc_version_capabilities(s->h, caps) < 0)
        return -1;
    abi.vcpu_context_size = sizeof(struct vcpu_guest_context);
    abi.page_size = PAGE;
    /* The first words are what matters (the guest ABIs offered). */
    caps[sizeof(abi.caps) - 1] = '\0';
    memcpy(abi.caps, caps, sizeof(abi.caps));
    return put_record(s, XC_SAVE_REC_ABI, &abi, sizeof(abi), NULL, 0);
}

/* The caller's identity text, then what the save found itself. */
static int put_guest_id(struct saver *s, const char *guest_id)
{
    char id[XC_SAVE_GUEST_ID_MAX + 1];
    int n;

    n = snprintf(id, sizeof(id), "%s%svcpus_saved=%u%s%s", guest_id ?
                 guest_id : "", guest_id && *guest_id ? " " : "",
                 s->nr_vcpus_online, s->banner[0] ? "\nbanner=" : "",
                 s->banner);
    if (n < 0)
        return xc_fail(s->h, EINVAL, "save: bad guest identity");
    return put_record(s, XC_SAVE_REC_GUEST_ID, id, strnlen(id,
                      XC_SAVE_GUEST_ID_MAX), NULL, 0);
}

static int save_all(struct saver *s, uint64_t start_info_va,
                    const char *guest_id, const void *ts, size_t ts_len)
{
    struct vcpu_guest_context *c0 = calloc(1, sizeof(*c0));
    xc_save_header_t hdr;
    double t = now_s();
    int rc;

    if (!c0)
        return xc_fail(s->h, ENOMEM, "save: out of memory");
    rc = xc_vcpu_getcontext(s->h, s->domid, 0, c0);
    /* A suspending guest names its start_info frame in rdx. */
    if (rc == 0)
        rc = xc_save_find_p2m(s, xen_cr3_to_pfn(c0->ctrlreg[3]), start_info_va,
                      s->suspended ? c0->user_regs.rdx : 0);
    free(c0);
    s->t_p2m = now_s() - t;
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
    if (put(s, &hdr, sizeof(hdr)) < 0 ||
        /* First, where xc_save_file_uuid looks for it. */
        put_record(s, XC_SAVE_REC_DOMAIN, s->info.handle,
                   sizeof(s->info.handle), NULL, 0) < 0 ||
        put_abi(s) < 0 ||
        put_record(s, XC_SAVE_REC_P2M_FRAMES, s->p2m_frames,
                   s->nr_p2m_frames * 8, NULL, 0) < 0 ||
        put_record(s, XC_SAVE_REC_TOOLSTACK, ts, ts_len, NULL, 0) < 0 ||
        save_vcpus(s) < 0 ||
        put_record(s, XC_SAVE_REC_TYPES, s->types, s->nr_pages, NULL,
                   0) < 0 ||
        save_pages(s) < 0 ||
        /* After the pages: they may name the kernel (its banner). */
        put_guest_id(s, guest_id) < 0 ||
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

/*
 * Remove what killed saves to path left: PATH.tmp (older libxc) and
 * PATH.tmp-PID whose process is gone.  A live PID's file is another
 * save in progress and is left alone.
 */
static void remove_stale_tmp(const char *path)
{
    char *dir = strdup(path), *slash, *base;
    size_t blen;
    struct dirent *e;
    DIR *d;

    if (!dir)
        return;
    slash = strrchr(dir, '/');
    base = slash ? slash + 1 : dir;
    if (slash == dir)
        d = opendir("/");
    else {
        if (slash)
            *slash = '\0';
        d = opendir(slash ? dir : ".");
    }
    blen = strlen(base);
    while (d && (e = readdir(d)) != NULL) {
        char *end, *full;
        long pid;

        if (strncmp(e->d_name, base, blen) != 0 ||
            strncmp(e->d_name + blen, ".tmp", 4) != 0)
            continue;
        if (e->d_name[blen + 4] == '\0')
            pid = 0;
        else if (e->d_name[blen + 4] == '-') {
            pid = strtol(e->d_name + blen + 5, &end, 10);
            if (*end || pid <= 0 || pid == getpid() ||
                kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                continue;
        } else
            continue;
        if (asprintf(&full, "%s/%s", slash == dir ? "" : (slash ? dir : "."),
                     e->d_name) >= 0) {
            unlink(full);
            free(full);
        }
    }
    if (d)
        closedir(d);
    free(dir);
}

int xc_save_set_codec(xc_interface *h, unsigned codec)
{
    if (codec >= XC_SAVE_CODEC_COUNT)
        return xc_fail(h, EINVAL, "save: unknown codec %u", codec);
    h->save_codec = codec;
    return 0;
}

const char *xc_save_timing(xc_interface *h)
{
    return h->sr_timing;
}

int xc_domain_save_ext(xc_interface *h, uint32_t domid, uint64_t start_info_va,
                       bool suspended, const char *guest_id,
                       const void *toolstack, size_t toolstack_len,
                       const char *path)
{
    struct saver s;
    char *tmp;
    int rc = -1;
    double t0 = now_s(), t_sync;

    memset(&s, 0, sizeof(s));
    s.h = h;
    s.domid = domid;
    s.suspended = suspended;
    s.codec = h->save_codec;
    s.fd = -1;
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
    remove_stale_tmp(path);
    /* Never the final name until complete and durable; PID-named so a
     * killed save's leftover cannot block the next one. */
    if (asprintf(&tmp, "%s.tmp-%ld", path, (long)getpid()) < 0)
        return xc_fail(h, ENOMEM, "save: out of memory");
    s.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                0600);
    if (s.fd < 0) {
        rc = xc_fail(h, errno, "save: cannot create %s: %s", tmp,
                     strerror(errno));
        free(tmp);
        return rc;
    }
    if (xc_domain_pause(h, domid) < 0) {
        close(s.fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    rc = save_all(&s, start_info_va, guest_id, toolstack, toolstack_len);
    t_sync = now_s();
    if (rc == 0 && fsync(s.fd) != 0)
        rc = xc_fail(h, errno, "save: syncing %s: %s", tmp, strerror(errno));
    if (close(s.fd) != 0 && rc == 0)
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
    if (rc == 0)
        snprintf(h->sr_timing, sizeof(h->sr_timing), "save %.2f s: p2m "
                 "%.2f, %s %.2f, scan %.2f, compress %.2f (%s), write %.2f, "
                 "sync %.2f; %llu pages, %llu zero, %llu data bytes",
                 now_s() - t0, s.t_p2m, s.copied ? "copy" : "map", s.t_map,
                 s.t_scan, s.t_compress,
                 xc_save_codec_name(s.codec), s.t_write, now_s() - t_sync,
                 (unsigned long long)s.nr_pages,
                 (unsigned long long)s.zero_pages,
                 (unsigned long long)s.data_bytes);
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
