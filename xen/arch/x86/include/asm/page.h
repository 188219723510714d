/* x86_64 4-level page-table entries and the hypervisor's mapping helpers. */
#ifndef X86_PAGE_H
#define X86_PAGE_H

#include <xen/types.h>
#include <asm/config.h>

typedef uint64_t pte_t;

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_USER     0x004UL
#define _PAGE_PWT      0x008UL
#define _PAGE_PCD      0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL
#define _PAGE_PSE      0x080UL
#define _PAGE_GLOBAL   0x100UL
#define _PAGE_NX       (1UL << 63)
#define PTE_ADDR_MASK  0x000ffffffffff000UL

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_INDEX(va, shift) (((unsigned long)(va) >> (shift)) & 511)
#define L2_PAGE_SIZE (1UL << L2_SHIFT)

/* Mapping types for map_pages(). */
#define MAP_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define MAP_RO    (_PAGE_PRESENT | _PAGE_ACCESSED)
#define MAP_UC    (_PAGE_PCD | _PAGE_PWT)
#define MAP_NX    _PAGE_NX      /* cleared by map_pages when CPU lacks NX */

/* The page table every CPU runs on while idle (and whose upper half every
 * guest table will share). */
extern pte_t idle_pg_table[512];

/* Map nr 4 KiB pages at va to pa..; uses 2 MiB pages where both are
 * aligned and allow_large.  Returns 0 or -ENOMEM. */
int map_pages(unsigned long va, paddr_t pa, unsigned long nr,
              uint64_t flags, bool allow_large);
/* Remove nr 4 KiB mappings at va (which must not be part of a 2M page). */
void unmap_pages(unsigned long va, unsigned long nr);
/* Remove the 4 KiB mapping of va, first splitting a 2 MiB page around it
 * (same flags for the rest).  0 or -ENOMEM. */
int unmap_page_splitting(unsigned long va);
/* Is va currently mapped in idle_pg_table? */
bool va_is_mapped(unsigned long va);
/* Uncached mapping of device memory, in the direct-map window. */
void *ioremap(paddr_t pa, size_t len);

#endif /* X86_PAGE_H */
