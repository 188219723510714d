/*
 * dom0_hw: what of the machine dom0 may touch (docs/dom0-hardware.md),
 * as the initial domain, with hostile requests mixed in.
 *
 *  - ports: with vIOPL 1, PCI configuration space through 0xcf8/0xcfc
 *    reaches the machine (the address latch reads back, the host bridge
 *    of QEMU's pc machine answers vendor 0x8086), string I/O (rep
 *    insb/outsw, forwards and backwards) reads fw_cfg's "QEMU"
 *    signature; the hypervisor's own
 *    ports do not (COM1's scratch register keeps reading all ones after
 *    a write; an access straddling into COM1 reads all ones);
 *  - I/O memory: a memory BAR found by scanning bus 0 maps (and reads);
 *    the local APIC and IO-APIC pages are -EPERM, a hypervisor frame
 *    -EINVAL, in both mmu_update forms (DOMID_SELF and DOMID_IO);
 *  - the machine memory map has a hole where the APICs are;
 *  - hostile interrupt requests get errors: map_pirq for a GSI beyond the
 *    IO-APICs (-EINVAL), for a device that does not exist (-ENODEV), for
 *    MSI/MSI-X of a device without the capability, for another domain
 *    (-EPERM), of an unknown type; status/eoi/unmap/bind of pirqs out of
 *    range or never mapped (-EINVAL), the hypervisor's GSIs (-EPERM);
 *  - a GSI's life: map (again: same pirq), edge then level after
 *    setup_gsi (needs_eoi), bind, double bind, unmap while bound -EBUSY,
 *    eoi, close, unmap.
 */
#include "guest.h"
#include "pt.h"
#include <public/physdev.h>
#include <public/event_channel.h>

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

/*
 * String port I/O (ins/outs, rep or not; Linux's ATA PIO and fw_cfg
 * drivers use it), on QEMU's fw_cfg: a 16-bit selector written to 0x510,
 * then the item's bytes read one by one from 0x511.  Item 0 is the
 * signature "QEMU".
 */
static void fw_cfg_select_outsw(uint16_t item)
{
    const uint16_t *p = &item;
    unsigned long n = 1;

    asm volatile("rep outsw" : "+S"(p), "+c"(n) : "d"(0x510) : "memory");
}

static void test_string_ports(void)
{
    char buf[8] = { 0 };
    char *p = buf;
    unsigned long n = 4;

    fw_cfg_select_outsw(0);
    asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"(0x511) : "memory");
    CHECK(buf[0] == 'Q' && buf[1] == 'E' && buf[2] == 'M' && buf[3] == 'U',
          "rep outsw of fw_cfg's selector, then rep insb of 4 bytes: \"QEMU\"");
    CHECK_EQ(n, 0, "rep insb: rcx counted down to 0");
    CHECK_EQ((unsigned long)(p - buf), 4, "rep insb: rdi moved on by 4");

    /* Backwards (EFLAGS.DF set): the same bytes land from buf[3] down. */
    fw_cfg_select_outsw(0);
    p = buf + 3;
    n = 4;
    asm volatile("std; rep insb; cld" : "+D"(p), "+c"(n) : "d"(0x511) : "memory");
    CHECK(buf[3] == 'Q' && buf[2] == 'E' && buf[1] == 'M' && buf[0] == 'U',
          "std; rep insb: the signature lands backwards");
    CHECK_EQ((unsigned long)(buf + 3 - p), 4, "std; rep insb: rdi moved back by 4");

    /* Without rep: one byte each, rcx untouched. */
    fw_cfg_select_outsw(0);
    p = buf;
    n = 77;
    asm volatile("insb" : "+D"(p) : "d"(0x511), "c"(n) : "memory");
    CHECK(buf[0] == 'Q' && p == buf + 1, "a single insb reads one byte, rdi + 1");

    /* A port that is not ours (COM1's scratch register) reads all ones. */
    p = buf;
    n = 2;
    asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"(0x3ff) : "memory");
    CHECK((uint8_t)buf[0] == 0xff && (uint8_t)buf[1] == 0xff,
          "rep insb from COM1's scratch register (not ours): all ones");
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
    test_string_ports();
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

static long physdev(unsigned int cmd, void *arg)
{
    return hypercall2(__HYPERVISOR_physdev_op, cmd, HC_PTR(arg));
}

static long map_pirq(int type, int index, int bus, int devfn, uint64_t table)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = type, .index = index, .pirq = -1,
        .bus = bus, .devfn = devfn, .table_base = table,
    };

    return physdev(PHYSDEVOP_map_pirq, &m);
}

