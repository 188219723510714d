/*
 * vcpu_op and set_timer_op: bringing vCPUs up and down, their guest
 * timers (VIRQ_TIMER), runstate accounting and the guest memory a vCPU
 * registers (vcpu_info, runstate area).
 *
 * Timers live on the CPU the vCPU was created on (v->processor) and fire
 * VIRQ_TIMER at the vCPU; with no VIRQ_TIMER bound that does nothing.
 */
#include <xen/bitops.h>
#include <xen/domain-page.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/arch-hooks.h>
#include <public/vcpu.h>

#define MILLISECS(ms) ((s_time_t)(ms) * 1000000)
/* A deadline further away than this (~13 days) is a wrapped guest
 * computation; like Xen, fire in 100 ms instead of never or now. */
#define TIMER_HORIZON  ((s_time_t)1 << 50)
#define PERIOD_MIN     MILLISECS(1)
#define PERIOD_MAX     ((s_time_t)1 << 50)

/* Serialises VCPUOP_initialise/up against each other. */
static DEFINE_SPINLOCK(vcpu_state_lock);

/* A vCPU has a context once it has a kernel page table: the domain builder
 * gives vCPU 0 one, VCPUOP_initialise the others. */
static bool vcpu_is_initialised(const struct vcpu *v)
{
    return v->arch.guest_table != 0 && v->arch.guest_table != INVALID_MFN;
}

/* ---- Timers ------------------------------------------------------------- */

void vcpu_singleshot_timer_fn(void *data)
{
    send_guest_vcpu_virq(data, VIRQ_TIMER);
}

void vcpu_periodic_timer_fn(void *data)
{
    struct vcpu *v = data;
    s_time_t period = READ_ONCE(v->periodic_period), next, now;

    if ( period == 0 )
        return;
    send_guest_vcpu_virq(v, VIRQ_TIMER);
    /* Keep the phase, but after a long stall do not fire a burst to catch
     * up: one tick stands for all the missed ones. */
    next = v->periodic_timer.expires + period;
    now = NOW();
    if ( next <= now )
        next = now + period;
    set_timer(&v->periodic_timer, next);
}

void vcpu_timers_init(struct vcpu *v)
{
    struct domain *d = v->domain;
    struct shared_info *s = d->shared_info;

    init_timer(&v->singleshot_timer, vcpu_singleshot_timer_fn, v, v->processor);
    init_timer(&v->periodic_timer, vcpu_periodic_timer_fn, v, v->processor);
    init_timer(&v->poll_timer, evtchn_poll_timer_fn, v, v->processor);
    v->periodic_period = 0;

    if ( v->vcpu_info == NULL && s != NULL && v->vcpu_id < MAX_VIRT_CPUS )
        v->vcpu_info = &s->vcpu_info[v->vcpu_id];
    if ( v->vcpu_info == NULL || s == NULL ||
         ((char *)v->vcpu_info >= (char *)s &&
          (char *)v->vcpu_info < (char *)(s + 1)) )
        v->vcpu_info_mfn = INVALID_MFN;     /* not registered elsewhere */

    memset(&v->runstate, 0, sizeof(v->runstate));
    v->runstate.state = RUNSTATE_offline;
    v->runstate.state_entry_time = NOW();
    v->runstate_entry = v->runstate.state_entry_time;
    update_vcpu_system_time(v);
}

void vcpu_events_destroy(struct vcpu *v)
{
    unsigned long flags;

    kill_timer(&v->singleshot_timer);
    kill_timer(&v->periodic_timer);
    kill_timer(&v->poll_timer);
    spin_lock_irqsave(&v->domain->event_lock, flags);
    evtchn_poll_end_locked(v);
    xfree(v->poll_ports);
    v->poll_ports = NULL;
    if ( v->vcpu_info_mfn != INVALID_MFN )
    {
        put_page_and_type(mfn_to_page(v->vcpu_info_mfn));
        v->vcpu_info_mfn = INVALID_MFN;
        v->vcpu_info = NULL;
    }
    spin_unlock_irqrestore(&v->domain->event_lock, flags);
}

/* set_timer_op(deadline): one-shot VIRQ_TIMER for the calling vCPU at an
 * absolute system time; 0 cancels; the past fires at once. */
