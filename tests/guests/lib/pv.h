/*
 * The guest's view of its PV environment: what the domain builder handed
 * over at entry, the shared_info page, the p2m/M2P translations and the
 * bootstrap page tables.
 */
#ifndef GUEST_PV_H
#define GUEST_PV_H

#include <stdint.h>

#include "public/xen.h"

/* Link-time layout (lib/guest.lds): VA = pseudo-physical + VIRT_BASE. */
#define GUEST_VIRT_BASE 0xffffffff80000000UL
#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Page-table entry bits (x86). */
#define PTE_P   (1UL << 0)
#define PTE_RW  (1UL << 1)
#define PTE_US  (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_A   (1UL << 5)
#define PTE_D   (1UL << 6)
#define PTE_PSE (1UL << 7)
#define PTE_G   (1UL << 8)
#define PTE_NX  (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

/* Registers as the builder left them, saved by head.S before anything. */
struct entry_state {
    uint64_t rsi, rsp, rflags;
    uint64_t cs, ss, ds, es, fs, gs;
};
extern struct entry_state entry_state;

extern struct start_info *start_info;
extern struct shared_info *shared_info;   /* NULL until shared_info_map() */
extern struct vcpu_info *vcpu;            /* this vCPU's vcpu_info */
extern unsigned long *p2m;                /* start_info->mfn_list */
extern const unsigned long *m2p;          /* the read-only M2P */

/* Maps start_info->shared_info at a page of our own; returns the rc. */
long shared_info_map(void);

static inline unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - GUEST_VIRT_BASE) >> PAGE_SHIFT;
}

static inline void *pfn_to_virt(unsigned long pfn)
{
    return (void *)(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT));
}

static inline unsigned long virt_to_mfn(const void *va)
{
    return p2m[virt_to_pfn(va)];
}

/* VA of a frame of ours in the initial region, via the M2P. */
static inline void *mfn_to_virt(unsigned long mfn)
{
    return pfn_to_virt(m2p[mfn]);
}

/*
 * Walk the current page tables for va.  Returns the VA of the entry at
 * `level` (4 = L4 .. 1 = L1) and its machine address in *maddr, or NULL if
 * a table on the way is missing or outside the initial region.
 */
uint64_t *pte_lookup(unsigned long va, int level, uint64_t *maddr);

/* The vCPU 0 context of a one-page domU of a test's own: kernel mode,
 * code at va, its stack at the end of that page, on the page tables
 * rooted at l4_mfn (what dom0op's setvcpucontext takes). */
struct vcpu_guest_context;
void pv_page_context(struct vcpu_guest_context *ctx, uint64_t va,
                     uint64_t l4_mfn);

/* Page-aligned pages from a static pool (never freed). */
void *page_alloc(void);
unsigned int page_pool_left(void);

/* The L4 we are running on (start_info->pt_base until a test changes it). */
extern uint64_t *current_l4;

/* Read the TSC. */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
    asm volatile("pause" ::: "memory");
}

#define barrier() asm volatile("" ::: "memory")
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))



/* Pointers no hypercall may accept as a guest buffer. */
#define BAD_PTR_NULL     0x0UL
#define BAD_PTR_USER     0x1000UL               /* lower half, never mapped */
#define BAD_PTR_M2P      0xffff800000000000UL   /* hypervisor hole: the M2P */
#define BAD_PTR_HV       0xffff830000000000UL   /* hypervisor hole: private */
#define BAD_PTR_NONCANON 0x0000800000000000UL   /* first non-canonical */
#define BAD_PTR_NONCANON2 0x8000000000000000UL
#endif /* GUEST_PV_H */
