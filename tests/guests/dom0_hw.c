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
 *
 * This file: ports, I/O memory and the memory map.  dom0_hw/: pci.c
 * (bus 0's configuration space), pirq.c (hostile requests, a GSI's
 * life), io_bitmap.c, devices.c and msi.c (the edu and virtio-rng tests).
 */
#include "guest.h"
#include "io.h"
#include "pt.h"
#include "dom0_hw/dom0_hw.h"

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
    CHECK_EQ(hv_set_iopl(1), 0,
             "PHYSDEVOP_set_iopl 1 (as Linux's dom0) returns 0");
    outl(0xcf8, 0x80000000u);
    CHECK_EQ(inl(0xcf8), 0x80000000u, "the PCI address latch 0xcf8 reads back what was written");
    CHECK_EQ(pci_read(0, 0, 0) & 0xffff, 0x8086, "PCI 00:00.0 (the host bridge) has vendor 0x8086");
    outb(0x3ff, 0x33);
    CHECK_EQ(inb(0x3ff), 0xff, "COM1's scratch register (the console's) is not ours: reads all ones");
    CHECK_EQ(inw(0x3f7), 0xffff, "a 16-bit read straddling into COM1 reads all ones");
    CHECK_EQ(inb(0x21), 0xff, "the PIC's mask register reads all ones");
    test_string_ports();
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
