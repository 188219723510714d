/*
 * Interrupt and exception entry.
 *
 * Every vector has a small stub that makes the stack look the same: for
 * vectors where the CPU pushes no error code the stub pushes a zero, then
 * it stores the vector number in the upper half of that slot.  The common
 * path saves the general registers as a struct cpu_regs (asm/regs.h) and
 * calls do_trap(regs).  Returning pops the same frame and irets.
 */
#include <asm/regs.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                      (v) == 21 || (v) == 29 || (v) == 30)

        .macro  entry_stub vec
        .balign 16
1:
        .if !HAS_ERROR(\vec)
        pushq   $0
        .endif
        movl    $\vec, 4(%rsp)
        jmp     trap_common
        .pushsection .rodata.entry_stubs, "a"
        .quad   1b
        .popsection
        .endm

        .pushsection .rodata.entry_stubs, "a"
        .balign 8
        .globl  entry_stubs
entry_stubs:
        .popsection

        .text
        .globl  entry_stub_base
entry_stub_base:
        .altmacro
        vec = 0
        .rept   256
        entry_stub %vec
        vec = vec + 1
        .endr
        .noaltmacro

trap_common:
        cld
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %rax
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        mov     %rsp, %rdi
        /* A frame-pointer link so backtraces walk into the interrupted code. */
        mov     REGS_RIP(%rsp), %rax
        pushq   %rax
        pushq   %rbp
        mov     %rsp, %rbp
        call    do_trap
        add     $16, %rsp
        .globl  trap_return
trap_return:
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rax
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        add     $8, %rsp                    /* error code + vector */
        iretq
