/*
 * Core of the Xen x86_64 PV guest ABI: hypercall numbers, domain ids, page
 * table updates, multicalls, the shared_info and start_info pages, virtual
 * IRQs and VM assists.  Sub-operation families live in their own headers
 * (event_channel.h, memory.h, ...).
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; they are
 * append-only.  Retired numbers stay listed so nobody reuses them.
 */
#ifndef XEN_PUBLIC_XEN_H
#define XEN_PUBLIC_XEN_H

#include <stdint.h>

#include "arch-x86_64.h"

/*
 * The Xen public-interface revision these headers follow.  Linux 6.1 pins
 * none; its hypercalls need at least XEN_INTERFACE_VERSION_MIN because it
 * has no fallback to the compat calls that revision replaced (6, 16, 19).
 * 0x00030209 is the revision that names xen_memory_reservation's fifth
 * word mem_flags; Linux still calls it address_bits (same offset, and Linux
 * only ever writes 0 there).
 */
#define XEN_INTERFACE_VERSION     0x00030209
#define XEN_INTERFACE_VERSION_MIN 0x00030202

/*
 * ---- Hypercall numbers ----
 *
 * x86_64 convention: number in rax; arguments in rdi, rsi, rdx, r10, r8,
 * r9; result in rax (negative errno on failure).  A 64-bit PV kernel issues
 * them with SYSCALL from guest-kernel mode; rcx and r11 are clobbered.
 */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4 /* superseded by callback_op */
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6 /* retired: compat since 0x00030101 */
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor             10
/*                                                 11    never assigned here; do not use */
#define __HYPERVISOR_memory_op                     12
#define __HYPERVISOR_multicall                     13
#define __HYPERVISOR_update_va_mapping             14
#define __HYPERVISOR_set_timer_op                  15
#define __HYPERVISOR_event_channel_op_compat       16 /* retired: compat since 0x00030202 */
#define __HYPERVISOR_xen_version                   17
#define __HYPERVISOR_console_io                    18
#define __HYPERVISOR_physdev_op_compat             19 /* retired: compat since 0x00030202 */
#define __HYPERVISOR_grant_table_op                20
#define __HYPERVISOR_vm_assist                     21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                          23
#define __HYPERVISOR_vcpu_op                       24
#define __HYPERVISOR_set_segment_base              25
#define __HYPERVISOR_mmuext_op                     26
#define __HYPERVISOR_xsm_op                        27
#define __HYPERVISOR_nmi_op                        28
#define __HYPERVISOR_sched_op                      29
#define __HYPERVISOR_callback_op                   30
#define __HYPERVISOR_xenoprof_op                   31
#define __HYPERVISOR_event_channel_op              32
#define __HYPERVISOR_physdev_op                    33
#define __HYPERVISOR_hvm_op                        34
#define __HYPERVISOR_sysctl                        35
#define __HYPERVISOR_domctl                        36
#define __HYPERVISOR_kexec_op                      37
#define __HYPERVISOR_tmem_op                       38 /* transcendent memory; Linux 6.1 never calls it */
#define __HYPERVISOR_xc_reserved_op                39 /* reserved (XenClient; argo_op in later Xen) */
#define __HYPERVISOR_xenpmu_op                     40
#define __HYPERVISOR_dm_op                         41
#define __HYPERVISOR_hypfs_op                      42 /* later Xen; unknown to Linux 6.1 */

/* Eight numbers for architecture-specific calls. */
#define __HYPERVISOR_arch_0                        48
#define __HYPERVISOR_arch_1                        49
#define __HYPERVISOR_arch_2                        50
#define __HYPERVISOR_arch_3                        51
#define __HYPERVISOR_arch_4                        52
#define __HYPERVISOR_arch_5                        53
#define __HYPERVISOR_arch_6                        54
#define __HYPERVISOR_arch_7                        55
#define __HYPERVISOR_mca                           __HYPERVISOR_arch_0 /* x86 machine check */

/* One past the highest number a dispatch table must cover. */
#define XEN_HYPERCALL_TABLE_SIZE                   56

/*
 * ---- Virtual IRQs (bound with EVTCHNOP_bind_virq) ----
 *
 * Per-vCPU VIRQs can be bound once on each vCPU; global ones once per
 * domain (initially on vCPU 0).
 */
