/*
 * One random call per op_build(): every hypercall the hypervisor
 * implements (xen/arch/x86/pv/hypercall.c's table) and each handler's
 * sub-ops, with structured arguments built in the vCPU's argument pages.
 *
 * Rules that keep the guest alive, because a *correct* hypervisor would
 * otherwise legitimately hurt it (these are not bug exclusions; those are
 * in exclusions.c):
 *  - our live data frames are never the destination of CLEAR/COPY_PAGE,
 *    update_descriptor, register_vcpu_info, MACHPHYS updates or a
 *    writable arg mapping;
 *  - mmu_update writes into our live tables only into empty slots, or as a
 *    single "hostile" update that must be refused (counted if not);
 *  - NEW_BASEPTR never gets a frame of ours but our L4 (a zeroed frame is a
 *    valid empty L4 and would unmap us); nothing writes our shared_info;
 *  - update_va_mapping only on this vCPU's argument pages and guard page;
 *  - no iret, no shutdown/watchdog of dom0, no VCPUOP_down of a running
 *    vCPU, no pause/destroy/setmaxmem/setschedparams of dom0; block and poll
 *    always with a deadline (block with events masked; no close of another
 *    vCPU's timer channel);
 *  - runstate/time areas point only at this vCPU's sink page or bad
 *    addresses; register_vcpu_info's frame is the sink page (loose frames
 *    too with fuzz_known=1);
 *  - console writes are at most 64 'z's (no fake PASS/FAIL line);
 *  - an output count larger than the buffer we allocated goes with a
 *    pointer that faults before our other memory (gen_bad_ptr): a correct
 *    hypervisor writes as much as it is told.
 * State a call may change (trap table, callbacks, debug registers, TS,
 * segment bases, GDT, LDT, user base, our mappings, IOPL, timers) is put
 * back by restore_state() after every top-level call.
 */
#include "fuzz.h"

#define MAX_CREATED 12

static volatile unsigned int created_domains;

/* Buffers for one top-level call.  Never wraps: a multicall's list or an
 * earlier entry's struct overwritten by a later one would turn into calls
 * nobody generated (a zeroed entry is set_trap_table(NULL)).  When full,
 * hand out the trash page and let build_multicall() stop adding entries. */
static void *arena(struct fuzz_cpu *c, size_t size)
{
    size_t at = (c->arg_used + 15) & ~15UL;

    if (at + size > FUZZ_ARG_PAGES * PAGE_SIZE || c->arena_full) {
        c->arena_full = 1;
        return c->trash;
    }
    c->arg_used = at + size;
    return c->arg + at;
}

/* Mostly the valid buffer, sometimes a pointer that cannot be read whole.
 * Never another valid buffer: what lies there is stale data of earlier
 * calls (frame numbers, domain ids) and could be a legitimate order to
 * clear our own pages or shut us down. */
static uint64_t ptr_or_bad(struct fuzz_cpu *c, void *valid, size_t size)
{
    uint64_t p, guard = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;

    if (rng_chance(&c->rng, 85))
        return (uint64_t)valid;
    p = gen_bad_ptr(c, size);
    /* Straddling the guard: the readable part must be what we generated,
     * not stale bytes (a stale zero multicall entry is set_trap_table(NULL)). */
    if (p >= (uint64_t)c->arg && p < guard)
        memmove((void *)p, valid, guard - p < size ? guard - p : size);
    return p;
}

static void fill_random(struct fuzz_cpu *c, void *p, size_t size)
{
    uint64_t *w = p;
    size_t i;

    for (i = 0; i < size / 8; i++)
        w[i] = rng_chance(&c->rng, 50) ? gen_bound(c) : rng_next(&c->rng);
}

/* ---- Page tables -------------------------------------------------------- */

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
    case 2: return (gen_frame(c, FR_HV) << PAGE_SHIFT) + off + type;
    case 3: return (gen_frame_writable(c, gen_frame(c, FR_XEN)) << PAGE_SHIFT) + off + type;
    case 4: return (gen_frame(c, FR_BOUNDARY) << PAGE_SHIFT) + off + type;
    case 5: return (gen_frame(c, FR_LOOSE_ANY) << PAGE_SHIFT) + off + type;
    default: break;
    }
    return (gen_frame(c, FR_LOOSE) << PAGE_SHIFT) + off + type;
}

static void build_mmu_update(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    unsigned int n = 1 + (unsigned int)rng_below(r, FUZZ_BATCH_MAX), i;
    struct mmu_update *u = arena(c, n * sizeof(*u));

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
    a[0] = ptr_or_bad(c, u, n * sizeof(*u));
    a[1] = n;
    if (rng_chance(r, 5)) {
        /* A huge count over a buffer that ends at the guard page. */
        a[0] = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE - n * sizeof(*u);
        memmove((void *)a[0], u, n * sizeof(*u));
        a[1] = gen_bound(c);
        if (known_excluded(KB_UNBOUNDED_MMU_BATCH) && a[1] > 4096)
            a[1] = 4096;
    }
    a[2] = rng_chance(r, 70) ? (uint64_t)arena(c, 8) : gen_ptr(c, 4);
    a[3] = rng_chance(r, 75) ? DOMID_SELF : gen_domid(c);
}

/* One update a correct hypervisor must refuse: our arg page's L1 entry
 * made to map a hypervisor frame, a live page table writable, or a frame
 * beyond memory. */
static int build_hostile_mmu(struct fuzz_cpu *c, uint64_t a[5])
{
    struct mmu_update *u = arena(c, sizeof(*u));
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

static void build_mmuext(struct fuzz_cpu *c, uint64_t a[5])
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
    struct mmuext_op *o = arena(c, n * sizeof(*o));

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
            uint64_t *mask = arena(c, 16);
            mask[0] = rng_next(r);
            mask[1] = rng_next(r);
            o[i].arg1.linear_addr = gen_va(c);
            o[i].arg2.vcpumask.p = (void *)ptr_or_bad(c, mask, 16);
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
    a[0] = ptr_or_bad(c, o, n * sizeof(*o));
    a[1] = n;
    if (rng_chance(r, 4)) {
        a[1] = gen_bound(c);
        if (known_excluded(KB_UNBOUNDED_MMU_BATCH) && a[1] > 4096)
            a[1] = 4096;
        if (a[1] > n)               /* read on to the guard page, not into our memory */
            a[0] = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE - n * sizeof(*o),
            memmove((void *)a[0], o, n * sizeof(*o));
    }
    a[2] = rng_chance(r, 70) ? (uint64_t)arena(c, 8) : gen_ptr(c, 4);
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
        uint64_t *mask = arena(c, 8);
        *mask = rng_next(r);
        f = (f & 3) | (ptr_or_bad(c, mask, 8) & ~7UL);
    }
    return f;
}

