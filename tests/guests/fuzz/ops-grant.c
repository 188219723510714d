/*
 * Grant-table calls with structured arguments.  Our own table (dom0's,
 * set up by grant_init() and mapped at gtab_page) holds real entries the
 * vCPUs keep rewriting under each other: valid, read-only, revoked,
 * aimed at DOMID_SELF or another domain, transitive, flags garbage, in
 * the table's current layout (v1 or v2: set_version is fuzzed too).  The
 * ops then use them:
 *  - map: host addresses that are our grant slots (pages kept for this),
 *    the argument and guard pages, the machine address of a slot's L1
 *    entry (contains_pte, as Linux's gntdev), that address unaligned, an
 *    empty entry of a live L2-L4, a data frame, hypervisor, unmapped,
 *    user and non-canonical addresses; repeated entries in one batch;
 *  - unmap / unmap_and_replace: the handles we got (twice in one batch,
 *    with the wrong address or bus address), random handles;
 *  - copy: grant or frame-number sides, offsets and lengths at and across
 *    the page end, source and destination overlapping;
 *  - setup_table, query_size, set_version, get_status_frames,
 *    get_version, dump_table: domains and counts at the boundaries;
 *  - batches whose count runs past the argument pages into the guard.
 * Grant frames only ever hold frames a write may hit (slots, loose
 * frames, live page tables whose writable use must be refused, the other
 * domain's and hypervisor frames; not our grant frame, which a copy of
 * stale bytes could fill with grants of our live data): the first pin
 * fixes an entry's frame,
 * so a read-only grant of our text, rewritten writable by another vCPU
 * while pinned, would legitimately let a copy write our text.
 * Mappings we made are recorded and unmapped again (op_after), so handles
 * and references do not pile up; grant_cleanup() unmaps what is left.
 */
#include "fuzz.h"
#include "ops.h"
#include "pt.h"

#define GSLOTS 6                    /* per vCPU; one spare page follows */
#define GPOOL_FIRST GNTTAB_NR_RESERVED_ENTRIES
#define GPOOL 32                    /* shared entries we rewrite */
#define GREC 16                     /* live mappings remembered per vCPU */
#define GBATCH 8

struct grec {                       /* a mapping of ours, for unmap */
    int used;
    grant_handle_t handle;
    uint64_t host_addr, dev_bus_addr;
};

static uint8_t gslot[SMP_MAX_CPUS][GSLOTS + 1][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t gtab_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint64_t gslot_mfn[SMP_MAX_CPUS][GSLOTS];
static uint64_t gslot_pte_ma[SMP_MAX_CPUS][GSLOTS];
static struct grec grec[SMP_MAX_CPUS][GREC];
static uint64_t gtab_mfn;
static int gtab_ok;
static volatile uint64_t gstat_tried[16], gstat_ok[16];    /* per GNTTABOP, entries */
static uint64_t gstat_stale;        /* mappings replaced before their unmap */

static long gnt(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (uint64_t)arg, count);
}

void grant_init(void)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1 };
    static xen_pfn_t tab;
    unsigned int cpu, i;

    for (cpu = 0; cpu < SMP_MAX_CPUS; cpu++)
        for (i = 0; i < GSLOTS; i++) {
            pte_lookup((unsigned long)gslot[cpu][i], 1, &gslot_pte_ma[cpu][i]);
            gslot_mfn[cpu][i] = virt_to_mfn(gslot[cpu][i]);
        }
    s.frame_list.p = &tab;
    if (gnt(GNTTABOP_setup_table, &s, 1) || s.status != GNTST_okay)
        return;
    gtab_mfn = tab;
    gtab_ok = hv_update_va_mapping((unsigned long)gtab_page, (tab << PAGE_SHIFT) | PTE_KERNEL_RW,
                                   UVMF_INVLPG) == 0;
}

/* ---- Entries in our own table ------------------------------------------- */

static grant_ref_t gen_gref(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 10)) {
    case 0: return (grant_ref_t)rng_below(r, GPOOL_FIRST);      /* reserved */
    case 1: return rng_chance(r, 50) ? 511 : 512;               /* v1 frame end */
    case 2: return (grant_ref_t)(rng_chance(r, 50) ? 32 * 512 : 0xffffffffU);
    case 3: return (grant_ref_t)gen_bound(c);
    default: return GPOOL_FIRST + (grant_ref_t)rng_below(r, GPOOL);
    }
}

