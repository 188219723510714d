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
 *    "BENCH: io" line, printed for make bench).
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

static inline void outw_(uint16_t port, uint16_t v)
{
    asm volatile("outw %0, %1" :: "a"(v), "Nd"(port));
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

void test_main(void)
{
    /* Shared info too: a #PF's address is in the vcpu_info. */
    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    test_ports();
    test_io_bitmap();
    test_io_memory();
    test_machine_map();
    test_hostile_irqs();
    test_gsi_lifecycle();
}