static void build_uvm(struct fuzz_cpu *c, uint64_t a[5], int other, int in_multicall)
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

/* ---- Descriptors, traps, callbacks -------------------------------------- */

static void build_set_gdt(struct fuzz_cpu *c, uint64_t a[5])
{
    uint64_t *frames = arena(c, 16 * 8);
    unsigned int i;

    for (i = 0; i < 16; i++)
        frames[i] = rng_chance(&c->rng, 60) ? gen_frame(c, FR_LOOSE) : gen_frame_any(c);
    if (rng_chance(&c->rng, 10))
        frames[1] = frames[0];
    a[0] = ptr_or_bad(c, frames, 16 * 8);
    a[1] = rng_chance(&c->rng, 80) ? rng_below(&c->rng, 14 * 512 + 2) : gen_bound(c);
    c->dirty |= DIRTY_GDT;
}

static uint64_t gen_descriptor(struct fuzz_cpu *c)
{
    static const uint64_t d[] = {
        0x00af9b000000ffffUL,   /* 64-bit code DPL0 */
        0x00affb000000ffffUL,   /* 64-bit code DPL3 */
        0x00cff3000000ffffUL,   /* data DPL3 */
        0x00cf93000000ffffUL,   /* data DPL0 */
        0x0000e90000000067UL,   /* TSS */
        0x0000ec0000000000UL,   /* call gate */
        0,
    };
    return rng_chance(&c->rng, 70) ? d[rng_below(&c->rng, ARRAY_SIZE(d))] : rng_next(&c->rng);
}

static void build_update_descriptor(struct fuzz_cpu *c, uint64_t a[5])
{
    uint64_t off = rng_below(&c->rng, 512) * 8 + (rng_chance(&c->rng, 5) ? 4 : 0);

    /* Not FR_OWN_DATA: like Xen, a writable page takes a descriptor. */
    uint64_t f = rng_chance(&c->rng, 20) ? gen_frame(c, FR_OWN_PT) : gen_frame_safe(c);

    a[0] = (f << PAGE_SHIFT) + off;
    a[1] = gen_descriptor(c);
}

static void build_trap_table(struct fuzz_cpu *c, uint64_t a[5])
{
    unsigned int n = (unsigned int)rng_below(&c->rng, 40), i;
    struct trap_info *t = arena(c, (n + 1) * sizeof(*t));

    for (i = 0; i < n; i++) {
        t[i].vector = (uint8_t)rng_next(&c->rng);
        t[i].flags = (uint8_t)rng_next(&c->rng);
        t[i].cs = (uint16_t)(rng_chance(&c->rng, 70) ? FLAT_KERNEL_CS : rng_next(&c->rng));
        t[i].address = gen_va(c);
    }
    memset(&t[n], 0, sizeof(t[n]));
    if (rng_chance(&c->rng, 10))
        t[n].address = 1;                       /* no terminator: runs into the guard */
    a[0] = ptr_or_bad(c, t, (n + 1) * sizeof(*t));
    c->dirty |= DIRTY_TRAPS;
}

static void build_callback_op(struct fuzz_cpu *c, uint64_t a[5])
{
    struct callback_register *cb = arena(c, sizeof(*cb));

    cb->type = (uint16_t)(rng_chance(&c->rng, 85) ? rng_below(&c->rng, 8) : gen_bound(c));
    cb->flags = (uint16_t)rng_next(&c->rng);
    cb->address = gen_va(c);
    a[0] = rng_chance(&c->rng, 90) ? rng_below(&c->rng, 2) : gen_bound(c);
    a[1] = ptr_or_bad(c, cb, sizeof(*cb));
    c->dirty |= DIRTY_CALLBACKS;
}

static void build_debugreg(struct fuzz_cpu *c, uint64_t a[5], int set)
{
    a[0] = rng_chance(&c->rng, 85) ? rng_below(&c->rng, 8) : gen_bound(c);
    a[1] = rng_chance(&c->rng, 50) ? gen_va(c) : gen_bound(c);
    /* DR7: never enable a breakpoint (our own code would trap). */
    if (a[0] == 7 || a[0] == 5)
        a[1] &= ~0xffUL;
    if (set)
        c->dirty |= DIRTY_DEBUG;
}

/* ---- vCPUs, scheduling, timers ------------------------------------------ */

static void build_vcpu_context(struct fuzz_cpu *c, struct vcpu_guest_context *ctx)
{
    struct fuzz_rng *r = &c->rng;
    unsigned int i;

    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = rng_next(r) & (VGCF_i387_valid | VGCF_in_kernel | VGCF_failsafe_disables_events |
                                VGCF_syscall_disables_events | VGCF_online);
    if (known_excluded(KB_INITIALISE_NOT_IN_KERNEL))
        ctx->flags |= VGCF_in_kernel;
    ctx->user_regs.rip = gen_va(c);
    ctx->user_regs.rsp = gen_va(c);
    ctx->user_regs.cs = rng_chance(r, 80) ? FLAT_KERNEL_CS : (uint16_t)rng_next(r);
    ctx->user_regs.ss = rng_chance(r, 80) ? FLAT_KERNEL_SS : (uint16_t)rng_next(r);
    ctx->user_regs.rflags = rng_next(r);
    for (i = 0; i < 6; i++) {
        unsigned int v = (unsigned int)rng_below(r, 256);
        ctx->trap_ctxt[v].vector = (uint8_t)v;
        ctx->trap_ctxt[v].flags = (uint8_t)rng_next(r);
        ctx->trap_ctxt[v].address = gen_va(c);
    }
    ctx->ldt_base = rng_chance(r, 70) ? 0 : gen_va(c);
    ctx->ldt_ents = rng_chance(r, 70) ? 0 : gen_bound(c);
    if (!known_excluded(KB_UNVALIDATED_GDT_FRAMES) && rng_chance(r, 50)) {
        ctx->gdt_ents = rng_below(r, 14 * 512 + 2);
        for (i = 0; i < 16; i++)
            ctx->gdt_frames[i] = gen_frame_any(c);
    }
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = gen_va(c);
    ctx->ctrlreg[3] = xen_pfn_to_cr3(rng_chance(r, 50) ? gen_frame(c, FR_OTHER) : gen_frame_any(c));
    if (rng_chance(r, 20))
        ctx->ctrlreg[1] = xen_pfn_to_cr3(gen_frame_any(c));
    if (rng_chance(r, 5))
        ctx->ctrlreg[3] = rng_next(r);
    ctx->event_callback_eip = gen_va(c);
    ctx->failsafe_callback_eip = gen_va(c);
    ctx->syscall_callback_eip = gen_va(c);
    ctx->fs_base = gen_va(c);
    ctx->gs_base_kernel = gen_va(c);
    ctx->gs_base_user = gen_va(c);
    for (i = 0; i < 8; i++)
        ctx->debugreg[i] = rng_chance(r, 80) ? 0 : gen_bound(c);
}

