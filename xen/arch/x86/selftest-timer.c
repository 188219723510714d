/*
 * boot_test=timer: do software timers fire when asked, on every CPU, and
 * does system time (TSC) agree with an independent clock (the PIT), in a
 * way host load cannot upset (tsc_vs_pit_permille)?
 *
 * Timers on each online CPU are armed at staggered deadlines (each first
 * at a far one, then moved), and one more per CPU is armed between them
 * and stopped.  What is checked is the mechanism, never how late a timer
 * was: under TCG a late timer is only the host not running QEMU's thread
 * (65-109 ms at load 18 failed the 50 ms bound this test once had), so
 * lateness is printed, not judged.  Each timer must run exactly once, on
 * its CPU, never before its deadline, and in deadline order among its
 * CPU's timers; a stopped one never.  And a deadline that has passed
 * with interrupts off is seen by timer_overdue() and run by
 * timer_run_overdue() (what the return to a guest does) without its
 * interrupt, and not run again when that interrupt comes (overdue_check).
 * Last, with no timer left anywhere, another CPU is kicked out of HLT
 * ten times (a softirq raised for it): each kick must be what wakes it
 * (its IPI, perf counter idle_kick_by_ipi) and none may write an APIC
 * timer, since no deadline changed (apic_timer_writes; kick_check).
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/perfc.h>
#include <xen/softirq.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>

#define TIMERS_PER_CPU 4
/* Bounds the wait for a timer that never fires, nothing else. */
#define WAIT_NS        30000000000L     /* 30 s of system time */

struct probe {
    struct timer t;
    s_time_t deadline;
    volatile s_time_t fired_at;
    volatile unsigned int fired_on;
    volatile unsigned int fires;        /* times its handler ran */
    volatile unsigned int order;        /* its place among its CPU's runs */
};

static struct probe probes[NR_CPUS][TIMERS_PER_CPU];
static struct probe stopped[NR_CPUS];   /* armed, then stopped */
static struct probe overdue;
static bool stop_in_time[NR_CPUS];
/* Probe handlers run so far on each CPU (one at a time there). */
static volatile unsigned int runs_on[NR_CPUS];
static struct timer tick;
static volatile unsigned int ticks;

/* Wakes CPU 0 every 10 ms so it notices timers that fired elsewhere. */
static void tick_fn(void *data)
{
    ticks++;
    set_timer(&tick, NOW() + 10000000);
}

static void probe_fn(void *data)
{
    struct probe *p = data;
    unsigned int cpu = smp_processor_id();

    p->fired_on = cpu;
    p->fired_at = NOW();
    p->order = ++runs_on[cpu];
    p->fires++;
}

/* A stopped timer's handler: counted apart, so that one which ran (a
 * stop that came too late on a slow host) leaves runs_on alone. */
static void stopped_fn(void *data)
{
    struct probe *p = data;

    p->fires++;
}

static void arm_probe(struct probe *p, void (*fn)(void *), unsigned int cpu,
                      s_time_t deadline)
{
    p->deadline = deadline;
    p->fired_at = 0;
    p->fires = 0;
    init_timer(&p->t, fn, p, cpu);
    set_timer(&p->t, deadline);
}

/* Halt until the tick has run n more times (needs interrupts on). */
static void wait_ticks(unsigned int n)
{
    unsigned int until = ticks + n;

    while ( (int)(ticks - until) < 0 )
        safe_halt();
}

/*
 * System time against the PIT.  Under TCG both follow the host clock, so
 * host load slows them alike: what it can skew is only the moment each is
 * read.  So each reading of the PIT's count is bracketed by two NOW()s and
 * kept only if the bracket is narrow (nothing preempted us in between), a
 * rate is taken between two such readings 20 ms apart (however long we
 * were away in between, both clocks moved), and the median of several
 * rates is reported.  Returns parts per thousand, or 0 if no measurement
 * could be made.
 */
#define PIT_HZ          1193182UL
#define PIT_RATES       5
#define PIT_BRACKET_NS  500000L         /* 0.5 ms */

/* One bracketed read of channel 2's count; false if the bracket is wide. */
static bool pit_sample(s_time_t *t, unsigned int *count)
{
    s_time_t a = NOW(), b;
    unsigned int lo, hi;

    outb(0x43, 0x80);                   /* latch channel 2 */
    lo = inb(0x42);
    hi = inb(0x42);
    b = NOW();
    *t = a + (b - a) / 2;
    *count = lo | (hi << 8);
    return b - a < PIT_BRACKET_NS;
}

