/*
 * ACPI table reading: just enough to find the CPUs and to power off.
 *
 * Tables live in firmware memory that the direct map may not cover (QEMU
 * puts them in an E820 "reserved" range), so each one is mapped read-only
 * before it is read, and every length and checksum is checked before use.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/smp.h>
#include <xen/mm.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/bootinfo.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/processor.h>

struct acpi_info acpi_info;
unsigned int cpu_apic_id[NR_CPUS];

struct __packed rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
};

struct __packed sdt_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
};

#define MAX_TABLE_LEN (1u << 20)

static bool checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for ( size_t i = 0; i < len; i++ )
        sum += b[i];
    return sum == 0;
}

/* Map [pa, pa+len) read-only through the direct map, page by page, where
 * it is not mapped yet (RAM already is, and must stay writable). */
static const void *firmware_map(paddr_t pa, size_t len)
{
    paddr_t p;

    for ( p = pa & PAGE_MASK; p < pa + len; p += PAGE_SIZE )
        if ( !va_is_mapped((unsigned long)maddr_to_virt(p)) )
            map_pages((unsigned long)maddr_to_virt(p), p, 1, MAP_RO | MAP_NX,
                      false);
    return maddr_to_virt(pa);
}

static const struct sdt_header *table_map(paddr_t pa)
{
    const struct sdt_header *h = firmware_map(pa, sizeof(*h));

    if ( h->length < sizeof(*h) || h->length > MAX_TABLE_LEN )
    {
        printk(XENLOG_WARNING "ACPI: table at %#lx has bad length %u\n",
               (unsigned long)pa, h->length);
        return NULL;
    }
    h = firmware_map(pa, h->length);
    if ( !checksum_ok(h, h->length) )
    {
        printk(XENLOG_WARNING "ACPI: table %.4s at %#lx fails its checksum\n",
               h->signature, (unsigned long)pa);
        return NULL;
    }
    return h;
}

static const struct rsdp *find_rsdp(void)
{
    if ( boot_info.rsdp_len >= 20 )
        return (const struct rsdp *)boot_info.rsdp;
    /* No copy from the loader: the BIOS area, on 16-byte boundaries. */
    for ( paddr_t p = 0xe0000; p < 0x100000; p += 16 )
    {
        const struct rsdp *r = firmware_map(p, 36);
        if ( !memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20) )
            return r;
    }
    return NULL;
}

static void parse_madt(const struct sdt_header *h)
{
    const uint8_t *p = (const uint8_t *)h + 44;
    const uint8_t *end = (const uint8_t *)h + h->length;
    unsigned int bsp_id = apic_read_id_early();

    acpi_info.lapic_addr = *(const uint32_t *)((const uint8_t *)h + 36);
    /* The boot CPU is CPU 0 whatever its place in the table. */
    cpu_apic_id[0] = bsp_id;
    acpi_info.nr_cpus = 1;

    while ( p + 2 <= end && p[1] >= 2 && p + p[1] <= end )
    {
        unsigned int type = p[0], len = p[1];
        uint32_t apic_id = ~0u, flags = 0;

        if ( type == 0 && len >= 8 )            /* processor local APIC */
        {
            apic_id = p[3];
            flags = *(const uint32_t *)(p + 4);
        }
        else if ( type == 9 && len >= 16 )      /* processor local x2APIC */
        {
            apic_id = *(const uint32_t *)(p + 4);
            flags = *(const uint32_t *)(p + 8);
        }
        else if ( type == 1 && len >= 12 )      /* IO-APIC */
        {
            if ( acpi_info.nr_ioapics < ARRAY_SIZE(acpi_info.ioapic_addr) )
                acpi_info.ioapic_addr[acpi_info.nr_ioapics++] =
                    *(const uint32_t *)(p + 4);
        }
        else if ( type == 5 && len >= 12 )      /* 64-bit LAPIC address */
            acpi_info.lapic_addr = *(const uint64_t *)(p + 4);

        if ( apic_id != ~0u && (flags & 1) && apic_id != bsp_id )
        {
            if ( acpi_info.nr_cpus < NR_CPUS )
                cpu_apic_id[acpi_info.nr_cpus++] = apic_id;
            else
                printk(XENLOG_WARNING "ACPI: CPU with APIC id %u ignored "
                       "(NR_CPUS=%u)\n", apic_id, NR_CPUS);
        }
        p += len;
    }
    nr_cpu_ids = acpi_info.nr_cpus;
}

/* Find "_S5_" in the DSDT's AML and read its two SLP_TYP values.  The
 * package is small and encoded simply enough on every firmware we meet
 * (QEMU included) that a byte scan is enough; failure just means no ACPI
 * poweroff. */
