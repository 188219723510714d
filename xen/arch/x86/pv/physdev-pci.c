/*
 * physdev_op's PCI device operations, as Linux 6.1's dom0 issues them
 * (drivers/xen/pci.c, arch/x86/pci/xen.c): pci_device_add / _remove
 * (and the older manage_pci_add / _add_ext / _remove it falls back to),
 * restore_msi / restore_msi_ext (after a resume: program the device's
 * messages again), and apic_read (arch/x86/xen/apic.c: Linux reads each
 * IO-APIC's ID and version registers while parsing the MADT).
 *
 * Who may: a domain with PCI configuration space, as for the interrupt
 * operations (physdev-irq.c).  apic_write stays -EPERM: the IO-APICs are
 * the hypervisor's and Linux 6.1 never writes them through this call.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <public/physdev.h>
#include <asm/irq-pirq.h>
#include <asm/pci-dev.h>
#include <asm/pv.h>

static long device_add(struct domain *d, uint64_t arg)
{
    struct physdev_pci_device_add a;

    /* The fixed part; optarr (the proximity domain) is not used. */
    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    return pci_dev_add(d, a.seg, a.bus, a.devfn, a.flags, a.physfn.bus,
                       a.physfn.devfn);
}

static long manage_add_ext(struct domain *d, uint64_t arg)
{
    struct physdev_manage_pci_ext m;
    uint32_t flags = 0;

    if ( copy_from_guest(&m, arg, sizeof(m)) )
        return -EFAULT;
    if ( m.is_extfn > 1 || m.is_virtfn > 1 )
        return -EINVAL;
    flags = (m.is_extfn ? XEN_PCI_DEV_EXTFN : 0) |
            (m.is_virtfn ? XEN_PCI_DEV_VIRTFN : 0);
    return pci_dev_add(d, 0, m.bus, m.devfn, flags, m.physfn.bus,
                       m.physfn.devfn);
}

static long apic_read(struct domain *d, uint64_t arg)
{
    struct physdev_apic a;
    int rc;

    if ( copy_from_guest(&a, arg, sizeof(a)) )
        return -EFAULT;
    if ( (rc = ioapic_read_reg(a.apic_physbase, a.reg, &a.value)) )
        return rc;
    if ( !d->arch.apic_read_logged )
    {
        /* Once: the evidence that a dom0 uses this (suite 61). */
        d->arch.apic_read_logged = true;
        printk(XENLOG_INFO "d%u: PHYSDEVOP_apic_read of IO-APIC %#lx "
               "register %#x (the first)\n", d->domain_id,
               (unsigned long)a.apic_physbase, a.reg);
    }
    return copy_to_guest(arg, &a, sizeof(a)) ? -EFAULT : 0;
}

long pv_physdev_pci_op(struct domain *d, unsigned long cmd, uint64_t arg)
{
    switch ( cmd )
    {
    case PHYSDEVOP_pci_device_add:
        return device_add(d, arg);
    case PHYSDEVOP_manage_pci_add:
    {
        struct physdev_manage_pci m;

        if ( copy_from_guest(&m, arg, sizeof(m)) )
            return -EFAULT;
        return pci_dev_add(d, 0, m.bus, m.devfn, 0, 0, 0);
    }
    case PHYSDEVOP_manage_pci_add_ext:
        return manage_add_ext(d, arg);
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_restore_msi_ext:
    {
        struct physdev_pci_device p;
        int rc;

        if ( copy_from_guest(&p, arg, sizeof(p)) )
            return -EFAULT;
        if ( cmd == PHYSDEVOP_pci_device_remove )
            return pci_dev_remove(d, p.seg, p.bus, p.devfn);
        if ( p.seg != 0 )
            return -ENODEV;
        rc = pirq_restore_msi(d, p.bus, p.devfn);
        return rc < 0 ? rc : 0;
    }
    case PHYSDEVOP_manage_pci_remove:
    case PHYSDEVOP_restore_msi:
    {
        /* struct physdev_manage_pci and physdev_restore_msi: the same. */
        struct physdev_restore_msi m;
        int rc;

        if ( copy_from_guest(&m, arg, sizeof(m)) )
            return -EFAULT;
        if ( cmd == PHYSDEVOP_manage_pci_remove )
            return pci_dev_remove(d, 0, m.bus, m.devfn);
        rc = pirq_restore_msi(d, m.bus, m.devfn);
        return rc < 0 ? rc : 0;
    }
    case PHYSDEVOP_apic_read:
        return apic_read(d, arg);
    default:
        return -ENOSYS;
    }
}
