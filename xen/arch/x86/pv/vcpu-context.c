/*
 * Loading a whole vCPU state into a down vCPU: struct vcpu_guest_context
 * from VCPUOP_initialise, dom0_op setvcpucontext and (through it) restore.
 * All three come here, and here is where the context is checked:
 * vcpu_context_check (common/vcpu_op.c) for what the context alone says,
 * then the references it needs, taken before anything is changed: both
 * page tables (L4 type references) and the GDT frames (descriptor-page
 * type references with their contents validated, by the same function
 * set_gdt uses).  On any failure the vCPU is left exactly as it was.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/domain-page.h>
#include <xen/guest_access.h>
#include <xen/event.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/pv-mm.h>
#include <asm/pv.h>
#include <public/arch-x86_64.h>

#define RFLAGS_IF   (1UL << 9)
#define RFLAGS_IOPL (3UL << 12)

/* A general + L4 type reference on one of d's frames, as a base pointer
 * needs. */
static int get_l4_ref(struct domain *d, mfn_t l4)
{
    if ( !mfn_in_frame_table(l4) )
        return -EINVAL;
    return get_page_and_type(mfn_to_page(l4), d, PGT_l4_page_table)
           ? -EINVAL : 0;
}

int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    struct arch_vcpu *a = &v->arch;
    const struct cpu_user_regs *u = &c->user_regs;
    mfn_t l4 = xen_cr3_to_pfn(c->ctrlreg[3]);
    mfn_t l4u = xen_cr3_to_pfn(c->ctrlreg[1]);
    unsigned int frames = DIV_ROUND_UP(c->gdt_ents, 512), i;
    int rc;

    if ( v->state != VCPU_DOWN )
        return -EBUSY;
    /* Every path comes through here, so every context gets the checks. */
    if ( (rc = vcpu_context_check(c)) ||
         (rc = pv_debugregs_check(c->debugreg)) )
        goto refused;

    /* Take every reference the new context needs before touching the
     * vCPU: the GDT frames (contents validated, as set_gdt does) and both
     * page tables. */
    if ( (rc = pv_gdt_frames_get(d, c->gdt_frames, frames)) )
        goto refused;
    if ( (rc = get_l4_ref(d, l4)) )
        goto fail_gdt;
    if ( l4u && (rc = get_l4_ref(d, l4u)) )
        goto fail_l4;

    /* From here on nothing can fail. */
    pv_install_guest_tables(v, l4, l4u);
    pv_gdt_frames_put(a->gdt_frames, DIV_ROUND_UP(a->gdt_ents, 512));
    for ( i = 0; i < frames; i++ )
        a->gdt_frames[i] = c->gdt_frames[i];
    a->gdt_ents = c->gdt_ents;
    a->ldt_base = c->ldt_base;
    a->ldt_ents = c->ldt_ents;

    memset(&a->regs, 0, sizeof(a->regs));
    a->regs.r15 = u->r15; a->regs.r14 = u->r14; a->regs.r13 = u->r13;
    a->regs.r12 = u->r12; a->regs.rbp = u->rbp; a->regs.rbx = u->rbx;
    a->regs.r11 = u->r11; a->regs.r10 = u->r10; a->regs.r9 = u->r9;
    a->regs.r8 = u->r8;   a->regs.rax = u->rax; a->regs.rcx = u->rcx;
    a->regs.rdx = u->rdx; a->regs.rsi = u->rsi; a->regs.rdi = u->rdi;
    a->regs.rip = u->rip;
    a->regs.cs = u->cs | 3;
    a->regs.ss = u->ss | 3;
    a->regs.rsp = u->rsp;
    a->regs.rflags = (u->rflags & ~RFLAGS_IOPL) | RFLAGS_IF | 2;
    a->iopl = (u->rflags & RFLAGS_IOPL) >> 12;
    a->ds = u->ds;
    a->es = u->es;
    a->fs = u->fs;
    a->gs = u->gs;

    memcpy(a->traps, c->trap_ctxt, sizeof(a->traps));
    a->kernel_ss = c->kernel_ss;
    a->kernel_sp = c->kernel_sp;
    a->cb.event = c->event_callback_eip;
    a->cb.failsafe = c->failsafe_callback_eip;
    a->cb.syscall = c->syscall_callback_eip;
    a->cb.failsafe_masks_events = c->flags & VGCF_failsafe_disables_events;
    a->cb.syscall_masks_events = c->flags & VGCF_syscall_disables_events;
    a->kernel_mode = c->flags & VGCF_in_kernel;
    a->fs_base = c->fs_base;
    a->gs_base_kernel = c->gs_base_kernel;
    a->gs_base_user = c->gs_base_user;
    pv_debugregs_load_context(v, c->debugreg);
    if ( c->flags & VGCF_i387_valid )
    {
        memcpy(a->fpu_area, c->fpu_ctxt.x, sizeof(a->fpu_area));
        /* Reserved MXCSR bits would make fxrstor fault: mask them. */
        if ( fpu_sanitise_image(a->fpu_area) )
            printk(XENLOG_INFO "d%u v%u: reserved MXCSR bits cleared in "
                   "the loaded FPU image\n", d->domain_id, v->vcpu_id);
        a->fpu_initialised = true;
    }
    else
        a->fpu_initialised = false;
    return 0;

 fail_l4:
    put_page_and_type(mfn_to_page(l4));
 fail_gdt:
    pv_gdt_frames_put(c->gdt_frames, frames);
 refused:
    printk(XENLOG_DEBUG "d%u v%u: vCPU context refused (%d)\n",
           d->domain_id, v->vcpu_id, rc);
    return rc;
}
