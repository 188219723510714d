/*
 * boot_test=timer: do software timers fire when asked, on every CPU, and
 * does system time (TSC) agree with an independent clock (the PIT), in a
 * way host load cannot upset (tsc_vs_pit_permille)?
 *
 * Timers on each online CPU are armed at staggered deadlines; each handler
 * records when it ran and where.  A timer passes if it ran on its CPU, not
 * before its deadline, and within a generous lateness bound (TCG is slow,
 * and this is a correctness check, not a benchmark).
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>

#define TIMERS_PER_CPU 4
#define MAX_LATE_NS    50000000L       /* 50 ms */

struct probe {
    struct timer t;
    s_time_t deadline;
    volatile s_time_t fired_at;
    volatile unsigned int fired_on;
};

static struct probe probes[NR_CPUS][TIMERS_PER_CPU];
static struct timer tick;

/* Wakes CPU 0 every 10 ms so it notices timers that fired elsewhere. */
static void tick_fn(void *data)
{
    set_timer(&tick, NOW() + 10000000);
}

static void probe_fn(void *data)
{
    struct probe *p = data;

    p->fired_on = smp_processor_id();
    p->fired_at = NOW();
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

bool selftest_timer_rate(void)
{
    unsigned int cpu, i, bad = 0, armed = 0;
    unsigned long permille = tsc_vs_pit_permille();
    s_time_t start = NOW(), give_up;

    printk("timer test: system time vs PIT (median of 20 ms rates): "
           "%lu.%lu%%\n", permille / 10, permille % 10);
    if ( permille < 900 || permille > 1100 )
    {
        printk(XENLOG_ERR "timer test: FAIL: TSC-based time disagrees with "
               "the PIT by more than 10%%\n");
        bad++;
    }

    for_each_online_cpu ( cpu )
        for ( i = 0; i < TIMERS_PER_CPU; i++ )
        {
            struct probe *p = &probes[cpu][i];

            p->deadline = start + (s_time_t)(i + 1) * 20000000 + cpu * 1000000;
            p->fired_at = 0;
            init_timer(&p->t, probe_fn, p, cpu);
            set_timer(&p->t, p->deadline);
            armed++;
        }

    init_timer(&tick, tick_fn, NULL, 0);
    set_timer(&tick, NOW() + 10000000);
    give_up = start + 2000000000L;
    for ( ;; )
    {
        unsigned int pending = 0;

        /* Check with interrupts off, then sleep with "sti; hlt": a timer
         * firing between the check and the halt still wakes us. */
        local_irq_disable();
        for_each_online_cpu ( cpu )
            for ( i = 0; i < TIMERS_PER_CPU; i++ )
                pending += probes[cpu][i].fired_at == 0;
        if ( !pending || NOW() > give_up )
            break;
        safe_halt();
    }
    local_irq_enable();
    kill_timer(&tick);

    for_each_online_cpu ( cpu )
        for ( i = 0; i < TIMERS_PER_CPU; i++ )
        {
            struct probe *p = &probes[cpu][i];
            s_time_t late = p->fired_at - p->deadline;

            if ( p->fired_at == 0 )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u never "
                       "fired\n", cpu, i), bad++;
            else if ( p->fired_on != cpu )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u ran on "
                       "cpu%u\n", cpu, i, p->fired_on), bad++;
            else if ( late < 0 || late > MAX_LATE_NS )
                printk(XENLOG_ERR "timer test: FAIL: cpu%u timer %u fired "
                       "%ld ns from its deadline\n", cpu, i, (long)late), bad++;
            else
                printk("timer test: cpu%u timer %u fired %ld us late\n", cpu,
                       i, (long)(late / 1000));
        }
    printk("timer test: %u timers on %u CPUs, %u problems\n", armed,
           num_online_cpus(), bad);
    return bad == 0;
}