/* A frame a grant entry may name (see the header: never live data). */
static uint64_t gen_grant_frame(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 9)) {
    case 0: case 1: case 2:
        return gslot_mfn[rng_below(r, fuzz_cfg.vcpus)][rng_below(r, GSLOTS)];
    case 3: return gen_frame(c, FR_LOOSE_ANY);
    case 4: return gen_frame(c, FR_OWN_PT);
    case 5: return gen_frame(c, FR_OTHER);
    case 6: return gen_frame(c, FR_HV);
    case 7: return gen_frame(c, FR_LOOSE);
    default: return gen_frame(c, FR_BOUNDARY);
    }
}

static domid_t gen_grant_domid(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 60))
        return 0;                                   /* us: usable */
    return rng_chance(r, 40) ? DOMID_SELF : gen_domid(c);
}

static uint16_t gen_grant_flags(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 10)) {
    case 0: case 1: case 2: case 3: return GTF_permit_access;
    case 4: case 5: return GTF_permit_access | GTF_readonly;
    case 6: return GTF_invalid;                     /* revoked */
    case 7: return rng_chance(r, 50) ? GTF_transitive : GTF_accept_transfer;
    case 8: return GTF_permit_access | GTF_sub_page | (rng_chance(r, 50) ? GTF_readonly : 0);
    default: return (uint16_t)rng_next(r);          /* garbage, in-use bits too */
    }
}

/* Rewrite a few entries of the pool (or revoke them), in the layout in
 * force now.  Another vCPU may be mapping or copying them meanwhile. */
static void grant_scribble(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    unsigned int n = 1 + (unsigned int)rng_below(r, 3), i;

    if (!gtab_ok || gnt(GNTTABOP_get_version, &gv, 1))
        return;
    for (i = 0; i < n; i++) {
        grant_ref_t ref = GPOOL_FIRST + (grant_ref_t)rng_below(r, GPOOL);
        uint16_t flags = gen_grant_flags(c);
        domid_t dom = gen_grant_domid(c);
        uint64_t frame = gen_grant_frame(c);

        if (rng_chance(r, 50)) {        /* one a map or copy can use */
            flags = GTF_permit_access | (rng_chance(r, 30) ? GTF_readonly : 0);
            dom = 0;
            frame = rng_chance(r, 70) ? gslot_mfn[rng_below(r, fuzz_cfg.vcpus)][rng_below(r, GSLOTS)]
                                      : gen_frame(c, FR_LOOSE);
        }

        if (gv.version == 2) {
            union grant_entry_v2 *e = (union grant_entry_v2 *)gtab_page + ref;
            if (flags & GTF_sub_page) {
                e->sub_page.page_off = (uint16_t)(rng_chance(r, 70) ? rng_below(r, PAGE_SIZE) : rng_next(r));
                e->sub_page.length = (uint16_t)(rng_chance(r, 70) ? rng_below(r, PAGE_SIZE + 2) : rng_next(r));
            } else if ((flags & GTF_type_mask) == GTF_transitive) {
                e->transitive.trans_domid = gen_grant_domid(c);
                e->transitive.gref = gen_gref(c);
            }
            if (!(flags & GTF_sub_page) && (flags & GTF_type_mask) != GTF_transitive)
                e->full_page.frame = frame;
            else
                e->sub_page.frame = frame;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            __atomic_store_n((uint32_t *)&e->hdr, flags | (uint32_t)dom << 16, __ATOMIC_RELAXED);
        } else {
            struct grant_entry_v1 *e = (struct grant_entry_v1 *)gtab_page + ref;
            e->frame = (uint32_t)frame;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            __atomic_store_n((uint32_t *)e, flags | (uint32_t)dom << 16, __ATOMIC_RELAXED);
        }
    }
}

/* ---- Addresses ---------------------------------------------------------- */