HYPERCALL(set_timer_op)
{
    struct vcpu *v = current;
    s_time_t deadline = (s_time_t)a1, now;

    if ( deadline == 0 )
    {
        stop_timer(&v->singleshot_timer);
        return 0;
    }
    now = NOW();
    if ( deadline < 0 || deadline - now > TIMER_HORIZON )
        deadline = now + MILLISECS(100);
    set_timer(&v->singleshot_timer, deadline);
    return 0;
}

static long set_singleshot(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_singleshot_timer t;
    s_time_t deadline;

    if ( v != current )
        return -EINVAL;
    if ( copy_from_guest(&t, arg, sizeof(t)) )
        return -EFAULT;
    deadline = t.timeout_abs_ns > (uint64_t)STIME_MAX ? STIME_MAX
                                                       : (s_time_t)t.timeout_abs_ns;
    if ( (t.flags & VCPU_SSHOTTMR_future) && deadline < NOW() )
        return -ETIME;
    set_timer(&v->singleshot_timer, deadline);
    return 0;
}

static long set_periodic(struct vcpu *v, uint64_t arg)
{
    struct vcpu_set_periodic_timer t;

    if ( copy_from_guest(&t, arg, sizeof(t)) )
        return -EFAULT;
    if ( t.period_ns < (uint64_t)PERIOD_MIN || t.period_ns > (uint64_t)PERIOD_MAX )
        return -EINVAL;
    WRITE_ONCE(v->periodic_period, (s_time_t)t.period_ns);
    set_timer(&v->periodic_timer, NOW() + (s_time_t)t.period_ns);
    return 0;
}

/* ---- Runstate ----------------------------------------------------------- */

void vcpu_runstate_change(struct vcpu *v, int new_state, s_time_t now)
{
    struct vcpu_runstate_info *r = &v->runstate;
    s_time_t delta = now - (s_time_t)r->state_entry_time;

    if ( new_state < RUNSTATE_running || new_state > RUNSTATE_offline )
        return;
    /* (v->cpu_time is the scheduler's own account.) */
    if ( delta > 0 && r->state >= RUNSTATE_running &&
         r->state <= RUNSTATE_offline )
        r->time[r->state] += delta;
    r->state = new_state;
    r->state_entry_time = now;
    v->runstate_entry = now;
    /* The area is a guest-kernel address: reachable only while the
     * kernel's page tables are loaded.  Otherwise the context switch
     * publishes it. */
    if ( v == current && v->arch.kernel_mode )
        vcpu_runstate_publish(v);
}

/* v's runstate as of now: the current state's time counted up to now. */
static struct vcpu_runstate_info runstate_snapshot(const struct vcpu *v)
{
    struct vcpu_runstate_info snap = v->runstate;
    s_time_t delta = NOW() - (s_time_t)snap.state_entry_time;

    if ( delta > 0 && snap.state >= RUNSTATE_running &&
         snap.state <= RUNSTATE_offline )
        snap.time[snap.state] += delta;
    return snap;
}

void vcpu_runstate_publish(struct vcpu *v)
{
    uint64_t va = v->runstate_guest;
    uint64_t entry_va = va + offsetof(struct vcpu_runstate_info,
                                      state_entry_time);
    struct vcpu_runstate_info snap;
    bool flagged;
    uint64_t entry;

    if ( va == 0 )
        return;
    snap = runstate_snapshot(v);
    /* With the assist on, the guest retries its read while bit 63 of
     * state_entry_time is set: raise it first, drop it last. */
    flagged = v->domain->arch.vm_assist &
              (1UL << VMASST_TYPE_runstate_update_flag);
    if ( flagged )
    {
        entry = snap.state_entry_time | XEN_RUNSTATE_UPDATE;
        (void)copy_to_guest(entry_va, &entry, sizeof(entry));
        smp_wmb();
        snap.state_entry_time |= XEN_RUNSTATE_UPDATE;
    }
    (void)copy_to_guest(va, &snap, sizeof(snap));   /* a bad area is the
                                                        guest's problem */
    if ( flagged )
    {
        smp_wmb();
        entry = snap.state_entry_time & ~XEN_RUNSTATE_UPDATE;
        (void)copy_to_guest(entry_va, &entry, sizeof(entry));
    }
}

static long get_runstate(struct vcpu *v, uint64_t arg)
{
    struct vcpu_runstate_info snap = runstate_snapshot(v);

    return copy_to_guest(arg, &snap, sizeof(snap)) ? -EFAULT : 0;
}

