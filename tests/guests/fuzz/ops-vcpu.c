/*
 * ops-vcpu.c: the fuzzer's vCPU and scheduling builders (vcpu_op with
 * whole random contexts, sched_op, timers), under ops.c's rules that keep
 * the guest alive (see the comment at the top of ops.c).
 */
#include "fuzz.h"
#include "ops.h"

/* ---- vCPUs, scheduling, timers ------------------------------------------ */

/* Does the hypervisor say we own mfn now?  The other domain's frames and
 * the DOMID_XEN ones in world were listed at start; the other domain may
 * since have been destroyed and re-created (keep_other_domain) and its
 * frames handed to us by an increase_reservation, which own_mfn() does not
 * track.  A vcpu_info registered on such a frame is accepted (it is ours),
 * and we cannot follow it: its upcall flag stays set where we never look,
 * and the hypervisor delivers the upcall on every return to us for ever
 * (seen: FUZZ_SEED=20261214 under load, 72 million upcalls, no call made;
 * the "silent round" of make fuzz).  Still racy in theory (a frame can
 * become ours between this check and the call), but no longer a matter of
 * an old list. */
static int frame_is_ours_now(uint64_t mfn)
{
    static struct xen_dom0_op op;
    static uint64_t m;
    static struct xen_dom0_frameinfo info;
    static volatile int lock;

    while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
        cpu_relax();
    m = mfn;
    memset(&op, 0, sizeof(op));
    memset(&info, 0, sizeof(info));
    op.u.getframeinfo.nr_frames = 1;
    op.u.getframeinfo.mfns = HC_PTR(&m);
    op.u.getframeinfo.info = HC_PTR(&info);
    int ours = dom0_op(&op, XEN_DOM0_getframeinfo) != 0 || info.owner == 0;
    __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
    return ours;
}

void build_vcpu_context(struct fuzz_cpu *c, struct vcpu_guest_context *ctx)
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

int build_vcpu_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall)
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? rng_below(r, 15) : gen_bound(c));
    uint32_t vid = gen_vcpu(c);

    a[0] = cmd;
    a[1] = vid;
    switch (cmd) {
    case VCPUOP_initialise: {
        struct vcpu_guest_context *ctx = op_arena(c, sizeof(*ctx));
        build_vcpu_context(c, ctx);
        a[2] = op_ptr_or_bad(c, ctx, sizeof(*ctx));
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
        struct vcpu_register_runstate_memory_area *ra = op_arena(c, sizeof(*ra));
        /* The upper half of the sink page: the lower half may hold our
         * vcpu_info, whose time record we read (an odd version written
         * over it would make pvclock_now() spin for ever). */
        uint64_t areas = (uint64_t)c->sink + PAGE_SIZE / 2;
        ra->addr.p = rng_chance(r, 60) ? areas + rng_below(r, 128) * 8 : (uint64_t)gen_ptr(c, 64);
        if (ra->addr.p >= (uint64_t)c->arg && ra->addr.p < (uint64_t)c->arg + (FUZZ_ARG_PAGES + 1) * PAGE_SIZE)
            ra->addr.p = areas;                 /* not into buffers we are building */
        a[2] = op_ptr_or_bad(c, ra, sizeof(*ra));
        break;
    }
    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info *vi;
        if (in_multicall)
            return 0;                           /* op_after must see it to follow the move */
        vi = op_arena(c, sizeof(*vi));
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
            if (own_mfn(vi->mfn) || is_loose(vi->mfn) || frame_is_ours_now(vi->mfn))
                vi->mfn = sink;
        }
        vi->offset = (uint32_t)(rng_chance(r, 80) ? rng_below(r, 32) * 64 : gen_bound(c));
        if (vi->mfn == sink && vi->offset >= PAGE_SIZE / 2 && vi->offset < PAGE_SIZE)
            vi->offset = 0;                     /* the upper half is for the areas */
        vi->rsvd = rng_chance(r, 90) ? 0 : (uint32_t)rng_next(r);
        a[2] = op_ptr_or_bad(c, vi, sizeof(*vi));
        break;
    }
    case VCPUOP_set_periodic_timer:
    case VCPUOP_set_singleshot_timer: {
        uint64_t *t = op_arena(c, 16);
        t[0] = rng_chance(r, 50) ? pvclock_now() + rng_below(r, 20000000) : gen_bound(c);
        t[1] = rng_next(r) & 3;
        a[2] = op_ptr_or_bad(c, t, 16);
        c->dirty |= DIRTY_TIMER;
        break;
    }
    default: {
        void *buf = op_arena(c, 64);
        op_fill_random(c, buf, 64);
        a[2] = op_ptr_or_bad(c, buf, 64);
    }
    }
    return 1;
}

/* SCHEDOP_block returns only on an event: make sure VIRQ_TIMER is bound,
 * to this vCPU, unmasked (the run may have closed or moved it). */
int timer_virq_ready(struct fuzz_cpu *c)
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

int build_sched_op(struct fuzz_cpu *c, uint64_t a[5], int in_multicall)
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
        struct sched_poll *p = op_arena(c, sizeof(*p));
        uint32_t *ports = op_arena(c, 16 * 4);
        unsigned int i;
        for (i = 0; i < 16; i++)
            ports[i] = gen_port(c);
        p->ports.p = (void *)op_ptr_or_bad(c, ports, 64);
        p->nr_ports = (uint32_t)gen_count(c, 16);
        p->timeout = pvclock_now() + rng_below(r, 500000) + 1;  /* never 0: bounded */
        a[1] = (uint64_t)p;
        break;
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown *s = op_arena(c, sizeof(*s));
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
        uint32_t *reason = op_arena(c, 4);
        *reason = (uint32_t)rng_below(r, 8);
        a[1] = op_ptr_or_bad(c, reason, 4);
        break;
    }
    case SCHEDOP_pin_override: {
        int32_t *pcpu = op_arena(c, 4);
        *pcpu = (int32_t)(rng_chance(r, 50) ? -1 : (int64_t)rng_below(r, 4));
        a[1] = op_ptr_or_bad(c, pcpu, 4);
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
