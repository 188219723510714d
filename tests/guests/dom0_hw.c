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
 *  - the machine memory map has a hole where the APICs are;
 *  - hostile interrupt requests get errors: map_pirq for a GSI beyond the
 *    IO-APICs (-EINVAL), for a device that does not exist (-ENODEV), for
 *    MSI/MSI-X of a device without the capability, for another domain
 *    (-EPERM), of an unknown type; status/eoi/unmap/bind of pirqs out of
 *    range or never mapped (-EINVAL), the hypervisor's GSIs (-EPERM);
 *  - a GSI's life: map (again: same pirq), edge then level after
 *    setup_gsi (needs_eoi), bind, double bind, unmap while bound -EBUSY,
 *    eoi, close, unmap;
 *  - the TSS I/O bitmap (io-bitmap.c), counted by the hypervisor's perf
 *    counter io_emulated: a port of dom0's (QEMU's fw_cfg, 0x510/0x511)
 *    works without a trap, in/out and rep ins alike; PCI configuration
 *    and the PIC still trap (and the PIC is refused); vIOPL 0 or an armed
 *    I/O breakpoint switch the bitmap off (every access traps again);
 *  - string I/O emulated (rep insl/outsb on trapping ports, backwards
 *    with DF, a buffer that is not mapped: #PF at its address);
 *  - the cost of an inb on the direct path and the emulated one (a
 *    "BENCH: io" line, printed for make bench);
 *  - device reports (pci_device_add/_remove, manage_pci_*), restore_msi
 *    and apic_read, with bogus segments, devices, flags and registers;
 *  - the EOI map (pirq_eoi_gmfn_v2): refused for a page table, twice
 *    -EBUSY, the frame cannot become a page table while registered; then
 *    with QEMU's "edu" device's INTx (a real level line): the bit is set
 *    when it fires, the line stays masked (no second interrupt while the
 *    device keeps asserting), EOI clears the bit;
 *  - MSI control stays the hypervisor's (edu's MSI): dom0's writes to the
 *    message address/data and multiple-message enable are dropped, MSI
 *    enable only sticks once a pirq is mapped; for virtio-rng's MSI-X, the
 *    function mask is forced until an entry is mapped, and restore_msi
 *    puts back a table entry dom0 overwrote;
 *  - an MSI storm (edu's interrupt-raise register written in a loop,
 *    booted with pirq_storm_limit=20): the hypervisor logs it and masks
 *    MSI, then unmasks it and interrupts come again;
 *  - a 16-bit write of S5 to ACPI PM1a control (QEMU would power off) is
 *    dropped and logged: the machine keeps running.
 *
 * Booted with QEMU's -device edu and -device virtio-rng-pci,vectors=2
 * (tests/guests/ENABLED's qemu: words).
 */
#include "guest.h"
#include "pt.h"
#include <public/physdev.h>
#include <public/event_channel.h>
#include "public/dom0_op.h"

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

static inline void outw_(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}

static uint32_t pci_read(unsigned int dev, unsigned int fn, unsigned int reg)
{
    outl_(0xcf8, 0x80000000u | (dev << 11) | (fn << 8) | (reg & 0xfc));
    return inl_(0xcfc);
}

/* Bus 0, function 0 only: what the tests below use. */
static uint16_t pci_read16(unsigned int dev, unsigned int reg)
{
    outl_(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    return inw_(0xcfc + (reg & 2));
}

static void pci_write16(unsigned int dev, unsigned int reg, uint16_t v)
{
    outl_(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    outw_(0xcfc + (reg & 2), v);
}

static void pci_write32(unsigned int dev, unsigned int reg, uint32_t v)
{
    outl_(0xcf8, 0x80000000u | (dev << 11) | (reg & 0xfc));
    outl_(0xcfc, v);
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

/* ---- the TSS I/O bitmap and string I/O ---------------------------------- */

static struct xen_dom0_op op;
static struct xen_dom0_perfc_name pnames[64];
static struct xen_dom0_perfc_value pvals[64];
static int io_emulated_id = -1;

static long perfc_op(uint32_t query, void *buf)
{
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_getperfcounters;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.getperfcounters.query = query;
    op.u.getperfcounters.max_entries = 64;
    op.u.getperfcounters.buffer = HC_PTR(buf);
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

/* The hypervisor's count of emulated port I/O instructions. */
static uint64_t io_emulated(void)
{
    if (io_emulated_id < 0)
        return 0;
    if (perfc_op(XEN_DOM0_PERFC_QUERY_VALUES, pvals) != 0)
        return 0;
    return pvals[io_emulated_id].value;
}

static long set_iopl(unsigned int iopl)
{
    struct physdev_set_iopl s = { .iopl = iopl };

    return hypercall2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, HC_PTR(&s));
}

/* QEMU's fw_cfg: selector 0 is the signature, read byte by byte. */
static void fw_cfg_select(uint16_t key)
{
    outw_(0x510, key);
}

static int inb_faults(uint16_t port)
{
    uint8_t v;

    trap_reset();
    asm volatile("1: inb %1, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "=a"(v) : "Nd"(port) : "memory");
    return trap_last.count ? (int)trap_last.vector : -1;
}

#define IO_LOOP 2000

/* Cycles of one inb from port, over IO_LOOP. */
static uint64_t inb_cycles(uint16_t port)
{
    uint64_t t0 = rdtsc();

    for (unsigned int i = 0; i < IO_LOOP; i++)
        (void)inb_(port);
    return (rdtsc() - t0) / IO_LOOP;
}

static void test_io_bitmap(void)
{
    char sig[8] = { 0 };
    uint32_t cfg[4] = { 0 };
    uint8_t bytes[4] = { 1, 2, 3, 4 };
    uint64_t c0, direct, emulated;
    void *p;
    unsigned long n;
    long rc;

    rc = perfc_op(XEN_DOM0_PERFC_QUERY_NAMES, pnames);
    for (unsigned int i = 0; rc == 0 && i < op.u.getperfcounters.nr_entries; i++)
        if (!strcmp(pnames[i].name, "io_emulated"))
            io_emulated_id = (int)pnames[i].id;
    if (io_emulated_id < 0) {
        test_fail("the hypervisor has the perf counter io_emulated", "not found (rc %ld)", rc);
        return;
    }
    CHECK_EQ(set_iopl(1), 0, "vIOPL 1 (Linux's dom0) for the bitmap checks");

    c0 = io_emulated();
    fw_cfg_select(0);
    for (unsigned int i = 0; i < 4; i++)
        sig[i] = (char)inb_(0x511);
    CHECK(!strcmp(sig, "QEMU"), "fw_cfg (dom0's ports 0x510/0x511) answers QEMU's signature");
    CHECK_EQ(io_emulated() - c0, 0, "outw 0x510 and 4 inb 0x511 ran without a trap (io_emulated unchanged)");

    c0 = io_emulated();
    memset(sig, 0, sizeof(sig));
    fw_cfg_select(0);
    p = sig;
    n = 4;
    asm volatile("rep insb" : "+D"(p), "+c"(n) : "d"(0x511) : "memory");
    CHECK(!strcmp(sig, "QEMU") && n == 0, "rep insb from 0x511 reads the signature");
    CHECK_EQ(io_emulated() - c0, 0, "rep insb on dom0's port ran without a trap");

    c0 = io_emulated();
    outl_(0xcf8, 0x80000000u);
    CHECK_EQ(inl_(0xcfc) & 0xffff, 0x8086, "PCI configuration read of 00:00.0 through 0xcf8/0xcfc");
    CHECK_EQ(io_emulated() - c0, 2, "PCI configuration ports still trap (2 emulated)");
    c0 = io_emulated();
    CHECK_EQ(inb_(0x21), 0xff, "the PIC's mask register reads all ones");
    CHECK_EQ(io_emulated() - c0, 1, "the PIC (the hypervisor's) traps, and is refused");

    /* String I/O on trapping ports: the emulator's. */
    c0 = io_emulated();
    outl_(0xcf8, 0x80000000u);
    p = cfg;
    n = 4;
    asm volatile("rep insl" : "+D"(p), "+c"(n) : "d"(0xcfc) : "memory");
    CHECK(n == 0 && p == (void *)&cfg[4], "rep insl from 0xcfc: rcx 0, rdi past 4 dwords");
    CHECK((cfg[0] & 0xffff) == 0x8086 && cfg[3] == cfg[0], "rep insl: each dword is the host bridge's ID");
    CHECK_EQ(io_emulated() - c0, 2, "rep insl: one trap for the whole rep (plus the outl)");
    p = &bytes[3];
    n = 4;
    asm volatile("std; rep outsb; cld" : "+S"(p), "+c"(n) : "d"(0x21) : "memory", "cc");
    CHECK(n == 0 && (uintptr_t)p == (uintptr_t)bytes - 1, "rep outsb with DF set steps rsi downwards");
    CHECK_EQ(inb_(0x21), 0xff, "rep outsb to the PIC was dropped");
    if (probe_read((void *)0x1000, &c0) == TRAP_PF) {
        trap_reset();
        p = (void *)0x1000;
        n = 2;
        outl_(0xcf8, 0x80000000u);
        asm volatile("1: rep insl\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                     : "+D"(p), "+c"(n) : "d"(0xcfc) : "memory");
        CHECK_EQ(trap_last.count, 1, "rep insl into an unmapped buffer traps once");
        CHECK_EQ(trap_last.vector, TRAP_PF, "  with #PF");
        CHECK_EQ(trap_last.cr2, 0x1000, "  at the buffer's address");
        CHECK_EQ(trap_last.error & 2, 2, "  as a write");
        CHECK(n == 2 && p == (void *)0x1000, "  with rcx and rdi as before the element");
    } else
        test_fail("rep insl into an unmapped buffer", "0x1000 is mapped in this kernel");

    /* vIOPL 0: kernel I/O is #GP again, bitmap or not. */
    CHECK_EQ(set_iopl(0), 0, "vIOPL 0");
    CHECK_EQ(inb_faults(0x511), TRAP_GP, "with vIOPL 0 an inb of dom0's port is #GP (the bitmap is off)");
    CHECK_EQ(set_iopl(1), 0, "vIOPL 1 again");
    CHECK_EQ(inb_faults(0x511), -1, "and the port works again");

    /* An armed I/O breakpoint (on port 0x80) switches the bitmap off:
     * every port traps, so the breakpoint is seen; this also measures the
     * emulated path on the very port the direct path uses. */
    direct = inb_cycles(0x511);
    asm volatile("mov %%cr4, %%rax; or $8, %%rax; mov %%rax, %%cr4" ::: "rax");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 0, 0x80), 0, "DR0 = port 0x80");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 7, 1 | (2UL << 16)), 0,
             "DR7: an I/O breakpoint on it (CR4.DE set)");
    c0 = io_emulated();
    emulated = inb_cycles(0x511);
    CHECK_EQ(io_emulated() - c0, IO_LOOP, "with an I/O breakpoint armed every inb of 0x511 traps");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_debugreg, 7, 0x400), 0, "DR7 cleared");
    asm volatile("mov %%cr4, %%rax; and $~8, %%rax; mov %%rax, %%cr4" ::: "rax");
    c0 = io_emulated();
    (void)inb_cycles(0x511);
    CHECK_EQ(io_emulated() - c0, 0, "disarmed: the bitmap is back (no trap)");
    printf("BENCH: io: inb of a dom0 port: %lu cycles direct (TSS I/O bitmap), %lu emulated (trap), x%lu\n",
           direct, emulated, direct ? emulated / direct : 0);
}

