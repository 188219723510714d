/*
 * Port I/O a PV guest kernel executes (in/out #GP in ring 3; emul-priv.c
 * decodes them and checks the virtual IOPL).  Xen's two-step rule: the
 * vIOPL decides whether the instruction faults in the guest; then the
 * domain's port permissions (io-perm.c) decide whether it reaches the
 * machine.  A port the domain does not have reads as all ones and writes
 * to it are dropped, as on a bus with nothing there, so a guest probing
 * the machine learns nothing and breaks nothing.  Writes to the ACPI
 * power registers (PM1 control, the reset register) are dropped too: the
 * hypervisor powers off and resets the machine itself.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/io.h>
#include <asm/io-perm.h>
#include <asm/pv.h>
#include <asm/pci-conf.h>

uint32_t pv_io_read(struct domain *d, unsigned int port,
                    unsigned int bytes)
{
    if ( !io_ports_permitted(d, port, bytes) )
        return bytes == 1 ? 0xff : bytes == 2 ? 0xffff : 0xffffffffu;
    if ( pci_conf_is_port(port, bytes) )
        return pci_conf_guest_read(d, port, bytes);
    switch ( bytes )
    {
    case 1: return inb(port);
    case 2: return inw(port);
    default: return inl(port);
    }
}

void pv_io_write(struct domain *d, unsigned int port,
                 unsigned int bytes, uint32_t val)
{
    if ( !io_ports_permitted(d, port, bytes) )
        return;
    if ( io_port_write_is_hypervisors(port, bytes) )
    {
        /* Logged, but only the first few: Linux's own poweroff writes
         * PM1 control once before asking the hypervisor, a hostile
         * domain could write it in a loop. */
        if ( d->arch.power_writes_dropped++ < 4 )
            printk(XENLOG_INFO "d%u: %u-byte write of %#x to port %#x "
                   "dropped (ACPI power control: the hypervisor's)\n",
                   d->domain_id, bytes, val, port);
        return;
    }
    if ( pci_conf_is_port(port, bytes) )
    {
        pci_conf_guest_write(d, port, bytes, val);
        return;
    }
    switch ( bytes )
    {
    case 1: outb(port, val); break;
    case 2: outw(port, val); break;
    default: outl(port, val); break;
    }
}
