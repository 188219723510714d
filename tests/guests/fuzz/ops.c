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
 *    hypervisor writes as much as it is told;
 *  - a pointer to "any buffer" (gen_ptr) is in a per-vCPU scratch page,
 *    never the argument pages: an output there (a done count) would
 *    rewrite a request built for a later multicall entry;
 *  - nothing is mapped at virtual address 0 (L4 slot 0 is not a free
 *    slot), so the NULL pointers we pass always fault;
 *  - the entries of a multicall go through op_after() like top-level
 *    calls, so frames they give away leave the loose pools;
 *  - grant entries name only frames a write may hit, grant maps and
 *    unmap_and_replace's new_addr never touch our live VAs (ops-grant.c);
 *    EVTCHNOP_init_control never has an offset that could be accepted
 *    (ops-irq.c).
 * State a call may change (trap table, callbacks, debug registers, TS,
 * segment bases, GDT, LDT, user base, our mappings, IOPL, timers) is put
 * back by restore_state() after every top-level call.
 */
#include "fuzz.h"
#include "ops.h"

#define MAX_CREATED 12

static volatile unsigned int created_domains;

/* Buffers for one top-level call.  Never wraps: a multicall's list or an
 * earlier entry's struct overwritten by a later one would turn into calls
 * nobody generated (a zeroed entry is set_trap_table(NULL)).  When full,
 * hand out the trash page and let build_multicall() stop adding entries. */
void *op_arena(struct fuzz_cpu *c, size_t size)
{
    size_t at = (c->arg_used + 15) & ~15UL;

    if (at + size > FUZZ_ARG_PAGES * PAGE_SIZE || c->arena_full) {
        c->arena_full = 1;
        return c->trash;
    }
    c->arg_used = at + size;
    return c->arg + at;
}

/* A copy of src that ends exactly at the guard page (for a count larger
 * than the buffer), or NULL if that would overwrite buffers already built.
 * Nothing is built after it in this call (the arena counts as full), so
 * no later multicall entry lands on it either. */
void *op_arena_tail(struct fuzz_cpu *c, const void *src, size_t size)
{
    size_t at = FUZZ_ARG_PAGES * PAGE_SIZE - size;

    if (size > FUZZ_ARG_PAGES * PAGE_SIZE || c->arena_full || c->arg_used > at)
        return NULL;
    memmove(c->arg + at, src, size);
    c->arg_used = FUZZ_ARG_PAGES * PAGE_SIZE;
    c->arena_full = 1;
    return c->arg + at;
}

/* Mostly the valid buffer, sometimes a pointer that cannot be read whole.
 * Never another valid buffer: what lies there is stale data of earlier
 * calls (frame numbers, domain ids) and could be a legitimate order to
 * clear our own pages or shut us down. */
uint64_t op_ptr_or_bad(struct fuzz_cpu *c, void *valid, size_t size)
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

void op_fill_random(struct fuzz_cpu *c, void *p, size_t size)
{
    uint64_t *w = p;
    size_t i;

    for (i = 0; i < size / 8; i++)
        w[i] = rng_chance(&c->rng, 50) ? gen_bound(c) : rng_next(&c->rng);
}

/* ---- Descriptors, traps, callbacks -------------------------------------- */

static void build_set_gdt(struct fuzz_cpu *c, uint64_t a[5])
{
    uint64_t *frames = op_arena(c, 16 * 8);
    unsigned int i;

    for (i = 0; i < 16; i++)
        frames[i] = rng_chance(&c->rng, 60) ? gen_frame(c, FR_LOOSE) : gen_frame_any(c);
    if (rng_chance(&c->rng, 10))
        frames[1] = frames[0];
    a[0] = op_ptr_or_bad(c, frames, 16 * 8);
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
    struct trap_info *t = op_arena(c, (n + 1) * sizeof(*t));

    for (i = 0; i < n; i++) {
        t[i].vector = (uint8_t)rng_next(&c->rng);
        t[i].flags = (uint8_t)rng_next(&c->rng);
        t[i].cs = (uint16_t)(rng_chance(&c->rng, 70) ? FLAT_KERNEL_CS : rng_next(&c->rng));
        t[i].address = gen_va(c);
    }
    memset(&t[n], 0, sizeof(t[n]));
    if (rng_chance(&c->rng, 10))
        t[n].address = 1;                       /* no terminator: runs into the guard */
    a[0] = op_ptr_or_bad(c, t, (n + 1) * sizeof(*t));
    c->dirty |= DIRTY_TRAPS;
}

