/* Unit tests for xen/common/xmalloc.c: size classes, whole-page blocks,
 * alignment, reuse, overflow checks and the xfree sanity checks. */

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/mm.h>

#define MiB (1UL << 20)
#define SMALL_MAX 2032          /* largest request a size class serves */

static void machine(unsigned long frames)
{
    host_mm_setup(frames);
    heap_init_region(0, (paddr_t)frames << PAGE_SHIFT);
}

static unsigned char pattern(size_t size, size_t i)
{
    return (unsigned char)(size * 131 + i * 7 + (i >> 8));
}

static void fill(unsigned char *p, size_t size)
{
    for ( size_t i = 0; i < size; i++ )
        p[i] = pattern(size, i);
}

static void check_fill(const unsigned char *p, size_t size)
{
    for ( size_t i = 0; i < size; i++ )
        if ( p[i] != pattern(size, i) )
            FAIL("object of %zu bytes at %p: byte %zu overwritten", size,
                 (const void *)p, i);
}

static void check_alignment(const void *p, size_t size)
{
    uintptr_t a = (uintptr_t)p;

    if ( size <= SMALL_MAX && (a % 16 != 0 || a % PAGE_SIZE == 0) )
        FAIL("%zu-byte object at %p: want 16-aligned, not page-aligned",
             size, p);
    if ( size > SMALL_MAX && a % PAGE_SIZE != 0 )
        FAIL("%zu-byte object at %p is not page aligned", size, p);
}

