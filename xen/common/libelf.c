/* ELF64 reader for the domain builders (the hypervisor's dom0 builder and
 * libxc's, which compile this same file): header and segment validation,
 * note walking, the Xen notes and the legacy __xen_guest string, and what
 * makes an image a Xen PV kernel (see xen/libelf.h for the API and its
 * rules).  Freestanding: libelf-env.h supplies the few library calls.
 *
 * Every value from the file is treated as hostile.  Ranges are checked as
 * "offset <= len && size <= len - offset", which cannot wrap, and headers
 * are memcpy'd out of the buffer so that no field is read misaligned. */

#include <xen/libelf.h>
#include <public/elfnote.h>
#include <public/features.h>
#include "libelf-env.h"

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr size");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 shdr size");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "ELF note header size");
_Static_assert(XEN_ELFNOTE_MAX < 32, "'present' is a 32-bit mask");

#define ELF_PAGE_SIZE 4096u
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* x rounded up to a multiple of the power of two a (x < 2^63 here). */
static uint64_t roundup64(uint64_t x, uint64_t a)
{
    return (x + a - 1) & ~(a - 1);
}

static bool range_in(size_t len, uint64_t off, uint64_t size)
{
    return off <= len && size <= len - off;
}

/* [start, start + size) is representable: the end does not pass 2^64-1. */
static bool no_wrap(uint64_t start, uint64_t size)
{
    return size <= UINT64_MAX - start;
}

static int fail(const char **err, int rc, const char *why)
{
    *err = why;
    return rc;
}

void elf_phdr(const struct elf_image *img, unsigned int i,
              struct elf64_phdr *ph)
{
    memcpy(ph, img->data + img->phoff + (uint64_t)i * sizeof(*ph),
           sizeof(*ph));
}

static void elf_shdr(const struct elf_image *img, unsigned int i,
                     struct elf64_shdr *sh)
{
    memcpy(sh, img->data + img->shoff + (uint64_t)i * sizeof(*sh),
           sizeof(*sh));
}

/* ---- Header ------------------------------------------------------------ */

