/* Tests of xen/common/libelf.c on real images: the fixture kernel built
 * from fixture/pv-kernel.S (values known from its source), a host program
 * (ET_DYN, must be refused), hostile headers made by editing the fixture,
 * and what elf_xen_parse makes of the fixture's variants next to it
 * (-minimal-notes, -xen-guest, -no-xen).  Hand-built notes and the parse
 * rules are in test_elf_notes.c. */
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
#define TEXT_VA      0xffffffff81000000ull

static uint8_t *fixture;
static size_t fixture_len;

/* ---- the fixture kernel ------------------------------------------------- */

/* Guest memory for elf_load: a window of the address space. */
struct fake_mem {
    uint64_t base;
    uint8_t *bytes;
    size_t size;
    int calls;
};

static int mem_copy(void *ctx, uint64_t dest, const void *src, size_t len)
{
    struct fake_mem *m = ctx;

    if ( dest < m->base || dest - m->base > m->size ||
         len > m->size - (dest - m->base) )
        return -ERANGE;
    memcpy(m->bytes + (dest - m->base), src, len);
    m->calls++;
    return 0;
}

static int mem_zero(void *ctx, uint64_t dest, size_t len)
{
    struct fake_mem *m = ctx;

    if ( dest < m->base || dest - m->base > m->size ||
         len > m->size - (dest - m->base) )
        return -ERANGE;
    memset(m->bytes + (dest - m->base), 0, len);
    m->calls++;
    return 0;
}

static int refuse_copy(void *ctx, uint64_t dest, const void *src, size_t len)
{
    (void)ctx; (void)dest; (void)src; (void)len;
    return -EFAULT;
}

static int count_notes(void *ctx, const struct elf_note *n)
{
    (void)n;
    ++*(unsigned int *)ctx;
    return 0;
}

static void check_fixture_notes(const struct elf_image *img, const char *name)
{
    struct elf_xen_notes xn;
    unsigned int n = 0;
    int rc;

    case_begin("elf/%s-xen-notes", name);
    rc = elf_xen_notes(img, &xn);
    CHECK_RC(rc, 0);
    CHECK_EQ(xn.entry, TEXT_VA + 0x40);
    CHECK_EQ(xn.hypercall_page, TEXT_VA + 0x1000);
    CHECK_EQ(xn.virt_base, KERNEL_MAP);
    CHECK_EQ(xn.paddr_offset, 0);
    CHECK_EQ(xn.init_p2m, 0x8000000000ull);
    CHECK_EQ(xn.hv_start_low, 0xffff800000000000ull);
    CHECK_EQ(xn.suspend_cancel, 1);
    CHECK_EQ(xn.mod_start_pfn, 1);
    CHECK_EQ(xn.supported_features, 0x8801);
    CHECK_EQ(xn.phys32_entry, 0x1000850);           /* a 4-byte note */
    CHECK_EQ(xn.l1_mfn_valid_mask, 1);
    CHECK_EQ(xn.l1_mfn_valid_value, 1);
    CHECK(!strcmp(xn.xen_version, "xen-3.0"));
    CHECK(!strcmp(xn.guest_os, "linux"));
    CHECK(!strcmp(xn.guest_version, "2.6"));
    CHECK(!strcmp(xn.loader, "generic"));
    CHECK(!strcmp(xn.pae_mode, "yes"));
    CHECK(!strcmp(xn.features, "!writable_page_tables|pae_pgdir_above_4gb|"
                               "no_such_feature|"));
    CHECK_EQ(xn.features_required, 1u << XENFEAT_writable_page_tables);
    CHECK_EQ(xn.features_wanted, (1u << XENFEAT_writable_page_tables) |
                                 (1u << XENFEAT_pae_pgdir_above_4gb));
    /* Every type 1..18 but BSD_SYMTAB (11); INFO (0) and 99 skipped. */
    CHECK_EQ(xn.present, 0x7fffe & ~(1u << XEN_ELFNOTE_BSD_SYMTAB));
    CHECK(ELF_XEN_HAS(&xn, XEN_ELFNOTE_ENTRY));
    CHECK(!ELF_XEN_HAS(&xn, XEN_ELFNOTE_BSD_SYMTAB));
    CHECK_EQ(elf_xen_virt_offset(&xn), KERNEL_MAP);
    CHECK_RC(elf_for_each_note(img, count_notes, &n, NULL), 0);
    CHECK_EQ(n, 20);                        /* including GNU, INFO and 99 */
    case_end();
}

