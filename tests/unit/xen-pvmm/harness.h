/* The xen-pvmm test harness: a host "machine" (frame table, RAM buffer,
 * heap, M2P), host versions of what the MM code calls (guest copies, TLB
 * flushes, domain lookup) and domain/vCPU fixtures, on the shared harness
 * (tests/unit/harness: the fork-per-case runner, CHECKs, printk, panic). */
#ifndef XEN_PVMM_HARNESS_H
#define XEN_PVMM_HARNESS_H

#include <stdint.h>
#include <string.h>

#include <xen/types.h>
#include <xen/sched.h>
#include <asm/page.h>

#include "xen_unit.h"

/* The machine: HOST_FRAMES frames; RAM below 640K and from 1M; the heap
 * gets [1M, end) minus what m2p_init takes. */
#define HOST_FRAMES 8192UL
void machine_setup(void);

/* Flush stubs count what was asked. */
extern unsigned long flushes_all, flushes_one, flushes_cache, cr3_reloads;
extern uint64_t last_flush_mask;

/* Fixtures. */
struct domain *new_domain(domid_t id, bool privileged, unsigned long max_pages);
struct vcpu *new_vcpu(struct domain *d, unsigned int id);
void set_current(struct vcpu *v);
/* A frame of d (order 0), zeroed; FAILs when the heap is empty. */
mfn_t domain_frame(struct domain *d);
pte_t *frame_va(mfn_t mfn);
/* Count of free heap frames, for leak checks. */
unsigned long free_frames(void);

/* Guest addresses are host pointers here; this one always faults. */
#define BAD_GUEST_VA 0x10UL
static inline uint64_t gva(const void *p) { return (uint64_t)(uintptr_t)p; }

/* A four-level tree of d's frames, not yet validated:
 *   l4[0] -> l3, l3[0] -> l2, l2[0] -> l1   (P|RW|A|D)
 *   l1[0] -> data (P|RW): guest VA 0 is data
 *   l1[1] -> l1   (P):    guest VA 0x1000 is the L1 itself, read-only
 *   l1[2] -> l4   (P):    guest VA 0x2000 is the L4, read-only  */
struct tree {
    mfn_t l4, l3, l2, l1, data;
};
#define TBL (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
static inline pte_t mkpte(mfn_t m, pte_t flags)
{
    return ((pte_t)m << PAGE_SHIFT) | flags;
}
void build_tree(struct domain *d, struct tree *t);
/* A frame the heap holds free right now (test_types.c). */
mfn_t free_heap_frame(void);
/* General and type counts of a frame. */
unsigned long gen_count(mfn_t m);
unsigned long type_count(mfn_t m);
unsigned long type_of(mfn_t m);

#endif /* XEN_PVMM_HARNESS_H */
