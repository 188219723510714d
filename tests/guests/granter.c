/*
 * granter: a domU that grants one page to dom0 and waits until dom0 has
 * mapped it through Linux's /dev/xen/gntdev, checked our pattern and
 * written a marker back (the 80-domu suite runs `gntmap` in dom0 against
 * it).  This is the path Linux's gntdev takes in a PV dom0: map with
 * GNTMAP_contains_pte on a user PTE plus a kernel mapping, unmap on
 * munmap.
 *
 * Grant reference 8 of our table, to domain 0, read-write; the page holds
 * byte i = i * 7 + 3 except the first word, where dom0 writes
 * GNTMAP_MARKER.  After the marker we wait for the in-use bits to clear
 * (dom0 unmapped), check our bytes are otherwise unchanged and power off.
 */
#include "guest.h"
#include "pt.h"

#define REF           8
#define GNTMAP_MARKER 0x600df00du

void test_main(void)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1 };
    static xen_pfn_t frame;
    struct grant_entry_v1 *tab = page_alloc();
    volatile uint8_t *page = page_alloc();
    unsigned int bad = 0, i;
    int seen_inuse = 0;

    s.frame_list.p = &frame;
    CHECK(hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                     (uint64_t)&s, 1) == 0 && s.status == GNTST_okay,
          "setup_table");
    CHECK_EQ(hv_update_va_mapping((unsigned long)tab,
                                  (frame << PAGE_SHIFT) | PTE_KERNEL_RW,
                                  UVMF_INVLPG), 0, "map our grant frame");
    for ( i = 0; i < PAGE_SIZE; i++ )
        page[i] = (uint8_t)(i * 7 + 3);
    tab[REF].domid = 0;
    tab[REF].frame = virt_to_mfn((const void *)page);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    tab[REF].flags = GTF_permit_access;
    printf("GRANTER-READY ref %u\n", REF);

    /* dom0 maps, checks, writes the marker, unmaps. */
    while ( *(volatile uint32_t *)page != GNTMAP_MARKER )
    {
        if ( __atomic_load_n(&tab[REF].flags, __ATOMIC_ACQUIRE) &
             GTF_writing )
            seen_inuse = 1;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
    test_pass("dom0's marker arrived through its gntdev mapping");
    while ( __atomic_load_n(&tab[REF].flags, __ATOMIC_ACQUIRE) &
            (GTF_reading | GTF_writing) )
    {
        seen_inuse = 1;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
    printf("in-use bits seen while mapped: %s\n", seen_inuse ? "yes" : "no");
    test_pass("GTF_reading/GTF_writing clear after dom0's unmap");
    for ( i = 4; i < PAGE_SIZE; i++ )
        if ( page[i] != (uint8_t)(i * 7 + 3) )
            bad++;
    CHECK_EQ(bad, 0, "the rest of the page is as we wrote it");
    tab[REF].flags = 0;
}
