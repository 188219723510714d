/*
 * ops-mm.c: the page-table builders of the fuzzer (mmu_update, the
 * "hostile" must-refuse update, mmuext_op, update_va_mapping and its
 * otherdomain form), under ops.c's rules that keep the guest alive (see
 * the comment at the top of ops.c).
 */
#include "fuzz.h"
#include "ops.h"

/* ---- Page tables -------------------------------------------------------- */

/*
 * The done pointer of a batch, kept off the bytes of the batch itself.
 * A preempted batch writes its running total there before it re-reads
 * the rest of the list (Xen's ABI; pv/mm.c), so a done pointer inside the
 * list rewrites entries not yet done.  With the list moved to end at the
 * guard page and gen_ptr()'s "straddles the guard" pointer, a total of 5
 * written over an entry's cmd made it MMUEXT_NEW_BASEPTR of whatever
 * frame that entry named, e.g. a loose frame we had pinned as an empty L4:
 * a correct hypervisor switches to it and our kernel stack is unmapped
 * (FUZZ_SEED=20261220, round 6 of a run pinned to one loaded core: "d0
 * v1: cannot write a bounce frame ... guest kernel stack not writable").
 * Only when preemption falls just before that entry, hence only under
 * load.  An overlapping pointer becomes the guard page: still a done
 * pointer that faults.
 */
static uint64_t done_ptr_outside_list(struct fuzz_cpu *c, uint64_t done, uint64_t list,
                                      uint64_t count, size_t size)
{
    uint64_t arg = (uint64_t)c->arg, guard = arg + FUZZ_ARG_PAGES * PAGE_SIZE;
    uint64_t trash = (uint64_t)c->trash, limit, end;

    /* The list's readable bytes: up to the guard page, or the end of the
     * trash page (where the list and op_arena(8) both land once full). */
    if (list >= arg && list < guard)
        limit = guard;
    else if (list >= trash && list < trash + PAGE_SIZE)
        limit = trash + PAGE_SIZE;
    else
        return done;                            /* nothing of ours to rewrite */
    end = count <= (limit - list) / size ? list + count * size : limit;
    if (done + 4 > list && done < end)
        return guard;
    return done;
}

static uint64_t mmu_ptr(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;
    uint64_t off = rng_below(r, 512) * 8, type;

    if (rng_chance(r, 3))
        off |= rng_below(r, 8);                 /* misaligned */
    type = rng_chance(r, 75) ? MMU_NORMAL_PT_UPDATE
                             : (uint64_t[]){ MMU_PT_UPDATE_PRESERVE_AD,
                                             MMU_PT_UPDATE_NO_TRANSLATE, 4, 7 }[rng_below(r, 4)];
    switch (rng_below(r, 10)) {
    case 0: {
        unsigned int l = 1 + (unsigned int)rng_below(r, 3);
        if (world.nr_free_slot[l])
            return world.pt_free_slot[l][rng_below(r, world.nr_free_slot[l])] | type;
        break;
    }
    case 1: return (gen_frame(c, FR_OTHER) << PAGE_SHIFT) + off + type;
    /* gen_frame_writable(): FR_HV's random MFNs include our shared_info
     * (a hypervisor frame we may write): a plain write there once put a
     * PTE into vCPU 1's time version, which then spun for ever in
     * pvclock_now() (FUZZ_SEED=20261245, QEMU's monitor showed it). */
    case 2: return (gen_frame_writable(c, gen_frame(c, FR_HV)) << PAGE_SHIFT) + off + type;
    case 3: return (gen_frame_writable(c, gen_frame(c, FR_XEN)) << PAGE_SHIFT) + off + type;
    case 4: return (gen_frame(c, FR_BOUNDARY) << PAGE_SHIFT) + off + type;
    case 5: return (gen_frame(c, FR_LOOSE_ANY) << PAGE_SHIFT) + off + type;
    default: break;
    }
    return (gen_frame(c, FR_LOOSE) << PAGE_SHIFT) + off + type;
}

void build_mmu_update(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, FUZZ_BATCH_MAX), i;
    struct mmu_update *u = op_arena(c, n * sizeof(*u));

    for (i = 0; i < n; i++) {
        if (i && rng_chance(r, 10)) {
            u[i] = u[rng_below(r, i)];          /* duplicates and overlaps */
            continue;
        }
        if (rng_chance(r, 8)) {                 /* M2P updates of frames not in use by us */
            u[i].ptr = (gen_frame_safe(c) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
            u[i].val = rng_chance(r, 50) ? rng_below(r, start_info->nr_pages + 64) : gen_bound(c);
            continue;
        }
        u[i].ptr = mmu_ptr(c);
        u[i].val = gen_pte(c, gen_frame_any(c));
    }
    a[0] = op_ptr_or_bad(c, u, n * sizeof(*u));
    a[1] = n;
    if (rng_chance(r, 5)) {
        /* A huge count over a buffer that ends at the guard page. */
        void *tail = op_arena_tail(c, u, n * sizeof(*u));
        if (tail) {
            a[0] = (uint64_t)tail;
            a[1] = gen_bound(c);
            if (known_excluded(KB_UNBOUNDED_MMU_BATCH) && a[1] > 4096)
                a[1] = 4096;
        }
    }
    a[2] = rng_chance(r, 70) ? (uint64_t)op_arena(c, 8) : gen_ptr(c, 4);
    a[2] = done_ptr_outside_list(c, a[2], a[0], a[1], sizeof(*u));
    a[3] = rng_chance(r, 75) ? DOMID_SELF : gen_domid(c);
}