/* ---- the hypervisor's log (dom0_op readlog) ---------------------------- */

static struct xen_dom0_op logop;
static char logbuf[64 * 1024 + 1];

/* Does a line of the hypervisor's log contain needle?  The hex number
 * after it goes to *num when num is not NULL. */
static int log_find(const char *needle, unsigned long *num)
{
    uint64_t seq = 0;

    for (;;) {
        const char *p;

        memset(&logop, 0, sizeof(logop));
        logop.cmd = XEN_DOM0_readlog;
        logop.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
        logop.u.readlog.start_seq = seq;
        logop.u.readlog.buffer = HC_PTR(logbuf);
        logop.u.readlog.size = sizeof(logbuf) - 1;
        if (hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&logop)) != 0)
            return 0;
        logbuf[logop.u.readlog.nr_bytes] = 0;
        /* The buffer holds whole lines; a match cannot straddle two reads. */
        if ((p = strstr(logbuf, needle)) != NULL) {
            if (num) {
                *num = 0;
                p += strlen(needle);
                if (p[0] == '0' && p[1] == 'x')
                    p += 2;
                for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
                    *num = *num * 16 + (*p <= '9' ? *p - '0' : *p - 'a' + 10);
            }
            return 1;
        }
        if (logop.u.readlog.next_seq == seq || logop.u.readlog.next_seq >= logop.u.readlog.head_seq)
            return 0;
        seq = logop.u.readlog.next_seq;
    }
}

