/* ELF64 reader for the domain builders (the hypervisor's dom0 builder and
 * libxc's, which compile this same file): header and segment validation,
 * note walking and sections.  The Xen notes, the legacy __xen_guest string
 * and what makes an image a Xen PV kernel are in libelf-xen.c (see
 * xen/libelf.h for the API and its rules).  Freestanding: libelf-env.h supplies the few library calls.
 *
 * Every value from the file is treated as hostile.  Ranges are checked as
 * "offset <= len && size <= len - offset", which cannot wrap, and headers
 * are memcpy'd out of the buffer so that no field is read misaligned. */

#include <xen/libelf.h>
#include <public/elfnote.h>
#include <public/features.h>
#include "libelf-env.h"
#include "libelf-private.h"

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr size");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 shdr size");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "ELF note header size");
_Static_assert(XEN_ELFNOTE_MAX < 32, "'present' is a 32-bit mask");


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
int elf_walk_containers(const struct elf_image *img, bool sections,
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
    rc = elf_walk_containers(img, false, fn, ctx, err, &found);
    if ( rc || found )
        return rc;
    return elf_walk_containers(img, true, fn, ctx, err, &found);
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
