/*
 * The hypervisor keeps MSI control: what a domain's configuration-space
 * write (0xcf8/0xcfc, pci-conf.c) may change in a device's MSI and MSI-X
 * capabilities.  The message itself (address, data) is the hypervisor's:
 * it programs it at map_pirq (irq-msi.c) to a vector it owns, so a write
 * there keeps the device's current bytes (reads are not filtered: they
 * return what the hypervisor wrote).  In the control words:
 *
 *  - MSI enable: may be set only while the domain has a pirq mapped for
 *    that device's MSI (Linux enables after map_pirq); clearing is free.
 *  - MSI multiple-message enable: always 0.  The hypervisor gives one
 *    vector; a device allowed 2..32 messages would send the vectors after
 *    it, which belong to other pirqs or to the hypervisor.
 *  - MSI-X enable and function mask: enabled and unmasked only while the
 *    domain has one of the device's entries mapped; otherwise the function
 *    mask is forced on (Linux sets enable together with the mask before
 *    mapping, and clears the mask after).
 *  - MSI's per-vector mask bits: the domain's (masking is harmless).
 *
 * Everything else in those capabilities is read-only in hardware; the
 * filter keeps the current bytes there too.  The merge runs under the
 * configuration-space lock with the current value read there, so it
 * cannot undo a hypervisor write made between the two.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/pci-conf.h>
#include <asm/irq-pirq.h>

void pci_msi_guard_init(struct pci_msi_guard *g, struct domain *d,
                        unsigned int bus, unsigned int devfn,
                        unsigned int reg, unsigned int bytes)
{
    static const uint8_t ids[2] = { PCI_CAP_MSI, PCI_CAP_MSIX };
    unsigned int ctrl, pos[2];

    *g = (struct pci_msi_guard){ 0 };
    pci_find_caps(bus, devfn, ids, pos, 2);
    g->msi = pos[0];
    g->msix = pos[1];
    if ( g->msi )
    {
        ctrl = pci_conf_read(bus, devfn, g->msi + 2, 2);
        /* Header, control, address (+ upper), data, extended data; the
         * per-vector mask and pending words after it if present. */
        g->msi_mask = g->msi + ((ctrl & 0x80) ? 0x10 : 0x0c);
        g->msi_end = (ctrl & 0x100) ? g->msi_mask + 8 : g->msi_mask;
        if ( reg < g->msi_end && g->msi < reg + bytes )
            g->msi_mapped = pirq_msi_mapped(d, bus, devfn, false);
        else
            g->msi = 0;
    }
    if ( g->msix )
    {
        if ( reg < g->msix + 12 && g->msix < reg + bytes )
            g->msix_mapped = pirq_msi_mapped(d, bus, devfn, true);
        else
            g->msix = 0;
    }
}

bool pci_msi_guard_active(const struct pci_msi_guard *g)
{
    return g->msi != 0 || g->msix != 0;
}

/* One byte at register r: the domain's byte want, the device's cur. */
static uint8_t merge_byte(const struct pci_msi_guard *g, unsigned int r,
                          uint8_t want, uint8_t cur)
{
    if ( g->msi && r >= g->msi && r < g->msi_end )
    {
        if ( r == g->msi + 2 )          /* control, low byte */
            return (cur & ~0x71) | ((want & 1) && g->msi_mapped ? 1 : 0);
        if ( r >= g->msi_mask && r < g->msi_mask + 4 )
            return want;                /* per-vector mask bits */
        return cur;
    }
    if ( g->msix && r >= g->msix && r < g->msix + 12 )
    {
        if ( r == g->msix + 3 )         /* control, high: enable, mask */
        {
            uint8_t b = (cur & 0x3f) | (want & 0xc0);

            if ( (b & 0x80) && !(b & 0x40) && !g->msix_mapped )
                b |= 0x40;              /* enabled, but all masked */
            return b;
        }
        return cur;
    }
    return want;
}

uint32_t pci_msi_guard_merge(const struct pci_msi_guard *g, unsigned int reg,
                             unsigned int bytes, uint32_t want, uint32_t cur)
{
    uint32_t out = 0;

    for ( unsigned int i = 0; i < bytes; i++ )
        out |= (uint32_t)merge_byte(g, reg + i, want >> (8 * i),
                                    cur >> (8 * i)) << (8 * i);
    return out;
}