static int build_vcpu_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall)
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? rng_below(r, 15) : gen_bound(c));
    uint32_t vid = gen_vcpu(c);

    a[0] = cmd;
    a[1] = vid;
    switch (cmd) {
    case VCPUOP_initialise: {
        struct vcpu_guest_context *ctx = arena(c, sizeof(*ctx));
        build_vcpu_context(c, ctx);
        a[2] = ptr_or_bad(c, ctx, sizeof(*ctx));
        break;
    }
    case VCPUOP_down:
    case VCPUOP_up:
        /* down: would stop a fuzzing vCPU; up: would start an unused one
         * on whatever context a fuzzed initialise left it. */
        if (vid < world.nr_vcpus)
            return 0;
        break;
    case VCPUOP_register_runstate_memory_area:
    case VCPUOP_register_vcpu_time_memory_area: {
        struct vcpu_register_runstate_memory_area *ra = arena(c, sizeof(*ra));
        /* The upper half of the sink page: the lower half may hold our
         * vcpu_info, whose time record we read (an odd version written
         * over it would make pvclock_now() spin for ever). */
        uint64_t areas = (uint64_t)c->sink + PAGE_SIZE / 2;
        ra->addr.p = rng_chance(r, 60) ? areas + rng_below(r, 128) * 8 : (uint64_t)gen_ptr(c, 64);
        if (ra->addr.p >= (uint64_t)c->arg && ra->addr.p < (uint64_t)c->arg + (FUZZ_ARG_PAGES + 1) * PAGE_SIZE)
            ra->addr.p = areas;                 /* not into buffers we are building */
        a[2] = ptr_or_bad(c, ra, sizeof(*ra));
        break;
    }
    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info *vi;
        if (in_multicall)
            return 0;                           /* op_after must see it to follow the move */
        vi = arena(c, sizeof(*vi));
        /* The target vCPU's own sink page, so we can follow the move. */
        uint64_t sink = virt_to_mfn(vid < fuzz_cfg.vcpus ? fuzz_cpus[vid].sink : c->sink);
        /* Only our sink page among our frames: a vcpu_info we cannot see
         * keeps its upcall flag set for ever, and a correct hypervisor
         * then delivers the upcall on every return to us (seen: fuzz_seed=11
         * on two vCPUs, vcpu_info moved to mfn 0x1df92, 88 million upcalls
         * and no call made).  Other domains' and the hypervisor's frames (must
         * be refused) stay. */
        vi->mfn = rng_chance(r, 40) ? sink : gen_frame_safe(c);
        if (known_excluded(KB_VCPU_INFO_FRAME_RETYPED) && vi->mfn != sink && own_mfn(vi->mfn))
            vi->mfn = sink;
        if (vi->mfn != sink) {
            /* (Not FR_XEN: grant frames are ours to write, so accepted.) */
            static const enum frame_kind k[] = { FR_OTHER, FR_HV };
            enum frame_kind kind = k[rng_below(r, ARRAY_SIZE(k))];
            vi->mfn = kind == FR_HV ? (world.nr_xen_owned ? world.xen_owned[rng_below(r, world.nr_xen_owned)]
                                                          : world.max_mfn + 1)
                                    : gen_frame_writable(c, gen_frame(c, kind));
            if (own_mfn(vi->mfn) || is_loose(vi->mfn))
                vi->mfn = sink;
        }
        vi->offset = (uint32_t)(rng_chance(r, 80) ? rng_below(r, 32) * 64 : gen_bound(c));
        if (vi->mfn == sink && vi->offset >= PAGE_SIZE / 2 && vi->offset < PAGE_SIZE)
            vi->offset = 0;                     /* the upper half is for the areas */
        vi->rsvd = rng_chance(r, 90) ? 0 : (uint32_t)rng_next(r);
        a[2] = ptr_or_bad(c, vi, sizeof(*vi));
        break;
    }
    case VCPUOP_set_periodic_timer:
    case VCPUOP_set_singleshot_timer: {
        uint64_t *t = arena(c, 16);
        t[0] = rng_chance(r, 50) ? pvclock_now() + rng_below(r, 20000000) : gen_bound(c);
        t[1] = rng_next(r) & 3;
        a[2] = ptr_or_bad(c, t, 16);
        c->dirty |= DIRTY_TIMER;
        break;
    }
    default: {
        void *buf = arena(c, 64);
        fill_random(c, buf, 64);
        a[2] = ptr_or_bad(c, buf, 64);
    }
    }
    return 1;
}

/* SCHEDOP_block returns only on an event: make sure VIRQ_TIMER is bound,
 * to this vCPU, unmasked (the run may have closed or moved it). */
static int timer_virq_ready(struct fuzz_cpu *c)
{
    evtchn_port_t port;
    long rc = evtchn_bind_virq(VIRQ_TIMER, c->id, &port);
    unsigned int p;

    if (rc == -EEXIST) {
        for (p = 1, port = 0; p < 256 && !port; p++) {
            struct evtchn_status st = { .dom = DOMID_SELF, .port = p };
            if (hv_evtchn_op(EVTCHNOP_status, &st) == 0 && st.status == EVTCHNSTAT_virq &&
                st.u.virq == VIRQ_TIMER && st.vcpu == c->id)
                port = p;
        }
    } else if (rc) {
        return 0;
    }
    if (!port || port >= NR_PORTS)
        return 0;
    /* A stale pending bit would swallow the timer's edge; a guest-side
     * unmask does not re-deliver, the hypercall does. */
    evtchn_clear_pending(port);
    evtchn_unmask(port);
    return 1;
}

