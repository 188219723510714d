/*
 * PV guest traps: exceptions, system calls, event upcalls and the iret
 * hypercall.
 *
 * A guest kernel and its user space both run in ring 3.  Whenever the
 * hypervisor hands control to a guest handler it builds the PV "bounce
 * frame" on the guest kernel stack, exactly as Linux's entry code expects
 * (see docs/pv-execution.md):
 *
 *     rsp+0x00  RCX          rsp+0x08  R11
 *     [error code, for vectors that have one]
 *     RIP, CS (|saved upcall mask << 32), RFLAGS (IF = !mask), RSP, SS
 *
 * and points the saved frame at the handler.  Coming from guest user mode
 * it first switches to kernel mode (page tables, GS base) and to the
 * kernel stack given by stack_switch.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/smp.h>
#include <xen/perfc.h>
#include <xen/softirq.h>
#include <xen/timer.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/io-bitmap.h>
#include <asm/pv-mm.h>
#include <asm/time.h>
#include <asm/timer-trace.h>
#include <public/xen.h>

#define RFLAGS_TF   (1UL << 8)
#define RFLAGS_IF   (1UL << 9)
#define RFLAGS_IOPL (3UL << 12)
#define RFLAGS_NT   (1UL << 14)
#define RFLAGS_RF   (1UL << 16)
#define RFLAGS_VM   (1UL << 17)
#define RFLAGS_AC   (1UL << 18)


/* With VMASST_TYPE_architectural_iopl the virtual IOPL is what the guest
 * sees in RFLAGS: reported in bounce frames, set by the iret hypercall. */
static bool architectural_iopl(const struct vcpu *v)
{
    return v->domain->arch.vm_assist &
           (1UL << VMASST_TYPE_architectural_iopl);
}

static uint64_t pv_frame_iopl(const struct vcpu *v)
{
    return architectural_iopl(v) ? (uint64_t)(v->arch.iopl & 3) << 12 : 0;
}

static bool canonical(uint64_t a)
{
    return (int64_t)(a << 16) >> 16 == (int64_t)a;
}

static bool vector_has_error_code(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
           v == 29 || v == 30;
}

/*
 * Why a bounce frame could not be written: the tables the vCPU runs on
 * (CR3 and the kernel/user roots it should be) and the L1 entry that maps
 * the stack slot, so a guest that switched itself to another L4 (a
 * NEW_BASEPTR it did not mean) is told from one whose stack mapping was
 * changed or is missing.
 */
static void bounce_report_walk(const struct vcpu *v, uint64_t sp)
{
    mfn_t l1;
    unsigned int idx;
    const char *why = "no L1 maps it";
    pte_t e = 0;

    if ( pv_walk_to_l1(v->arch.guest_table, sp, &l1, &idx) == 0 )
    {
        e = __atomic_load_n((pte_t *)page_to_virt(mfn_to_page(l1)) + idx,
                         __ATOMIC_RELAXED);
        why = "L1 entry";
    }
    printk(XENLOG_ERR "d%u v%u: cr3 %#lx, kernel L4 %#lx, user L4 %#lx; "
           "sp %#lx in the kernel L4: %s %#lx\n", v->domain->domain_id,
           v->vcpu_id, read_cr3(), (unsigned long)v->arch.guest_table,
           (unsigned long)v->arch.guest_table_user, (unsigned long)sp, why,
           (unsigned long)e);
}

/*
 * Redirect the guest frame r to 'handler' with a bounce frame.  Returns
 * false (after crashing the domain) if the guest stack cannot be written.
 */
