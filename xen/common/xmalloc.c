/* xmalloc: the hypervisor's small-object allocator.
 *
 * Small requests are served from seven size classes of slots, 32 to 2048
 * bytes (powers of two).  A class grows one xenheap page at a time, carved
 * into equal slots.  Each slot opens with a 16-byte header (a magic word, the
 * class and, while free, the free-list link), so the object after it is
 * 16-byte aligned and xfree learns the class without searching.  Pages given
 * to a class stay with it: freed slots are reused by later requests of that
 * class, never returned to the page allocator.
 *
 * Requests too big for the largest slot get whole pages, page aligned, from
 * the buddy allocator; their order lives in the head page's frame table
 * entry, so they carry no header at all.
 *
 * Both kinds of page carry a tag in page_info.pad.  With it xfree can refuse
 * a pointer it never handed out without reading memory it does not own, and
 * the magic words catch double frees.  Both are hypervisor bugs: panic.
 *
 * Locking: one lock, taken with interrupts off, held while calling the page
 * allocator (xmalloc lock, then heap lock; the page allocator never calls
 * back here). */

#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>

#define SLOT_MIN_SHIFT   5                       /* 32-byte slots */
#define SLOT_MAX_SHIFT   11                      /* 2048-byte slots */
#define NR_CLASSES       (SLOT_MAX_SHIFT - SLOT_MIN_SHIFT + 1)
#define HDR_SIZE         16
#define SMALL_MAX        ((1UL << SLOT_MAX_SHIFT) - HDR_SIZE)

#define MAGIC_LIVE       0x58414c4cU            /* object handed out */
#define MAGIC_FREE       0x58465245U            /* object on a free list */
#define TAG_SLAB_PAGE    0x534c4142U            /* page carved into slots */
#define TAG_WHOLE_PAGES  0x57484f4cU            /* head of a whole-page block */

struct slot_header {
    uint32_t magic;
    uint32_t cls;
    struct slot_header *next_free;              /* valid while MAGIC_FREE */
};

static DEFINE_SPINLOCK(xmalloc_lock);
static struct slot_header *free_slots[NR_CLASSES];

static inline size_t slot_size(unsigned int cls)
{
    return 1UL << (cls + SLOT_MIN_SHIFT);
}

static unsigned int class_for(size_t size)
{
    unsigned int cls = 0;

    while ( slot_size(cls) - HDR_SIZE < size )
        cls++;
    return cls;
}

/* Smallest order whose block holds size bytes; MAX_ORDER + 1 if none does. */
static unsigned int order_for(size_t size)
{
    unsigned int order = 0;

    while ( order <= MAX_ORDER && (PAGE_SIZE << order) < size )
        order++;
    return order;
}

/* The frame table entry behind a direct-map address, or NULL if there is
 * none or it is not an allocated frame. */
static struct page_info *inuse_page_of(const void *va)
{
    mfn_t mfn = virt_to_maddr(va) >> PAGE_SHIFT;
    struct page_info *pg;

    if ( !mfn_in_frame_table(mfn) )
        return NULL;
    pg = mfn_to_page(mfn);
    if ( (pg->count_info & PGC_state_mask) != PGC_state_inuse )
        return NULL;
    return pg;
}

/* Carve a fresh page into slots of class cls.  Lock held. */
static bool grow_class(unsigned int cls)
{
    char *page = alloc_xenheap_page();
    size_t size = slot_size(cls);
    size_t off;

    if ( page == NULL )
        return false;
    virt_to_page(page)->pad = TAG_SLAB_PAGE;
    /* Push in reverse so the first slot of the page is handed out first. */
    for ( off = PAGE_SIZE; off >= size; off -= size )
    {
        struct slot_header *h = (struct slot_header *)(page + off - size);

        h->magic = MAGIC_FREE;
        h->cls = cls;
        h->next_free = free_slots[cls];
        free_slots[cls] = h;
    }
    return true;
}

