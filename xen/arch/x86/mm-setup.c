/*
 * Boot-time memory setup: from the multiboot2 memory map to a running
 * page allocator.
 *
 *  1. Find RAM and the ranges already taken (the image, the boot modules).
 *  2. A bump allocator takes frames from the top of the highest RAM region
 *     below 4 GiB (the boot page tables only reach 4 GiB) for the frame table
 *     and the new page tables.
 *  3. Build idle_pg_table: the image with W^X permissions, the direct map of
 *     all RAM (2 MiB pages where possible), the frame table; then switch
 *     CR3 to it.  The boot identity map is gone after that.
 *  4. Give every RAM frame that nothing uses to the buddy allocator.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <xen/arch-hooks.h>
#include <asm/bootinfo.h>
#include <asm/page.h>
#include <asm/processor.h>

pte_t idle_pg_table[512] __aligned(PAGE_SIZE);

extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _end[];
extern char __image_start[];

static bool heap_ready;
static uint64_t pte_nx;                 /* _PAGE_NX when the CPU has NX */

struct range { paddr_t s, e; };
#define MAX_RESERVED (BOOT_MAX_MODULES + 4)
static struct range reserved[MAX_RESERVED];
static unsigned int nr_reserved;

static paddr_t balloc_bottom, balloc_top, balloc_floor;

unsigned long ram_pages_found;          /* E820 RAM, in pages */
mfn_t max_mfn;                          /* frames the frame table covers */

static void reserve_range(paddr_t s, paddr_t e)
{
    if ( e <= s )
        return;
    BUG_ON(nr_reserved == MAX_RESERVED);
    reserved[nr_reserved].s = s & PAGE_MASK;
    reserved[nr_reserved].e = ROUNDUP(e, PAGE_SIZE);
    nr_reserved++;
}

static const struct range *overlapping_reserved(paddr_t s, paddr_t e)
{
    for ( unsigned int i = 0; i < nr_reserved; i++ )
        if ( s < reserved[i].e && reserved[i].s < e )
            return &reserved[i];
    return NULL;
}

/* Take nr zeroed frames from the boot pool; panics when it runs dry. */
static paddr_t boot_alloc_pages(unsigned long nr)
{
    for ( ;; )
    {
        paddr_t want = balloc_bottom - nr * PAGE_SIZE;
        const struct range *r;

        if ( nr * PAGE_SIZE > balloc_bottom - balloc_floor )
            panic("boot allocator exhausted (need %lu pages)", nr);
        r = overlapping_reserved(want, balloc_bottom);
        if ( r )
        {
            balloc_bottom = r->s;   /* hop below the module or image */
            continue;
        }
        balloc_bottom = want;
        memset(maddr_to_virt(want), 0, nr * PAGE_SIZE);
        return want;
    }
}

static void choose_boot_pool(void)
{
    for ( unsigned int i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_mmap_entry *m = &boot_info.mmap[i];
        paddr_t s = ROUNDUP(m->addr, PAGE_SIZE);
        paddr_t e = min(m->addr + m->size, (paddr_t)1 << 32) & PAGE_MASK;

        if ( m->type != E820_RAM || s < 0x100000 || e <= s )
            continue;
        if ( e > balloc_top )
        {
            balloc_top = balloc_bottom = e;
            balloc_floor = s;
        }
    }
    if ( !balloc_top )
        panic("no RAM above 1 MiB and below 4 GiB for the boot allocator");
}

/* A zeroed page for a page-table level: boot pool first, heap later. */
static pte_t *alloc_pt_page(void)
{
    if ( heap_ready )
    {
        pte_t *p = alloc_xenheap_page();
        if ( p )
            memset(p, 0, PAGE_SIZE);
        return p;
    }
    return maddr_to_virt(boot_alloc_pages(1));
}

/* The next-level table for va at 'shift', created if absent.  A 2 MiB
 * mapping in the way is split into 4 KiB ones with the same flags. */
