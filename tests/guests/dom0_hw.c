/*
 * dom0_hw: what of the machine dom0 may touch (docs/dom0-hardware.md),
 * as the initial domain, with hostile requests mixed in.
 *
 *  - ports: with vIOPL 1, PCI configuration space through 0xcf8/0xcfc
 *    reaches the machine (the address latch reads back, the host bridge
 *    of QEMU's pc machine answers vendor 0x8086); the hypervisor's own
 *    ports do not (COM1's scratch register keeps reading all ones after
 *    a write; an access straddling into COM1 reads all ones);
 *  - I/O memory: a memory BAR found by scanning bus 0 maps (and reads);
 *    the local APIC and IO-APIC pages are -EPERM, a hypervisor frame
 *    -EINVAL, in both mmu_update forms (DOMID_SELF and DOMID_IO);
 *  - the machine memory map has a hole where the APICs are.
 */
#include "guest.h"
#include "pt.h"
#include <public/physdev.h>

static inline void outl_(uint16_t port, uint32_t v)
{
    asm volatile("outl %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint32_t inl_(uint16_t port)
{
    uint32_t v;

    asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb_(uint16_t port, uint8_t v)
{
    asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb_(uint16_t port)
{
    uint8_t v;

    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint16_t inw_(uint16_t port)
{
    uint16_t v;

    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg)
{
    outl_(0xcf8, 0x80000000u | (dev << 11) | (fn << 8) | (reg & 0xfc));
    return inl_(0xcfc);
}

static void test_ports(void)
{
    struct physdev_set_iopl s = { .iopl = 1 };

    CHECK_EQ(hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, HC_PTR(&s)), 0,
             "PHYSDEVOP_set_iopl 1 (as Linux's dom0) returns 0");
    outl_(0xcf8, 0x80000000u);
    CHECK_EQ(inl_(0xcf8), 0x80000000u, "the PCI address latch 0xcf8 reads back what was written");
    CHECK_EQ(pci_read(0, 0, 0) & 0xffff, 0x8086, "PCI 00:00.0 (the host bridge) has vendor 0x8086");
    outb_(0x3ff, 0x33);
    CHECK_EQ(inb_(0x3ff), 0xff, "COM1's scratch register (the console's) is not ours: reads all ones");
    CHECK_EQ(inw_(0x3f7), 0xffff, "a 16-bit read straddling into COM1 reads all ones");
    CHECK_EQ(inb_(0x21), 0xff, "the PIC's mask register reads all ones");
}

/* The first memory BAR (32-bit, non-zero) of a device on bus 0: its frame. */
static uint64_t find_mem_bar(void)
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

static void test_io_memory(void)
{
    uint8_t *slot = page_alloc();
    uint64_t l1_ma, bar = find_mem_bar();
    uint64_t io = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_PCD;
    struct mmu_update u;
    volatile uint32_t sink;

    pte_lookup((unsigned long)slot, 1, &l1_ma);
    CHECK(bar != 0, "a device on bus 0 has a memory BAR");
    if (bar) {
        CHECK_EQ(hv_update_va_mapping((unsigned long)slot, (bar << PAGE_SHIFT) | io, UVMF_INVLPG),
                 0, "mapping a device BAR frame returns 0");
        sink = *(volatile uint32_t *)slot;      /* must not fault */
        (void)sink;
        test_pass("the BAR reads through the mapping");
        u.ptr = l1_ma;
        u.val = (bar << PAGE_SHIFT) | io;
        CHECK_EQ(hv_mmu_update(&u, 1, NULL, DOMID_IO), 0,
                 "mmu_update with DOMID_IO naming the BAR frame returns 0");
    }
    CHECK_EQ(mmu_update1(l1_ma, 0xfee00000UL | io), -EPERM,
             "mapping the local APIC page is -EPERM");
    CHECK_EQ(mmu_update1(l1_ma, 0xfec00000UL | io), -EPERM,
             "mapping the IO-APIC page is -EPERM");
    u.ptr = l1_ma;
    u.val = 0xfec00000UL | io;
    CHECK_EQ(hv_mmu_update(&u, 1, NULL, DOMID_IO), -EPERM,
             "... and with DOMID_IO");
    CHECK_EQ(hv_update_va_mapping((unsigned long)slot, pte_for(slot, PTE_KERNEL_RW), UVMF_INVLPG),
             0, "our page mapped back");
}

static void test_machine_map(void)
{
    static uint8_t buf[20 * 64];
    struct xen_memory_map m = { .nr_entries = 64 };
    int apic_in_ram = 0;

    m.buffer.p = buf;
    CHECK_EQ(hv_memory_op(XENMEM_machine_memory_map, &m), 0, "XENMEM_machine_memory_map returns 0");
    for (unsigned int i = 0; i < m.nr_entries; i++) {
        uint64_t a = *(uint64_t *)(buf + 20 * i), sz = *(uint64_t *)(buf + 20 * i + 8);

        if (*(uint32_t *)(buf + 20 * i + 16) == 1 && a <= 0xfec00000UL && 0xfec00000UL - a < sz)
            apic_in_ram = 1;
    }
    CHECK(!apic_in_ram, "no RAM entry covers the IO-APIC: dom0 sees the PCI hole");
}

void test_main(void)
{
    setup(SETUP_TRAPS);
    test_ports();
    test_io_memory();
    test_machine_map();
}
