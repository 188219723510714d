/*
 * Loading a whole vCPU state (VCPUOP_initialise, and later the toolstack's
 * setvcpucontext): struct vcpu_guest_context into a down vCPU.
 *
 * Everything is validated before anything is changed: the page tables by
 * taking their type references, the GDT frames as set_gdt would, callback
 * and trap addresses as guest addresses.  On failure the vCPU is left as
 * it was.
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
#include <public/arch-x86_64.h>

#define RFLAGS_IF   (1UL << 9)
#define RFLAGS_IOPL (3UL << 12)

static bool addr_ok(uint64_t a)
{
    return a == 0 || guest_range_ok(a, 1);
}

int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    struct arch_vcpu *a = &v->arch;
    const struct cpu_user_regs *u = &c->user_regs;
    mfn_t l4 = c->ctrlreg[3] >> PAGE_SHIFT;
    mfn_t l4u = c->ctrlreg[1] >> PAGE_SHIFT;
    unsigned int frames = DIV_ROUND_UP(c->gdt_ents, 512), i;
    int rc;

    if ( v->state != VCPU_DOWN )
        return -EBUSY;
    if ( c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || c->ldt_ents > 8192 )
        return -EINVAL;
    if ( !addr_ok(c->event_callback_eip) || !addr_ok(c->failsafe_callback_eip) ||
         !addr_ok(c->syscall_callback_eip) || !addr_ok(u->rip) )
        return -EINVAL;
    for ( i = 0; i < 256; i++ )
        if ( !addr_ok(c->trap_ctxt[i].address) )
            return -EINVAL;

    /* GDT frames: the same type references set_gdt takes. */
    for ( i = 0; i < frames; i++ )
        if ( !mfn_in_frame_table(c->gdt_frames[i]) ||
             get_page_and_type(mfn_to_page(c->gdt_frames[i]), d,
                               PGT_seg_desc_page) )
        {
            while ( i-- > 0 )
                put_page_and_type(mfn_to_page(c->gdt_frames[i]));
            return -EINVAL;
        }

    if ( (rc = pv_set_guest_table(v, l4, false)) )
        goto fail_gdt;
    if ( l4u && (rc = pv_set_guest_table(v, l4u, true)) )
        goto fail_gdt;

    /* From here on nothing can fail. */
    for ( i = 0; i < DIV_ROUND_UP(a->gdt_ents, 512); i++ )
        put_page_and_type(mfn_to_page(a->gdt_frames[i]));
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
    for ( i = 0; i < 8; i++ )
        a->debugreg[i] = c->debugreg[i];
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

 fail_gdt:
    for ( i = 0; i < frames; i++ )
        put_page_and_type(mfn_to_page(c->gdt_frames[i]));
    return rc;
}
