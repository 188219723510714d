/*
 * Exceptions and interrupts: what do_trap() does with a saved frame.
 *
 * A fault in the hypervisor is fatal: the register dump names the
 * faulting instruction by symbol and walks the frame-pointer chain, then
 * panics.  (Faults from guests will be bounced to the guest's handlers
 * once guests exist.)  Interrupt vectors go to the handlers registered
 * with set_irq_handler().
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/shutdown.h>
#include <xen/symbols.h>
#include <asm/regs.h>
#include <asm/processor.h>
#include <asm/percpu.h>
#include <asm/irq.h>
#include <asm/pv.h>
#include <asm/domain.h>
#include <asm/page.h>
#include <xen/softirq.h>

static const char *const exception_names[32] = {
    "divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
    "overflow (#OF)", "bound range (#BR)", "invalid opcode (#UD)",
    "device not available (#NM)", "double fault (#DF)",
    "coprocessor segment overrun", "invalid TSS (#TS)",
    "segment not present (#NP)", "stack fault (#SS)",
    "general protection (#GP)", "page fault (#PF)", "reserved 15",
    "x87 FP error (#MF)", "alignment check (#AC)", "machine check (#MC)",
    "SIMD FP error (#XM)", "virtualisation (#VE)",
    "control protection (#CP)", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27",
    "hypervisor injection (#HV)", "VMM communication (#VC)",
    "security (#SX)", "reserved 31",
};

static irq_handler_t irq_handlers[256];

void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
    irq_handlers[vector] = fn;
}

/* Is [p, p+8) inside this CPU's stack block?  Guards the backtrace walk. */
static bool on_this_stack(unsigned long p)
{
    unsigned long sp = (unsigned long)&p;
    unsigned long base = sp & ~(STACK_SIZE - 1);

    /* ...and not in one of its unmapped guard pages (a #DF backtrace
     * after an overflow may point there). */
    return p >= base && p + 16 <= base + STACK_SIZE &&
           va_is_mapped(p & PAGE_MASK) && va_is_mapped((p + 15) & PAGE_MASK);
}

void show_backtrace(unsigned long rbp)
{
    printk(XENLOG_ERR "Backtrace:\n");
    for ( unsigned int depth = 0; depth < 32 && rbp; depth++ )
    {
        unsigned long *frame = (unsigned long *)rbp;

        if ( !on_this_stack(rbp) || (rbp & 7) )
            break;
        if ( frame[1] == 0 )
            break;
        printk(XENLOG_ERR "  [<%016lx>] %pS\n", frame[1], (void *)frame[1]);
        if ( frame[0] <= rbp )
            break;              /* the chain must move up the stack */
        rbp = frame[0];
    }
}

void show_registers(const struct cpu_regs *r)
{
    printk(XENLOG_ERR "CPU:    %u\n", smp_processor_id());
    printk(XENLOG_ERR "RIP:    %04lx:[<%016lx>] %pS\n",
           (unsigned long)r->cs, (unsigned long)r->rip, (void *)r->rip);
    printk(XENLOG_ERR "RFLAGS: %016lx  ERROR: %08x  VECTOR: %u\n",
           (unsigned long)r->rflags, r->error_code, r->entry_vector);
    printk(XENLOG_ERR "rax: %016lx  rbx: %016lx  rcx: %016lx\n",
           (unsigned long)r->rax, (unsigned long)r->rbx, (unsigned long)r->rcx);
    printk(XENLOG_ERR "rdx: %016lx  rsi: %016lx  rdi: %016lx\n",
           (unsigned long)r->rdx, (unsigned long)r->rsi, (unsigned long)r->rdi);
    printk(XENLOG_ERR "rbp: %016lx  rsp: %016lx  r8:  %016lx\n",
           (unsigned long)r->rbp, (unsigned long)r->rsp, (unsigned long)r->r8);
    printk(XENLOG_ERR "r9:  %016lx  r10: %016lx  r11: %016lx\n",
           (unsigned long)r->r9, (unsigned long)r->r10, (unsigned long)r->r11);
    printk(XENLOG_ERR "r12: %016lx  r13: %016lx  r14: %016lx\n",
           (unsigned long)r->r12, (unsigned long)r->r13, (unsigned long)r->r14);
    printk(XENLOG_ERR "r15: %016lx  ss:  %04lx\n",
           (unsigned long)r->r15, (unsigned long)r->ss);
    printk(XENLOG_ERR "cr0: %016lx  cr2: %016lx\n", read_cr0(), read_cr2());
    printk(XENLOG_ERR "cr3: %016lx  cr4: %016lx\n", read_cr3(), read_cr4());
}