/* ---- device reports, restore_msi, apic_read ----------------------------- */

static void test_pci_reports(unsigned int absent)
{
    struct physdev_pci_device_add a = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_pci_device dev = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_manage_pci m = { .bus = 0, .devfn = 0 };
    struct physdev_manage_pci_ext mx = { .bus = 0, .devfn = 0, .is_extfn = 5 };
    struct physdev_restore_msi r = { .bus = 0, .devfn = absent };
    struct physdev_apic ap = { .apic_physbase = 0xfec00000UL, .reg = 1 };

    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), 0, "pci_device_add of the host bridge returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), 0, "reporting it again is not an error");
    CHECK(log_find("PCI 0000:00:00.0 reported by d0", NULL), "the hypervisor logged the report");
    a.seg = 1;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add in segment 1 is -ENODEV");
    a.seg = 0;
    a.devfn = absent;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add of an empty slot is -ENODEV");
    a.bus = 200;
    a.devfn = 0;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add on bus 200 (none) is -ENODEV");
    a.bus = 0;
    a.flags = 0x80;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), -EINVAL, "pci_device_add with unknown flags is -EINVAL");
    a.flags = XEN_PCI_DEV_VIRTFN;
    a.physfn.devfn = absent;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_add, &a), -ENODEV,
             "a virtual function whose physical function does not exist is -ENODEV");
    CHECK_EQ(physdev(PHYSDEVOP_manage_pci_add, &m), 0, "manage_pci_add of the host bridge returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_manage_pci_add_ext, &mx), -EINVAL, "manage_pci_add_ext with is_extfn 5 is -EINVAL");
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_remove, &dev), 0, "pci_device_remove of the host bridge returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_remove, &dev), -ENODEV, "removing it again is -ENODEV");
    dev.seg = 7;
    CHECK_EQ(physdev(PHYSDEVOP_pci_device_remove, &dev), -ENODEV, "pci_device_remove in segment 7 is -ENODEV");
    CHECK_EQ(physdev(PHYSDEVOP_manage_pci_remove, &m), -ENODEV, "manage_pci_remove of an unreported device is -ENODEV");
    CHECK_EQ(physdev(PHYSDEVOP_restore_msi, &r), -ENODEV, "restore_msi of an empty slot is -ENODEV");
    r.devfn = 0;
    CHECK_EQ(physdev(PHYSDEVOP_restore_msi, &r), 0, "restore_msi of a device without messages returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_restore_msi_ext, &dev), -ENODEV, "restore_msi_ext in segment 7 is -ENODEV");

    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), 0, "apic_read of the IO-APIC's version register returns 0");
    CHECK_EQ((ap.value >> 16) & 0xff, 23, "... which says 24 pins (QEMU's IO-APIC)");
    ap.reg = 0x10 + 2 * 4;
    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), 0, "apic_read of pin 4's redirection entry returns 0");
    CHECK(ap.value & (1u << 16), "... masked (COM1's line: the hypervisor polls its console)");
    ap.reg = 3;
    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read of register 3 (none) is -EINVAL");
    ap.reg = 0x10 + 2 * 24;
    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read beyond the last pin is -EINVAL");
    ap.apic_physbase = 0xfee00000UL;
    ap.reg = 1;
    CHECK_EQ(physdev(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read at the local APIC's address is -EINVAL");
}

/* ---- devices QEMU was given for these tests ----------------------------- */

/* Slot of the first bus-0 device with this vendor (and device, unless 0). */
static int find_dev(uint16_t vendor, uint16_t device)
{
    for (unsigned int dev = 0; dev < 32; dev++) {
        uint32_t id = pci_read(dev, 0, 0);

        if ((id & 0xffff) == vendor && (device == 0 || (id >> 16) == device))
            return dev;
    }
    return -1;
}

static unsigned int find_cap(unsigned int dev, uint8_t id)
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
static volatile uint32_t *map_io(uint64_t mfn)
{
    uint8_t *slot = page_alloc();
    uint64_t io = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_PCD;

    if (hv_update_va_mapping((unsigned long)slot, (mfn << PAGE_SHIFT) | io, UVMF_INVLPG) != 0)
        return NULL;
    return (volatile uint32_t *)slot;
}

/* Wait (at most 5 s of system time: a bound, not a measurement) for
 * port to become pending. */
static int wait_pending(evtchn_port_t port)
{
    uint64_t end = pvclock_now() + 5000000000ULL;

    while (!evtchn_is_pending(port))
        if (pvclock_now() > end)
            return 0;
    return 1;
}

static long bind(unsigned int pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq b = { .pirq = pirq };
    long rc = hv_evtchn_op(EVTCHNOP_bind_pirq, &b);

    *port = b.port;
    return rc;
}

static void unbind_unmap(evtchn_port_t port, int pirq)
{
    struct evtchn_close c = { .port = port };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    CHECK_EQ(hv_evtchn_op(EVTCHNOP_close, &c), 0, casename("port of pirq %d closed", pirq));
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), 0, casename("pirq %d unmapped", pirq));
}

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_RAISE  (0x60 / 4)   /* write: raise an interrupt */
#define EDU_ACK    (0x64 / 4)   /* write: acknowledge it */