static int check_ident(const struct elf64_ehdr *eh, const char **err)
{
    if ( eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
         eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F' )
        return fail(err, -ENOEXEC, "not an ELF file (bad magic)");
    if ( eh->e_ident[EI_CLASS] != ELFCLASS64 )
        return fail(err, -ENOEXEC, "not ELF64 (EI_CLASS)");
    if ( eh->e_ident[EI_DATA] != ELFDATA2LSB )
        return fail(err, -ENOEXEC, "not little-endian (EI_DATA)");
    if ( eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT )
        return fail(err, -ENOEXEC, "unknown ELF version");
    if ( eh->e_machine != EM_X86_64 )
        return fail(err, -ENOEXEC, "not x86-64 (e_machine)");
    if ( eh->e_type == ET_DYN )
        return fail(err, -ENOEXEC,
                    "not ET_EXEC (ET_DYN: a shared object or PIE)");
    if ( eh->e_type != ET_EXEC )
        return fail(err, -ENOEXEC, "not ET_EXEC (e_type)");
    return 0;
}

static int check_tables(struct elf_image *img, const struct elf64_ehdr *eh)
{
    const char **err = &img->err;

    if ( eh->e_ehsize < sizeof(*eh) )
        return fail(err, -EINVAL, "e_ehsize too small");
    if ( eh->e_phnum == 0 )
        return fail(err, -EINVAL, "no program headers");
    if ( eh->e_phnum > ELF_MAX_PHDRS )
        return fail(err, -EINVAL, "too many program headers");
    if ( eh->e_phentsize != sizeof(struct elf64_phdr) )
        return fail(err, -EINVAL, "e_phentsize is not 56");
    if ( !range_in(img->len, eh->e_phoff,
                   (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr)) )
        return fail(err, -EINVAL, "program header table outside the file");

    /* e_shnum 0 means no sections (extended numbering is not used by
     * kernels), whatever e_shoff says. */
    if ( eh->e_shnum != 0 )
    {
        if ( eh->e_shentsize != sizeof(struct elf64_shdr) )
            return fail(err, -EINVAL, "e_shentsize is not 64");
        if ( !range_in(img->len, eh->e_shoff,
                       (uint64_t)eh->e_shnum * sizeof(struct elf64_shdr)) )
            return fail(err, -EINVAL, "section header table outside the file");
    }

    img->phoff = eh->e_phoff;
    img->phnum = eh->e_phnum;
    img->shoff = eh->e_shoff;
    img->shnum = eh->e_shnum;
    /* A bad index only means the sections have no names. */
    img->shstrndx = eh->e_shstrndx < eh->e_shnum ? eh->e_shstrndx : SHN_UNDEF;
    return 0;
}

/* ---- Segments ---------------------------------------------------------- */

static int check_load(const struct elf_image *img, const struct elf64_phdr *ph,
                      const char **err)
{
    if ( ph->p_filesz > ph->p_memsz )
        return fail(err, -EINVAL, "PT_LOAD with filesz > memsz");
    if ( !range_in(img->len, ph->p_offset, ph->p_filesz) )
        return fail(err, -EINVAL, "PT_LOAD file bytes outside the file");
    if ( !no_wrap(ph->p_vaddr, ph->p_memsz) )
        return fail(err, -EINVAL, "PT_LOAD vaddr + memsz wraps");
    if ( !no_wrap(ph->p_paddr, ph->p_memsz) )
        return fail(err, -EINVAL, "PT_LOAD paddr + memsz wraps");
    if ( ph->p_align & (ph->p_align - 1) )
        return fail(err, -EINVAL, "PT_LOAD p_align not a power of two");
    return 0;
}

/* Loads are placed by paddr, so two loads sharing a physical byte would
 * overwrite each other. */
static int check_overlaps(const struct elf_image *img, const char **err)
{
    struct elf64_phdr a, b;
    unsigned int i, j;

    for ( i = 0; i < img->phnum; i++ )
    {
        elf_phdr(img, i, &a);
        if ( a.p_type != PT_LOAD || a.p_memsz == 0 )
            continue;
        for ( j = i + 1; j < img->phnum; j++ )
        {
            elf_phdr(img, j, &b);
            if ( b.p_type != PT_LOAD || b.p_memsz == 0 )
                continue;
            if ( a.p_paddr < b.p_paddr + b.p_memsz &&
                 b.p_paddr < a.p_paddr + a.p_memsz )
                return fail(err, -EINVAL, "PT_LOAD segments overlap (paddr)");
        }
    }
    return 0;
}

static int scan_loads(struct elf_image *img)
{
    struct elf64_phdr ph;
    unsigned int i;
    int rc;

    img->nr_loads = 0;
    img->pstart = img->vstart = UINT64_MAX;
    img->pend = img->vend = 0;
    for ( i = 0; i < img->phnum; i++ )
    {
        elf_phdr(img, i, &ph);
        if ( ph.p_type != PT_LOAD )
            continue;
        rc = check_load(img, &ph, &img->err);
        if ( rc )
            return rc;
        if ( ph.p_memsz == 0 )
            continue;
        img->nr_loads++;
        img->pstart = min64(img->pstart, ph.p_paddr);
        img->pend = max64(img->pend, ph.p_paddr + ph.p_memsz);
        img->vstart = min64(img->vstart, ph.p_vaddr);
        img->vend = max64(img->vend, ph.p_vaddr + ph.p_memsz);
    }
    if ( img->nr_loads == 0 )
    {
        img->pstart = img->vstart = 0;
        return fail(&img->err, -EINVAL, "no PT_LOAD segment with memsz > 0");
    }
    return check_overlaps(img, &img->err);
}

int elf_init(struct elf_image *img, const void *data, size_t len)
{
    struct elf64_ehdr eh;
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = data;
    img->len = len;
    if ( len < 4 || memcmp(data, "\177ELF", 4) )
        return fail(&img->err, -ENOEXEC, "not an ELF file (bad magic)");
    if ( len < sizeof(eh) )
        return fail(&img->err, -ENOEXEC, "file smaller than an ELF64 header");
    memcpy(&eh, data, sizeof(eh));
    img->entry = eh.e_entry;

    rc = check_ident(&eh, &img->err);
    if ( !rc )
        rc = check_tables(img, &eh);
    if ( !rc )
        rc = scan_loads(img);
    return rc;
}

int elf_for_each_load(const struct elf_image *img,
                      int (*fn)(void *ctx, const struct elf_segment *seg),
                      void *ctx)
{
    struct elf64_phdr ph;
    struct elf_segment seg;
    unsigned int i;
    int rc;

    for ( i = 0; i < img->phnum; i++ )
    {
        elf_phdr(img, i, &ph);
        if ( ph.p_type != PT_LOAD || ph.p_memsz == 0 )
            continue;
        seg.vaddr = ph.p_vaddr;
        seg.paddr = ph.p_paddr;
        seg.filesz = ph.p_filesz;
        seg.memsz = ph.p_memsz;
        seg.flags = ph.p_flags;
        seg.data = img->data + ph.p_offset;
        rc = fn(ctx, &seg);
        if ( rc )
            return rc;
    }
    return 0;
}

struct load_ctx {
    uint64_t dest_offset;
    int (*copy)(void *ctx, uint64_t dest, const void *src, size_t len);
    int (*zero)(void *ctx, uint64_t dest, size_t len);
    void *ctx;
};

static int load_one(void *p, const struct elf_segment *seg)
{
    const struct load_ctx *lc = p;
    uint64_t dest = seg->paddr + lc->dest_offset;
    int rc;

    if ( !no_wrap(dest, seg->memsz) )
        return -EINVAL;
    if ( seg->filesz )
    {
        rc = lc->copy(lc->ctx, dest, seg->data, seg->filesz);
        if ( rc )
            return rc;
    }
    if ( seg->memsz > seg->filesz )
        return lc->zero(lc->ctx, dest + seg->filesz,
                        seg->memsz - seg->filesz);
    return 0;
}

int elf_load(const struct elf_image *img, uint64_t dest_offset,
             int (*copy)(void *ctx, uint64_t dest, const void *src,
                         size_t len),
             int (*zero)(void *ctx, uint64_t dest, size_t len),
             void *ctx)
{
    struct load_ctx lc = {
        .dest_offset = dest_offset, .copy = copy, .zero = zero, .ctx = ctx,
    };

    return elf_for_each_load(img, load_one, &lc);
}

/* ---- Notes ------------------------------------------------------------- */

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* Walk the notes in data[off, off + size).  The last note may end without
 * the padding after its descriptor. */
static int walk_notes(const struct elf_image *img, uint64_t off,
                      uint64_t size, uint64_t align,
                      int (*fn)(void *ctx, const struct elf_note *note),
                      void *ctx, const char **err)
{
    const uint8_t *p, *end;
    uint64_t pad = align == 8 ? 8 : 4;

    if ( !range_in(img->len, off, size) )
        return fail(err, -EINVAL, "note container outside the file");
    p = img->data + off;
    end = p + size;
    while ( p < end )
    {
        struct elf_note note;
        uint64_t left = end - p, name_len, desc_off, desc_len;
        int rc;

        if ( left < sizeof(struct elf64_nhdr) )
            return fail(err, -EINVAL, "truncated note header");
        note.namesz = get_le32(p);
        note.descsz = get_le32(p + 4);
        note.type = get_le32(p + 8);
        /* 64-bit sums of 32-bit sizes: no wrap. */
        name_len = roundup64(note.namesz, pad);
        desc_off = sizeof(struct elf64_nhdr) + name_len;
        desc_len = roundup64(note.descsz, pad);
        if ( desc_off > left || note.descsz > left - desc_off )
            return fail(err, -EINVAL, "truncated note");
        note.name = (const char *)p + sizeof(struct elf64_nhdr);
        note.desc = p + desc_off;
        rc = fn(ctx, &note);
        if ( rc )
            return rc;
        p += min64(desc_off + desc_len, left);
    }
    return 0;
}

/* Walks the notes of every PT_NOTE segment (sections false) or every
 * SHT_NOTE section (sections true); *found says whether there was any. */
static int walk_containers(const struct elf_image *img, bool sections,
                           int (*fn)(void *ctx, const struct elf_note *note),
                           void *ctx, const char **err, bool *found)
{
    unsigned int i, n = sections ? img->shnum : img->phnum;
    int rc;

    *found = false;
    for ( i = 0; i < n; i++ )
    {
        uint64_t off, size, align;

        if ( sections )
        {
            struct elf64_shdr sh;

            elf_shdr(img, i, &sh);
            if ( sh.sh_type != SHT_NOTE )
                continue;
            off = sh.sh_offset, size = sh.sh_size, align = sh.sh_addralign;
        }
        else
        {
            struct elf64_phdr ph;

            elf_phdr(img, i, &ph);
            if ( ph.p_type != PT_NOTE )
                continue;
            off = ph.p_offset, size = ph.p_filesz, align = ph.p_align;
        }
        *found = true;
        rc = walk_notes(img, off, size, align, fn, ctx, err);
        if ( rc )
            return rc;
    }
    return 0;
}

int elf_for_each_note(const struct elf_image *img,
                      int (*fn)(void *ctx, const struct elf_note *note),
                      void *ctx, const char **err)
{
    const char *dummy;
    bool found;
    int rc;

    if ( !err )
        err = &dummy;
    rc = walk_containers(img, false, fn, ctx, err, &found);
    if ( rc || found )
        return rc;
    return walk_containers(img, true, fn, ctx, err, &found);
}

/* ---- Sections ---------------------------------------------------------- */

int elf_find_section(const struct elf_image *img, const char *name,
                     struct elf64_shdr *sh)
{
    struct elf64_shdr strtab;
    uint64_t want = strlen(name) + 1;
    unsigned int i;

    if ( img->shstrndx == SHN_UNDEF )
        return -ENOENT;
    elf_shdr(img, img->shstrndx, &strtab);
    if ( strtab.sh_type == SHT_NOBITS ||
         !range_in(img->len, strtab.sh_offset, strtab.sh_size) )
        return -ENOENT;
    for ( i = 1; i < img->shnum; i++ )
    {
        elf_shdr(img, i, sh);
        if ( sh->sh_name >= strtab.sh_size ||
             want > strtab.sh_size - sh->sh_name ||
             memcmp(img->data + strtab.sh_offset + sh->sh_name, name, want) )
            continue;
        if ( sh->sh_type != SHT_NOBITS &&
             !range_in(img->len, sh->sh_offset, sh->sh_size) )
            return -EINVAL;
        return 0;
    }
    return -ENOENT;
}

/* ---- Xen notes --------------------------------------------------------- */

/* XENFEAT_* names as FEATURES notes spell them (public/features.h). */
static const struct {
    const char *name;
    unsigned int bit;
} feature_names[] = {
    { "writable_page_tables",       XENFEAT_writable_page_tables },
    { "writable_descriptor_tables", XENFEAT_writable_descriptor_tables },
    { "auto_translated_physmap",    XENFEAT_auto_translated_physmap },
    { "supervisor_mode_kernel",     XENFEAT_supervisor_mode_kernel },
    { "pae_pgdir_above_4gb",        XENFEAT_pae_pgdir_above_4gb },
    { "mmu_pt_update_preserve_ad",  XENFEAT_mmu_pt_update_preserve_ad },
    { "highmem_assist",             XENFEAT_highmem_assist },
    { "gnttab_map_avail_bits",      XENFEAT_gnttab_map_avail_bits },
    { "hvm_callback_vector",        XENFEAT_hvm_callback_vector },
    { "hvm_safe_pvclock",           XENFEAT_hvm_safe_pvclock },
    { "hvm_pirqs",                  XENFEAT_hvm_pirqs },
    { "dom0",                       XENFEAT_dom0 },
    { "linux_rsdp_unrestricted",    XENFEAT_linux_rsdp_unrestricted },
};

int elf_xen_feature_bit(const char *name, size_t len)
{
    unsigned int i;

    for ( i = 0; i < LEN(feature_names); i++ )
        if ( strlen(feature_names[i].name) == len &&
             !memcmp(feature_names[i].name, name, len) )
            return feature_names[i].bit;
    return -1;
}

static int parse_features(struct elf_xen_notes *xn)
{
    const char *p = xn->features;

    while ( *p )
    {
        const char *tok = p;
        size_t len;
        bool required = false;
        int bit;

        while ( *p && *p != '|' )
            p++;
        len = p - tok;
        if ( *p == '|' )
            p++;
        if ( len && *tok == '!' )
        {
            required = true;
            tok++;
            len--;
        }
        if ( len == 0 )
            continue;
        bit = elf_xen_feature_bit(tok, len);
        if ( bit < 0 )
        {
            if ( required )
                return fail(&xn->err, -EOPNOTSUPP,
                            "FEATURES requires an unknown feature");
            continue;
        }
        xn->features_wanted |= 1u << bit;
        if ( required )
            xn->features_required |= 1u << bit;
    }
    return 0;
}

static int note_number(const struct elf_note *n, uint64_t *val,
                       const char **err)
{
    if ( n->descsz == 4 )
        *val = get_le32(n->desc);
    else if ( n->descsz == 8 )
        *val = get_le64(n->desc);
    else
        return fail(err, -EINVAL, "numeric Xen note not 4 or 8 bytes");
    return 0;
}

/* Copy a string note, which may or may not carry its NUL (Linux's
 * FEATURES is .ascii); stops at the first NUL. */
static int note_string(const struct elf_note *n, char *buf, size_t size,
                       const char **err)
{
    const char *s = n->desc;
    size_t len = 0;

    while ( len < n->descsz && s[len] )
        len++;
    if ( len >= size )
        return fail(err, -EINVAL, "Xen string note too long");
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

static int note_l1_mfn_valid(const struct elf_note *n,
                             struct elf_xen_notes *xn)
{
    const uint8_t *d = n->desc;

    if ( n->descsz == 8 )
    {
        xn->l1_mfn_valid_mask = get_le32(d);
        xn->l1_mfn_valid_value = get_le32(d + 4);
    }
    else if ( n->descsz == 16 )
    {
        xn->l1_mfn_valid_mask = get_le64(d);
        xn->l1_mfn_valid_value = get_le64(d + 8);
    }
    else
        return fail(&xn->err, -EINVAL, "L1_MFN_VALID not 8 or 16 bytes");
    return 0;
}

static bool is_xen_note(const struct elf_note *n)
{
    return n->namesz == sizeof(XEN_ELFNOTE_OWNER) &&
           !memcmp(n->name, XEN_ELFNOTE_OWNER, sizeof(XEN_ELFNOTE_OWNER));
}

static int collect_xen_note(void *ctx, const struct elf_note *n)
{
    struct elf_xen_notes *xn = ctx;
    const char **err = &xn->err;
    uint64_t *num = NULL;
    char *str = NULL;
    size_t str_size = ELF_XEN_STR_MAX;

    if ( !is_xen_note(n) || n->type == XEN_ELFNOTE_INFO ||
         n->type > XEN_ELFNOTE_MAX )
        return 0;
    if ( ELF_XEN_HAS(xn, n->type) )
        return fail(err, -EINVAL, "duplicate Xen note");
    xn->present |= 1u << n->type;

    switch ( n->type )
    {
    case XEN_ELFNOTE_ENTRY:          num = &xn->entry; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: num = &xn->hypercall_page; break;
    case XEN_ELFNOTE_VIRT_BASE:      num = &xn->virt_base; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   num = &xn->paddr_offset; break;
    case XEN_ELFNOTE_HV_START_LOW:   num = &xn->hv_start_low; break;
    case XEN_ELFNOTE_SUSPEND_CANCEL: num = &xn->suspend_cancel; break;
    case XEN_ELFNOTE_INIT_P2M:       num = &xn->init_p2m; break;
    case XEN_ELFNOTE_MOD_START_PFN:  num = &xn->mod_start_pfn; break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES: num = &xn->supported_features; break;
    case XEN_ELFNOTE_PHYS32_ENTRY:   num = &xn->phys32_entry; break;
    case XEN_ELFNOTE_XEN_VERSION:    str = xn->xen_version; break;
    case XEN_ELFNOTE_GUEST_OS:       str = xn->guest_os; break;
    case XEN_ELFNOTE_GUEST_VERSION:  str = xn->guest_version; break;
    case XEN_ELFNOTE_LOADER:         str = xn->loader; break;
    case XEN_ELFNOTE_PAE_MODE:       str = xn->pae_mode; break;
    case XEN_ELFNOTE_BSD_SYMTAB:     str = xn->bsd_symtab; break;
    case XEN_ELFNOTE_FEATURES:
        str = xn->features;
        str_size = sizeof(xn->features);
        break;
    case XEN_ELFNOTE_L1_MFN_VALID:
        return note_l1_mfn_valid(n, xn);
    }
    if ( num )
        return note_number(n, num, err);
    if ( str )
        return note_string(n, str, str_size, err);
    return 0;
}

int elf_xen_notes(const struct elf_image *img, struct elf_xen_notes *xn)
{
    int rc;

    bool found;

    memset(xn, 0, sizeof(*xn));
    /* As Xen: the segments' notes, or if they hold no Xen note (or there
     * is no PT_NOTE), the sections'. */
    rc = walk_containers(img, false, collect_xen_note, xn, &xn->err, &found);
    if ( !rc && xn->present == 0 )
        rc = walk_containers(img, true, collect_xen_note, xn, &xn->err,
                             &found);
    if ( rc )
        return rc;
    return parse_features(xn);
}

/* ---- The legacy __xen_guest string ------------------------------------ */

/* An unsigned number as C writes it: 0x hex, leading-0 octal, or decimal;
 * the whole of s[0, len) and no overflow. */
static int parse_number(const char *s, size_t len, uint64_t *val)
{
    unsigned int base = 10, digit;
    uint64_t v = 0;
    size_t i = 0;

    if ( len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        i = 2;
    }
    else if ( len > 1 && s[0] == '0' )
        base = 8;
    if ( i == len )
        return -EINVAL;
    for ( ; i < len; i++ )
    {
        char c = s[i];

        if ( c >= '0' && c <= '9' )
            digit = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            digit = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            digit = c - 'A' + 10;
        else
            return -EINVAL;
        if ( digit >= base || v > (UINT64_MAX - digit) / base )
            return -EINVAL;
        v = v * base + digit;
    }
    *val = v;
    return 0;
}

static bool key_is(const char *key, size_t len, const char *name)
{
    return strlen(name) == len && !memcmp(key, name, len);
}

/* Stores one KEY=VALUE item where the note it stands for would go. */
static int legacy_item(struct elf_xen_notes *xn, const char *key,
                       size_t klen, const char *val, size_t vlen,
                       uint64_t *hypercall_pfn)
{
    static const struct {
        const char *key;
        unsigned int type;
    } keys[] = {
        { "VIRT_ENTRY",       XEN_ELFNOTE_ENTRY },
        { "HYPERCALL_PAGE",   XEN_ELFNOTE_HYPERCALL_PAGE },
        { "VIRT_BASE",        XEN_ELFNOTE_VIRT_BASE },
        { "ELF_PADDR_OFFSET", XEN_ELFNOTE_PADDR_OFFSET },
        { "XEN_VER",          XEN_ELFNOTE_XEN_VERSION },
        { "GUEST_OS",         XEN_ELFNOTE_GUEST_OS },
        { "GUEST_VER",        XEN_ELFNOTE_GUEST_VERSION },
        { "LOADER",           XEN_ELFNOTE_LOADER },
        { "PAE",              XEN_ELFNOTE_PAE_MODE },
        { "FEATURES",         XEN_ELFNOTE_FEATURES },
        { "BSD_SYMTAB",       XEN_ELFNOTE_BSD_SYMTAB },
    };
    uint64_t *num = NULL;
    char *str = NULL;
    size_t str_size = ELF_XEN_STR_MAX;
    unsigned int i, type;

    for ( i = 0; i < LEN(keys); i++ )
        if ( key_is(key, klen, keys[i].key) )
            break;
    if ( i == LEN(keys) )
        return 0;                       /* unknown keys are ignored */
    type = keys[i].type;
    xn->present |= 1u << type;          /* a repeated key: the last wins */

    switch ( type )
    {
    case XEN_ELFNOTE_ENTRY:          num = &xn->entry; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: num = hypercall_pfn; break;
    case XEN_ELFNOTE_VIRT_BASE:      num = &xn->virt_base; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   num = &xn->paddr_offset; break;
    case XEN_ELFNOTE_XEN_VERSION:    str = xn->xen_version; break;
    case XEN_ELFNOTE_GUEST_OS:       str = xn->guest_os; break;
    case XEN_ELFNOTE_GUEST_VERSION:  str = xn->guest_version; break;
    case XEN_ELFNOTE_LOADER:         str = xn->loader; break;
    case XEN_ELFNOTE_PAE_MODE:       str = xn->pae_mode; break;
    case XEN_ELFNOTE_FEATURES:
        str = xn->features;
        str_size = sizeof(xn->features);
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        /* A flag: present means "yes", whatever follows it. */
        val = "yes";
        vlen = 3;
        str = xn->bsd_symtab;
        break;
    }
    if ( num )
        return parse_number(val, vlen, num) ?
               fail(&xn->err, -EINVAL, "bad number in __xen_guest") : 0;
    if ( vlen >= str_size )
        return fail(&xn->err, -EINVAL, "__xen_guest value too long");
    memcpy(str, val, vlen);
    str[vlen] = '\0';
    return 0;
}

/* Reads the __xen_guest section, if there is one, into xn (which the
 * caller zeroed).  -ENOENT without one. */
static int legacy_guest_info(const struct elf_image *img,
                             struct elf_xen_notes *xn)
{
    struct elf64_shdr sh;
    const char *p, *end;
    uint64_t hypercall_pfn = 0;
    int rc;

    rc = elf_find_section(img, "__xen_guest", &sh);
    if ( rc == -EINVAL )
        return fail(&xn->err, rc, "__xen_guest section outside the file");
    if ( rc || sh.sh_type == SHT_NOBITS )
        return -ENOENT;
    p = (const char *)img->data + sh.sh_offset;
    end = p + sh.sh_size;
    xn->legacy = true;
    while ( p < end && *p )
    {
        const char *key = p, *eq = NULL, *val;
        size_t klen, vlen;

        while ( p < end && *p && *p != ',' )
        {
            if ( *p == '=' && !eq )
                eq = p;
            p++;
        }
        klen = (eq ? eq : p) - key;
        val = eq ? eq + 1 : p;
        vlen = p - val;
        if ( p < end && *p == ',' )
            p++;
        if ( klen && (rc = legacy_item(xn, key, klen, val, vlen,
                                       &hypercall_pfn)) )
            return rc;
    }
    /* The legacy HYPERCALL_PAGE is a page number, not an address. */
    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_HYPERCALL_PAGE) )
    {
        if ( hypercall_pfn > (UINT64_MAX - xn->virt_base) / ELF_PAGE_SIZE )
            return fail(&xn->err, -EINVAL, "HYPERCALL_PAGE out of range");
        xn->hypercall_page = xn->virt_base + hypercall_pfn * ELF_PAGE_SIZE;
    }
    return parse_features(xn);
}

