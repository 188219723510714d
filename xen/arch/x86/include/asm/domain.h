/* x86 PV parts of domains and vCPUs (embedded in struct domain/vcpu). */
#ifndef X86_DOMAIN_H
#define X86_DOMAIN_H

#include <xen/types.h>
#include <public/xen.h>
#include <public/arch-x86_64.h>
#include <asm/regs.h>

struct arch_domain {
    uint64_t vm_assist;             /* VMASST_TYPE_* bits the guest enabled */
    /* The pseudo-physical to machine map the builder made (dom0). */
    unsigned long p2m_size;
    /* The domain's PCI address latch (0xcf8), replayed with each data
     * access (pci-conf.c). */
    uint32_t pci_cf8;
    /* Physical IRQs mapped for the domain (irq-pirq.c); NULL until the
     * first map_pirq. */
    struct pirq *pirqs;
    /* Interrupt handlers between reading a port of this domain under
     * pirq_lock and raising it (irq-pirq.c): the teardown waits for 0. */
    unsigned int pirq_inflight;
    /* The TSS I/O bitmap made from the port set (io-perm.c), NULL when
     * the domain may use no port directly; a new generation number on
     * every rebuild tells each CPU its TSS copy is stale (io-bitmap.c). */
    uint8_t *io_bitmap;
    uint64_t io_bitmap_gen;
    /* PHYSDEVOP_pirq_eoi_gmfn_v2: the domain's frame (a writable type
     * reference held) whose bit p says pirq p awaits PHYSDEVOP_eoi;
     * NULL: none registered. */
    unsigned long *pirq_eoi_map;
    unsigned long pirq_eoi_mfn;
    bool apic_read_logged;          /* PHYSDEVOP_apic_read seen (logged once) */
    /* Writes to the ACPI power ports dropped (pv/emul-io.c; the first
     * few are logged). */
    unsigned int power_writes_dropped;
};

/* The guest's callbacks (callback_op / set_callbacks). */
struct pv_callbacks {
    uint64_t event;                 /* event upcall entry */
    uint64_t failsafe;              /* bad segment on return */
    uint64_t syscall;               /* 64-bit syscall from guest user */
    uint64_t syscall32;
    uint64_t sysenter;
    uint64_t nmi;
    bool failsafe_masks_events;
    bool syscall_masks_events;
};

struct arch_vcpu {
    /* Guest registers while the vCPU is not running on a CPU.  While it
     * runs they live in the frame at the top of the CPU's stack
     * (guest_cpu_regs()) and this copy is stale. */
    struct cpu_regs regs;

    bool kernel_mode;               /* guest kernel (vs guest user) mode */
    mfn_t guest_table;              /* kernel L4 (CR3 in kernel mode) */
    mfn_t guest_table_user;         /* user L4 (0: none yet) */

    struct trap_info traps[256];    /* set_trap_table; address 0 = none */
    struct pv_callbacks cb;
    uint64_t kernel_ss, kernel_sp;  /* stack_switch: user->kernel stack */

    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint16_t ds, es, fs, gs;        /* selectors, saved on context switch */

    /* Descriptor tables (set_gdt / MMUEXT_SET_LDT). */
    mfn_t gdt_frames[14];
    unsigned int gdt_ents;
    uint64_t ldt_base;
    unsigned int ldt_ents;

    uint64_t debugreg[8];           /* 0 in 6/7: never written (pv/debugreg.c) */
    uint32_t dr7_emul;              /* DR7 enables of I/O breakpoints */
    bool cr4_de;                    /* virtual CR4.DE */
    bool fpu_ts;                    /* virtual CR0.TS (fpu_taskswitch) */
    bool fpu_initialised;
    uint8_t fpu_area[512] __attribute__((aligned(16)));  /* FXSAVE image */

    bool nmi_masked;                /* NMI being handled until iret */
    unsigned int iopl;              /* virtual IOPL (physdev set_iopl) */
};

/* The register frame of the guest running on this CPU (see entry.S):
 * always at the same place, just below struct cpu_info. */
#include <asm/percpu.h>
static inline struct cpu_regs *guest_cpu_regs(void)
{
    return (struct cpu_regs *)get_cpu_info() - 1;
}

#endif /* X86_DOMAIN_H */