/* ---- the EOI map, with edu's INTx as the level line --------------------- */

static unsigned long *eoi_map;

static int eoi_bit(unsigned int pirq)
{
    return (__atomic_load_n(&eoi_map[pirq / 64], __ATOMIC_SEQ_CST) >> (pirq % 64)) & 1;
}

static void test_eoi_map(int edu, volatile uint32_t *regs)
{
    struct physdev_pirq_eoi_gmfn g;
    struct physdev_map_pirq m = { .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .pirq = -1 };
    struct physdev_setup_gsi sg = { .triggering = 1, .polarity = 0 };
    struct physdev_eoi e;
    uint64_t l1_ma;
    evtchn_port_t port;
    unsigned int gsi;

    eoi_map = page_alloc();
    pte_lookup((unsigned long)eoi_map, 1, &l1_ma);
    g.gmfn = l1_ma >> PAGE_SHIFT;
    CHECK_EQ(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL,
             "pirq_eoi_gmfn_v2 naming one of our page tables is -EINVAL");
    g.gmfn = ~0UL >> 12;
    CHECK_EQ(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL, "pirq_eoi_gmfn_v2 of a frame beyond RAM is -EINVAL");
    g.gmfn = virt_to_mfn(eoi_map);
    CHECK_EQ(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0, "pirq_eoi_gmfn_v2 of a page of ours returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EBUSY, "registering a second time is -EBUSY");
    CHECK_EQ(set_ro(eoi_map), 0, "the EOI map remapped read-only");
    CHECK(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(eoi_map)) < 0,
          "the EOI map frame cannot be pinned as a page table (writable type reference held)");
    CHECK_EQ(set_rw(eoi_map), 0, "... and mapped writable again");

    if (edu < 0) {
        test_fail("edu device present", "no edu device on bus 0 (ENABLED's qemu: words?)");
        return;
    }
    gsi = pci_read(edu, 0, 0x3c) & 0xff;
    CHECK(gsi >= 5 && gsi < 16, casename("edu's INTx is ISA line %u (a PCI link)", gsi));
    m.index = gsi;
    sg.gsi = gsi;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of edu's GSI returns 0");
    CHECK_EQ(physdev(PHYSDEVOP_setup_gsi, &sg), 0, "setup_gsi level/high returns 0");
    CHECK_EQ(bind(m.pirq, &port), 0, "bind_pirq of it returns 0");
    e.irq = m.pirq;
    CHECK(!eoi_bit(m.pirq), "its EOI map bit is clear while nothing fired");
    regs[EDU_RAISE] = 1;                /* INTx asserted until the ack */
    CHECK(wait_pending(port), "edu's INTx arrives as an event");
    CHECK(eoi_bit(m.pirq), "the hypervisor set the pirq's EOI map bit when the level line fired");
    evtchn_clear_pending(port);
    for (unsigned int i = 0; i < 1000; i++)
        regs[EDU_RAISE] = 1;            /* the line stays asserted */
    CHECK(!evtchn_is_pending(port),
          "no second interrupt while the line is masked awaiting the EOI (no storm)");
    regs[EDU_ACK] = ~0u;                /* the device lowers the line */
    CHECK_EQ(physdev(PHYSDEVOP_eoi, &e), 0, "PHYSDEVOP_eoi returns 0");
    CHECK(!eoi_bit(m.pirq), "the EOI cleared the bit");
    unbind_unmap(port, m.pirq);
}

