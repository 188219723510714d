/*
 * The PCI devices the domain that drives them reported
 * (PHYSDEVOP_pci_device_add / manage_pci_add, pv/physdev-pci.c): Linux's
 * dom0 reports each device its PCI core adds and removes.  The hypervisor
 * does not enumerate the bus itself; this list is what it knows of the
 * machine's devices beyond what it reads from configuration space on
 * demand (MSI set-up), kept so that a future driver-domain assignment and
 * the log can say which domain reported which device.
 *
 * A report is checked against the machine: segment 0 only (no MMCONFIG,
 * so nothing else is reachable), the device must answer in configuration
 * space, a virtual function's physical function too.  Reporting a device
 * again is not an error (Linux rescans).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <asm/pci-conf.h>
#include <asm/pci-dev.h>

#define NR_PCI_DEVS 256

static DEFINE_SPINLOCK(pci_dev_lock);
static struct pci_dev_rec {
    bool used;
    uint8_t bus, devfn;
    domid_t reporter;
    uint32_t flags;
} devs[NR_PCI_DEVS];

static bool present(unsigned int bus, unsigned int devfn)
{
    return (pci_conf_read(bus, devfn, 0, 2) & 0xffff) != 0xffff;
}

static int find_locked(unsigned int bus, unsigned int devfn)
{
    for ( int i = 0; i < NR_PCI_DEVS; i++ )
        if ( devs[i].used && devs[i].bus == bus && devs[i].devfn == devfn )
            return i;
    return -1;
}

int pci_dev_add(struct domain *d, unsigned int seg, unsigned int bus,
                unsigned int devfn, uint32_t flags, unsigned int pf_bus,
                unsigned int pf_devfn)
{
    unsigned long irqf;
    int i, rc = 0;
    bool added = false;

    if ( flags & ~PCI_DEV_KNOWN_FLAGS )
        return -EINVAL;
    if ( seg != 0 || bus > 255 || devfn > 255 || !present(bus, devfn) )
        return -ENODEV;
    if ( (flags & XEN_PCI_DEV_VIRTFN) &&
         (pf_bus > 255 || pf_devfn > 255 || !present(pf_bus, pf_devfn)) )
        return -ENODEV;
    spin_lock_irqsave(&pci_dev_lock, irqf);
    i = find_locked(bus, devfn);
    if ( i < 0 )
    {
        for ( i = 0; i < NR_PCI_DEVS && devs[i].used; i++ )
            ;
        if ( i == NR_PCI_DEVS )
            rc = -ENOSPC;
        else
            added = true;
    }
    if ( !rc )
        devs[i] = (struct pci_dev_rec){
            .used = true, .bus = bus, .devfn = devfn,
            .reporter = d->domain_id, .flags = flags,
        };
    spin_unlock_irqrestore(&pci_dev_lock, irqf);
    if ( added )
        printk(XENLOG_INFO "PCI 0000:%02x:%02x.%u reported by d%u%s\n", bus,
               devfn >> 3, devfn & 7, d->domain_id,
               (flags & XEN_PCI_DEV_VIRTFN) ? " (virtual function)" : "");
    return rc;
}

int pci_dev_remove(struct domain *d, unsigned int seg, unsigned int bus,
                   unsigned int devfn)
{
    unsigned long irqf;
    int i;

    if ( seg != 0 || bus > 255 || devfn > 255 )
        return -ENODEV;
    spin_lock_irqsave(&pci_dev_lock, irqf);
    i = find_locked(bus, devfn);
    if ( i >= 0 )
        devs[i].used = false;
    spin_unlock_irqrestore(&pci_dev_lock, irqf);
    if ( i < 0 )
        return -ENODEV;
    printk(XENLOG_INFO "PCI 0000:%02x:%02x.%u removed by d%u\n", bus,
           devfn >> 3, devfn & 7, d->domain_id);
    return 0;
}

bool pci_dev_reported(unsigned int bus, unsigned int devfn)
{
    unsigned long irqf;
    bool r;

    spin_lock_irqsave(&pci_dev_lock, irqf);
    r = find_locked(bus, devfn) >= 0;
    spin_unlock_irqrestore(&pci_dev_lock, irqf);
    return r;
}
