/*
 * What of the machine a domain may touch directly: I/O ports and I/O
 * memory frames, kept per domain in d->ioports and d->iomem
 * (xen/rangeset.h).  Nothing here asks "is this dom0": the dom0 builder
 * grants dom0 the machine through io_perm_grant_machine(), and every check
 * is membership in the domain's own sets.  docs/dom0-hardware.md has the
 * whole policy.
 *
 * The hypervisor keeps to itself the devices it drives: the 8259 PICs
 * (0x20-0x21, 0xa0-0xa1), the PIT (0x40-0x43) and port 0x61 (PIT gate),
 * the serial console (COM1, 0x3f8-0x3ff), the local APIC page and the
 * IO-APIC pages.  RAM is never I/O memory whatever the set says:
 * pv_mfn_is_io() is checked as well (the set covers address space, not
 * frame states).  Writes to the ACPI power registers (PM1 control, the
 * FADT's reset register) are the hypervisor's for every domain, whatever
 * the set says: io_port_write_is_hypervisors().
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/rangeset.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io-perm.h>
#include <asm/io-bitmap.h>
#include <asm/pv-mm.h>

/* io_bitmap=0 (or no-io_bitmap): no domain gets a TSS I/O bitmap, so every
 * port access traps and is emulated (pv/emul-io.c), as before the bitmap
 * existed.  Kept to tell the two paths apart when a device model
 * misbehaves (docs/dom0-hardware.md, "The fast path"). */
bool opt_io_bitmap = true;
boolean_param("io_bitmap", opt_io_bitmap);

static const struct { uint16_t s, e; } hv_ports[] = {
    { 0x20, 0x21 },                     /* master PIC */
    { 0x40, 0x43 },                     /* PIT */
    { 0x61, 0x61 },                     /* PIT channel 2 gate, speaker */
    { 0xa0, 0xa1 },                     /* slave PIC */
    { 0x3f8, 0x3ff },                   /* COM1: the console */
};

bool io_port_is_hypervisors(unsigned int port)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(hv_ports); i++ )
        if ( port >= hv_ports[i].s && port <= hv_ports[i].e )
            return true;
    return false;
}

bool io_frame_is_hypervisors(mfn_t mfn)
{
    if ( mfn == lapic_phys >> PAGE_SHIFT )
        return true;
    for ( unsigned int i = 0; i < acpi_info.nr_ioapics; i++ )
        if ( mfn == acpi_info.ioapic_addr[i] >> PAGE_SHIFT )
            return true;
    return false;
}

int io_perm_grant_machine(struct domain *d)
{
    unsigned long top = (1UL << (pv_paddr_bits - PAGE_SHIFT)) - 1;
    int rc;

    rc = rangeset_add(&d->ioports, 0, 0xffff);
    for ( unsigned int i = 0; !rc && i < ARRAY_SIZE(hv_ports); i++ )
        rc = rangeset_remove(&d->ioports, hv_ports[i].s, hv_ports[i].e);

    if ( !rc )
        rc = rangeset_add(&d->iomem, 0, top);
    if ( !rc )
        rc = rangeset_remove(&d->iomem, lapic_phys >> PAGE_SHIFT,
                             lapic_phys >> PAGE_SHIFT);
    for ( unsigned int i = 0; !rc && i < acpi_info.nr_ioapics; i++ )
        rc = rangeset_remove(&d->iomem, acpi_info.ioapic_addr[i] >> PAGE_SHIFT,
                             acpi_info.ioapic_addr[i] >> PAGE_SHIFT);
    if ( !rc )
        rc = io_bitmap_build(d);
    if ( !rc && !opt_io_bitmap )
        printk("d%u: no I/O bitmap (io_bitmap=0): every port access traps\n",
               d->domain_id);
    if ( rc )
    {
        rangeset_clear(&d->ioports);
        rangeset_clear(&d->iomem);
        io_bitmap_release(d);
    }
    return rc;
}

bool io_ports_permitted(const struct domain *d, unsigned int port,
                        unsigned int bytes)
{
    /* The hypervisor's ports are refused even if a set names them. */
    for ( unsigned int p = port; p < port + bytes; p++ )
        if ( p > 0xffff || io_port_is_hypervisors(p) )
            return false;
    return rangeset_contains(&d->ioports, port, port + bytes - 1);
}

static bool overlaps(unsigned int port, unsigned int bytes,
                     unsigned int reg, unsigned int width)
{
    return reg && port < reg + width && reg < port + bytes;
}