static int build_sched_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall)
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? rng_below(r, 9) : gen_bound(c));

    a[0] = cmd;
    switch (cmd) {
    case SCHEDOP_yield:
        break;
    case SCHEDOP_block:
        /* Returns when the timer fires; Xen-style block unmasks events,
         * which needs a vcpu_info we can still see. */
        if (known_excluded(KB_BLOCK_NO_WAKEUP) || c->vcpu_info_moved || in_multicall ||
            !timer_virq_ready(c))
            return 0;                           /* (earlier entries may have moved the callbacks) */
        /* Block as Linux does, with events masked (SCHEDOP_block unmasks
         * them): a timer that fires before we block leaves its event
         * pending for block to see, instead of being taken by our upcall
         * handler and leaving nothing to wake us. */
        events_disable();
        hypercall1(__HYPERVISOR_set_timer_op, pvclock_now() + 200000);
        c->dirty |= DIRTY_TIMER;
        break;
    case SCHEDOP_poll: {
        struct sched_poll *p = arena(c, sizeof(*p));
        uint32_t *ports = arena(c, 16 * 4);
        unsigned int i;
        for (i = 0; i < 16; i++)
            ports[i] = gen_port(c);
        p->ports.p = (void *)ptr_or_bad(c, ports, 64);
        p->nr_ports = (uint32_t)gen_count(c, 16);
        p->timeout = pvclock_now() + rng_below(r, 500000) + 1;  /* never 0: bounded */
        a[1] = (uint64_t)p;
        break;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown *s = arena(c, sizeof(*s));
        s->domain_id = gen_domid(c);
        if (s->domain_id == 0 || s->domain_id == DOMID_SELF)
            s->domain_id = world.other;
        s->reason = (uint32_t)rng_below(r, 6);
        /* Valid or NULL: a readable "bad" pointer (the M2P, a page table)
         * holds words that can read as (dom0, poweroff). */
        a[1] = rng_chance(r, 85) ? (uint64_t)s : 0;
        break;
    }
    case SCHEDOP_shutdown_code: {
        uint32_t *reason = arena(c, 4);
        *reason = (uint32_t)rng_below(r, 8);
        a[1] = ptr_or_bad(c, reason, 4);
        break;
    }
    case SCHEDOP_pin_override: {
        int32_t *pcpu = arena(c, 4);
        *pcpu = (int32_t)(rng_chance(r, 50) ? -1 : (int64_t)rng_below(r, 4));
        a[1] = ptr_or_bad(c, pcpu, 4);
        break;
    }
    case SCHEDOP_shutdown:
    case SCHEDOP_watchdog:
        return 0;                               /* would end or arm the end of dom0 */
    default:
        a[1] = gen_ptr(c, 16);
    }
    return 1;
}

/* ---- Events, grants, memory --------------------------------------------- */

static void build_evtchn(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? rng_below(r, 15) : gen_bound(c));
    uint32_t *w = arena(c, 32);
    unsigned int i;

    for (i = 0; i < 8; i++)
        w[i] = (uint32_t)rng_next(r);
    switch (cmd) {
    case EVTCHNOP_bind_virq:
        w[0] = (uint32_t)(rng_chance(r, 80) ? rng_below(r, 25) : gen_bound(c));
        w[1] = gen_vcpu(c);
        break;
    case EVTCHNOP_bind_ipi: case EVTCHNOP_reset:
        w[0] = rng_chance(r, 50) ? gen_vcpu(c) : gen_domid(c);
        break;
    case EVTCHNOP_alloc_unbound: case EVTCHNOP_bind_interdomain:
    case EVTCHNOP_status:
        ((uint16_t *)w)[0] = gen_domid(c);
        ((uint16_t *)w)[1] = gen_domid(c);
        w[1] = gen_port(c);
        w[2] = gen_port(c);
        break;
    case EVTCHNOP_bind_vcpu:
        w[0] = gen_port(c);
        w[1] = gen_vcpu(c);
        break;
    default:
        w[0] = gen_port(c);
        w[1] = gen_port(c);
    }
    /* Another vCPU may be in SCHEDOP_block waiting for its VIRQ_TIMER:
     * closing that channel (or all of ours) would leave it blocked for
     * good, as it would in Xen.  Our own timer channel we may close:
     * timer_virq_ready() binds it again before we block. */
    if (fuzz_cfg.vcpus > 1 && cmd == EVTCHNOP_close) {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = w[0] };
        if (hv_evtchn_op(EVTCHNOP_status, &st) == 0 && st.status == EVTCHNSTAT_virq &&
            st.u.virq == VIRQ_TIMER && st.vcpu != c->id)
            w[0] = 0;
    }
    if (fuzz_cfg.vcpus > 1 && cmd == EVTCHNOP_reset &&
        ((uint16_t)w[0] == DOMID_SELF || (uint16_t)w[0] == 0))
        w[0] = world.other;
    a[0] = cmd;
    a[1] = ptr_or_bad(c, w, 32);
}

static void build_grant(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 90) ? rng_below(r, 13) : gen_bound(c));
    unsigned int n = (unsigned int)gen_count(c, 3), i;
    uint8_t *buf = arena(c, 3 * 32);

    for (i = 0; i < 3; i++) {
        struct gnttab_setup_table *s = (void *)(buf + i * 32);
        uint64_t *list = arena(c, 64 * 8);
        s->dom = gen_domid(c);
        s->nr_frames = (uint32_t)(rng_chance(r, 80) ? rng_below(r, 40) : gen_bound(c));
        s->status = 0;
        s->frame_list.p = (void *)ptr_or_bad(c, list, 64 * 8);
        if (s->nr_frames > 64)                  /* output longer than the list */
            s->frame_list.p = (void *)gen_bad_ptr(c, 64 * 8);
        if (cmd == GNTTABOP_set_version)
            *(uint32_t *)s = (uint32_t)(rng_chance(r, 70) ? 1 + rng_below(r, 2) : gen_bound(c));
    }
    a[0] = cmd;
    a[1] = ptr_or_bad(c, buf, 3 * 32);
    a[2] = n;
    if (a[2] > 3 && a[1] == (uint64_t)buf)
        a[2] = 3;                               /* entries beyond are our memory */
}

