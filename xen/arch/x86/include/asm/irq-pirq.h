/* Physical IRQs of domains (arch/x86/irq-pirq.c) and the MSI/MSI-X
 * messages behind them (arch/x86/irq-msi.c). */
#ifndef X86_IRQ_PIRQ_H
#define X86_IRQ_PIRQ_H

#include <xen/types.h>

struct domain;

/* Which message of which device. */
struct msi_source {
    uint16_t bus;
    uint8_t devfn;
    bool is_msix;
    uint16_t entry;             /* MSI-X table entry (0 for MSI) */
};

enum pirq_type { PIRQ_NONE, PIRQ_RESERVED, PIRQ_MSI, PIRQ_MSIX, PIRQ_GSI };

struct pirq {
    uint8_t type;               /* enum pirq_type */
    uint8_t vector;
    uint16_t port;              /* bound event channel, 0: none */
    struct msi_source msi;      /* PIRQ_MSI, PIRQ_MSIX */
    uint16_t gsi;               /* PIRQ_GSI: */
    bool level, active_low;
    bool awaiting_eoi;          /* level: masked until the domain's EOI */
    unsigned long count;        /* interrupts taken */
};

void pirq_init(void);
/* Map a device's message for d: *pirq is the pirq wanted, or < 0 for any;
 * on success it holds the pirq.  -EEXIST (pirq or message taken),
 * -ENOSPC, -EINVAL, -ENODEV (no such device or capability), -ENOMEM. */
int pirq_map_msi(struct domain *d, const struct msi_source *src, int *pirq);
/* Map GSI gsi for d (pirq: wanted, < 0 for gsi itself).  -EINVAL (no
 * such GSI, pirq out of range), -EPERM (the hypervisor's: the PIT's and
 * the console's lines), -EEXIST, -ENOSPC, -ENOMEM. */
int pirq_map_gsi(struct domain *d, unsigned int gsi, int *pirq);
/* Trigger mode and polarity of a GSI d mapped; -EINVAL if it did not. */
int pirq_setup_gsi(struct domain *d, unsigned int gsi, bool level,
                   bool active_low);
/* The domain's EOI of a pirq: a level GSI masked since it fired is
 * unmasked.  -EINVAL if not mapped. */
int pirq_eoi(struct domain *d, unsigned int pirq);
/* -EINVAL (not mapped), -EBUSY (still bound to a port). */
int pirq_unmap(struct domain *d, unsigned int pirq);
/* XENIRQSTAT_* flags of a mapped pirq, or -EINVAL. */
int pirq_status(struct domain *d, unsigned int pirq, uint32_t *flags);

/* irq-ioapic.c */
void ioapic_init(void);
unsigned int ioapic_nr_gsis(void);
void ioapic_route(unsigned int gsi, unsigned int vector, bool level,
                  bool active_low, unsigned int apic_id, bool masked);
void ioapic_mask(unsigned int gsi, bool masked);

/* irq-msi.c.  Check that the message exists (device, capability, table
 * entry) and program it to send vector to the local APIC apic_id.
 * 0, -ENODEV or -EINVAL. */
int msi_check(const struct msi_source *src);
/* arch-hooks.h */
int arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port);
void arch_pirq_unbind(struct domain *d, unsigned int pirq);
void arch_pirqs_release(struct domain *d);
int msi_program(const struct msi_source *src, unsigned int vector,
                unsigned int apic_id);
/* Stop the message being sent (mask the entry / disable MSI). */
void msi_silence(const struct msi_source *src);

#endif /* X86_IRQ_PIRQ_H */
