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
/* Offset of capability id in the device's list, or 0. */
unsigned int pci_find_cap(unsigned int bus, unsigned int devfn,
                          unsigned int id);

/* Does a guest port access touch 0xcf8-0xcff? */
bool pci_conf_is_port(unsigned int port, unsigned int bytes);
/* A guest's access there (the domain has the ports): the address latch
 * is the domain's own, data accesses replay it under the lock. */
uint32_t pci_conf_guest_read(struct domain *d, unsigned int port,
                             unsigned int bytes);
void pci_conf_guest_write(struct domain *d, unsigned int port,
                          unsigned int bytes, uint32_t v);

#endif /* X86_PCI_CONF_H */