static void build_memory_op(struct fuzz_cpu *c, uint64_t a[5])
{
    static const uint32_t cmds[] = {
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
        XENMEM_decrease_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
        XENMEM_maximum_ram_page, XENMEM_current_reservation, XENMEM_maximum_reservation,
        XENMEM_machphys_mfn_list, XENMEM_memory_map, XENMEM_machine_memory_map,
        XENMEM_machphys_mapping, 13 /* maximum_gpfn */, XENMEM_exchange,
        XENMEM_add_to_physmap, XENMEM_acquire_resource, 99,
    };
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = cmds[rng_below(r, ARRAY_SIZE(cmds))];
    uint64_t *list = arena(c, 32 * 8);
    unsigned int n = (unsigned int)rng_below(r, 9), i;

    a[0] = cmd | (rng_chance(r, 5) ? (rng_below(r, 40) << 6) : 0); /* start extent in bits 6+ */
    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap: {
        struct xen_memory_reservation *res = arena(c, sizeof(*res));
        res->domid = rng_chance(r, 70) ? DOMID_SELF : gen_domid(c);
        for (i = 0; i < 32; i++) {
            if (cmd == XENMEM_decrease_reservation) {
                int own_only = known_excluded(KB_CONCURRENT_DECREASE);
                list[i] = rng_chance(r, 80) ? gen_frame(c, own_only ? FR_LOOSE : FR_LOOSE_ANY)
                                            : gen_frame_any(c);
                if (own_only && !is_loose(list[i]) && rng_chance(r, 50))
                    list[i] = gen_frame(c, FR_LOOSE);
                if (own_only && is_loose(list[i]))  /* some other vCPU's: swap for ours */
                    list[i] = gen_frame(c, FR_LOOSE);
                if (res->domid != DOMID_SELF && rng_chance(r, 60))
                    list[i] = gen_frame(c, FR_OTHER);
                if (i && rng_chance(r, 10))
                    list[i] = list[i - 1];      /* the same frame twice */
            } else {
                list[i] = rng_chance(r, 80) ? start_info->nr_pages + rng_below(r, 64) : gen_bound(c);
            }
        }
        res->extent_start.p = (void *)ptr_or_bad(c, list, n * 8);
        res->nr_extents = rng_chance(r, 85) ? n : gen_bound(c);
        if (res->nr_extents > 32 && (uint64_t)res->extent_start.p == (uint64_t)list)
            res->nr_extents = 32;               /* beyond is our memory */
        res->extent_order = (uint32_t)(rng_chance(r, 85) ? 0 : rng_below(r, 12));
        res->mem_flags = (uint32_t)(rng_chance(r, 85) ? 0 : rng_next(r));
        if (cmd != XENMEM_decrease_reservation && rng_chance(r, 20))
            res->extent_start.p = NULL;
        a[1] = ptr_or_bad(c, res, sizeof(*res));
        break;
    }
    case XENMEM_current_reservation: case XENMEM_maximum_reservation: case 13: {
        domid_t *d = arena(c, 2);
        *d = gen_domid(c);
        a[1] = ptr_or_bad(c, d, 2);
        break;
    }
    default: {
        uint64_t *s = arena(c, 64);
        fill_random(c, s, 64);
        s[0] = gen_count(c, 32);                /* max_extents / nr_entries */
        s[1] = (uint64_t)list;
        if (s[0] > 32)
            s[1] = gen_bad_ptr(c, 8);
        a[1] = ptr_or_bad(c, s, 64);
    }
    }
}

/* ---- dom0_op, platform, misc -------------------------------------------- */

static int build_dom0_op(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    struct xen_dom0_op *op = arena(c, sizeof(*op));
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? 1 + rng_below(r, 19) : gen_bound(c));
    domid_t dom = rng_chance(r, 50) && world.other != DOMID_INVALID ? world.other : gen_domid(c);
    void *buf = arena(c, 512);

    memset(op, 0, sizeof(*op));
    if (rng_chance(r, 10))
        fill_random(c, &op->u, sizeof(op->u));  /* pads and tails non-zero */
    fill_random(c, buf, 512);
    switch (cmd) {
    case XEN_DOM0_createdomain:
        if (created_domains >= MAX_CREATED)
            return 0;
        op->u.createdomain.domid = rng_chance(r, 70) ? DOMID_INVALID : gen_domid(c);
        op->u.createdomain.max_pages = rng_chance(r, 80) ? 1 + rng_below(r, 64) : gen_bound(c);
        op->u.createdomain.max_vcpus = (uint32_t)(rng_chance(r, 80) ? 1 + rng_below(r, 4) : gen_bound(c));
        break;
    case XEN_DOM0_destroydomain: case XEN_DOM0_pausedomain: case XEN_DOM0_setmaxmem:
    case XEN_DOM0_setschedparams:
        if (dom == 0 || dom == DOMID_SELF || dom == DOMID_INVALID)
            return 0;                           /* dom0 itself: would stop the fuzzer */
        if (cmd == XEN_DOM0_destroydomain && dom == world.other && rng_chance(r, 90))
            return 0;                           /* rarely: the others use its frames */
        op->u.setmaxmem.domid = dom;
        op->u.setmaxmem.max_pages = rng_chance(r, 70) ? rng_below(r, 256) : gen_bound(c);
        op->u.schedparams.weight = (uint32_t)rng_next(r);
        break;
    case XEN_DOM0_getvcpucontext: case XEN_DOM0_setvcpucontext: {
        struct vcpu_guest_context *ctx = arena(c, sizeof(*ctx));
        if (cmd == XEN_DOM0_setvcpucontext && (dom == 0 || dom == DOMID_SELF))
            return 0;                           /* could start an unused dom0 vCPU anywhere */
        if (cmd == XEN_DOM0_setvcpucontext)
            build_vcpu_context(c, ctx);
        op->u.vcpucontext.domid = dom;
        op->u.vcpucontext.vcpu = rng_chance(r, 80) ? (uint32_t)rng_below(r, 3) : gen_vcpu(c);
        op->u.vcpucontext.ctxt = ptr_or_bad(c, ctx, sizeof(*ctx));
        op->u.vcpucontext.size = rng_chance(r, 90) ? sizeof(*ctx) : (uint32_t)gen_bound(c);
        break;
    }
    case XEN_DOM0_setvcpuaffinity:
        op->u.vcpuaffinity.domid = dom;
        op->u.vcpuaffinity.vcpu = gen_vcpu(c);
        op->u.vcpuaffinity.cpumap = ptr_or_bad(c, buf, 512);
        op->u.vcpuaffinity.nr_bits = (uint32_t)(rng_chance(r, 80) ? 1 + rng_below(r, 64) : gen_bound(c));
        if (op->u.vcpuaffinity.nr_bits > 4096 && op->u.vcpuaffinity.cpumap == (uint64_t)buf)
            op->u.vcpuaffinity.nr_bits = 4096;
        ((uint8_t *)buf)[0] |= 1;               /* keep some CPU for dom0 */
        break;
    case XEN_DOM0_getdomaininfolist:
        op->u.getdomaininfolist.first_domid = gen_domid(c);
        op->u.getdomaininfolist.max_entries = (uint32_t)gen_count(c, 8);
        op->u.getdomaininfolist.buffer = ptr_or_bad(c, arena(c, 8 * 80), 8 * 80);
        if (op->u.getdomaininfolist.max_entries > 8)
            op->u.getdomaininfolist.buffer = gen_bad_ptr(c, 8 * 80);
        break;
    case XEN_DOM0_getaccounting:
        op->u.getaccounting.domid = dom;
        op->u.getaccounting.nr_hypercall_counts = (uint32_t)gen_count(c, 64);
        op->u.getaccounting.hypercall_counts = ptr_or_bad(c, buf, 512);
        if (op->u.getaccounting.nr_hypercall_counts > 64)
            op->u.getaccounting.hypercall_counts = gen_bad_ptr(c, 512);
        break;
    case XEN_DOM0_readlog:
        op->u.readlog.start_seq = gen_bound(c);
        op->u.readlog.buffer = ptr_or_bad(c, buf, 512);
        op->u.readlog.size = (uint32_t)gen_count(c, 512);
        if (op->u.readlog.size > 512)
            op->u.readlog.buffer = gen_bad_ptr(c, 512);
        op->u.readlog.flags = rng_chance(r, 90) ? 0 : (uint32_t)rng_next(r);
        break;
    case XEN_DOM0_getframeinfo: {
        uint64_t *mfns = arena(c, 32 * 8);
        unsigned int i;
        for (i = 0; i < 32; i++)
            mfns[i] = gen_frame_any(c);
        op->u.getframeinfo.nr_frames = (uint32_t)gen_count(c, 32);
        op->u.getframeinfo.mfns = ptr_or_bad(c, mfns, 32 * 8);
        op->u.getframeinfo.info = ptr_or_bad(c, buf, 32 * 4);
        if (op->u.getframeinfo.nr_frames > 32)
            op->u.getframeinfo.mfns = gen_bad_ptr(c, 256), op->u.getframeinfo.info = gen_bad_ptr(c, 128);
        break;
    }
    case XEN_DOM0_getperfcounters:
        fill_random(c, &op->u, 32);
        ((uint32_t *)&op->u)[0] = (uint32_t)rng_below(r, 3);
        ((uint32_t *)&op->u)[1] = (uint32_t)gen_count(c, 16);
        ((uint64_t *)&op->u)[1] = ptr_or_bad(c, buf, 512);
        if (((uint32_t *)&op->u)[1] > 16)
            ((uint64_t *)&op->u)[1] = gen_bad_ptr(c, 512);
        break;
    default:
        op->u.domain.domid = dom;
        ((uint32_t *)&op->u)[1] = gen_vcpu(c);  /* vcpuinfo.vcpu */
    }
    op->cmd = cmd;
    op->interface_version = rng_chance(r, 95) ? XEN_DOM0_OP_INTERFACE_VERSION : (uint32_t)gen_bound(c);
    a[0] = ptr_or_bad(c, op, sizeof(*op));
    return 1;
}

