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
 * pirq_eoi_gmfn_v2 registers the domain's EOI map (irq-pirq.c); the
 * PCI device operations and apic_read are in physdev-pci.c.
 *
 * Not implemented (docs/dom0-hardware.md): multi-vector MSI, mapping for
 * another domain, pirq_eoi_gmfn_v1 (-ENOSYS; Linux 6.1 uses v2),
 * apic_write (-EPERM: the hypervisor owns the IO-APICs).
 * alloc_irq_vector answers the IRQ number, as Xen does.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/param.h>
#include <public/physdev.h>
#include <asm/io-perm.h>
#include <asm/irq-pirq.h>
#include <asm/pv.h>

static bool has_pci(const struct domain *d)
{
    return io_ports_permitted(d, 0xcf8, 8);
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
        if ( m.index < 0 )
            return -EINVAL;
        pirq = m.pirq;
        if ( (rc = pirq_map_gsi(d, m.index, &pirq)) )
            return rc;
        break;
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
        break;
    default:
        return -EINVAL;
    }
    m.pirq = pirq;
    if ( copy_to_guest(arg, &m, sizeof(m)) )
    {
        pirq_unmap(d, pirq);
        return -EFAULT;
    }
    return 0;
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

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&e, arg, sizeof(e)) )
            return -EFAULT;
        return pirq_eoi(d, e.irq);
    }
    case PHYSDEVOP_setup_gsi:
    {
        struct physdev_setup_gsi g;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&g, arg, sizeof(g)) )
            return -EFAULT;
        if ( g.gsi < 0 )
            return -EINVAL;
        /* ACPI's words: triggering 1 = level, polarity 1 = active low. */
        return pirq_setup_gsi(d, g.gsi, g.triggering, g.polarity);
    }
    case PHYSDEVOP_alloc_irq_vector:
    {
        /* Linux's dom0 asks once per GSI it binds and only checks for
         * success; the vector is the hypervisor's business, so, as Xen
         * does, the answer is the IRQ number itself. */
        struct physdev_irq i;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&i, arg, sizeof(i)) )
            return -EFAULT;
        i.vector = i.irq;
        return copy_to_guest(arg, &i, sizeof(i)) ? -EFAULT : 0;
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v2:
    {
        struct physdev_pirq_eoi_gmfn g;

        if ( !has_pci(d) )
            return -EPERM;
        if ( copy_from_guest(&g, arg, sizeof(g)) )
            return -EFAULT;
        return pirq_eoi_map_register(d, g.gmfn);
    }
    case PHYSDEVOP_apic_write:
        return -EPERM;
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_add_ext:
    case PHYSDEVOP_manage_pci_remove:
    case PHYSDEVOP_restore_msi:
    case PHYSDEVOP_restore_msi_ext:
        return has_pci(d) ? pv_physdev_pci_op(d, cmd, arg) : -EPERM;
    default:
        return -ENOSYS;
    }
}