static unsigned int pick_slot(struct fuzz_cpu *c)
{
    unsigned int i, s = (unsigned int)rng_below(&c->rng, GSLOTS);

    /* Mostly a slot no recorded mapping uses: mapping over one of ours
     * would make its unmap fail (the entry changed) and keep its handle. */
    for (i = 0; i < GREC && rng_chance(&c->rng, 80); i++)
        if (grec[c->id][i].used && grec[c->id][i].host_addr == (uint64_t)gslot[c->id][s]) {
            s = (s + 1) % GSLOTS;
            i = 0;
        }
    return s;
}

/* host_addr for a map; sets *flags' contains_pte as the address needs. */
static uint64_t gen_host_addr(struct fuzz_cpu *c, uint32_t *flags)
{
    struct fuzz_rng *r = &c->rng;
    unsigned int s = pick_slot(c);

    switch (rng_below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        return (uint64_t)gslot[c->id][s];
    case 8: case 9: case 10:
        *flags |= GNTMAP_contains_pte;
        return gslot_pte_ma[c->id][s];
    case 11:                                        /* half an entry (XSA-227) */
        *flags |= GNTMAP_contains_pte;
        return gslot_pte_ma[c->id][s] + 1 + rng_below(r, 7);
    case 12: {                                      /* an empty L2-L4 entry: not an L1 */
        unsigned int l = 1 + (unsigned int)rng_below(r, 3);
        *flags |= GNTMAP_contains_pte;
        if (!world.nr_free_slot[l])
            return 0;
        return world.pt_free_slot[l][rng_below(r, world.nr_free_slot[l])];
    }
    case 13: {                                      /* in a frame that is no table of ours */
        static const enum frame_kind k[] = { FR_OTHER, FR_HV, FR_XEN, FR_BOUNDARY, FR_LOOSE };
        *flags |= GNTMAP_contains_pte;
        return (gen_frame(c, k[rng_below(r, ARRAY_SIZE(k))]) << PAGE_SHIFT) + rng_below(r, 512) * 8;
    }
    /* Never our argument or guard pages: entries of this very batch (or a
     * list straddling the guard) would be read from the granted frame. */
    case 14:
    case 15: return HYPERVISOR_VIRT_START + rng_below(r, 1UL << 43);
    case 16: return MACH2PHYS_VIRT_START + rng_below(r, 1UL << 30);
    case 17: return (uint64_t)pfn_to_virt(world.region_pages) + rng_below(r, 1UL << 30) * PAGE_SIZE % (1UL << 30);
    case 18: return rng_chance(r, 50) ? rng_below(r, 1UL << 47) : (rng_next(r) | (1UL << 47)) & ~(1UL << 63);
    default: return rng_chance(r, 50) ? 0 : gen_bound(c);
    }
}

static uint32_t gen_map_flags(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 10)) {
    case 0: case 1: case 2: return GNTMAP_host_map;
    case 3: case 4: return GNTMAP_host_map | GNTMAP_readonly;
    case 5: return GNTMAP_device_map | (rng_chance(r, 50) ? GNTMAP_readonly : 0);
    case 6: return GNTMAP_device_map | GNTMAP_host_map;
    case 7: return 0;
    case 8: return GNTMAP_host_map | GNTMAP_application_map | (uint32_t)rng_below(r, 8) << 16;
    default: return (uint32_t)rng_next(r) & ~GNTMAP_contains_pte;
    }
}

/* A batch of n entries of `size` bytes: in the arena, or (sometimes) moved
 * to end at the guard page with a count far beyond it ("counts huge"). */