static bool bounce_frame_segs(struct vcpu *v, struct cpu_regs *r,
                              uint64_t handler, bool with_error,
                              uint32_t error, bool mask_events, bool segs)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    bool from_user = !v->arch.kernel_mode;
    uint64_t frame[12], sp, cs = r->cs;
    unsigned int n = 0;

    if ( from_user )
    {
        toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    }
    else
    {
        sp = r->rsp;
        cs &= ~3UL;             /* kernel-mode frames show RPL 0 */
    }
    sp &= ~15UL;

    frame[n++] = r->rcx;
    frame[n++] = r->r11;
    if ( segs )
    {
        /* Failsafe frames carry the data selectors, as loaded now. */
        uint16_t sel;

        __asm__ __volatile__("mov %%ds, %0" : "=r"(sel));
        frame[n++] = sel;
        __asm__ __volatile__("mov %%es, %0" : "=r"(sel));
        frame[n++] = sel;
        __asm__ __volatile__("mov %%fs, %0" : "=r"(sel));
        frame[n++] = sel;
        __asm__ __volatile__("mov %%gs, %0" : "=r"(sel));
        frame[n++] = sel;
    }
    if ( with_error )
        frame[n++] = error;
    frame[n++] = r->rip;
    frame[n++] = cs | ((uint64_t)saved_mask << 32);
    frame[n++] = (r->rflags & ~(RFLAGS_IF | RFLAGS_IOPL)) |
                 (saved_mask ? 0 : RFLAGS_IF) | pv_frame_iopl(v);
    frame[n++] = r->rsp;
    frame[n++] = r->ss;

    sp -= n * sizeof(uint64_t);
    if ( copy_to_guest(sp, frame, n * sizeof(uint64_t)) )
    {
        printk(XENLOG_ERR "d%u v%u: cannot write a bounce frame at %#lx "
               "(handler %#lx) from %s mode, rip %#lx rsp %#lx cr2 %#lx\n",
               v->domain->domain_id, v->vcpu_id, (unsigned long)sp,
               (unsigned long)handler, from_user ? "user" : "kernel",
               (unsigned long)r->rip, (unsigned long)r->rsp, read_cr2());
        printk(XENLOG_ERR "d%u v%u: last hypercall %lu(%#lx, %#lx, %#lx, %#lx, "
               "%#lx), last dispatched %lu(%#lx, %#lx, %#lx, %#lx, %#lx)\n",
               v->domain->domain_id, v->vcpu_id, v->last_hypercall[0],
               v->last_hypercall[1], v->last_hypercall[2], v->last_hypercall[3],
               v->last_hypercall[4], v->last_hypercall[5], v->last_dispatched[0],
               v->last_dispatched[1], v->last_dispatched[2],
               v->last_dispatched[3], v->last_dispatched[4],
               v->last_dispatched[5]);
        bounce_report_walk(v, sp);
        if ( !from_user && handler == r->rip )
        {
            /* The handler faulted on its own first instruction, over and
             * over down the stack: the frame it was given tells where the
             * first fault came from (rcx, r11, [error,] rip, cs, rflags,
             * rsp, ss). */
            uint64_t prev[8];

            if ( !copy_from_guest(prev, r->rsp, sizeof(prev)) )
                printk(XENLOG_ERR "d%u v%u: the handler's own frame: %#lx "
                       "%#lx %#lx %#lx %#lx %#lx %#lx %#lx\n",
                       v->domain->domain_id, v->vcpu_id, prev[0], prev[1],
                       prev[2], prev[3], prev[4], prev[5], prev[6], prev[7]);
        }
        domain_crash(v->domain, "guest kernel stack not writable");
        return false;
    }

    r->rip = handler;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rsp = sp;
    r->rflags = (r->rflags & ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM |
                               RFLAGS_AC | RFLAGS_IOPL)) | RFLAGS_IF;
    if ( mask_events )
        vi->evtchn_upcall_mask = 1;
    return true;
}

static bool bounce_frame(struct vcpu *v, struct cpu_regs *r, uint64_t handler,
                         bool with_error, uint32_t error, bool mask_events)
{
    return bounce_frame_segs(v, r, handler, with_error, error, mask_events,
                             false);
}

static void __noreturn crash_and_schedule(void)
{
    /* The domain is shut down; pick something else to run. */
    raise_schedule(smp_processor_id());
    do_softirqs();
    /* Only reached if nothing else was runnable and dom0 stopped the
     * machine; should not happen. */
    for ( ;; )
        safe_halt();
}

void pv_inject_exception(struct cpu_regs *r, unsigned int vector,
                         uint32_t error_code)
{
    struct vcpu *v = current;
    const struct trap_info *ti = &v->arch.traps[vector & 0xff];

    if ( ti->address == 0 )
    {
        printk(XENLOG_ERR "d%u v%u: exception %u (error %#x) at %#lx, cr2 "
               "%#lx, with no handler registered\n", v->domain->domain_id,
               v->vcpu_id, vector, error_code, (unsigned long)r->rip,
               read_cr2());
        domain_crash(v->domain, "unhandled exception");
        crash_and_schedule();
    }
    v->domain->stats.exceptions_bounced++;
    perfc_incr(PERFC_exceptions_bounced);
    if ( vector == 14 )
        v->domain->stats.page_faults_bounced++;
    if ( vector == 14 )
        perfc_incr(PERFC_page_faults_bounced);
    if ( !bounce_frame(v, r, ti->address, vector_has_error_code(vector),
                       error_code, TI_GET_IF(ti)) )
        crash_and_schedule();
}

