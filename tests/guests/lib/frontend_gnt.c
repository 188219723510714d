/* A split-driver frontend's grant table: frontend_gnt.h. */
#include "guest.h"
#include "pt.h"
#include "frontend_gnt.h"

volatile struct grant_entry_v1 *frontend_gnt;

void frontend_gnt_setup(void)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1 };
    static xen_pfn_t frame;

    s.frame_list.p = &frame;
    if (hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                   (uint64_t)&s, 1) != 0 || s.status != GNTST_okay)
        test_abort("grant table", "setup_table status %d", s.status);
    frontend_gnt = page_alloc();
    if (hv_update_va_mapping((unsigned long)frontend_gnt,
                             (frame << PAGE_SHIFT) | PTE_KERNEL_RW, UVMF_INVLPG) != 0)
        test_abort("grant table", "cannot map our grant frame");
}

void frontend_grant(unsigned int ref, const volatile void *page, int readonly)
{
    frontend_gnt[ref].domid = 0;
    frontend_gnt[ref].frame = (uint32_t)virt_to_mfn((const void *)page);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    frontend_gnt[ref].flags = (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0));
}
