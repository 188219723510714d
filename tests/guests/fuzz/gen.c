/*
 * Argument generators: frames of every ownership class, page-table
 * entries, virtual addresses, buffer pointers, boundary integers, domain
 * ids, ports and vCPU ids.  World facts (our live tables, the other
 * domain's frames, shared frames) are gathered once by world_init().
 */
#include "fuzz.h"

struct fuzz_world world;

uint64_t rng_next(struct fuzz_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dULL;
}

/* Our frames as the run began, one bit each.  Not looked up through the
 * M2P while fuzzing: the run rewrites M2P entries, and probe_read()'s
 * fault detection is shared by all vCPUs (a fault on another vCPU made
 * one of our own frames look foreign). */
#define OWN_BITMAP_FRAMES (1UL << 20)
static uint64_t own_bitmap[OWN_BITMAP_FRAMES / 64];

static void own_bitmap_init(void)
{
    unsigned long pfn;

    for (pfn = 0; pfn < start_info->nr_pages; pfn++)
        if (p2m[pfn] < OWN_BITMAP_FRAMES)
            own_bitmap[p2m[pfn] / 64] |= 1UL << (p2m[pfn] % 64);
}

int own_mfn(uint64_t mfn)
{
    uint64_t pfn;

    if (mfn < OWN_BITMAP_FRAMES && (own_bitmap[mfn / 64] & (1UL << (mfn % 64))))
        return 1;
    if (mfn > world.max_mfn || probe_read(&m2p[mfn], &pfn) != -1)
        return 0;
    return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

int is_loose(uint64_t mfn)
{
    unsigned int cpu, i;

    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        for (i = 0; i < FUZZ_LOOSE_PER_CPU; i++)
            if (fuzz_cpus[cpu].loose_mfn[i] == mfn)
                return 1;
    return 0;
}

static void note_pt(int level, uint64_t mfn)
{
    unsigned int l = (unsigned int)level - 1, i;

    for (i = 0; i < world.nr_pt[l]; i++)
        if (world.pt_mfn[l][i] == mfn)
            return;
    if (world.nr_pt[l] < ARRAY_SIZE(world.pt_mfn[l]))
        world.pt_mfn[l][world.nr_pt[l]++] = mfn;
}

/* Empty entries of a live table at `level` (2..4): writing anything there
 * cannot take away a mapping we use. */
static void note_free_slots(int level, const uint64_t *table, uint64_t table_mfn)
{
    unsigned int l = (unsigned int)level - 1, idx, limit = level == 4 ? 256 : 512;

    /* Not L4 slot 0: whatever we put there would map virtual address 0,
     * and the NULL pointers we pass (a sched_remote_shutdown argument,
     * say) would then read a page of zeros as "domain 0, poweroff"
     * (seen: FUZZ_SEED=20261228, dom0 powered off mid-run). */
    for (idx = level == 4 ? 37 : 0; idx < limit &&
         world.nr_free_slot[l] < ARRAY_SIZE(world.pt_free_slot[l]); idx += 37)
        if (table[idx] == 0)
            world.pt_free_slot[l][world.nr_free_slot[l]++] = (table_mfn << PAGE_SHIFT) + idx * 8;
}

/* Frames the hypervisor owns (its heap, our M2P...), via getframeinfo. */
static void find_xen_owned(void)
{
    static struct xen_dom0_op op;
    static uint64_t mfns[256];
    static struct xen_dom0_frameinfo info[256];
    unsigned long base;
    unsigned int i;

    for (base = 256; base < world.max_mfn && world.nr_xen_owned < ARRAY_SIZE(world.xen_owned);
         base += 256 * 7) {
        for (i = 0; i < 256; i++)
            mfns[i] = base + i;
        memset(&op, 0, sizeof(op));
        op.u.getframeinfo.nr_frames = 256;
        op.u.getframeinfo.mfns = HC_PTR(mfns);
        op.u.getframeinfo.info = HC_PTR(info);
        if (dom0_op(&op, XEN_DOM0_getframeinfo))
            return;
        for (i = 0; i < 256 && world.nr_xen_owned < ARRAY_SIZE(world.xen_owned); i += 31)
            if (info[i].owner == DOMID_XEN)
                world.xen_owned[world.nr_xen_owned++] = mfns[i];
    }
}

void world_init(void)
{
    static struct xen_machphys_mapping mm;
    unsigned long pfn;
    uint64_t maddr;
    int level;

    own_bitmap_init();
    memset(&mm, 0, sizeof(mm));
    if (hv_memory_op(XENMEM_machphys_mapping, &mm) == 0 && mm.max_mfn)
        world.max_mfn = mm.max_mfn;
    else
        world.max_mfn = (MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) / 8 - 1;

    /* The initial region: PFN n at VIRT_BASE + n*4096 while L1 entries exist. */
    for (pfn = 0; pfn < start_info->nr_pages; pfn++) {
        uint64_t *l1e = pte_lookup((unsigned long)pfn_to_virt(pfn), 1, NULL);
        if (!l1e || !(*l1e & PTE_P))
            break;
    }
    world.region_pages = pfn;

    /* Live tables on the paths to a few of our addresses. */
    for (pfn = 0; pfn < world.region_pages; pfn += 509) {
        for (level = 4; level >= 1; level--) {
            uint64_t *e = pte_lookup((unsigned long)pfn_to_virt(pfn), level, &maddr);
            if (e) {
                note_pt(level, maddr >> PAGE_SHIFT);
                if (level >= 2)
                    note_free_slots(level, (const uint64_t *)((unsigned long)e & PAGE_MASK),
                                    maddr >> PAGE_SHIFT);
            }
        }
    }
    world.xen_mfn[world.nr_xen++] = start_info->shared_info >> PAGE_SHIFT;
    find_xen_owned();
    world.other = DOMID_INVALID;
}

uint64_t gen_frame(struct fuzz_cpu *c, enum frame_kind k)
{
    struct fuzz_rng *r = &c->rng;
    unsigned int i;

    switch (k) {
    case FR_LOOSE:
        return c->loose_mfn[rng_below(r, FUZZ_LOOSE_PER_CPU)];
    case FR_LOOSE_ANY:
        return fuzz_cpus[rng_below(r, fuzz_cfg.vcpus)].loose_mfn[rng_below(r, FUZZ_LOOSE_PER_CPU)];
    case FR_OWN_DATA:
        for (i = 0; i < 8; i++) {
            uint64_t mfn = p2m[rng_below(r, world.region_pages)];
            unsigned int l, j, pt = 0;
            for (l = 0; l < 4; l++)
                for (j = 0; j < world.nr_pt[l]; j++)
                    pt |= world.pt_mfn[l][j] == mfn;
            if (!pt)
                return mfn;
        }
        return p2m[0];
    case FR_OWN_PT: {
        unsigned int l = (unsigned int)rng_below(r, 4);
        return world.nr_pt[l] ? world.pt_mfn[l][rng_below(r, world.nr_pt[l])] : world.pt_mfn[3][0];
    }
    case FR_OTHER:
        return world.other_mfn[rng_below(r, FUZZ_OTHER_FRAMES)];
    case FR_XEN:
        return world.xen_mfn[rng_below(r, world.nr_xen)];
    case FR_HV:
        if (world.nr_xen_owned && rng_chance(r, 40))
            return world.xen_owned[rng_below(r, world.nr_xen_owned)];
        for (i = 0; i < 4; i++) {
            uint64_t mfn = rng_chance(r, 50) ? rng_below(r, 4096) : rng_below(r, world.max_mfn + 1);
            if (!own_mfn(mfn))
                return mfn;
        }
        return 1;
    default: {
        static const uint64_t b[] = { 0, 1, 0xfffff, ~0UL, 1UL << 40, (1UL << 52) - 1,
                                      ~0UL >> 12, 0x7fffffff };
        unsigned int n = (unsigned int)rng_below(r, ARRAY_SIZE(b) + 2);
        if (n == ARRAY_SIZE(b))
            return world.max_mfn;
        if (n == ARRAY_SIZE(b) + 1)
            return world.max_mfn + 1;
        return b[n];
    }
    }
}

uint64_t gen_frame_any(struct fuzz_cpu *c)
{
    return gen_frame(c, (enum frame_kind)rng_below(&c->rng, FR_NKINDS));
}

/* A frame a call may write whole or in part (CLEAR/COPY_PAGE, an ordinary
 * mmu_update write, update_descriptor, M2P updates, vcpu_info): never
 * shared_info.  The hypervisor lets a guest write its own shared_info, and
 * zeros there wipe our vcpu_info (time record, upcall flag) and pending
 * bits: the next SCHEDOP_block then waits for an event already consumed,
 * with a deadline computed from a clock that reads 0. */
uint64_t gen_frame_writable(struct fuzz_cpu *c, uint64_t mfn)
{
    if (mfn == start_info->shared_info >> PAGE_SHIFT)
        return gen_frame(c, FR_LOOSE);
    return mfn;
}

uint64_t gen_frame_safe(struct fuzz_cpu *c)
{
    static const enum frame_kind safe[] = { FR_LOOSE, FR_LOOSE, FR_LOOSE_ANY, FR_OTHER,
                                            FR_XEN, FR_HV, FR_BOUNDARY };
    return gen_frame_writable(c, gen_frame(c, safe[rng_below(&c->rng, ARRAY_SIZE(safe))]));
}

uint64_t gen_pte(struct fuzz_cpu *c, uint64_t mfn)
{
    struct fuzz_rng *r = &c->rng;
    uint64_t flags;

    switch (rng_below(r, 8)) {
    case 0: return 0;
    case 1: return rng_next(r);
    case 2: flags = PTE_P; break;
    case 3: flags = PTE_P | PTE_RW | PTE_A | PTE_D; break;
    case 4: flags = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D; break;
    case 5: flags = PTE_P | PTE_PSE | PTE_RW; break;
    case 6: flags = rng_next(r) & (0xfffUL | PTE_NX | (0x7ffUL << 52)); break;
    default: flags = PTE_P | PTE_RW | PTE_G | PTE_NX | PTE_PCD | PTE_PWT; break;
    }
    return ((mfn << PAGE_SHIFT) & PTE_ADDR_MASK) | flags;
}

uint64_t gen_va(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;
    uint64_t arg = (uint64_t)c->arg, guard = arg + FUZZ_ARG_PAGES * PAGE_SIZE;

    switch (rng_below(r, 11)) {
    case 0: return 0;
    case 1: return arg + rng_below(r, FUZZ_ARG_PAGES * PAGE_SIZE);
    case 2: return guard + rng_below(r, PAGE_SIZE);
    case 3: return (uint64_t)pfn_to_virt(rng_below(r, world.region_pages)) + rng_below(r, PAGE_SIZE);
    case 4: return rng_below(r, 1UL << 47);                       /* user half */
    case 5: return HYPERVISOR_VIRT_START + rng_below(r, 1UL << 43); /* hypervisor hole */
    case 6: return (rng_next(r) | (1UL << 47)) & ~(1UL << 63);     /* non-canonical */
    case 7: return MACH2PHYS_VIRT_START + rng_below(r, 1UL << 30);
    case 8: return (uint64_t)pfn_to_virt(world.region_pages) + rng_below(r, 1UL << 30); /* unmapped kernel */
    case 9: return (1UL << 47) - 8 + rng_below(r, 16);            /* canonical edge */
    default: return rng_next(r);
    }
}

uint64_t gen_ptr(struct fuzz_cpu *c, size_t size)
{
    struct fuzz_rng *r = &c->rng;
    uint64_t arg = (uint64_t)c->arg, guard = arg + FUZZ_ARG_PAGES * PAGE_SIZE;

    if (size > FUZZ_ARG_PAGES * PAGE_SIZE)
        size = FUZZ_ARG_PAGES * PAGE_SIZE;
    switch (rng_below(r, 12)) {
    case 0: return 0;
    case 1: return guard - size / 2 - rng_below(r, 8);        /* straddles the guard */
    case 2: return guard;
    case 3: return BAD_PTR_HV + rng_below(r, 1UL << 20) * 8;
    case 4: return BAD_PTR_NONCANON + rng_below(r, 4096);
    case 5: return MACH2PHYS_VIRT_START;                       /* read-only to us */
    case 6: {                                                  /* a live page table: read-only */
        uint64_t *l1 = pte_lookup((unsigned long)c->arg, 1, NULL);
        return l1 ? ((uint64_t)l1 & PAGE_MASK) : 0;
    }
    case 7: return BAD_PTR_USER;
    default:
        /* A readable, writable buffer of stale bytes, but not in the
         * argument pages: an output written there (a done count, say)
         * would rewrite a request built for a later multicall entry (seen:
         * FUZZ_SEED=20261212, an mmuext done count over the next entry's
         * mmu_update ptr turned a loose frame into our live L2, whose
         * text mapping it then cleared). */
        if (size > PAGE_SIZE)
            size = PAGE_SIZE;
        return (uint64_t)c->scratch + rng_below(r, PAGE_SIZE - size + 1);
    }
}

uint64_t gen_bound(struct fuzz_cpu *c)
{
    static const uint64_t b[] = { 0, 1, 2, 7, 8, 0xff, 0x100, 0xfff, 0x1000, 0x7fff,
                                  0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
                                  1UL << 32, 1UL << 47, 1UL << 63, ~0UL, ~0UL - 1 };
    struct fuzz_rng *r = &c->rng;

    return rng_chance(r, 80) ? b[rng_below(r, ARRAY_SIZE(b))] : rng_next(r);
}

uint64_t gen_count(struct fuzz_cpu *c, unsigned int max_sane)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 85))
        return 1 + rng_below(r, max_sane);
    return gen_bound(c);
}

