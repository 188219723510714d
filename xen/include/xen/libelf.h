/* ELF64 and Xen-note reader shared by the hypervisor's dom0 builder and
 * libxc's domU builder (one source, xen/common/libelf.c, compiled into
 * both).  This header and the .c use only the compiler's freestanding
 * headers; xen/common/libelf-env.h maps the few library calls to the
 * hypervisor's or the C library's.
 *
 * The image is untrusted: every offset, size and count is checked against
 * the buffer before use, and no arithmetic on file values may wrap.  Only
 * what a PV kernel needs is supported: ELF64, little-endian, x86-64,
 * ET_EXEC.  The buffer need not be aligned; headers are copied out before
 * they are read.
 *
 * Typical use:
 *     struct elf_image img;
 *     struct elf_xen_notes xn;
 *     if ( elf_init(&img, data, len) )          -> printk img.err
 *     if ( elf_xen_parse(&img, &xn) )           -> printk xn.err
 *     off = elf_xen_virt_offset(&xn);
 *     guest VA range: [xn.virt_kstart, xn.virt_kend)
 *     elf_load(&img, off, copy_fn, zero_fn, ctx);
 *
 * Errors are negative errno values, and a failing call also leaves a short
 * constant reason string in the struct it fills ("err"):
 *   -ENOEXEC     not an ELF image this reader loads (magic, class, byte
 *                order, version, machine, type)
 *   -EINVAL      malformed: tables or segments outside the file, bad sizes,
 *                overlapping or wrapping segments, truncated notes,
 *                duplicate or wrongly sized Xen notes
 *   -EOPNOTSUPP  the kernel's FEATURES note requires a feature this reader
 *                does not know
 */
#ifndef XEN_LIBELF_H
#define XEN_LIBELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- The file format (System V gABI, ELF64) --------------------------- */

#define EI_NIDENT    16
#define EI_CLASS     4
#define EI_DATA      5
#define EI_VERSION   6
#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define EV_CURRENT   1
#define ET_EXEC      2
#define ET_DYN       3
#define EM_X86_64    62

#define PT_NULL      0
#define PT_LOAD      1
#define PT_NOTE      4
#define PF_X         1
#define PF_W         2
#define PF_R         4

#define SHT_NOTE     7
#define SHT_NOBITS   8
#define SHN_UNDEF    0