static void batch_args(struct fuzz_cpu *c, uint64_t a[5], void *b, unsigned int n, size_t size)
{
    void *tail;

    a[1] = (uint64_t)b;
    a[2] = n;
    if (rng_chance(&c->rng, 8) && (tail = op_arena_tail(c, b, n * size)) != NULL) {
        a[1] = (uint64_t)tail;
        a[2] = rng_chance(&c->rng, 50) ? n + 1 + rng_below(&c->rng, 4096) : gen_bound(c);
    } else if (rng_chance(&c->rng, 4)) {
        /* Only pointers that fault: entries read from a readable wrong
         * buffer (the M2P: small numbers) would be a copy into our own
         * frames by frame number, as domain 0. */
        static const uint64_t bad[] = { 0, BAD_PTR_HV, BAD_PTR_NONCANON, BAD_PTR_USER };
        a[1] = rng_chance(&c->rng, 20) ? (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE
                                       : bad[rng_below(&c->rng, ARRAY_SIZE(bad))];
        a[2] = rng_chance(&c->rng, 50) ? n : gen_bound(c);
    } else if (rng_chance(&c->rng, 3)) {
        a[2] = 0;
    }
}

/* ---- The ops ------------------------------------------------------------ */

static void build_map(struct fuzz_cpu *c, uint64_t a[5])
{
    unsigned int n = 1 + (unsigned int)rng_below(&c->rng, GBATCH), i;
    struct gnttab_map_grant_ref *m = op_arena(c, n * sizeof(*m));

    for (i = 0; i < n; i++) {
        if (i && rng_chance(&c->rng, 15)) {
            m[i] = m[rng_below(&c->rng, i)];        /* the same map twice */
        } else if (rng_chance(&c->rng, 40)) {      /* one that can succeed */
            unsigned int s = pick_slot(c);
            int pte = rng_chance(&c->rng, 30);
            m[i].flags = (rng_chance(&c->rng, 85) ? GNTMAP_host_map : GNTMAP_device_map) |
                         (rng_chance(&c->rng, 30) ? GNTMAP_readonly : 0) |
                         (pte ? GNTMAP_contains_pte : 0);
            m[i].host_addr = pte ? gslot_pte_ma[c->id][s] : (uint64_t)gslot[c->id][s];
            m[i].ref = GPOOL_FIRST + (grant_ref_t)rng_below(&c->rng, GPOOL);
            m[i].dom = rng_chance(&c->rng, 70) ? 0 : DOMID_SELF;
        } else {
            m[i].flags = gen_map_flags(c);
            m[i].host_addr = gen_host_addr(c, &m[i].flags);
            m[i].ref = gen_gref(c);
            m[i].dom = gen_grant_domid(c);
        }
        m[i].status = 1;                            /* not a GNTST_*: untouched */
        m[i].handle = 0xdead;
        m[i].dev_bus_addr = 0;
    }
    batch_args(c, a, m, n, sizeof(*m));
}

/* One of our recorded mappings, or -1. */
static int pick_rec(struct fuzz_cpu *c)
{
    unsigned int i, s = (unsigned int)rng_below(&c->rng, GREC);

    for (i = 0; i < GREC; i++)
        if (grec[c->id][(s + i) % GREC].used)
            return (int)((s + i) % GREC);
    return -1;
}

static void build_unmap(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, GBATCH), i;
    struct gnttab_unmap_grant_ref *u = op_arena(c, n * sizeof(*u));

    for (i = 0; i < n; i++) {
        int k = pick_rec(c);
        if (i && rng_chance(r, 15)) {
            u[i] = u[i - 1];                        /* unmap twice */
        } else if (k >= 0 && rng_chance(r, 75)) {
            struct grec *g = &grec[c->id][k];
            u[i].handle = g->handle;
            u[i].host_addr = g->host_addr;
            u[i].dev_bus_addr = g->dev_bus_addr;
            if (rng_chance(r, 10))                  /* another mapping's address */
                u[i].host_addr = (uint64_t)gslot[c->id][rng_below(r, GSLOTS)];
            if (rng_chance(r, 10))
                u[i].dev_bus_addr = rng_chance(r, 50) ? 0 : gen_frame_any(c) << PAGE_SHIFT;
        } else {
            u[i].handle = (grant_handle_t)(rng_chance(r, 50) ? rng_below(r, 64) : gen_bound(c));
            u[i].host_addr = rng_chance(r, 70) ? (uint64_t)gslot[c->id][rng_below(r, GSLOTS)]
                                               : gen_bound(c);
            u[i].dev_bus_addr = rng_chance(r, 70) ? 0 : gen_bound(c);
        }
        u[i].status = 1;
    }
    batch_args(c, a, u, n, sizeof(*u));
}

