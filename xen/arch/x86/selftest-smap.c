/*
 * boot_test=smap: prove SMAP is on by touching a user page from ring 0.
 *
 * A heap page is mapped at a low (guest-half) address with the user bit
 * at every level, as a guest's page would be.  A read without stac must
 * fault (caught through the exception table, like any guest access), and
 * the same read inside a stac/clac window must see the page's contents.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <asm/extable.h>
#include <asm/flushtlb.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/smap.h>

#define TEST_VA  0x0000000040000000UL   /* guest half, unused by now */
#define MARKER   0x5a4d4150u            /* "PAMZ" */

/* Read *p; false if it faulted. */
static bool __attribute__((noinline)) probe_read(const uint32_t *p,
                                                 uint32_t *val)
{
    bool ok = true;
    uint32_t v = 0;

    __asm__ __volatile__(
        "1: movl %2, %1\n"
        EXTABLE_CLEAR_ON_FAULT("%0")
        : "+qm"(ok), "+r"(v) : "m"(*p));
    *val = v;
    return ok;
}

/* Give the mapping of va the user bit at every level. */
static void make_user(unsigned long va)
{
    pte_t *t = idle_pg_table;

    for ( unsigned int shift = L4_SHIFT; ; shift -= 9 )
    {
        pte_t *e = &t[PT_INDEX(va, shift)];

        *e |= _PAGE_USER;
        if ( shift == L1_SHIFT )
            break;
        t = maddr_to_virt(*e & PTE_ADDR_MASK);
    }
    flush_tlb_local();
}

bool selftest_smap(void)
{
    uint32_t *page = alloc_xenheap_page(), val;
    const uint32_t *user = (const uint32_t *)TEST_VA;
    bool plain, windowed;

    if ( !smap_enabled )
    {
        printk(XENLOG_ERR "smap test: SMAP is not enabled on this CPU\n");
        return false;
    }
    if ( !page || map_pages(TEST_VA, virt_to_maddr(page), 1,
                            MAP_RW | MAP_NX, false) )
    {
        printk(XENLOG_ERR "smap test: cannot map the test page\n");
        return false;
    }
    page[0] = MARKER;
    make_user(TEST_VA);

    plain = probe_read(user, &val);
    printk("smap test: ring-0 read of a user page without stac %s\n",
           plain ? "SUCCEEDED (SMAP not enforced)" : "faulted, as it must");
    stac();
    windowed = probe_read(user, &val);
    clac();
    printk("smap test: the same read inside stac/clac %s (%#x)\n",
           windowed ? "succeeded" : "FAULTED", val);

    unmap_pages(TEST_VA, 1);
    return !plain && windowed && val == MARKER;
}
