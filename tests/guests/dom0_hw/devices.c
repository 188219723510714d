/*
 * dom0_hw/devices.c: the devices QEMU was given for this kernel (edu,
 * virtio-rng): device reports (pci_device_add/_remove, manage_pci_*),
 * restore_msi and apic_read with bogus arguments, then dom0_hw/msi.c's
 * tests on them, and a dropped S5 write to ACPI PM1a control.
 */
#include "guest.h"
#include "io.h"
#include "hvlog.h"
#include <public/physdev.h>
#include "dom0_hw.h"

static char logbuf[64 * 1024 + 1];

int log_find(const char *needle, unsigned long *num)
{
    return hvlog_find(needle, num, logbuf, sizeof(logbuf));
}

static void test_pci_reports(unsigned int absent)
{
    struct physdev_pci_device_add a = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_pci_device dev = { .seg = 0, .bus = 0, .devfn = 0 };
    struct physdev_manage_pci m = { .bus = 0, .devfn = 0 };
    struct physdev_manage_pci_ext mx = { .bus = 0, .devfn = 0, .is_extfn = 5 };
    struct physdev_restore_msi r = { .bus = 0, .devfn = absent };
    struct physdev_apic ap = { .apic_physbase = 0xfec00000UL, .reg = 1 };

    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), 0, "pci_device_add of the host bridge returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), 0, "reporting it again is not an error");
    CHECK(log_find("PCI 0000:00:00.0 reported by d0", NULL), "the hypervisor logged the report");
    a.seg = 1;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add in segment 1 is -ENODEV");
    a.seg = 0;
    a.devfn = absent;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add of an empty slot is -ENODEV");
    a.bus = 200;
    a.devfn = 0;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), -ENODEV, "pci_device_add on bus 200 (none) is -ENODEV");
    a.bus = 0;
    a.flags = 0x80;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), -EINVAL, "pci_device_add with unknown flags is -EINVAL");
    a.flags = XEN_PCI_DEV_VIRTFN;
    a.physfn.devfn = absent;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_add, &a), -ENODEV,
             "a virtual function whose physical function does not exist is -ENODEV");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_manage_pci_add, &m), 0, "manage_pci_add of the host bridge returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_manage_pci_add_ext, &mx), -EINVAL, "manage_pci_add_ext with is_extfn 5 is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_remove, &dev), 0, "pci_device_remove of the host bridge returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_remove, &dev), -ENODEV, "removing it again is -ENODEV");
    dev.seg = 7;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_pci_device_remove, &dev), -ENODEV, "pci_device_remove in segment 7 is -ENODEV");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_manage_pci_remove, &m), -ENODEV, "manage_pci_remove of an unreported device is -ENODEV");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_restore_msi, &r), -ENODEV, "restore_msi of an empty slot is -ENODEV");
    r.devfn = 0;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_restore_msi, &r), 0, "restore_msi of a device without messages returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_restore_msi_ext, &dev), -ENODEV, "restore_msi_ext in segment 7 is -ENODEV");

    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_read, &ap), 0, "apic_read of the IO-APIC's version register returns 0");
    CHECK_EQ((ap.value >> 16) & 0xff, 23, "... which says 24 pins (QEMU's IO-APIC)");
    ap.reg = 0x10 + 2 * 4;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_read, &ap), 0, "apic_read of pin 4's redirection entry returns 0");
    CHECK(ap.value & (1u << 16), "... masked (COM1's line: the hypervisor polls its console)");
    ap.reg = 3;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read of register 3 (none) is -EINVAL");
    ap.reg = 0x10 + 2 * 24;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read beyond the last pin is -EINVAL");
    ap.apic_physbase = 0xfee00000UL;
    ap.reg = 1;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_read, &ap), -EINVAL, "apic_read at the local APIC's address is -EINVAL");
}

static void test_pm1a_write(void)
{
    unsigned long pm1a = 0;

    CHECK(log_find("ACPI: PM1a control port ", &pm1a) && pm1a != 0,
          "the hypervisor's log names the PM1a control port");
    if (pm1a == 0)
        return;
    /* SLP_TYP 0 (QEMU's S5) and SLP_EN in one 16-bit write: QEMU's PIIX4
     * would power the machine off at once. */
    outw(pm1a, 1u << 13);
    test_pass("the machine still runs after dom0 wrote S5 to PM1a control");
    CHECK(log_find("dropped (ACPI power control", NULL), "the hypervisor logged the dropped write");
}

void test_devices(void)
{
    int edu = find_dev(EDU_VENDOR, EDU_DEVICE);
    volatile uint32_t *regs = NULL;
    unsigned int absent = pci_empty_devfn();

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
