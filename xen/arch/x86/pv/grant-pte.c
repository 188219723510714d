/*
 * The x86 PV half of grant mappings: installing and removing the page-table
 * entry a GNTMAP_host_map mapping uses (common/grant_map.c decides whether
 * the mapping is allowed and holds the grant's own references).
 *
 * host_addr names the entry in one of two ways:
 *   - a guest virtual address: the L1 entry that maps it in the tables the
 *     vCPU runs on (the L1 must exist; its old entry is replaced);
 *   - GNTMAP_contains_pte: the machine address of the entry itself, which
 *     must be 8-byte aligned inside a validated L1 table of the caller
 *     (XSA-227: an unaligned or foreign address would let the guest write
 *     a half-entry, or an entry into a frame that is not its page table).
 *
 * The entry is written through the page-table engine
 * (pv_update_grant_entry), so it takes a general reference (and a writable
 * type reference unless read-only) like any L1 entry: if the guest later
 * overwrites it, exactly those are dropped and the grant's own references
 * still keep the frame.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/domain-page.h>
#include <xen/arch-hooks.h>
#include <asm/pv-mm.h>
#include <public/grant_table.h>

#define GRANT_PTE_FLAGS (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | \
                         _PAGE_USER | _PAGE_NX)

/* The L1 frame (referenced) and index host_addr names for v, or NULL. */
static struct page_info *locate_entry(struct vcpu *v, uint64_t addr,
                                      bool contains_pte, unsigned int *idx)
{
    struct domain *d = v->domain;
    mfn_t l1;

    if ( contains_pte )
    {
        if ( addr & (sizeof(pte_t) - 1) )
            return NULL;
        l1 = addr >> PAGE_SHIFT;
        *idx = (addr & (PAGE_SIZE - 1)) / sizeof(pte_t);
    }
    else if ( pv_walk_to_l1(pv_current_root(v), addr, &l1, idx) )
        return NULL;
    /* The caller's own frame; pv_update_grant_entry checks it is an L1. */
    return get_page_from_mfn(l1, d);
}

int arch_grant_map_host(struct vcpu *v, uint64_t addr, bool contains_pte,
                        mfn_t mfn, struct domain *granter, uint32_t flags)
{
    struct page_info *l1;
    unsigned int idx;
    pte_t e = ((pte_t)mfn << PAGE_SHIFT) | GRANT_PTE_FLAGS;
    int rc;

    if ( !(flags & GNTMAP_readonly) )
        e |= _PAGE_RW;
    /* GNTMAP_guest_avail bits go to the entry's software bits 9-11. */
    e |= (pte_t)((flags >> _GNTMAP_guest_avail0) & 7) << 9;
    l1 = locate_entry(v, addr, contains_pte, &idx);
    if ( l1 == NULL )
        return -EINVAL;
    rc = pv_update_grant_entry(l1, idx, e, granter, NULL);
    put_page(l1);
    return rc;
}

int arch_grant_unmap_host(struct vcpu *v, uint64_t addr, bool contains_pte,
                          mfn_t mfn, uint64_t new_addr)
{
    struct domain *d = v->domain;
    struct page_info *l1, *l1n = NULL;
    unsigned int idx, idxn = 0;
    pte_t cur, nv = 0;
    int rc;

    l1 = locate_entry(v, addr, contains_pte, &idx);
    if ( l1 == NULL )
        return -EINVAL;
    cur = READ_ONCE(((pte_t *)page_to_virt(l1))[idx]);
    /* The entry must still map the granted frame: otherwise the guest
     * changed it (its references went with that change) or names another
     * mapping's entry, and nothing is touched. */
    if ( !(cur & _PAGE_PRESENT) || ((cur & PTE_ADDR_MASK) >> PAGE_SHIFT) != mfn )
    {
        put_page(l1);
        return -EINVAL;
    }
    if ( new_addr != 0 )
    {
        /* unmap_and_replace: the entry at new_addr moves to addr. */
        l1n = locate_entry(v, new_addr, false, &idxn);
        if ( l1n == NULL )
        {
            put_page(l1);
            return -EINVAL;
        }
        nv = READ_ONCE(((pte_t *)page_to_virt(l1n))[idxn]);
    }
    rc = pv_update_grant_entry(l1, idx, nv, d, &cur);
    if ( rc == 0 && l1n != NULL )
        (void)pv_update_grant_entry(l1n, idxn, 0, d, &nv);
    put_page(l1);
    if ( l1n != NULL )
        put_page(l1n);
    if ( rc == 0 )
        /* No CPU may keep using the old translation once the grant's
         * references go. */
        flush_tlb_mask(pv_vcpumask_to_cpumask(d, ~0UL));
    return rc;
}
