/* The buddy allocator: every frame of RAM the boot code hands over, kept as
 * naturally aligned power-of-two blocks on one free list per order.
 *
 * Frame states live in the frame table (count_info's PGC_state bits), one per
 * frame, not just per block:
 *   reserved  never given to the heap: holes, firmware, the image, and every
 *             frame at boot because the frame table starts zeroed;
 *   free      inside a free block; the block's first frame (its "head") also
 *             holds the block's order and links it into free_lists[order];
 *   inuse     handed out by alloc_heap_pages.
 * Keeping the state per frame costs a loop over the block on alloc and free,
 * and buys three things: a free can be checked frame by frame, a region that
 * overlaps the heap is caught at init, and merging needs no extra bitmap (a
 * buddy is free exactly when its head says free with the same order, because
 * an aligned block's first frame can never sit inside another free block
 * without our block being inside it too).  Reserved frames never look free,
 * so blocks never merge across holes.
 *
 * One lock covers everything, taken with interrupts off so that code running
 * in an interrupt handler may free or allocate too.  Checks that fail panic
 * only after dropping it, so the panic path never finds the heap locked. */

#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/spinlock.h>

static DEFINE_SPINLOCK(heap_lock);
static struct list_head free_lists[MAX_ORDER + 1];
static bool free_lists_ready;
static mfn_t table_frames;            /* frame table covers 0..table_frames-1 */
static bool table_frames_set;
static unsigned long total_pages;
static unsigned long free_pages;

static inline unsigned long page_state(const struct page_info *pg)
{
    return pg->count_info & PGC_state_mask;
}

/* [mfn, mfn + 2^order) lies inside the frame table. */
static bool block_in_table(mfn_t mfn, unsigned int order)
{
    unsigned long last = mfn + (1UL << order) - 1;

    return table_frames_set && last >= mfn && last < table_frames;
}

bool mfn_in_frame_table(mfn_t mfn)
{
    return table_frames_set && mfn < table_frames;
}

/* Called with the lock held. */
static void free_lists_init_once(void)
{
    unsigned int order;

    if ( free_lists_ready )
        return;
    for ( order = 0; order <= MAX_ORDER; order++ )
        list_init(&free_lists[order]);
    free_lists_ready = true;
}

void heap_set_max_mfn(mfn_t mfn)
{
    unsigned long flags;

    spin_lock_irqsave(&heap_lock, flags);
    if ( total_pages != 0 )
        printk(XENLOG_ERR "heap: max MFN cannot change once the heap has "
               "pages (asked for %#lx, keeping %#lx)\n", mfn, table_frames);
    else
    {
        table_frames = mfn;
        table_frames_set = true;
        free_lists_init_once();
    }
    spin_unlock_irqrestore(&heap_lock, flags);
}

/*
 * Put a block whose frames are already marked free onto the free lists,
 * first merging it with its buddy for as long as the buddy is a free block of
 * the same order.  Lock held.
 */
static void buddy_insert(mfn_t mfn, unsigned int order)
{
    struct page_info *head;

    while ( order < MAX_ORDER )
    {
        mfn_t buddy = mfn ^ (1UL << order);
        struct page_info *bpg;

        if ( !block_in_table(buddy, order) )
            break;
        bpg = mfn_to_page(buddy);
        if ( page_state(bpg) != PGC_state_free || bpg->order != order )
            break;
        list_del(&bpg->list);
        mfn &= ~(1UL << order);
        order++;
    }

    head = mfn_to_page(mfn);
    head->order = order;
    list_add(&head->list, &free_lists[order]);
}

static void mark_free(mfn_t mfn, unsigned long nr)
{
    unsigned long i;

    for ( i = 0; i < nr; i++ )
    {
        struct page_info *pg = mfn_to_page(mfn + i);

        pg->count_info = PGC_state_free;
        pg->type_info = 0;
        pg->owner = NULL;
        pg->order = 0;
        pg->pad = 0;
    }
}

/* The largest order a block starting at mfn may have, given nr frames left. */
static unsigned int fitting_order(mfn_t mfn, unsigned long nr)
{
    unsigned int order = 0;

    while ( order < MAX_ORDER &&
            !(mfn & (1UL << order)) &&
            (2UL << order) <= nr )
        order++;
    return order;
}

/* Give the reserved frames [mfn, mfn + nr) to the heap.  Lock held. */
static void add_free_run(mfn_t mfn, unsigned long nr)
{
    while ( nr != 0 )
    {
        unsigned int order = fitting_order(mfn, nr);

        mark_free(mfn, 1UL << order);
        buddy_insert(mfn, order);
        mfn += 1UL << order;
        nr -= 1UL << order;
    }
}

void heap_init_region(paddr_t start, paddr_t end)
{
    mfn_t first, limit, mfn;
    unsigned long flags;

    if ( end <= start )
        return;
    /* Round inward without overflowing near the top of the address space. */
    first = (mfn_t)(start >> PAGE_SHIFT) + ((start & (PAGE_SIZE - 1)) != 0);
    limit = (mfn_t)(end >> PAGE_SHIFT);

    spin_lock_irqsave(&heap_lock, flags);
    if ( !table_frames_set )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        printk(XENLOG_ERR "heap: region %#lx-%#lx ignored: heap_set_max_mfn "
               "not called yet\n", (unsigned long)start, (unsigned long)end);
        return;
    }
    if ( limit > table_frames )
    {
        printk(XENLOG_WARNING "heap: frames %#lx-%#lx are beyond the frame "
               "table (%#lx frames), ignored\n",
               max(first, table_frames), limit - 1, table_frames);
        limit = table_frames;
    }

    /* Walk runs of reserved frames (added) and of heap frames (refused). */
    mfn = first;
    while ( mfn < limit )
    {
        mfn_t run = mfn;
        bool reserved = page_state(mfn_to_page(mfn)) == PGC_state_reserved;

        while ( run < limit &&
                (page_state(mfn_to_page(run)) == PGC_state_reserved) == reserved )
            run++;
        if ( reserved )
        {
            add_free_run(mfn, run - mfn);
            total_pages += run - mfn;
            free_pages += run - mfn;
        }
        else
            printk(XENLOG_ERR "heap: frames %#lx-%#lx are already in the "
                   "heap, ignored (overlapping memory map entries?)\n",
                   mfn, run - 1);
        mfn = run;
    }
    spin_unlock_irqrestore(&heap_lock, flags);
}

