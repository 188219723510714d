/* PCI configuration space, mechanism 1 (arch/x86/pci-conf.c). */
#ifndef X86_PCI_CONF_H
#define X86_PCI_CONF_H

#include <xen/types.h>

struct domain;

/* The hypervisor's own accesses (bus 0-255, devfn, register, 1/2/4
 * bytes, naturally aligned). */
uint32_t pci_conf_read(unsigned int bus, unsigned int devfn, unsigned int reg,
                       unsigned int bytes);
void pci_conf_write(unsigned int bus, unsigned int devfn, unsigned int reg,
                    unsigned int bytes, uint32_t v);
/* Capability IDs the hypervisor looks for (PCI Local Bus spec). */
#define PCI_CAP_MSI    0x05
#define PCI_CAP_MSIX   0x11

/* Offset of capability id in the device's list, or 0. */
unsigned int pci_find_cap(unsigned int bus, unsigned int devfn,
                          unsigned int id);
/* Several at once, in one walk of the list: pos[i] for ids[i]. */
void pci_find_caps(unsigned int bus, unsigned int devfn,
                   const uint8_t *ids, unsigned int *pos, unsigned int n);

/* Does a guest port access touch 0xcf8-0xcff? */
bool pci_conf_is_port(unsigned int port, unsigned int bytes);
/* A guest's access there (the domain has the ports): the address latch
 * is the domain's own, data accesses replay it under the lock. */
uint32_t pci_conf_guest_read(struct domain *d, unsigned int port,
                             unsigned int bytes);
void pci_conf_guest_write(struct domain *d, unsigned int port,
                          unsigned int bytes, uint32_t v);

/* pci-conf-msi.c: what of a device's MSI/MSI-X capabilities a domain's
 * write may change.  init (before taking the configuration lock: it walks
 * the capability list) finds the capabilities the write touches; merge
 * (under the lock) makes the value to write from the domain's and the
 * device's current one. */
struct pci_msi_guard {
    unsigned int msi, msi_mask, msi_end;    /* 0: the write misses MSI */
    unsigned int msix;                      /* 0: misses MSI-X */
    bool msi_mapped, msix_mapped;           /* the domain has a pirq there */
};
void pci_msi_guard_init(struct pci_msi_guard *g, struct domain *d,
                        unsigned int bus, unsigned int devfn,
                        unsigned int reg, unsigned int bytes);
bool pci_msi_guard_active(const struct pci_msi_guard *g);
uint32_t pci_msi_guard_merge(const struct pci_msi_guard *g, unsigned int reg,
                             unsigned int bytes, uint32_t want, uint32_t cur);

#endif /* X86_PCI_CONF_H */