static void build_unmap_and_replace(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, 3), i;
    struct gnttab_unmap_and_replace *u = op_arena(c, n * sizeof(*u));

    for (i = 0; i < n; i++) {
        int k = pick_rec(c);
        if (i && rng_chance(r, 15)) {
            u[i] = u[i - 1];
        } else {
            u[i].handle = k >= 0 && rng_chance(r, 75) ? grec[c->id][k].handle
                                                       : (grant_handle_t)gen_bound(c);
            u[i].host_addr = k >= 0 && rng_chance(r, 80) ? grec[c->id][k].host_addr
                                                          : (uint64_t)gslot[c->id][rng_below(r, GSLOTS)];
            /* new_addr's entry is cleared: only our slots, the guard page
             * or addresses that must be refused.  Not the argument pages:
             * the statuses (and a multicall's results) are read from there
             * after the call (seen: #PF in multicall_after()). */
            switch (rng_below(r, 6)) {
            case 0: case 1: case 2:
                u[i].new_addr = (uint64_t)gslot[c->id][rng_below(r, GSLOTS)];
                break;
            case 3:                 /* the guard page: nothing mapped there */
                u[i].new_addr = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;
                break;
            case 4: u[i].new_addr = HYPERVISOR_VIRT_START + rng_below(r, 1UL << 43); break;
            default: u[i].new_addr = rng_chance(r, 50) ? 0 : gen_bound(c);
            }
        }
        u[i].status = 1;
    }
    batch_args(c, a, u, n, sizeof(*u));
}

static int is_own_pt(uint64_t mfn)
{
    unsigned int l, j;

    for (l = 0; l < 4; l++)
        for (j = 0; j < world.nr_pt[l]; j++)
            if (world.pt_mfn[l][j] == mfn)
                return 1;
    return 0;
}

/* Offset and length: inside, at and across the page end. */
static void gen_span(struct fuzz_cpu *c, uint16_t *off, uint16_t *len)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 8)) {
    case 0: *off = 0; *len = PAGE_SIZE; break;
    case 1: *off = (uint16_t)rng_below(r, 8); *len = (uint16_t)(PAGE_SIZE - *off + rng_below(r, 2)); break;
    case 2: *off = PAGE_SIZE - 1; *len = (uint16_t)(1 + rng_below(r, 2)); break;
    case 3: *off = PAGE_SIZE; *len = (uint16_t)rng_below(r, 2); break;
    case 4: *off = 0; *len = 0; break;
    case 5: *off = (uint16_t)rng_next(r); *len = (uint16_t)rng_next(r); break;
    default:
        *off = (uint16_t)rng_below(r, PAGE_SIZE);
        *len = (uint16_t)rng_below(r, PAGE_SIZE - *off + 1);
    }
}

static void gen_copy_side(struct fuzz_cpu *c, struct gnttab_copy_ptr *p, uint16_t *flags,
                          uint16_t bit, int dest)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 50)) {
        *flags |= bit;
        p->u.ref = gen_gref(c);
        p->domid = gen_grant_domid(c);
        return;
    }
    p->domid = rng_chance(r, 75) ? DOMID_SELF : gen_domid(c);
    /* A frame-number destination is written: slots, loose frames, the
     * grant frame, or frames that must be refused (not ours). */
    p->u.gmfn = dest ? gen_grant_frame(c) : (rng_chance(r, 50) ? gen_grant_frame(c) : gen_frame_any(c));
}

