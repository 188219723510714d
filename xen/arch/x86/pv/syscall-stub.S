/*
 * The per-CPU SYSCALL entry stub, as a template.
 *
 * SYSCALL does not switch stacks and the guest owns both GS bases, so the
 * hypervisor cannot find its own stack from registers.  Each CPU therefore
 * gets a private copy of this code (one executable page) followed by a data
 * page holding that CPU's stack pointer; LSTAR points at the copy.  All
 * references are RIP-relative to the page after the code, so the copy works
 * wherever it is mapped (syscall-stub.c).
 *
 * Data page: +0 scratch (guest RSP), +8 hypervisor RSP to load (the frame's
 * rsp slot), +16 address of syscall_entry.
 */
        .section .rodata.syscall_stub, "a"
        .balign 4096
        .globl  syscall_stub_template, syscall_stub_template_end
syscall_stub_template:
        mov     %rsp, syscall_stub_template + 4096(%rip)
        mov     syscall_stub_template + 4096 + 8(%rip), %rsp
        pushq   syscall_stub_template + 4096(%rip)
        jmp     *syscall_stub_template + 4096 + 16(%rip)
syscall_stub_template_end:
