/*
 * The PV memory facts generic code may read (through xen/arch-hooks.h):
 * the type_info encoding of struct page_info and the M2P's "no pfn"
 * value.  The functions that change types are in asm/pv-mm.h, and the
 * rules in docs/page-types.md.
 *
 * type_info of a frame:
 *
 *   bits 63:60  PGT_* type the frame is used as
 *   bit  59     PGT_validated: contents checked for that type
 *   bit  58     PGT_pinned: a pin (MMUEXT_PIN_*) holds one type reference
 *   bits 31:0   type count: how many holders rely on the type
 */
#ifndef X86_PV_TYPES_H
#define X86_PV_TYPES_H

#include <xen/types.h>
#include <xen/mm.h>

#define PGT_type_shift      60
#define PGT_type_mask       (0xfUL << PGT_type_shift)
#define PGT_none            (0UL << PGT_type_shift)
#define PGT_l1_page_table   (1UL << PGT_type_shift)
#define PGT_l2_page_table   (2UL << PGT_type_shift)
#define PGT_l3_page_table   (3UL << PGT_type_shift)
#define PGT_l4_page_table   (4UL << PGT_type_shift)
#define PGT_seg_desc_page   (5UL << PGT_type_shift)
#define PGT_writable_page   (6UL << PGT_type_shift)
#define PGT_validated       (1UL << 59)
#define PGT_pinned          (1UL << 58)
#define PGT_count_mask      0xffffffffUL
/* Linear page tables (a read-only L2/L3/L4 entry naming another table of
 * its own level): a signed count in bits 32-47 of a table's type_info.
 * > 0: how many such entries the table holds; < 0: how many such entries
 * name it.  Never both, so linear chains cannot form (docs/page-types.md). */
#define PGT_linear_shift    32
#define PGT_linear_mask     (0xffffUL << PGT_linear_shift)

static inline int pgt_linear_count(unsigned long type_info)
{
    return (int16_t)((type_info & PGT_linear_mask) >> PGT_linear_shift);
}

/* PGT_l<n>_page_table for n = 1..4. */
#define PGT_level(n)        ((unsigned long)(n) << PGT_type_shift)

static inline unsigned long page_type(const struct page_info *pg)
{
    return READ_ONCE(pg->type_info) & PGT_type_mask;
}

static inline unsigned long page_type_count(const struct page_info *pg)
{
    return READ_ONCE(pg->type_info) & PGT_count_mask;
}

/* 1..4 for a page-table type, else 0. */
static inline unsigned int pgt_table_level(unsigned long type)
{
    unsigned long t = (type & PGT_type_mask) >> PGT_type_shift;

    return (t >= 1 && t <= 4) ? (unsigned int)t : 0;
}

/* get_gpfn_from_mfn's answer for a frame no domain has a pfn for. */
#define M2P_INVALID_ENTRY   (~0UL)

#endif /* X86_PV_TYPES_H */
