/*
 * Per-domain I/O permissions (xen/common/rangeset.c, arch/x86/io-perm.c)
 * and their use by the page-table code: a domain maps I/O memory only
 * where its own set says so, never RAM, the hypervisor's frames or the
 * APIC pages; port access likewise, never the hypervisor's ports.  A
 * domain that was given nothing (every domU today) gets -EPERM for every
 * I/O frame, exactly as dom0 does for the APIC pages.
 */
#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/rangeset.h>
#include <asm/io-perm.h>
#include <asm/io-bitmap.h>
#include <asm/apic.h>
#include <asm/acpi.h>
#include <asm/pv-mm.h>

static void rangeset_basics(void)
{
    struct rangeset rs = { 0 };

    CHECK(!rangeset_contains(&rs, 0, 0));
    CHECK_EQ(rangeset_add(&rs, 10, 5), -EINVAL);
    CHECK_EQ(rangeset_add(&rs, 10, 20), 0);
    CHECK_EQ(rangeset_add(&rs, 30, 40), 0);
    CHECK_EQ(rs.nr, 2);
    CHECK(rangeset_contains(&rs, 10, 20));
    CHECK(!rangeset_contains(&rs, 10, 21));
    CHECK(!rangeset_contains(&rs, 20, 30));     /* spans the gap */
    CHECK(rangeset_overlaps(&rs, 20, 30));
    CHECK(!rangeset_overlaps(&rs, 21, 29));
    CHECK_EQ(rangeset_add(&rs, 21, 29), 0);     /* touching: one range */
    CHECK_EQ(rs.nr, 1);
    CHECK(rangeset_contains(&rs, 10, 40));
    CHECK_EQ(rangeset_remove(&rs, 15, 15), 0);  /* split */
    CHECK_EQ(rs.nr, 2);
    CHECK(!rangeset_contains(&rs, 15, 15));
    CHECK(rangeset_contains(&rs, 16, 40));
    CHECK_EQ(rangeset_remove(&rs, 0, 12), 0);   /* trims the front */
    CHECK(rangeset_contains(&rs, 13, 14) && !rangeset_contains(&rs, 12, 12));
    CHECK_EQ(rangeset_remove(&rs, 0, ~0UL), 0);
    CHECK_EQ(rs.nr, 0);
    CHECK_EQ(rangeset_add(&rs, 0, ~0UL), 0);
    CHECK(rangeset_contains(&rs, ~0UL, ~0UL));
}

/* A full set refuses what would need another slot and is unchanged. */
static void rangeset_full(void)
{
    struct rangeset rs = { 0 }, copy;

    for ( unsigned long i = 0; i < RANGESET_MAX; i++ )
        CHECK_EQ(rangeset_add(&rs, i * 10, i * 10 + 5), 0);
    copy = rs;
    CHECK_EQ(rangeset_add(&rs, 1000, 1001), -ENOSPC);
    CHECK_EQ(rangeset_remove(&rs, 12, 13), -ENOSPC);   /* split of 10..15 */
    CHECK(memcmp(&rs, &copy, sizeof(rs)) == 0);
    CHECK_EQ(rangeset_add(&rs, 6, 9), 0);               /* merges two */
    CHECK_EQ(rs.nr, RANGESET_MAX - 1);
    CHECK_EQ(rangeset_remove(&rs, 12, 13), 0);
}

static void machine_grant_ports(void)
{
    struct domain *d0 = new_domain(0, true, 64);
    struct domain *du = new_domain(1, false, 64);

    CHECK_EQ(io_perm_grant_machine(d0), 0);
    CHECK(io_ports_permitted(d0, 0xcf8, 4));
    CHECK(io_ports_permitted(d0, 0xcfc, 4));
    CHECK(io_ports_permitted(d0, 0xc000, 2));
    CHECK(io_ports_permitted(d0, 0xf4, 1));            /* isa-debug-exit */
    CHECK(!io_ports_permitted(d0, 0x20, 1));            /* PIC */
    CHECK(!io_ports_permitted(d0, 0xa1, 1));
    CHECK(!io_ports_permitted(d0, 0x43, 1));            /* PIT */
    CHECK(!io_ports_permitted(d0, 0x61, 1));
    CHECK(!io_ports_permitted(d0, 0x3f8, 1));           /* console */
    CHECK(!io_ports_permitted(d0, 0x3f6, 4));           /* runs into it */
    CHECK(!io_ports_permitted(d0, 0xfffe, 4));          /* past 0xffff */
    /* A set naming a hypervisor port does not make it usable. */
    CHECK_EQ(rangeset_add(&du->ioports, 0x20, 0x21), 0);
    CHECK(!io_ports_permitted(du, 0x20, 1));
    CHECK(!io_ports_permitted(du, 0xcf8, 4));           /* never given */
}

