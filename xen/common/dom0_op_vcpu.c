/*
 * dom0_op commands on single vCPUs: reading and loading register state,
 * placement on physical CPUs, status, and the scheduler parameters.
 *
 * getvcpucontext is the inverse of arch_set_vcpu_context: it reports what
 * that function would need to recreate the vCPU.  State of a vCPU that is
 * not the caller is read while it is held off its CPU; the caller's own
 * vCPU is read live (registers from the hypercall frame, segment bases and
 * FPU from the CPU).  A sibling vCPU of the caller's domain is read from
 * its saved copy without holding it, because it may itself be waiting for
 * the dom0_op lock the caller holds.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/arch-hooks.h>
#include "dom0_op-internal.h"

uint64_t vcpu_cpu_time(const struct vcpu *v);    /* common/schedule.c */

#define RFLAGS_IOPL_SHIFT 12
#define RFLAGS_IOPL       (3UL << RFLAGS_IOPL_SHIFT)

static void copy_regs_out(struct cpu_user_regs *u, const struct cpu_regs *r,
                          unsigned int iopl)
{
    u->r15 = r->r15; u->r14 = r->r14; u->r13 = r->r13; u->r12 = r->r12;
    u->rbp = r->rbp; u->rbx = r->rbx; u->r11 = r->r11; u->r10 = r->r10;
    u->r9 = r->r9;   u->r8 = r->r8;   u->rax = r->rax; u->rcx = r->rcx;
    u->rdx = r->rdx; u->rsi = r->rsi; u->rdi = r->rdi;
    u->rip = r->rip;
    u->cs = (uint16_t)r->cs;
    u->rflags = (r->rflags & ~RFLAGS_IOPL) |
                ((uint64_t)iopl << RFLAGS_IOPL_SHIFT);
    u->rsp = r->rsp;
    u->ss = (uint16_t)r->ss;
}

/* The caller's own vCPU: its live FPU image (CR0.TS may be the guest's,
 * so it is lifted for the save and put back). */
static void save_live_fpu(void *area)
{
    unsigned long cr0 = read_cr0();

    __asm__ __volatile__("clts; fxsaveq %0" : "=m"(*(char (*)[512])area));
    write_cr0(cr0);
}

static void read_context(struct vcpu *v, struct vcpu_guest_context *c)
{
    const struct arch_vcpu *a = &v->arch;
    bool self = v == current;
    uint16_t seg;

    memset(c, 0, sizeof(*c));
    copy_regs_out(&c->user_regs, self ? guest_cpu_regs() : &a->regs,
                  a->iopl);
    if ( v->vcpu_info )
        c->user_regs.saved_upcall_mask = v->vcpu_info->evtchn_upcall_mask;
    if ( self )
    {
        __asm__ __volatile__("mov %%ds, %0" : "=r"(seg)); c->user_regs.ds = seg;
        __asm__ __volatile__("mov %%es, %0" : "=r"(seg)); c->user_regs.es = seg;
        __asm__ __volatile__("mov %%fs, %0" : "=r"(seg)); c->user_regs.fs = seg;
        __asm__ __volatile__("mov %%gs, %0" : "=r"(seg)); c->user_regs.gs = seg;
        c->fs_base = rdmsr(MSR_FS_BASE);
        c->gs_base_kernel = rdmsr(a->kernel_mode ? MSR_GS_BASE
                                                 : MSR_KERNEL_GS_BASE);
        c->gs_base_user = rdmsr(a->kernel_mode ? MSR_KERNEL_GS_BASE
                                               : MSR_GS_BASE);
        save_live_fpu(c->fpu_ctxt.x);
        c->flags |= VGCF_i387_valid;
    }
    else
    {
        c->user_regs.ds = a->ds; c->user_regs.es = a->es;
        c->user_regs.fs = a->fs; c->user_regs.gs = a->gs;
        c->fs_base = a->fs_base;
        c->gs_base_kernel = a->gs_base_kernel;
        c->gs_base_user = a->gs_base_user;
        if ( a->fpu_initialised )
        {
            memcpy(c->fpu_ctxt.x, a->fpu_area, sizeof(c->fpu_ctxt.x));
            c->flags |= VGCF_i387_valid;
        }
    }

    memcpy(c->trap_ctxt, a->traps, sizeof(c->trap_ctxt));
    c->ldt_base = a->ldt_base;
    c->ldt_ents = a->ldt_ents;
    for ( unsigned int i = 0; i < DIV_ROUND_UP(a->gdt_ents, 512); i++ )
        c->gdt_frames[i] = a->gdt_frames[i];
    c->gdt_ents = a->gdt_ents;
    c->kernel_ss = a->kernel_ss;
    c->kernel_sp = a->kernel_sp;
    c->ctrlreg[0] = a->fpu_ts ? X86_CR0_TS : 0;
    c->ctrlreg[1] = a->guest_table_user == INVALID_MFN ? 0
                    : xen_pfn_to_cr3(a->guest_table_user);
    c->ctrlreg[3] = a->guest_table == INVALID_MFN ? 0
                    : xen_pfn_to_cr3(a->guest_table);
    for ( unsigned int i = 0; i < 8; i++ )
        c->debugreg[i] = a->debugreg[i];
    c->event_callback_eip = a->cb.event;
    c->failsafe_callback_eip = a->cb.failsafe;
    c->syscall_callback_eip = a->cb.syscall;
    c->vm_assist = v->domain->arch.vm_assist;
    if ( a->cb.failsafe_masks_events )
        c->flags |= VGCF_failsafe_disables_events;
    if ( a->cb.syscall_masks_events )
        c->flags |= VGCF_syscall_disables_events;
    if ( a->kernel_mode )
        c->flags |= VGCF_in_kernel;
    if ( READ_ONCE(v->state) != VCPU_DOWN )
        c->flags |= VGCF_online;
}