static long register_runstate_area(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area area;

    if ( copy_from_guest(&area, arg, sizeof(area)) )
        return -EFAULT;
    if ( area.addr.p != 0 &&
         !guest_range_ok(area.addr.p, sizeof(struct vcpu_runstate_info)) )
        return -EFAULT;
    v->runstate_guest = area.addr.p;
    /* The area is guest-kernel memory, visible from any vCPU of the
     * domain: fill it in now. */
    vcpu_runstate_publish(v);
    return 0;
}

/* ---- vcpu_info placement ------------------------------------------------ */

/*
 * The hypervisor writes a registered vcpu_info (event bits, cr2, time)
 * through its own mapping of the frame, not through the guest's page
 * tables.  So the frame holds a general and a PGT_writable_page type
 * reference for as long as it is registered: while it does, the guest
 * cannot make it a page table or a descriptor page, whose contents those
 * writes would forge.  The reference goes at vCPU teardown
 * (vcpu_events_destroy); there is no unregistering in the ABI.
 */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    struct domain *d = v->domain;
    struct vcpu_info *new, *old;
    struct page_info *pg;
    unsigned long flags;
    long rc = 0;

    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    /* Inside one page, with pending_sel naturally aligned for the locked
     * bit operations. */
    if ( r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & 7) )
        return -EINVAL;
    if ( r.mfn == INVALID_MFN || !mfn_in_frame_table(r.mfn) ||
         get_page_and_type(pg = mfn_to_page(r.mfn), d, PGT_writable_page) )
    {
        printk(XENLOG_DEBUG "d%u v%u: vcpu_info frame %#lx refused: not "
               "the domain's, or in use as a table or descriptor page\n",
               d->domain_id, v->vcpu_id, (unsigned long)r.mfn);
        return -EINVAL;
    }

    new = (struct vcpu_info *)((char *)maddr_to_virt((paddr_t)r.mfn << PAGE_SHIFT)
                               + r.offset);
    /* The state lock holds VCPUOP_up off between the checks and the move;
     * the event lock holds event delivery off during the copy. */
    spin_lock(&vcpu_state_lock);
    spin_lock_irqsave(&d->event_lock, flags);
    if ( v->vcpu_info_mfn != INVALID_MFN )
        rc = -EINVAL;                   /* once per vCPU */
    /* Moving it under a running vCPU's feet would race with its handler. */
    else if ( v != current && READ_ONCE(v->state) != VCPU_DOWN )
        rc = -EINVAL;
    if ( rc )
    {
        spin_unlock_irqrestore(&d->event_lock, flags);
        spin_unlock(&vcpu_state_lock);
        put_page_and_type(pg);
        return rc;
    }
    old = v->vcpu_info;
    if ( old != NULL )
        memcpy(new, old, sizeof(*new));
    else
    {
        memset(new, 0, sizeof(*new));
        new->evtchn_upcall_mask = 1;    /* as the vCPU has been so far */
    }
    WRITE_ONCE(v->vcpu_info, new);
    v->vcpu_info_mfn = r.mfn;
    smp_wmb();
    /* Selector bits or the upcall flag may have been set in the old copy
     * after we copied it: have the guest look at every word. */
    __atomic_store_n(&new->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
    evtchn_mark_pending_locked(v);
    spin_unlock_irqrestore(&d->event_lock, flags);
    spin_unlock(&vcpu_state_lock);

    update_vcpu_system_time(v);
    return 0;
}

/* ---- Bringing vCPUs up -------------------------------------------------- */

static bool canonical_va(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

#define VGCF_KNOWN  (VGCF_i387_valid | VGCF_in_kernel |                    \
                     VGCF_failsafe_disables_events |                        \
                     VGCF_syscall_disables_events | VGCF_online)
#define MXCSR_RESERVED  0xffff0000u     /* FXRSTOR #GPs on these */
#define FXSAVE_MXCSR    24              /* byte offset in the image */

/* An address the hypervisor will jump to or point a stack at on the
 * guest's behalf: 0 (none) or guest memory, never the hypervisor's. */
static bool guest_addr_ok(uint64_t a)
{
    return a == 0 || guest_range_ok(a, 1);
}

/*
 * A selector a context may hold: one of its own GDT or LDT entries, one
 * of the flat ring-3 selectors in the hypervisor's reserved GDT page, or
 * (where the CPU allows it) null.  Everything else in the reserved page is
 * the hypervisor's own: ring-0 code and data, the TSS, the LDT slot.
 */
