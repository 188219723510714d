/*
 * Hypercalls that set up a PV vCPU's trap and entry environment:
 * set_trap_table, callback_op / set_callbacks, stack_switch,
 * set_segment_base, fpu_taskswitch (set_debugreg / get_debugreg are in
 * debugreg.c).
 */
#include <xen/lib.h>
#include <asm/extable.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <public/callback.h>

/* set_trap_table(list): entries up to one with address 0; NULL clears. */
HYPERCALL(set_trap_table)
{
    struct vcpu *v = current;
    uint64_t list = a1;

    if ( list == 0 )
    {
        memset(v->arch.traps, 0, sizeof(v->arch.traps));
        return 0;
    }
    for ( unsigned int i = 0; i < 256; i++ )
    {
        struct trap_info ti;

        if ( copy_from_guest_index(&ti, list, i, sizeof(ti)) )
            return -EFAULT;
        if ( ti.address == 0 )
            return 0;
        if ( !guest_range_ok(ti.address, 1) )
            return -EINVAL;
        v->arch.traps[ti.vector] = ti;
    }
    return 0;   /* 256 entries without terminator: all vectors set */
}

static int register_callback(struct vcpu *v, const struct callback_register *cb)
{
    struct pv_callbacks *c = &v->arch.cb;
    bool mask = cb->flags & CALLBACKF_mask_events;

    if ( cb->flags & ~CALLBACKF_mask_events )
        return -EINVAL;
    if ( cb->address && !guest_range_ok(cb->address, 1) )
        return -EINVAL;
    switch ( cb->type )
    {
    case CALLBACKTYPE_event:
        c->event = cb->address;
        break;
    case CALLBACKTYPE_failsafe:
        c->failsafe = cb->address;
        c->failsafe_masks_events = mask;
        break;
    case CALLBACKTYPE_syscall:
        c->syscall = cb->address;
        c->syscall_masks_events = mask;
        break;
    case CALLBACKTYPE_syscall32:
        c->syscall32 = cb->address;
        break;
    case CALLBACKTYPE_sysenter:
        c->sysenter = cb->address;
        break;
    case CALLBACKTYPE_nmi:
        c->nmi = cb->address;
        break;
    default:
        return -ENOSYS;
    }
    return 0;
}

HYPERCALL(callback_op)
{
    struct callback_register reg;
    struct callback_unregister unreg;

    switch ( a1 )
    {
    case CALLBACKOP_register:
        if ( copy_from_guest(&reg, a2, sizeof(reg)) )
            return -EFAULT;
        return register_callback(current, &reg);
    case CALLBACKOP_unregister:
        if ( copy_from_guest(&unreg, a2, sizeof(unreg)) )
            return -EFAULT;
        if ( unreg.type == CALLBACKTYPE_nmi )
        {
            current->arch.cb.nmi = 0;
            return 0;
        }
        return -EINVAL;         /* only NMI may be unregistered */
    default:
        return -ENOSYS;
    }
}

/* Old interface: set_callbacks(event, failsafe, syscall). */
HYPERCALL(set_callbacks)
{
    struct pv_callbacks *c = &current->arch.cb;

    if ( !guest_range_ok(a1, 1) || !guest_range_ok(a2, 1) ||
         !guest_range_ok(a3, 1) )
        return -EINVAL;
    c->event = a1;
    c->failsafe = a2;
    c->syscall = a3;
    return 0;
}

/* stack_switch(ss, sp): the stack used on user -> kernel transitions. */
HYPERCALL(stack_switch)
{
    if ( !guest_range_ok(a2 - 1, 1) )
        return -EINVAL;
    current->arch.kernel_ss = a1;
    current->arch.kernel_sp = a2;
    return 0;
}

HYPERCALL(set_segment_base)
{
    struct vcpu *v = current;
    uint64_t base = a2;

    /* Bases must be canonical (wrmsr would #GP otherwise). */
    if ( a1 != SEGBASE_GS_USER_SEL &&
         (int64_t)(base << 16) >> 16 != (int64_t)base )
        return -EINVAL;
    switch ( a1 )
    {
    /* wrmsr_safe as well as the check above: should a base the check
     * passed still be refused by the CPU, the guest gets -EINVAL. */
    case SEGBASE_FS:
        if ( wrmsr_safe(MSR_FS_BASE, base) )
            return -EINVAL;
        v->arch.fs_base = base;
        return 0;
    case SEGBASE_GS_USER:
        /* The user GS base is the inactive one while in kernel mode. */
        if ( wrmsr_safe(v->arch.kernel_mode ? MSR_KERNEL_GS_BASE : MSR_GS_BASE,
                        base) )
            return -EINVAL;
        v->arch.gs_base_user = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        if ( wrmsr_safe(v->arch.kernel_mode ? MSR_GS_BASE : MSR_KERNEL_GS_BASE,
                        base) )
            return -EINVAL;
        v->arch.gs_base_kernel = base;
        return 0;
    case SEGBASE_GS_USER_SEL:
    {
        /* Load a user GS selector without disturbing the kernel GS base:
         * swap to the user base, load, swap back. */
        uint16_t sel = (uint16_t)base;
        unsigned long flags = local_irq_save();
        int err = 0;

        __asm__ __volatile__(
            "swapgs\n"
            "1: mov %w1, %%gs\n"
            "2: swapgs\n"
            ".pushsection .fixup, \"ax\"\n"
            "3: xorl %k1, %k1\n"
            "   mov %w1, %%gs\n"
            "   movl $1, %0\n"
            "   jmp 2b\n"
            ".popsection\n"
            ".pushsection .ex_table, \"a\"\n"
            ".balign 8\n"
            ".quad 1b, 3b\n"
            ".popsection\n"
            : "+r"(err), "+r"(sel) :: "memory");
        local_irq_restore(flags);
        v->arch.gs = sel;
        return err ? -EINVAL : 0;
    }
    default:
        return -EINVAL;
    }
}

/* fpu_taskswitch(set): the guest's virtual CR0.TS. */
HYPERCALL(fpu_taskswitch)
{
    current->arch.fpu_ts = a1 != 0;
    if ( a1 )
        write_cr0(read_cr0() | X86_CR0_TS);
    else
        __asm__ __volatile__("clts");
    return 0;
}
