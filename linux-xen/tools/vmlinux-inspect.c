/*
 * vmlinux-inspect: check and describe the kernel ELF our hypervisor loads.
 *
 *   vmlinux-inspect check ELF   validate (ELF64, x86-64, ET_EXEC, segments
 *                               inside the file) and list the PT_LOADs
 *   vmlinux-inspect notes ELF   decode the "Xen" ELF notes, one per line as
 *                               "XEN_ELFNOTE_NAME (type): value"; fails if
 *                               the kernel has no XEN_ELFNOTE_ENTRY, since
 *                               then it cannot start as a PV guest at all
 *
 * Exit status: 0 ok, 1 bad image, 2 usage.
 */
#include "elf64-image.h"

#include <stdio.h>
#include <string.h>

/* Note types, numbered as in Xen's public elfnote.h. */
enum note_kind { NOTE_STRING, NOTE_NUMBER, NOTE_FEATURE_BITS, NOTE_MASK_PAIRS, NOTE_RAW };

struct note_desc {
    const char *name;
    enum note_kind kind;
};

static const struct note_desc xen_notes[] = {
    [0]  = { "INFO",               NOTE_RAW },
    [1]  = { "ENTRY",              NOTE_NUMBER },
    [2]  = { "HYPERCALL_PAGE",     NOTE_NUMBER },
    [3]  = { "VIRT_BASE",          NOTE_NUMBER },
    [4]  = { "PADDR_OFFSET",       NOTE_NUMBER },
    [5]  = { "XEN_VERSION",        NOTE_STRING },
    [6]  = { "GUEST_OS",           NOTE_STRING },
    [7]  = { "GUEST_VERSION",      NOTE_STRING },
    [8]  = { "LOADER",             NOTE_STRING },
    [9]  = { "PAE_MODE",           NOTE_STRING },
    [10] = { "FEATURES",           NOTE_STRING },
    [11] = { "BSD_SYMTAB",         NOTE_STRING },
    [12] = { "HV_START_LOW",       NOTE_NUMBER },
    [13] = { "L1_MFN_VALID",       NOTE_MASK_PAIRS },
    [14] = { "SUSPEND_CANCEL",     NOTE_NUMBER },
    [15] = { "INIT_P2M",           NOTE_NUMBER },
    [16] = { "MOD_START_PFN",      NOTE_NUMBER },
    [17] = { "SUPPORTED_FEATURES", NOTE_FEATURE_BITS },
    [18] = { "PHYS32_ENTRY",       NOTE_NUMBER },
};
#define XEN_NOTE_TYPES (sizeof xen_notes / sizeof xen_notes[0])
#define NOTE_ENTRY 1

/* XENFEAT_* bit names (Xen public features.h), for SUPPORTED_FEATURES. */
static const char *const feature_bits[] = {
    "writable_page_tables", "writable_descriptor_tables", "auto_translated_physmap",
    "supervisor_mode_kernel", "pae_pgdir_above_4gb", "mmu_pt_update_preserve_ad",
    "highmem_assist", "gnttab_map_avail_bits", "hvm_callback_vector",
    "hvm_safe_pvclock", "hvm_pirqs", "dom0", "grant_map_identity",
    "memory_op_vnode_supported", "ARM_SMCCC_supported", "linux_rsdp_unrestricted",
    "not_direct_mapped", "direct_mapped",
};