static void build_callback_op(struct fuzz_cpu *c, uint64_t a[5])
{
    struct callback_register *cb = op_arena(c, sizeof(*cb));

    cb->type = (uint16_t)(rng_chance(&c->rng, 85) ? rng_below(&c->rng, 8) : gen_bound(c));
    cb->flags = (uint16_t)rng_next(&c->rng);
    cb->address = gen_va(c);
    a[0] = rng_chance(&c->rng, 90) ? rng_below(&c->rng, 2) : gen_bound(c);
    a[1] = op_ptr_or_bad(c, cb, sizeof(*cb));
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

/* ---- Memory (events and physdev: ops-irq.c; grants: ops-grant.c) -------- */

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
    uint64_t *list = op_arena(c, 32 * 8);
    unsigned int n = (unsigned int)rng_below(r, 9), i;

    a[0] = cmd | (rng_chance(r, 5) ? (rng_below(r, 40) << 6) : 0); /* start extent in bits 6+ */
    switch (cmd) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap: {
        struct xen_memory_reservation *res = op_arena(c, sizeof(*res));
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
        res->extent_start.p = (void *)op_ptr_or_bad(c, list, n * 8);
        res->nr_extents = rng_chance(r, 85) ? n : gen_bound(c);
        if (res->nr_extents > 32 && (uint64_t)res->extent_start.p == (uint64_t)list)
            res->nr_extents = 32;               /* beyond is our memory */
        res->extent_order = (uint32_t)(rng_chance(r, 85) ? 0 : rng_below(r, 12));
        res->mem_flags = (uint32_t)(rng_chance(r, 85) ? 0 : rng_next(r));
        if (cmd != XENMEM_decrease_reservation && rng_chance(r, 20))
            res->extent_start.p = NULL;
        a[1] = op_ptr_or_bad(c, res, sizeof(*res));
        break;
    }
    case XENMEM_current_reservation: case XENMEM_maximum_reservation: case 13: {
        domid_t *d = op_arena(c, 2);
        *d = gen_domid(c);
        a[1] = op_ptr_or_bad(c, d, 2);
        break;
    }
    default: {
        uint64_t *s = op_arena(c, 64);
        op_fill_random(c, s, 64);
        s[0] = gen_count(c, 32);                /* max_extents / nr_entries */
        s[1] = (uint64_t)list;
        if (s[0] > 32)
            s[1] = gen_bad_ptr(c, 8);
        a[1] = op_ptr_or_bad(c, s, 64);
    }
    }
}

/* ---- dom0_op, platform, misc -------------------------------------------- */

