/*
 * x86_64 PV guest ABI: machine word types, address-space layout, selectors
 * and the register, trap and frame structures that cross the boundary.
 *
 * Every number and layout here is an upstream Xen fact as Linux 6.1 uses it
 * (arch/x86/include/asm/xen/interface*.h); tests/unit/abi/abi_layout.c pins
 * the layouts.  Never renumber or reorder; only append.
 */
#ifndef XEN_PUBLIC_ARCH_X86_64_H
#define XEN_PUBLIC_ARCH_X86_64_H

#include <stdint.h>

#include "guest_handle.h"

/* ---- Word-sized types.  x86_64 is LP64, so all three are 64 bits. ---- */

typedef uint64_t xen_pfn_t;   /* a frame number (machine or pseudo-physical) */
typedef uint64_t xen_ulong_t; /* a guest "unsigned long" */
typedef int64_t xen_long_t;   /* a guest "long" */

DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* ---- Address-space layout (4-level paging, 48-bit canonical). ---- */

/*
 * The hypervisor owns L4 slots 256..271 of every guest address space.  The
 * first 256 GiB of that hole is the read-only machine-to-phys table (one
 * 8-byte pseudo-physical frame number per machine frame).
 */
#define HYPERVISOR_VIRT_START  0xFFFF800000000000ULL
#define HYPERVISOR_VIRT_END    0xFFFF880000000000ULL
#define MACH2PHYS_VIRT_START   0xFFFF800000000000ULL
#define MACH2PHYS_VIRT_END     0xFFFF804000000000ULL
#define MACH2PHYS_SHIFT        3 /* log2 of one M2P entry's size */
#define MACH2PHYS_NR_ENTRIES                                                 \
    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> MACH2PHYS_SHIFT)

/* Spellings used by Xen's own headers and by assembly. */
#define __HYPERVISOR_VIRT_START HYPERVISOR_VIRT_START
#define __HYPERVISOR_VIRT_END   HYPERVISOR_VIRT_END
#define __MACH2PHYS_VIRT_START  MACH2PHYS_VIRT_START
#define __MACH2PHYS_VIRT_END    MACH2PHYS_VIRT_END
#define __MACH2PHYS_SHIFT       MACH2PHYS_SHIFT

/* vcpu_info slots in shared_info; later vCPUs must register their own. */
#define MAX_VIRT_CPUS 32

/* A cr3 value holds a frame number shifted into place. */
#define xen_pfn_to_cr3(pfn) ((uint64_t)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((uint64_t)(cr3) >> 12)

/* ---- Segments. ---- */

/*
 * The hypervisor keeps the last GDT pages for itself, starting at page 14;
 * guests may use entries below FIRST_RESERVED_GDT_ENTRY.  The reserved part
 * holds flat ring-3 segments that every guest may load.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

#define FLAT_RING3_CS32 0xE023 /* GDT entry 7172, RPL 3 */
#define FLAT_RING3_CS64 0xE033 /* GDT entry 7174 */
#define FLAT_RING3_DS32 0xE02B /* GDT entry 7173 */
#define FLAT_RING3_DS64 0x0000 /* the null selector */
#define FLAT_RING3_SS32 0xE02B
#define FLAT_RING3_SS64 0xE02B

/* A 64-bit PV kernel runs in ring 3 too, so kernel and user share them. */
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_SS   FLAT_USER_SS64

/* set_segment_base(which, base): which base to load. */
#define SEGBASE_FS          0
#define SEGBASE_GS_USER     1
#define SEGBASE_GS_KERNEL   2
#define SEGBASE_GS_USER_SEL 3 /* base[15:0] is a selector for the user %gs */

/* ---- Virtual IDT (set_trap_table). ---- */

/*
 * flags bits 1:0 are the DPL that may raise the vector with `int n`; bit 2
 * asks for events to be masked on entry (interrupt-gate behaviour).  A
 * set_trap_table array ends with an entry whose address is 0.
 */