static int context_target(const struct xen_dom0_vcpucontext *vc,
                          struct vcpu **vp)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(vc->domid, &err)) == NULL )
        return err;
    if ( (*vp = dom0_get_vcpu(d, vc->vcpu, &err)) == NULL )
        return err;
    if ( vc->size != sizeof(struct vcpu_guest_context) )
        return -EINVAL;
    return 0;
}

long dom0_getvcpucontext(struct xen_dom0_op *op)
{
    struct xen_dom0_vcpucontext *vc = &op->u.vcpucontext;
    struct vcpu_guest_context *c;
    struct vcpu *v;
    bool hold;
    int rc;

    if ( (rc = context_target(vc, &v)) )
        return rc;
    if ( (c = xmalloc(struct vcpu_guest_context)) == NULL )
        return -ENOMEM;
    hold = v->domain != current->domain;
    if ( hold )
        vcpu_pause(v);
    read_context(v, c);
    if ( hold )
        vcpu_unpause(v);
    rc = copy_to_guest(vc->ctxt, c, sizeof(*c)) ? -EFAULT : 0;
    xfree(c);
    return rc;
}

/* Load c into v, which is down.  Pins the kernel L4 first (restore needs
 * the pin back); a failed load leaves no new pin behind. */
static int load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    mfn_t l4 = xen_cr3_to_pfn(c->ctrlreg[3]);
    bool pinned_here = false;
    int rc;

    if ( !mfn_in_frame_table(l4) )
        return -EINVAL;
    if ( !(READ_ONCE(mfn_to_page(l4)->type_info) & PGT_pinned) ||
         page_get_owner(mfn_to_page(l4)) != v->domain )
    {
        if ( pv_pin_table(v->domain, l4, 4) )
            return -EINVAL;
        pinned_here = true;
    }
    rc = arch_set_vcpu_context(v, c);
    if ( rc && pinned_here )
        pv_unpin_table(v->domain, l4);
    return rc;
}

long dom0_setvcpucontext(struct xen_dom0_op *op)
{
    struct xen_dom0_vcpucontext *vc = &op->u.vcpucontext;
    struct vcpu_guest_context *c;
    struct vcpu *v;
    bool was_up = false;
    int rc;

    if ( (rc = context_target(vc, &v)) )
        return rc;
    if ( (c = xmalloc(struct vcpu_guest_context)) == NULL )
        return -ENOMEM;
    if ( copy_from_guest(c, vc->ctxt, sizeof(*c)) )
        rc = -EFAULT;
    else
        rc = vcpu_context_check(c);
    if ( rc )
        goto out;

    if ( READ_ONCE(v->state) != VCPU_DOWN )
    {
        /* Only a paused domain's vCPUs may be reloaded while up. */
        if ( v->domain->pause_count == 0 || v == current )
        {
            rc = -EBUSY;
            goto out;
        }
        while ( READ_ONCE(v->state) == VCPU_RUNNING )
            cpu_relax();
        vcpu_down(v);
        was_up = true;
    }
    rc = load_context(v, c);
    /* The domain's VM assists travel in the context (getvcpucontext
     * reports them): a restored guest never asks for them again, and
     * without writable_pagetables its first direct PTE store faults. */
    if ( rc == 0 )
        v->domain->arch.vm_assist = c->vm_assist & vm_assist_allowed();
    if ( rc == 0 ? (c->flags & VGCF_online) : was_up )
        vcpu_start(v);          /* up (runs once the domain is unpaused) */
 out:
    xfree(c);
    return rc;
}

