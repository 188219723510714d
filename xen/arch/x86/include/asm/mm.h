/* x86 frame table and direct map translation (see asm/config.h). */
#ifndef X86_MM_H
#define X86_MM_H

#include <asm/config.h>

#define frame_table        ((struct page_info *)FRAMETABLE_VIRT_START)
#define mfn_to_page(mfn)   (frame_table + (mfn))
#define page_to_mfn(pg)    ((mfn_t)((pg) - frame_table))
#define maddr_to_virt(ma)  ((void *)((unsigned long)(ma) + DIRECTMAP_VIRT_START))
#define virt_to_maddr(va)  ((paddr_t)((unsigned long)(va) - DIRECTMAP_VIRT_START))
#define page_to_virt(pg)   maddr_to_virt((paddr_t)page_to_mfn(pg) << PAGE_SHIFT)
#define virt_to_page(va)   mfn_to_page(virt_to_maddr(va) >> PAGE_SHIFT)

#endif /* X86_MM_H */