static bool selector_ok(uint64_t sel, const struct vcpu_guest_context *c,
                        bool may_be_null)
{
    uint64_t idx = (sel & 0xffff) >> 3;

    if ( sel > 0xffff )
        return false;
    if ( (sel & ~3UL) == 0 )
        return may_be_null;
    if ( sel & 4 )
        return idx < c->ldt_ents;
    if ( idx >= FIRST_RESERVED_GDT_ENTRY )
        return (sel | 3) == FLAT_RING3_CS32 || (sel | 3) == FLAT_RING3_CS64 ||
               (sel | 3) == FLAT_RING3_DS32;
    return idx < c->gdt_ents;
}

/*
 * The one checker for a whole vCPU context, whatever brings it
 * (VCPUOP_initialise, dom0_op setvcpucontext, restore): everything that
 * can be judged from the context alone.  arch_set_vcpu_context runs it
 * first, then takes the references (page tables, GDT frames, whose
 * contents it validates) and applies nothing unless all of that succeeded.
 */
int vcpu_context_check(const struct vcpu_guest_context *c)
{
    const struct cpu_user_regs *u = &c->user_regs;
    const uint64_t addrs[] = {
        u->rip, u->rsp, c->kernel_sp, c->fs_base, c->gs_base_kernel,
        c->gs_base_user, c->ldt_base,
    };
    const uint64_t entries[] = {
        u->rip, c->event_callback_eip, c->failsafe_callback_eip,
        c->syscall_callback_eip,
    };
    uint32_t mxcsr;

    if ( c->flags & ~(uint64_t)VGCF_KNOWN )
        return -EINVAL;
    /* Loaded into MSRs and registers: a non-canonical one would fault in
     * the hypervisor. */
    for ( size_t i = 0; i < ARRAY_SIZE(addrs); i++ )
        if ( !canonical_va(addrs[i]) )
            return -EINVAL;
    /* Entry points: the guest's own half of the address space. */
    for ( size_t i = 0; i < ARRAY_SIZE(entries); i++ )
        if ( !guest_addr_ok(entries[i]) )
            return -EINVAL;
    for ( size_t i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++ )
        if ( !guest_addr_ok(c->trap_ctxt[i].address) )
            return -EINVAL;

    /* Descriptor tables. */
    if ( c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || c->ldt_ents > 8192 )
        return -EINVAL;
    if ( (c->ldt_base & (PAGE_SIZE - 1)) ||
         (c->ldt_ents && !guest_range_ok(c->ldt_base, c->ldt_ents * 8)) )
        return -EINVAL;
    for ( size_t i = DIV_ROUND_UP(c->gdt_ents, 512);
          i < ARRAY_SIZE(c->gdt_frames); i++ )
        if ( c->gdt_frames[i] != 0 )
            return -EINVAL;             /* frames beyond gdt_ents */

    /* Selectors: none of the hypervisor's; code and stack never null
     * (kernel_ss may be: it is only recorded, as stack_switch does). */
    if ( !selector_ok(u->cs, c, false) || !selector_ok(u->ss, c, false) ||
         !selector_ok(c->kernel_ss, c, true) ||
         !selector_ok(u->ds, c, true) || !selector_ok(u->es, c, true) ||
         !selector_ok(u->fs, c, true) || !selector_ok(u->gs, c, true) )
        return -EINVAL;

    /* Page tables: a kernel one always; a user one when the vCPU starts
     * in user mode (else the switch would load CR3 = 0). */
    if ( xen_cr3_to_pfn(c->ctrlreg[3]) == 0 )
        return -EINVAL;
    if ( !(c->flags & VGCF_in_kernel) && xen_cr3_to_pfn(c->ctrlreg[1]) == 0 )
        return -EINVAL;

    /* The FPU image is loaded with FXRSTOR. */
    memcpy(&mxcsr, (const char *)c->fpu_ctxt.x + FXSAVE_MXCSR, sizeof(mxcsr));
    if ( (c->flags & VGCF_i387_valid) && (mxcsr & MXCSR_RESERVED) )
        return -EINVAL;
    return 0;
}