domid_t gen_domid(struct fuzz_cpu *c)
{
    static const domid_t d[] = { DOMID_SELF, DOMID_SELF, 0, DOMID_XEN, DOMID_IO,
                                 DOMID_INVALID, 0x7fef, 0xffff, 4711 };
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 25) && world.other != DOMID_INVALID)
        return world.other;
    return d[rng_below(r, ARRAY_SIZE(d))];
}

uint32_t gen_port(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 80))
        return (uint32_t)rng_below(r, 24);
    return (uint32_t)gen_bound(c);
}

uint32_t gen_vcpu(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 80))
        return (uint32_t)rng_below(r, fuzz_cfg.vcpus);
    return (uint32_t)gen_bound(c);
}

uint64_t gen_bad_ptr(struct fuzz_cpu *c, size_t size)
{
    uint64_t p = gen_ptr(c, size), arg = (uint64_t)c->arg;

    /* Not a buffer that can be read whole: stale bytes in the scratch
     * page (or the argument pages) could be a legitimate order to move
     * our vcpu_info or shut us down (seen with the scratch page: a
     * register_vcpu_info for vCPU 0 read from it, and vCPU 0 never woke
     * from SCHEDOP_block). */
    if ((p >= arg && p < arg + FUZZ_ARG_PAGES * PAGE_SIZE && p + size <= arg + FUZZ_ARG_PAGES * PAGE_SIZE) ||
        (p >= (uint64_t)c->scratch && p < (uint64_t)c->scratch + PAGE_SIZE))
        p = arg + FUZZ_ARG_PAGES * PAGE_SIZE - size / 2;    /* straddle the guard */
    return p;
}
