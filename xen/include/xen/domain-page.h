/*
 * Frames owned by domains: allocation charged to a domain, general
 * reference counts, and handing frames back.
 *
 * A frame a domain owns has state PGC_state_inuse, owner == the domain and
 * a general reference count (count_info & PGC_count_mask).  While the frame
 * is allocated to the domain (PGC_allocated) that allocation holds one of
 * the references; page-table entries, pins, vCPU CR3s and the hypervisor's
 * own users hold the others.  The frame goes back to the heap, scrubbed,
 * only when the allocation is gone *and* the last reference is dropped, so
 * a frame a guest gave back while something still maps it stays out of
 * reach of every other domain until the mapping is gone.
 *
 * Hypervisor pages a guest may map (shared_info, grant-table frames) carry
 * PGC_xen_shared instead: they name the domain as owner so its page tables
 * may reference them, but are not charged to it and are never freed by a
 * reference drop (their hypervisor user frees them once unshared and idle).
 *
 * Locking: counts are changed with atomic compare-and-exchange, so
 * get_page/put_page may be called anywhere; d->lock covers the page list
 * and tot_pages.
 */
#ifndef XEN_DOMAIN_PAGE_H
#define XEN_DOMAIN_PAGE_H

#include <xen/types.h>
#include <xen/mm.h>

struct domain;

/* count_info bits between the state field and the reference count. */
#define PGC_allocated   (1UL << 59)   /* the domain's allocation reference */
#define PGC_xen_shared  (1UL << 58)   /* hypervisor page shared with owner */
#define PGC_count_max   (PGC_count_mask >> 1)   /* refuse refs beyond this */

static inline unsigned long page_refcount(const struct page_info *pg)
{
    return READ_ONCE(pg->count_info) & PGC_count_mask;
}

static inline struct domain *page_get_owner(const struct page_info *pg)
{
    return READ_ONCE(pg->owner);
}

/*
 * 2^order contiguous frames charged to d (tot_pages += 2^order), each with
 * owner d, PGC_allocated and one reference, and an INVALID M2P entry.
 * NULL when d would exceed max_pages, d is dying, or the heap is empty.
 * d == NULL is refused (use alloc_heap_pages for hypervisor memory).
 */
struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order);
/* Take back an allocation: drop PGC_allocated (and its reference) of each
 * frame; a frame is freed when nothing else references it. */
void free_domheap_pages(struct page_info *pg, unsigned int order);

/* A general reference to a frame owned by d (including shared hypervisor
 * pages whose owner is d).  Returns 1, or 0 when the frame is not d's, is
 * no longer referenced at all, or the count would overflow. */
int get_page(struct page_info *pg, struct domain *d);
/* Drop one; the last one frees (and scrubs) the frame. */
void put_page(struct page_info *pg);
/* get_page on an MFN, checking it is inside the frame table first. */
struct page_info *get_page_from_mfn(mfn_t mfn, struct domain *d);

/* Drop PGC_allocated from one frame of d (the guest gave it back):
 * uncharges d and puts the allocation reference.  0, or -EINVAL when the
 * frame was not allocated to d. */
int domain_page_release(struct domain *d, struct page_info *pg);

/* decrease_reservation: give back a whole extent of d's frames, atomically
 * with respect to every other CPU, only if nothing but the allocation
 * references any of them.  0; -EBUSY (still in use, or another vCPU got
 * there first: the extent is left untouched); -EINVAL (not d's frames). */
int domain_extent_release(struct domain *d, mfn_t mfn, unsigned int order);
/* XENMEM_exchange: the same check and commit, but the caller keeps the
 * extent (off d's list and uncharged, one reference per frame that is the
 * caller's) until it either put_page()s each frame or gives the extent
 * back with domain_extent_unsteal (re-allocated and charged to d, or
 * freed if d is dying). */
int domain_extent_steal(struct domain *d, mfn_t mfn, unsigned int order);
void domain_extent_unsteal(struct domain *d, mfn_t mfn, unsigned int order);

/* Give a hypervisor page (from alloc_xenheap_pages) an owner so that
 * domain's page tables may map it; the hypervisor keeps one reference
 * until unshare_xen_page.  After unsharing, the page belongs to this
 * module: it goes back to the heap when the last guest mapping is gone
 * (at once if there is none), so the caller must not free it. */
void share_xen_page_with_guest(struct page_info *pg, struct domain *d);
void unshare_xen_page(struct page_info *pg);

/*
 * Domain destruction: drop every type reference held by the domain's page
 * tables, pins and vCPU base pointers (pv_release_guest_tables for each
 * vCPU first), then every allocation reference.  Frames still referenced
 * from elsewhere (a foreign mapping) are freed when that goes.  Call with
 * the domain's vCPUs stopped.  Returns the number of frames that could not
 * be freed yet.
 */
unsigned long relinquish_domain_pages(struct domain *d);

#endif /* XEN_DOMAIN_PAGE_H */