static long initialise_vcpu(struct vcpu *v, uint64_t arg)
{
    struct vcpu_guest_context *ctx = xmalloc(struct vcpu_guest_context);
    long rc;

    if ( ctx == NULL )
        return -ENOMEM;
    if ( copy_from_guest(ctx, arg, sizeof(*ctx)) )
        rc = -EFAULT;
    else if ( (rc = vcpu_context_check(ctx)) == 0 )
    {
        spin_lock(&vcpu_state_lock);
        if ( vcpu_is_initialised(v) )
            rc = -EEXIST;
        else
            rc = arch_set_vcpu_context(v, ctx);
        spin_unlock(&vcpu_state_lock);
    }
    xfree(ctx);
    return rc;
}

static long vcpu_up(struct vcpu *v)
{
    long rc = 0;

    spin_lock(&vcpu_state_lock);
    if ( !vcpu_is_initialised(v) )
        rc = -EINVAL;
    else if ( READ_ONCE(v->state) == VCPU_DOWN )
        vcpu_start(v);
    spin_unlock(&vcpu_state_lock);
    return rc;
}

/*
 * Defaults for the hooks of xen/event.h until their owners provide them:
 * without an arch hook no context can be loaded, so VCPUOP_initialise says
 * it is not supported; taking a vCPU down is what vcpu_block does, minus
 * the wake-up (the scheduler's run-queue check skips a vCPU that is down).
 */
int __weak arch_set_vcpu_context(struct vcpu *v,
                                 const struct vcpu_guest_context *c)
{
    return -ENOSYS;
}

void __weak vcpu_down(struct vcpu *v)
{
    WRITE_ONCE(v->state, VCPU_DOWN);
    raise_schedule(v->processor);
}

/*
 * A second copy of the vCPU's time record at a guest address of its
 * choosing, which Linux maps into user space for its vDSO clock.  Written
 * with the version protocol: odd while the body changes.
 */
void vcpu_time_area_publish(struct vcpu *v)
{
    struct vcpu_time_info t = v->vcpu_info->time;
    uint32_t busy = t.version | 1;

    if ( v->time_area_guest == 0 || (t.version & 1) )
        return;
    if ( copy_to_guest(v->time_area_guest, &busy, sizeof(busy)) )
        return;                 /* a bad area is the guest's problem */
    smp_wmb();
    (void)copy_to_guest(v->time_area_guest + sizeof(busy),
                        (const char *)&t + sizeof(busy),
                        sizeof(t) - sizeof(busy));
    smp_wmb();
    (void)copy_to_guest(v->time_area_guest, &t.version, sizeof(t.version));
}

static long register_time_area(struct vcpu *v, uint64_t arg)
{
    struct vcpu_register_time_memory_area a;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( (a.addr.p & 7) ||
         !guest_range_ok(a.addr.p, sizeof(struct vcpu_time_info)) )
        return -EINVAL;
    v->time_area_guest = a.addr.p;
    if ( v == current )
        vcpu_time_area_publish(v);
    return 0;
}

/* vcpu_op(cmd, vcpuid, arg) */
HYPERCALL(vcpu_op)
{
    struct domain *d = current->domain;
    unsigned long id = a2;
    uint64_t arg = a3;
    struct vcpu *v;

    /* Linux probes ids 0..NR_CPUS-1: answer the absent ones quickly. */
    if ( id >= d->max_vcpus || id >= MAX_VCPUS || (v = d->vcpu[id]) == NULL )
        return -ENOENT;

    switch ( a1 )
    {
    case VCPUOP_initialise:
        return initialise_vcpu(v, arg);
    case VCPUOP_up:
        return vcpu_up(v);
    case VCPUOP_down:
        if ( READ_ONCE(v->state) != VCPU_DOWN )
            vcpu_down(v);
        return 0;
    case VCPUOP_is_up:
        return READ_ONCE(v->state) != VCPU_DOWN;
    case VCPUOP_get_runstate_info:
        return get_runstate(v, arg);
    case VCPUOP_register_runstate_memory_area:
        return register_runstate_area(v, arg);
    case VCPUOP_set_periodic_timer:
        return set_periodic(v, arg);
    case VCPUOP_stop_periodic_timer:
        WRITE_ONCE(v->periodic_period, 0);
        stop_timer(&v->periodic_timer);
        return 0;
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(v, arg);
    case VCPUOP_stop_singleshot_timer:
        if ( v != current )
            return -EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, arg);
    case VCPUOP_register_vcpu_time_memory_area:
        return register_time_area(v, arg);
    /* Optional for Linux: it copes with their absence. */
    case VCPUOP_send_nmi:
    case VCPUOP_get_physid:
    default:
        return -ENOSYS;
    }
}