/* One rate in permille, or 0 if a sample was disturbed. */
static unsigned long pit_rate_once(void)
{
    s_time_t t0, t1;
    unsigned int c0, c1;
    unsigned long pit_ns;

    outb(0x43, 0xb0);                   /* channel 2, lo/hi, mode 0 */
    outb(0x42, 0xff);
    outb(0x42, 0xff);                   /* 65535 ticks: 54.9 ms to zero */
    if ( !pit_sample(&t0, &c0) )
        return 0;
    while ( NOW() < t0 + 20000000 )
        ;
    if ( !pit_sample(&t1, &c1) || (inb(0x61) & 0x20) || c1 >= c0 )
        return 0;                       /* wide bracket, or it ran out */
    pit_ns = (unsigned long)(c0 - c1) * 1000000000UL / PIT_HZ;
    return (unsigned long)(t1 - t0) * 1000 / pit_ns;
}

static unsigned long tsc_vs_pit_permille(void)
{
    unsigned long rate[PIT_RATES], r;
    unsigned int n = 0, tries, i, j;
    uint8_t gate = inb(0x61);

    outb(0x61, (gate & ~0x02) | 0x01);  /* gate on, speaker off */
    for ( tries = 0; tries < 4 * PIT_RATES && n < PIT_RATES; tries++ )
        if ( (r = pit_rate_once()) != 0 )
        {
            for ( i = n++; i > 0 && rate[i - 1] > r; i-- )
                rate[i] = rate[i - 1];
            rate[i] = r;
        }
    outb(0x61, gate);
    for ( j = 0; j < n; j++ )
        printk("timer test: system time vs PIT, sample %u: %lu permille\n",
               j, rate[j]);
    return n ? rate[n / 2] : 0;
}

/*
 * The late-interrupt path on this CPU, by counts only: with interrupts off
 * nothing but timer_run_overdue() can run the probe, so it must not have
 * run when its deadline passes, timer_overdue() must see the passed
 * deadline, and one timer_run_overdue() call must run it exactly once;
 * the interrupt, when it comes, must not run it again.
 */
static unsigned int overdue_check(void)
{
    unsigned int cpu = smp_processor_id(), bad = 0;
    struct probe *p = &overdue;
    s_time_t now, due;

    local_irq_disable();
    arm_probe(p, probe_fn, cpu, NOW() + 1000000);
    /* Not due a nanosecond early, whatever the clock says now. */
    timer_run_overdue(cpu, p->deadline - 1);
    if ( p->fires != 0 )
        printk(XENLOG_ERR "timer test: FAIL: overdue: timer_run_overdue ran "
               "a timer before its deadline\n"), bad++;
    while ( (now = NOW()) <= p->deadline )
        cpu_relax();
    if ( p->fires != 0 )
        printk(XENLOG_ERR "timer test: FAIL: overdue: ran with interrupts "
               "off before anything ran the queue\n"), bad++;
    if ( !timer_overdue(cpu, now) )
        printk(XENLOG_ERR "timer test: FAIL: overdue: timer_overdue() does "
               "not see a deadline that has passed\n"), bad++;
    due = timer_run_overdue(cpu, now);
    if ( due == STIME_MAX || due > p->deadline || p->fires != 1 )
        printk(XENLOG_ERR "timer test: FAIL: overdue: timer_run_overdue() "
               "returned %ld and ran the timer %u times, wanted its deadline "
               "(or earlier) and once\n", (long)due, p->fires), bad++;
    else
        printk("timer test: overdue: run by timer_run_overdue() with "
               "interrupts off, %ld us after its deadline\n",
               (long)((p->fired_at - p->deadline) / 1000));
    local_irq_enable();
    wait_ticks(2);                      /* the late interrupt has come */
    if ( p->fires != 1 )
        printk(XENLOG_ERR "timer test: FAIL: overdue: ran %u times after "
               "its interrupt came\n", p->fires), bad++;
    kill_timer(&p->t);
    return bad;
}

/* Kicks of an idle CPU with no timers: woken by the IPI, and no APIC
 * timer written for it (apic-timer.c writes only a changed deadline). */
#define KICKS 10

static unsigned int kick_check(void)
{
    unsigned int cpu, i, woken = 0;
    uint64_t writes0, ipis0;

    for_each_online_cpu ( cpu )
        if ( cpu != smp_processor_id() )
            break;
    if ( cpu >= NR_CPUS || !cpu_online(cpu) )
    {
        printk("timer test: kicks: one CPU only, not checked\n");
        return 0;
    }
    writes0 = perfc_value(PERFC_apic_timer_writes);
    ipis0 = perfc_value(PERFC_idle_kick_by_ipi);
    for ( i = 0; i < KICKS; i++ )
    {
        s_time_t give_up;

        udelay(2000);                   /* back in HLT after the last one */
        raise_softirq(cpu, SOFTIRQ_SCHEDULE);
        give_up = NOW() + WAIT_NS / 10;
        while ( perfc_value(PERFC_idle_kick_by_ipi) < ipis0 + woken + 1 &&
                NOW() < give_up )
            cpu_relax();
        if ( perfc_value(PERFC_idle_kick_by_ipi) >= ipis0 + woken + 1 )
            woken++;
    }
    printk("timer test: kicks: %u of %u woke cpu%u by its IPI, APIC timer "
           "writes %lu\n", woken, KICKS, cpu,
           (unsigned long)(perfc_value(PERFC_apic_timer_writes) - writes0));
    if ( woken == 0 )
    {
        printk(XENLOG_ERR "timer test: FAIL: no kick woke cpu%u by its IPI\n",
               cpu);
        return 1;
    }
    if ( perfc_value(PERFC_apic_timer_writes) != writes0 )
    {
        printk(XENLOG_ERR "timer test: FAIL: kicks with no deadline changed "
               "wrote an APIC timer\n");
        return 1;
    }
    return 0;
}