static void test_fixture(const char *path, const char *sections_path)
{
    struct elf_image img;
    struct fake_mem mem;
    struct elf64_phdr ph;
    int rc;

    case_begin("elf/fixture-header");
    rc = elf_init(&img, fixture, fixture_len);
    CHECK_RC(rc, 0);
    if ( rc )
        printf("  detail: %s: %s\n", path, img.err);
    CHECK_EQ(img.entry, TEXT_VA);
    CHECK_EQ(img.phnum, 3);
    CHECK_EQ(img.nr_loads, 2);
    CHECK_EQ(img.pstart, 0x1000000);
    CHECK_EQ(img.pend, 0x1003000 + 0x6c + 0x2000);
    CHECK_EQ(img.vstart, TEXT_VA);
    CHECK_EQ(img.vend, TEXT_VA + 0x3000 + 0x6c + 0x2000);
    case_end();
    if ( rc )
        return;
    check_fixture_notes(&img, "fixture");

    /* Load at VIRT_BASE - PADDR_OFFSET + paddr, as Xen does. */
    case_begin("elf/fixture-load");
    mem.base = TEXT_VA;
    mem.size = 0x6000;
    mem.bytes = malloc(mem.size);
    mem.calls = 0;
    memset(mem.bytes, 0xee, mem.size);
    CHECK_RC(elf_load(&img, KERNEL_MAP, mem_copy, mem_zero, &mem), 0);
    CHECK_EQ(mem.calls, 3);                 /* text, data, bss */
    elf_phdr(&img, 0, &ph);
    CHECK(!memcmp(mem.bytes, fixture + ph.p_offset, ph.p_filesz));
    CHECK_EQ(mem.bytes[0], 0xf4);           /* hlt at _start */
    CHECK_EQ(mem.bytes[0x1000], 0xc3);      /* the hypercall page fill */
    elf_phdr(&img, 1, &ph);
    CHECK(!memcmp(mem.bytes + 0x3000, fixture + ph.p_offset, ph.p_filesz));
    CHECK_EQ(mem.bytes[0x3000], 0x88);      /* data_start, little-endian */
    CHECK_EQ(mem.bytes[0x306c], 0);         /* bss zeroed ... */
    CHECK_EQ(mem.bytes[0x506b], 0);
    CHECK_EQ(mem.bytes[0x506c], 0xee);      /* ... and no further */
    CHECK_EQ(mem.bytes[0x2214], 0xee);      /* gap between segments */
    CHECK_RC(elf_load(&img, KERNEL_MAP, refuse_copy, mem_zero, &mem),
             -EFAULT);
    /* A destination offset that wraps the address space. */
    CHECK_RC(elf_load(&img, UINT64_MAX - 0x1000000, mem_copy, mem_zero, &mem),
             -EINVAL);
    free(mem.bytes);
    case_end();

    if ( sections_path )
    {
        size_t len;
        uint8_t *s = read_whole_file(sections_path, &len);

        case_begin("elf/sections-only-fixture-header");
        CHECK(s != NULL);
        rc = s ? elf_init(&img, s, len) : -1;
        CHECK_RC(rc, 0);
        CHECK_EQ(img.phnum, 2);
        case_end();
        if ( rc == 0 )
            check_fixture_notes(&img, "sections-only-fixture");
        free(s);
    }
}

static void test_host_binary(const char *path)
{
    struct elf_image img;
    size_t len;
    uint8_t *bin = read_whole_file(path, &len);

    if ( !bin || len < 64 || bin[16] != 3 )
    {
        case_skip("elf/host-binary-is-not-et-exec",
                  "host binary missing or not ET_DYN");
        free(bin);
        return;
    }
    case_begin("elf/host-binary-is-not-et-exec");
    CHECK_RC(elf_init(&img, bin, len), -ENOEXEC);
    CHECK(img.err && strstr(img.err, "not ET_EXEC"));
    printf("  info: %s: %s\n", path, img.err ? img.err : "(no reason)");
    case_end();
    free(bin);
}

/* ---- hostile headers ---------------------------------------------------- */

/* A copy of the fixture with one change applied by 'edit'. */
struct edit {
    const char *name;
    int rc;
    void (*edit)(uint8_t *img, size_t *len);
};

static struct elf64_ehdr get_eh(const uint8_t *img)
{
    struct elf64_ehdr eh;

    memcpy(&eh, img, sizeof(eh));
    return eh;
}

static void put_eh(uint8_t *img, const struct elf64_ehdr *eh)
{
    memcpy(img, eh, sizeof(*eh));
}

