/* Per-domain I/O port and I/O memory permissions (arch/x86/io-perm.c). */
#ifndef X86_IO_PERM_H
#define X86_IO_PERM_H

#include <xen/types.h>
#include <asm/config.h>

struct domain;

/* Give d the machine: every port and every I/O frame but the
 * hypervisor's own.  0, or -ENOSPC with both sets left empty. */
int io_perm_grant_machine(struct domain *d);
/* May d use ports [port, port + bytes)? */
bool io_ports_permitted(const struct domain *d, unsigned int port,
                        unsigned int bytes);
/* May d map machine frame mfn as I/O memory (never RAM or the
 * hypervisor's)? */
bool io_frame_permitted(const struct domain *d, mfn_t mfn);
/* Is mfn in d's I/O memory set at all (permitted or not)? */
bool io_frame_in_range(const struct domain *d, mfn_t mfn);
bool io_port_is_hypervisors(unsigned int port);
/* Is a write there the hypervisor's alone (PM1 control, ACPI reset)?
 * Such writes are dropped for every domain; reads are allowed. */
bool io_port_write_is_hypervisors(unsigned int port, unsigned int bytes);
/* Of those, is this one inert: PM1 control without SLP_EN?  ACPICA's
 * sleep writes SLP_TYP alone before it asks the hypervisor
 * (XENPF_enter_acpi_sleep); dropped without a word. */
bool io_power_write_is_inert(unsigned int port, unsigned int bytes,
                             uint32_t val);
bool io_frame_is_hypervisors(mfn_t mfn);
/* Domain teardown (xen/arch-hooks.h). */
void arch_io_perm_release(struct domain *d);

#endif /* X86_IO_PERM_H */