static void build_copy(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, GBATCH), i;
    struct gnttab_copy *g = op_arena(c, n * sizeof(*g));

    for (i = 0; i < n; i++) {
        uint16_t len2;
        g[i].flags = 0;
        gen_copy_side(c, &g[i].source, &g[i].flags, GNTCOPY_source_gref, 0);
        gen_copy_side(c, &g[i].dest, &g[i].flags, GNTCOPY_dest_gref, 1);
        gen_span(c, &g[i].source.offset, &g[i].len);
        gen_span(c, &g[i].dest.offset, &len2);
        if (rng_chance(r, 20)) {                    /* overlapping, one frame */
            g[i].source.u = g[i].dest.u;            /* the destination is a safe one */
            g[i].source.domid = g[i].dest.domid;
            g[i].flags = (uint16_t)((g[i].flags & GNTCOPY_dest_gref) ? GNTCOPY_source_gref | GNTCOPY_dest_gref : 0);
            g[i].source.offset = (uint16_t)(g[i].dest.offset + rng_below(r, 64) - 32);
        }
        if (!(g[i].flags & GNTCOPY_dest_gref) && is_own_pt(g[i].dest.u.gmfn)) {
            /* Into a live table of ours (must be refused): the same bytes
             * onto themselves, so a wrong "okay" shows without harm. */
            g[i].source = g[i].dest;
            g[i].flags &= (uint16_t)~GNTCOPY_source_gref;
        }
        if (rng_chance(r, 10))                      /* garbage flags: a gref side whose */
            g[i].flags |= (uint16_t)(rng_next(r) & ~3UL); /* frame we chose stays a frame */
        g[i].status = 1;
    }
    batch_args(c, a, g, n, sizeof(*g));
}

/* setup_table, query_size, set_version, get_status_frames, get_version,
 * dump_table: one structure; a count other than 1 now and then. */
static void build_single(struct fuzz_cpu *c, uint32_t cmd, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    uint64_t *list = op_arena(c, 64 * 8);
    uint8_t *s = op_arena(c, 32);
    domid_t dom = rng_chance(r, 60) ? DOMID_SELF : gen_domid(c);
    static const uint32_t frames[] = { 0, 1, 2, 31, 32, 33, 255, 256, 257, 0xffffffffU };
    uint32_t nr = rng_chance(r, 80) ? frames[rng_below(r, ARRAY_SIZE(frames))] : (uint32_t)gen_bound(c);
    uint64_t lp = op_ptr_or_bad(c, list, 64 * 8);

    op_fill_random(c, s, 32);
    if (nr > 64)                                    /* an output longer than the list */
        lp = gen_bad_ptr(c, 64 * 8);
    switch (cmd) {
    case GNTTABOP_setup_table: {
        struct gnttab_setup_table *t = (void *)s;
        t->dom = dom, t->nr_frames = nr, t->frame_list.p = (void *)lp;
        break;
    }
    case GNTTABOP_get_status_frames: {
        struct gnttab_get_status_frames *t = (void *)s;
        t->dom = dom, t->nr_frames = nr, t->frame_list.p = (void *)lp;
        break;
    }
    case GNTTABOP_set_version:
        *(uint32_t *)s = rng_chance(r, 80) ? 1 + (uint32_t)rng_below(r, 2)
                                           : (rng_chance(r, 50) ? (uint32_t)rng_below(r, 4) * 3 : (uint32_t)gen_bound(c));
        break;
    default:                                        /* query_size, dump_table, get_version */
        *(domid_t *)s = dom;
    }
    a[1] = op_ptr_or_bad(c, s, 32);
    a[2] = rng_chance(r, 90) ? 1 : gen_bound(c);
}

void build_grant_op(struct fuzz_cpu *c, uint64_t a[5])
{
    static const uint32_t cmds[] = {
        GNTTABOP_map_grant_ref, GNTTABOP_map_grant_ref, GNTTABOP_map_grant_ref,
        GNTTABOP_unmap_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_unmap_and_replace,
        GNTTABOP_copy, GNTTABOP_copy, GNTTABOP_copy,
        GNTTABOP_setup_table, GNTTABOP_query_size, GNTTABOP_set_version,
        GNTTABOP_get_status_frames, GNTTABOP_get_version, GNTTABOP_dump_table,
        GNTTABOP_transfer, GNTTABOP_swap_grant_ref, GNTTABOP_cache_flush,
    };
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = rng_chance(r, 97) ? cmds[rng_below(r, ARRAY_SIZE(cmds))] : (uint32_t)gen_bound(c);

    grant_scribble(c);
    a[0] = cmd;
    switch (cmd) {
    case GNTTABOP_map_grant_ref: build_map(c, a); break;
    case GNTTABOP_unmap_grant_ref: build_unmap(c, a); break;
    case GNTTABOP_unmap_and_replace: build_unmap_and_replace(c, a); break;
    case GNTTABOP_copy: build_copy(c, a); break;
    default: build_single(c, cmd, a);
    }
}

