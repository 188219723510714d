/* Unit tests for xen/common/page_alloc.c: the buddy allocator.
 *
 * heap_walk() re-derives the heap from the frame table alone (every free
 * block must be an aligned run of free frames headed by its order) and checks
 * it against the allocator's own counters and free-list lengths, so a test
 * sees list corruption, lost frames and missed merges. */

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/mm.h>

#define MiB (1UL << 20)

struct heap_shape {
    unsigned long blocks[MAX_ORDER + 1];
    unsigned long free, inuse, reserved;
};

static unsigned long state_of(mfn_t mfn)
{
    return mfn_to_page(mfn)->count_info & PGC_state_mask;
}

static void heap_walk(struct heap_shape *s)
{
    mfn_t mfn = 0;

    memset(s, 0, sizeof(*s));
    while ( mfn < host_nr_frames )
    {
        struct page_info *pg = mfn_to_page(mfn);
        unsigned long state = state_of(mfn), i, size;
        unsigned int order;

        if ( state == PGC_state_inuse )
        {
            s->inuse++;
            mfn++;
            continue;
        }
        if ( state != PGC_state_free )
        {
            if ( state != PGC_state_reserved )
                FAIL("mfn %#lx: unknown state %#lx", mfn, state);
            s->reserved++;
            mfn++;
            continue;
        }
        order = pg->order;
        if ( order > MAX_ORDER )
            FAIL("free head mfn %#lx has order %u", mfn, order);
        size = 1UL << order;
        if ( mfn & (size - 1) )
            FAIL("free block mfn %#lx misaligned for order %u", mfn, order);
        if ( mfn + size > host_nr_frames )
            FAIL("free block mfn %#lx order %u runs off the table", mfn, order);
        for ( i = 1; i < size; i++ )
            if ( state_of(mfn + i) != PGC_state_free )
                FAIL("free block mfn %#lx order %u: frame %#lx not free",
                     mfn, order, mfn + i);
        /* A lower half whose upper buddy is a free block of the same order
         * should have been merged with it. */
        if ( order < MAX_ORDER && !(mfn & size) && mfn + 2 * size <= host_nr_frames &&
             state_of(mfn + size) == PGC_state_free &&
             mfn_to_page(mfn + size)->order == order )
            FAIL("free buddies mfn %#lx and %#lx (order %u) not merged",
                 mfn, mfn + size, order);
        s->blocks[order]++;
        s->free += size;
        mfn += size;
    }

    CHECK_EQ(s->free, heap_free_pages());
    CHECK_EQ(s->free + s->inuse, heap_total_pages());
    for ( unsigned int o = 0; o <= MAX_ORDER; o++ )
        if ( s->blocks[o] != heap_free_blocks(o) )
            FAIL("order %u: %lu free blocks in the frame table, %lu on the "
                 "free list", o, s->blocks[o], heap_free_blocks(o));
}

static void check_same_shape(const struct heap_shape *a,
                             const struct heap_shape *b)
{
    for ( unsigned int o = 0; o <= MAX_ORDER; o++ )
        if ( a->blocks[o] != b->blocks[o] )
            FAIL("order %u: %lu free blocks, expected %lu", o, b->blocks[o],
                 a->blocks[o]);
    CHECK_EQ(b->free, a->free);
    CHECK_EQ(b->inuse, a->inuse);
}

static void check_allocated(struct page_info *pg, unsigned int order)
{
    mfn_t mfn = page_to_mfn(pg);

    if ( mfn & ((1UL << order) - 1) )
        FAIL("order %u block at mfn %#lx is misaligned", order, mfn);
    for ( unsigned long i = 0; i < (1UL << order); i++ )
    {
        if ( pg[i].count_info != PGC_state_inuse || pg[i].owner != NULL )
            FAIL("mfn %#lx: count_info %#lx owner %p after alloc", mfn + i,
                 pg[i].count_info, (void *)pg[i].owner);
    }
}