/* The vCPU a set/getvcpuaffinity names, and its map size checked. */
static int affinity_target(const struct xen_dom0_vcpuaffinity *va,
                           struct vcpu **v)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(va->domid, &err)) == NULL )
        return err;
    if ( (*v = dom0_get_vcpu(d, va->vcpu, &err)) == NULL )
        return err;
    if ( va->nr_bits == 0 || va->nr_bits > XEN_DOM0_CPUMAP_MAX_BITS )
        return -EINVAL;
    return 0;
}

long dom0_setvcpuaffinity(struct xen_dom0_op *op)
{
    struct xen_dom0_vcpuaffinity *va = &op->u.vcpuaffinity;
    uint8_t map[XEN_DOM0_CPUMAP_MAX_BITS / 8];
    uint64_t cpus = 0;
    unsigned int cpu;
    struct vcpu *v;
    int err;

    if ( (err = affinity_target(va, &v)) )
        return err;
    if ( copy_from_guest(map, va->cpumap, (va->nr_bits + 7) / 8) )
        return -EFAULT;
    for ( cpu = 0; cpu < va->nr_bits && cpu < NR_CPUS; cpu++ )
        if ( (map[cpu / 8] & (1u << (cpu % 8))) && cpu_online(cpu) )
            cpus |= 1UL << cpu;
    /* The mask is kept (getvcpuaffinity reads it back); a vCPU on a CPU
     * it may no longer use moves at its next deschedule, its own caller's
     * included. */
    return sched_set_affinity(v, cpus);
}

/* getvcpuaffinity: the hard-affinity mask, nr_bits bits of it (CPUs past
 * NR_CPUS read as 0). */
long dom0_getvcpuaffinity(struct xen_dom0_op *op)
{
    struct xen_dom0_vcpuaffinity *va = &op->u.vcpuaffinity;
    uint8_t map[XEN_DOM0_CPUMAP_MAX_BITS / 8] = { 0 };
    uint64_t cpus;
    struct vcpu *v;
    int err;

    if ( (err = affinity_target(va, &v)) )
        return err;
    cpus = READ_ONCE(v->affinity) & cpu_online_mask;
    for ( unsigned int cpu = 0; cpu < va->nr_bits && cpu < NR_CPUS; cpu++ )
        if ( cpus & (1UL << cpu) )
            map[cpu / 8] |= 1u << (cpu % 8);
    if ( copy_to_guest(va->cpumap, map, (va->nr_bits + 7) / 8) )
        return -EFAULT;
    return 0;
}

long dom0_getvcpuinfo(struct xen_dom0_op *op)
{
    struct xen_dom0_vcpuinfo *vi = &op->u.vcpuinfo;
    enum vcpu_state s;
    struct domain *d;
    struct vcpu *v;
    int err;

    if ( (d = dom0_get_domain(vi->domid, &err)) == NULL )
        return err;
    if ( (v = dom0_get_vcpu(d, vi->vcpu, &err)) == NULL )
        return err;
    s = READ_ONCE(v->state);
    vi->online = s != VCPU_DOWN;
    vi->blocked = s == VCPU_BLOCKED;
    vi->running = s == VCPU_RUNNING;
    vi->cpu = v->processor;
    vi->cpu_time_ns = vcpu_cpu_time(v);
    return 0;
}

/* ---- Scheduler parameters (enforced by common/schedule.c) ---------- */

void dom0_sched_forget(const struct domain *d)
{
    (void)d;                    /* the parameters live in the domain */
}

long dom0_getschedparams(struct xen_dom0_op *op)
{
    struct xen_dom0_schedparams *s = &op->u.schedparams;
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(s->domid, &err)) == NULL )
        return err;
    s->sched_id = XEN_SCHEDULER_CREDIT;
    s->weight = READ_ONCE(d->sched_weight);
    s->cap = READ_ONCE(d->sched_cap);
    return 0;
}

long dom0_setschedparams(struct xen_dom0_op *op)
{
    struct xen_dom0_schedparams *s = &op->u.schedparams;
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(s->domid, &err)) == NULL )
        return err;
    return sched_set_params(d, s->weight, s->cap);
}