bool io_port_write_is_hypervisors(unsigned int port, unsigned int bytes)
{
    /* Power-off and reset are the hypervisor's (platform_op
     * XENPF_enter_acpi_sleep, SCHEDOP_shutdown): it stops the other CPUs
     * first and keeps the test harness's exit status.  Reads stay
     * permitted: Linux reads SCI_EN in PM1 control to learn that the
     * machine is in ACPI mode.  PM1 control is 16 bits wide; the reset
     * register is one byte, and only a write of exactly that byte counts:
     * on PCs it is 0xcf9, inside the 32-bit PCI address register at 0xcf8
     * that dom0 keeps. */
    return overlaps(port, bytes, acpi_info.pm1a_cnt, 2) ||
           overlaps(port, bytes, acpi_info.pm1b_cnt, 2) ||
           (acpi_info.reset_port && port == acpi_info.reset_port &&
            bytes == 1);
}

/* SLP_EN, bit 13 of PM1 control (ACPI 6.4, table 4.14): the bit that
 * enters the sleep state SLP_TYP names. */
#define PM1_CNT_SLP_EN_BIT 13

/* Does a write of val (bytes wide, at port) set SLP_EN of the PM1 control
 * register at reg?  Only if it covers the register's high byte. */
static bool writes_slp_en(unsigned int port, unsigned int bytes,
                          uint32_t val, unsigned int reg)
{
    unsigned int hi = reg + PM1_CNT_SLP_EN_BIT / 8;

    if ( !reg || hi < port || hi >= port + bytes )
        return false;
    return (val >> ((hi - port) * 8 + PM1_CNT_SLP_EN_BIT % 8)) & 1;
}

bool io_power_write_is_inert(unsigned int port, unsigned int bytes,
                             uint32_t val)
{
    /* Linux (ACPICA's legacy sleep) writes PM1 control twice for S5:
     * SLP_TYP alone, then, unless the OS layer took over, SLP_TYP|SLP_EN.
     * Under Xen the OS layer is xen_acpi_notify_hypervisor_sleep, so the
     * second write never comes; the first selects a state but enters
     * none, and on Xen it reaches the chipset, where it does nothing.
     * The reset register has no such half-write. */
    if ( acpi_info.reset_port && port == acpi_info.reset_port && bytes == 1 )
        return false;
    return !writes_slp_en(port, bytes, val, acpi_info.pm1a_cnt) &&
           !writes_slp_en(port, bytes, val, acpi_info.pm1b_cnt);
}

/* The PCI configuration mechanism #1 ports (pci-conf.c, pci_conf_is_port):
 * the hypervisor must see every access to keep MSI control to itself. */
#define PCI_CONF_FIRST 0xcf8
#define PCI_CONF_LAST  0xcff

bool io_port_always_traps(unsigned int port)
{
    return (port >= PCI_CONF_FIRST && port <= PCI_CONF_LAST) ||
           io_port_write_is_hypervisors(port, 1) ||
           io_port_is_hypervisors(port);
}

/* Every rebuild gets a new number: a CPU whose TSS holds an older copy
 * (of this or another domain) copies again (io-bitmap.c). */
static uint64_t io_bitmap_gens;

int io_bitmap_build(struct domain *d)
{
    uint8_t *map = d->arch.io_bitmap;
    unsigned int open = 0;

    if ( !map )
        map = xmalloc_bytes(IO_BITMAP_BYTES);
    if ( !map )
        return -ENOMEM;
    memset(map, 0xff, IO_BITMAP_BYTES);
    for ( unsigned int port = 0; opt_io_bitmap && port <= 0xffff; port++ )
        if ( io_ports_permitted(d, port, 1) && !io_port_always_traps(port) )
        {
            map[port / 8] &= ~(1u << (port % 8));
            open++;
        }
    if ( !open )
    {
        /* Nothing to let through: no bitmap, every access traps. */
        xfree(map);
        map = NULL;
    }
    d->arch.io_bitmap = map;
    d->arch.io_bitmap_gen = __atomic_add_fetch(&io_bitmap_gens, 1,
                                               __ATOMIC_RELAXED);
    return 0;
}

void io_bitmap_release(struct domain *d)
{
    xfree(d->arch.io_bitmap);
    d->arch.io_bitmap = NULL;
}

void arch_io_perm_release(struct domain *d)
{
    io_bitmap_release(d);
}

bool io_frame_in_range(const struct domain *d, mfn_t mfn)
{
    return rangeset_contains(&d->iomem, mfn, mfn);
}

bool io_frame_permitted(const struct domain *d, mfn_t mfn)
{
    return rangeset_contains(&d->iomem, mfn, mfn) &&
           !io_frame_is_hypervisors(mfn) && pv_mfn_is_io(mfn);
}