/* ---- What a Xen PV kernel is ------------------------------------------ */

static bool starts_with(const char *s, const char *prefix)
{
    return !memcmp(s, prefix, strlen(prefix));
}

int elf_xen_parse(const struct elf_image *img, struct elf_xen_notes *xn)
{
    uint64_t off;
    int rc;

    rc = elf_xen_notes(img, xn);
    if ( rc )
        return rc;
    if ( xn->present == 0 )
    {
        rc = legacy_guest_info(img, xn);
        if ( rc == -ENOENT )
            return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (no Xen "
                        "ELF notes and no __xen_guest section)");
        if ( rc )
            return rc;
    }

    /* strncmp-style prefixes: the strings are NUL-terminated copies and
     * the buffers are longer than the prefixes. */
    if ( !starts_with(xn->xen_version, "xen-3.0") )
        return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (XEN_VERSION "
                    "is not \"xen-3.0\")");
    if ( !starts_with(xn->guest_os, "linux") &&
         !starts_with(xn->loader, "generic") )
        return fail(&xn->err, -ENOEXEC, "not a Xen PV kernel (neither "
                    "GUEST_OS \"linux\" nor LOADER \"generic\")");

    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_PADDR_OFFSET) &&
         !ELF_XEN_HAS(xn, XEN_ELFNOTE_VIRT_BASE) )
        return fail(&xn->err, -EINVAL, "PADDR_OFFSET without VIRT_BASE");
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_VIRT_BASE) )
        xn->virt_base = 0;
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_PADDR_OFFSET) )
        xn->paddr_offset = xn->legacy ? xn->virt_base : 0;
    if ( !ELF_XEN_HAS(xn, XEN_ELFNOTE_ENTRY) )
        xn->entry = img->entry;

    /* The image's VA range; elf_init guaranteed pstart < pend.  With no
     * segment below PADDR_OFFSET, a wrap shows as virt_kstart < VIRT_BASE
     * or virt_kend < virt_kstart. */
    if ( img->pstart < xn->paddr_offset )
        return fail(&xn->err, -EINVAL, "a segment loads below PADDR_OFFSET");
    off = elf_xen_virt_offset(xn);
    xn->virt_kstart = img->pstart + off;
    xn->virt_kend = img->pend + off;
    if ( xn->virt_kend < xn->virt_kstart || xn->virt_kstart < xn->virt_base )
        return fail(&xn->err, -EINVAL,
                    "the image maps below VIRT_BASE or wraps");
    if ( xn->entry < xn->virt_kstart || xn->entry >= xn->virt_kend )
        return fail(&xn->err, -EINVAL,
                    "the entry point is outside the image");
    if ( ELF_XEN_HAS(xn, XEN_ELFNOTE_HYPERCALL_PAGE) &&
         ((xn->hypercall_page & (ELF_PAGE_SIZE - 1)) ||
          xn->virt_kend - xn->virt_kstart < ELF_PAGE_SIZE ||
          xn->hypercall_page < xn->virt_kstart ||
          xn->hypercall_page > xn->virt_kend - ELF_PAGE_SIZE) )
        return fail(&xn->err, -EINVAL,
                    "HYPERCALL_PAGE is not a page of the image");
    return 0;
}
