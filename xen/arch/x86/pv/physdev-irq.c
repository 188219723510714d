/*
 * physdev_op's interrupt operations, as Linux 6.1's dom0 issues them
 * (drivers/xen/events, arch/x86/pci/xen.c): map_pirq / unmap_pirq for a
 * device's MSI or MSI-X message, irq_status_query, eoi, get_nr_pirqs.
 * The tables and the programming are in irq-pirq.c and irq-msi.c.
 *
 * Who may: a domain that was given PCI configuration space (ports
 * 0xcf8-0xcff, io-perm.c), i.e. one that could find the device itself.
 * Any other domain gets -EPERM for all of these, whatever the arguments.
 *
 * Not implemented yet (docs/dom0-hardware.md): GSIs through the IO-APIC
 * (map_pirq MAP_PIRQ_TYPE_GSI and setup_gsi answer -EINVAL for a GSI
 * beyond the IO-APICs' pins and -EOPNOTSUPP for a real one), multi-vector
 * MSI, pirq_eoi_gmfn (-ENOSYS: Linux then asks irq_status_query, which
 * says no EOI is needed), apic_read/apic_write (-EPERM: the hypervisor
 * owns the IO-APICs; Linux needs them only with ACPI on).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/param.h>
#include <public/physdev.h>
#include <asm/acpi.h>
#include <asm/page.h>
#include <asm/io-perm.h>
#include <asm/irq-pirq.h>
#include <asm/pv.h>

static bool has_pci(const struct domain *d)
{
    return io_ports_permitted(d, 0xcf8, 8);
}

/* GSIs the IO-APICs have: the pins of each, counted in table order. */
static unsigned int nr_gsis(void)
{
    unsigned int n = 0;

    for ( unsigned int i = 0; i < acpi_info.nr_ioapics; i++ )
    {
        volatile uint32_t *io = ioremap(acpi_info.ioapic_addr[i], 0x20);

        if ( io == NULL )
            continue;
        io[0] = 1;                          /* IOREGSEL: version register */
        n += ((io[4] >> 16) & 0xff) + 1;    /* IOWIN: max redirection entry */
    }
    return n;
}

static long map_pirq(struct domain *d, uint64_t arg)
{
    struct physdev_map_pirq m;
    struct msi_source src;
    int pirq, rc;

    if ( copy_from_guest(&m, arg, sizeof(m)) )
        return -EFAULT;
    if ( m.domid != DOMID_SELF && m.domid != d->domain_id )
        return -EPERM;          /* for another domain: not yet */
    switch ( m.type )
    {
    case MAP_PIRQ_TYPE_GSI:
        if ( m.index < 0 || (unsigned int)m.index >= nr_gsis() )
            return -EINVAL;
        return -EOPNOTSUPP;
    case MAP_PIRQ_TYPE_MSI:
    case MAP_PIRQ_TYPE_MSI_SEG:
        if ( m.type == MAP_PIRQ_TYPE_MSI_SEG && (m.bus >> 16) != 0 )
            return -ENODEV;     /* segment 0 only: no MMCONFIG */
        if ( (m.bus & 0xffff) > 255 || m.devfn < 0 || m.devfn > 255 ||
             m.entry_nr < 0 || m.entry_nr > 2047 )
            return -EINVAL;
        src.bus = m.bus & 0xff;
        src.devfn = m.devfn;
        /* As Xen: a table base says MSI-X (the table itself is found
         * from the device, not from this address). */
        src.is_msix = m.table_base != 0;
        src.entry = src.is_msix ? m.entry_nr : 0;
        if ( (rc = msi_check(&src)) )
            return rc;
        pirq = m.pirq;
        if ( (rc = pirq_map_msi(d, &src, &pirq)) )
            return rc;
        m.pirq = pirq;
        if ( copy_to_guest(arg, &m, sizeof(m)) )
        {
            pirq_unmap(d, pirq);
            return -EFAULT;
        }
        return 0;
    default:
        return -EINVAL;
    }
}

long pv_physdev_irq_op(unsigned long cmd, uint64_t arg)
{
    struct domain *d = current->domain;

    switch ( cmd )
    {
    case PHYSDEVOP_get_nr_pirqs:
    {
        struct physdev_nr_pirqs n = { .nr_pirqs = has_pci(d) ? NR_PIRQS : 0 };

        return copy_to_guest(arg, &n, sizeof(n)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_map_pirq:
        return has_pci(d) ? map_pirq(d, arg) : -EPERM;
    case PHYSDEVOP_unmap_pirq:
    {
        struct physdev_unmap_pirq u;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&u, arg, sizeof(u)) )
            return -EFAULT;
        if ( u.domid != DOMID_SELF && u.domid != d->domain_id )
            return -EPERM;
        return u.pirq < 0 ? -EINVAL : pirq_unmap(d, u.pirq);
    }
    case PHYSDEVOP_irq_status_query:
    {
        struct physdev_irq_status_query q;
        int rc;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&q, arg, sizeof(q)) )
            return -EFAULT;
        if ( (rc = pirq_status(d, q.irq, &q.flags)) )
            return rc;
        return copy_to_guest(arg, &q, sizeof(q)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_eoi:
    {
        struct physdev_eoi e;
        uint32_t flags;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&e, arg, sizeof(e)) )
            return -EFAULT;
        /* Edge-triggered messages need nothing; the pirq must exist. */
        return pirq_status(d, e.irq, &flags);
    }
    case PHYSDEVOP_setup_gsi:
    {
        struct physdev_setup_gsi g;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&g, arg, sizeof(g)) )
            return -EFAULT;
        if ( g.gsi < 0 || (unsigned int)g.gsi >= nr_gsis() )
            return -EINVAL;
        return -EOPNOTSUPP;
    }
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
    case PHYSDEVOP_alloc_irq_vector:
        return -EPERM;
    default:
        return -ENOSYS;
    }
}
