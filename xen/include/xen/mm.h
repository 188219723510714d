/* Machine memory: the frame table and the allocators on top of it.
 *
 * Every machine frame has one struct page_info in the frame table, an
 * array indexed by MFN (arch code decides where it lives and provides
 * mfn_to_page/page_to_mfn/maddr_to_virt in asm/mm.h).
 *
 *  - page_alloc.c: a binary buddy allocator over frames (orders 0..MAX_ORDER),
 *    one zone, protected by one lock.  "xenheap" pages are buddy pages used by
 *    the hypervisor itself through the direct map.
 *  - xmalloc.c: small objects (power-of-two size classes carved from
 *    xenheap pages; large requests go straight to whole pages). */
#ifndef XEN_MM_H
#define XEN_MM_H

#include <xen/types.h>
#include <xen/list.h>

struct domain;

struct page_info {
    struct list_head list;      /* buddy free list, or the owner's page list */
    unsigned long count_info;   /* PGC_* state bits | general reference count */
    unsigned long type_info;    /* PGT_* type | flags | type count (PV MMU) */
    struct domain *owner;       /* NULL while free or owned by the hypervisor */
    union {
        struct {
            unsigned int order; /* free block head: the block's order */
            unsigned int pad;   /* spare; xmalloc tags the pages it owns */
        };
        /* A domain's page (never free, never xmalloc's): when its last
         * mapping went (asm/flushtlb.h). */
        uint64_t tlbflush_timestamp;
    };
};

/* count_info: the top bits say what state a frame is in. */
#define PGC_state_shift    60
#define PGC_state_mask     (0xfUL << PGC_state_shift)
#define PGC_state_reserved (0x0UL << PGC_state_shift) /* not RAM / not ours */
#define PGC_state_free     (0x1UL << PGC_state_shift) /* in the buddy heap */
#define PGC_state_inuse    (0x2UL << PGC_state_shift) /* allocated */
#define PGC_count_mask     ((1UL << 48) - 1)          /* general refcount */

#define MAX_ORDER 18                                  /* 1 GiB blocks */

#include <asm/mm.h>   /* frame_table, mfn_to_page, page_to_mfn, maddr_to_virt */

/* Boot: hand a range of RAM [start, end) to the heap (page-aligned inward). */
void heap_init_region(paddr_t start, paddr_t end);
/* Boot, before heap_init_region: the frame table has entries for MFNs
 * 0..max_mfn-1 (max_mfn is one past the last frame, i.e. the count). */
void heap_set_max_mfn(mfn_t max_mfn);

struct page_info *alloc_heap_pages(unsigned int order);
void free_heap_pages(struct page_info *pg, unsigned int order);
unsigned long heap_free_pages(void);    /* frames currently free */
unsigned long heap_total_pages(void);   /* frames ever given to the heap */
/* Diagnostics: blocks now on the order-'order' free list (0 if order is out
 * of range). */
unsigned long heap_free_blocks(unsigned int order);
/* mfn has a struct page_info (is < the value given to heap_set_max_mfn). */
bool mfn_in_frame_table(mfn_t mfn);
/* Zero one frame through the direct map (pages coming back from guests). */
void scrub_page(struct page_info *pg);

/* Hypervisor-private pages, returned through the direct map. NULL on OOM. */
void *alloc_xenheap_pages(unsigned int order);
void free_xenheap_pages(void *va, unsigned int order);
static inline void *alloc_xenheap_page(void) { return alloc_xenheap_pages(0); }
static inline void free_xenheap_page(void *va) { free_xenheap_pages(va, 0); }

/* Small objects.  Alignment: 16 bytes (or the page size for >= 1 page). */
void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xmalloc(type)  ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc(type)  ((type *)xzalloc_bytes(sizeof(type)))
/* NULL (not a wrapped size) when n * sizeof(type) overflows. */
#define xmalloc_array(type, n) ((type *)xmalloc_array_bytes(sizeof(type), (n)))
#define xzalloc_array(type, n) ((type *)xzalloc_array_bytes(sizeof(type), (n)))
void *xmalloc_array_bytes(size_t size, size_t n);
void *xzalloc_array_bytes(size_t size, size_t n);

#endif /* XEN_MM_H */
