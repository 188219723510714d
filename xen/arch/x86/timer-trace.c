/* The timer trace (asm/timer-trace.h): per-CPU rings of recent events on
 * the way from a timer's deadline to the guest's upcall, printed when the
 * machine stops.  Written with interrupts off by the CPU that owns the
 * ring, read only after the other CPUs have been stopped. */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/timer-trace.h>

/* Enough for a few of a Linux guest's ping round trips with every step
 * (hypercalls, traps, wakes, switches) recorded. */
#define TIMER_TRACE_SLOTS 16384

struct tt_entry {
    s_time_t now;
    uint64_t a, b;
    unsigned int event;
};

struct tt_ring {
    struct tt_entry *slot;
    unsigned long next;             /* events recorded so far */
};

bool opt_timer_trace;
boolean_param("timer_trace", opt_timer_trace);
/* Stop recording at the first domain destruction: a Linux guest's last
 * round trips are then still in the rings when the machine stops, not
 * overwritten by its teardown and dom0's shutdown. */
static bool opt_timer_trace_freeze;
boolean_param("timer_trace_freeze", opt_timer_trace_freeze);
static bool frozen;

static struct tt_ring rings[NR_CPUS];
static unsigned int nr_rings;

static const char *const names[TT_NR] = {
    [TT_PROGRAM] = "program", [TT_REMOTE] = "remote", [TT_IRQ] = "irq",
    [TT_RUN] = "run", [TT_IPI] = "ipi", [TT_OVERDUE] = "overdue",
    [TT_PREEMPT] = "preempt", [TT_UPCALL] = "upcall",
    [TT_HYPERCALL] = "hcall", [TT_TRAP] = "trap", [TT_HALT] = "hlt",
    [TT_UNHALT] = "unhlt", [PT_WAKE] = "wake", [PT_KICK] = "kick",
    [PT_SWITCH] = "switch", [PT_BLOCK] = "block", [PT_DESTROY] = "destroy",
};

void timer_trace_init(unsigned int nr_cpus)
{
    if ( !opt_timer_trace )
        return;
    for ( unsigned int cpu = 0; cpu < nr_cpus && cpu < NR_CPUS; cpu++ )
    {
        rings[cpu].slot = xzalloc_array(struct tt_entry, TIMER_TRACE_SLOTS);
        if ( rings[cpu].slot == NULL )
        {
            printk(XENLOG_WARNING "timer_trace: no memory for CPU %u\n", cpu);
            break;
        }
        nr_rings = cpu + 1;
    }
    printk("timer_trace: %u events per CPU on %u CPUs\n", TIMER_TRACE_SLOTS,
           nr_rings);
}

void timer_trace_record(unsigned int e, uint64_t a, uint64_t b)
{
    unsigned int cpu = smp_processor_id();
    unsigned long flags;
    struct tt_entry *s;

    if ( cpu >= nr_rings || READ_ONCE(frozen) )
        return;
    if ( e == PT_DESTROY && opt_timer_trace_freeze )
        WRITE_ONCE(frozen, true);
    flags = local_irq_save();
    s = &rings[cpu].slot[rings[cpu].next++ % TIMER_TRACE_SLOTS];
    s->now = NOW();
    s->event = e;
    s->a = a;
    s->b = b;
    local_irq_restore(flags);
}

/* Deadlines print relative to the event's time ("+12us", "-3us": late);
 * STIME_MAX as "none". */
static void print_deadline(const char *label, s_time_t when, s_time_t now)
{
    if ( when == STIME_MAX )
        printk(" %s=none", label);
    else
        printk(" %s=%+ldus", label, (long)((when - now) / 1000));
}

/* A vCPU as "d1v0" ("idle" for a CPU's idle vCPU). */
static void print_dv(const char *label, uint64_t dv)
{
    if ( (dv >> 16 & 0xffff) == 0x7fff )
        printk(" %sidle", label);
    else
        printk(" %sd%luv%lu", label, (unsigned long)(dv >> 16 & 0xffff),
               (unsigned long)(dv & 0xffff));
}

