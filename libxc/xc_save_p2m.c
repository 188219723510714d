/*
 * xc_save_p2m.c - where a saved domain's pages are: its p2m, read the
 * way the ABI publishes it (shared_info's frame-list-list) or through
 * start_info and its page tables, with every frame checked to be the
 * domain's own (xc_save.c uses it; docs/save-restore.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_save_state.h"
#include "public/arch-x86_64.h"

int64_t xc_save_mfn_to_pfn(const struct saver *s, uint64_t mfn)
{
    size_t lo = 0, hi = s->nr_pages;

    /* bsearch without a call through a pointer per step: this runs for
     * every present entry of every page table the guest has. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->m2p[mid].mfn < mfn)
            lo = mid + 1;
        else if (s->m2p[mid].mfn > mfn)
            hi = mid;
        else
            return (int64_t)s->m2p[mid].pfn;
    }
    return -1;
}

/*
 * Sort the pairs by mfn: a radix sort, 16 bits a pass, as many passes as
 * the largest mfn needs (3 for any machine up to 2^48 frames), where
 * qsort's million calls through pair_cmp for a 256 MiB guest were a
 * visible part of the p2m step under TCG.  0, or -1 (out of memory).
 */
static int sort_pairs(struct m2p_pair *a, size_t n)
{
    struct m2p_pair *tmp = malloc((n ? n : 1) * sizeof(*tmp)), *src = a,
                    *dst = tmp, *t;
    size_t *count = calloc(65536, sizeof(*count)), i;
    uint64_t most = 0;
    unsigned shift;

    if (!tmp || !count) {
        free(tmp);
        free(count);
        return -1;
    }
    for (i = 0; i < n; i++)
        if (a[i].mfn > most)
            most = a[i].mfn;
    for (shift = 0; shift < 64 && (shift == 0 || most >> shift); shift += 16) {
        size_t sum = 0, c;

        memset(count, 0, 65536 * sizeof(*count));
        for (i = 0; i < n; i++)
            count[(src[i].mfn >> shift) & 0xffff]++;
        for (i = 0; i < 65536; i++) {
            c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (i = 0; i < n; i++)
            dst[count[(src[i].mfn >> shift) & 0xffff]++] = src[i];
        t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
    free(tmp);
    free(count);
    return 0;
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
        const uint8_t *map;

        if (read_frame(s, fll[f], fl) < 0 ||
            check_owned(s, fl, n, "a p2m frame list") < 0)
            return -1;
        /* All of this list's leaves in one foreign mapping: a mapping
         * and an unmapping per leaf (128 for 256 MiB) were most of the
         * p2m's time under TCG. */
        map = xc_map_foreign_pages(s->h, s->domid, PROT_READ, fl, n);
        if (!map)
            return -1;
        for (i = 0; i < n; i++) {
            uint64_t leaf = (uint64_t)f * (PAGE / 8) + i;
            uint64_t cnt = nr - leaf * (PAGE / 8);

            if (cnt > PAGE / 8)
                cnt = PAGE / 8;
            memcpy(s->p2m + leaf * (PAGE / 8), map + i * PAGE, cnt * 8);
            s->p2m_frames[leaf] = fl[i];    /* turned into a PFN later */
        }
        xc_unmap_foreign(s->h, (void *)map, n);
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
int xc_save_find_p2m(struct saver *s, uint64_t l4_mfn, uint64_t si_va,
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
        /* What Linux's balloon driver leaves where it gave a page back:
         * no frame at all.  The file format has no holes (yet), so say
         * what to do rather than name a frame that does not exist. */
        if (s->p2m[i] == ~0ull) {
            xc_fail(s->h, EINVAL, "save: the guest has given memory back "
                    "(its balloon driver left pfn %llu without a frame), "
                    "and a ballooned guest cannot be saved yet: set its "
                    "memory back to its maxmem (xenctl mem-set) and save "
                    "again once it has it", (unsigned long long)i);
            goto fail;
        }
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
    if (sort_pairs(s->m2p, nr) < 0) {
        xc_fail(s->h, ENOMEM, "save: out of memory");
        goto fail;
    }
    for (i = 1; i < nr; i++)
        if (s->m2p[i].mfn == s->m2p[i - 1].mfn) {
            xc_fail(s->h, EINVAL, "save: the guest's p2m names frame %#llx "
                    "twice", (unsigned long long)s->m2p[i].mfn);
            goto fail;
        }
    for (i = 0; i < s->nr_p2m_frames; i++) {
        int64_t pfn = xc_save_mfn_to_pfn(s, s->p2m_frames[i]);
        if (pfn < 0) {
            xc_fail(s->h, EINVAL, "save: p2m list frame is not the domain's");
            goto fail;
        }
        s->p2m_frames[i] = (uint64_t)pfn;
    }
    {
        int64_t pfn = xc_save_mfn_to_pfn(s, si_mfn);
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