static void test_hostile_irqs(void)
{
    struct physdev_map_pirq m = { .domid = 5, .type = MAP_PIRQ_TYPE_MSI_SEG, .pirq = -1 };
    struct physdev_irq_status_query q = { .irq = 5000 };
    struct physdev_eoi e = { .irq = 5000 };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = 5000 };
    struct evtchn_bind_pirq b = { .pirq = 5000 };
    unsigned int absent = 0;

    for (unsigned int dev = 31; dev > 0 && !absent; dev--)
        if ((pci_read(dev, 0, 0) & 0xffff) == 0xffff)
            absent = dev << 3;
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 1000, 0, 0, 0), -EINVAL,
             "map_pirq of GSI 1000 (beyond the IO-APICs) is -EINVAL");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, -1, 0, 0, 0), -EINVAL, "map_pirq of GSI -1 is -EINVAL");
    CHECK(absent != 0, "bus 0 has an empty slot");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, absent, 0), -ENODEV,
             "map_pirq MSI for a device that does not exist is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, absent, 0xfebf0000), -ENODEV,
             "map_pirq MSI-X for a device that does not exist is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, 0, 0), -ENODEV,
             "map_pirq MSI for the host bridge (no MSI capability) is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, 0, 0xfebf0000), -EINVAL,
             "map_pirq MSI-X for the host bridge (no MSI-X table) is -EINVAL");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 1 << 16, 0, 0), -ENODEV,
             "map_pirq in PCI segment 1 is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 300, 0, 0), -EINVAL, "map_pirq on bus 300 is -EINVAL");
    CHECK_EQ(map_pirq(99, 0, 0, 0, 0), -EINVAL, "map_pirq of an unknown type is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -EPERM, "map_pirq for another domain is -EPERM");
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of pirq 5000 is -EINVAL");
    q.irq = 40;
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of an unmapped pirq is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_eoi, &e), -EINVAL, "eoi of pirq 5000 is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmap_pirq of pirq 5000 is -EINVAL");
    u.pirq = 40;
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmap_pirq of an unmapped pirq is -EINVAL");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EINVAL, "bind_pirq of pirq 5000 is -EINVAL");
    b.pirq = 40;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EINVAL, "bind_pirq of an unmapped pirq is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_apic_write, &e), -EPERM, "apic_write is -EPERM (the hypervisor's IO-APIC)");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 2, 0, 0, 0), -EPERM, "map_pirq of GSI 2 (the hypervisor's PIT) is -EPERM");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 4, 0, 0, 0), -EPERM, "map_pirq of GSI 4 (the console's COM1) is -EPERM");
}

/* A GSI's whole life: ISA line 5 (nothing on it in QEMU's pc machine). */
static void test_gsi_lifecycle(void)
{
    struct physdev_map_pirq m = { .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = 5, .pirq = 5 };
    struct physdev_setup_gsi g = { .gsi = 5, .triggering = 1, .polarity = 0 };
    struct physdev_irq_status_query q = { .irq = 5 };
    struct physdev_eoi e = { .irq = 5 };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = 5 };
    struct evtchn_bind_pirq b = { .pirq = 5 };
    struct evtchn_close c;

    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of GSI 5 as pirq 5 returns 0");
    CHECK_EQ(m.pirq, 5, "... and says pirq 5");
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0, "mapping it again gives the same pirq");
    m.pirq = 6;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), -EEXIST, "mapping GSI 5 as another pirq is -EEXIST");
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), 0, "irq_status_query of pirq 5 returns 0");
    CHECK_EQ(q.flags, 0, "an ISA line is edge: no EOI needed");
    CHECK_EQ(physdev(PHYSDEVOP_setup_gsi, &g), 0, "setup_gsi 5 level/high returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), 0, "irq_status_query again");
    CHECK_EQ(q.flags, XENIRQSTAT_needs_eoi, "a level line needs the EOI");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), 0, "bind_pirq 5 returns 0");
    CHECK(b.port > 0, "... with a port");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EEXIST, "binding pirq 5 twice is -EEXIST");
    u.pirq = 5;
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -EBUSY, "unmap_pirq of a bound pirq is -EBUSY");
    CHECK_EQ(physdev(PHYSDEVOP_eoi, &e), 0, "eoi of pirq 5 returns 0");
    c.port = b.port;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_close, &c), 0, "closing its port returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), 0, "unmap_pirq 5 returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmapping it again is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of the unmapped pirq is -EINVAL");
}

void test_main(void)
{
    setup(SETUP_TRAPS);
    test_ports();
    test_io_memory();
    test_machine_map();
    test_hostile_irqs();
    test_gsi_lifecycle();
}
