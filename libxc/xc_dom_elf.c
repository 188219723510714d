/*
 * xc_dom_elf.c - reading a PV kernel's ELF image in dom0: the checks that
 * make a file safe to load (every header and segment inside the file, no
 * overflow), its Xen notes (owner "Xen", PT_NOTE segments), and copying
 * its PT_LOAD segments by p_paddr into the new domain's memory.
 *
 * The file comes from the user, so every offset and size is distrusted.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xc_dom_image.h"
#include "public/elfnote.h"
#include "public/features.h"

static int bad(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    errno = ENOEXEC;
    return -1;
}

/* [off, off + size) lies inside a file of len bytes. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= len && size <= len - off;
}

static const Elf64_Phdr *phdr(const struct xc_dom_kernel *k, unsigned int i)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->image;

    return (const Elf64_Phdr *)(k->image + eh->e_phoff +
                                (uint64_t)i * eh->e_phentsize);
}

/* The FEATURES string: names separated by '|', '!' marks a required one. */
static int parse_features(const char *s, size_t n, uint32_t *required,
                          char *err, size_t errlen)
{
    static const struct { const char *name; unsigned int bit; } known[] = {
        { "writable_page_tables", XENFEAT_writable_page_tables },
        { "writable_descriptor_tables", XENFEAT_writable_descriptor_tables },
        { "auto_translated_physmap", XENFEAT_auto_translated_physmap },
        { "supervisor_mode_kernel", XENFEAT_supervisor_mode_kernel },
        { "pae_pgdir_above_4gb", XENFEAT_pae_pgdir_above_4gb },
        { "hvm_callback_vector", XENFEAT_hvm_callback_vector },
        { "dom0", XENFEAT_dom0 },
    };
    size_t i = 0;

    while (i < n && s[i]) {
        size_t j = i, len;
        int req = 0;
        unsigned int f;

        while (j < n && s[j] && s[j] != '|')
            j++;
        if (s[i] == '!') {
            req = 1;
            i++;
        }
        len = j - i;
        for (f = 0; f < sizeof(known) / sizeof(known[0]); f++)
            if (strlen(known[f].name) == len &&
                !memcmp(known[f].name, s + i, len))
                break;
        if (f < sizeof(known) / sizeof(known[0])) {
            if (req)
                *required |= 1u << known[f].bit;
        } else if (req) {
            return bad(err, errlen, "the kernel requires the unknown "
                       "feature \"%.*s\"", (int)len, s + i);
        }
        i = j < n && s[j] == '|' ? j + 1 : j;
    }
    return 0;
}

