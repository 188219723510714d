/*
 * PCI configuration space through the mechanism-1 ports (0xcf8 address,
 * 0xcfc-0xcff data), shared by the hypervisor (MSI set-up, irq-msi.c) and
 * the domains that were given those ports (dom0).
 *
 * An access is two port operations; if the guest's address write and data
 * access went to the machine separately, the hypervisor (or another vCPU)
 * could move the latch in between.  So, as Xen does, a guest's write to
 * 0xcf8 is only remembered (per domain) and every data access replays the
 * remembered address and the data access together under pci_conf_lock.
 * The replayed address has its reserved bits (30:24, 1:0) cleared: on
 * some chipsets bits 27:24 reach extended registers, which would let a
 * write escape the MSI filter below.
 *
 * Writes that touch a device's MSI or MSI-X capability go through
 * pci-conf-msi.c: the message is the hypervisor's.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <asm/io.h>
#include <asm/pci-conf.h>

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define CF8_VALID 0x80fffffcu   /* enable, bus, device, function, register */

static DEFINE_SPINLOCK(pci_conf_lock);

static uint32_t cf8(unsigned int bus, unsigned int devfn, unsigned int reg)
{
    return 0x80000000u | (bus << 16) | (devfn << 8) | (reg & 0xfc);
}

static uint32_t data_read(uint32_t addr, unsigned int off, unsigned int bytes)
{
    outl(PCI_ADDR, addr);
    switch ( bytes )
    {
    case 1: return inb(PCI_DATA + off);
    case 2: return inw(PCI_DATA + off);
    default: return inl(PCI_DATA);
    }
}

static void data_write(uint32_t addr, unsigned int off, unsigned int bytes,
                       uint32_t v)
{
    outl(PCI_ADDR, addr);
    switch ( bytes )
    {
    case 1: outb(PCI_DATA + off, v); break;
    case 2: outw(PCI_DATA + off, v); break;
    default: outl(PCI_DATA, v); break;
    }
}

uint32_t pci_conf_read(unsigned int bus, unsigned int devfn, unsigned int reg,
                       unsigned int bytes)
{
    unsigned long flags;
    uint32_t v;

    spin_lock_irqsave(&pci_conf_lock, flags);
    v = data_read(cf8(bus, devfn, reg), reg & 3, bytes);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
    return v;
}

void pci_conf_write(unsigned int bus, unsigned int devfn, unsigned int reg,
                    unsigned int bytes, uint32_t v)
{
    unsigned long flags;

    spin_lock_irqsave(&pci_conf_lock, flags);
    data_write(cf8(bus, devfn, reg), reg & 3, bytes, v);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
}

bool pci_conf_is_port(unsigned int port, unsigned int bytes)
{
    return port + bytes > PCI_ADDR && port < PCI_DATA + 4;
}

uint32_t pci_conf_guest_read(struct domain *d, unsigned int port,
                             unsigned int bytes)
{
    unsigned long flags;
    uint32_t v;

    if ( port == PCI_ADDR && bytes == 4 )
        return d->arch.pci_cf8;
    if ( port < PCI_DATA || port + bytes > PCI_DATA + 4 ||
         !(d->arch.pci_cf8 & 0x80000000u) )
        return bytes == 1 ? 0xff : bytes == 2 ? 0xffff : 0xffffffffu;
    spin_lock_irqsave(&pci_conf_lock, flags);
    v = data_read(d->arch.pci_cf8 & CF8_VALID, port - PCI_DATA, bytes);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
    return v;
}

void pci_conf_guest_write(struct domain *d, unsigned int port,
                          unsigned int bytes, uint32_t v)
{
    struct pci_msi_guard g;
    unsigned long flags;
    unsigned int off, reg;
    uint32_t addr;

    if ( port == PCI_ADDR && bytes == 4 )
    {
        d->arch.pci_cf8 = v;
        return;
    }
    if ( port < PCI_DATA || port + bytes > PCI_DATA + 4 ||
         !(d->arch.pci_cf8 & 0x80000000u) )
        return;                 /* partial latch writes: dropped */
    addr = d->arch.pci_cf8 & CF8_VALID;
    off = port - PCI_DATA;
    reg = (addr & 0xfc) + off;
    pci_msi_guard_init(&g, d, (addr >> 16) & 0xff, (addr >> 8) & 0xff, reg,
                       bytes);
    spin_lock_irqsave(&pci_conf_lock, flags);
    if ( pci_msi_guard_active(&g) )
        v = pci_msi_guard_merge(&g, reg, bytes, v,
                                data_read(addr, off, bytes));
    data_write(addr, off, bytes, v);
    spin_unlock_irqrestore(&pci_conf_lock, flags);
}

/* One walk of the capability list: pos[i] = the offset of capability
 * ids[i] (its first instance), or 0.  At most 48 entries: a looping list
 * ends. */
void pci_find_caps(unsigned int bus, unsigned int devfn,
                   const uint8_t *ids, unsigned int *pos, unsigned int n)
{
    unsigned int at, i, hops, found = 0;

    for ( i = 0; i < n; i++ )
        pos[i] = 0;
    if ( !(pci_conf_read(bus, devfn, 0x06, 2) & 0x10) )  /* status: caps */
        return;
    at = pci_conf_read(bus, devfn, 0x34, 1) & 0xfc;
    for ( hops = 0; at >= 0x40 && hops < 48 && found < n; hops++ )
    {
        uint32_t id = pci_conf_read(bus, devfn, at, 1);

        for ( i = 0; i < n; i++ )
            if ( id == ids[i] && pos[i] == 0 )
            {
                pos[i] = at;
                found++;
            }
        at = pci_conf_read(bus, devfn, at + 1, 1) & 0xfc;
    }
}

unsigned int pci_find_cap(unsigned int bus, unsigned int devfn,
                          unsigned int id)
{
    uint8_t want = id;
    unsigned int pos;

    pci_find_caps(bus, devfn, &want, &pos, 1);
    return pos;
}
