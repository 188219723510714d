/*
 * Trap, event and failsafe entry stubs, and the way back: the iret
 * hypercall.
 *
 * The hypervisor bounces an exception with this frame on our stack,
 * lowest address first: RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS.
 * Each stub restores the interrupted RCX/R11 from the frame (as Linux's
 * xen_pv_trap does), pushes a dummy error code where the CPU has none and
 * the vector, so trap_common always sees struct trap_frame.  Returning
 * pushes struct iret_context's head (flags, RCX, R11, RAX) on top of
 * RIP..SS and issues hypercall 23, exactly like Linux's xen_iret.
 */
/* public/xen.h is C only; 23 is __HYPERVISOR_iret. */
#define HYPERVISOR_IRET 23

.macro trap_stub vec, has_error
    .balign 16
trap_stub_\vec:
    pop     %rcx
    pop     %r11
    .if \has_error == 0
    pushq   $0
    .endif
    pushq   $\vec
    jmp     trap_common
.endm

    .text
    trap_stub 0, 0
    trap_stub 1, 0
    trap_stub 2, 0
    trap_stub 3, 0
    trap_stub 4, 0
    trap_stub 5, 0
    trap_stub 6, 0
    trap_stub 7, 0
    trap_stub 8, 1
    trap_stub 9, 0
    trap_stub 10, 1
    trap_stub 11, 1
    trap_stub 12, 1
    trap_stub 13, 1
    trap_stub 14, 1
    trap_stub 15, 0
    trap_stub 16, 0
    trap_stub 17, 1
    trap_stub 18, 0
    trap_stub 19, 0
    trap_stub 20, 0
    trap_stub 21, 1
    trap_stub 22, 0
    trap_stub 23, 0
    trap_stub 24, 0
    trap_stub 25, 0
    trap_stub 26, 0
    trap_stub 27, 0
    trap_stub 28, 0
    trap_stub 29, 1
    trap_stub 30, 1
    trap_stub 31, 0

    .globl trap_stub_int80
trap_stub_int80:
    pop     %rcx
    pop     %r11
    pushq   $0
    pushq   $0x80
    jmp     trap_common

/* The event upcall: same frame as an exception without error code. */
    .globl event_callback_entry
event_callback_entry:
    pop     %rcx
    pop     %r11
    pushq   $0
    pushq   $0x100
    jmp     trap_common

/*
 * Failsafe callback: RCX, R11, DS, ES, FS, GS, RIP, CS, RFLAGS, RSP, SS.
 * The hypervisor already zeroed the selectors it could not load; drop
 * them and report (pseudo vector 0x101).
 */
    .globl failsafe_callback_entry
failsafe_callback_entry:
    pop     %rcx
    pop     %r11
    add     $32, %rsp
    pushq   $0
    pushq   $0x101
    jmp     trap_common

trap_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    mov     %rsp, %rbp
    and     $-16, %rsp          /* the ABI wants it; do not rely on the bounce */
    call    trap_dispatch
    mov     %rbp, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp           /* vector, error code */
    pushq   $0                  /* iret_context.flags: restore RCX/R11 */
    push    %rcx
    push    %r11
    push    %rax
    mov     $HYPERVISOR_IRET, %eax
    syscall
    ud2                         /* iret never returns */

/* hypervisor_iret_to(const struct iret_context *ctx) */
    .globl hypervisor_iret_to
hypervisor_iret_to:
    sub     $72, %rsp
    mov     %rdi, %rsi
    mov     %rsp, %rdi
    mov     $9, %ecx
    rep movsq
    mov     $HYPERVISOR_IRET, %eax
    syscall
    ud2

/* int recover_save(struct recover_point *rp): 0 now, non-zero on a jump. */
    .globl recover_save
recover_save:
    mov     %rbx, 0x00(%rdi)
    mov     %rbp, 0x08(%rdi)
    mov     %r12, 0x10(%rdi)
    mov     %r13, 0x18(%rdi)
    mov     %r14, 0x20(%rdi)
    mov     %r15, 0x28(%rdi)
    lea     8(%rsp), %rax
    mov     %rax, 0x30(%rdi)
    mov     (%rsp), %rax
    mov     %rax, 0x38(%rdi)
    xor     %eax, %eax
    ret

/* void recover_jump(struct recover_point *rp, int value) */
    .globl recover_jump
recover_jump:
    mov     0x00(%rdi), %rbx
    mov     0x08(%rdi), %rbp
    mov     0x10(%rdi), %r12
    mov     0x18(%rdi), %r13
    mov     0x20(%rdi), %r14
    mov     0x28(%rdi), %r15
    mov     0x30(%rdi), %rsp
    mov     %esi, %eax
    jmp     *0x38(%rdi)

    .section .rodata
    .balign 8
    .globl trap_stub_table
trap_stub_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad trap_stub_\v
    .endr

    .section .note.GNU-stack, "", @progbits