#define VIRQ_TIMER        0 /* per-vCPU: timer fired or time info updated */
#define VIRQ_DEBUG        1 /* per-vCPU: dump debug state */
#define VIRQ_CONSOLE      2 /* global, dom0: hypervisor console input */
#define VIRQ_DOM_EXC      3 /* global, dom0: a domain shut down or crashed */
#define VIRQ_TBUF         4 /* global, dom0: trace records available */
/*                        5    unassigned */
#define VIRQ_DEBUGGER     6 /* global, dom0: a domain paused for debugging */
#define VIRQ_XENOPROF     7 /* per-vCPU: profiling sample */
#define VIRQ_CON_RING     8 /* global, dom0: hypervisor log ring has data */
#define VIRQ_PCPU_STATE   9 /* global, dom0: physical CPU state changed */
#define VIRQ_MEM_EVENT   10 /* global, dom0: memory event */
#define VIRQ_XC_RESERVED 11 /* global: reserved (XenClient) */
#define VIRQ_ENOMEM      12 /* global, dom0: hypervisor heap is low */
#define VIRQ_XENPMU      13 /* per-vCPU: PMU interrupt */

#define VIRQ_ARCH_0      16
#define VIRQ_ARCH_1      17
#define VIRQ_ARCH_2      18
#define VIRQ_ARCH_3      19
#define VIRQ_ARCH_4      20
#define VIRQ_ARCH_5      21
#define VIRQ_ARCH_6      22
#define VIRQ_ARCH_7      23
#define VIRQ_MCA         VIRQ_ARCH_0 /* global, dom0: machine check */

#define NR_VIRQS         24

/* ---- Domain ids ---- */

typedef uint16_t domid_t;

/* Ids from DOMID_FIRST_RESERVED up are never ordinary domains. */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF           0x7FF0U /* the caller */
#define DOMID_IO             0x7FF1U /* owner of I/O (non-RAM) frames */
#define DOMID_XEN            0x7FF2U /* owner of hypervisor frames (e.g. the M2P) */
#define DOMID_COW            0x7FF3U /* owner of shared copy-on-write frames */
#define DOMID_INVALID        0x7FF4U /* owner unknown */
#define DOMID_IDLE           0x7FFFU /* the idle domain */

/* A domain's 16-byte handle (a UUID chosen by the toolstack). */
typedef uint8_t xen_domain_handle_t[16];

/* A bitmap of CPUs, as used by scheduler and sysctl interfaces. */
typedef uint64_t cpumap_t;

/*
 * ---- mmu_update(reqs, count, done_out, foreigndom) ----
 *
 * The low two bits of ptr select the command; the rest is the machine
 * address of the entry to change.  foreigndom bits 15:0 name the owner of
 * the frames being mapped (DOMID_SELF for the caller); bits 31:16, if
 * non-zero, are one more than the owner of the page-table pages.
 */
#define MMU_NORMAL_PT_UPDATE       0 /* validated *ptr = val */
#define MMU_MACHPHYS_UPDATE        1 /* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* as 0, keeping the old A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* as 0, ptr never translated */
/* In the count of a re-issued mmu_update/mmuext_op: a continuation. */
#define MMU_UPDATE_PREEMPTED       (~(~0U >> 1))