static void parse_s5(const struct sdt_header *dsdt)
{
    const uint8_t *p = (const uint8_t *)dsdt + sizeof(*dsdt);
    const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

    for ( ; p + 12 < end; p++ )
    {
        uint8_t v[2];
        const uint8_t *q;

        if ( memcmp(p, "_S5_", 4) || p[4] != 0x12 )   /* PackageOp */
            continue;
        q = p + 5;
        q += ((*q >> 6) & 3) + 1;       /* PkgLength */
        q++;                            /* NumElements */
        for ( unsigned int i = 0; i < 2; i++ )
        {
            if ( *q == 0x0a )           /* BytePrefix */
            {
                v[i] = q[1];
                q += 2;
            }
            else if ( *q <= 1 )         /* ZeroOp / OneOp */
                v[i] = *q++;
            else
                return;
        }
        acpi_info.s5_typa = v[0] & 7;
        acpi_info.s5_typb = v[1] & 7;
        acpi_info.s5_valid = true;
        return;
    }
}

static void parse_fadt(const struct sdt_header *h)
{
    const uint8_t *f = (const uint8_t *)h;
    paddr_t dsdt = 0;

    if ( h->length < 76 )
        return;
    acpi_info.pm1a_cnt = *(const uint32_t *)(f + 64);
    acpi_info.pm1b_cnt = *(const uint32_t *)(f + 68);
    dsdt = *(const uint32_t *)(f + 40);
    if ( h->length >= 148 && *(const uint64_t *)(f + 140) )
        dsdt = *(const uint64_t *)(f + 140);
    /* RESET_REG_SUP (flags bit 10), then the reset register (a Generic
     * Address Structure at 116: space, width, offset, access size, address)
     * and its value at 128.  Only a System I/O register is used (q35's
     * and most PCs' is port 0xcf9; QEMU pc's revision-1 FADT has none). */
    if ( h->length >= 129 && (*(const uint32_t *)(f + 112) & (1u << 10)) &&
         f[116] == 1 && *(const uint64_t *)(f + 120) &&
         *(const uint64_t *)(f + 120) <= 0xffff )
    {
        acpi_info.reset_port = *(const uint64_t *)(f + 120);
        acpi_info.reset_value = f[128];
    }
    if ( dsdt )
    {
        const struct sdt_header *d = table_map(dsdt);
        if ( d && !memcmp(d->signature, "DSDT", 4) )
            parse_s5(d);
    }
}

int acpi_init(void)
{
    const struct rsdp *r = find_rsdp();
    const struct sdt_header *root;
    bool xsdt;
    unsigned int n, entry_size;

    if ( !r )
    {
        printk(XENLOG_WARNING "ACPI: no RSDP found; running on the boot CPU "
               "only\n");
        return -ENOENT;
    }
    memcpy(acpi_info.oem_id, r->oem_id, 6);
    xsdt = r->revision >= 2 && r->xsdt;
    root = table_map(xsdt ? r->xsdt : r->rsdt);
    if ( !root )
        return -ENOENT;
    entry_size = xsdt ? 8 : 4;
    n = (root->length - sizeof(*root)) / entry_size;

    for ( unsigned int i = 0; i < n; i++ )
    {
        const uint8_t *e = (const uint8_t *)(root + 1) + i * entry_size;
        paddr_t pa = xsdt ? *(const uint64_t *)e : *(const uint32_t *)e;
        const struct sdt_header *t = pa ? table_map(pa) : NULL;

        if ( !t )
            continue;
        if ( !memcmp(t->signature, "APIC", 4) )
            parse_madt(t);
        else if ( !memcmp(t->signature, "FACP", 4) )
            parse_fadt(t);
    }
    printk("ACPI: OEM '%s', %u CPU(s), %u IO-APIC(s), local APIC at %#lx%s\n",
           acpi_info.oem_id, acpi_info.nr_cpus, acpi_info.nr_ioapics,
           (unsigned long)acpi_info.lapic_addr,
           acpi_info.s5_valid ? ", S5 poweroff available" : "");
    if ( acpi_info.pm1a_cnt )
        printk("ACPI: PM1a control port %#x, PM1b %#x\n",
               acpi_info.pm1a_cnt, acpi_info.pm1b_cnt);
    if ( acpi_info.reset_port )
        printk("ACPI: reset register: port %#x, value %#x\n",
               acpi_info.reset_port, acpi_info.reset_value);
    return 0;
}

void acpi_poweroff(void)
{
    if ( !acpi_info.s5_valid || !acpi_info.pm1a_cnt )
        return;
    outw(acpi_info.pm1a_cnt, (acpi_info.s5_typa << 10) | (1u << 13));
    if ( acpi_info.pm1b_cnt )
        outw(acpi_info.pm1b_cnt, (acpi_info.s5_typb << 10) | (1u << 13));
}

void acpi_s5_fallback(uint8_t typa, uint8_t typb)
{
    if ( acpi_info.s5_valid )
        return;
    acpi_info.s5_typa = typa;
    acpi_info.s5_typb = typb;
    acpi_info.s5_valid = true;
}

void acpi_reset(void)
{
    if ( acpi_info.reset_port )
        outb(acpi_info.reset_port, acpi_info.reset_value);
}
