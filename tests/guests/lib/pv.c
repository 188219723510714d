/*
 * The PV environment as the guest sees it: start_info, the shared_info
 * mapping, p2m/M2P and walks of the live page tables.
 */
#include "guest.h"

struct start_info *start_info;
struct shared_info *shared_info;
struct vcpu_info *vcpu;
unsigned long *p2m;
const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;
uint64_t *current_l4;

/* The VA we map shared_info at; its original frame is simply left unused. */
static uint8_t shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

#define POOL_PAGES 96
static uint8_t page_pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned int pool_used;

long shared_info_map(void)
{
    uint64_t pte = (start_info->shared_info & PTE_ADDR_MASK) | PTE_P | PTE_RW |
                   PTE_A | PTE_D;
    long rc;

    rc = hv_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG);
    if (rc == 0) {
        shared_info = (struct shared_info *)shared_info_page;
        vcpu = &shared_info->vcpu_info[0];
    }
    return rc;
}

uint64_t *pte_lookup(unsigned long va, int level, uint64_t *maddr)
{
    uint64_t *table = current_l4;
    unsigned long table_mfn = virt_to_mfn(table);
    int lvl;

    for (lvl = 4;; lvl--) {
        unsigned int idx = (va >> (12 + 9 * (lvl - 1))) & 511;
        uint64_t entry;
        unsigned long mfn, pfn;

        if (lvl == level) {
            if (maddr)
                *maddr = ((uint64_t)table_mfn << PAGE_SHIFT) + idx * 8;
            return &table[idx];
        }
        entry = table[idx];
        if (!(entry & PTE_P))
            return NULL;
        mfn = (entry & PTE_ADDR_MASK) >> PAGE_SHIFT;
        pfn = m2p[mfn];
        if (pfn >= start_info->nr_pages || p2m[pfn] != mfn)
            return NULL;
        table = pfn_to_virt(pfn);
        table_mfn = mfn;
    }
}

void *page_alloc(void)
{
    if (pool_used == POOL_PAGES)
        test_abort("page_alloc", "page pool of %u pages exhausted", POOL_PAGES);
    return page_pool[pool_used++];
}

unsigned int page_pool_left(void)
{
    return POOL_PAGES - pool_used;
}

void pv_page_context(struct vcpu_guest_context *ctx, uint64_t va,
                     uint64_t l4_mfn)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel | VGCF_online;
    ctx->user_regs.rip = va;
    ctx->user_regs.rsp = va + PAGE_SIZE;
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = va + PAGE_SIZE;
    ctx->ctrlreg[3] = xen_pfn_to_cr3(l4_mfn);
}