static struct elf64_phdr get_ph(const uint8_t *img, unsigned int i)
{
    struct elf64_phdr ph;
    struct elf64_ehdr eh = get_eh(img);

    memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
    return ph;
}

static void put_ph(uint8_t *img, unsigned int i, const struct elf64_phdr *ph)
{
    struct elf64_ehdr eh = get_eh(img);

    memcpy(img + eh.e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

#define EH_EDIT(fn, stmt)                                               \
    static void fn(uint8_t *img, size_t *len)                           \
    {                                                                   \
        struct elf64_ehdr eh = get_eh(img);                             \
        (void)len;                                                      \
        stmt;                                                           \
        put_eh(img, &eh);                                               \
    }
#define PH_EDIT(fn, i, stmt)                                            \
    static void fn(uint8_t *img, size_t *len)                           \
    {                                                                   \
        struct elf64_phdr ph = get_ph(img, i);                          \
        (void)len;                                                      \
        stmt;                                                           \
        put_ph(img, i, &ph);                                            \
    }

EH_EDIT(bad_magic, eh.e_ident[1] = 'e')
EH_EDIT(class32, eh.e_ident[EI_CLASS] = 1)
EH_EDIT(big_endian, eh.e_ident[EI_DATA] = 2)
EH_EDIT(ident_version, eh.e_ident[EI_VERSION] = 0)
EH_EDIT(e_version, eh.e_version = 2)
EH_EDIT(machine_i386, eh.e_machine = 3)
EH_EDIT(type_rel, eh.e_type = 1)
EH_EDIT(type_dyn, eh.e_type = ET_DYN)
EH_EDIT(type_core, eh.e_type = 4)
EH_EDIT(ehsize_small, eh.e_ehsize = 52)
EH_EDIT(phentsize_55, eh.e_phentsize = 55)
EH_EDIT(phentsize_0, eh.e_phentsize = 0)
EH_EDIT(phnum_0, eh.e_phnum = 0)
EH_EDIT(phnum_huge, eh.e_phnum = 0xffff)
EH_EDIT(phoff_past_end, eh.e_phoff = *len)
EH_EDIT(phoff_table_one_past, eh.e_phoff = *len - 3 * 56 + 1)
EH_EDIT(phoff_wraps, eh.e_phoff = UINT64_MAX - 8)
EH_EDIT(shentsize_bad, eh.e_shentsize = 40)
EH_EDIT(shoff_past_end, eh.e_shoff = *len - 64)
EH_EDIT(shoff_wraps, eh.e_shoff = UINT64_MAX - 63)
EH_EDIT(no_sections_ok, eh.e_shnum = 0; eh.e_shoff = UINT64_MAX)
PH_EDIT(filesz_gt_memsz, 1, ph.p_filesz = ph.p_memsz + 1)
PH_EDIT(offset_past_end, 1, ph.p_offset = *len)
PH_EDIT(filesz_past_end, 1, ph.p_filesz = *len - ph.p_offset + 1;
        ph.p_memsz = ph.p_filesz)
PH_EDIT(offset_wraps, 1, ph.p_offset = UINT64_MAX - 1; ph.p_filesz = 16)
PH_EDIT(vaddr_wraps, 1, ph.p_vaddr = UINT64_MAX - 0x100)
PH_EDIT(paddr_wraps, 1, ph.p_paddr = UINT64_MAX - 0x100)
PH_EDIT(memsz_huge, 1, ph.p_memsz = UINT64_MAX)
PH_EDIT(paddr_overlaps, 1, ph.p_paddr = 0x1002000)
PH_EDIT(paddr_touching_ok, 1, ph.p_paddr = 0x1002214)
PH_EDIT(align_not_power_of_2, 0, ph.p_align = 0x3000)
PH_EDIT(note_past_end, 2, ph.p_offset = *len - 4)
PH_EDIT(note_wraps, 2, ph.p_offset = UINT64_MAX - 3)
PH_EDIT(note_truncated, 2, ph.p_filesz -= 2)
PH_EDIT(note_header_cut, 2, ph.p_filesz = 8)

static void all_loads_empty(uint8_t *img, size_t *len)
{
    unsigned int i;

    (void)len;
    for ( i = 0; i < 2; i++ )
    {
        struct elf64_phdr ph = get_ph(img, i);

        ph.p_memsz = ph.p_filesz = 0;
        put_ph(img, i, &ph);
    }
}

static void check_edits(const struct edit *edits, unsigned int n,
                        int notes_too)
{
    unsigned int i;

    for ( i = 0; i < n; i++ )
    {
        size_t len = fixture_len;
        uint8_t *img = malloc(len);
        struct elf_image ei;
        struct elf_xen_notes xn;
        int rc;

        memcpy(img, fixture, len);
        edits[i].edit(img, &len);
        case_begin("elf/%s-%s", notes_too ? "notes" : "header",
                   edits[i].name);
        rc = elf_init(&ei, img, len);
        if ( notes_too && rc == 0 )
        {
            rc = elf_xen_notes(&ei, &xn);
            ei.err = xn.err;
        }
        CHECK_RC(rc, edits[i].rc);
        if ( rc )
            CHECK(ei.err != NULL);
        case_end();
        free(img);
    }
}

static void test_hostile_headers(void)
{
    static const struct edit header_edits[] = {
        { "bad-magic", -ENOEXEC, bad_magic },
        { "elfclass32", -ENOEXEC, class32 },
        { "big-endian", -ENOEXEC, big_endian },
        { "ident-version", -ENOEXEC, ident_version },
        { "e-version", -ENOEXEC, e_version },
        { "machine-i386", -ENOEXEC, machine_i386 },
        { "type-rel", -ENOEXEC, type_rel },
        { "type-dyn", -ENOEXEC, type_dyn },
        { "type-core", -ENOEXEC, type_core },
        { "ehsize-small", -EINVAL, ehsize_small },
        { "phentsize-55", -EINVAL, phentsize_55 },
        { "phentsize-0", -EINVAL, phentsize_0 },
        { "phnum-0", -EINVAL, phnum_0 },
        { "phnum-huge", -EINVAL, phnum_huge },
        { "phoff-past-end", -EINVAL, phoff_past_end },
        { "phdr-table-one-byte-past-end", -EINVAL, phoff_table_one_past },
        { "phoff-wraps", -EINVAL, phoff_wraps },
        { "shentsize-bad", -EINVAL, shentsize_bad },
        { "shdr-table-past-end", -EINVAL, shoff_past_end },
        { "shoff-wraps", -EINVAL, shoff_wraps },
        { "no-sections-ignores-shoff", 0, no_sections_ok },
        { "filesz-gt-memsz", -EINVAL, filesz_gt_memsz },
        { "segment-offset-past-end", -EINVAL, offset_past_end },
        { "segment-bytes-past-end", -EINVAL, filesz_past_end },
        { "segment-offset-wraps", -EINVAL, offset_wraps },
        { "vaddr-plus-memsz-wraps", -EINVAL, vaddr_wraps },
        { "paddr-plus-memsz-wraps", -EINVAL, paddr_wraps },
        { "memsz-huge", -EINVAL, memsz_huge },
        { "segments-overlap", -EINVAL, paddr_overlaps },
        { "segments-touch", 0, paddr_touching_ok },
        { "align-not-power-of-2", -EINVAL, align_not_power_of_2 },
        { "no-loadable-segment", -EINVAL, all_loads_empty },
    };
    static const struct edit note_edits[] = {
        { "container-past-end", -EINVAL, note_past_end },
        { "container-offset-wraps", -EINVAL, note_wraps },
        { "last-note-truncated", -EINVAL, note_truncated },
        { "header-cut", -EINVAL, note_header_cut },
    };

    check_edits(header_edits, ARRAY_LEN(header_edits), 0);
    check_edits(note_edits, ARRAY_LEN(note_edits), 1);
}

/* Every prefix of the fixture: no crash, and refused while the program
 * headers or any loaded file byte is missing. */
static void test_truncations(void)
{
    struct elf_image img;
    struct elf_xen_notes xn;
    size_t cut, wrong = 0;

    case_begin("elf/truncated-at-every-byte");
    for ( cut = 0; cut < fixture_len; cut++ )
    {
        uint8_t *p = malloc(cut ? cut : 1);
        int rc;

        memcpy(p, fixture, cut);
        rc = elf_init(&img, p, cut);
        if ( rc == 0 )
        {
            struct elf64_phdr ph;

            elf_phdr(&img, 1, &ph);
            if ( cut < ph.p_offset + ph.p_filesz )
                wrong++;
            elf_xen_notes(&img, &xn);
        }
        else if ( !img.err )
            wrong++;
        free(p);
    }
    CHECK_EQ(wrong, 0);
    case_end();
}

/* The fixture variant built next to the fixture: path + suffix. */
static uint8_t *read_variant(const char *path, const char *suffix,
                             size_t *len)
{
    char name[4096];

    snprintf(name, sizeof(name), "%s%s", path, suffix);
    return read_whole_file(name, len);
}

/* Writes str over the __xen_guest string of a copy of the -xen-guest
 * fixture and parses it. */
static int legacy_rc(const uint8_t *img, size_t len, const char *str,
                     struct elf_xen_notes *xn)
{
    struct elf_image e;
    struct elf64_shdr sh;
    uint8_t *copy = malloc(len);
    int rc;

    memcpy(copy, img, len);
    rc = elf_init(&e, copy, len);
    if ( rc == 0 )
        rc = elf_find_section(&e, "__xen_guest", &sh);
    if ( rc == 0 && strlen(str) < sh.sh_size )
    {
        memset(copy + sh.sh_offset, 0, sh.sh_size);
        memcpy(copy + sh.sh_offset, str, strlen(str));
        rc = elf_xen_parse(&e, xn);
    }
    else if ( rc == 0 )
        rc = -E2BIG;
    free(copy);
    return rc;
}

static void test_variants(const char *path)
{
    struct elf_image img;
    struct elf_xen_notes xn;
    struct elf64_shdr sh;
    uint8_t *v;
    size_t len;

    case_begin("elf/fixture-parse-full-notes");
    CHECK_RC(elf_init(&img, fixture, fixture_len), 0);
    CHECK_RC(elf_xen_parse(&img, &xn), 0);
    CHECK_EQ(xn.entry, TEXT_VA + 0x40);
    CHECK_EQ(xn.virt_kstart, TEXT_VA);
    CHECK_EQ(xn.virt_kend, TEXT_VA + 0x3000 + 0x6c + 0x2000);
    CHECK(!xn.legacy);
    /* Notes win: the section is not even looked for. */
    CHECK_RC(elf_find_section(&img, "__xen_guest", &sh), -ENOENT);
    case_end();

    /* A PT_NOTE with only the GNU note (the last one): the Xen notes are
     * then taken from the .notes section, as Xen does. */
    case_begin("elf/fixture-xen-notes-only-in-sections");
    v = malloc(fixture_len);
    memcpy(v, fixture, fixture_len);
    CHECK_RC(elf_init(&img, v, fixture_len), 0);
    CHECK_RC(elf_find_section(&img, ".notes", &sh), 0);
    {
        struct elf64_phdr ph;
        unsigned int n = 0;

        elf_phdr(&img, 2, &ph);
        CHECK_EQ(ph.p_type, PT_NOTE);
        ph.p_offset = sh.sh_offset + sh.sh_size - 36;   /* the GNU note */
        ph.p_filesz = 36;
        put_ph(v, 2, &ph);
        CHECK_RC(elf_init(&img, v, fixture_len), 0);
        CHECK_RC(elf_for_each_note(&img, count_notes, &n, NULL), 0);
        CHECK_EQ(n, 1);
        CHECK_RC(elf_xen_parse(&img, &xn), 0);
        CHECK_EQ(xn.entry, TEXT_VA + 0x40);
        CHECK_EQ(xn.virt_base, KERNEL_MAP);
        CHECK(!xn.legacy);
    }
    free(v);
    case_end();

    case_begin("elf/fixture-minimal-notes");
    v = read_variant(path, "-minimal-notes", &len);
    CHECK(v != NULL);
    if ( v )
    {
        CHECK_RC(elf_init(&img, v, len), 0);
        CHECK_RC(elf_xen_parse(&img, &xn), 0);
        CHECK(!ELF_XEN_HAS(&xn, XEN_ELFNOTE_ENTRY));
        CHECK(!ELF_XEN_HAS(&xn, XEN_ELFNOTE_VIRT_BASE));
        CHECK_EQ(xn.entry, 0x1000000);          /* e_entry */
        CHECK_EQ(xn.virt_base, 0);
        CHECK_EQ(xn.paddr_offset, 0);
        CHECK_EQ(xn.virt_kstart, 0x1000000);
        CHECK_EQ(elf_xen_virt_offset(&xn), 0);
    }
    free(v);
    case_end();

    case_begin("elf/fixture-no-xen-notes-nor-section");
    v = read_variant(path, "-no-xen", &len);
    CHECK(v != NULL);
    if ( v )
    {
        CHECK_RC(elf_init(&img, v, len), 0);
        CHECK_RC(elf_xen_parse(&img, &xn), -ENOEXEC);
        CHECK(xn.err != NULL);
    }
    free(v);
    case_end();

    v = read_variant(path, "-xen-guest", &len);
    case_begin("elf/fixture-xen-guest-section");
    CHECK(v != NULL);
    if ( v )
    {
        CHECK_RC(elf_init(&img, v, len), 0);
        CHECK_RC(elf_xen_parse(&img, &xn), 0);
        CHECK(xn.legacy);
        CHECK(!strcmp(xn.guest_os, "linux"));
        CHECK(!strcmp(xn.guest_version, "2.6"));
        CHECK(!strcmp(xn.xen_version, "xen-3.0"));
        CHECK(!strcmp(xn.loader, "generic"));
        CHECK(!strcmp(xn.bsd_symtab, "yes"));
        CHECK_EQ(xn.virt_base, KERNEL_MAP);
        CHECK_EQ(xn.paddr_offset, 0);
        CHECK_EQ(xn.entry, TEXT_VA);            /* e_entry */
        CHECK_EQ(xn.hypercall_page, TEXT_VA + 0x1000);
        CHECK_EQ(xn.virt_kstart, TEXT_VA);
        CHECK_EQ(xn.features_required, 1u << XENFEAT_dom0);
        CHECK_EQ(xn.features_wanted, (1u << XENFEAT_dom0) |
                                     (1u << XENFEAT_writable_page_tables));
    }
    case_end();
    if ( !v )
        return;

    struct { const char *name, *str; int rc; uint64_t entry, kstart; } t[] = {
        /* No ELF_PADDR_OFFSET: it defaults to VIRT_BASE, so paddr 16M is
         * VA 16M, below VIRT_BASE. */
        { "legacy-paddr-offset-defaults-to-virt-base",
          "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0xffffffff80000000",
          -EINVAL, 0, 0 },
        { "legacy-virt-base-0-virt-entry",
          "XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0,VIRT_ENTRY=0x1000040",
          0, 0x1000040, 0x1000000 },
        { "legacy-no-virt-base",
          "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_ENTRY=16777216",
          0, 0x1000000, 0x1000000 },
        { "legacy-octal-and-unknown-keys",
          "SOMETHING=else,GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_ENTRY=0100000000,"
          "PAE=yes[extended-cr3]", 0, 0x1000000, 0x1000000 },
        { "legacy-needs-xen-ver", "GUEST_OS=linux,VIRT_BASE=0", -ENOEXEC, 0, 0 },
        { "legacy-needs-linux-or-generic", "GUEST_OS=bsd,XEN_VER=xen-3.0",
          -ENOEXEC, 0, 0 },
        { "legacy-empty", "", -ENOEXEC, 0, 0 },
        { "legacy-bad-number", "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0x",
          -EINVAL, 0, 0 },
        { "legacy-number-overflows",
          "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0x10000000000000000",
          -EINVAL, 0, 0 },
        { "legacy-hypercall-page-outside",
          "GUEST_OS=linux,XEN_VER=xen-3.0,VIRT_BASE=0,VIRT_ENTRY=0x1000000,"
          "HYPERCALL_PAGE=0x10", -EINVAL, 0, 0 },
        { "legacy-unknown-required-feature",
          "GUEST_OS=linux,XEN_VER=xen-3.0,FEATURES=!time_travel",
          -EOPNOTSUPP, 0, 0 },
    };
    unsigned int i;

    for ( i = 0; i < ARRAY_LEN(t); i++ )
    {
        case_begin("elf/%s", t[i].name);
        memset(&xn, 0, sizeof(xn));
        CHECK_RC(legacy_rc(v, len, t[i].str, &xn), t[i].rc);
        if ( t[i].rc == 0 )
        {
            CHECK(xn.legacy);
            CHECK_EQ(xn.entry, t[i].entry);
            CHECK_EQ(xn.virt_kstart, t[i].kstart);
        }
        else
            CHECK(xn.err != NULL);
        case_end();
    }
    free(v);
}

void test_elf(const char *fixture_path, const char *sections_path,
              const char *host_binary)
{
    test_host_binary(host_binary);
    test_elf_notes();
    if ( !fixture_path ||
         !(fixture = read_whole_file(fixture_path, &fixture_len)) )
    {
        case_skip("elf/fixture", "no fixture given (-f)");
        return;
    }
    test_fixture(fixture_path, sections_path);
    test_variants(fixture_path);
    test_hostile_headers();
    test_truncations();
    free(fixture);
    fixture = NULL;
}
