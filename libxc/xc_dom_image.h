/*
 * xc_dom_image.h - what the PV domain builder's files share: a kernel
 * image in memory with what its ELF headers and Xen notes say, and the
 * file readers.  Internal to libxc.
 */
#ifndef XC_DOM_IMAGE_H
#define XC_DOM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"

struct xc_dom_kcache_entry;

struct xc_dom_kernel {
    uint8_t *image;            /* the whole ELF file, decompressed */
    size_t len;
    xc_dom_kernel_info_t info;
    /* Set when image is the builder's cache's, lent (read it only);
     * xc_dom_kernel_free gives it back instead of freeing it. */
    struct xc_dom_kcache_entry *cached;
};

/* Free k->image, or give it back to the cache it was lent from. */
void xc_dom_kernel_free(struct xc_dom_kernel *k);

/* Parse img (len bytes, owned by the caller) as a PV kernel into k->info;
 * k->image/len are set to img/len.  0, or -1 with a reason in err. */
int xc_dom_elf_parse(struct xc_dom_kernel *k, uint8_t *img, size_t len,
                     char *err, size_t errlen);

/* Copy every PT_LOAD segment into dest, which holds pseudo-physical
 * memory [0, dest_len): file bytes, then zeroes up to p_memsz. */
int xc_dom_elf_load(const struct xc_dom_kernel *k, uint8_t *dest,
                    uint64_t dest_len, char *err, size_t errlen);

/* Read a whole file, inflating it if it is gzip'd (gunzip != 0), into a
 * malloc'd buffer of at most max bytes.  0, or a positive errno with a
 * reason in err. */
int xc_dom_read_file(const char *path, int gunzip, size_t max,
                     uint8_t **buf, size_t *len, int *was_gzip,
                     char *err, size_t errlen);

/* The last bzImage's unpacked kernel (xc_dom_kcache.c).  get: checksum
 * img into *sum; on a hit the kept kernel, lent (*elf, *elf_len) and its
 * entry to release, else NULL.  put: the cache takes elf over (the
 * caller's build borrows it: release the entry returned when done); NULL
 * if it could not, and the caller still owns elf. */
struct xc_dom_kcache_entry *
xc_dom_kernel_cache_get(const uint8_t *img, size_t len, uint64_t *sum,
                        uint8_t **elf, size_t *elf_len);
struct xc_dom_kcache_entry *
xc_dom_kernel_cache_put(size_t len, uint64_t sum, uint8_t *elf,
                        size_t elf_len);
void xc_dom_kernel_cache_release(struct xc_dom_kcache_entry *e);
void xc_dom_kernel_cache_stats(uint64_t *hits, uint64_t *misses);

/* Read, inflate and parse a kernel file; k->image is malloc'd (free it). */
int xc_dom_kernel_load(xc_interface *h, const char *path,
                       struct xc_dom_kernel *k);

/*
 * The start-of-day layout of a PV domain, in pseudo-physical frames
 * (the same ABI as dom0's, see xen/arch/x86/pv/dom0_build.c):
 *
 *   0 .. kernel end        kernel image, by p_paddr (VIRT_BASE = pfn 0)
 *   ramdisk                here only if the kernel cannot take it by PFN
 *   p2m list               nr_pages * 8 bytes
 *   start_info             one page
 *   console ring           one page (struct xencons_interface)
 *   page tables            L4, L3, L2, L1s, mapped read-only
 *   boot stack             one page
 *   padding                >= 512 KiB, the mapping ends on 4 MiB
 *   ramdisk                unmapped, by PFN (SIF_MOD_START_PFN)
 */
struct xc_dom_layout {
    uint64_t nr_pages;         /* memory the domain gets                */
    uint64_t virt_base;
    uint64_t ramdisk_pfn, ramdisk_len;
    int      ramdisk_mapped;
    uint64_t p2m_pfn, p2m_frames;
    uint64_t start_info_pfn;
    uint64_t console_pfn;
    uint64_t pt_pfn, nr_pt;
    uint64_t stack_pfn;
    uint64_t mapped_pages;     /* [virt_base, virt_base + this * 4K)    */
    uint64_t touched_pages;    /* frames the builder writes: [0, this)  */
};

/* Fill in l from the kernel, ramdisk size and memory.  0, or -1 with a
 * reason in err (it does not fit). */
int xc_dom_layout_compute(struct xc_dom_layout *l,
                          const xc_dom_kernel_info_t *ki,
                          uint64_t ramdisk_len, uint64_t nr_pages,
                          char *err, size_t errlen);

/* Write the bootstrap page tables into mem (pseudo-physical 0..touched),
 * with frame numbers from p2m. */
void xc_dom_write_page_tables(const struct xc_dom_layout *l, uint8_t *mem,
                              const uint64_t *p2m);

/* Fill a page with hypercall stubs (kernels with a HYPERCALL_PAGE note). */
void xc_dom_fill_hypercall_page(uint8_t *page);

static inline uint64_t xc_dom_pfn_va(const struct xc_dom_layout *l,
                                     uint64_t pfn)
{
    return l->virt_base + (pfn << XC_PAGE_SHIFT);
}

/* mmuext_op PIN_L<level>_TABLE of frame mfn on the domain's behalf
 * (foreigndom = domid); a failure's message starts with who. */
int xc_dom_pin_table(xc_interface *h, uint32_t domid, unsigned level,
                     uint64_t mfn, const char *who);
/* The builder's: PIN_L4_TABLE of the bootstrap L4. */
int xc_dom_pin_l4(xc_interface *h, uint32_t domid, uint64_t l4_mfn);
/* setvcpucontext for vCPU 0: RIP entry, RSP the boot stack's top, RSI
 * start_info, CR3 the pinned L4, kernel mode, online. */
int xc_dom_start_vcpu0(xc_interface *h, uint32_t domid,
                       const struct xc_dom_layout *l, uint64_t entry,
                       uint64_t l4_mfn);

#endif /* XC_DOM_IMAGE_H */
