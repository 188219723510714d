/* Tests of the ELF reader's notes (xen/common/libelf.c, libelf-xen.c) on
 * hand-built images: note segments and sections crafted byte by byte, and
 * the rules elf_xen_parse applies (Xen's defaults, required notes, the
 * legacy __xen_guest keys). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/libelf.h>
#include <public/elfnote.h>
#include <public/features.h>
#include "check.h"
#include "host.h"
#include "tests.h"

#define KERNEL_MAP   0xffffffff80000000ull

/* ---- hand-built notes --------------------------------------------------- */

/* An image of one PT_LOAD and one PT_NOTE over notes[0..notes_len). */
static uint8_t *note_image(const uint8_t *notes, size_t notes_len,
                           uint64_t align, size_t *len)
{
    size_t off = 64 + 2 * 56;
    uint8_t *img = calloc(1, off + notes_len + 16);
    struct elf64_ehdr eh = { 0 };
    struct elf64_phdr load = { 0 }, note = { 0 };

    memcpy(eh.e_ident, "\177ELF", 4);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_phoff = 64;
    eh.e_ehsize = 64;
    eh.e_phentsize = 56;
    eh.e_phnum = 2;
    memcpy(img, &eh, sizeof(eh));
    load.p_type = PT_LOAD;
    load.p_filesz = load.p_memsz = off + notes_len;
    load.p_paddr = 0x100000;
    load.p_vaddr = KERNEL_MAP + 0x100000;
    note.p_type = PT_NOTE;
    note.p_offset = off;
    note.p_filesz = notes_len;
    note.p_align = align;
    memcpy(img + 64, &load, 56);
    memcpy(img + 64 + 56, &note, 56);
    memcpy(img + off, notes, notes_len);
    *len = off + notes_len;
    return img;
}

struct note_buf {
    uint8_t b[1024];
    size_t len;
};

static void add_note(struct note_buf *nb, const char *name, size_t namesz,
                     uint32_t type, const void *desc, uint32_t descsz,
                     unsigned int pad, int pad_last)
{
    uint32_t hdr[3] = { namesz, descsz, type };

    memcpy(nb->b + nb->len, hdr, 12);
    nb->len += 12;
    memcpy(nb->b + nb->len, name, namesz);
    nb->len += (namesz + pad - 1) / pad * pad;
    memcpy(nb->b + nb->len, desc, descsz);
    nb->len += pad_last ? (descsz + pad - 1) / pad * pad : descsz;
}

static int notes_rc(const struct note_buf *nb, uint64_t align,
                    struct elf_xen_notes *xn)
{
    struct elf_image img;
    size_t len;
    uint8_t *p = note_image(nb->b, nb->len, align, &len);
    uint8_t *exact = malloc(len);
    int rc;

    memcpy(exact, p, len);
    free(p);
    rc = elf_init(&img, exact, len);
    if ( rc == 0 )
        rc = elf_xen_notes(&img, xn);
    free(exact);
    return rc;
}