/* A software interrupt (int n, int3, into) executed by the guest. */
static void guest_soft_interrupt(struct cpu_regs *r, unsigned int n,
                                 unsigned int insn_len)
{
    struct vcpu *v = current;
    const struct trap_info *ti = &v->arch.traps[n];
    unsigned int cpl = v->arch.kernel_mode ? 1 : 3;

    if ( ti->address == 0 || TI_GET_DPL(ti) < cpl )
    {
        /* Not allowed from here: #GP with the IDT-style error code. */
        pv_inject_exception(r, 13, (n << 3) | 2);
        return;
    }
    r->rip += insn_len;
    v->domain->stats.exceptions_bounced++;
    perfc_incr(PERFC_exceptions_bounced);
    if ( !bounce_frame(v, r, ti->address, false, 0, TI_GET_IF(ti)) )
        crash_and_schedule();
}

/* #GP from the guest: privileged instruction, int n, or a real fault. */
static void guest_gp(struct cpu_regs *r)
{
    uint8_t insn[2];
    unsigned int dbg = 0;

    /* int n whose gate is not DPL 3 in our IDT: decode it (TCG reports
     * a wrong error code here, so the bytes are the authority). */
    if ( (r->error_code == 0 || (r->error_code & 3) == 2) &&
         !copy_from_guest(insn, r->rip, 2) && insn[0] == 0xcd )
    {
        guest_soft_interrupt(r, insn[1], 2);
        return;
    }
    /* Privileged and I/O instructions; the emulator applies the rules of
     * the guest's current mode (user mode: cli/sti/in/out under IOPL). */
    if ( r->error_code == 0 && pv_emulate_privileged(r, &dbg) )
    {
        /* Single step and I/O breakpoints (an exception the emulator
         * raised itself has cleared TF with its bounce frame). */
        pv_emulated_debug(r, dbg);
        return;
    }
    if ( r->error_code == 0 && pv_gp_is_stack_fault(r) )
    {
        pv_inject_exception(r, 12, 0);
        return;
    }
    pv_inject_exception(r, 13, r->error_code);
}

static void guest_page_fault(struct cpu_regs *r)
{
    struct vcpu *v = current;
    unsigned long addr = read_cr2();
    uint32_t ec = r->error_code;

    if ( (ec & 3) == 3 && v->arch.kernel_mode &&
         pv_ptwr_fault(r, addr, ec) )
        return;
    if ( pv_finish_ring3_iretq(r, addr, ec) )
        return;
    v->vcpu_info->arch.cr2 = addr;
    /* U/S bit: was the guest in its user mode, not what the CPU saw. */
    ec = (ec & ~4u) | (v->arch.kernel_mode ? 0 : 4);
    pv_inject_exception(r, 14, ec);
}

static void guest_no_device(struct cpu_regs *r)
{
    struct vcpu *v = current;

    __asm__ __volatile__("clts");
    if ( v->arch.fpu_ts )
    {
        v->arch.fpu_ts = false;     /* Xen clears the virtual TS */
        pv_inject_exception(r, 7, 0);
    }
}

/* The frame in r cannot be entered (our iretq faulted on it, or the iret
 * hypercall was given a RIP the CPU would refuse): the failsafe callback
 * gets it, with the data selectors; without one the domain is crashed. */
static void guest_bad_return(struct cpu_regs *r)
{
    struct vcpu *v = current;

    printk(XENLOG_ERR "d%u v%u: cannot return to %04lx:%#lx (ss %#lx, "
           "rsp %#lx)\n", v->domain->domain_id, v->vcpu_id,
           (unsigned long)r->cs, (unsigned long)r->rip,
           (unsigned long)r->ss, (unsigned long)r->rsp);
    if ( v->arch.cb.failsafe )
    {
        if ( !bounce_frame_segs(v, r, v->arch.cb.failsafe, false, 0,
                                v->arch.cb.failsafe_masks_events, true) )
            crash_and_schedule();
        return;
    }
    domain_crash(v->domain, "bad return frame");
    crash_and_schedule();
}

void pv_handle_guest_trap(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    timer_trace(TT_TRAP, (uint64_t)(v & 0xff) << 56 | (r->rip & ((1UL << 48) - 1)),
                PT_DV(current) | (uint64_t)current->arch.kernel_mode << 32);
    local_irq_enable();
    switch ( v )
    {
    case 3:     /* int3: our gate is DPL 3 */
    case 4:     /* into */
        guest_soft_interrupt(r, v, 0);
        break;
    case 1:
        pv_debug_trap(r, true);
        break;
    case 6:
        if ( !pv_emulate_forced_cpuid(r) )
            pv_inject_exception(r, 6, 0);
        break;
    case 7:
        guest_no_device(r);
        break;
    case 13:
        guest_gp(r);
        break;
    case 14:
        guest_page_fault(r);
        break;
    case 0x80:  /* int $0x80 through our DPL 3 gate */
        guest_soft_interrupt(r, 0x80, 0);
        break;
    case TRAP_BAD_IRET:
        guest_bad_return(r);
        break;
    default:
        if ( v < 32 )
            pv_inject_exception(r, v, r->error_code);
        else
            printk(XENLOG_WARNING "guest entered through vector %u\n", v);
        break;
    }
}