static void io_memory_mappings(void)
{
    struct domain *d0 = new_domain(0, true, 64);
    struct domain *du = new_domain(1, false, 64);
    mfn_t mmio = HOST_FRAMES + 100, lapic = lapic_phys >> PAGE_SHIFT;
    struct tree t0, tu;

    CHECK_EQ(io_perm_grant_machine(d0), 0);
    build_tree(d0, &t0);
    build_tree(du, &tu);
    CHECK_EQ(pv_pin_table(d0, t0.l1, 1), 0);
    CHECK_EQ(pv_pin_table(du, tu.l1, 1), 0);

    /* dom0: device memory yes; APIC pages, RAM, hypervisor frames no. */
    CHECK_EQ(pv_update_entry(mfn_to_page(t0.l1), 1, 8,
                             mkpte(mmio, PTE_RW | _PAGE_PCD), d0, NULL,
                             false), 0);
    CHECK_EQ(pv_update_entry(mfn_to_page(t0.l1), 1, 9,
                             mkpte(lapic, PTE_RW), d0, NULL, false), -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(t0.l1), 1, 9,
                             mkpte(m2p_chunk_mfn(0), PTE_RO), d0, NULL,
                             false), -EINVAL);
    CHECK_EQ(pv_update_entry(mfn_to_page(t0.l1), 1, 9,
                             mkpte(free_heap_frame(), PTE_RO), d0, NULL,
                             false), -EINVAL);

    /* domU: -EPERM, whatever the frame. */
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8, mkpte(mmio, PTE_RO),
                             du, NULL, false), -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8, mkpte(0xa0, PTE_RO),
                             du, NULL, false), -EPERM);
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8, mkpte(lapic, PTE_RO),
                             du, NULL, false), -EPERM);
    /* A hypervisor frame in use is refused before any I/O question, as
     * for every domain. */
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8,
                             mkpte(m2p_chunk_mfn(0), PTE_RO), du, NULL,
                             false), -EINVAL);
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8,
                             mkpte(free_heap_frame(), PTE_RO), du, NULL,
                             false), -EPERM);
    /* ... until it is given the frame, as a driver domain would be; even
     * then never RAM. */
    CHECK_EQ(rangeset_add(&du->iomem, mmio, mmio), 0);
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 8, mkpte(mmio, PTE_RO),
                             du, NULL, false), 0);
    CHECK_EQ(rangeset_add(&du->iomem, 0, HOST_FRAMES - 1), 0);
    CHECK_EQ(pv_update_entry(mfn_to_page(tu.l1), 1, 9,
                             mkpte(free_heap_frame(), PTE_RO), du, NULL,
                             false), -EINVAL);
    CHECK_EQ(mm_audit_domain(d0), 0);
    CHECK_EQ(mm_audit_domain(du), 0);
}

/* Writes to PM1 control and the reset register are the hypervisor's
 * (QEMU pc's ports: PM1a control 0x604; a reset register at 0xcf9 as
 * q35's FADT has), reads are not; the PCI address register 0xcf8 around
 * 0xcf9 stays the domain's. */