bool selftest_timer_rate(void)
{
    unsigned int cpu, i, bad = 0, armed = 0;
    unsigned long permille = tsc_vs_pit_permille();
    s_time_t start, give_up;

    printk("timer test: system time vs PIT (median of 20 ms rates): "
           "%lu.%lu%%\n", permille / 10, permille % 10);
    if ( permille < 900 || permille > 1100 )
    {
        printk(XENLOG_ERR "timer test: FAIL: TSC-based time disagrees with "
               "the PIT by more than 10%%\n");
        bad++;
    }

    init_timer(&tick, tick_fn, NULL, 0);
    set_timer(&tick, NOW() + 10000000);
    bad += overdue_check();

    for_each_online_cpu ( cpu )
        runs_on[cpu] = 0;
    start = NOW();
    for_each_online_cpu ( cpu )
    {
        for ( i = 0; i < TIMERS_PER_CPU; i++ )
        {
            struct probe *p = &probes[cpu][i];
            s_time_t deadline = start + (s_time_t)(i + 1) * 20000000 +
                                cpu * 1000000;

            /* Armed far off first: set_timer must move a queued timer. */
            arm_probe(p, probe_fn, cpu, deadline + 1000000000L);
            p->deadline = deadline;
            set_timer(&p->t, deadline);
            armed++;
        }
        /* Due between timers 0 and 1, stopped before it can be: unless
         * the host held us up past its deadline, which says nothing. */
        arm_probe(&stopped[cpu], stopped_fn, cpu,
                  start + 30000000 + cpu * 1000000);
        stop_timer(&stopped[cpu].t);
        stop_in_time[cpu] = NOW() < stopped[cpu].deadline;
    }

    give_up = start + WAIT_NS;
    for ( ;; )
    {
        unsigned int pending = 0;

        /* Check with interrupts off, then sleep with "sti; hlt": a timer
         * firing between the check and the halt still wakes us. */
        local_irq_disable();
        for_each_online_cpu ( cpu )
            for ( i = 0; i < TIMERS_PER_CPU; i++ )
                pending += probes[cpu][i].fires == 0;
        if ( !pending || NOW() > give_up )
            break;
        safe_halt();
    }
    local_irq_enable();
    wait_ticks(2);                      /* time for a second run to show */
    kill_timer(&tick);

    for_each_online_cpu ( cpu )
    {
        for ( i = 0; i < TIMERS_PER_CPU; i++ )
        {
            struct probe *p = &probes[cpu][i];
            s_time_t late = p->fired_at - p->deadline;

            if ( p->fires == 0 )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u never "
                       "fired\n", cpu, i), bad++;
            else if ( p->fires != 1 )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u fired "
                       "%u times\n", cpu, i, p->fires), bad++;
            else if ( p->fired_on != cpu )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u ran on "
                       "cpu%u\n", cpu, i, p->fired_on), bad++;
            else if ( late < 0 )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u fired "
                       "%ld ns early\n", cpu, i, (long)-late), bad++;
            else if ( p->order != i + 1 )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u ran as "
                       "number %u on its CPU, out of deadline order\n", cpu,
                       i, p->order), bad++;
            else
                printk("timer test: cpu%u timer %u fired %ld us late "
                       "(info)\n", cpu, i, (long)(late / 1000));
            kill_timer(&p->t);
        }
        if ( !stop_in_time[cpu] )
            printk("timer test: cpu%u's timer was stopped after its deadline "
                   "(a slow host): not checked\n", cpu);
        else if ( stopped[cpu].fires != 0 )
            printk(XENLOG_ERR "timer test: FAIL: cpu%u's stopped timer "
                   "fired\n", cpu), bad++;
        kill_timer(&stopped[cpu].t);
    }
    bad += kick_check();
    printk("timer test: %u timers on %u CPUs, %u problems\n", armed,
           num_online_cpus(), bad);
    return bad == 0;
}
