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

/*
 * With SMAP on, leave no stac window open into the handler: a guest may
 * set RFLAGS.AC in ring 3 and an interrupt gate keeps it.  (clac does not
 * exist without SMAP, hence the flag test; iretq restores the AC of the
 * interrupted context.)
 */
        .macro  clac_if_smap
        testb   $1, smap_enabled(%rip)
        jz      .Lno_clac\@
        clac
.Lno_clac\@:
        .endm

/*
 * The general registers as a struct cpu_regs (asm/regs.h), below the
 * vector/error-code slot and the CPU's iret frame.  Both entry paths (the
 * common one and the IST one) build and unwind the frame with these, so
 * the layout is written once; the push order is the reverse of the
 * structure's field order.
 */
        .macro  save_all
        cld
        clac_if_smap
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
        .endm

/* Pops what save_all pushed, then drops the error code + vector slot. */
        .macro  restore_all
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
        .endm

/*
 * Calls \handler(regs) with regs at RSP, under a frame-pointer link to the
 * interrupted RIP so that backtraces walk into the interrupted code.
 */
        .macro  call_with_regs handler
        mov     %rsp, %rdi
        mov     REGS_RIP(%rsp), %rax
        pushq   %rax
        pushq   %rbp
        mov     %rsp, %rbp
        call    \handler
        add     $16, %rsp
        .endm

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
                      (v) == 21 || (v) == 29 || (v) == 30)

/* Vectors delivered on an IST stack (#DF, NMI, #MC; see desc.c). */
#define IST_VECTOR(v) ((v) == 2 || (v) == 8 || (v) == 18)

        .macro  entry_stub vec
        .balign 16
1:
        .if !HAS_ERROR(\vec)
        pushq   $0
        .endif
        movl    $\vec, 4(%rsp)
        .if IST_VECTOR(\vec)
        jmp     ist_common
        .else
        jmp     trap_common
        .endif
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
        save_all
        call_with_regs do_trap
        /* Back to a guest: events and scheduling first. */
        testb   $3, REGS_CS(%rsp)
        jnz     ret_to_guest
        .globl  trap_return
trap_return:
        restore_all
1:      iretq
        /* iretq to a guest can fault on a bad CS/SS/RIP the guest chose.
         * The fault's fixup lands here with RSP back at the iret frame and
         * the guest's registers loaded: rebuild the frame and report it. */
        .pushsection .fixup, "ax"
bad_iret:
        pushq   $0
        movl    $0x101, 4(%rsp)             /* TRAP_BAD_IRET */
        jmp     trap_common
        .popsection
        .pushsection .ex_table, "a"
        .balign 8
        .quad   1b, bad_iret
        .popsection

/*
 * NMI, #DF and #MC: entered on this CPU's IST stack for the vector.
 *
 * Why these never take the common return path:
 *  - ret_to_guest runs softirqs and may context-switch, which saves and
 *    reloads the guest frame at the top of the *primary* stack
 *    (guest_cpu_regs()).  A guest frame left on an IST stack would be
 *    abandoned there, the guest's registers lost.
 *  - The CPU blocks further NMIs from NMI delivery until the next iret,
 *    and every NMI starts at the same IST address.  Any iret before the
 *    handler is done with its frame (one returning from an interrupt that
 *    softirq work enabled, or from a fixed-up fault) would let a second
 *    NMI overwrite the live frame.  So the C handler (do_ist_trap) keeps
 *    interrupts off, takes no fixable faults and does not printk (the
 *    interrupted code may hold the console lock); it counts the NMI and
 *    raises a softirq that reports it later.
 *
 * Leaving:
 *  - Interrupted hypervisor code (CS RPL 0; this includes the SYSCALL stub
 *    before it switched stacks, and the last pops before an iretq to a
 *    guest): iretq straight from the IST frame.  That frame was pushed by
 *    the CPU from a ring-0 context, so the iretq cannot fault; it is the
 *    single iret that ends NMI blocking, after the frame is no longer
 *    needed.
 *  - Interrupted guest code (CS RPL 3): the primary stack is idle then (a
 *    guest runs only after the hypervisor's last iretq from it), so
 *    do_ist_trap copies the frame to the guest frame slot at its top and
 *    we continue there through ret_to_guest, exactly like any other entry
 *    from the guest: pending work runs, and the final iretq has the
 *    bad_iret fixup should the guest's CS/SS have become unusable.  The
 *    IST stack is free again before anything can unblock NMIs.
 *  - #DF and #MC are fatal: do_ist_trap panics and never returns (and
 *    never consults the exception table: the RIP of a #DF or #MC does not
 *    name an instruction that may be fixed up).
 *
 * GS: the hypervisor never uses GS (per-CPU data is found from RSP, see
 * asm/percpu.h), so it never swaps GS on entry, and an NMI is correct
 * wherever it lands: in guest mode, in the SYSCALL stub, or between the
 * swapgs pair of set_segment_base(GS_USER_SEL) or toggle_guest_mode.
 * Every general register is restored as it was; segment state is not
 * touched.
 */
ist_common:
        save_all
        call_with_regs do_ist_trap
        test    %rax, %rax
        jz      1f
        mov     %rax, %rsp                  /* the copy on the primary stack */
        jmp     ret_to_guest
1:
        restore_all
        iretq

/*
 * SYSCALL from ring 3 (a guest kernel's hypercall or a guest user's system
 * call) arrives through a per-CPU stub (see pv/syscall-stub.c), which has
 * already switched to this CPU's stack with the guest RSP stored in the
 * frame's rsp slot.  Complete the frame as if the CPU had taken an
 * interrupt, with entry_vector TRAP_SYSCALL, and join the common path.
 */
        .globl  syscall_entry
syscall_entry:
        movq    $0xe02b, 8(%rsp)            /* ss: FLAT_RING3_SS64 */
        pushq   %r11                        /* rflags */
        pushq   $0xe033                     /* cs: FLAT_RING3_CS64 */
        pushq   %rcx                        /* rip: after the syscall */
        pushq   $0
        movl    $0x100, 4(%rsp)             /* TRAP_SYSCALL */
        jmp     trap_common

/*
 * Return to the guest whose registers are in the frame at the top of this
 * CPU's stack.  Entered with RSP at that frame; runs softirqs and event
 * delivery (which may rewrite the frame, or switch to another vCPU and
 * never come back here), then restores the frame with interrupts off.
 */
        .globl  ret_to_guest
ret_to_guest:
        cli
        mov     %rsp, %rdi
        call    prepare_return_to_guest     /* returns with IF=0 */
        jmp     trap_return
