/*
 * Entry point of every test kernel.  The domain builder enters here in
 * guest-kernel mode (ring 3) with rsi = start_info, rsp = top of its
 * bootstrap stack and events masked.  We record what we were given (the
 * startofday test checks it), move to our own stack and call C.
 */
    .section .text.head, "ax"
    .globl _start
    .type _start, @function
_start:
    cld
    mov     %rsi, entry_state + 0x00(%rip)
    mov     %rsp, entry_state + 0x08(%rip)
    pushfq
    popq    entry_state + 0x10(%rip)
    movq    $0, entry_state + 0x18(%rip)
    mov     %cs, entry_state + 0x18(%rip)
    movq    $0, entry_state + 0x20(%rip)
    mov     %ss, entry_state + 0x20(%rip)
    movq    $0, entry_state + 0x28(%rip)
    mov     %ds, entry_state + 0x28(%rip)
    movq    $0, entry_state + 0x30(%rip)
    mov     %es, entry_state + 0x30(%rip)
    movq    $0, entry_state + 0x38(%rip)
    mov     %fs, entry_state + 0x38(%rip)
    movq    $0, entry_state + 0x40(%rip)
    mov     %gs, entry_state + 0x40(%rip)

    lea     boot_stack_top(%rip), %rsp
    xor     %ebp, %ebp
    mov     %rsi, %rdi
    call    guest_start
    /* guest_start never returns; if it does, make it loud. */
1:  ud2
    jmp     1b
    .size _start, . - _start

    .section .bss.stack, "aw", @nobits
    .balign 4096
    .globl boot_stack_top
boot_stack:
    .skip   16384
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