static pte_t *next_level(pte_t *table, unsigned long va, unsigned int shift)
{
    pte_t *e = &table[PT_INDEX(va, shift)];

    if ( !(*e & _PAGE_PRESENT) )
    {
        pte_t *n = alloc_pt_page();
        if ( !n )
            return NULL;
        *e = virt_to_maddr(n) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
             _PAGE_DIRTY;
    }
    else if ( *e & _PAGE_PSE )
    {
        pte_t *n = alloc_pt_page();
        uint64_t flags = (*e & ~PTE_ADDR_MASK) & ~_PAGE_PSE;
        paddr_t base = *e & PTE_ADDR_MASK & ~(L2_PAGE_SIZE - 1);

        BUG_ON(shift != L2_SHIFT);  /* only 2 MiB pages are ever used */
        if ( !n )
            return NULL;
        for ( unsigned int i = 0; i < 512; i++ )
            n[i] = (base + i * PAGE_SIZE) | flags;
        *e = virt_to_maddr(n) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
             _PAGE_DIRTY;
    }
    return maddr_to_virt(*e & PTE_ADDR_MASK);
}

int map_pages(unsigned long va, paddr_t pa, unsigned long nr,
              uint64_t flags, bool allow_large)
{
    flags = (flags & ~_PAGE_NX) | (flags & pte_nx);

    while ( nr )
    {
        pte_t *l3, *l2, *l1;

        l3 = next_level(idle_pg_table, va, L4_SHIFT);
        l2 = l3 ? next_level(l3, va, L3_SHIFT) : NULL;
        if ( !l2 )
            return -ENOMEM;
        if ( allow_large && nr >= 512 && IS_ALIGNED(va, L2_PAGE_SIZE) &&
             IS_ALIGNED(pa, L2_PAGE_SIZE) )
        {
            l2[PT_INDEX(va, L2_SHIFT)] = pa | flags | _PAGE_PSE;
            va += L2_PAGE_SIZE;
            pa += L2_PAGE_SIZE;
            nr -= 512;
            continue;
        }
        l1 = next_level(l2, va, L2_SHIFT);
        if ( !l1 )
            return -ENOMEM;
        l1[PT_INDEX(va, L1_SHIFT)] = pa | flags;
        invlpg(va);
        va += PAGE_SIZE;
        pa += PAGE_SIZE;
        nr--;
    }
    return 0;
}

void unmap_pages(unsigned long va, unsigned long nr)
{
    for ( ; nr; nr--, va += PAGE_SIZE )
    {
        pte_t *e = &idle_pg_table[PT_INDEX(va, L4_SHIFT)];
        unsigned int shift;

        for ( shift = L3_SHIFT; ; shift -= 9 )
        {
            if ( !(*e & _PAGE_PRESENT) )
                break;
            e = (pte_t *)maddr_to_virt(*e & PTE_ADDR_MASK) + PT_INDEX(va, shift);
            if ( shift == L1_SHIFT )
            {
                *e = 0;
                invlpg(va);
                break;
            }
            BUG_ON(*e & _PAGE_PSE);
        }
    }
}

int unmap_page_splitting(unsigned long va)
{
    pte_t *l3 = next_level(idle_pg_table, va, L4_SHIFT);
    pte_t *l2 = l3 ? next_level(l3, va, L3_SHIFT) : NULL;
    pte_t *l1 = l2 ? next_level(l2, va, L2_SHIFT) : NULL;

    if ( !l1 )
        return -ENOMEM;
    l1[PT_INDEX(va, L1_SHIFT)] = 0;
    invlpg(va);
    return 0;
}

bool va_is_mapped(unsigned long va)
{
    pte_t e = idle_pg_table[PT_INDEX(va, L4_SHIFT)];

    for ( unsigned int shift = L3_SHIFT; ; shift -= 9 )
    {
        if ( !(e & _PAGE_PRESENT) )
            return false;
        if ( shift < L1_SHIFT || (e & _PAGE_PSE) )
            return true;
        e = ((pte_t *)maddr_to_virt(e & PTE_ADDR_MASK))[PT_INDEX(va, shift)];
        if ( shift == L1_SHIFT )
            return e & _PAGE_PRESENT;
    }
}

void *ioremap(paddr_t pa, size_t len)
{
    paddr_t s = pa & PAGE_MASK, e = ROUNDUP(pa + len, PAGE_SIZE);

    if ( map_pages((unsigned long)maddr_to_virt(s), s, (e - s) >> PAGE_SHIFT,
                   MAP_RW | MAP_UC | MAP_NX, false) )
        return NULL;
    return maddr_to_virt(pa);
}

static void map_image(void)
{
    struct { char *s, *e; uint64_t flags; } parts[] = {
        { _stext, _etext, MAP_RO },
        { _srodata, _erodata, MAP_RO | MAP_NX },
        { _sdata, _end, MAP_RW | MAP_NX },
    };

    for ( unsigned int i = 0; i < ARRAY_SIZE(parts); i++ )
    {
        unsigned long s = (unsigned long)parts[i].s;
        unsigned long e = ROUNDUP((unsigned long)parts[i].e, PAGE_SIZE);

        BUG_ON(map_pages(s, __pa_image(s), (e - s) >> PAGE_SHIFT,
                         parts[i].flags, false));
    }
}