static int build_dom0_op(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    struct xen_dom0_op *op = op_arena(c, sizeof(*op));
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? 1 + rng_below(r, 19) : gen_bound(c));
    domid_t dom = rng_chance(r, 50) && world.other != DOMID_INVALID ? world.other : gen_domid(c);
    void *buf = op_arena(c, 512);

    memset(op, 0, sizeof(*op));
    if (rng_chance(r, 10))
        op_fill_random(c, &op->u, sizeof(op->u));  /* pads and tails non-zero */
    op_fill_random(c, buf, 512);
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
        struct vcpu_guest_context *ctx = op_arena(c, sizeof(*ctx));
        if (cmd == XEN_DOM0_setvcpucontext && (dom == 0 || dom == DOMID_SELF))
            return 0;                           /* could start an unused dom0 vCPU anywhere */
        if (cmd == XEN_DOM0_setvcpucontext)
            build_vcpu_context(c, ctx);
        op->u.vcpucontext.domid = dom;
        op->u.vcpucontext.vcpu = rng_chance(r, 80) ? (uint32_t)rng_below(r, 3) : gen_vcpu(c);
        op->u.vcpucontext.ctxt = op_ptr_or_bad(c, ctx, sizeof(*ctx));
        op->u.vcpucontext.size = rng_chance(r, 90) ? sizeof(*ctx) : (uint32_t)gen_bound(c);
        break;
    }
    case XEN_DOM0_setvcpuaffinity:
        op->u.vcpuaffinity.domid = dom;
        op->u.vcpuaffinity.vcpu = gen_vcpu(c);
        op->u.vcpuaffinity.cpumap = op_ptr_or_bad(c, buf, 512);
        op->u.vcpuaffinity.nr_bits = (uint32_t)(rng_chance(r, 80) ? 1 + rng_below(r, 64) : gen_bound(c));
        if (op->u.vcpuaffinity.nr_bits > 4096 && op->u.vcpuaffinity.cpumap == (uint64_t)buf)
            op->u.vcpuaffinity.nr_bits = 4096;
        ((uint8_t *)buf)[0] |= 1;               /* keep some CPU for dom0 */
        break;
    case XEN_DOM0_getdomaininfolist:
        op->u.getdomaininfolist.first_domid = gen_domid(c);
        op->u.getdomaininfolist.max_entries = (uint32_t)gen_count(c, 8);
        op->u.getdomaininfolist.buffer = op_ptr_or_bad(c, op_arena(c, 8 * 80), 8 * 80);
        if (op->u.getdomaininfolist.max_entries > 8)
            op->u.getdomaininfolist.buffer = gen_bad_ptr(c, 8 * 80);
        break;
    case XEN_DOM0_getaccounting:
        op->u.getaccounting.domid = dom;
        op->u.getaccounting.nr_hypercall_counts = (uint32_t)gen_count(c, 64);
        op->u.getaccounting.hypercall_counts = op_ptr_or_bad(c, buf, 512);
        if (op->u.getaccounting.nr_hypercall_counts > 64)
            op->u.getaccounting.hypercall_counts = gen_bad_ptr(c, 512);
        break;
    case XEN_DOM0_readlog:
        op->u.readlog.start_seq = gen_bound(c);
        op->u.readlog.buffer = op_ptr_or_bad(c, buf, 512);
        op->u.readlog.size = (uint32_t)gen_count(c, 512);
        if (op->u.readlog.size > 512)
            op->u.readlog.buffer = gen_bad_ptr(c, 512);
        op->u.readlog.flags = rng_chance(r, 90) ? 0 : (uint32_t)rng_next(r);
        break;
    case XEN_DOM0_getframeinfo: {
        uint64_t *mfns = op_arena(c, 32 * 8);
        unsigned int i;
        for (i = 0; i < 32; i++)
            mfns[i] = gen_frame_any(c);
        op->u.getframeinfo.nr_frames = (uint32_t)gen_count(c, 32);
        op->u.getframeinfo.mfns = op_ptr_or_bad(c, mfns, 32 * 8);
        op->u.getframeinfo.info = op_ptr_or_bad(c, buf, 32 * 4);
        if (op->u.getframeinfo.nr_frames > 32)
            op->u.getframeinfo.mfns = gen_bad_ptr(c, 256), op->u.getframeinfo.info = gen_bad_ptr(c, 128);
        break;
    }
    case XEN_DOM0_getperfcounters:
        op_fill_random(c, &op->u, 32);
        ((uint32_t *)&op->u)[0] = (uint32_t)rng_below(r, 3);
        ((uint32_t *)&op->u)[1] = (uint32_t)gen_count(c, 16);
        ((uint64_t *)&op->u)[1] = op_ptr_or_bad(c, buf, 512);
        if (((uint32_t *)&op->u)[1] > 16)
            ((uint64_t *)&op->u)[1] = gen_bad_ptr(c, 512);
        break;
    default:
        op->u.domain.domid = dom;
        ((uint32_t *)&op->u)[1] = gen_vcpu(c);  /* vcpuinfo.vcpu */
    }
    op->cmd = cmd;
    op->interface_version = rng_chance(r, 95) ? XEN_DOM0_OP_INTERFACE_VERSION : (uint32_t)gen_bound(c);
    a[0] = op_ptr_or_bad(c, op, sizeof(*op));
    return 1;
}

static void build_platform_op(struct fuzz_cpu *c, uint64_t a[5])
{
    uint32_t *op = op_arena(c, 136);

    op_fill_random(c, op, 136);
    op[0] = rng_chance(&c->rng, 70) ? (rng_chance(&c->rng, 50) ? 55 /* get_cpuinfo */ : 62 /* settime64 */)
                                    : (uint32_t)rng_below(&c->rng, 70);
    op[1] = rng_chance(&c->rng, 90) ? 0x03000001 /* XENPF_INTERFACE_VERSION */ : (uint32_t)gen_bound(c);
    op[2] = (uint32_t)rng_below(&c->rng, 4);    /* get_cpuinfo.xen_cpuid */
    /* XENPF_enter_acpi_sleep to S5 powers dom0 off, as it should (the
     * 400,000-call run with FUZZ_SEED=20261207 ended so, no DONE):
     * S4 instead, which is refused. */
    if (op[0] == 51 /* enter_acpi_sleep */ && op[3] /* sleep_state */ == 5)
        op[3] = 4;
    /* Valid or NULL, not op_ptr_or_bad(): what a readable "bad" pointer
     * shows (the M2P, a page table) can read as enter_acpi_sleep(S5). */
    a[0] = rng_chance(&c->rng, 85) ? (uint64_t)op : 0;
}