static uint64_t get_le(const unsigned char *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static void print_string(const unsigned char *d, uint32_t len)
{
    putchar('"');
    for (uint32_t i = 0; i < len && d[i] != '\0'; i++) {
        if (d[i] >= 0x20 && d[i] < 0x7f && d[i] != '"' && d[i] != '\\')
            putchar(d[i]);
        else
            printf("\\x%02x", d[i]);
    }
    putchar('"');
}

static void print_raw(const unsigned char *d, uint32_t len)
{
    printf("%u bytes:", len);
    for (uint32_t i = 0; i < len; i++)
        printf(" %02x", d[i]);
}

static void print_value(enum note_kind kind, const unsigned char *d, uint32_t len)
{
    int scalar = len == 1 || len == 2 || len == 4 || len == 8;
    switch (kind) {
    case NOTE_STRING:
        print_string(d, len);
        return;
    case NOTE_NUMBER:
        if (!scalar)
            break;
        printf("0x%llx", (unsigned long long)get_le(d, len));
        return;
    case NOTE_FEATURE_BITS: {
        if (!scalar)
            break;
        uint64_t bits = get_le(d, len);
        printf("0x%08llx", (unsigned long long)bits);
        for (unsigned b = 0; b < 64; b++) {
            if (!(bits >> b & 1))
                continue;
            if (b < sizeof feature_bits / sizeof feature_bits[0])
                printf(" %s", feature_bits[b]);
            else
                printf(" bit%u", b);
        }
        return;
    }
    case NOTE_MASK_PAIRS:
        if (len == 0 || len % 16 != 0)
            break;
        for (uint32_t i = 0; i < len; i += 16)
            printf("%smask=0x%llx value=0x%llx", i ? " " : "",
                   (unsigned long long)get_le(d + i, 8),
                   (unsigned long long)get_le(d + i + 8, 8));
        return;
    case NOTE_RAW:
        break;
    }
    print_raw(d, len);
}

struct note_scan {
    unsigned xen_notes_seen;
    int have_entry;
};

static void print_xen_note(const char *owner, uint32_t type, const unsigned char *desc,
                           uint32_t desc_len, void *ctx)
{
    struct note_scan *scan = ctx;
    if (strcmp(owner, "Xen") != 0)
        return;
    scan->xen_notes_seen++;
    if (type < XEN_NOTE_TYPES && xen_notes[type].name) {
        printf("XEN_ELFNOTE_%s (%u): ", xen_notes[type].name, type);
        print_value(xen_notes[type].kind, desc, desc_len);
    } else {
        printf("XEN_ELFNOTE_UNKNOWN (%u): ", type);
        print_raw(desc, desc_len);
    }
    putchar('\n');
    if (type == NOTE_ENTRY)
        scan->have_entry = 1;
}

static int cmd_check(const struct elf64_image *img)
{
    const Elf64_Ehdr *eh = img->ehdr;
    printf("%s: ELF64 x86-64 executable, entry 0x%llx, %u PT_LOAD segments\n",
           img->path, (unsigned long long)eh->e_entry, img->load_segments);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = &img->phdr[i];
        if (ph->p_type != PT_LOAD)
            continue;
        printf("  LOAD offset=0x%llx vaddr=0x%llx paddr=0x%llx filesz=0x%llx "
               "memsz=0x%llx flags=%c%c%c\n",
               (unsigned long long)ph->p_offset, (unsigned long long)ph->p_vaddr,
               (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_filesz,
               (unsigned long long)ph->p_memsz, ph->p_flags & PF_R ? 'R' : '-',
               ph->p_flags & PF_W ? 'W' : '-', ph->p_flags & PF_X ? 'X' : '-');
    }
    return 0;
}

static int cmd_notes(const struct elf64_image *img)
{
    struct note_scan scan = { 0, 0 };
    char err[256];
    if (elf64_image_notes(img, print_xen_note, &scan, err, sizeof err) < 0) {
        fprintf(stderr, "vmlinux-inspect: %s\n", err);
        return 1;
    }
    if (scan.xen_notes_seen == 0) {
        fprintf(stderr, "vmlinux-inspect: %s: no Xen ELF notes (kernel built without "
                "Xen PV support?)\n", img->path);
        return 1;
    }
    if (!scan.have_entry) {
        fprintf(stderr, "vmlinux-inspect: %s: no XEN_ELFNOTE_ENTRY note\n", img->path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "notes") != 0)) {
        fprintf(stderr, "usage: vmlinux-inspect check|notes ELF\n");
        return 2;
    }
    struct elf64_image img;
    char err[256];
    if (elf64_image_load(&img, argv[2], err, sizeof err) < 0) {
        fprintf(stderr, "vmlinux-inspect: %s\n", err);
        return 1;
    }
    int rc = strcmp(argv[1], "check") == 0 ? cmd_check(&img) : cmd_notes(&img);
    elf64_image_free(&img);
    return rc;
}