#define TI_GET_DPL(ti)      ((ti)->flags & 3)
#define TI_GET_IF(ti)       ((ti)->flags & 4)
#define TI_SET_DPL(ti, dpl) ((ti)->flags |= (dpl))
#define TI_SET_IF(ti, on)   ((ti)->flags |= ((!!(on)) << 2))

struct trap_info {
    uint8_t vector;
    uint8_t flags;   /* TI_* above */
    uint16_t cs;     /* ignored for 64-bit guests */
    uint64_t address; /* handler entry point */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(trap_info);

/* ---- Callbacks (callback_op, set_callbacks). ---- */

/* On x86_64 a callback is just the entry address; there is no selector. */
typedef uint64_t xen_callback_t;
#define XEN_CALLBACK(cs, rip) ((uint64_t)(rip))

/* ---- Register state. ---- */

/*
 * The hypervisor's saved frame, also the register block of
 * vcpu_guest_context.  error_code and entry_vector are private to the
 * hypervisor.  A non-zero fs/gs selector overrides fs_base/gs_base_user.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs;
    uint16_t _pad0[1];
    uint8_t saved_upcall_mask; /* rflags.IF is !saved_upcall_mask */
    uint8_t _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(cpu_user_regs);

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1U << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1U << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1U << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1U << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1U << _VGCF_online)
#define VGCF_I387_VALID                VGCF_i387_valid
#define VGCF_IN_KERNEL                 VGCF_in_kernel
/* Only in iret_context.flags: the guest left through SYSCALL; use SYSRET. */
#define _VGCF_in_syscall               8
#define VGCF_in_syscall                (1U << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL                VGCF_in_syscall

/*
 * A whole vCPU, as passed to VCPUOP_initialise and the domctls that get or
 * set a vCPU's state.  fpu_ctxt comes first so it stays 16-byte aligned for
 * FXSAVE/FXRSTOR.  ctrlreg[1] holds the user-mode page-table base (x86_64
 * PV keeps separate kernel and user L4s); ctrlreg[3] the kernel one.
 */
struct vcpu_guest_context {
    struct {
        char x[512];
    } fpu_ctxt;                   /* FXSAVE image, valid if VGCF_i387_valid */
    uint64_t flags;               /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];
    uint64_t ldt_base, ldt_ents;  /* linear address, number of entries */
    uint64_t gdt_frames[16], gdt_ents; /* machine frames, number of entries */
    uint64_t kernel_ss, kernel_sp; /* stack for user->kernel transitions */
    uint64_t ctrlreg[8];
    uint64_t debugreg[8];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t vm_assist;           /* bitmap of VMASST_TYPE_* */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_guest_context);

/*
 * What the guest pushes before HYPERVISOR_iret, lowest address first (so
 * rax is at the stack pointer when the call is made).  With
 * VGCF_in_syscall in flags only rax, rip, rflags and rsp are restored.
 */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/* ---- Per-vCPU and per-domain architectural shared state. ---- */

/* Part of vcpu_info; pad keeps vcpu_info at 64 bytes. */
struct arch_vcpu_info {
    uint64_t cr2; /* written by the hypervisor before it bounces a #PF */
    uint64_t pad;
};

/*
 * Part of shared_info.  The p2m fields are written by the guest for the
 * benefit of save/restore tools: p2m_cr3 and p2m_vaddr locate the guest's
 * linear p2m list, p2m_generation is odd while the guest is changing it.
 */
struct arch_shared_info {
    uint64_t max_pfn;                    /* entries in the p2m */
    xen_pfn_t pfn_to_mfn_frame_list_list; /* 0 unset, ~0 not provided */
    uint64_t nmi_reason;                 /* XEN_NMIREASON_* (nmi.h) */
    uint64_t p2m_cr3;
    uint64_t p2m_vaddr;
    uint64_t p2m_generation;
};

#endif /* XEN_PUBLIC_ARCH_X86_64_H */