static void acpi_power_ports(void)
{
    struct acpi_info saved = acpi_info;

    acpi_info.pm1a_cnt = 0x604;
    acpi_info.pm1b_cnt = 0;
    acpi_info.reset_port = 0xcf9;
    acpi_info.reset_value = 0x06;
    CHECK(io_port_write_is_hypervisors(0x604, 2));
    CHECK(io_port_write_is_hypervisors(0x605, 1));
    CHECK(io_port_write_is_hypervisors(0x604, 1));
    CHECK(io_port_write_is_hypervisors(0x600, 8));     /* spans it */
    CHECK(io_port_write_is_hypervisors(0x603, 2));     /* overlaps 0x604 */
    CHECK(!io_port_write_is_hypervisors(0x600, 4));    /* PM1 event block */
    CHECK(!io_port_write_is_hypervisors(0x606, 2));
    CHECK(!io_port_write_is_hypervisors(0x0, 1));      /* no PM1b: not port 0 */
    CHECK(io_port_write_is_hypervisors(0xcf9, 1));
    CHECK(!io_port_write_is_hypervisors(0xcf8, 4));    /* PCI address */
    CHECK(!io_port_write_is_hypervisors(0xcfc, 4));
    /* Linux's S5 write #1 (SLP_TYP, no SLP_EN: bit 13) is inert and
     * dropped without a log line; one with SLP_EN, or a reset, is not. */
    CHECK(io_power_write_is_inert(0x604, 2, 0x0001));  /* SCI_EN only */
    CHECK(io_power_write_is_inert(0x604, 2, 0x1c01));  /* SLP_TYP 7 */
    CHECK(!io_power_write_is_inert(0x604, 2, 0x2001)); /* SLP_EN */
    CHECK(!io_power_write_is_inert(0x604, 2, 0x3c01));
    CHECK(!io_power_write_is_inert(0x605, 1, 0x20));   /* high byte */
    CHECK(io_power_write_is_inert(0x605, 1, 0x1c));
    CHECK(io_power_write_is_inert(0x604, 1, 0xff));    /* low byte only */
    CHECK(!io_power_write_is_inert(0x604, 4, 0x2000)); /* dword at 0x604 */
    CHECK(io_power_write_is_inert(0x603, 2, 0x2000));  /* 0x604's low byte */
    CHECK(!io_power_write_is_inert(0xcf9, 1, 0x06));   /* reset */
    acpi_info.pm1b_cnt = 0x640;
    CHECK(io_port_write_is_hypervisors(0x641, 1));
    CHECK(!io_power_write_is_inert(0x640, 2, 0x2000));
    CHECK(io_power_write_is_inert(0x640, 2, 0x1c00));
    /* No FADT: nothing is held back. */
    acpi_info.pm1a_cnt = acpi_info.pm1b_cnt = acpi_info.reset_port = 0;
    CHECK(!io_port_write_is_hypervisors(0x604, 2));
    CHECK(!io_port_write_is_hypervisors(0xcf9, 1));
    acpi_info = saved;
}

/* Does d's TSS bitmap let port through (bit clear)? */
static bool bitmap_open(const struct domain *d, unsigned int port)
{
    return !(d->arch.io_bitmap[port / 8] & (1u << (port % 8)));
}

/*
 * The TSS I/O bitmap (io_bitmap_build): dom0's opens exactly the ports it
 * may use minus those the hypervisor must always see (PCI configuration,
 * PM1 control, the reset register, PIC, PIT, COM1); a domain with no port
 * (every domU) or with only such ports gets none at all; a driver domain
 * given a range gets that range and nothing else; every rebuild is a new
 * generation (CPUs copy again).
 */
