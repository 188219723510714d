/*
 * Multiboot2 boot information: copy what we need into boot_info.
 *
 * The information block sits somewhere in RAM that the heap will later
 * own, so nothing may point into it after this runs.  Every tag's size is
 * checked against the block's total size: a broken loader gets an error
 * message, not a wild read.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <asm/bootinfo.h>

#define MB2_TAG_END        0
#define MB2_TAG_CMDLINE    1
#define MB2_TAG_LOADER     2
#define MB2_TAG_MODULE     3
#define MB2_TAG_MMAP       6
#define MB2_TAG_ACPI_OLD  14
#define MB2_TAG_ACPI_NEW  15

struct boot_info boot_info;

struct mb2_tag {
    uint32_t type;
    uint32_t size;
};

/* Copy a string out of a tag, bounded by both the tag and the buffer. */
static void copy_tag_string(char *dst, size_t dstlen, const char *src,
                            size_t srclen)
{
    size_t n = strnlen(src, srclen);

    if ( n >= dstlen )
        n = dstlen - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void parse_mmap(const uint8_t *tag, uint32_t size)
{
    uint32_t entry_size = *(const uint32_t *)(tag + 8);
    const uint8_t *p = tag + 16, *end = tag + size;

    if ( entry_size < 24 )
    {
        printk(XENLOG_ERR "multiboot2: memory map entry size %u too small\n",
               entry_size);
        return;
    }
    for ( ; p + entry_size <= end; p += entry_size )
    {
        struct boot_mmap_entry *e;

        if ( boot_info.nr_mmap == BOOT_MAX_MMAP )
        {
            printk(XENLOG_WARNING "multiboot2: memory map truncated at %u "
                   "entries\n", BOOT_MAX_MMAP);
            return;
        }
        e = &boot_info.mmap[boot_info.nr_mmap++];
        e->addr = *(const uint64_t *)p;
        e->size = *(const uint64_t *)(p + 8);
        e->type = *(const uint32_t *)(p + 16);
    }
}

static void parse_module(const uint8_t *tag, uint32_t size)
{
    struct boot_module *m;

    if ( size < 16 )
        return;
    if ( boot_info.nr_modules == BOOT_MAX_MODULES )
    {
        printk(XENLOG_WARNING "multiboot2: more than %u modules; extra ones "
               "ignored\n", BOOT_MAX_MODULES);
        return;
    }
    m = &boot_info.modules[boot_info.nr_modules++];
    m->start = *(const uint32_t *)(tag + 8);
    m->end = *(const uint32_t *)(tag + 12);
    copy_tag_string(m->cmdline, sizeof(m->cmdline), (const char *)tag + 16,
                    size - 16);
}

int multiboot2_parse(paddr_t mbi_pa)
{
    const uint8_t *mbi = maddr_to_virt(mbi_pa);
    uint32_t total = *(const uint32_t *)mbi;
    uint32_t off = 8;

    if ( total < 16 || total > (1u << 20) )
    {
        printk(XENLOG_ERR "multiboot2: implausible info size %u\n", total);
        return -EINVAL;
    }

    while ( off + sizeof(struct mb2_tag) <= total )
    {
        const struct mb2_tag *tag = (const void *)(mbi + off);
        const uint8_t *t = (const uint8_t *)tag;

        if ( tag->size < sizeof(*tag) || off + tag->size > total )
        {
            printk(XENLOG_ERR "multiboot2: tag %u at offset %u has bad size "
                   "%u\n", tag->type, off, tag->size);
            return -EINVAL;
        }
        switch ( tag->type )
        {
        case MB2_TAG_END:
            return 0;
        case MB2_TAG_CMDLINE:
            copy_tag_string(boot_info.cmdline, sizeof(boot_info.cmdline),
                            (const char *)t + 8, tag->size - 8);
            break;
        case MB2_TAG_LOADER:
            copy_tag_string(boot_info.loader, sizeof(boot_info.loader),
                            (const char *)t + 8, tag->size - 8);
            break;
        case MB2_TAG_MODULE:
            parse_module(t, tag->size);
            break;
        case MB2_TAG_MMAP:
            if ( tag->size >= 16 )
                parse_mmap(t, tag->size);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* Prefer the ACPI 2.0+ copy when both are present. */
            if ( boot_info.rsdp_len == 0 || tag->type == MB2_TAG_ACPI_NEW )
            {
                uint32_t n = min(tag->size - 8, (uint32_t)sizeof(boot_info.rsdp));
                memcpy(boot_info.rsdp, t + 8, n);
                boot_info.rsdp_len = n;
            }
            break;
        default:
            break;
        }
        off += ROUNDUP(tag->size, 8u);
    }
    printk(XENLOG_ERR "multiboot2: information has no end tag\n");
    return -EINVAL;
}