/* ---- After a call ------------------------------------------------------- */

static long grant_unmap_one(grant_handle_t h, uint64_t host, uint64_t bus)
{
    struct gnttab_unmap_grant_ref u = { .host_addr = host, .dev_bus_addr = bus, .handle = h };

    if (gnt(GNTTABOP_unmap_grant_ref, &u, 1))
        return -1;
    return u.status;
}

static int is_slot_addr(struct fuzz_cpu *c, uint64_t addr)
{
    unsigned int s;

    for (s = 0; s < GSLOTS; s++)
        if (addr == (uint64_t)gslot[c->id][s] || addr == gslot_pte_ma[c->id][s])
            return 1;
    return 0;
}

static int is_must_refuse(uint64_t addr, uint32_t flags)
{
    unsigned int l, i;

    if (!(flags & GNTMAP_contains_pte) || !(flags & GNTMAP_host_map))
        return 0;
    if (addr & 7)
        return 1;
    for (l = 1; l < 4; l++)
        for (i = 0; i < world.nr_free_slot[l]; i++)
            if (world.pt_free_slot[l][i] == addr)
                return 1;
    return 0;
}

static void note_map(struct fuzz_cpu *c, const struct gnttab_map_grant_ref *m)
{
    uint64_t host = (m->flags & GNTMAP_host_map) ? m->host_addr : 0;
    uint64_t bus = (m->flags & GNTMAP_device_map) ? m->dev_bus_addr : 0;
    unsigned int i;

    if (is_must_refuse(m->host_addr, m->flags)) {
        c->hostile_accepted++;
        printf("fuzz: v%u ACCEPTED a grant map into %#lx (flags %#x): not an L1 entry\n",
               c->id, m->host_addr, m->flags);
    }
    /* A recorded mapping at the same address was replaced: its unmap
     * would be refused (the entry changed), so stop offering it. */
    for (i = 0; host && i < GREC; i++)
        if (grec[c->id][i].used && grec[c->id][i].host_addr == host && grec[c->id][i].handle != m->handle)
            grec[c->id][i].used = 0, gstat_stale++;
    if (!host || is_slot_addr(c, host))
        for (i = 0; i < GREC; i++)
            if (!grec[c->id][i].used) {
                grec[c->id][i] = (struct grec){ 1, m->handle, host, bus };
                return;
            }
    /* Not a slot (an argument page restore_state rewrites), or no room:
     * unmap now, while the entry still holds the grant. */
    grant_unmap_one(m->handle, host, bus);
}

static void note_unmapped(struct fuzz_cpu *c, grant_handle_t h)
{
    unsigned int i;

    for (i = 0; i < GREC; i++)
        if (grec[c->id][i].used && grec[c->id][i].handle == h)
            grec[c->id][i].used = 0;
}

/* How many entries of `size` bytes at p lie whole in our argument pages. */
static unsigned int in_arena(struct fuzz_cpu *c, uint64_t p, uint64_t count, size_t size)
{
    uint64_t end = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE, n;

    if (p < (uint64_t)c->arg || p >= end)
        return 0;
    n = (end - p) / size;
    return (unsigned int)(n < count ? n : count);
}