/* One update a correct hypervisor must refuse: our arg page's L1 entry
 * made to map a hypervisor frame, a live page table writable, or a frame
 * beyond memory. */
int build_hostile_mmu(struct fuzz_cpu *c, uint64_t a[5])
{
    struct mmu_update *u = op_arena(c, sizeof(*u));
    uint64_t maddr, pt;

    if (!pte_lookup((unsigned long)c->arg, 1, &maddr))
        return 0;
    pt = world.pt_mfn[rng_below(&c->rng, 4)][0];
    /* Not merely "not ours": dom0 may map I/O and unowned frames. */
    switch (rng_below(&c->rng, 3)) {
    case 0:
        if (!world.nr_xen_owned)
            return 0;
        u->val = (world.xen_owned[rng_below(&c->rng, world.nr_xen_owned)] << PAGE_SHIFT) | PTE_P | PTE_RW;
        break;
    case 1: u->val = (pt << PAGE_SHIFT) | PTE_P | PTE_RW; break;
    default: u->val = ((1UL << 39) + rng_below(&c->rng, 1UL << 20)) << PAGE_SHIFT | PTE_P; break;
    }
    u->ptr = maddr;
    a[0] = (uint64_t)u;
    a[1] = 1;
    a[2] = 0;
    a[3] = DOMID_SELF;
    return 1;
}

void build_mmuext(struct fuzz_cpu *c, uint64_t a[5])
{
    static const uint32_t cmds[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
        MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL,
        MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
        MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT, MMUEXT_NEW_USER_BASEPTR, MMUEXT_CLEAR_PAGE,
        MMUEXT_COPY_PAGE, MMUEXT_FLUSH_CACHE_GLOBAL, MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER,
        14, 21, 0xffffffff,
    };
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, FUZZ_BATCH_MAX / 2), i;
    struct mmuext_op *o = op_arena(c, n * sizeof(*o));

    for (i = 0; i < n; i++) {
        uint32_t cmd = cmds[rng_chance(r, 60) ? rng_below(r, 5) : rng_below(r, ARRAY_SIZE(cmds))];

        if (i && rng_chance(r, 10)) {
            o[i] = o[rng_below(r, i)];
            continue;
        }
        memset(&o[i], 0, sizeof(o[i]));
        o[i].cmd = cmd;
        switch (cmd) {
        case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE:
        case MMUEXT_PIN_L3_TABLE: case MMUEXT_PIN_L4_TABLE:
        case MMUEXT_UNPIN_TABLE: case MMUEXT_MARK_SUPER: case MMUEXT_UNMARK_SUPER:
            o[i].arg1.mfn = rng_chance(r, 60) ? gen_frame(c, rng_chance(r, 70) ? FR_LOOSE : FR_LOOSE_ANY)
                                              : gen_frame_any(c);
            break;
        case MMUEXT_NEW_BASEPTR: {
            /* Not FR_OWN_DATA: a frame of our region nothing maps
             * writable (an argument page's original frame, say) may hold
             * zeros, which a correct hypervisor takes as a valid empty L4
             * and unmaps us (seen: fuzz_known=1 fuzz_seed=3 fuzz_vcpus=1,
             * "cannot write a bounce frame").  Our sink page is data we
             * map writable: that one must be refused. */
            static const enum frame_kind k[] = { FR_OWN_PT, FR_OWN_DATA, FR_OTHER, FR_XEN, FR_HV, FR_BOUNDARY };
            enum frame_kind kind = k[rng_below(r, ARRAY_SIZE(k))];
            o[i].arg1.mfn = kind == FR_OWN_DATA ? virt_to_mfn(c->sink) : gen_frame(c, kind);
            /* FR_HV and FR_BOUNDARY may hit frames of ours nobody tracks
             * (a frame another vCPU was just handed by increase_reservation,
             * say; seen: fuzz_known=1 fuzz_seed=5, and the 10^6-call run
             * with FUZZ_SEED=20261207, v1 -> 0x1f944): only frames
             * getframeinfo said DOMID_XEN owns, or none at all. */
            if (kind == FR_HV)
                o[i].arg1.mfn = world.nr_xen_owned ? world.xen_owned[rng_below(r, world.nr_xen_owned)]
                                                   : world.max_mfn + 1;
            if (kind == FR_BOUNDARY && o[i].arg1.mfn <= world.max_mfn)
                o[i].arg1.mfn = world.max_mfn + 1 + rng_below(r, 4096);
            if (o[i].arg1.mfn != virt_to_mfn(current_l4) &&
                (own_mfn(o[i].arg1.mfn) || is_loose(o[i].arg1.mfn)))
                o[i].arg1.mfn = virt_to_mfn(c->sink);
            break;
        }
        case MMUEXT_NEW_USER_BASEPTR:
            o[i].arg1.mfn = rng_chance(r, 20) ? 0 : gen_frame_any(c);
            break;
        case MMUEXT_CLEAR_PAGE:
            o[i].arg1.mfn = gen_frame_safe(c);
            break;
        case MMUEXT_COPY_PAGE:
            o[i].arg1.mfn = gen_frame_safe(c);
            o[i].arg2.src_mfn = gen_frame_any(c);
            break;
        case MMUEXT_SET_LDT:
            o[i].arg1.linear_addr = gen_va(c) & (rng_chance(r, 70) ? PAGE_MASK : ~0UL);
            o[i].arg2.nr_ents = (uint32_t)(rng_chance(r, 70) ? rng_below(r, 8200) : gen_bound(c));
            break;
        case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_ALL:
            o[i].arg1.linear_addr = gen_va(c);
            break;
        case MMUEXT_INVLPG_MULTI: case MMUEXT_TLB_FLUSH_MULTI: {
            uint64_t *mask = op_arena(c, 16);
            mask[0] = rng_next(r);
            mask[1] = rng_next(r);
            o[i].arg1.linear_addr = gen_va(c);
            o[i].arg2.vcpumask.p = (void *)op_ptr_or_bad(c, mask, 16);
            break;
        }
        default:
            o[i].arg1.mfn = gen_bound(c);
            o[i].arg2.src_mfn = gen_bound(c);
        }
        if (cmd == MMUEXT_SET_LDT)
            c->dirty |= DIRTY_LDT;
        if (cmd == MMUEXT_NEW_USER_BASEPTR)
            c->dirty |= DIRTY_USERBASE;
    }
    a[0] = op_ptr_or_bad(c, o, n * sizeof(*o));
    a[1] = n;
    if (rng_chance(r, 4)) {
        a[1] = gen_bound(c);
        if (known_excluded(KB_UNBOUNDED_MMU_BATCH) && a[1] > 4096)
            a[1] = 4096;
        if (a[1] > n) {             /* read on to the guard page, not into our memory */
            void *tail = op_arena_tail(c, o, n * sizeof(*o));
            if (tail)
                a[0] = (uint64_t)tail;
            else
                a[1] = n;
        }
    }
    a[2] = rng_chance(r, 70) ? (uint64_t)op_arena(c, 8) : gen_ptr(c, 4);
    a[2] = done_ptr_outside_list(c, a[2], a[0], a[1], sizeof(*o));
    a[3] = rng_chance(r, 80) ? DOMID_SELF : gen_domid(c);
}