static void *alloc_small(size_t size)
{
    unsigned int cls = class_for(size);
    struct slot_header *h;
    unsigned long flags;

    spin_lock_irqsave(&xmalloc_lock, flags);
    if ( free_slots[cls] == NULL && !grow_class(cls) )
    {
        spin_unlock_irqrestore(&xmalloc_lock, flags);
        return NULL;
    }
    h = free_slots[cls];
    free_slots[cls] = h->next_free;
    h->magic = MAGIC_LIVE;
    h->next_free = NULL;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return (char *)h + HDR_SIZE;
}

static void *alloc_whole_pages(size_t size)
{
    unsigned int order = order_for(size);
    unsigned long flags;
    void *va;

    if ( order > MAX_ORDER )
        return NULL;
    spin_lock_irqsave(&xmalloc_lock, flags);
    va = alloc_xenheap_pages(order);
    if ( va != NULL )
    {
        struct page_info *pg = virt_to_page(va);

        pg->pad = TAG_WHOLE_PAGES;
        pg->order = order;
    }
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    return va;
}

void *xmalloc_bytes(size_t size)
{
    /* A zero-byte request still gets a unique, freeable object. */
    return size <= SMALL_MAX ? alloc_small(size) : alloc_whole_pages(size);
}

void *xzalloc_bytes(size_t size)
{
    void *p = xmalloc_bytes(size);

    if ( p != NULL )
        memset(p, 0, size);
    return p;
}

void *xmalloc_array_bytes(size_t size, size_t n)
{
    size_t bytes;

    if ( __builtin_mul_overflow(size, n, &bytes) )
        return NULL;
    return xmalloc_bytes(bytes);
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
    size_t bytes;

    if ( __builtin_mul_overflow(size, n, &bytes) )
        return NULL;
    return xzalloc_bytes(bytes);
}

/* Drop the lock, then panic with the pointer that broke the rules. */
static void __noreturn bad_xfree(const char *what, const void *p,
                                 unsigned long flags)
{
    spin_unlock_irqrestore(&xmalloc_lock, flags);
    panic("xfree: %s (%p)", what, p);
}

static void free_whole_pages(void *p)
{
    struct page_info *pg;
    unsigned int order;
    unsigned long flags;

    spin_lock_irqsave(&xmalloc_lock, flags);
    pg = inuse_page_of(p);
    if ( pg == NULL || pg->pad != TAG_WHOLE_PAGES )
        bad_xfree("not an xmalloc block (double free?)", p, flags);
    order = pg->order;
    pg->pad = 0;
    free_xenheap_pages(p, order);
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

static void free_small(void *p)
{
    struct slot_header *h = (struct slot_header *)((char *)p - HDR_SIZE);
    uintptr_t in_page = (uintptr_t)h & (PAGE_SIZE - 1);
    struct page_info *pg;
    unsigned long flags;

    spin_lock_irqsave(&xmalloc_lock, flags);
    /* Checks go from cheapest to the first that reads the header. */
    if ( in_page % slot_size(0) != 0 )
        bad_xfree("not the start of an object", p, flags);
    pg = inuse_page_of(h);
    if ( pg == NULL || pg->pad != TAG_SLAB_PAGE )
        bad_xfree("not an xmalloc object", p, flags);
    if ( h->magic == MAGIC_FREE )
        bad_xfree("double free", p, flags);
    if ( h->magic != MAGIC_LIVE || h->cls >= NR_CLASSES ||
         in_page % slot_size(h->cls) != 0 )
        bad_xfree("corrupt header or not the start of an object", p, flags);

    h->magic = MAGIC_FREE;
    h->next_free = free_slots[h->cls];
    free_slots[h->cls] = h;
    spin_unlock_irqrestore(&xmalloc_lock, flags);
}

void xfree(void *p)
{
    if ( p == NULL )
        return;
    /* Slot objects sit HDR_SIZE past a slot boundary, so never page aligned. */
    if ( ((uintptr_t)p & (PAGE_SIZE - 1)) == 0 )
        free_whole_pages(p);
    else
        free_small(p);
}