static void test_crafted_notes(void)
{
    static const uint64_t entry = 0xffffffff81234567ull;
    static const uint32_t small = 0x1234;
    char longstr[300];
    struct note_buf nb;
    struct elf_xen_notes xn;

    memset(longstr, 'x', sizeof(longstr));

    case_begin("elf/notes-8-byte-aligned-container");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_SUSPEND_CANCEL, &small, 4, 8, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 8, 1);
    CHECK_RC(notes_rc(&nb, 8, &xn), 0);
    CHECK_EQ(xn.entry, entry);
    CHECK_EQ(xn.suspend_cancel, small);
    case_end();

    case_begin("elf/notes-last-without-padding");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_LOADER, "generic", 7, 4, 0);
    CHECK_RC(notes_rc(&nb, 4, &xn), 0);
    CHECK(!strcmp(xn.loader, "generic"));
    case_end();

    case_begin("elf/notes-owner-must-be-Xen-with-nul");
    nb.len = 0;
    add_note(&nb, "Xen", 3, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
    add_note(&nb, "XenX", 5, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
    add_note(&nb, "xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
    CHECK_RC(notes_rc(&nb, 4, &xn), 0);
    CHECK_EQ(xn.present, 0);
    case_end();

    struct { const char *name; int rc; } bad[] = {
        { "duplicate", -EINVAL }, { "numeric-3-bytes", -EINVAL },
        { "numeric-16-bytes", -EINVAL }, { "string-too-long", -EINVAL },
        { "features-too-long", -EINVAL }, { "unknown-required-feature",
                                            -EOPNOTSUPP },
        { "l1-mfn-valid-12-bytes", -EINVAL }, { "namesz-huge", -EINVAL },
        { "descsz-huge", -EINVAL }, { "descsz-one-past-end", -EINVAL },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_LEN(bad); i++ )
    {
        nb.len = 0;
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
        switch ( i )
        {
        case 0:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "bsd", 4, 4, 1);
            break;
        case 1:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 3, 4, 1);
            break;
        case 2:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, longstr, 16, 4, 1);
            break;
        case 3:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_LOADER, longstr,
                     ELF_XEN_STR_MAX, 4, 1);
            break;
        case 4:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_FEATURES, longstr,
                     ELF_XEN_FEATURES_MAX, 4, 1);
            break;
        case 5:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_FEATURES,
                     "dom0|!time_travel", 17, 4, 1);
            break;
        case 6:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_L1_MFN_VALID, longstr, 12,
                     4, 1);
            break;
        case 7:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
            memcpy(nb.b + nb.len - 24, "\xfd\xff\xff\xff", 4);
            break;
        case 8:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
            memcpy(nb.b + nb.len - 20, "\xff\xff\xff\xff", 4);
            break;
        default:
            add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
            memcpy(nb.b + nb.len - 20, "\x09\0\0\0", 4);
            break;
        }
        case_begin("elf/notes-%s", bad[i].name);
        CHECK_RC(notes_rc(&nb, 4, &xn), bad[i].rc);
        CHECK(xn.err != NULL);
        case_end();
    }

    case_begin("elf/notes-feature-names");
    CHECK_EQ(elf_xen_feature_bit("dom0", 4), XENFEAT_dom0);
    CHECK_EQ(elf_xen_feature_bit("dom0x", 4), XENFEAT_dom0);
    CHECK_EQ(elf_xen_feature_bit("dom", 3), -1);
    CHECK_EQ(elf_xen_feature_bit("writable_page_tables", 20),
             XENFEAT_writable_page_tables);
    CHECK_EQ(elf_xen_feature_bit("", 0), -1);
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_FEATURES,
             "||!dom0|hvm_callback_vector|!|future_thing", 42, 4, 1);
    CHECK_RC(notes_rc(&nb, 4, &xn), 0);
    CHECK_EQ(xn.features_required, 1u << XENFEAT_dom0);
    CHECK_EQ(xn.features_wanted, (1u << XENFEAT_dom0) |
                                 (1u << XENFEAT_hvm_callback_vector));
    case_end();
}

/* ---- elf_xen_parse: what makes a Xen PV kernel -------------------------- */

/* elf_xen_parse on a note_image: one PT_LOAD at paddr 0x100000 (VA
 * KERNEL_MAP + 0x100000) of 'len' bytes, e_entry as given. */
static int parse_rc(const struct note_buf *nb, uint64_t e_entry,
                    struct elf_xen_notes *xn)
{
    struct elf_image img;
    size_t len;
    uint8_t *p = note_image(nb->b, nb->len, 4, &len);
    int rc;

    memcpy(p + 24, &e_entry, 8);
    rc = elf_init(&img, p, len);
    if ( rc == 0 )
        rc = elf_xen_parse(&img, xn);
    free(p);
    return rc;
}

