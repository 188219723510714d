/*
 * One-entry page-table helpers the MM test kernels share: a single
 * mmu_update or mmuext_op on our own tables, the PTE naming a VA's frame,
 * and remapping a page of ours read-only or writable (UVMF_INVLPG).
 * PTE_KERNEL_RW is what a guest kernel's writable data mapping carries.
 */
#ifndef GUEST_LIB_PT_H
#define GUEST_LIB_PT_H

#include "hypercall.h"
#include "pv.h"

#define PTE_KERNEL_RO (PTE_P | PTE_US | PTE_A)
#define PTE_KERNEL_RW (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

/* One mmuext_op with both arguments (arg2 as a frame: copy_page's src). */
static inline long mmuext_one(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    return hv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* One mmuext_op on a frame (pin, unpin, new base pointer, ...). */
static inline long mmuext1(unsigned int cmd, uint64_t mfn)
{
    return mmuext_one(cmd, mfn, 0);
}

static inline long mmu_update1(uint64_t ptr, uint64_t val)
{
    struct mmu_update u = { .ptr = ptr, .val = val };

    return hv_mmu_update(&u, 1, NULL, DOMID_SELF);
}

static inline uint64_t pte_for(const void *va, uint64_t flags)
{
    return (virt_to_mfn(va) << PAGE_SHIFT) | flags;
}

static inline long set_ro(void *va)
{
    return hv_update_va_mapping((unsigned long)va, pte_for(va, PTE_KERNEL_RO),
                                UVMF_INVLPG);
}

static inline long set_rw(void *va)
{
    return hv_update_va_mapping((unsigned long)va, pte_for(va, PTE_KERNEL_RW),
                                UVMF_INVLPG);
}

#endif /* GUEST_LIB_PT_H */
