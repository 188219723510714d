/* Segment descriptors, the GDT/TSS/IDT layout.
 *
 * PV guests load their own GDT (up to 14 pages, entries 0..7167); the
 * hypervisor's own descriptors live in the 15th page, from selector 0xe000,
 * as the Xen PV ABI fixes them (guests use the FLAT_RING3_* selectors).
 * Each CPU has a 16-page GDT window at GDT_VIRT(cpu): pages 0-13 show a
 * zeroed page until a guest installs its GDT frames there, page 14 is the
 * CPU's reserved GDT page below. */
#ifndef X86_DESC_H
#define X86_DESC_H

#ifndef __ASSEMBLY__
#include <public/arch-x86_64.h>     /* FIRST_RESERVED_GDT_*, FLAT_RING3_* */
#endif
#define GDT_WINDOW_PAGES          16

#define __HYPERVISOR_CS   0xe008                /* ring 0, 64-bit code */
#define __HYPERVISOR_DS   0xe010                /* ring 0, data */
#define TSS_SELECTOR      0xe040                /* 16-byte system descriptor */
#define LDT_SELECTOR      0xe050                /* 16-byte system descriptor */

/* Where each CPU's GDT window lives (a slot of the hypervisor area). */
#define GDT_VIRT_BASE     0xffff82c000000000UL
#define GDT_VIRT(cpu)     (GDT_VIRT_BASE + (unsigned long)(cpu) * 0x20000UL)

#ifndef __ASSEMBLY__
#include <xen/types.h>

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed, aligned(16)));

struct idt_entry {
    uint16_t offset0;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type_attr;
    uint16_t offset1;
    uint32_t offset2;
    uint32_t reserved;
};

/* Per-CPU setup: GDT window, TSS with IST stacks, IDT load. */
void desc_init_cpu(unsigned int cpu, void *stack_block);
void idt_init(void);
/* Make vector v callable from ring dpl (e.g. int3/int80 for guests). */
void idt_set_dpl(unsigned int v, unsigned int dpl);
#endif

#endif /* X86_DESC_H */