static void build_platform_op(struct fuzz_cpu *c, uint64_t a[5])
{
    uint32_t *op = arena(c, 136);

    fill_random(c, op, 136);
    op[0] = rng_chance(&c->rng, 70) ? (rng_chance(&c->rng, 50) ? 55 /* get_cpuinfo */ : 62 /* settime64 */)
                                    : (uint32_t)rng_below(&c->rng, 70);
    op[1] = rng_chance(&c->rng, 90) ? 0x03000001 /* XENPF_INTERFACE_VERSION */ : (uint32_t)gen_bound(c);
    op[2] = (uint32_t)rng_below(&c->rng, 4);    /* get_cpuinfo.xen_cpuid */
    /* XENPF_enter_acpi_sleep to S5 powers dom0 off, as it should (the
     * 400,000-call run with FUZZ_SEED=20261207 ended so, no DONE):
     * S4 instead, which is refused. */
    if (op[0] == 51 /* enter_acpi_sleep */ && op[3] /* sleep_state */ == 5)
        op[3] = 4;
    /* Valid or NULL, not ptr_or_bad(): what a readable "bad" pointer
     * shows (the M2P, a page table) can read as enter_acpi_sleep(S5). */
    a[0] = rng_chance(&c->rng, 85) ? (uint64_t)op : 0;
}

static int build_console(struct fuzz_cpu *c, uint64_t a[5])
{
    uint64_t len = rng_below(&c->rng, 65);
    char *buf = arena(c, 512);

    a[0] = rng_chance(&c->rng, 90) ? rng_below(&c->rng, 2) : gen_bound(c);
    if (a[0] == CONSOLEIO_write) {
        memset(buf, 'z', len);
        a[1] = len;
        a[2] = rng_chance(&c->rng, 90) ? (uint64_t)buf : gen_bad_ptr(c, len);
        if (a[2] != (uint64_t)buf && probe_read((void *)a[2], NULL) == -1)
            a[2] = (uint64_t)buf;               /* only our z's, never fake lines */
        if (a[2] != (uint64_t)buf)
            a[1] = rng_chance(&c->rng, 50) ? gen_bound(c) : len;
    } else {
        a[1] = gen_count(c, 512);
        a[2] = ptr_or_bad(c, buf, 512);
        if (a[1] > 512)
            a[2] = gen_bad_ptr(c, 512);
    }
    return 1;
}

/* ---- The dispatcher ----------------------------------------------------- */

static const struct {
    uint64_t nr;
    unsigned int weight;
} weights[] = {
    { __HYPERVISOR_mmu_update, 14 }, { __HYPERVISOR_mmuext_op, 14 },
    { __HYPERVISOR_update_va_mapping, 6 }, { __HYPERVISOR_update_va_mapping_otherdomain, 3 },
    { __HYPERVISOR_memory_op, 10 }, { __HYPERVISOR_multicall, 6 },
    { __HYPERVISOR_vcpu_op, 6 }, { __HYPERVISOR_event_channel_op, 5 },
    { __HYPERVISOR_domctl, 6 }, { __HYPERVISOR_grant_table_op, 3 },
    { __HYPERVISOR_set_gdt, 3 }, { __HYPERVISOR_update_descriptor, 3 },
    { __HYPERVISOR_sched_op, 3 }, { __HYPERVISOR_set_trap_table, 1 },
    { __HYPERVISOR_callback_op, 1 }, { __HYPERVISOR_set_callbacks, 1 },
    { __HYPERVISOR_stack_switch, 1 }, { __HYPERVISOR_set_segment_base, 1 },
    { __HYPERVISOR_fpu_taskswitch, 1 }, { __HYPERVISOR_set_debugreg, 1 },
    { __HYPERVISOR_get_debugreg, 1 }, { __HYPERVISOR_platform_op, 1 },
    { __HYPERVISOR_set_timer_op, 1 }, { __HYPERVISOR_xen_version, 1 },
    { __HYPERVISOR_console_io, 1 }, { __HYPERVISOR_vm_assist, 1 },
    { __HYPERVISOR_physdev_op, 1 }, { __HYPERVISOR_xenpmu_op, 1 },
    { __HYPERVISOR_mca, 1 },
    { 0x1000 /* any unimplemented number */, 2 },
    { 0x2000 /* a hostile single mmu_update */, 2 },
};