struct elf64_ehdr {
    uint8_t  e_ident[EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

struct elf64_shdr {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
};

struct elf64_nhdr {
    uint32_t n_namesz;      /* name bytes, NUL included */
    uint32_t n_descsz;
    uint32_t n_type;
};

/* More program headers than any kernel has; bounds the overlap check. */
#define ELF_MAX_PHDRS 128

/* ---- The image --------------------------------------------------------- */

struct elf_image {
    const uint8_t *data;
    size_t len;
    uint64_t entry;         /* e_entry (the native entry, not Xen's) */
    uint64_t phoff, shoff;
    unsigned int phnum, shnum;
    unsigned int shstrndx;  /* section of section names, SHN_UNDEF if none */
    unsigned int nr_loads;  /* PT_LOAD segments with memsz > 0 */
    /* Extent of those segments, [start, end), by physical and by virtual
     * address (0 when nr_loads is 0).  Linux places .data..percpu at
     * vaddr 0, so its vaddr range is not meaningful: load by paddr. */
    uint64_t pstart, pend;
    uint64_t vstart, vend;
    const char *err;        /* why the last failing call failed */
};

/* A validated PT_LOAD segment: data[0..filesz) comes from the file, and
 * memsz - filesz zero bytes follow it. */
struct elf_segment {
    uint64_t vaddr, paddr;
    uint64_t filesz, memsz;
    uint32_t flags;         /* PF_* */
    const void *data;       /* inside the image */
};

/* One note from a PT_NOTE segment (or SHT_NOTE section). */
struct elf_note {
    const char *name;       /* namesz bytes, normally NUL-terminated */
    uint32_t namesz;
    uint32_t type;
    const void *desc;       /* descsz bytes inside the image, any alignment */
    uint32_t descsz;
};

/* Validates the ELF header, the program header table, every PT_LOAD
 * (filesz <= memsz, file bytes inside the image, no address wrap, no two
 * overlapping by paddr) and the section header table's placement, and
 * fills img.  The data must stay in place while img is used. */
int elf_init(struct elf_image *img, const void *data, size_t len);

/* Reads program header i (< img->phnum) of an initialised image. */
void elf_phdr(const struct elf_image *img, unsigned int i,
              struct elf64_phdr *ph);

/* Calls fn for each PT_LOAD with memsz > 0, in table order; stops at and
 * returns the first non-zero result.  0 when all returned 0. */
int elf_for_each_load(const struct elf_image *img,
                      int (*fn)(void *ctx, const struct elf_segment *seg),
                      void *ctx);

/* Calls fn for each note of the PT_NOTE segments, or of the SHT_NOTE
 * sections if there is no PT_NOTE (never both: kernels carry the same
 * notes in each).  Names and descriptors are padded to 4 bytes, or to 8 in
 * a container aligned to 8.  -EINVAL (img->err is not touched; the reason
 * goes to *err if err is non-NULL) for a container outside the file or a
 * truncated note; otherwise as elf_for_each_load. */
int elf_for_each_note(const struct elf_image *img,
                      int (*fn)(void *ctx, const struct elf_note *note),
                      void *ctx, const char **err);

/* Finds the section called name: 0 and *sh filled, -ENOENT if there is
 * none (or no valid section-name table), -EINVAL if its bytes (unless
 * SHT_NOBITS) lie outside the file. */
int elf_find_section(const struct elf_image *img, const char *name,
                     struct elf64_shdr *sh);

/* Copies every PT_LOAD to paddr + dest_offset: copy() the file bytes, then
 * zero() the rest of memsz.  A callback's non-zero result stops the load
 * and is returned.  -EINVAL if a destination would wrap. */
int elf_load(const struct elf_image *img, uint64_t dest_offset,
             int (*copy)(void *ctx, uint64_t dest, const void *src,
                         size_t len),
             int (*zero)(void *ctx, uint64_t dest, size_t len),
             void *ctx);

/* ---- Xen notes (owner "Xen", types in public/elfnote.h) ---------------- */

#define ELF_XEN_STR_MAX 64      /* longest string note kept, NUL included */
#define ELF_XEN_FEATURES_MAX 256

struct elf_xen_notes {
    uint32_t present;           /* bit n set: note type n was found */

    /* Numeric notes (descriptor of 4 or 8 bytes, little-endian). */
    uint64_t entry;             /* XEN_ELFNOTE_ENTRY */
    uint64_t hypercall_page;
    uint64_t virt_base;
    uint64_t paddr_offset;
    uint64_t hv_start_low;
    uint64_t suspend_cancel;
    uint64_t init_p2m;
    uint64_t mod_start_pfn;
    uint64_t supported_features;    /* XENFEAT_* bits the kernel handles */
    uint64_t phys32_entry;          /* PVH only; recorded, not used */
    /* XEN_ELFNOTE_L1_MFN_VALID: two values of 4 or 8 bytes each. */
    uint64_t l1_mfn_valid_mask, l1_mfn_valid_value;

    /* String notes, NUL-terminated copies ("" when absent). */
    char xen_version[ELF_XEN_STR_MAX];
    char guest_os[ELF_XEN_STR_MAX];
    char guest_version[ELF_XEN_STR_MAX];
    char loader[ELF_XEN_STR_MAX];
    char pae_mode[ELF_XEN_STR_MAX];
    char bsd_symtab[ELF_XEN_STR_MAX];
    char features[ELF_XEN_FEATURES_MAX];

    /* XEN_ELFNOTE_FEATURES parsed: '|'-separated XENFEAT_* names, a '!'
     * prefix marks a feature the kernel requires. */
    uint32_t features_wanted;       /* every named feature */
    uint32_t features_required;     /* the '!' ones */

    /* Filled by elf_xen_parse. */
    bool legacy;                /* read from the __xen_guest section */
    uint64_t virt_kstart, virt_kend;    /* the image's VAs, [start, end) */

    const char *err;
};

#define ELF_XEN_HAS(xn, type) (((xn)->present >> (type)) & 1)

/* Collects the Xen notes: from the PT_NOTE segments, or if those hold no
 * Xen note (or there are none), from the SHT_NOTE sections.  Other
 * owners' notes, XEN_ELFNOTE_INFO and types this reader does not know are
 * skipped; a known type seen twice, a numeric note not 4 or 8 bytes long,
 * or a string that does not fit are -EINVAL.  A '!' feature with an unknown name is -EOPNOTSUPP; unknown
 * optional names are ignored. */
int elf_xen_notes(const struct elf_image *img, struct elf_xen_notes *xn);

/* What a Xen PV kernel is: the one check both builders make (the rules
 * and defaults of Xen's own builders, docs/guest-abi.md):
 *  - the Xen notes as elf_xen_notes reads them; if the image has none, the
 *    legacy "__xen_guest" section, a string of comma-separated KEY=VALUE
 *    items (GUEST_OS, GUEST_VER, XEN_VER, LOADER, PAE, FEATURES,
 *    BSD_SYMTAB, VIRT_BASE, VIRT_ENTRY, ELF_PADDR_OFFSET, HYPERCALL_PAGE =
 *    a page number counted from VIRT_BASE; other keys ignored), recorded
 *    in the same fields and 'present' bits as the notes they became;
 *  - XEN_VERSION must start "xen-3.0", and GUEST_OS must start "linux" or
 *    LOADER "generic" (-ENOEXEC otherwise: not a Xen PV kernel);
 *  - defaults: ENTRY = e_entry, VIRT_BASE = 0, PADDR_OFFSET = 0 with
 *    notes and VIRT_BASE with __xen_guest; PADDR_OFFSET without VIRT_BASE
 *    is -EINVAL;
 *  - no segment's paddr is below PADDR_OFFSET, and the image maps at
 *    [virt_kstart, virt_kend) = [pstart, pend) + elf_xen_virt_offset,
 *    which must not start below VIRT_BASE or wrap;
 *    ENTRY lies inside it, and HYPERCALL_PAGE (if given) is a whole
 *    page-aligned page of it (-EINVAL otherwise).
 * Feature policy (what a dom0 or a domU may require) is the caller's. */
int elf_xen_parse(const struct elf_image *img, struct elf_xen_notes *xn);

/* The XENFEAT_* bit a FEATURES name stands for, or -1 if unknown.  name
 * need not be NUL-terminated. */
int elf_xen_feature_bit(const char *name, size_t len);

/* What to add to a p_paddr to get the guest virtual address Xen loads it
 * at: VIRT_BASE - PADDR_OFFSET (both 0 when absent). */
static inline uint64_t elf_xen_virt_offset(const struct elf_xen_notes *xn)
{
    return xn->virt_base - xn->paddr_offset;
}

#endif /* XEN_LIBELF_H */