/* The VAs update_va_mapping may change: this vCPU's argument and guard
 * pages (restored after the call) or addresses that must be refused. */
static uint64_t uvm_va(struct fuzz_cpu *c, int in_multicall)
{
    struct fuzz_rng *r = &c->rng;

    if (rng_chance(r, 70)) {
        /* In a multicall only the guard page: later entries and the list
         * itself live in the argument pages. */
        unsigned int page = in_multicall ? FUZZ_ARG_PAGES : (unsigned int)rng_below(r, FUZZ_ARG_PAGES + 1);
        c->dirty |= DIRTY_MAPPING;
        return (uint64_t)c->arg + page * PAGE_SIZE + (rng_chance(r, 5) ? rng_below(r, PAGE_SIZE) : 0);
    }
    switch (rng_below(r, 5)) {
    case 0: return HYPERVISOR_VIRT_START + rng_below(r, 1UL << 43);
    case 1: return (rng_next(r) | (1UL << 47)) & ~(1UL << 63);
    case 2: return MACH2PHYS_VIRT_START;
    case 3: return rng_below(r, 1UL << 47);
    default: return (uint64_t)pfn_to_virt(world.region_pages) + rng_below(r, 1UL << 30);
    }
}

static uint64_t uvm_flags(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;
    uint64_t f = rng_below(r, 4) | (rng_chance(r, 30) ? UVMF_ALL : 0);

    if (rng_chance(r, 15)) {                    /* UVMF_MULTI: a vCPU mask pointer */
        uint64_t *mask = op_arena(c, 8);
        *mask = rng_next(r);
        f = (f & 3) | (op_ptr_or_bad(c, mask, 8) & ~7UL);
    }
    return f;
}

void build_uvm(struct fuzz_cpu *c, uint64_t a[5], int other, int in_multicall)
{
    /* Not FR_XEN or FR_OWN_DATA: a correct hypervisor maps them writable,
     * and later outputs into the arg page would then land in shared_info
     * or in our own data. */
    static const enum frame_kind k[] = { FR_LOOSE, FR_LOOSE_ANY, FR_OTHER, FR_HV,
                                         FR_BOUNDARY, FR_OWN_PT };
    a[0] = uvm_va(c, in_multicall);
    a[1] = gen_pte(c, gen_frame(c, k[rng_below(&c->rng, ARRAY_SIZE(k))]));
    a[2] = uvm_flags(c);
    a[3] = other ? gen_domid(c) : 0;
}