static void __noreturn fatal_trap(const struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    bool overflow;

    printk(XENLOG_ERR "----[ Xen fatal trap: %s ]----\n", exception_names[v]);
    /* A #DF is almost always a fault that could not be delivered on the
     * current stack: say so when that stack ran into its guard page. */
    overflow = v == 8 && stack_overflow_report(r);
    if ( v == 14 )
        printk(XENLOG_ERR "Page fault at linear address %016lx (%s, %s, %s)\n",
               read_cr2(), (r->error_code & 1) ? "protection" : "not present",
               (r->error_code & 2) ? "write" : "read",
               (r->error_code & 16) ? "instruction fetch" :
               (r->error_code & 4) ? "user" : "supervisor");
    show_registers(r);
    show_backtrace(r->rbp);
    if ( overflow )
        panic("stack overflow on CPU %u (rsp %016lx)", smp_processor_id(),
              (unsigned long)r->rsp);
    panic("fatal trap %u (%s) at %pS", v, exception_names[v], (void *)r->rip);
}

/* NMIs taken, and how many of them the softirq has reported. */
static unsigned int nmi_count[NR_CPUS], nmi_reported[NR_CPUS];

/* SOFTIRQ_NMI_REPORT: the printk the NMI handler itself must not do. */
void nmi_report(void)
{
    unsigned int cpu = smp_processor_id();
    unsigned int n = READ_ONCE(nmi_count[cpu]);

    /* The first, then at each power of two: under a storm the log stays
     * short and still shows the count growing. */
    for ( unsigned int k = nmi_reported[cpu] + 1; k <= n; k++ )
        if ( (k & (k - 1)) == 0 )
        {
            printk(XENLOG_WARNING "NMI on CPU %u ignored (%u so far)\n",
                   cpu, n);
            break;
        }
    nmi_reported[cpu] = n;
}

/*
 * NMI, #DF and #MC, on their IST stacks (entry.S ist_common explains the
 * rules).  Returns NULL to iret from the IST frame, or the copy of a guest
 * frame on the primary stack to leave through ret_to_guest.
 */
struct cpu_regs *do_ist_trap(struct cpu_regs *r)
{
    unsigned int cpu = smp_processor_id();
    struct cpu_regs *frame;

    if ( r->entry_vector != 2 )
        fatal_trap(r);              /* #DF, #MC: never fixed up */
    if ( panic_in_progress || machine_stopping )
        machine_halt_cpu();         /* another CPU asked us to stop */
    WRITE_ONCE(nmi_count[cpu], nmi_count[cpu] + 1);
    raise_softirq(cpu, SOFTIRQ_NMI_REPORT);
    if ( !regs_from_guest(r) )
        return NULL;
    frame = guest_cpu_regs();
    *frame = *r;
    return frame;
}

void do_trap(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector;

    if ( v == TRAP_SYSCALL )
    {
        pv_handle_syscall(r);
        return;
    }
    if ( regs_from_guest(r) &&
         (v < 32 || v == 0x80 || v == TRAP_BAD_IRET) )
    {
        pv_handle_guest_trap(r);
        return;
    }

    if ( v == 1 )
    {
        /* A guest watchpoint hit by a guest access of ours (pv/debugreg.c). */
        pv_debug_trap(r, false);
        return;
    }
    if ( v < 32 )
    {
        if ( extable_fixup(r) )
            return;
        fatal_trap(r);
    }
    if ( irq_handlers[v] )
        irq_handlers[v](r);
    else
        printk(XENLOG_WARNING "CPU %u: unexpected interrupt vector %u\n",
               smp_processor_id(), v);
}
