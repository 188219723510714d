/* Timer trace: a debug aid for the path from arming a timer to the guest
 * seeing its event (docs/events-and-time.md, "Timer trace").
 *
 * With the boot option timer_trace, each CPU records its last
 * TIMER_TRACE_SLOTS events of that path (the hardware timer programmed,
 * its interrupt arriving, wake-up IPIs, timers found overdue, hypercall
 * preemption and event upcalls) with the system time, and machine_exit()
 * prints them all, oldest first.  Off by default: the hooks then cost one
 * test of a flag. */
#ifndef X86_TIMER_TRACE_H
#define X86_TIMER_TRACE_H

#include <xen/types.h>
#include <xen/arch-hooks.h>     /* PT_*, PT_DV: the generic steps */

enum timer_trace_event {
    TT_PROGRAM,         /* a: deadline given to the APIC, b: its ticks */
    TT_REMOTE,          /* a: deadline for CPU b, which is sent an IPI */
    TT_IRQ,             /* a: deadline the APIC was programmed for */
    TT_RUN,             /* a: next deadline after timer_run */
    TT_IPI,             /* a: earliest deadline read by the IPI handler */
    TT_OVERDUE,         /* a: deadline found past without its interrupt */
    TT_PREEMPT,         /* a: why (TT_WHY_*), b: hypercall start */
    TT_UPCALL,          /* a: vCPU id, b: domain id */
    /* The way to an upcall, x86's steps (generic ones: PT_* of
     * xen/arch-hooks.h, numbered from 16). */
    TT_HYPERCALL,       /* a: number << 32 | first argument's low 32 bits,
                           b: the caller (PT_DV) */
    TT_TRAP,            /* a: vector << 56 | RIP (48 bits), b: PT_DV |
                           kernel mode << 32; vector 0xff: a system call
                           from guest user mode (a: its number) */
    TT_HALT,            /* the idle loop halts */
    TT_UNHALT,          /* ... and is out of HLT again */
    TT_NR = 21          /* past the generic PT_* */
};

#define TT_WHY_SOFTIRQ  1
#define TT_WHY_EVENT    2
#define TT_WHY_BUDGET   4
#define TT_WHY_TIMER    8

extern bool opt_timer_trace;

void timer_trace_record(unsigned int e, uint64_t a, uint64_t b);
void timer_trace_init(unsigned int nr_cpus);
void timer_trace_dump(void);

static inline void timer_trace(enum timer_trace_event e, uint64_t a,
                               uint64_t b)
{
    if ( __builtin_expect(opt_timer_trace, 0) )
        timer_trace_record(e, a, b);
}

#endif /* X86_TIMER_TRACE_H */