/* ---- MSI control (edu's MSI, virtio-rng's MSI-X) and restore_msi -------- */

static int edu_pirq = -1;
static evtchn_port_t edu_port;

static void test_msi_filter(int edu)
{
    unsigned int cap = edu >= 0 ? find_cap(edu, 0x05) : 0;
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_MSI_SEG, .pirq = -1, .bus = 0,
    };
    uint32_t lo, data;

    if (cap == 0) {
        test_fail("edu's MSI capability", "edu missing or without MSI");
        return;
    }
    CHECK(pci_read16(edu, cap + 2) & 0x80, "edu's MSI has a 64-bit address (data at +0xc)");
    pci_write16(edu, cap + 2, 1);
    CHECK_EQ(pci_read16(edu, cap + 2) & 1, 0, "MSI enable written before any map_pirq does not stick");
    m.devfn = edu << 3;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of edu's MSI returns 0");
    edu_pirq = m.pirq;
    lo = pci_read(edu, 0, cap + 4);
    data = pci_read16(edu, cap + 0xc);
    CHECK_EQ(lo & 0xfff00000u, 0xfee00000u, "the hypervisor programmed the message address (local APIC)");
    CHECK(data >= 0x30 && data <= 0x7f, "... and a device vector as its data");
    pci_write32(edu, cap + 4, 0xfee0f000u);
    pci_write32(edu, cap + 8, 0x1);
    pci_write16(edu, cap + 0xc, 0xf0);
    CHECK_EQ(pci_read(edu, 0, cap + 4), lo, "dom0's write to the message address is dropped");
    CHECK_EQ(pci_read(edu, 0, cap + 8), 0, "... and to its upper half");
    CHECK_EQ(pci_read16(edu, cap + 0xc), data, "... and to the message data");
    pci_write16(edu, cap + 2, 1 | (5 << 4));
    CHECK_EQ(pci_read16(edu, cap + 2) & 0x71, 1,
             "with a pirq mapped MSI enable sticks; multiple-message enable stays 0");
    CHECK_EQ(bind(edu_pirq, &edu_port), 0, "edu's MSI pirq bound");
    evtchn_clear_pending(edu_port);
    pci_write16(edu, 0x04, pci_read16(edu, 0x04) | 0x6);   /* memory, bus master */
}