/* The steps of the way to an upcall (TT_HYPERCALL.., PT_*). */
static void print_step(const struct tt_entry *s)
{
    static const char *const states[] = { "down", "runnable", "running",
                                          "blocked" };

    switch ( s->event )
    {
    case TT_HYPERCALL:
        print_dv("", s->b);
        printk(" nr=%lu arg=%#lx", (unsigned long)(s->a >> 32),
               (unsigned long)(s->a & 0xffffffffUL));
        break;
    case TT_TRAP:
        print_dv("", s->b & 0xffffffffUL);
        if ( s->a >> 56 == 0xff )
            printk(" syscall=%lu", (unsigned long)(s->a & 0xffff));
        else
            printk(" vector=%lu rip=%#lx %s", (unsigned long)(s->a >> 56),
                   (unsigned long)(s->a & ((1UL << 48) - 1)),
                   s->b >> 32 ? "kernel" : "user");
        break;
    case PT_WAKE:
        print_dv("", s->a);
        printk(" cpu=%lu%s", (unsigned long)(s->b & 0xff),
               s->b & PT_WAKE_FROM_BLOCKED ? " from-blocked" : "");
        break;
    case PT_KICK:
        print_dv("", s->a);
        printk(" %s cpu=%lu", (s->b & 0xff) < 4 ? states[s->b & 0xff] : "?",
               (unsigned long)(s->b >> 8 & 0xff));
        break;
    case PT_SWITCH:
        print_dv("to=", s->a);
        print_dv("from=", s->b & ((1UL << 40) - 1));
        if ( s->b & PT_BY_SLICE )
            printk(" by-slice");
        break;
    case PT_BLOCK:
        print_dv("", s->a);
        break;
    case PT_DESTROY:
        printk(" d%lu", (unsigned long)s->a);
        break;
    }
}

void timer_trace_dump(void)
{
    for ( unsigned int cpu = 0; cpu < nr_rings; cpu++ )
    {
        struct tt_ring *r = &rings[cpu];
        unsigned long first = r->next > TIMER_TRACE_SLOTS
                              ? r->next - TIMER_TRACE_SLOTS : 0;

        printk("timer_trace: CPU %u, events %lu..%lu\n", cpu, first, r->next);
        for ( unsigned long i = first; i < r->next; i++ )
        {
            const struct tt_entry *s = &r->slot[i % TIMER_TRACE_SLOTS];

            printk("tt%u %ld.%06ld %s", cpu, (long)(s->now / 1000000000),
                   (long)(s->now / 1000 % 1000000),
                   s->event < TT_NR ? names[s->event] : "?");
            switch ( s->event )
            {
            case TT_PROGRAM:
                print_deadline("at", (s_time_t)s->a, s->now);
                printk(" ticks=%lu", (unsigned long)s->b);
                break;
            case TT_REMOTE:
                print_deadline("at", (s_time_t)s->a, s->now);
                printk(" cpu=%lu", (unsigned long)s->b);
                break;
            case TT_IRQ: case TT_RUN: case TT_IPI: case TT_OVERDUE:
                print_deadline("at", (s_time_t)s->a, s->now);
                break;
            case TT_PREEMPT:
                printk(" why=%s%s%s%s began=%ldus",
                       s->a & TT_WHY_SOFTIRQ ? "softirq," : "",
                       s->a & TT_WHY_EVENT ? "event," : "",
                       s->a & TT_WHY_BUDGET ? "budget," : "",
                       s->a & TT_WHY_TIMER ? "timer," : "",
                       (long)(((s_time_t)s->b - s->now) / 1000));
                break;
            case TT_UPCALL:
                printk(" d%lu v%lu", (unsigned long)s->b, (unsigned long)s->a);
                break;
            default:
                print_step(s);
                break;
            }
            printk("\n");
        }
    }
}
