/* x86_64 limits and the hypervisor's virtual address layout.
 *
 * The PV ABI gives the hypervisor the 16 PML4 slots 256-271
 * (0xffff800000000000-0xffff87ffffffffff) of every address space; guests
 * own the rest.  Inside that range:
 *
 *   0xffff800000000000  MACH2PHYS_VIRT_START  read-only M2P table for guests
 *   0xffff804000000000                        (end of the guest-visible M2P)
 *   0xffff82d080000000  XEN_VIRT_START        hypervisor image (1 GiB window,
 *                                             VA = PA + XEN_VIRT_START)
 *   0xffff82e000000000  FRAMETABLE_VIRT_START one struct page_info per frame
 *   0xffff830000000000  DIRECTMAP_VIRT_START  all RAM, VA = PA + this
 *   0xffff880000000000  HYPERVISOR_VIRT_END
 *
 * The image is loaded by GRUB at XEN_LOAD_PADDR; its 32-bit boot code runs
 * at physical addresses (see arch/x86/boot/head.S). */
#ifndef X86_CONFIG_H
#define X86_CONFIG_H

/* Constants usable from C, assembly and the linker script alike. */
#ifdef __ASSEMBLY__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define NR_CPUS            64
#define PAGE_SHIFT         12
#define PAGE_SIZE          (_UL(1) << PAGE_SHIFT)
#define PAGE_MASK          (~(PAGE_SIZE - 1))
#define STACK_ORDER        4    /* 64 KiB per CPU: stacks + guards (percpu.h) */
#define STACK_SIZE         (PAGE_SIZE << STACK_ORDER)
#define IST_STACK_SIZE     PAGE_SIZE

#define XEN_LOAD_PADDR     _UL(0x200000)

#define HYPERVISOR_AREA_START  _UL(0xffff800000000000)
#define HYPERVISOR_AREA_END    _UL(0xffff880000000000)
#define MACH2PHYS_START        _UL(0xffff800000000000)
#define MACH2PHYS_END          _UL(0xffff804000000000)
#define XEN_VIRT_START         _UL(0xffff82d080000000)
#define XEN_VIRT_SIZE          (_UL(1) << 30)
#define FRAMETABLE_VIRT_START  _UL(0xffff82e000000000)
#define FRAMETABLE_VIRT_SIZE   (_UL(128) << 30)
#define DIRECTMAP_VIRT_START   _UL(0xffff830000000000)
#define DIRECTMAP_VIRT_END     _UL(0xffff880000000000)

#ifndef __ASSEMBLY__
#define __pa_image(va)   ((unsigned long)(va) - XEN_VIRT_START)
#endif

#endif /* X86_CONFIG_H */