static uint64_t pick_nr(struct fuzz_cpu *c)
{
    static unsigned int total;
    unsigned int i, w;

    if (!total)
        for (i = 0; i < ARRAY_SIZE(weights); i++)
            total += weights[i].weight;
    w = (unsigned int)rng_below(&c->rng, total);
    for (i = 0; i < ARRAY_SIZE(weights); i++) {
        if (w < weights[i].weight)
            return weights[i].nr;
        w -= weights[i].weight;
    }
    return __HYPERVISOR_xen_version;
}

static void build_multicall(struct fuzz_cpu *c, uint64_t a[5])
{
    unsigned int n = 1 + (unsigned int)rng_below(&c->rng, 16), i, k;
    struct multicall_entry *mc = arena(c, n * sizeof(*mc));

    for (i = 0; i < n; i++) {
        uint64_t nr, args[5] = { 0 };

        if (i && rng_chance(&c->rng, 10)) {
            mc[i] = mc[rng_below(&c->rng, i)];  /* the same call twice */
            continue;
        }
        if (!op_build(c, &nr, args, 1) || c->arena_full) {
            nr = __HYPERVISOR_xen_version, args[0] = 0, args[1] = 0;
            for (k = 2; k < 5; k++)
                args[k] = 0;
        }
        mc[i].op = nr;
        if (rng_chance(&c->rng, 3))
            mc[i].op = rng_chance(&c->rng, 50) ? __HYPERVISOR_multicall : __HYPERVISOR_iret;
        if (!known_excluded(KB_MULTICALL_WIDE_OP) && rng_chance(&c->rng, 3))
            mc[i].op |= 1UL << (32 + rng_below(&c->rng, 32));
        mc[i].result = 0;
        for (k = 0; k < 5; k++)
            mc[i].args[k] = args[k];
        mc[i].args[5] = 0;
    }
    a[0] = ptr_or_bad(c, mc, n * sizeof(*mc));
    a[1] = rng_chance(&c->rng, 90) ? n : gen_bound(c);
    c->dirty = DIRTY_ALL;                       /* whatever the entries did */
    if (a[1] > n && a[0] == (uint64_t)mc)
        a[1] = n;
}

int op_build(struct fuzz_cpu *c, uint64_t *nr, uint64_t a[5], int in_multicall)
{
    struct fuzz_rng *r = &c->rng;
    unsigned int i;

    for (i = 0; i < 5; i++)
        a[i] = 0;
    *nr = pick_nr(c);
    if (in_multicall && (*nr == __HYPERVISOR_multicall || *nr == 0x2000))
        *nr = __HYPERVISOR_mmuext_op;
    switch (*nr) {
    case __HYPERVISOR_mmu_update: build_mmu_update(c, a); break;
    case 0x2000:
        *nr = __HYPERVISOR_mmu_update;
        return build_hostile_mmu(c, a) ? 2 : 0;
    case __HYPERVISOR_mmuext_op: build_mmuext(c, a); break;
    case __HYPERVISOR_update_va_mapping: build_uvm(c, a, 0, in_multicall); break;
    case __HYPERVISOR_update_va_mapping_otherdomain: build_uvm(c, a, 1, in_multicall); break;
    case __HYPERVISOR_memory_op: build_memory_op(c, a); break;
    case __HYPERVISOR_multicall: build_multicall(c, a); break;
    case __HYPERVISOR_vcpu_op: return build_vcpu_op(c, a, in_multicall);
    case __HYPERVISOR_event_channel_op: build_evtchn(c, a); break;
    case __HYPERVISOR_domctl: return build_dom0_op(c, a);
    case __HYPERVISOR_grant_table_op: build_grant(c, a); break;
    case __HYPERVISOR_set_gdt: build_set_gdt(c, a); break;
    case __HYPERVISOR_update_descriptor: build_update_descriptor(c, a); break;
    case __HYPERVISOR_sched_op: return build_sched_op(c, a, in_multicall);
    case __HYPERVISOR_set_trap_table: build_trap_table(c, a); break;
    case __HYPERVISOR_callback_op: build_callback_op(c, a); break;
    case __HYPERVISOR_set_callbacks:
        a[0] = gen_va(c); a[1] = gen_va(c); a[2] = gen_va(c);
        c->dirty |= DIRTY_CALLBACKS;
        break;
    case __HYPERVISOR_stack_switch:
        a[0] = rng_chance(r, 70) ? FLAT_KERNEL_SS : gen_bound(c);
        a[1] = gen_va(c);
        break;
    case __HYPERVISOR_set_segment_base:
        a[0] = rng_chance(r, 90) ? rng_below(r, 4) : gen_bound(c);
        a[1] = rng_chance(r, 50) ? gen_va(c) : gen_bound(c);
        c->dirty |= DIRTY_SEG;
        break;
    case __HYPERVISOR_fpu_taskswitch:
        a[0] = rng_chance(r, 90) ? rng_below(r, 2) : gen_bound(c);
        c->dirty |= DIRTY_FPU;
        break;
    case __HYPERVISOR_set_debugreg: build_debugreg(c, a, 1); break;
    case __HYPERVISOR_get_debugreg: build_debugreg(c, a, 0); break;
    case __HYPERVISOR_platform_op: build_platform_op(c, a); break;
    case __HYPERVISOR_set_timer_op:
        a[0] = rng_chance(r, 50) ? pvclock_now() + rng_below(r, 10000000) : gen_bound(c);
        c->dirty |= DIRTY_TIMER;
        break;
    case __HYPERVISOR_xen_version:
        a[0] = rng_chance(r, 90) ? rng_below(r, 12) : gen_bound(c);
        a[1] = gen_ptr(c, 1024);
        break;
    case __HYPERVISOR_console_io: return build_console(c, a);
    case __HYPERVISOR_vm_assist:
        a[0] = rng_chance(r, 90) ? rng_below(r, 2) : gen_bound(c);
        a[1] = rng_chance(r, 90) ? rng_below(r, 8) : gen_bound(c);
        if (a[0] == 1 && a[1] == VMASST_TYPE_writable_pagetables)
            a[0] = 0;                           /* the lib's probes rely on it */
        break;
    case __HYPERVISOR_physdev_op: {
        uint32_t *w = arena(c, 64);
        fill_random(c, w, 64);
        a[0] = rng_chance(r, 50) ? (rng_chance(r, 50) ? PHYSDEVOP_set_iopl : PHYSDEVOP_get_nr_pirqs)
                                 : rng_below(r, 40);
        if (a[0] == PHYSDEVOP_apic_write)
            a[0] = PHYSDEVOP_apic_read;         /* dom0 may reprogram the IO-APIC */
        w[0] = (uint32_t)rng_below(r, 5);       /* set_iopl.iopl */
        a[1] = ptr_or_bad(c, w, 64);
        c->dirty |= DIRTY_IOPL;
        break;
    }
    case __HYPERVISOR_xenpmu_op: case __HYPERVISOR_mca: {
        uint64_t *w = arena(c, 128);
        fill_random(c, w, 128);
        a[0] = rng_chance(r, 50) ? rng_below(r, 16) : (uint64_t)w;
        a[1] = ptr_or_bad(c, w, 128);
        break;
    }
    default: {
        /* Unimplemented numbers: 0..63 without a handler, and wild ones. */
        static const uint64_t unimpl[] = { 6, 11, 16, 19, 27, 28, 31, 34, 35, 37, 38, 39, 41,
                                           42, 47, 49, 55, 63, 64, 0x100, ~0UL };
        *nr = unimpl[rng_below(r, ARRAY_SIZE(unimpl))];
        for (i = 0; i < 5; i++)
            a[i] = gen_bound(c);
    }
    }
    return 1;
}

