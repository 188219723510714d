/*
 * The IO-APICs, which only the hypervisor programs: each GSI a domain
 * maps (irq-pirq.c) gets a redirection entry sending its vector to CPU 0,
 * masked until the domain binds it to an event channel.  GSIs are
 * numbered across the IO-APICs in the order the MADT lists them, each
 * contributing its pins (QEMU's pc machine: one IO-APIC, GSIs 0-23).
 *
 * Register access is IOREGSEL/IOWIN, a pair, so every access holds
 * ioapic_lock.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <asm/acpi.h>
#include <asm/page.h>
#include <asm/irq-pirq.h>

#define RTE_MASKED     (1u << 16)
#define RTE_LEVEL      (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

static DEFINE_SPINLOCK(ioapic_lock);
static volatile uint32_t *ioapic_mmio[8];
static unsigned int ioapic_pins[8], nr_gsis;

static uint32_t reg_read(unsigned int a, unsigned int reg)
{
    ioapic_mmio[a][0] = reg;
    return ioapic_mmio[a][4];
}

static void reg_write(unsigned int a, unsigned int reg, uint32_t v)
{
    ioapic_mmio[a][0] = reg;
    ioapic_mmio[a][4] = v;
}

/* Which IO-APIC and pin a GSI is; false if none has it. */
static bool gsi_pin(unsigned int gsi, unsigned int *a, unsigned int *pin)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(ioapic_mmio); i++ )
    {
        if ( ioapic_mmio[i] == NULL )
            continue;
        if ( gsi < ioapic_pins[i] )
        {
            *a = i;
            *pin = gsi;
            return true;
        }
        gsi -= ioapic_pins[i];
    }
    return false;
}

void ioapic_init(void)
{
    for ( unsigned int i = 0;
          i < acpi_info.nr_ioapics && i < ARRAY_SIZE(ioapic_mmio); i++ )
    {
        ioapic_mmio[i] = ioremap(acpi_info.ioapic_addr[i], 0x20);
        if ( ioapic_mmio[i] == NULL )
            continue;
        ioapic_pins[i] = ((reg_read(i, 1) >> 16) & 0xff) + 1;
        /* Nothing is routed until a domain maps it. */
        for ( unsigned int p = 0; p < ioapic_pins[i]; p++ )
            reg_write(i, 0x10 + 2 * p, RTE_MASKED);
        nr_gsis += ioapic_pins[i];
    }
}

unsigned int ioapic_nr_gsis(void)
{
    return nr_gsis;
}

void ioapic_route(unsigned int gsi, unsigned int vector, bool level,
                  bool active_low, unsigned int apic_id, bool masked)
{
    unsigned int a, pin;
    unsigned long flags;
    uint32_t lo = vector | (level ? RTE_LEVEL : 0) |
                  (active_low ? RTE_ACTIVE_LOW : 0) | (masked ? RTE_MASKED : 0);

    if ( !gsi_pin(gsi, &a, &pin) )
        return;
    spin_lock_irqsave(&ioapic_lock, flags);
    reg_write(a, 0x10 + 2 * pin, lo | RTE_MASKED);
    reg_write(a, 0x11 + 2 * pin, apic_id << 24);
    reg_write(a, 0x10 + 2 * pin, lo);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_mask(unsigned int gsi, bool masked)
{
    unsigned int a, pin;
    unsigned long flags;
    uint32_t lo;

    if ( !gsi_pin(gsi, &a, &pin) )
        return;
    spin_lock_irqsave(&ioapic_lock, flags);
    lo = reg_read(a, 0x10 + 2 * pin);
    reg_write(a, 0x10 + 2 * pin,
              masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
    spin_unlock_irqrestore(&ioapic_lock, flags);
}

int ioapic_read_reg(uint64_t physbase, unsigned int reg, uint32_t *val)
{
    unsigned long flags;

    for ( unsigned int a = 0;
          a < acpi_info.nr_ioapics && a < ARRAY_SIZE(ioapic_mmio); a++ )
    {
        if ( ioapic_mmio[a] == NULL || acpi_info.ioapic_addr[a] != physbase )
            continue;
        /* ID, version, arbitration; then two words per pin.  Nothing
         * else: reads of other IOREGSEL values are undefined. */
        if ( reg > 2 && (reg < 0x10 || reg >= 0x10 + 2 * ioapic_pins[a]) )
            return -EINVAL;
        spin_lock_irqsave(&ioapic_lock, flags);
        *val = reg_read(a, reg);
        spin_unlock_irqrestore(&ioapic_lock, flags);
        return 0;
    }
    return -EINVAL;
}