void grant_op_after(struct fuzz_cpu *c, const uint64_t a[5])
{
    uint32_t cmd = (uint32_t)a[0];
    unsigned int i, n;

    if (cmd < ARRAY_SIZE(gstat_tried))
        __atomic_add_fetch(&gstat_tried[cmd], 1, __ATOMIC_RELAXED);
    switch (cmd) {
    case GNTTABOP_map_grant_ref: {
        struct gnttab_map_grant_ref *m = (void *)a[1];
        n = in_arena(c, a[1], a[2], sizeof(*m));
        for (i = 0; i < n; i++)
            if (m[i].status == GNTST_okay) {
                __atomic_add_fetch(&gstat_ok[cmd], 1, __ATOMIC_RELAXED);
                note_map(c, &m[i]);
            }
        break;
    }
    case GNTTABOP_unmap_grant_ref: {
        struct gnttab_unmap_grant_ref *u = (void *)a[1];
        n = in_arena(c, a[1], a[2], sizeof(*u));
        for (i = 0; i < n; i++)
            if (u[i].status == GNTST_okay) {
                unsigned int k;
                __atomic_add_fetch(&gstat_ok[cmd], 1, __ATOMIC_RELAXED);
                /* The handle goes with its last part. */
                for (k = 0; k < GREC; k++) {
                    struct grec *g = &grec[c->id][k];
                    if (!g->used || g->handle != u[i].handle)
                        continue;
                    if (u[i].host_addr)
                        g->host_addr = 0;
                    if (u[i].dev_bus_addr)
                        g->dev_bus_addr = 0;
                    if (!g->host_addr && !g->dev_bus_addr)
                        g->used = 0;
                }
            }
        break;
    }
    case GNTTABOP_unmap_and_replace: {
        struct gnttab_unmap_and_replace *u = (void *)a[1];
        n = in_arena(c, a[1], a[2], sizeof(*u));
        for (i = 0; i < n; i++)
            if (u[i].status == GNTST_okay) {
                unsigned int k;
                __atomic_add_fetch(&gstat_ok[cmd], 1, __ATOMIC_RELAXED);
                note_unmapped(c, u[i].handle);
                /* new_addr's entry moved into host_addr's place. */
                for (k = 0; k < GREC; k++)
                    if (grec[c->id][k].used && grec[c->id][k].host_addr == u[i].new_addr)
                        grec[c->id][k].used = 0, gstat_stale++;
            }
        break;
    }
    case GNTTABOP_copy: {
        struct gnttab_copy *g = (void *)a[1];
        n = in_arena(c, a[1], a[2], sizeof(*g));
        for (i = 0; i < n; i++) {
            if (g[i].status != GNTST_okay)
                continue;
            __atomic_add_fetch(&gstat_ok[cmd], 1, __ATOMIC_RELAXED);
            if (!(g[i].flags & GNTCOPY_dest_gref) && g[i].len && is_own_pt(g[i].dest.u.gmfn) &&
                (g[i].dest.domid == DOMID_SELF || g[i].dest.domid == 0)) {
                c->hostile_accepted++;
                printf("fuzz: v%u ACCEPTED a grant copy into our live table %#lx\n",
                       c->id, g[i].dest.u.gmfn);
            }
        }
        break;
    }
    }
}

/* Unmap what the run left mapped, and say what the grant ops did. */
void grant_cleanup(void)
{
    unsigned int cpu, i, left = 0;

    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        for (i = 0; i < GREC; i++) {
            struct grec *g = &grec[cpu][i];
            if (g->used && grant_unmap_one(g->handle, g->host_addr, g->dev_bus_addr) != GNTST_okay)
                left++;
            g->used = 0;
        }
    /* Two lines: the guest's printf has a line limit. */
    printf("fuzz: grant entries ok / calls: map %lu/%lu, unmap %lu/%lu, unmap_and_replace %lu/%lu, "
           "copy %lu/%lu\n", gstat_ok[0], gstat_tried[0], gstat_ok[1], gstat_tried[1], gstat_ok[7],
           gstat_tried[7], gstat_ok[5], gstat_tried[5]);
    printf("fuzz: grant calls: setup %lu, query %lu, set_version %lu, status_frames %lu, "
           "get_version %lu, dump %lu\n", gstat_tried[2], gstat_tried[6], gstat_tried[8],
           gstat_tried[9], gstat_tried[10], gstat_tried[3]);
    /* Mappings overwritten by later ones keep their handle until dom0
     * dies (docs/grant-tables.md): counted, not an error. */
    printf("fuzz: grant mappings replaced before their unmap %lu, left at the end %u\n",
           gstat_stale, left);
    /* Without real entries in our table, no map or copy could succeed. */
    if (gstat_tried[0] >= 20)
        CHECK(gstat_ok[0] > 0, "fuzz: grant maps of our own entries succeeded (structured grants)");
    if (gstat_tried[5] >= 20)
        CHECK(gstat_ok[5] > 0, "fuzz: grant copies succeeded (structured grants)");
    if (gstat_tried[1] >= 20)
        CHECK(gstat_ok[1] > 0, "fuzz: grant unmaps of our own handles succeeded");
}
