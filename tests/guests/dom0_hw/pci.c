/*
 * dom0_hw/pci.c: bus 0's configuration space through 0xcf8/0xcfc, the
 * searches the tests need (a device, a capability, a memory BAR, an
 * empty slot) and mapping a device's I/O memory.
 */
#include "guest.h"
#include "io.h"
#include "dom0_hw.h"

uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg)
{
    outl(0xcf8, 0x80000000u | (dev << 11) | (fn << 8) | (reg & 0xfc));
    return inl(0xcfc);
}

/* Bus 0, function 0 only: what the tests below use. */
uint16_t pci_read16(unsigned int dev, unsigned int reg)
{
    outl(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    return inw(0xcfc + (reg & 2));
}

void pci_write16(unsigned int dev, unsigned int reg, uint16_t v)
{
    outl(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    outw(0xcfc + (reg & 2), v);
}

void pci_write32(unsigned int dev, unsigned int reg, uint32_t v)
{
    outl(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    outl(0xcfc, v);
}

/* The first memory BAR (32-bit, non-zero) of a device on bus 0: its frame. */
uint64_t find_mem_bar(void)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        if ((pci_read(dev, 0, 0) & 0xffff) == 0xffff)
            continue;
        for (unsigned int bar = 0; bar < 6; bar++) {
            uint32_t v = pci_read(dev, 0, 0x10 + 4 * bar);

            if (!(v & 1) && (v & ~0xfu) != 0 && !(v & 4))
                return (v & ~0xfffu) >> PAGE_SHIFT;
        }
    }
    return 0;
}

unsigned int pci_empty_devfn(void)
{
    unsigned int absent = 0;

    for (unsigned int dev = 31; dev > 0 && !absent; dev--)
        if ((pci_read(dev, 0, 0) & 0xffff) == 0xffff)
            absent = dev << 3;
    return absent;
}

/* Slot of the first bus-0 device with this vendor (and device, unless 0). */
int find_dev(uint16_t vendor, uint16_t device)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        uint32_t id = pci_read(dev, 0, 0);

        if ((id & 0xffff) == vendor && (device == 0 || (id >> 16) == device))
            return dev;
    }
    return -1;
}

unsigned int find_cap(unsigned int dev, uint8_t id)
{
    unsigned int pos = pci_read(dev, 0, 0x34) & 0xfc;

    for (unsigned int n = 0; pos >= 0x40 && n < 48; n++) {
        uint32_t h = pci_read(dev, 0, pos);

        if ((h & 0xff) == id)
            return pos;
        pos = (h >> 8) & 0xfc;
    }
    return 0;
}

/* Map machine frame mfn (I/O memory) at a fresh page of ours. */
volatile uint32_t *map_io(uint64_t mfn)
{
    uint8_t *slot = page_alloc();
    uint64_t io = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_PCD;

    if (hv_update_va_mapping((unsigned long)slot, (mfn << PAGE_SHIFT) | io, UVMF_INVLPG) != 0)
        return NULL;
    return (volatile uint32_t *)slot;
}