struct mmu_update {
    uint64_t ptr; /* command in bits 1:0, machine address of the entry */
    uint64_t val; /* new entry contents */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(mmu_update);

/*
 * ---- mmuext_op(ops, count, done_out, foreigndom) ----
 */
#define MMUEXT_PIN_L1_TABLE        0 /* arg1.mfn */
#define MMUEXT_PIN_L2_TABLE        1 /* arg1.mfn */
#define MMUEXT_PIN_L3_TABLE        2 /* arg1.mfn */
#define MMUEXT_PIN_L4_TABLE        3 /* arg1.mfn */
#define MMUEXT_UNPIN_TABLE         4 /* arg1.mfn */
#define MMUEXT_NEW_BASEPTR         5 /* arg1.mfn: new kernel L4 */
#define MMUEXT_TLB_FLUSH_LOCAL     6
#define MMUEXT_INVLPG_LOCAL        7 /* arg1.linear_addr */
#define MMUEXT_TLB_FLUSH_MULTI     8 /* arg2.vcpumask */
#define MMUEXT_INVLPG_MULTI        9 /* arg1.linear_addr, arg2.vcpumask */
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11 /* arg1.linear_addr */
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13 /* arg1.linear_addr (page aligned), arg2.nr_ents */
/*                                14    unassigned */
#define MMUEXT_NEW_USER_BASEPTR   15 /* arg1.mfn: user-mode L4, or 0 */
#define MMUEXT_CLEAR_PAGE         16 /* arg1.mfn */
#define MMUEXT_COPY_PAGE          17 /* arg1.mfn = destination, arg2.src_mfn */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19 /* arg1.mfn */
#define MMUEXT_UNMARK_SUPER       20 /* arg1.mfn */

struct mmuext_op {
    uint32_t cmd; /* MMUEXT_* */
    union {
        xen_pfn_t mfn;
        uint64_t linear_addr;
    } arg1;
    union {
        uint32_t nr_ents;
        XEN_GUEST_HANDLE(void) vcpumask; /* bitmap of vCPU ids */
        xen_pfn_t src_mfn;
    } arg2;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(mmuext_op);

/*
 * ---- update_va_mapping(va, pte, flags) flags ----
 *
 * Bits 1:0 choose the flush, bit 2 its scope.  With UVMF_MULTI the rest of
 * the word is a pointer to a vCPU bitmap (a NULL pointer means local).
 */
#define UVMF_NONE           (0UL << 0)
#define UVMF_TLB_FLUSH      (1UL << 0)
#define UVMF_INVLPG         (2UL << 0)
#define UVMF_FLUSHTYPE_MASK (3UL << 0)
#define UVMF_MULTI          (0UL << 2)
#define UVMF_LOCAL          (0UL << 2)
#define UVMF_ALL            (1UL << 2)

/* ---- console_io(cmd, count, buffer) ---- */
#define CONSOLEIO_write 0 /* returns < 0 on failure */
#define CONSOLEIO_read  1 /* returns bytes read */

/* ---- vm_assist(cmd, type) ---- */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1

#define VMASST_TYPE_4gb_segments         0 /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify  1 /* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables  2 /* trap-and-emulate PTE writes */
#define VMASST_TYPE_pae_extended_cr3     3 /* 32-bit PAE guests only */
#define VMASST_TYPE_architectural_iopl   4 /* iopl follows iret, not set_iopl */
#define VMASST_TYPE_runstate_update_flag 5 /* XEN_RUNSTATE_UPDATE (vcpu.h) */
#define MAX_VMASST_TYPE                  5

/*
 * ---- multicall(entries, count) ----
 *
 * Each entry is a hypercall number plus up to six arguments; the
 * hypervisor stores each call's return value in result.
 */
struct multicall_entry {
    xen_ulong_t op;
    xen_long_t result;
    xen_ulong_t args[6];
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(multicall_entry);

/*
 * ---- Time ----
 *
 * The hypervisor bumps version to odd before it changes the other fields
 * and to even afterwards; readers retry while it is odd or has moved.
 *   now_ns = system_time + (((tsc - tsc_timestamp) <<> tsc_shift)
 *                           * tsc_to_system_mul >> 32)
 * where <<> shifts left for positive tsc_shift and right for negative.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC when system_time was sampled */
    uint64_t system_time;       /* ns since the domain started */
    uint32_t tsc_to_system_mul; /* 32.32 fixed point; never 0 */
    int8_t tsc_shift;
    uint8_t flags;              /* XEN_PVCLOCK_* */
    uint8_t pad1[2];
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_time_info);

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0) /* TSC is synchronised across vCPUs */
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1) /* the guest was paused */

/* Wall-clock time at system time 0, under the same version protocol. */
struct xen_wallclock {
    uint32_t version;
    uint32_t sec;
    uint32_t nsec;
};

/* ---- Per-vCPU shared state ---- */