struct page_info *alloc_heap_pages(unsigned int order)
{
    struct page_info *pg;
    unsigned int found;
    unsigned long i, flags;

    if ( order > MAX_ORDER )
        return NULL;

    spin_lock_irqsave(&heap_lock, flags);
    if ( !free_lists_ready )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        return NULL;
    }
    for ( found = order; found <= MAX_ORDER; found++ )
        if ( !list_empty(&free_lists[found]) )
            break;
    if ( found > MAX_ORDER )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        return NULL;
    }

    pg = list_first_entry(&free_lists[found], struct page_info, list);
    if ( page_state(pg) != PGC_state_free || pg->order != found )
    {
        spin_unlock_irqrestore(&heap_lock, flags);
        panic("page_alloc: corrupt free list (order %u head mfn %#lx)",
              found, page_to_mfn(pg));
    }
    list_del(&pg->list);

    /* Hand the upper halves back until the block is the size asked for. */
    while ( found > order )
    {
        struct page_info *upper;

        found--;
        upper = pg + (1UL << found);
        upper->order = found;
        list_add(&upper->list, &free_lists[found]);
    }

    for ( i = 0; i < (1UL << order); i++ )
    {
        pg[i].count_info = PGC_state_inuse;
        pg[i].type_info = 0;
        pg[i].owner = NULL;
        pg[i].order = 0;
        pg[i].pad = 0;
    }
    pg->order = order;
    free_pages -= 1UL << order;
    spin_unlock_irqrestore(&heap_lock, flags);
    return pg;
}

/* Drop the lock, then panic: a bad free is a hypervisor bug. */
static void __noreturn bad_free(const char *what, mfn_t mfn, unsigned int order,
                                unsigned long flags)
{
    spin_unlock_irqrestore(&heap_lock, flags);
    panic("page_alloc: bad free: %s (mfn %#lx order %u)", what, mfn, order);
}

void free_heap_pages(struct page_info *pg, unsigned int order)
{
    uintptr_t offset = (uintptr_t)pg - (uintptr_t)frame_table;
    mfn_t mfn = offset / sizeof(*pg);
    unsigned long i, flags;

    spin_lock_irqsave(&heap_lock, flags);
    if ( order > MAX_ORDER )
        bad_free("order too large", mfn, order, flags);
    if ( (uintptr_t)pg < (uintptr_t)frame_table || offset % sizeof(*pg) != 0 ||
         !block_in_table(mfn, order) )
        bad_free("not a frame table entry", mfn, order, flags);
    if ( mfn & ((1UL << order) - 1) )
        bad_free("block not aligned to its order", mfn, order, flags);
    /* Check every frame before changing any, so a bad call changes nothing. */
    for ( i = 0; i < (1UL << order); i++ )
    {
        unsigned long state = page_state(&pg[i]);

        if ( state == PGC_state_free )
            bad_free("double free", mfn + i, order, flags);
        if ( state != PGC_state_inuse )
            bad_free("frame not in the heap", mfn + i, order, flags);
    }

    mark_free(mfn, 1UL << order);
    buddy_insert(mfn, order);
    free_pages += 1UL << order;
    spin_unlock_irqrestore(&heap_lock, flags);
}

unsigned long heap_free_pages(void)
{
    return READ_ONCE(free_pages);
}

unsigned long heap_total_pages(void)
{
    return READ_ONCE(total_pages);
}

unsigned long heap_free_blocks(unsigned int order)
{
    struct list_head *pos;
    unsigned long n = 0, flags;

    if ( order > MAX_ORDER )
        return 0;
    spin_lock_irqsave(&heap_lock, flags);
    if ( free_lists_ready )
        list_for_each(pos, &free_lists[order])
            n++;
    spin_unlock_irqrestore(&heap_lock, flags);
    return n;
}

/* Zeroed, as alloc_domheap_pages zeroes a domain's frames: frames go back
 * to the heap unscrubbed (domain_page.c), and hypervisor state built in
 * them may reach a guest (a shared page, a table it reads). */
void *alloc_xenheap_pages(unsigned int order)
{
    struct page_info *pg = alloc_heap_pages(order);

    if ( pg == NULL )
        return NULL;
    for ( unsigned long i = 0; i < (1UL << order); i++ )
        scrub_page(&pg[i]);
    return page_to_virt(pg);
}

void free_xenheap_pages(void *va, unsigned int order)
{
    mfn_t mfn;

    if ( va == NULL )
        return;
    if ( (uintptr_t)va & (PAGE_SIZE - 1) )
        panic("page_alloc: free_xenheap_pages(%p): not page aligned", va);
    /* Translate without forming an out-of-table page pointer. */
    mfn = virt_to_maddr(va) >> PAGE_SHIFT;
    if ( !mfn_in_frame_table(mfn) )
        panic("page_alloc: free_xenheap_pages(%p): not in the direct map "
              "of any frame", va);
    free_heap_pages(mfn_to_page(mfn), order);
}

void scrub_page(struct page_info *pg)
{
    memset(page_to_virt(pg), 0, PAGE_SIZE);
}
