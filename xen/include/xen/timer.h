/* Software timers: one min-heap of pending timers per CPU, ordered by
 * deadline (system time in ns).  The arch code programs the CPU's one-shot
 * hardware timer for the earliest deadline and calls timer_run() from the
 * timer interrupt (or softirq).
 *
 * A timer belongs to one CPU (t->cpu); set_timer may be called from any CPU.
 * Handlers run with the heap lock dropped, so they may re-arm their timer. */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

#include <xen/types.h>

struct timer {
    s_time_t expires;               /* deadline, ns of system time */
    void (*function)(void *data);
    void *data;
    unsigned int cpu;               /* whose heap it lives on */
    unsigned int heap_index;        /* 0: not queued; else 1-based slot */
    bool killed;
};

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu);
/* (Re)arm: a queued timer is moved to the new deadline. */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/* Stop for good: later set_timer calls are ignored. */
void kill_timer(struct timer *t);
/* Move t (armed or not) to cpu's queue; a vCPU's timers follow it when
 * the scheduler migrates it.  Not from t's own handler. */
void migrate_timer(struct timer *t, unsigned int cpu);
bool timer_is_active(const struct timer *t);

/* Boot: set up the per-CPU heaps (called once, before any set_timer). */
int timers_init(unsigned int nr_cpus);
/* Run every timer on 'cpu' whose deadline is <= now; returns the earliest
 * remaining deadline, or STIME_MAX when none. */
s_time_t timer_run(unsigned int cpu, s_time_t now);
/* Earliest pending deadline on 'cpu' (STIME_MAX when none). */
s_time_t timer_next_deadline(unsigned int cpu);
/* Has cpu's earliest deadline passed by 'now'?  Lock-free, for checks on
 * hot paths (a racing change only moves the answer to the next check). */
bool timer_overdue(unsigned int cpu, s_time_t now);
/* On 'cpu' itself: if a deadline has passed by 'now' without its
 * interrupt having come yet, run the due timers as the interrupt would
 * and return that deadline; STIME_MAX (nothing done) otherwise. */
s_time_t timer_run_overdue(unsigned int cpu, s_time_t now);

#define STIME_MAX ((s_time_t)INT64_MAX)

/* Provided by arch code: program cpu's one-shot hardware timer (called with
 * the new earliest deadline when it changes; on the owning CPU or not). */
void arch_timer_program(unsigned int cpu, s_time_t deadline);

#endif /* XEN_TIMER_H */
