/*
 * Hypercall continuations: how a long hypercall gives the CPU back.
 *
 * A handler working through a guest-supplied batch asks
 * hypercall_preempt_check() between units of work.  When it says yes, the
 * handler encodes its progress in the arguments (the ABI says how: a
 * start extent in memory_op's cmd, MMU_UPDATE_PREEMPTED and an advanced
 * list for mmu_update/mmuext_op, an advanced list for multicall) and
 * returns hypercall_create_continuation(nr, new arguments).  That rewrites
 * the guest's saved registers so that on return the guest re-executes its
 * SYSCALL (RIP moved back over it) with RAX = nr and the new arguments;
 * on the way out softirqs run and pending events are delivered first.
 *
 * Inside a multicall the registers belong to the multicall, so a nested
 * continuation is only recorded here; the multicall writes the new
 * arguments back into its entry and continues itself from that entry.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/event.h>
#include <xen/hypercall.h>
#include <xen/timer.h>
#include <asm/percpu.h>
#include <asm/time.h>
#include <asm/timer-trace.h>

#define SYSCALL_INSN_LEN        2       /* 0f 05 */
/* Work allowed before the CPU is given back even with nothing pending:
 * about a millisecond, so no guest can hold a CPU for longer. */
#define HYPERCALL_BUDGET_NS     1000000L

struct continuation_state {
    s_time_t started;                   /* this hypercall's entry */
    s_time_t last_read;                 /* the latest NOW() it took */
    bool time_fresh;                    /* last_read not yet taken */
    bool in_multicall;
    bool preempted;                     /* nested: args[] are the new ones */
    unsigned long args[5];
};

static DEFINE_PER_CPU(struct continuation_state, cont_state);

void hypercall_begin(void)
{
    struct continuation_state *s = &this_cpu(cont_state);

    s->started = s->last_read = NOW();
    s->time_fresh = true;
    s->in_multicall = false;
    s->preempted = false;
}

bool hypercall_preempt_check(void)
{
    struct continuation_state *s = &this_cpu(cont_state);
    unsigned int cpu = smp_processor_id();
    s_time_t now = NOW();
    unsigned int why = 0;

    s->last_read = now;

    /* Another vCPU waits (a slice ended, a pause, an IPI), or an event
     * for this vCPU could be delivered, or a timer of this CPU is due
     * although its interrupt has not come (the return path runs it: under
     * QEMU on a busy host the interrupt can be milliseconds late, longer
     * than a whole batch), or our budget is spent. */
    if ( softirq_pending(cpu) )
        why |= TT_WHY_SOFTIRQ;
    if ( vcpu_event_deliverable(current) )
        why |= TT_WHY_EVENT;
    if ( timer_overdue(cpu, now) )
        why |= TT_WHY_TIMER;
    if ( now - s->started > HYPERCALL_BUDGET_NS )
        why |= TT_WHY_BUDGET;
    if ( why )
        timer_trace(TT_PREEMPT, why, (uint64_t)s->started);
    return why != 0;
}

/*
 * The time this CPU's hypercall last read (at its entry or at its latest
 * preemption check), once: the return path takes it instead of reading
 * the clock again.  Under TCG every TSC read is a call into the emulator
 * that takes a lock the other vCPU threads share, and a balloon makes one
 * short hypercall per frame.  The value is older than "now" by the rest
 * of the hypercall; a deadline that passed in that moment is run by its
 * interrupt, or by the next return.  A preempted hypercall read the clock
 * at the check that stopped it, so a timer that stopped it runs on this
 * return, as before (events-and-time.md).  A value left behind (a
 * hypercall that never returned, e.g. crashed its domain) is only ever
 * older than the clock: it can make a timer run later, never early.
 * 0 when no hypercall left one.
 */
s_time_t hypercall_take_time(void)
{
    struct continuation_state *s = &this_cpu(cont_state);

    if ( !s->time_fresh )
        return 0;
    s->time_fresh = false;
    return s->last_read;
}

long hypercall_create_continuation(unsigned int nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3,
                                   unsigned long a4, unsigned long a5)
{
    struct continuation_state *s = &this_cpu(cont_state);
    struct cpu_regs *r;

    if ( s->in_multicall )
    {
        s->preempted = true;
        s->args[0] = a1; s->args[1] = a2; s->args[2] = a3;
        s->args[3] = a4; s->args[4] = a5;
        return nr;                      /* ignored by the multicall */
    }
    r = guest_cpu_regs();
    r->rip -= SYSCALL_INSN_LEN;
    r->rdi = a1; r->rsi = a2; r->rdx = a3; r->r10 = a4; r->r8 = a5;
    /* The dispatcher stores the handler's result in RAX: returning nr
     * makes that the hypercall number again. */
    return nr;
}

bool multicall_enter(void)
{
    struct continuation_state *s = &this_cpu(cont_state);

    if ( s->in_multicall )
        return false;
    s->in_multicall = true;
    s->preempted = false;
    return true;
}

bool multicall_entry_preempted(unsigned long args[5])
{
    struct continuation_state *s = &this_cpu(cont_state);

    if ( !s->preempted )
        return false;
    s->preempted = false;
    for ( unsigned int i = 0; i < 5; i++ )
        args[i] = s->args[i];
    return true;
}

void multicall_leave(void)
{
    this_cpu(cont_state).in_multicall = false;
}