static int build_console(struct fuzz_cpu *c, uint64_t a[5])
{
    uint64_t len = rng_below(&c->rng, 65);
    char *buf = op_arena(c, 512);

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
        a[2] = op_ptr_or_bad(c, buf, 512);
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
    { __HYPERVISOR_domctl, 6 }, { __HYPERVISOR_grant_table_op, 8 },
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
    struct multicall_entry *mc = op_arena(c, n * sizeof(*mc));

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
    a[0] = op_ptr_or_bad(c, mc, n * sizeof(*mc));
    a[1] = rng_chance(&c->rng, 90) ? n : gen_bound(c);
    c->dirty = DIRTY_ALL;                       /* whatever the entries did */
    /* A list moved to straddle the guard page is meant to end there (a
     * fault).  An entry before the guard that maps the guard page (the
     * one VA update_va_mapping may change inside a multicall) would let
     * the hypervisor read on, through it and into our .bss, running
     * whatever lies there and writing each "entry's" result into it.
     * Seen: FUZZ_SEED=20261228, 0xfff entries from 0x...79e60, results
     * -38 and -1 in world.nr_free_slot, then a #PF on every call. */
    if (a[0] != (uint64_t)mc && a[0] >= (uint64_t)c->arg &&
        a[0] < (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE) {
        struct multicall_entry *e = (void *)a[0];
        uint64_t guard = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;

        for (i = 0; (uint64_t)(e + i + 1) <= guard; i++) {
            uint32_t op = (uint32_t)e[i].op;

            if ((op == __HYPERVISOR_update_va_mapping ||
                 op == __HYPERVISOR_update_va_mapping_otherdomain) &&
                (e[i].args[0] & PAGE_MASK) == guard)
                e[i].op = __HYPERVISOR_xen_version, e[i].args[0] = 0, e[i].args[1] = 0;
        }
    }
    if (a[1] > n && a[0] == (uint64_t)mc)
        a[1] = n;
    /* Entries give frames away too (decrease_reservation of a loose
     * frame): op_after() must see each, or a loose frame the hypervisor
     * has since reused (as a grant frame it shares with us, say) still
     * counts as ours (seen: the after-run check failing to pin one). */
    c->mc_n = 0;
    if (a[0] == (uint64_t)mc) {
        memcpy(c->mc_snap, mc, n * sizeof(*mc));
        c->mc_list = a[0];
        c->mc_n = a[1] < n ? (unsigned int)a[1] : n;
    }
}

void multicall_after(struct fuzz_cpu *c, const uint64_t a[5])
{
    const struct multicall_entry *mc = (const void *)c->mc_list;
    unsigned int i, n = c->mc_n;

    c->mc_n = 0;
    if (!n || a[0] != c->mc_list)
        return;
    for (i = 0; i < n; i++)
        op_after(c, c->mc_snap[i].op, c->mc_snap[i].args, (long)mc[i].result);
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
    case __HYPERVISOR_grant_table_op: build_grant_op(c, a); break;
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
    case __HYPERVISOR_physdev_op: build_physdev(c, a); break;
    case __HYPERVISOR_xenpmu_op: case __HYPERVISOR_mca: {
        uint64_t *w = op_arena(c, 128);
        op_fill_random(c, w, 128);
        a[0] = rng_chance(r, 50) ? rng_below(r, 16) : (uint64_t)w;
        a[1] = op_ptr_or_bad(c, w, 128);
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
    uint64_t arg_end = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;
    uint32_t mcmd = (uint32_t)(a[0] & 63);

    /* Only the reservation commands, and only structures that lie whole
     * in the argument pages: other commands return positive numbers too
     * (current_reservation), and a structure may straddle the guard. */
    if (nr == __HYPERVISOR_memory_op && rc > 0 && a[1] >= (uint64_t)c->arg &&
        a[1] + sizeof(struct xen_memory_reservation) <= arg_end &&
        (mcmd == XENMEM_decrease_reservation || mcmd == XENMEM_increase_reservation ||
         mcmd == XENMEM_populate_physmap)) {
        struct xen_memory_reservation *res = (void *)a[1];
        uint64_t *list = (uint64_t *)res->extent_start.p;
        uint32_t cmd = mcmd;
        long i, start = (long)(a[0] >> 6);

        if (res->domid != DOMID_SELF && res->domid != 0)
            return;
        if ((uint64_t)list < (uint64_t)c->arg ||
            (uint64_t)(list + (rc < 32 ? rc : 32)) > arg_end)
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
        else {
            t->vcpu_info_moved = 1;             /* somewhere we cannot see */
            /* Said once: if the frame is ours, upcalls now storm. */
            printf("fuzz: v%u: vCPU %lu's vcpu_info moved to frame %#lx, not our sink\n",
                   c->id, a[1], vi->mfn);
        }
    }
    if (nr == __HYPERVISOR_grant_table_op)
        grant_op_after(c, a);
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