static void test_msix_restore(void)
{
    int dev = find_dev(0x1af4, 0);
    unsigned int cap = dev >= 0 ? find_cap(dev, 0x11) : 0;
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_MSI_SEG, .pirq = -1, .bus = 0,
        .entry_nr = 0, .table_base = 1,
    };
    struct physdev_restore_msi r = { .bus = 0 };
    volatile uint32_t *tbl;
    uint32_t t, bar, addr, data;
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF };

    if (cap == 0) {
        test_fail("virtio-rng's MSI-X capability", "no virtio device with MSI-X on bus 0");
        return;
    }
    pci_write16(dev, cap + 2, 0x8000);
    CHECK_EQ(pci_read16(dev, cap + 2) & 0xc000, 0xc000,
             "MSI-X enabled with no entry mapped: the function mask is forced on");
    m.devfn = dev << 3;
    CHECK_EQ(physdev(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of virtio's MSI-X entry 0 returns 0");
    pci_write16(dev, cap + 2, 0x8000);
    CHECK_EQ(pci_read16(dev, cap + 2) & 0xc000, 0x8000, "with an entry mapped dom0 may unmask the function");
    t = pci_read(dev, 0, cap + 4);
    bar = pci_read(dev, 0, 0x10 + 4 * (t & 7));
    pci_write16(dev, 0x04, pci_read16(dev, 0x04) | 0x2);   /* memory decoding */
    tbl = map_io(((bar & ~0xfu) + (t & ~7u)) >> PAGE_SHIFT);
    CHECK(tbl != NULL, "the MSI-X table's page maps");
    if (tbl == NULL)
        return;
    tbl += ((t & ~7u) & 0xfff) / 4;
    addr = tbl[0];
    data = tbl[2];
    CHECK_EQ(addr & 0xfff00000u, 0xfee00000u, "entry 0 holds the hypervisor's message address");
    tbl[0] = 0xfee0f000u;                /* the table is in dom0's BAR: it can */
    tbl[2] = 0xee;
    CHECK_EQ(tbl[2], 0xee, "dom0 overwrote entry 0 through its BAR mapping");
    r.devfn = dev << 3;
    CHECK_EQ(physdev(PHYSDEVOP_restore_msi, &r), 0, "restore_msi of the device returns 0");
    CHECK_EQ(tbl[0], addr, "restore_msi put the message address back");
    CHECK_EQ(tbl[2], data, "... and the data");
    pci_write16(dev, cap + 2, 0);
    CHECK_EQ(pci_read16(dev, cap + 2) & 0x8000, 0, "dom0 may disable MSI-X");
    u.pirq = m.pirq;
    CHECK_EQ(physdev(PHYSDEVOP_unmap_pirq, &u), 0, "the MSI-X pirq unmapped");
}

/* ---- an MSI storm ------------------------------------------------------- */

static void test_storm(int edu, volatile uint32_t *regs)
{
    unsigned int cap = edu >= 0 ? find_cap(edu, 0x05) : 0;
    unsigned long n = 0;
    int seen = 0;
    char needle[48];

    if (edu_pirq < 0 || cap == 0) {
        test_fail("MSI storm", "edu's MSI was not set up");
        return;
    }
    snprintf(needle, sizeof(needle), "d0 pirq %d: interrupt storm", edu_pirq);
    regs[EDU_RAISE] = 1;
    CHECK(wait_pending(edu_port), "one raise of edu's interrupt arrives as an event (MSI)");
    /* Each write to the raise register sends one MSI.  Loop until the
     * hypervisor says it masked the source (at most 2M writes). */
    while (!seen && n < 2000000) {
        for (unsigned int i = 0; i < 256; i++)
            regs[EDU_RAISE] = 1;
        n += 256;
        seen = log_find(needle, NULL);
    }
    printf("storm: %lu raises before the hypervisor masked it\n", n);
    CHECK(seen, "the hypervisor logged the storm and masked the source");
    /* The mask is MSI's enable bit (edu has no per-vector mask); the
     * hypervisor sets it again after the masking time. */
    {
        uint64_t end = pvclock_now() + 5000000000ULL;

        while (!(pci_read16(edu, cap + 2) & 1) && pvclock_now() < end)
            ;
    }
    CHECK(pci_read16(edu, cap + 2) & 1, "after the storm MSI is enabled again");
    evtchn_clear_pending(edu_port);
    regs[EDU_ACK] = ~0u;
    regs[EDU_RAISE] = 1;
    CHECK(wait_pending(edu_port), "and edu's interrupts arrive again");
    regs[EDU_ACK] = ~0u;
    pci_write16(edu, cap + 2, 0);
    unbind_unmap(edu_port, edu_pirq);
}

/* ---- ACPI power control ------------------------------------------------- */

static void test_pm1a_write(void)
{
    unsigned long pm1a = 0;

    CHECK(log_find("ACPI: PM1a control port ", &pm1a) && pm1a != 0,
          "the hypervisor's log names the PM1a control port");
    if (pm1a == 0)
        return;
    /* SLP_TYP 0 (QEMU's S5) and SLP_EN in one 16-bit write: QEMU's PIIX4
     * would power the machine off at once. */
    outw_(pm1a, 1u << 13);
    test_pass("the machine still runs after dom0 wrote S5 to PM1a control");
    CHECK(log_find("dropped (ACPI power control", NULL), "the hypervisor logged the dropped write");
}

static void test_devices(void)
{
    int edu = find_dev(EDU_VENDOR, EDU_DEVICE);
    volatile uint32_t *regs = NULL;
    unsigned int absent = 0;

    for (unsigned int dev = 31; dev > 0 && !absent; dev--)
        if ((pci_read(dev, 0, 0) & 0xffff) == 0xffff)
            absent = dev << 3;
    test_pci_reports(absent);
    if (edu >= 0) {
        pci_write16(edu, 0x04, pci_read16(edu, 0x04) | 0x2);   /* memory decoding */
        regs = map_io((pci_read(edu, 0, 0x10) & ~0xfu) >> PAGE_SHIFT);
        CHECK(regs != NULL && regs[0] >> 16 == 0x0100, "edu's registers map (ID 0x010000ed)");
        if (regs == NULL)
            edu = -1;
    }
    test_eoi_map(edu, regs);
    test_msi_filter(edu);
    test_msix_restore();
    test_storm(edu, regs);
    test_pm1a_write();
}

void test_main(void)
{
    /* Shared info too: a #PF's address is in the vcpu_info; pending bits, pvclock. */
    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    test_ports();
    test_io_bitmap();
    test_io_memory();
    test_machine_map();
    test_hostile_irqs();
    test_gsi_lifecycle();
    test_devices();
}
