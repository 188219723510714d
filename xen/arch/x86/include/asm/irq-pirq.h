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
    /* MSI-X: the entry's vector-control word (mapped at map time, so
     * that the interrupt handler can mask it without mapping anything). */
    volatile uint32_t *msix_ctl;
    /* Storm limiting (irq-pirq.c): interrupts in the current window, when
     * it began, and the end of a storm's masking (0: not masked). */
    unsigned int win_count;
    s_time_t win_start, storm_until;
    unsigned long storms;       /* times it was masked for storming */
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
/* PHYSDEVOP_pirq_eoi_gmfn_v2: the domain's frame whose bit p says "pirq p
 * needs PHYSDEVOP_eoi".  -EINVAL (not the domain's writable frame),
 * -EBUSY (registered already). */
int pirq_eoi_map_register(struct domain *d, unsigned long mfn);
/* PHYSDEVOP_restore_msi: program again every MSI/MSI-X message d has
 * mapped on device bus:devfn.  The number reprogrammed, or -ENODEV. */
int pirq_restore_msi(struct domain *d, unsigned int bus, unsigned int devfn);
/* Has d a pirq mapped on that device's MSI (is_msix false) or any of its
 * MSI-X entries? (pci-conf-msi.c: may dom0 enable it.) */
bool pirq_msi_mapped(struct domain *d, unsigned int bus, unsigned int devfn,
                     bool is_msix);

/* irq-ioapic.c */
void ioapic_init(void);
unsigned int ioapic_nr_gsis(void);
void ioapic_route(unsigned int gsi, unsigned int vector, bool level,
                  bool active_low, unsigned int apic_id, bool masked);
void ioapic_mask(unsigned int gsi, bool masked);
/* PHYSDEVOP_apic_read: register reg of the IO-APIC at physbase (ID,
 * version, arbitration, redirection entries).  -EINVAL: no such IO-APIC
 * or register. */
int ioapic_read_reg(uint64_t physbase, unsigned int reg, uint32_t *val);

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
/* The MSI-X entry's vector-control word, mapped (NULL: no such entry). */
volatile uint32_t *msi_msix_ctl(const struct msi_source *src);
/* Mask or unmask a message for a while (storms): the MSI-X entry's mask
 * bit, MSI's per-vector mask bit, or for MSI without one its enable
 * bit.  Safe in the interrupt handler (no mapping is made). */
void msi_set_masked(const struct msi_source *src, volatile uint32_t *msix_ctl,
                    bool masked);

#endif /* X86_IRQ_PIRQ_H */
