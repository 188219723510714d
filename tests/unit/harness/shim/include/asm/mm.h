/* Host stand-in for the x86 asm/mm.h: the frame table is a host array and
 * the direct map a host buffer standing in for RAM, so the hypervisor's
 * memory code compiles unchanged.  Each harness allocates both
 * (host_frame_table, host_ram: shim/machine.c). */
#ifndef X86_MM_H
#define X86_MM_H

#include <asm/config.h>       /* the real one: PAGE_SIZE, NR_CPUS */

struct page_info;
extern struct page_info *host_frame_table;
extern unsigned char *host_ram;

#define frame_table        host_frame_table
#define mfn_to_page(mfn)   (frame_table + (mfn))
#define page_to_mfn(pg)    ((mfn_t)((pg) - frame_table))
#define maddr_to_virt(ma)  ((void *)(host_ram + (ma)))
#define virt_to_maddr(va)  ((paddr_t)((uintptr_t)(va) - (uintptr_t)host_ram))
#define page_to_virt(pg)   maddr_to_virt((paddr_t)page_to_mfn(pg) << PAGE_SHIFT)
#define virt_to_page(va)   mfn_to_page(virt_to_maddr(va) >> PAGE_SHIFT)

#endif /* X86_MM_H */
