/*
 * Hypercall wrappers for the test kernels: a 64-bit PV kernel calls the
 * hypervisor with SYSCALL from guest-kernel mode (no hypercall page).
 *
 * Number in rax, arguments in rdi, rsi, rdx, r10, r8; result in rax.  The
 * hypervisor may clobber rax and all five argument registers, and SYSCALL
 * itself destroys rcx and r11, which we save around it on the stack exactly
 * like Linux's xen_hypercall_pv stub (push rcx; push r11; syscall; pop r11;
 * pop rcx) so the hypervisor sees the same stack shape Linux gives it.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>

#define HYPERCALL_ASM "push %%rcx\n\tpush %%r11\n\tsyscall\n\tpop %%r11\n\tpop %%rcx"

static inline long hypercall5(unsigned long nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret;

    asm volatile(HYPERCALL_ASM
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : "0"(nr)
                 : "memory", "cc");
    return ret;
}

static inline long hypercall0(unsigned long nr)
{
    return hypercall5(nr, 0, 0, 0, 0, 0);
}

static inline long hypercall1(unsigned long nr, unsigned long a1)
{
    return hypercall5(nr, a1, 0, 0, 0, 0);
}

static inline long hypercall2(unsigned long nr, unsigned long a1, unsigned long a2)
{
    return hypercall5(nr, a1, a2, 0, 0, 0);
}

static inline long hypercall3(unsigned long nr, unsigned long a1,
                              unsigned long a2, unsigned long a3)
{
    return hypercall5(nr, a1, a2, a3, 0, 0);
}

static inline long hypercall4(unsigned long nr, unsigned long a1,
                              unsigned long a2, unsigned long a3,
                              unsigned long a4)
{
    return hypercall5(nr, a1, a2, a3, a4, 0);
}

#define HC_PTR(p) ((unsigned long)(p))

/* Typed helpers for the calls every test kernel uses. */
static inline long hv_console_write(const char *buf, unsigned long len)
{
    return hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, len, HC_PTR(buf));
}

static inline long hv_xen_version(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_xen_version, (unsigned long)cmd, HC_PTR(arg));
}

static inline long hv_sched_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_sched_op, (unsigned long)cmd, HC_PTR(arg));
}

static inline long hv_evtchn_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_event_channel_op, (unsigned long)cmd, HC_PTR(arg));
}

static inline long hv_physdev_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_physdev_op, (unsigned long)cmd, HC_PTR(arg));
}

/* The virtual IOPL: 1 lets a PV kernel (ring 1) do port I/O. */
static inline long hv_set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl s = { .iopl = iopl };

    return hv_physdev_op(PHYSDEVOP_set_iopl, &s);
}

static inline long hv_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall3(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu, HC_PTR(arg));
}

static inline long hv_memory_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_memory_op, (unsigned long)cmd, HC_PTR(arg));
}

static inline long hv_callback_op(int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_callback_op, (unsigned long)cmd, HC_PTR(arg));
}

static inline long hv_update_va_mapping(unsigned long va, uint64_t pte,
                                        unsigned long flags)
{
    return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hv_mmu_update(struct mmu_update *req, unsigned int count,
                                 unsigned int *done, unsigned int dom)
{
    return hypercall4(__HYPERVISOR_mmu_update, HC_PTR(req), count, HC_PTR(done), dom);
}

static inline long hv_mmuext_op(struct mmuext_op *op, unsigned int count,
                                unsigned int *done, unsigned int dom)
{
    return hypercall4(__HYPERVISOR_mmuext_op, HC_PTR(op), count, HC_PTR(done), dom);
}

static inline long hv_set_trap_table(const struct trap_info *table)
{
    return hypercall1(__HYPERVISOR_set_trap_table, HC_PTR(table));
}

#endif /* GUEST_HYPERCALL_H */
