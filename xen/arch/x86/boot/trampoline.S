/*
 * Start-up code for the secondary CPUs (APs).
 *
 * An AP woken by INIT-SIPI-SIPI starts in 16-bit real mode at
 * TRAMPOLINE_PA (the SIPI vector names that page).  smpboot.c copies
 * this blob there and fills in its parameter block; the code goes to
 * protected mode, then long mode on the hypervisor's own page table
 * (which maps the low MiB 1:1 while APs boot), and jumps to the 64-bit
 * entry point with its stack and CPU number.
 */
#include <asm/smpboot.h>

#define T(sym)   ((sym) - trampoline_start + TRAMPOLINE_PA)
#define OFF(sym) ((sym) - trampoline_start)

        .section .rodata.trampoline, "a"
        .globl  trampoline_start, trampoline_end
        .code16
trampoline_start:
        cli
        cld
        mov     %cs, %ax
        mov     %ax, %ds
        lgdtl   OFF(tr_gdt_desc)
        mov     %cr0, %eax
        or      $1, %eax                    /* PE */
        mov     %eax, %cr0
        ljmpl   $0x08, $T(tr_protected)

        .code32
tr_protected:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        mov     T(tr_cr4), %eax
        mov     %eax, %cr4
        mov     T(tr_cr3), %eax
        mov     %eax, %cr3
        mov     $0xc0000080, %ecx           /* EFER: LME (and NXE) */
        mov     T(tr_efer), %eax
        xor     %edx, %edx
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax           /* PG | WP | PE */
        mov     %eax, %cr0
        ljmpl   $0x18, $T(tr_long)

        .code64
tr_long:
        mov     T(tr_stack), %rsp
        mov     T(tr_cpu), %edi
        mov     T(tr_entry), %rax
        xor     %ebp, %ebp
        jmp     *%rax

        .balign 8
tr_gdt:
        .quad   0
        .quad   0x00cf9a000000ffff          /* 0x08: 32-bit code */
        .quad   0x00cf92000000ffff          /* 0x10: data */
        .quad   0x00af9a000000ffff          /* 0x18: 64-bit code */
tr_gdt_desc:
        .word   tr_gdt_desc - tr_gdt - 1
        .long   T(tr_gdt)

        /* Parameter block, filled by smpboot.c (struct trampoline_params). */
        .balign 8
        .globl  trampoline_params
trampoline_params:
tr_cr3:   .long 0
tr_cr4:   .long 0
tr_efer:  .long 0
tr_cpu:   .long 0
tr_stack: .quad 0
tr_entry: .quad 0
trampoline_end:
