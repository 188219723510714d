/*
 * Message-signalled interrupts of PCI devices, programmed by the
 * hypervisor only (a guest never chooses the address or vector a device
 * writes): MSI through the capability's registers in configuration space,
 * MSI-X through the entry in the device's table, found from the
 * capability and the BAR it names (never from an address the guest
 * passes).  Messages go to one local APIC, physical destination, fixed
 * delivery, edge.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <asm/page.h>
#include <asm/pci-conf.h>
#include <asm/irq-pirq.h>

#define MSI_ADDR_BASE  0xfee00000u

/* The machine address of MSI-X table entry src->entry, or 0 if the device
 * has no such entry (no capability, entry beyond the table, table in an
 * I/O or unassigned BAR). */
static paddr_t msix_entry_addr(const struct msi_source *src)
{
    unsigned int cap = pci_find_cap(src->bus, src->devfn, PCI_CAP_MSIX);
    uint32_t ctrl, tbl, bar;
    paddr_t base;
    unsigned int bir;

    if ( cap == 0 )
        return 0;
    ctrl = pci_conf_read(src->bus, src->devfn, cap + 2, 2);
    if ( src->entry > (ctrl & 0x7ff) )
        return 0;
    tbl = pci_conf_read(src->bus, src->devfn, cap + 4, 4);
    bir = tbl & 7;
    if ( bir > 5 )
        return 0;
    bar = pci_conf_read(src->bus, src->devfn, 0x10 + 4 * bir, 4);
    if ( bar & 1 )
        return 0;                               /* an I/O BAR */
    base = bar & ~0xfUL;
    if ( (bar & 6) == 4 && bir < 5 )            /* 64-bit */
        base |= (paddr_t)pci_conf_read(src->bus, src->devfn,
                                       0x14 + 4 * bir, 4) << 32;
    if ( base == 0 )
        return 0;
    return base + (tbl & ~7u) + 16UL * src->entry;
}

static bool device_present(const struct msi_source *src)
{
    return src->bus < 256 &&
           (pci_conf_read(src->bus, src->devfn, 0, 2) & 0xffff) != 0xffff;
}

int msi_check(const struct msi_source *src)
{
    if ( !device_present(src) )
        return -ENODEV;
    if ( src->is_msix )
        return msix_entry_addr(src) ? 0 : -EINVAL;
    if ( src->entry != 0 )
        return -EINVAL;
    return pci_find_cap(src->bus, src->devfn, PCI_CAP_MSI) ? 0 : -ENODEV;
}

int msi_program(const struct msi_source *src, unsigned int vector,
                unsigned int apic_id)
{
    uint32_t addr = MSI_ADDR_BASE | (apic_id << 12), data = vector;
    int rc = msi_check(src);

    if ( rc )
        return rc;
    if ( src->is_msix )
    {
        volatile uint32_t *e = ioremap(msix_entry_addr(src), 16);

        if ( e == NULL )
            return -ENOMEM;
        e[3] |= 1;              /* masked while it changes */
        e[0] = addr;
        e[1] = 0;
        e[2] = data;
        e[3] &= ~1u;
    }
    else
    {
        unsigned int cap = pci_find_cap(src->bus, src->devfn, PCI_CAP_MSI);
        uint32_t ctrl = pci_conf_read(src->bus, src->devfn, cap + 2, 2);

        pci_conf_write(src->bus, src->devfn, cap + 4, 4, addr);
        if ( ctrl & 0x80 )      /* 64-bit address */
        {
            pci_conf_write(src->bus, src->devfn, cap + 8, 4, 0);
            pci_conf_write(src->bus, src->devfn, cap + 0xc, 2, data);
        }
        else
            pci_conf_write(src->bus, src->devfn, cap + 8, 2, data);
    }
    return 0;
}

void msi_silence(const struct msi_source *src)
{
    if ( src->is_msix )
    {
        paddr_t pa = msix_entry_addr(src);
        volatile uint32_t *e = pa ? ioremap(pa, 16) : NULL;

        if ( e != NULL )
            e[3] |= 1;
    }
    else
    {
        unsigned int cap = pci_find_cap(src->bus, src->devfn, PCI_CAP_MSI);

        if ( cap )
            pci_conf_write(src->bus, src->devfn, cap + 2, 2,
                           pci_conf_read(src->bus, src->devfn, cap + 2, 2) &
                           ~1u);
    }
}

volatile uint32_t *msi_msix_ctl(const struct msi_source *src)
{
    paddr_t pa = src->is_msix ? msix_entry_addr(src) : 0;
    volatile uint32_t *e = pa ? ioremap(pa, 16) : NULL;

    return e != NULL ? e + 3 : NULL;
}

void msi_set_masked(const struct msi_source *src, volatile uint32_t *msix_ctl,
                    bool masked)
{
    unsigned int cap, reg;
    uint32_t ctrl;

    if ( src->is_msix )
    {
        if ( msix_ctl != NULL )
            *msix_ctl = masked ? *msix_ctl | 1 : *msix_ctl & ~1u;
        return;
    }
    cap = pci_find_cap(src->bus, src->devfn, PCI_CAP_MSI);
    if ( cap == 0 )
        return;
    ctrl = pci_conf_read(src->bus, src->devfn, cap + 2, 2);
    if ( ctrl & 0x100 )         /* per-vector masking: the mask word */
    {
        reg = cap + ((ctrl & 0x80) ? 0x10 : 0x0c);
        ctrl = pci_conf_read(src->bus, src->devfn, reg, 4);
        pci_conf_write(src->bus, src->devfn, reg, 4,
                       masked ? ctrl | 1 : ctrl & ~1u);
    }
    else                        /* none: the enable bit, for a while */
        pci_conf_write(src->bus, src->devfn, cap + 2, 2,
                       masked ? ctrl & ~1u : ctrl | 1);
}
