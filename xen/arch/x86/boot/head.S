/*
 * The first instructions the hypervisor runs.
 *
 * GRUB loads the image (multiboot2) with its low ".boot" part at
 * XEN_LOAD_PADDR and the rest linked at XEN_VIRT_START + physical address.
 * It enters start32 in 32-bit protected mode with paging off, EAX holding
 * the multiboot2 magic and EBX the physical address of the boot
 * information.  This file
 *   1. checks the magic and that the CPU can do long mode,
 *   2. zeroes .bss, builds boot page tables that map the first 4 GiB three
 *      times: identity (so this code keeps running), at DIRECTMAP_VIRT_START
 *      (so C code can read the boot information and ACPI tables) and the
 *      first 1 GiB at XEN_VIRT_START (the image itself),
 *   3. enables PAE, long mode, NX and paging, and jumps to 64-bit code at
 *      the image's linked (high) address, which calls start_xen(mbi).
 * C code later replaces these tables with properly permissioned ones
 * (arch/x86/mm-setup.c).
 */
#include <asm/config.h>

#define MB2_MAGIC          0xe85250d6
#define MB2_BOOT_MAGIC     0x36d76289
#define MB2_ARCH_I386      0
#define PTE_P              0x001
#define PTE_W              0x002
#define PTE_PS             0x080
#define PHYS(sym)          ((sym) - XEN_VIRT_START)

        .section .multiboot2, "a"
        .balign 8
mb2_header:
        .long   MB2_MAGIC
        .long   MB2_ARCH_I386
        .long   mb2_header_end - mb2_header
        .long   -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* entry address tag: where to start in 32-bit mode */
        .balign 8
        .short  3, 0
        .long   12
        .long   start32
        /* end tag */
        .balign 8
        .short  0, 0
        .long   8
mb2_header_end:

        .section .text.boot, "ax"
        .code32
        .globl  start32
start32:
        cli
        cld
        mov     $boot_stack_top, %esp
        cmp     $MB2_BOOT_MAGIC, %eax
        jne     .Lbad_magic
        mov     %ebx, %edi                  /* keep mbi in EDI for C */

        /* Long mode available?  (CPUID 0x80000001 EDX bit 29) */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      .Lno_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     .Lno_long_mode

        /* Zero .bss (linked high; convert to physical). */
        mov     $PHYS(__bss_start), %eax
        mov     $PHYS(__bss_end), %ecx
        sub     %eax, %ecx
        push    %edi
        mov     %eax, %edi
        xor     %eax, %eax
        rep stosb
        pop     %edi

        /* Four page directories of 2 MiB pages: 0-4 GiB. */
        mov     $boot_l2, %ebx
        xor     %ecx, %ecx
1:      mov     %ecx, %eax
        shl     $21, %eax
        or      $(PTE_P | PTE_W | PTE_PS), %eax
        mov     %eax, (%ebx, %ecx, 8)
        mov     %ecx, %eax
        shr     $11, %eax                   /* high bits of 2M*ecx */
        mov     %eax, 4(%ebx, %ecx, 8)
        inc     %ecx
        cmp     $2048, %ecx
        jne     1b

        /* boot_l3_low[0..3] -> the four directories. */
        mov     $boot_l3_low, %ebx
        mov     $boot_l2 + (PTE_P | PTE_W), %eax
        xor     %ecx, %ecx
2:      mov     %eax, (%ebx, %ecx, 8)
        add     $4096, %eax
        inc     %ecx
        cmp     $4, %ecx
        jne     2b

        /* boot_l3_xen[322] -> first directory (0-1 GiB at XEN_VIRT_START). */
        mov     $boot_l2 + (PTE_P | PTE_W), %eax
        mov     %eax, boot_l3_xen + ((XEN_VIRT_START >> 30) & 511) * 8

        /* L4: identity, direct map, image. */
        mov     $boot_l3_low + (PTE_P | PTE_W), %eax
        mov     %eax, boot_l4
        mov     %eax, boot_l4 + ((DIRECTMAP_VIRT_START >> 39) & 511) * 8
        mov     $boot_l3_xen + (PTE_P | PTE_W), %eax
        mov     %eax, boot_l4 + ((XEN_VIRT_START >> 39) & 511) * 8

        /* PAE, then CR3, then EFER.LME|NXE, then paging. */
        mov     %cr4, %eax
        or      $0x20, %eax
        mov     %eax, %cr4
        mov     $boot_l4, %eax
        mov     %eax, %cr3
        mov     $0x80000001, %eax
        cpuid
        mov     %edx, %esi                  /* extended features */
        mov     $0xc0000080, %ecx           /* EFER */
        rdmsr
        or      $0x100, %eax                /* LME */
        bt      $20, %esi
        jnc     3f
        or      $0x800, %eax                /* NXE, when the CPU has NX */
3:      wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax           /* PG | WP | PE */
        mov     %eax, %cr0

        lgdt    boot_gdt_desc
        ljmp    $0x08, $start64_low

.Lbad_magic:
        mov     $msg_bad_magic, %esi
        jmp     early_fail
.Lno_long_mode:
        mov     $msg_no_lm, %esi
        jmp     early_fail

/* Print the string at ESI on COM1 and halt: no C, no paging yet. */
early_fail:
        mov     $0x3fd, %dx
1:      in      %dx, %al
        test    $0x20, %al
        jz      1b
        mov     $0x3f8, %dx
        lodsb
        test    %al, %al
        jz      2f
        out     %al, %dx
        jmp     early_fail
2:      hlt
        jmp     2b

        .code64
start64_low:
        movabs  $start64, %rax
        jmp     *%rax

        .section .data.boot, "aw"
        .balign 16
boot_gdt:
        .quad   0
        .quad   0x00af9a000000ffff          /* 0x08: 64-bit code, ring 0 */
        .quad   0x00cf92000000ffff          /* 0x10: data, ring 0 */
boot_gdt_end:
        .word   0
boot_gdt_desc:
        .word   boot_gdt_end - boot_gdt - 1
        .long   boot_gdt
msg_bad_magic:
        .asciz  "xen: not started by a multiboot2 loader (bad magic); halting\r\n"
msg_no_lm:
        .asciz  "xen: this CPU lacks 64-bit long mode; halting\r\n"

        .section .bss.boot, "aw", @nobits
        .balign 4096
        .globl  boot_l4
boot_l4:        .skip 4096
boot_l3_low:    .skip 4096
boot_l3_xen:    .skip 4096
boot_l2:        .skip 4096 * 4
boot_stack:     .skip 4096
boot_stack_top:

        .text
        .code64
start64:
        mov     $0x10, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        xor     %eax, %eax
        mov     %eax, %fs
        mov     %eax, %gs
        lea     cpu0_stack + STACK_SIZE(%rip), %rsp
        xor     %ebp, %ebp                  /* ends backtraces */
        mov     %edi, %edi                  /* mbi physical address */
        call    start_xen
        ud2