/* Bookkeeping after a call: frames that changed hands, moved vcpu_info,
 * shared grant frames, our reservation balance. */
void op_after(struct fuzz_cpu *c, uint64_t nr, const uint64_t a[5], long rc)
{
    if (nr == __HYPERVISOR_memory_op && rc > 0 && a[1] >= (uint64_t)c->arg &&
        a[1] < (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE) {
        struct xen_memory_reservation *res = (void *)a[1];
        uint64_t *list = (uint64_t *)res->extent_start.p;
        uint32_t cmd = (uint32_t)(a[0] & 63);
        long i, start = (long)(a[0] >> 6);

        if (res->domid != DOMID_SELF && res->domid != 0)
            return;
        if ((uint64_t)list < (uint64_t)c->arg ||
            (uint64_t)list >= (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE)
            return;
        if (cmd == XENMEM_decrease_reservation) {
            for (i = start; i < rc && i < 32; i++)
                loose_note_released(list[i]);
        } else if ((cmd == XENMEM_increase_reservation || cmd == XENMEM_populate_physmap) &&
                   res->extent_order == 0) {
            /* Give back what we were handed, so the loose pools can refill. */
            struct xen_memory_reservation back = { .nr_extents = (uint64_t)(rc - start), .domid = DOMID_SELF };
            if (rc > start && rc <= 32) {
                back.extent_start.p = list + start;
                hv_memory_op(XENMEM_decrease_reservation, &back);
            }
        }
    }
    if (nr == __HYPERVISOR_vcpu_op && rc == 0 && a[0] == VCPUOP_register_vcpu_info &&
        a[1] < fuzz_cfg.vcpus) {
        struct vcpu_register_vcpu_info *vi = (void *)a[2];
        struct fuzz_cpu *t = &fuzz_cpus[a[1]];

        if (vi->mfn == virt_to_mfn(t->sink))
            smp_set_vcpu_info((unsigned int)a[1], (struct vcpu_info *)(t->sink + vi->offset));
        else
            t->vcpu_info_moved = 1;             /* somewhere we cannot see */
    }
    if (nr == __HYPERVISOR_domctl && rc == 0 && a[0] >= (uint64_t)c->arg &&
        a[0] < (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE &&
        ((struct xen_dom0_op *)a[0])->cmd == XEN_DOM0_createdomain)
        __atomic_add_fetch(&created_domains, 1, __ATOMIC_RELAXED);
}

int restore_state(struct fuzz_cpu *c)
{
    unsigned int d = c->dirty, i;
    int bad = 0;

    c->dirty = 0;
    if (d & DIRTY_MAPPING)
        for (i = 0; i <= FUZZ_ARG_PAGES; i++)
            if (hv_update_va_mapping((unsigned long)c->arg + i * PAGE_SIZE, c->arg_pte[i], UVMF_INVLPG))
                bad++;
    if ((d & DIRTY_TRAPS) && traps_init())
        bad++;
    if ((d & DIRTY_CALLBACKS) && events_init())
        bad++;
    if (d & DIRTY_DEBUG) {
        for (i = 0; i < 4; i++)
            hypercall2(__HYPERVISOR_set_debugreg, i, 0);
        hypercall2(__HYPERVISOR_set_debugreg, 7, 0x400);
    }
    if (d & DIRTY_FPU)
        hypercall1(__HYPERVISOR_fpu_taskswitch, 0);
    if (d & DIRTY_SEG) {
        hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0);
        hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER_SEL, 0);
    }
    if ((d & DIRTY_GDT) && hypercall2(__HYPERVISOR_set_gdt, 0, 0))
        bad++;
    if (d & (DIRTY_LDT | DIRTY_USERBASE)) {
        struct mmuext_op o[2] = {
            { .cmd = MMUEXT_SET_LDT },
            { .cmd = MMUEXT_NEW_USER_BASEPTR },
        };
        hv_mmuext_op(o, 2, NULL, DOMID_SELF);
    }
    if (d & DIRTY_IOPL) {
        uint32_t iopl = 0;
        hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, HC_PTR(&iopl));
    }
    if (d & DIRTY_TIMER) {
        hypercall1(__HYPERVISOR_set_timer_op, 0);
        hv_vcpu_op(VCPUOP_stop_periodic_timer, c->id, NULL);
        hv_vcpu_op(VCPUOP_stop_singleshot_timer, c->id, NULL);
    }
    events_disable();
    return bad;
}