/*
 * evtchn_upcall_pending is set by the hypervisor and cleared by the guest
 * before it scans for work; evtchn_upcall_mask is the guest's "events
 * disabled" flag, checked before every upcall.  The same 64-byte block is
 * used in shared_info and wherever VCPUOP_register_vcpu_info puts it.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel; /* bit w: word w of evtchn_pending has work */
    struct arch_vcpu_info arch;
    struct vcpu_time_info time;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_info);

/* ---- The shared_info page (start_info.shared_info) ---- */

/*
 * 2-level event channels: port p is bit p%64 of word p/64 in each bitmap.
 * The hypervisor sets pending bits; only the guest writes mask bits.
 */
#define XEN_EVTCHN_2L_WORDS (sizeof(xen_ulong_t) * 8)

struct shared_info {
    struct vcpu_info vcpu_info[MAX_VIRT_CPUS];
    xen_ulong_t evtchn_pending[XEN_EVTCHN_2L_WORDS];
    xen_ulong_t evtchn_mask[XEN_EVTCHN_2L_WORDS];
    struct xen_wallclock wc;
    uint32_t wc_sec_hi; /* upper 32 bits of the wall-clock seconds */
    struct arch_shared_info arch;
};

/*
 * ---- The start_info page ----
 *
 * Built by the domain builder; its virtual address is in rsi at entry.
 * Fields up to console are refreshed on resume; the rest only at boot.
 * The layout of the initial mapping it describes is in docs/guest-abi.md.
 */
#define MAX_GUEST_CMDLINE 1024

struct start_info {
    char magic[32];         /* "xen-<version>-<platform>" */
    uint64_t nr_pages;      /* pages given to the domain */
    uint64_t shared_info;   /* machine address of the shared_info page */
    uint32_t flags;         /* SIF_* */
    xen_pfn_t store_mfn;    /* xenstore ring page */
    uint32_t store_evtchn;  /* xenstore event channel (0: none) */
    union {
        struct {
            xen_pfn_t mfn;   /* console ring page */
            uint32_t evtchn; /* console event channel */
        } domU;
        struct {
            uint32_t info_off;  /* dom0_vga_console_info offset in this page */
            uint32_t info_size; /* its size, 0 if absent */
        } dom0;
    } console;
    uint64_t pt_base;       /* virtual address of the bootstrap L4 */
    uint64_t nr_pt_frames;  /* bootstrap page-table frames */
    uint64_t mfn_list;      /* virtual address of the p2m array */
    uint64_t mod_start;     /* initrd: virtual address, or PFN with SIF_MOD_START_PFN */
    uint64_t mod_len;       /* initrd length in bytes */
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn; /* frames of a p2m mapped outside the kernel region */
    uint64_t nr_p2m_frames;
};

#define SIF_PRIVILEGED      (1U << 0) /* may use privileged operations */
#define SIF_INITDOMAIN      (1U << 1) /* is the initial control domain (dom0) */
#define SIF_MULTIBOOT_MOD   (1U << 2) /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1U << 3) /* mod_start is a PFN, not a pointer */
#define SIF_VIRT_P2M_4TOOLS (1U << 4) /* tools read the guest's linear p2m */
#define SIF_PM_MASK         (0xFFU << 8) /* reserved for power management */

/* One module of a SIF_MULTIBOOT_MOD package; the list ends at mod_start 0. */
struct xen_multiboot_mod_list {
    uint32_t mod_start; /* offsets from the start of the package */
    uint32_t mod_end;   /* inclusive */
    uint32_t cmdline;
    uint32_t pad;
};

/* dom0's firmware console, described at start_info + console.dom0.info_off. */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

struct dom0_vga_console_info {
    uint8_t video_type; /* XEN_VGATYPE_* */
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height; /* pixels */
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;      /* low 32 bits; see ext_lfb_base */
            uint32_t lfb_size;      /* in 64 KiB units */
            uint8_t red_pos, red_size;
            uint8_t green_pos, green_size;
            uint8_t blue_pos, blue_size;
            uint8_t rsvd_pos, rsvd_size;
            uint32_t gbl_caps;      /* VBE controller capabilities */
            uint16_t mode_attrs;    /* VBE mode attributes */
            uint16_t pad;
            uint32_t ext_lfb_base;  /* high 32 bits of lfb_base */
        } vesa_lfb;
    } u;
};

#endif /* XEN_PUBLIC_XEN_H */