static void map_direct_and_frametable(void)
{
    unsigned long ft_bytes, ft_pages;
    paddr_t ft;

    for ( unsigned int i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_mmap_entry *m = &boot_info.mmap[i];
        paddr_t s = m->addr & PAGE_MASK;
        paddr_t e = ROUNDUP(m->addr + m->size, PAGE_SIZE);

        if ( m->type != E820_RAM && m->type != E820_ACPI &&
             m->type != E820_NVS )
            continue;
        BUG_ON(map_pages((unsigned long)maddr_to_virt(s), s,
                         (e - s) >> PAGE_SHIFT, MAP_RW | MAP_NX, true));
    }

    ft_bytes = ROUNDUP(max_mfn * sizeof(struct page_info), PAGE_SIZE);
    ft_pages = ft_bytes >> PAGE_SHIFT;
    if ( ft_bytes > FRAMETABLE_VIRT_SIZE )
        panic("frame table for %lu frames does not fit its window", max_mfn);
    ft = boot_alloc_pages(ft_pages);    /* zeroed: every frame "reserved" */
    BUG_ON(map_pages(FRAMETABLE_VIRT_START, ft, ft_pages, MAP_RW | MAP_NX,
                     true));
}

/* Hand [s, e) minus every reserved range to the heap. */
static void heap_add(paddr_t s, paddr_t e)
{
    while ( s < e )
    {
        const struct range *r = overlapping_reserved(s, e);

        if ( !r )
        {
            heap_init_region(s, e);
            return;
        }
        if ( r->s > s )
            heap_init_region(s, r->s);
        s = r->e;
    }
}

void mm_setup(void)
{
    uint32_t a, b, c, d;
    paddr_t ram_top = 0;

    cpuid(0x80000001, &a, &b, &c, &d);
    if ( d & (1u << 20) )
        pte_nx = _PAGE_NX;

    reserve_range(__pa_image(__image_start), __pa_image(_end));
    for ( unsigned int i = 0; i < boot_info.nr_modules; i++ )
        reserve_range(boot_info.modules[i].start, boot_info.modules[i].end);

    for ( unsigned int i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_mmap_entry *m = &boot_info.mmap[i];

        if ( m->type == E820_RAM )
        {
            ram_pages_found += m->size >> PAGE_SHIFT;
            ram_top = max(ram_top, m->addr + m->size);
        }
    }
    if ( !ram_pages_found )
        panic("the boot loader's memory map lists no RAM");
    max_mfn = ROUNDUP(ram_top, PAGE_SIZE) >> PAGE_SHIFT;

    choose_boot_pool();
    map_image();
    map_direct_and_frametable();
    /* Identity map of the first MiB for the AP start-up trampoline; removed
     * once the secondary CPUs are up (smpboot.c). */
    BUG_ON(map_pages(0, 0, 256, MAP_RW, false));
    write_cr3(__pa_image(idle_pg_table));

    /* From here on page-table pages come from the heap. */
    reserve_range(balloc_bottom, balloc_top);
    heap_set_max_mfn(max_mfn);
    for ( unsigned int i = 0; i < boot_info.nr_mmap; i++ )
    {
        const struct boot_mmap_entry *m = &boot_info.mmap[i];
        paddr_t s = ROUNDUP(m->addr, PAGE_SIZE);
        paddr_t e = (m->addr + m->size) & PAGE_MASK;

        if ( m->type != E820_RAM )
            continue;
        if ( s < 0x100000 )
            s = 0x100000;   /* low memory: BIOS data, AP trampoline */
        if ( s < e )
            heap_add(s, e);
    }
    heap_ready = true;

    printk("RAM: %lu MiB usable in the memory map (%lu pages), frames 0-%#lx\n",
           ram_pages_found >> (20 - PAGE_SHIFT), ram_pages_found, max_mfn - 1);
    printk("Heap: %lu free pages (%lu MiB); boot allocations %lu KiB; "
           "image %lu KiB\n", heap_free_pages(),
           heap_free_pages() >> (20 - PAGE_SHIFT),
           (unsigned long)(balloc_top - balloc_bottom) >> 10,
           (unsigned long)(_end - __image_start) >> 10);
}