static void test_parse_rules(void)
{
    static const uint64_t vbase = KERNEL_MAP, zero = 0, one = 1;
    const uint64_t entry = KERNEL_MAP + 0x100010, low_entry = 0x100010;
    const uint64_t hc_bad = KERNEL_MAP + 0x100800;
    struct note_buf nb;
    struct elf_xen_notes xn;

    case_begin("elf/parse-defaults-without-entry-and-virt-base");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), 0);
    CHECK_EQ(xn.entry, low_entry);              /* e_entry */
    CHECK_EQ(xn.virt_base, 0);
    CHECK_EQ(xn.paddr_offset, 0);
    CHECK_EQ(xn.virt_kstart, 0x100000);
    CHECK(!xn.legacy);
    /* The same kernel with a high e_entry: outside the image at VA 0. */
    CHECK_RC(parse_rc(&nb, entry, &xn), -EINVAL);
    case_end();

    case_begin("elf/parse-loader-generic-instead-of-linux");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "Mini-OS", 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -ENOEXEC);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_LOADER, "generic", 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), 0);
    case_end();

    case_begin("elf/parse-needs-xen-3.0");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -ENOEXEC);
    CHECK(xn.err != NULL);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-2.0", 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -ENOEXEC);
    case_end();

    case_begin("elf/parse-only-other-notes-is-not-xen");
    nb.len = 0;
    add_note(&nb, "GNU", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_INFO, "A=B", 4, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -ENOEXEC);
    case_end();

    case_begin("elf/parse-virt-base-and-entry-notes");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, &vbase, 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_ENTRY, &entry, 8, 4, 1);
    CHECK_RC(parse_rc(&nb, 0, &xn), 0);         /* e_entry ignored */
    CHECK_EQ(xn.entry, entry);
    CHECK_EQ(xn.virt_kstart, KERNEL_MAP + 0x100000);
    case_end();

    case_begin("elf/parse-paddr-offset-without-virt-base");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_PADDR_OFFSET, &zero, 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -EINVAL);
    case_end();

    case_begin("elf/parse-image-below-virt-base");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, &vbase, 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_PADDR_OFFSET, &vbase, 8, 4, 1);
    CHECK_RC(parse_rc(&nb, low_entry, &xn), -EINVAL);
    case_end();

    case_begin("elf/parse-address-arithmetic-wraps");
    {
        static const uint64_t small = 0x1000, big_off = 0x200000;
        static const uint64_t top = 0xfffffffffff00000ull;

        /* paddr 1M below PADDR_OFFSET 2M: VA would wrap below 0. */
        nb.len = 0;
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, &small, 8, 4, 1);
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_PADDR_OFFSET, &big_off, 8, 4, 1);
        CHECK_RC(parse_rc(&nb, 0xfffffffffff01000ull, &xn), -EINVAL);
        /* VIRT_BASE so high that paddr 1M wraps past 2^64. */
        nb.len = 0;
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
        add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, &top, 8, 4, 1);
        CHECK_RC(parse_rc(&nb, 0x10, &xn), -EINVAL);
    }
    case_end();

    case_begin("elf/parse-hypercall-page-not-a-page-of-the-image");
    nb.len = 0;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_GUEST_OS, "linux", 6, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_VIRT_BASE, &vbase, 8, 4, 1);
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_HYPERCALL_PAGE, &hc_bad, 8, 4, 1);
    CHECK_RC(parse_rc(&nb, entry, &xn), -EINVAL);   /* unaligned */
    nb.len -= 20;
    add_note(&nb, "Xen", 4, XEN_ELFNOTE_HYPERCALL_PAGE, &one, 8, 4, 1);
    CHECK_RC(parse_rc(&nb, entry, &xn), -EINVAL);   /* outside */
    case_end();
}

void test_elf_notes(void)
{
    test_crafted_notes();
    test_parse_rules();
}
