/* The PCI devices a domain reported (arch/x86/pci-dev.c). */
#ifndef X86_PCI_DEV_H
#define X86_PCI_DEV_H

#include <xen/types.h>
#include <public/physdev.h>

struct domain;

#define PCI_DEV_KNOWN_FLAGS \
    (XEN_PCI_DEV_EXTFN | XEN_PCI_DEV_VIRTFN | XEN_PCI_DEV_PXM)

/* Record a device d reported: 0 (also when it was known), -EINVAL
 * (unknown flags), -ENODEV (segment other than 0, no such device or
 * physical function), -ENOSPC (list full). */
int pci_dev_add(struct domain *d, unsigned int seg, unsigned int bus,
                unsigned int devfn, uint32_t flags, unsigned int pf_bus,
                unsigned int pf_devfn);
/* Forget it: 0, or -ENODEV if it was never reported. */
int pci_dev_remove(struct domain *d, unsigned int seg, unsigned int bus,
                   unsigned int devfn);
bool pci_dev_reported(unsigned int bus, unsigned int devfn);

#endif /* X86_PCI_DEV_H */
