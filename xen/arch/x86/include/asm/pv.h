/* The x86 PV guest execution core (arch/x86/pv/). */
#ifndef X86_PV_H
#define X86_PV_H

#include <xen/types.h>
#include <asm/regs.h>

struct vcpu;
struct domain;

#define TRAP_SYSCALL   0x100    /* entry_vector of a SYSCALL entry */
#define TRAP_BAD_IRET  0x101    /* the return to a guest faulted */

/* traps.c */
void pv_handle_guest_trap(struct cpu_regs *r);
void pv_handle_syscall(struct cpu_regs *r);
/* Deliver exception 'vector' to the current guest (error code if the
 * vector has one); crashes the domain if it has no handler. */
void pv_inject_exception(struct cpu_regs *r, unsigned int vector,
                         uint32_t error_code);
void toggle_guest_mode(struct vcpu *v);
unsigned long vcpu_cr3(const struct vcpu *v);

/* emul-priv.c: privileged instruction and forced-CPUID emulation.
 * Return true when the instruction was emulated (RIP advanced). */
bool pv_emulate_privileged(struct cpu_regs *r, unsigned int *dbg);
bool pv_emulate_forced_cpuid(struct cpu_regs *r);
/* May v, in its current guest mode, use cli/sti and port I/O (its
 * virtual IOPL)? */
bool pv_iopl_ok(const struct vcpu *v);
/* A guest #PF that is a ring-3 iretq faulted by SMAP under QEMU TCG:
 * complete the iretq and return true (pv/iretq-smap.c). */
bool pv_finish_ring3_iretq(struct cpu_regs *r, unsigned long cr2,
                           uint32_t ec);
bool pv_gp_is_stack_fault(const struct cpu_regs *r);
/* physdev-irq.c: physdev_op's interrupt sub-operations. */
long pv_physdev_irq_op(unsigned long cmd, uint64_t arg);
/* physdev-pci.c: PCI device reports, restore_msi, apic_read (the caller
 * has PCI configuration space). */
long pv_physdev_pci_op(struct domain *d, unsigned long cmd, uint64_t arg);
/* emul-io.c: one port access under the domain's port permissions. */
struct domain;
uint32_t pv_io_read(struct domain *d, unsigned int port,
                    unsigned int bytes);
void pv_io_write(struct domain *d, unsigned int port,
                 unsigned int bytes, uint32_t val);
/* One decoded ins/outs (emul-priv.c decodes, emul-io.c runs it). */
struct string_io {
    unsigned int bytes;             /* element size: 1, 2 or 4 */
    unsigned int len;               /* instruction length */
    bool out, rep, addr32, fs_gs;   /* fs_gs: an FS/GS override */
};
enum {
    STRING_IO_DONE,                 /* all elements; RIP advanced */
    STRING_IO_AGAIN,                /* a batch done; RIP left: runs again */
    STRING_IO_FAULTED,              /* #PF injected (the buffer) */
    STRING_IO_REFUSED,              /* not emulated: #GP(0) */
};
int pv_emulate_string_io(struct cpu_regs *r, const struct string_io *s,
                         unsigned int *dbg);
void pv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b,
              uint32_t *c, uint32_t *d);

/* debugreg.c */
long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long val);
long pv_get_debugreg(const struct vcpu *v, unsigned int reg,
                     unsigned long *val);
void pv_debug_trap(struct cpu_regs *r, bool from_guest);
unsigned int pv_io_breakpoints(const struct vcpu *v, unsigned int port,
                               unsigned int bytes);
void pv_emulated_debug(struct cpu_regs *r, unsigned int match);
void pv_debugregs_switch_from(const struct vcpu *v);
void pv_debugregs_switch_to(const struct vcpu *v);
int pv_debugregs_check(const uint64_t dr[8]);
void pv_debugregs_load_context(struct vcpu *v, const uint64_t dr[8]);

/* iret hypercall (never a normal return value). */
void pv_do_iret(struct cpu_regs *r);

#endif /* X86_PV_H */