static void copy_string(char *dst, size_t dstlen, const uint8_t *src,
                        size_t n)
{
    size_t len = strnlen((const char *)src, n);

    if (len >= dstlen)
        len = dstlen - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* One note with owner "Xen"; desc has descsz bytes inside the file. */
static int take_note(xc_dom_kernel_info_t *ki, uint32_t type,
                     const uint8_t *desc, uint32_t descsz, unsigned int *seen,
                     char *err, size_t errlen)
{
    uint64_t num = 0;

    if (descsz == 4 || descsz == 8) {
        uint32_t lo;

        memcpy(&lo, desc, 4);
        num = lo;
        if (descsz == 8)
            memcpy(&num, desc, 8);
    }
    switch (type) {
    case XEN_ELFNOTE_ENTRY:
    case XEN_ELFNOTE_VIRT_BASE:
    case XEN_ELFNOTE_PADDR_OFFSET:
    case XEN_ELFNOTE_HYPERCALL_PAGE:
    case XEN_ELFNOTE_MOD_START_PFN:
        if (descsz != 4 && descsz != 8)
            return bad(err, errlen, "Xen note %u has a %u-byte value (4 or "
                       "8 expected)", type, descsz);
        break;
    default:
        break;
    }
    switch (type) {
    case XEN_ELFNOTE_ENTRY:         ki->entry = num; break;
    case XEN_ELFNOTE_VIRT_BASE:     ki->virt_base = num; break;
    case XEN_ELFNOTE_PADDR_OFFSET:  ki->paddr_offset = num; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: ki->hypercall_page = num; break;
    case XEN_ELFNOTE_MOD_START_PFN: ki->mod_start_pfn = num != 0; break;
    case XEN_ELFNOTE_GUEST_OS:
        copy_string(ki->guest_os, sizeof(ki->guest_os), desc, descsz);
        break;
    case XEN_ELFNOTE_XEN_VERSION:
        copy_string(ki->xen_version, sizeof(ki->xen_version), desc, descsz);
        break;
    case XEN_ELFNOTE_FEATURES:
        if (parse_features((const char *)desc, descsz, &ki->features_required,
                           err, errlen))
            return -1;
        break;
    default:
        return 0;
    }
    if (type < 32)
        *seen |= 1u << type;
    return 0;
}

static int parse_notes(struct xc_dom_kernel *k, const Elf64_Phdr *ph,
                       unsigned int *seen, char *err, size_t errlen)
{
    uint64_t align = ph->p_align == 8 ? 8 : 4;
    uint64_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;

    while (end - off >= 12) {
        uint32_t namesz, descsz, type;
        uint64_t name_off, desc_off, next;

        memcpy(&namesz, k->image + off, 4);
        memcpy(&descsz, k->image + off + 4, 4);
        memcpy(&type, k->image + off + 8, 4);
        name_off = off + 12;
        desc_off = name_off + ((namesz + align - 1) & ~(align - 1));
        next = desc_off + ((descsz + align - 1) & ~(align - 1));
        if (desc_off > end || descsz > end - desc_off || next > end + align)
            return bad(err, errlen, "a note at file offset %#llx runs past "
                       "its PT_NOTE segment", (unsigned long long)off);
        if (namesz == 4 && !memcmp(k->image + name_off, "Xen", 4) &&
            take_note(&k->info, type, k->image + desc_off, descsz, seen,
                      err, errlen))
            return -1;
        if (next >= end)
            break;
        off = next;
    }
    return 0;
}

int xc_dom_elf_parse(struct xc_dom_kernel *k, uint8_t *img, size_t len,
                     char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    xc_dom_kernel_info_t *ki = &k->info;
    unsigned int i, seen = 0, nload = 0;
    uint64_t lo = UINT64_MAX, hi = 0;

    k->image = img;
    k->len = len;
    memset(ki, 0, sizeof(*ki));
    ki->image_bytes = len;
    if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
        return bad(err, errlen, "not an ELF file");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
        return bad(err, errlen, "not a 64-bit little-endian x86-64 ELF file");
    if (eh->e_type != ET_EXEC)
        return bad(err, errlen, "ELF type %u is not an executable",
                   eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
        !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len))
        return bad(err, errlen, "the program header table is missing or "
                   "lies outside the file");
    /* The headers are read in place, so they must be aligned as the
     * x86-64 ABI has them (found by tests/fuzz/fuzz-elf: undefined
     * behaviour otherwise). */
    if (eh->e_phoff % _Alignof(Elf64_Phdr))
        return bad(err, errlen, "the program header table at file offset "
                   "%#llx is misaligned", (unsigned long long)eh->e_phoff);

    for (i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(k, i);

        if (ph->p_type != PT_LOAD && ph->p_type != PT_NOTE)
            continue;
        if (!in_file(ph->p_offset, ph->p_filesz, len))
            return bad(err, errlen, "segment %u lies outside the file", i);
        if (ph->p_type == PT_NOTE) {
            if (parse_notes(k, ph, &seen, err, errlen))
                return -1;
            continue;
        }
        if (ph->p_memsz == 0)
            continue;
        if (ph->p_filesz > ph->p_memsz ||
            ph->p_paddr + ph->p_memsz < ph->p_paddr)
            return bad(err, errlen, "segment %u has inconsistent sizes", i);
        if (ph->p_paddr < lo)
            lo = ph->p_paddr;
        if (ph->p_paddr + ph->p_memsz > hi)
            hi = ph->p_paddr + ph->p_memsz;
        nload++;
    }
    if (nload == 0)
        return bad(err, errlen, "no loadable segment");
    if (!(seen & (1u << XEN_ELFNOTE_ENTRY)) ||
        !(seen & (1u << XEN_ELFNOTE_VIRT_BASE)) ||
        strcmp(ki->xen_version, "xen-3.0"))
        return bad(err, errlen, "not a Xen PV kernel: it needs the Xen ELF "
                   "notes ENTRY, VIRT_BASE and XEN_VERSION \"xen-3.0\"");
    if (lo < ki->paddr_offset)
        return bad(err, errlen, "a segment loads below PADDR_OFFSET");
    ki->load_start = lo - ki->paddr_offset;
    ki->load_end = hi - ki->paddr_offset;
    if (ki->entry < ki->virt_base + ki->load_start ||
        ki->entry >= ki->virt_base + ki->load_end)
        return bad(err, errlen, "the entry point %#llx is outside the loaded "
                   "image", (unsigned long long)ki->entry);
    if (ki->hypercall_page &&
        ((ki->hypercall_page & (XC_PAGE_SIZE - 1)) ||
         ki->hypercall_page < ki->virt_base + ki->load_start ||
         ki->hypercall_page + XC_PAGE_SIZE > ki->virt_base + ki->load_end))
        return bad(err, errlen, "HYPERCALL_PAGE %#llx is not a page of the "
                   "kernel image", (unsigned long long)ki->hypercall_page);
    if (ki->features_required & ~(1u << XENFEAT_writable_page_tables)) {
        if (ki->features_required & (1u << XENFEAT_dom0))
            return bad(err, errlen, "the kernel can only run as dom0 (it "
                       "requires the dom0 feature)");
        return bad(err, errlen, "the kernel requires features %#x that a "
                   "PV domU does not get", ki->features_required);
    }
    return 0;
}

int xc_dom_elf_load(const struct xc_dom_kernel *k, uint8_t *dest,
                    uint64_t dest_len, char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)k->image;
    unsigned int i;

    for (i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = phdr(k, i);
        uint64_t at;

        if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
            continue;
        at = ph->p_paddr - k->info.paddr_offset;
        if (at > dest_len || ph->p_memsz > dest_len - at)
            return bad(err, errlen, "segment %u does not fit the domain's "
                       "initial mapping", i);
        memcpy(dest + at, k->image + ph->p_offset, ph->p_filesz);
        memset(dest + at + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
    }
    return 0;
}
