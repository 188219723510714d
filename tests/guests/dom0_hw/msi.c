/*
 * dom0_hw/msi.c: interrupts of QEMU's edu and virtio-rng devices: the
 * EOI map with edu's INTx as a level line, MSI control kept the
 * hypervisor's (edu's MSI, virtio-rng's MSI-X, restore_msi), and an MSI
 * storm masked and recovered from.
 */
#include "guest.h"
#include "pt.h"
#include <public/physdev.h>
#include "dom0_hw.h"

/* ---- the EOI map, with edu's INTx as the level line --------------------- */

static unsigned long *eoi_map;

static int eoi_bit(unsigned int pirq)
{
    return (__atomic_load_n(&eoi_map[pirq / 64], __ATOMIC_SEQ_CST) >> (pirq % 64)) & 1;
}

void test_eoi_map(int edu, volatile uint32_t *regs)
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL,
             "pirq_eoi_gmfn_v2 naming one of our page tables is -EINVAL");
    g.gmfn = ~0UL >> 12;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EINVAL, "pirq_eoi_gmfn_v2 of a frame beyond RAM is -EINVAL");
    g.gmfn = virt_to_mfn(eoi_map);
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0, "pirq_eoi_gmfn_v2 of a page of ours returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -EBUSY, "registering a second time is -EBUSY");
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of edu's GSI returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_setup_gsi, &sg), 0, "setup_gsi level/high returns 0");
    CHECK_EQ(pirq_bind(m.pirq, &port), 0, "bind_pirq of it returns 0");
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_eoi, &e), 0, "PHYSDEVOP_eoi returns 0");
    CHECK(!eoi_bit(m.pirq), "the EOI cleared the bit");
    pirq_unbind_unmap(port, m.pirq);
}

/* ---- MSI control (edu's MSI, virtio-rng's MSI-X) and restore_msi -------- */

static int edu_pirq = -1;
static evtchn_port_t edu_port;

void test_msi_filter(int edu)
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of edu's MSI returns 0");
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
    CHECK_EQ(pirq_bind(edu_pirq, &edu_port), 0, "edu's MSI pirq bound");
    evtchn_clear_pending(edu_port);
    pci_write16(edu, 0x04, pci_read16(edu, 0x04) | 0x6);   /* memory, bus master */
}

void test_msix_restore(void)
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of virtio's MSI-X entry 0 returns 0");
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
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_restore_msi, &r), 0, "restore_msi of the device returns 0");
    CHECK_EQ(tbl[0], addr, "restore_msi put the message address back");
    CHECK_EQ(tbl[2], data, "... and the data");
    pci_write16(dev, cap + 2, 0);
    CHECK_EQ(pci_read16(dev, cap + 2) & 0x8000, 0, "dom0 may disable MSI-X");
    u.pirq = m.pirq;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), 0, "the MSI-X pirq unmapped");
}

/* ---- an MSI storm ------------------------------------------------------- */

void test_storm(int edu, volatile uint32_t *regs)
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
    pirq_unbind_unmap(edu_port, edu_pirq);
}
