/*
 * xc_dom_layout.c - where the start-of-day pieces of a PV domain go, and
 * the bootstrap page tables that map them (layout in xc_dom_image.h).
 *
 * The mapping is one run of 4 KiB pages from VIRT_BASE, inside a single
 * L2 (1 GiB): Linux copies exactly that L2 when it takes over its page
 * tables.  The hypervisor's L4 slots are left empty; it fills them when
 * it validates the L4 at pin time.
 */
#include <stdio.h>
#include <string.h>

#include "xc_dom_image.h"

#define PTE_P   0x001ull
#define PTE_RW  0x002ull
#define PTE_US  0x004ull
#define PTE_A   0x020ull
#define PTE_D   0x040ull
/* Leaf entries and the upper levels, as the dom0 builder uses them. */
#define L1_PROT (PTE_P | PTE_RW | PTE_US | PTE_A)
#define LN_PROT (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

#define MIB             (1ull << 20)
#define PAGES(bytes)    (((bytes) + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT)
#define L2_SPAN         (2 * MIB)
#define L3_SPAN         (1ull << 30)

static unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (va >> (XC_PAGE_SHIFT + 9 * (level - 1))) & 511;
}

int xc_dom_layout_compute(struct xc_dom_layout *l,
                          const xc_dom_kernel_info_t *ki,
                          uint64_t ramdisk_len, uint64_t nr_pages,
                          char *err, size_t errlen)
{
    uint64_t pfn, end_bytes;

    memset(l, 0, sizeof(*l));
    l->nr_pages = nr_pages;
    l->virt_base = ki->virt_base;
    l->ramdisk_len = ramdisk_len;
    if (l->virt_base & (L2_SPAN - 1)) {
        snprintf(err, errlen, "VIRT_BASE %#llx is not 2 MiB aligned",
                 (unsigned long long)l->virt_base);
        return -1;
    }

    pfn = PAGES(ki->load_end);
    l->ramdisk_mapped = ramdisk_len && !ki->mod_start_pfn;
    if (l->ramdisk_mapped) {
        l->ramdisk_pfn = pfn;
        pfn += PAGES(ramdisk_len);
    }
    l->p2m_pfn = pfn;
    l->p2m_frames = PAGES(nr_pages * 8);
    pfn += l->p2m_frames;
    l->start_info_pfn = pfn++;
    l->console_pfn = pfn++;
    l->pt_pfn = pfn;
    /* L4 + L3 + L2 + one L1 per 2 MiB of the mapping, which must cover
     * the tables themselves: grow until it is a fixed point. */
    for (l->nr_pt = 4;; l->nr_pt++) {
        end_bytes = ((l->pt_pfn + l->nr_pt + 1) << XC_PAGE_SHIFT) + 512 * 1024;
        end_bytes = (end_bytes + 4 * MIB - 1) & ~(4 * MIB - 1);
        if (3 + (end_bytes + L2_SPAN - 1) / L2_SPAN <= l->nr_pt)
            break;
    }
    l->stack_pfn = l->pt_pfn + l->nr_pt;
    l->mapped_pages = end_bytes >> XC_PAGE_SHIFT;
    l->touched_pages = l->mapped_pages;
    if (ramdisk_len && !l->ramdisk_mapped) {
        l->ramdisk_pfn = l->mapped_pages;
        l->touched_pages = l->ramdisk_pfn + PAGES(ramdisk_len);
    }

    if (pt_index(l->virt_base, 2) + (end_bytes + L2_SPAN - 1) / L2_SPAN > 512 ||
        end_bytes > L3_SPAN) {
        snprintf(err, errlen, "the initial mapping (%llu MiB) does not fit "
                 "the one GiB a bootstrap L2 covers",
                 (unsigned long long)(end_bytes / MIB));
        return -1;
    }
    if (l->touched_pages > nr_pages) {
        snprintf(err, errlen, "%llu MiB of memory is too little: the kernel, "
                 "ramdisk and boot structures need %llu MiB",
                 (unsigned long long)(nr_pages >> 8),
                 (unsigned long long)((l->touched_pages + 255) >> 8));
        return -1;
    }
    return 0;
}

void xc_dom_write_page_tables(const struct xc_dom_layout *l, uint8_t *mem,
                              const uint64_t *p2m)
{
    uint64_t *l4 = (uint64_t *)(mem + (l->pt_pfn << XC_PAGE_SHIFT));
    uint64_t *l3 = l4 + 512, *l2 = l4 + 1024;
    uint64_t nr_l1 = l->nr_pt - 3, i;
    unsigned int first_l2 = pt_index(l->virt_base, 2);

    memset(l4, 0, 3 * XC_PAGE_SIZE);
    l4[pt_index(l->virt_base, 4)] = (p2m[l->pt_pfn + 1] << XC_PAGE_SHIFT) |
                                    LN_PROT;
    l3[pt_index(l->virt_base, 3)] = (p2m[l->pt_pfn + 2] << XC_PAGE_SHIFT) |
                                    LN_PROT;
    for (i = 0; i < nr_l1; i++) {
        uint64_t *l1 = l4 + 512 * (3 + i);
        unsigned int j;

        l2[first_l2 + i] = (p2m[l->pt_pfn + 3 + i] << XC_PAGE_SHIFT) |
                           LN_PROT;
        for (j = 0; j < 512; j++) {
            uint64_t pfn = i * 512 + j, prot = L1_PROT;

            if (pfn >= l->mapped_pages) {
                l1[j] = 0;
                continue;
            }
            /* The hypervisor refuses writable mappings of page tables. */
            if (pfn >= l->pt_pfn && pfn < l->pt_pfn + l->nr_pt)
                prot &= ~PTE_RW;
            l1[j] = (p2m[pfn] << XC_PAGE_SHIFT) | prot;
        }
    }
}

/* Per hypercall n, 32 bytes: push %rcx; push %r11; mov $n,%eax; syscall;
 * pop %r11; pop %rcx; ret.  iret (23) never returns and also pushes %rax,
 * as its frame wants. */
void xc_dom_fill_hypercall_page(uint8_t *page)
{
    unsigned int n;

    memset(page, 0xcc, XC_PAGE_SIZE);
    for (n = 0; n < XC_PAGE_SIZE / 32; n++) {
        uint8_t *p = page + n * 32;

        *p++ = 0x51;
        *p++ = 0x41;
        *p++ = 0x53;
        if (n == 23)
            *p++ = 0x50;
        *p++ = 0xb8;
        *p++ = (uint8_t)n;
        *p++ = 0;
        *p++ = 0;
        *p++ = 0;
        *p++ = 0x0f;
        *p++ = 0x05;
        if (n == 23)
            continue;
        *p++ = 0x41;
        *p++ = 0x5b;
        *p++ = 0x59;
        *p++ = 0xc3;
    }
}