static void io_bitmap_policy(void)
{
    struct acpi_info saved = acpi_info;
    struct domain *d0 = new_domain(0, true, 64);
    struct domain *du = new_domain(1, false, 64);
    struct domain *dd = new_domain(2, false, 64);
    unsigned int open = 0, wrong = 0;
    uint64_t gen;

    acpi_info.pm1a_cnt = 0x604;
    acpi_info.reset_port = 0xcf9;
    CHECK_EQ(io_perm_grant_machine(d0), 0);
    CHECK(d0->arch.io_bitmap != NULL);
    for ( unsigned int p = 0; p <= 0xffff; p++ )
    {
        bool want = io_ports_permitted(d0, p, 1) && !io_port_always_traps(p);

        open += bitmap_open(d0, p);
        wrong += bitmap_open(d0, p) != want;
    }
    CHECK_EQ(wrong, 0);
    CHECK(open > 65000);
    CHECK(bitmap_open(d0, 0x510) && bitmap_open(d0, 0x511));   /* fw_cfg */
    CHECK(bitmap_open(d0, 0xc000) && bitmap_open(d0, 0xf4));
    CHECK(bitmap_open(d0, 0x600));                  /* PM1 event block */
    CHECK(!bitmap_open(d0, 0x604) && !bitmap_open(d0, 0x605));
    for ( unsigned int p = 0xcf8; p <= 0xcff; p++ )
        CHECK(!bitmap_open(d0, p));                 /* MSI filtering */
    CHECK(!bitmap_open(d0, 0x20) && !bitmap_open(d0, 0xa1));
    CHECK(!bitmap_open(d0, 0x40) && !bitmap_open(d0, 0x43));
    CHECK(!bitmap_open(d0, 0x61));
    CHECK(!bitmap_open(d0, 0x3f8) && !bitmap_open(d0, 0x3ff));

    /* A domU: no ports, no bitmap. */
    CHECK_EQ(io_bitmap_build(du), 0);
    CHECK(du->arch.io_bitmap == NULL);
    /* Only ports that must trap: still no bitmap. */
    CHECK_EQ(rangeset_add(&du->ioports, 0x20, 0x21), 0);
    CHECK_EQ(rangeset_add(&du->ioports, 0xcf8, 0xcff), 0);
    CHECK_EQ(io_bitmap_build(du), 0);
    CHECK(du->arch.io_bitmap == NULL);

    /* A driver domain given 0x300-0x30f: exactly those. */
    CHECK_EQ(rangeset_add(&dd->ioports, 0x300, 0x30f), 0);
    CHECK_EQ(io_bitmap_build(dd), 0);
    CHECK(dd->arch.io_bitmap != NULL);
    open = 0;
    for ( unsigned int p = 0; p <= 0xffff; p++ )
        open += bitmap_open(dd, p);
    CHECK_EQ(open, 16);
    CHECK(bitmap_open(dd, 0x300) && bitmap_open(dd, 0x30f));
    CHECK(dd->arch.io_bitmap_gen != d0->arch.io_bitmap_gen);
    /* Revoked: the rebuild closes the range and is a new generation. */
    gen = dd->arch.io_bitmap_gen;
    CHECK_EQ(rangeset_remove(&dd->ioports, 0x300, 0x307), 0);
    CHECK_EQ(io_bitmap_build(dd), 0);
    CHECK(dd->arch.io_bitmap_gen != gen);
    CHECK(!bitmap_open(dd, 0x300) && bitmap_open(dd, 0x308));
    arch_io_perm_release(dd);
    CHECK(dd->arch.io_bitmap == NULL);
    acpi_info = saved;
}

/*
 * Boot option io_bitmap=0: dom0 keeps every port in its set (the emulator
 * still performs them) but gets no bitmap, so every access traps; turned
 * back on, a rebuild gives the bitmap again.
 */
static void io_bitmap_option_off(void)
{
    struct domain *d0 = new_domain(0, true, 64);

    opt_io_bitmap = false;
    CHECK_EQ(io_perm_grant_machine(d0), 0);
    CHECK(d0->arch.io_bitmap == NULL);
    CHECK(io_ports_permitted(d0, 0x510, 1) && io_ports_permitted(d0, 0xc000, 4));
    opt_io_bitmap = true;
    CHECK_EQ(io_bitmap_build(d0), 0);
    CHECK(d0->arch.io_bitmap != NULL && bitmap_open(d0, 0x510));
    arch_io_perm_release(d0);
}

const struct test_case ioperm_cases[] = {
    { "io-bitmap-policy", io_bitmap_policy },
    { "io-bitmap-option-off", io_bitmap_option_off },
    { "acpi-power-ports", acpi_power_ports },
    { "rangeset-basics", rangeset_basics },
    { "rangeset-full", rangeset_full },
    { "machine-grant-ports", machine_grant_ports },
    { "io-memory-mappings", io_memory_mappings },
    { NULL, NULL },
};
