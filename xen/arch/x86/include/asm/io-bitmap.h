/* The TSS I/O-permission bitmap: the fast path of port I/O for domains
 * with port permissions (arch/x86/io-bitmap.c, docs/dom0-hardware.md). */
#ifndef X86_IO_BITMAP_H
#define X86_IO_BITMAP_H

#include <xen/types.h>

struct domain;
struct vcpu;

/* One bit per port, set = the access traps (the architecture's sense). */
#define IO_BITMAP_BYTES  (65536 / 8)

/*
 * (Re)build d's bitmap from its port set: a clear bit for every port the
 * domain may use directly, i.e. io_ports_permitted() and not one of the
 * ports that must always reach the emulator (io_port_always_traps()).
 * A domain without such a port gets no bitmap (d->arch.io_bitmap NULL).
 * Call after every change to d->ioports, with d paused: a CPU running one
 * of d's vCPUs keeps its copy until its next context switch.
 * 0 or -ENOMEM (no bitmap: every access traps, which is still correct).
 */
int io_bitmap_build(struct domain *d);
/* The boot option io_bitmap (default true): false gives no domain a
 * bitmap, so every port access traps and is emulated (io-perm.c). */
extern bool opt_io_bitmap;
void io_bitmap_release(struct domain *d);
/* Ports whose every access the emulator must see, whatever a domain's
 * set says: PCI configuration (0xcf8-0xcff: the hypervisor filters MSI
 * control), the ACPI power registers and the reset register
 * (io_port_write_is_hypervisors()), and the hypervisor's own ports. */
bool io_port_always_traps(unsigned int port);

/* On this CPU, about to run v: copy v's domain's bitmap into this CPU's
 * TSS if another domain's is there, then io_bitmap_sync(v). */
void io_bitmap_switch_to(const struct vcpu *v);
/* v runs on this CPU and its mode, virtual IOPL or I/O breakpoints may
 * have changed: point the TSS at the bitmap if v may use it now (guest
 * kernel mode, vIOPL allowing kernel I/O, no I/O breakpoint armed),
 * otherwise past the TSS's end (every port traps). */
void io_bitmap_sync(const struct vcpu *v);

/* This CPU's TSS bitmap and I/O map base (desc.c). */
uint8_t *tss_io_bitmap(unsigned int cpu);
void tss_set_iomap_base(unsigned int cpu, bool bitmap_on);

#endif /* X86_IO_BITMAP_H */