/* SYSCALL from ring 3: a hypercall from guest kernel mode, a system call
 * to bounce from guest user mode. */
void pv_handle_syscall(struct cpu_regs *r)
{
    struct vcpu *v = current;

    local_irq_enable();
    if ( !v->arch.kernel_mode )
        timer_trace(TT_TRAP, 0xffUL << 56 | (r->rax & 0xffff), PT_DV(v));
    if ( v->arch.kernel_mode )
    {
        extern void pv_hypercall(struct cpu_regs *r);
        pv_hypercall(r);
        return;
    }
    if ( !v->arch.cb.syscall )
    {
        pv_inject_exception(r, 6, 0);   /* no handler: #UD, as Xen does */
        return;
    }
    if ( !bounce_frame(v, r, v->arch.cb.syscall, false, 0,
                       v->arch.cb.syscall_masks_events) )
        crash_and_schedule();
    r->rflags &= ~(1UL << 10);          /* DF clear, like SYSCALL_MASK */
}

/* HYPERVISOR_iret: the guest's frame is at its RSP (struct iret_context). */
void pv_do_iret(struct cpu_regs *r)
{
    struct vcpu *v = current;
    struct iret_context c;

    if ( copy_from_guest(&c, r->rsp, sizeof(c)) )
    {
        domain_crash(v->domain, "iret: frame not readable");
        crash_and_schedule();
    }
    if ( (c.cs & 3) == 3 && v->arch.kernel_mode )
    {
        if ( !v->arch.guest_table_user )
        {
            domain_crash(v->domain, "iret to user mode without a user "
                         "page table");
            crash_and_schedule();
        }
        toggle_guest_mode(v);
    }
    r->rax = c.rax;
    if ( !(c.flags & VGCF_in_syscall) )
    {
        r->r11 = c.r11;
        r->rcx = c.rcx;
    }
    r->rip = c.rip;
    r->cs = c.cs | 3;
    r->rflags = (c.rflags & ~(RFLAGS_IOPL | RFLAGS_VM)) | RFLAGS_IF;
    r->rsp = c.rsp;
    r->ss = c.ss | 3;
    if ( architectural_iopl(v) )
    {
        v->arch.iopl = (c.rflags & RFLAGS_IOPL) >> 12;
        io_bitmap_sync(v);
    }
    v->vcpu_info->evtchn_upcall_mask = !(c.rflags & RFLAGS_IF);
    v->arch.nmi_masked = false;
    /* No CPU enters a non-canonical RIP: Xen's own iretq faults on it and
     * the guest's failsafe callback runs, as for a bad CS or SS. */
    if ( !canonical(c.rip) )
        guest_bad_return(r);
}

/*
 * The last step before the CPU returns to a guest: run softirqs (which may
 * switch to another vCPU and not come back), then deliver a pending event
 * upcall.  Returns with interrupts disabled.
 */
void prepare_return_to_guest(struct cpu_regs *r)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *v;
    s_time_t now = hypercall_take_time(), late;

    /* A timer whose deadline has passed runs now even if its interrupt is
     * still on its way (under QEMU on a busy host it can come milliseconds
     * late): its event then reaches the guest on this return, e.g. in the
     * middle of a long hypercall that the preemption check stopped for it,
     * instead of after the whole batch (docs/events-and-time.md). */
    late = timer_run_overdue(cpu, now ? now : NOW());
    if ( late != STIME_MAX )
        timer_trace(TT_OVERDUE, (uint64_t)late, 0);
    /* Interrupts stay off unless there is work: under TCG an sti ends the
     * translation block and goes back to the emulator's main loop, which
     * was a fixed cost of every hypercall. */
    while ( softirq_pending(cpu) )
    {
        local_irq_enable();
        do_softirqs();
        local_irq_disable();
    }
    v = current;
    if ( v->domain->state != DOMAIN_RUNNING )
    {
        raise_schedule(cpu);
        local_irq_enable();
        do_softirqs();
        crash_and_schedule();
    }
    if ( v->arch.cb.event && vcpu_event_deliverable(v) )
    {
        v->domain->stats.events_delivered++;
        timer_trace(TT_UPCALL, v->vcpu_id, v->domain->domain_id);
        if ( !bounce_frame(v, r, v->arch.cb.event, false, 0, true) )
            crash_and_schedule();
    }
}