static void shuffle(void **v, size_t n)
{
    for ( size_t i = n; i > 1; i-- )
    {
        size_t j = rng_below(i);
        void *t = v[i - 1];

        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Every order, alone and all at once, on a 2 GiB machine (two order-18
 * blocks); the heap must merge back to exactly those two each time. */
static void test_every_order(void)
{
    struct page_info *pgs[MAX_ORDER + 1];
    struct heap_shape s;

    host_mm_setup(2UL << (MAX_ORDER));
    heap_init_region(0, (paddr_t)host_nr_frames << PAGE_SHIFT);
    heap_walk(&s);
    CHECK_EQ(s.blocks[MAX_ORDER], 2);
    CHECK_EQ(heap_total_pages(), host_nr_frames);

    for ( unsigned int o = 0; o <= MAX_ORDER; o++ )
    {
        struct page_info *pg = alloc_heap_pages(o);

        if ( pg == NULL )
            FAIL("alloc order %u failed on an empty heap", o);
        check_allocated(pg, o);
        CHECK_EQ(heap_free_pages(), host_nr_frames - (1UL << o));
        heap_walk(&s);
        free_heap_pages(pg, o);
        heap_walk(&s);
        CHECK_EQ(s.blocks[MAX_ORDER], 2);
        CHECK_EQ(s.free, host_nr_frames);
    }
    CHECK(alloc_heap_pages(MAX_ORDER + 1) == NULL);

    for ( unsigned int o = 0; o <= MAX_ORDER; o++ )
    {
        pgs[o] = alloc_heap_pages(o);
        if ( pgs[o] == NULL )
            FAIL("alloc order %u failed with room left", o);
        check_allocated(pgs[o], o);
    }
    /* Orders 0..17 split one block down to a single spare frame; order 18
     * took the other block. */
    CHECK_EQ(heap_free_pages(), 1);
    CHECK(alloc_heap_pages(1) == NULL);
    for ( unsigned int o = 0; o <= MAX_ORDER; o++ )
        free_heap_pages(pgs[o], o);
    heap_walk(&s);
    CHECK_EQ(s.blocks[MAX_ORDER], 2);
}

static void test_exhaustion(void)
{
    static struct page_info *pgs[4096];
    struct heap_shape s;
    unsigned long n = 0;
    struct page_info *pg;

    host_mm_setup(4096);
    heap_init_region(0, 16 * MiB);
    while ( (pg = alloc_heap_pages(0)) != NULL )
    {
        if ( n == ARRAY_SIZE(pgs) )
            FAIL("more order-0 pages than frames");
        check_allocated(pg, 0);
        pgs[n++] = pg;
    }
    CHECK_EQ(n, 4096);
    CHECK_EQ(heap_free_pages(), 0);
    CHECK(alloc_heap_pages(3) == NULL);
    heap_walk(&s);
    CHECK_EQ(s.inuse, 4096);
    for ( unsigned long i = 0; i < n; i++ )
        free_heap_pages(pgs[i], 0);
    heap_walk(&s);
    CHECK_EQ(s.blocks[12], 1);

    /* Larger orders run out too, leaving exactly nothing. */
    for ( n = 0; (pg = alloc_heap_pages(3)) != NULL; n++ )
        pgs[n] = pg;
    CHECK_EQ(n, 512);
    CHECK_EQ(heap_free_pages(), 0);
    while ( n-- > 0 )
        free_heap_pages(pgs[n], 3);
    CHECK_EQ(heap_free_pages(), 4096);
}

/* Allocate until full with random orders, free in random order: the heap
 * must come back to exactly its initial blocks. */
static void test_merge_random_order(void)
{
    static void *live[16384];
    static unsigned int live_order[16384];
    unsigned long nr = 0;
    struct heap_shape before, after;

    host_mm_setup(16384);
    /* Unaligned, out of order, with holes between them. */
    heap_init_region(0x2345000 + 0x17, 0x3ffffff);
    heap_init_region(0x3000 + 0x123, 0x801000);
    heap_init_region(0x1000000, 0x2000000);
    heap_init_region(0x900000, 0xa00000 + 0xfff);
    heap_walk(&before);
    CHECK_EQ(heap_total_pages(), before.free);

    for ( int order = 5; order >= 0; )
    {
        unsigned int o = rng_below(order + 1);
        struct page_info *pg = alloc_heap_pages(o);

        if ( pg == NULL )
        {
            if ( o == (unsigned int)order )
                order--;                /* nothing this big is left */
            continue;
        }
        live[nr] = pg;
        live_order[nr++] = o;
    }
    CHECK_EQ(heap_free_pages(), 0);

    /* Shuffle pairs of (block, order) together via an index array. */
    {
        static void *idx[16384];

        for ( unsigned long i = 0; i < nr; i++ )
            idx[i] = (void *)(uintptr_t)i;
        shuffle(idx, nr);
        for ( unsigned long i = 0; i < nr; i++ )
        {
            unsigned long k = (uintptr_t)idx[i];

            free_heap_pages(live[k], live_order[k]);
            if ( i % 1024 == 0 )
                heap_walk(&after);
        }
    }
    heap_walk(&after);
    check_same_shape(&before, &after);
}

/* Random, overlapping, unaligned ranges: only frames wholly inside one of
 * them may ever be handed out. */
static void test_holes_never_handed_out(void)
{
    static unsigned char ram[8192];
    unsigned long expected = 0, got = 0;
    struct heap_shape s;
    struct page_info *pg;

    host_mm_setup(8192);
    memset(ram, 0, sizeof(ram));
    for ( int i = 0; i < 40; i++ )
    {
        paddr_t start = rng_below(8192UL << PAGE_SHIFT);
        paddr_t end = start + rng_below(300UL << PAGE_SHIFT);
        mfn_t first = (start + PAGE_SIZE - 1) >> PAGE_SHIFT;

        if ( end > (8192UL << PAGE_SHIFT) )
            end = 8192UL << PAGE_SHIFT;
        for ( mfn_t m = first; m < (end >> PAGE_SHIFT); m++ )
            ram[m] = 1;
        heap_init_region(start, end);
    }
    for ( mfn_t m = 0; m < 8192; m++ )
        expected += ram[m];
    CHECK_EQ(heap_total_pages(), expected);
    heap_walk(&s);

    for ( int o = 4; o >= 0; o-- )
        while ( (pg = alloc_heap_pages(o)) != NULL )
        {
            for ( unsigned long i = 0; i < (1UL << o); i++ )
                if ( !ram[page_to_mfn(pg) + i] )
                    FAIL("handed out mfn %#lx, which is not RAM",
                         page_to_mfn(pg) + i);
            got += 1UL << o;
        }
    CHECK_EQ(got, expected);
    for ( mfn_t m = 0; m < 8192; m++ )
        if ( !ram[m] && state_of(m) != PGC_state_reserved )
            FAIL("hole mfn %#lx is no longer reserved", m);
}

static void test_init_overlap_rejected(void)
{
    struct heap_shape s;
    struct page_info *pg;

    host_mm_setup(1024);
    heap_init_region(0, 2 * MiB);
    CHECK_EQ(heap_total_pages(), 512);
    printk_clear();
    heap_init_region(1 * MiB, 3 * MiB);
    CHECK(printk_seen("already in the heap"));
    CHECK_EQ(heap_total_pages(), 768);
    CHECK_EQ(heap_free_pages(), 768);
    heap_walk(&s);

    /* An allocated frame inside a repeated region stays allocated. */
    pg = alloc_heap_pages(0);
    CHECK(pg != NULL);
    printk_clear();
    heap_init_region(0, 4 * MiB);
    CHECK(printk_seen("already in the heap"));
    CHECK_EQ(heap_total_pages(), 1024);
    CHECK_EQ(pg->count_info, PGC_state_inuse);
    heap_walk(&s);
    CHECK_EQ(s.inuse, 1);
    free_heap_pages(pg, 0);
    heap_walk(&s);
    CHECK_EQ(s.blocks[10], 1);
}

static void test_init_rounding_and_clipping(void)
{
    struct heap_shape s;

    /* 1028 frames: the last block (1024-1027) has its buddy past the end of
     * the table, which must not be read (ASan would see it). */
    host_mm_setup(1028);
    heap_init_region(0x1234, 0x5678);           /* frames 2, 3, 4 */
    CHECK_EQ(heap_total_pages(), 3);
    CHECK_EQ(state_of(1), PGC_state_reserved);
    CHECK_EQ(state_of(2), PGC_state_free);
    CHECK_EQ(state_of(4), PGC_state_free);
    CHECK_EQ(state_of(5), PGC_state_reserved);
    heap_init_region(0x9000, 0x9000);           /* empty */
    heap_init_region(0xa000, 0x9000);           /* backwards */
    heap_init_region(0xb001, 0xbfff);           /* less than a frame */
    heap_init_region(0xc001, 0xdfff);           /* straddles, no whole frame */
    CHECK_EQ(heap_total_pages(), 3);

    printk_clear();
    heap_init_region(1020UL << PAGE_SHIFT, 2000UL << PAGE_SHIFT);
    CHECK_EQ(heap_total_pages(), 11);           /* 1020..1027 */
    CHECK(printk_seen("beyond the frame table"));
    heap_init_region(5000UL << PAGE_SHIFT, ~0ULL);
    heap_init_region(~0ULL - 10, ~0ULL);
    CHECK_EQ(heap_total_pages(), 11);
    heap_walk(&s);
    CHECK_EQ(s.free, 11);
    CHECK_EQ(s.blocks[2], 2);                   /* 1020-1023, 1024-1027 */
}

static void test_calls_out_of_order(void)
{
    host_machine_setup(64);
    CHECK(alloc_heap_pages(0) == NULL);
    CHECK(alloc_xenheap_pages(0) == NULL);
    printk_clear();
    heap_init_region(0, 64UL << PAGE_SHIFT);
    CHECK(printk_seen("heap_set_max_mfn not called"));
    CHECK_EQ(heap_total_pages(), 0);

    heap_set_max_mfn(64);                       /* frames 0..63 */
    heap_init_region(0, 64UL << PAGE_SHIFT);
    CHECK_EQ(heap_total_pages(), 64);
    printk_clear();
    heap_set_max_mfn(1000);                     /* too late: refused */
    CHECK(printk_seen("cannot change"));
    CHECK(mfn_in_frame_table(63));
    CHECK(!mfn_in_frame_table(64));
}

/* Every kind of bad free panics, and leaves the heap exactly as it was. */
static void test_bad_frees(void)
{
    struct page_info *pg, *pair, *single;
    struct heap_shape before, after;

    host_mm_setup(1024);
    heap_init_region(0, 2 * MiB);               /* frames 0..511 */
    heap_init_region(3 * MiB, 4 * MiB);         /* hole: 512..767 */

    pair = alloc_heap_pages(1);
    single = alloc_heap_pages(0);
    pg = alloc_heap_pages(0);
    CHECK(pair != NULL && single != NULL && pg != NULL);
    free_heap_pages(pg, 0);
    heap_walk(&before);

    EXPECT_PANIC("double free", free_heap_pages(pg, 0));
    EXPECT_PANIC("not aligned", free_heap_pages(pair + 1, 1));
    EXPECT_PANIC("order too large", free_heap_pages(pair, MAX_ORDER + 1));
    EXPECT_PANIC("bad free", free_heap_pages(single, 4));
    EXPECT_PANIC("not in the heap", free_heap_pages(mfn_to_page(600), 0));
    EXPECT_PANIC("not a frame table entry",
                 free_heap_pages(mfn_to_page(1024), 0));
    EXPECT_PANIC("not a frame table entry",
                 free_heap_pages(mfn_to_page(1016), 4));
    EXPECT_PANIC("not a frame table entry",
                 free_heap_pages((struct page_info *)((char *)single + 8), 0));
    EXPECT_PANIC("not a frame table entry",
                 free_heap_pages((struct page_info *)
                                 ((uintptr_t)host_frame_table - 40 * sizeof(*pg)), 0));
    EXPECT_PANIC("not page aligned",
                 free_xenheap_pages((char *)page_to_virt(single) + 8, 0));
    {
        void *foreign = malloc(2 * PAGE_SIZE);
        void *aligned = (void *)ROUNDUP((uintptr_t)foreign, PAGE_SIZE);

        EXPECT_PANIC("not in the direct map", free_xenheap_pages(aligned, 0));
        free(foreign);
    }

    heap_walk(&after);
    check_same_shape(&before, &after);
    /* The lock was released on every one of those paths. */
    free_heap_pages(single, 0);
    free_heap_pages(pair, 1);
    free_xenheap_pages(NULL, 0);
    heap_walk(&after);
    CHECK_EQ(after.free, 768);
}

static void test_xenheap_and_scrub(void)
{
    unsigned char *va, *p;

    host_mm_setup(1024);
    heap_init_region(0, 4 * MiB);
    va = alloc_xenheap_pages(2);
    CHECK(va != NULL);
    CHECK(((uintptr_t)va & (PAGE_SIZE - 1)) == 0);
    CHECK(va == maddr_to_virt((paddr_t)page_to_mfn(virt_to_page(va)) << PAGE_SHIFT));
    check_allocated(virt_to_page(va), 2);
    memset(va, 0xab, 4 * PAGE_SIZE);

    scrub_page(virt_to_page(va + PAGE_SIZE));
    for ( unsigned long i = 0; i < 4 * PAGE_SIZE; i++ )
    {
        unsigned char want = (i >= PAGE_SIZE && i < 2 * PAGE_SIZE) ? 0 : 0xab;

        if ( va[i] != want )
            FAIL("byte %#lx is %#x after scrubbing page 1, want %#x", i,
                 va[i], want);
    }
    free_xenheap_pages(va, 2);
    CHECK_EQ(heap_free_pages(), 1024);

    /* Frames go back to the heap as they were (0xab here) and leave it
     * zeroed: take the whole heap a page at a time, every byte is 0. */
    {
        static unsigned char *pages[1024];

        for ( unsigned int n = 0; n < 1024; n++ )
        {
            pages[n] = alloc_xenheap_page();
            CHECK(pages[n] != NULL);
            for ( unsigned long i = 0; i < PAGE_SIZE; i++ )
                if ( pages[n][i] != 0 )
                {
                    FAIL("xenheap page %u byte %#lx is %#x, want 0", n, i,
                         pages[n][i]);
                    break;
                }
        }
        for ( unsigned int n = 0; n < 1024; n++ )
            free_xenheap_page(pages[n]);
        CHECK_EQ(heap_free_pages(), 1024);
    }

    p = alloc_xenheap_page();
    CHECK(p != NULL);
    free_xenheap_page(p);
    CHECK_EQ(heap_free_pages(), 1024);
}

/* 100k random allocs and frees against a shadow map of who owns each
 * frame; each block is stamped in RAM and checked when freed. */
static void test_stress(void)
{
    enum { FRAMES = 16384, OPS = 100000, MAX_LIVE = 16384 };
    static int owner[FRAMES];
    static unsigned char ram[FRAMES];
    static struct { struct page_info *pg; unsigned int order; } live[MAX_LIVE];
    unsigned long nlive = 0, used = 0, allocs = 0, fails = 0;
    struct heap_shape before, s;

    host_mm_setup(FRAMES);
    heap_init_region(0x1000, 20 * MiB);
    heap_init_region(24 * MiB + 0x800, 40 * MiB);
    heap_init_region(41 * MiB, 64 * MiB - 0x3000);
    for ( mfn_t m = 0; m < FRAMES; m++ )
    {
        owner[m] = -1;
        ram[m] = state_of(m) == PGC_state_free;
    }
    heap_walk(&before);

    for ( unsigned long op = 0; op < OPS; op++ )
    {
        bool do_alloc = nlive == 0 || (nlive < MAX_LIVE && rng_below(100) < 52);

        if ( do_alloc )
        {
            /* Mostly small orders, sometimes up to 10. */
            unsigned int o = rng_below(8) ? rng_below(4) : rng_below(11);
            struct page_info *pg = alloc_heap_pages(o);
            mfn_t mfn;

            if ( pg == NULL )
            {
                fails++;
                for ( unsigned int k = o; k <= MAX_ORDER; k++ )
                    if ( o > 0 ? heap_free_blocks(k) != 0 : heap_free_pages() != 0 )
                        FAIL("order %u alloc failed with order %u blocks free",
                             o, k);
                continue;
            }
            mfn = page_to_mfn(pg);
            if ( mfn & ((1UL << o) - 1) )
                FAIL("misaligned order %u block %#lx", o, mfn);
            for ( unsigned long i = 0; i < (1UL << o); i++ )
            {
                if ( mfn + i >= FRAMES || !ram[mfn + i] )
                    FAIL("mfn %#lx handed out but not RAM", mfn + i);
                if ( owner[mfn + i] != -1 )
                    FAIL("mfn %#lx handed out twice", mfn + i);
                owner[mfn + i] = (int)nlive;
                *(uint64_t *)maddr_to_virt((paddr_t)(mfn + i) << PAGE_SHIFT) =
                    (op << 20) ^ (mfn + i);
            }
            /* The stamp doubles as the block's birth op for the check. */
            live[nlive].pg = pg;
            live[nlive].order = o;
            nlive++;
            used += 1UL << o;
            allocs++;
        }
        else
        {
            unsigned long k = rng_below(nlive);
            struct page_info *pg = live[k].pg;
            unsigned int o = live[k].order;
            mfn_t mfn = page_to_mfn(pg);
            uint64_t birth = *(uint64_t *)maddr_to_virt((paddr_t)mfn << PAGE_SHIFT) ^ mfn;

            for ( unsigned long i = 0; i < (1UL << o); i++ )
            {
                uint64_t stamp = *(uint64_t *)maddr_to_virt((paddr_t)(mfn + i) << PAGE_SHIFT);

                if ( owner[mfn + i] != (int)k || stamp != (birth ^ (mfn + i)) )
                    FAIL("block %#lx order %u: frame %#lx was overwritten",
                         mfn, o, mfn + i);
                owner[mfn + i] = -1;
            }
            free_heap_pages(pg, o);
            used -= 1UL << o;
            /* Move the last live block into slot k and re-own its frames. */
            nlive--;
            if ( k != nlive )
            {
                live[k] = live[nlive];
                mfn = page_to_mfn(live[k].pg);
                for ( unsigned long i = 0; i < (1UL << live[k].order); i++ )
                    owner[mfn + i] = (int)k;
            }
        }
        if ( heap_free_pages() != heap_total_pages() - used )
            FAIL("op %lu: %lu free, expected %lu", op, heap_free_pages(),
                 heap_total_pages() - used);
        if ( op % 10000 == 0 )
        {
            heap_walk(&s);
            CHECK_EQ(s.inuse, used);
        }
    }
    CHECK(allocs > OPS / 3);
    while ( nlive > 0 )
    {
        nlive--;
        free_heap_pages(live[nlive].pg, live[nlive].order);
    }
    heap_walk(&s);
    check_same_shape(&before, &s);
    (void)fails;
}

const struct test_case page_alloc_cases[] = {
    { "buddy_every_order", test_every_order },
    { "buddy_exhaustion", test_exhaustion },
    { "buddy_merge_random_order", test_merge_random_order },
    { "buddy_holes_never_handed_out", test_holes_never_handed_out },
    { "buddy_init_overlap_rejected", test_init_overlap_rejected },
    { "buddy_init_rounding_and_clipping", test_init_rounding_and_clipping },
    { "buddy_calls_out_of_order", test_calls_out_of_order },
    { "buddy_bad_frees_panic", test_bad_frees },
    { "buddy_xenheap_and_scrub", test_xenheap_and_scrub },
    { "buddy_stress_100k", test_stress },
    { NULL, NULL },
};
