/*
 * Hypercall handlers.
 *
 * Every handler has the same C signature: the five argument registers as
 * unsigned longs (rdi, rsi, rdx, r10, r8), returning a long (>= 0 success,
 * -errno failure).  The dispatcher (arch/x86/pv/hypercall.c) indexes a table
 * by hypercall number; empty slots and unknown sub-operations return
 * -ENOSYS and are logged once per domain and number.  Handlers copy guest
 * structures in with copy_from_guest() and validate every field before use.
 *
 * Write a handler as:   HYPERCALL(console_io) { ... a1, a2, a3 ... }
 */
#ifndef XEN_HYPERCALL_H
#define XEN_HYPERCALL_H

#include <xen/types.h>

typedef long hypercall_fn_t(unsigned long a1, unsigned long a2,
                            unsigned long a3, unsigned long a4,
                            unsigned long a5);

#define HYPERCALL(name)                                                     \
    long do_##name(unsigned long a1, unsigned long a2, unsigned long a3,    \
                   unsigned long a4, unsigned long a5)

#define DECLARE_HYPERCALL(name) hypercall_fn_t do_##name

/* -ENOSYS as a handler's answer, not as "this sub-op is unsupported": Xen
 * answers some optional probes so (platform_op's EFI information on a
 * machine not booted through EFI, which Linux dom0 asks at every boot),
 * and the dispatcher then logs nothing for it.  Returns -ENOSYS. */
long hypercall_enosys_answer(void);

DECLARE_HYPERCALL(set_trap_table);
DECLARE_HYPERCALL(mmu_update);
DECLARE_HYPERCALL(set_gdt);
DECLARE_HYPERCALL(stack_switch);
DECLARE_HYPERCALL(set_callbacks);
DECLARE_HYPERCALL(fpu_taskswitch);
DECLARE_HYPERCALL(platform_op);
DECLARE_HYPERCALL(set_debugreg);
DECLARE_HYPERCALL(get_debugreg);
DECLARE_HYPERCALL(update_descriptor);
DECLARE_HYPERCALL(memory_op);
DECLARE_HYPERCALL(multicall);
DECLARE_HYPERCALL(update_va_mapping);
DECLARE_HYPERCALL(set_timer_op);
DECLARE_HYPERCALL(xen_version);
DECLARE_HYPERCALL(console_io);
DECLARE_HYPERCALL(grant_table_op);
DECLARE_HYPERCALL(vm_assist);
DECLARE_HYPERCALL(update_va_mapping_otherdomain);
DECLARE_HYPERCALL(iret);
DECLARE_HYPERCALL(vcpu_op);
DECLARE_HYPERCALL(set_segment_base);
DECLARE_HYPERCALL(mmuext_op);
DECLARE_HYPERCALL(sched_op);
DECLARE_HYPERCALL(callback_op);
DECLARE_HYPERCALL(event_channel_op);
DECLARE_HYPERCALL(physdev_op);
DECLARE_HYPERCALL(dom0_op);
DECLARE_HYPERCALL(xenpmu_op);
DECLARE_HYPERCALL(mca);

struct domain;
/* XENMEM_* for 'self' (the calling domain): do_memory_op's body
 * (common/memory.c), which the host tests call directly. */
long pv_memory_op(struct domain *self, unsigned long cmd, uint64_t arg);
/*
 * Continuations (arch/x86/pv/continuation.c): a handler with a long batch
 * calls hypercall_preempt_check() between units (after at least one, so
 * every call makes progress) and, when it says yes, returns
 * hypercall_create_continuation(nr, args...) with its progress encoded in
 * the arguments as the ABI prescribes; the guest then re-issues the call.
 */
void hypercall_begin(void);             /* the dispatcher, on entry */
bool hypercall_preempt_check(void);
/* The return path: the time the hypercall last read, once (0: none). */
s_time_t hypercall_take_time(void);
long hypercall_create_continuation(unsigned int nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3,
                                   unsigned long a4, unsigned long a5);
/* multicall: nested continuations are recorded, not put in registers. */
bool multicall_enter(void);             /* false: already in one */
bool multicall_entry_preempted(unsigned long args[5]);
void multicall_leave(void);

/* For multicall: run hypercall 'op' with the given arguments. */
long hypercall_dispatch(unsigned long op, const unsigned long args[5]);

#endif /* XEN_HYPERCALL_H */