static void shuffle(unsigned int *v, size_t n)
{
    for ( size_t i = n; i > 1; i-- )
    {
        size_t j = rng_below(i);
        unsigned int t = v[i - 1];

        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Every size 1..10000 live at once, each filled with its own pattern (so
 * any overlap shows), freed in random order; a second round must fit in the
 * slots the first one left behind. */
static void test_every_size(void)
{
    enum { N = 10000 };
    static unsigned char *objs[N + 1];
    static unsigned int order[N];
    unsigned long after_first_alloc = 0, after_first_free = 0;

    machine(65536);                             /* 256 MiB */
    for ( int round = 0; round < 2; round++ )
    {
        for ( size_t size = 1; size <= N; size++ )
        {
            objs[size] = xmalloc_bytes(size);
            if ( objs[size] == NULL )
                FAIL("xmalloc(%zu) failed", size);
            check_alignment(objs[size], size);
            fill(objs[size], size);
        }
        for ( size_t size = 1; size <= N; size++ )
            check_fill(objs[size], size);
        if ( round == 0 )
            after_first_alloc = heap_free_pages();
        else
            CHECK_EQ(heap_free_pages(), after_first_alloc);

        for ( unsigned int i = 0; i < N; i++ )
            order[i] = i + 1;
        shuffle(order, N);
        for ( unsigned int i = 0; i < N; i++ )
        {
            xfree(objs[order[i]]);
            /* Spot-check survivors while the heap changes around them. */
            if ( i % 1000 == 0 )
                for ( unsigned int j = i + 1; j < N; j += 97 )
                    check_fill(objs[order[j]], order[j]);
        }
        if ( round == 0 )
            after_first_free = heap_free_pages();
        else
            CHECK_EQ(heap_free_pages(), after_first_free);
    }
    /* Only slab pages stay out of the heap: a few hundred, not thousands. */
    CHECK(heap_total_pages() - after_first_free < 2000);
}

static void test_alignment_and_boundaries(void)
{
    static const size_t sizes[] = {
        0, 1, 15, 16, 17, 47, 48, 49, 111, 112, 113, 239, 240, 241, 495, 496,
        497, 1007, 1008, 1009, 2031, 2032, 2033, 4095, 4096, 4097, 8192, 8193,
    };
    void *p[ARRAY_SIZE(sizes)];

    machine(4096);
    for ( size_t i = 0; i < ARRAY_SIZE(sizes); i++ )
    {
        p[i] = xmalloc_bytes(sizes[i]);
        CHECK(p[i] != NULL);
        check_alignment(p[i], sizes[i]);
        fill(p[i], sizes[i]);
    }
    for ( size_t i = 0; i < ARRAY_SIZE(sizes); i++ )
        check_fill(p[i], sizes[i]);
    for ( size_t i = 0; i < ARRAY_SIZE(sizes); i++ )
        for ( size_t j = i + 1; j < ARRAY_SIZE(sizes); j++ )
            CHECK(p[i] != p[j]);
    for ( size_t i = 0; i < ARRAY_SIZE(sizes); i++ )
        xfree(p[i]);
}

static void test_free_and_reuse(void)
{
    unsigned char *a, *b;

    machine(1024);
    a = xmalloc_bytes(100);
    CHECK(a != NULL);
    xfree(a);
    b = xmalloc_bytes(90);                      /* same class */
    CHECK(b == a);
    memset(b, 0xff, 100);
    xfree(b);
    b = xzalloc_bytes(100);
    CHECK(b == a);
    for ( int i = 0; i < 100; i++ )
        CHECK_EQ(b[i], 0);
    xfree(b);

    a = xmalloc_bytes(3 * PAGE_SIZE);
    CHECK(a != NULL);
    memset(a, 0xff, 3 * PAGE_SIZE);
    xfree(a);
    b = xzalloc_bytes(3 * PAGE_SIZE);
    CHECK(b != NULL);
    for ( unsigned long i = 0; i < 3 * PAGE_SIZE; i++ )
        if ( b[i] != 0 )
            FAIL("xzalloc byte %lu is %#x", i, b[i]);
    xfree(b);
}

static void test_large_blocks(void)
{
    static const struct { size_t size; unsigned int order; } cases[] = {
        { 2033, 0 }, { PAGE_SIZE, 0 }, { PAGE_SIZE + 1, 1 },
        { 3 * PAGE_SIZE, 2 }, { 1 * MiB, 8 }, { 1 * MiB + 1, 9 },
        { 16 * MiB, 12 },
    };
    unsigned long free0;

    machine(16384);                             /* 64 MiB */
    free0 = heap_free_pages();
    for ( size_t i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        unsigned char *p = xmalloc_bytes(cases[i].size);

        if ( p == NULL )
            FAIL("xmalloc(%zu) failed", cases[i].size);
        check_alignment(p, cases[i].size);
        CHECK_EQ(free0 - heap_free_pages(), 1UL << cases[i].order);
        p[0] = 1;
        p[cases[i].size - 1] = 2;
        xfree(p);
        CHECK_EQ(heap_free_pages(), free0);
    }
    /* Bigger than the biggest block, or than what is free: NULL. */
    CHECK(xmalloc_bytes((PAGE_SIZE << MAX_ORDER) + 1) == NULL);
    CHECK(xmalloc_bytes(128 * MiB) == NULL);
    CHECK(xmalloc_bytes(SIZE_MAX) == NULL);
    CHECK_EQ(heap_free_pages(), free0);
}

static void test_array_overflow(void)
{
    uint32_t *v;

    machine(1024);
    CHECK(xmalloc_array_bytes(SIZE_MAX / 2 + 1, 2) == NULL);
    CHECK(xzalloc_array_bytes((size_t)1 << 33, (size_t)1 << 33) == NULL);
    CHECK(xmalloc_array(uint64_t, SIZE_MAX / 4) == NULL);
    CHECK(xzalloc_array(uint64_t, SIZE_MAX / 8 + 1) == NULL);
    CHECK_EQ(heap_free_pages(), 1024);

    v = xzalloc_array(uint32_t, 1000);
    CHECK(v != NULL);
    for ( int i = 0; i < 1000; i++ )
        CHECK_EQ(v[i], 0);
    xfree(v);
    v = xmalloc_array(uint32_t, 0);
    CHECK(v != NULL);
    xfree(v);
}

static void test_out_of_memory(void)
{
    void *objs[64];
    unsigned int n = 0, again = 0;
    void *p;

    machine(16);
    while ( (p = xmalloc_bytes(2000)) != NULL )
    {
        if ( n == ARRAY_SIZE(objs) )
            FAIL("more 2000-byte objects than fit in 16 frames");
        objs[n++] = p;
    }
    CHECK_EQ(n, 32);                            /* two 2048-byte slots a page */
    CHECK_EQ(heap_free_pages(), 0);
    CHECK(xmalloc_bytes(5000) == NULL);
    CHECK(xmalloc_bytes(16) == NULL);           /* another class needs a page */
    while ( n > 0 )
        xfree(objs[--n]);
    while ( (p = xmalloc_bytes(2000)) != NULL )
        objs[again++] = p;
    CHECK_EQ(again, 32);
    while ( again > 0 )
        xfree(objs[--again]);
}

static void test_bad_xfree(void)
{
    unsigned char *small, *large, *other;
    void *page, *foreign;

    machine(1024);
    xfree(NULL);
    small = xmalloc_bytes(40);
    large = xmalloc_bytes(2 * PAGE_SIZE);
    other = xmalloc_bytes(40);
    page = alloc_xenheap_page();
    foreign = malloc(64);
    CHECK(small && large && other && page && foreign);
    fill(other, 40);

    EXPECT_PANIC("not the start", xfree(small + 1));
    EXPECT_PANIC("not the start", xfree(small + 16));
    EXPECT_PANIC("not an xmalloc block", xfree(page));
    EXPECT_PANIC("not an xmalloc block", xfree(large + PAGE_SIZE));
    EXPECT_PANIC("xfree", xfree(foreign));
    EXPECT_PANIC("not an xmalloc object", xfree((char *)page + 16));

    xfree(small);
    EXPECT_PANIC("double free", xfree(small));
    xfree(large);
    EXPECT_PANIC("not an xmalloc block", xfree(large));

    /* Nothing above left a lock held or a list damaged. */
    check_fill(other, 40);
    small = xmalloc_bytes(40);
    CHECK(small != NULL);
    xfree(small);
    xfree(other);
    free_xenheap_page(page);
    free(foreign);
}

struct worker {
    pthread_t thread;
    unsigned int seed;
    unsigned long ops;
    const char *error;
};

static void *churn(void *arg)
{
    struct worker *w = arg;
    unsigned char *held[64] = { 0 };
    size_t sizes[64] = { 0 };
    unsigned int s = w->seed;

    for ( int op = 0; op < 20000 && !time_is_up(); op++ )
    {
        unsigned int k;

        w->ops++;
        s = s * 1103515245u + 12345u;
        k = (s >> 16) % 64;
        if ( held[k] )
        {
            for ( size_t i = 0; i < sizes[k]; i++ )
                if ( held[k][i] != (unsigned char)(k ^ sizes[k]) )
                {
                    w->error = "object overwritten by another thread";
                    return NULL;
                }
            xfree(held[k]);
            held[k] = NULL;
        }
        else
        {
            sizes[k] = 1 + (s >> 8) % (op % 50 ? 600 : 9000);
            held[k] = xmalloc_bytes(sizes[k]);
            if ( held[k] == NULL )
            {
                w->error = "xmalloc failed";
                return NULL;
            }
            memset(held[k], k ^ sizes[k], sizes[k]);
        }
    }
    for ( unsigned int k = 0; k < 64; k++ )
        xfree(held[k]);
    return NULL;
}

/* Threads allocating and freeing at once: only the lock keeps them apart.
 * Bounded by time as well as by count: ticket locks crawl when the host has
 * fewer CPUs than spinning threads (a waiter whose turn has come may not be
 * running), which is a property of the host, not of the code. */
static void test_concurrent_smoke(void)
{
    struct worker w[3];
    unsigned long free0, ops = 0;

    machine(16384);
    free0 = heap_free_pages();
    time_limit_start(2000);
    for ( unsigned int i = 0; i < ARRAY_SIZE(w); i++ )
    {
        w[i].seed = (unsigned int)rng_next();
        w[i].error = NULL;
        if ( pthread_create(&w[i].thread, NULL, churn, &w[i]) != 0 )
            FAIL("pthread_create failed");
    }
    for ( unsigned int i = 0; i < ARRAY_SIZE(w); i++ )
    {
        pthread_join(w[i].thread, NULL);
        if ( w[i].error )
            FAIL("worker %u: %s", i, w[i].error);
        ops += w[i].ops;
    }
    CHECK(ops >= 300);
    /* All whole-page blocks came back; slab pages stay with their class. */
    CHECK(free0 - heap_free_pages() < 200);
}

const struct test_case xmalloc_cases[] = {
    { "xmalloc_every_size_1_to_10000", test_every_size },
    { "xmalloc_alignment_and_boundaries", test_alignment_and_boundaries },
    { "xmalloc_free_and_reuse", test_free_and_reuse },
    { "xmalloc_large_blocks", test_large_blocks },
    { "xmalloc_array_overflow", test_array_overflow },
    { "xmalloc_out_of_memory", test_out_of_memory },
    { "xmalloc_bad_xfree_panics", test_bad_xfree },
    { "xmalloc_concurrent_smoke", test_concurrent_smoke },
    { NULL, NULL },
};
