/* Unit tests for xen/common/timer.c: per-CPU deadline heaps, handler
 * re-entry, hardware programming, and a threaded smoke test. */

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/timer.h>

/* A timer plus what the test wants to know about its handler runs. */
struct probe {
    struct timer t;
    unsigned int id;
    unsigned int fired;
    s_time_t fired_expires;             /* t.expires when it last ran */
    void (*extra)(struct probe *p);     /* optional extra behaviour */
    struct probe *other;
};

static s_time_t run_now;                /* the 'now' given to timer_run */
static s_time_t last_fired_expires;
static unsigned long total_fired;
static bool order_broken;

static void probe_fn(void *data)
{
    struct probe *p = data;

    if ( p->t.expires > run_now )
        FAIL("timer %u (deadline %lld) ran at %lld", p->id,
             (long long)p->t.expires, (long long)run_now);
    if ( timer_is_active(&p->t) )
        FAIL("timer %u still queued while its handler runs", p->id);
    if ( p->t.expires < last_fired_expires )
        order_broken = true;
    last_fired_expires = p->t.expires;
    p->fired++;
    p->fired_expires = p->t.expires;
    total_fired++;
    if ( p->extra )
        p->extra(p);
}

static struct probe *probes_new(unsigned int n, unsigned int cpu)
{
    struct probe *p = calloc(n, sizeof(*p));

    if ( p == NULL )
        FAIL("calloc");
    for ( unsigned int i = 0; i < n; i++ )
    {
        init_timer(&p[i].t, probe_fn, &p[i], cpu);
        p[i].id = i;
    }
    return p;
}

static s_time_t run(unsigned int cpu, s_time_t now)
{
    s_time_t next;

    run_now = now;
    last_fired_expires = INT64_MIN;
    next = timer_run(cpu, now);
    if ( next != timer_next_deadline(cpu) )
        FAIL("timer_run returned %lld, next deadline is %lld",
             (long long)next, (long long)timer_next_deadline(cpu));
    if ( program_last(cpu) != next )
        FAIL("hardware left at %lld after timer_run, next is %lld",
             (long long)program_last(cpu), (long long)next);
    return next;
}

static void setup(unsigned int cpus)
{
    host_mm_setup(4096);
    heap_init_region(0, 4096UL << PAGE_SHIFT);
    if ( timers_init(cpus) != 0 )
        FAIL("timers_init(%u) failed", cpus);
}

static void check_hw(unsigned int cpu)
{
    if ( program_last(cpu) != timer_next_deadline(cpu) )
        FAIL("cpu %u hardware at %lld, earliest deadline %lld", cpu,
             (long long)program_last(cpu),
             (long long)timer_next_deadline(cpu));
}

static void test_init_and_bad_use(void)
{
    struct timer t;

    host_mm_setup(1024);
    CHECK_EQ(timers_init(2), -ENOMEM);         /* no heap memory yet */
    heap_init_region(0, 1024UL << PAGE_SHIFT);
    CHECK_EQ(timers_init(0), -EINVAL);
    CHECK_EQ(timers_init(NR_CPUS + 1), -EINVAL);

    init_timer(&t, probe_fn, NULL, 0);
    EXPECT_PANIC("before timers_init", set_timer(&t, 1));
    CHECK_EQ(timers_init(2), 0);
    CHECK_EQ(timers_init(2), -EBUSY);

    init_timer(&t, probe_fn, NULL, 2);
    EXPECT_PANIC("no timer queue", set_timer(&t, 1));
    EXPECT_PANIC("no timer queue", stop_timer(&t));
    EXPECT_PANIC("no timer queue", timer_run(7, 0));
    EXPECT_PANIC("without a handler", init_timer(&t, NULL, NULL, 0));
    CHECK_EQ(timer_next_deadline(1), STIME_MAX);
}

/* 10k random deadlines drained in random steps: each timer runs once, not
 * before its deadline, and in deadline order. */
static void test_ordering_10k(void)
{
    enum { N = 10000 };
    struct probe *p;
    s_time_t now = 0, min = STIME_MAX;

    setup(1);
    p = probes_new(N, 0);
    for ( unsigned int i = 0; i < N; i++ )
    {
        s_time_t d = (s_time_t)rng_below(1000000000);

        set_timer(&p[i].t, d);
        if ( d < min )
            min = d;
        if ( timer_next_deadline(0) != min )
            FAIL("after %u timers earliest is %lld, want %lld", i + 1,
                 (long long)timer_next_deadline(0), (long long)min);
        check_hw(0);
    }
    while ( now < 1000000000 )
    {
        s_time_t next;

        now += (s_time_t)rng_below(400000);
        next = run(0, now);
        if ( next <= now )
            FAIL("timer_run(%lld) left a due timer (%lld)", (long long)now,
                 (long long)next);
    }
    run(0, 1000000000);
    CHECK(!order_broken);
    for ( unsigned int i = 0; i < N; i++ )
        if ( p[i].fired != 1 )
            FAIL("timer %u fired %u times", i, p[i].fired);
    CHECK_EQ(timer_next_deadline(0), STIME_MAX);
    CHECK_EQ(program_last(0), STIME_MAX);
    free(p);
}

static void test_equal_deadlines(void)
{
    struct probe *p;

    setup(1);
    p = probes_new(1020, 0);
    for ( unsigned int i = 0; i < 1000; i++ )
        set_timer(&p[i].t, 500);
    for ( unsigned int i = 1000; i < 1010; i++ )
        set_timer(&p[i].t, 400);
    for ( unsigned int i = 1010; i < 1020; i++ )
        set_timer(&p[i].t, 600);
    CHECK_EQ(run(0, 499), 500);
    CHECK_EQ(total_fired, 10);
    CHECK_EQ(run(0, 500), 600);
    CHECK_EQ(total_fired, 1010);
    for ( unsigned int i = 0; i < 1010; i++ )
        CHECK_EQ(p[i].fired, 1);
    CHECK_EQ(run(0, 600), STIME_MAX);
    CHECK_EQ(total_fired, 1020);
    free(p);
}

static void test_rearm_queued(void)
{
    enum { N = 300 };
    struct probe *p;

    setup(1);
    p = probes_new(N, 0);
    set_timer(&p[0].t, 100);
    set_timer(&p[0].t, 50);
    CHECK_EQ(timer_next_deadline(0), 50);
    run(0, 60);
    CHECK_EQ(p[0].fired, 1);
    CHECK(!timer_is_active(&p[0].t));

    set_timer(&p[0].t, 100);
    set_timer(&p[0].t, 300);
    run(0, 200);
    CHECK_EQ(p[0].fired, 1);
    run(0, 300);
    CHECK_EQ(p[0].fired, 2);

    /* Shuffle deadlines of queued timers many times, then drain. */
    for ( unsigned int i = 0; i < N; i++ )
        set_timer(&p[i].t, 1000 + (s_time_t)rng_below(100000));
    for ( unsigned int k = 0; k < 5000; k++ )
    {
        set_timer(&p[rng_below(N)].t, 1000 + (s_time_t)rng_below(100000));
        check_hw(0);
    }
    run(0, 1000000);
    CHECK(!order_broken);
    for ( unsigned int i = 0; i < N; i++ )
    {
        CHECK_EQ(p[i].fired, i == 0 ? 3 : 1);
        CHECK_EQ(p[i].fired_expires, p[i].t.expires);
    }
    free(p);
}

static void test_stop_and_kill(void)
{
    struct probe *p;
    unsigned long calls;

    setup(1);
    p = probes_new(4, 0);
    set_timer(&p[0].t, 10);
    set_timer(&p[1].t, 20);
    set_timer(&p[2].t, 30);

    calls = program_count(0);
    stop_timer(&p[3].t);                        /* never queued: no-op */
    CHECK_EQ(program_count(0), calls);
    stop_timer(&p[1].t);                        /* not the earliest */
    CHECK(!timer_is_active(&p[1].t));
    CHECK_EQ(program_count(0), calls);
    stop_timer(&p[1].t);                        /* twice */
    stop_timer(&p[0].t);                        /* the earliest */
    CHECK_EQ(program_last(0), 30);
    kill_timer(&p[2].t);
    CHECK_EQ(program_last(0), STIME_MAX);
    CHECK_EQ(timer_next_deadline(0), STIME_MAX);

    set_timer(&p[2].t, 5);                      /* killed: ignored */
    CHECK(!timer_is_active(&p[2].t));
    kill_timer(&p[2].t);                        /* twice */
    kill_timer(&p[3].t);                        /* never queued */
    set_timer(&p[3].t, 5);
    set_timer(&p[1].t, 40);                     /* stopped: may re-arm */
    run(0, 100);
    CHECK_EQ(p[0].fired + p[2].fired + p[3].fired, 0);
    CHECK_EQ(p[1].fired, 1);
    free(p);
}

static void rearm_period(struct probe *p)
{
    set_timer(&p->t, p->t.expires + 100);
}

static void rearm_in_past(struct probe *p)
{
    set_timer(&p->t, 0);
}

static void kill_self_then_rearm(struct probe *p)
{
    kill_timer(&p->t);
    set_timer(&p->t, p->t.expires + 1);
}

static void test_handler_rearms_itself(void)
{
    struct probe *p;
    s_time_t next;
    int passes = 0;

    setup(1);
    p = probes_new(8, 0);
    p[0].extra = rearm_period;
    set_timer(&p[0].t, 100);
    for ( s_time_t now = 100; now <= 1000; now += 100 )
        CHECK_EQ(run(0, now), now + 100);
    CHECK_EQ(p[0].fired, 10);

    /* Far behind: each pass catches up a bit; repeated passes catch up
     * fully, one run per period. */
    do
        next = run(0, 5000);
    while ( next <= 5000 && ++passes < 1000 );
    CHECK_EQ(p[0].fired, 50);
    CHECK_EQ(next, 5100);
    stop_timer(&p[0].t);

    /* A handler that always re-arms in the past cannot wedge timer_run. */
    p[1].extra = rearm_in_past;
    for ( unsigned int i = 1; i < 6; i++ )
        set_timer(&p[i].t, 5);
    next = run(0, 10);
    CHECK(next <= 10);
    CHECK(total_fired - 50 <= 5);
    CHECK_EQ(program_last(0), next);
    stop_timer(&p[1].t);

    /* A handler that kills its own timer: its re-arm is ignored. */
    p[6].extra = kill_self_then_rearm;
    set_timer(&p[6].t, 20);
    run(0, 20);
    CHECK_EQ(p[6].fired, 1);
    CHECK(!timer_is_active(&p[6].t));
    run(0, 100);
    CHECK_EQ(p[6].fired, 1);
    free(p);
}

static void set_other_in_past(struct probe *p)
{
    set_timer(&p->other->t, 5);
}

static void stop_other(struct probe *p)
{
    stop_timer(&p->other->t);
}

static void test_handler_sets_and_stops_others(void)
{
    struct probe *p;

    setup(1);
    p = probes_new(4, 0);
    p[0].extra = set_other_in_past;
    p[0].other = &p[1];
    p[2].extra = stop_other;
    p[2].other = &p[3];
    set_timer(&p[0].t, 10);
    set_timer(&p[2].t, 11);
    set_timer(&p[3].t, 15);                     /* due, but p[2] stops it */
    CHECK_EQ(run(0, 20), STIME_MAX);
    CHECK_EQ(p[0].fired, 1);
    CHECK_EQ(p[1].fired, 1);
    CHECK_EQ(p[2].fired, 1);
    CHECK_EQ(p[3].fired, 0);
    free(p);
}

static void test_past_deadlines(void)
{
    struct probe *p;

    setup(1);
    p = probes_new(3, 0);
    run(0, 1000);
    set_timer(&p[0].t, 999);
    set_timer(&p[1].t, -5);
    CHECK_EQ(program_last(0), -5);
    set_timer(&p[2].t, INT64_MIN);
    CHECK_EQ(program_last(0), INT64_MIN);
    CHECK_EQ(run(0, 1000), STIME_MAX);
    CHECK_EQ(total_fired, 3);
    free(p);
}

/* A deadline that passed without its interrupt (QEMU under host load
 * delivers the APIC timer's late): timer_overdue() says so, for that CPU
 * only, and timer_run_overdue() runs exactly the due timers, programs the
 * next deadline and returns the one that was missed.  Before a deadline,
 * or with nothing queued, both do nothing. */
static void test_overdue_without_interrupt(void)
{
    struct probe *p;

    setup(2);
    p = probes_new(3, 0);
    CHECK(!timer_overdue(0, INT64_MAX - 1));
    CHECK_EQ(timer_run_overdue(0, INT64_MAX - 1), STIME_MAX);

    set_timer(&p[0].t, 100);
    set_timer(&p[1].t, 200);
    set_timer(&p[2].t, 300);
    CHECK(!timer_overdue(0, 99));
    run_now = 99;
    CHECK_EQ(timer_run_overdue(0, 99), STIME_MAX);
    CHECK_EQ(total_fired, 0);
    CHECK(timer_overdue(0, 100));
    CHECK(!timer_overdue(1, 1000));

    run_now = 250;
    last_fired_expires = INT64_MIN;
    CHECK_EQ(timer_run_overdue(0, 250), 100);
    CHECK_EQ(p[0].fired, 1);
    CHECK_EQ(p[1].fired, 1);
    CHECK_EQ(p[2].fired, 0);
    CHECK(!order_broken);
    CHECK_EQ(program_last(0), 300);
    CHECK(!timer_overdue(0, 250));

    /* Every change of the earliest deadline is seen by the next check. */
    set_timer(&p[2].t, 260);
    CHECK(timer_overdue(0, 260));
    set_timer(&p[2].t, 400);
    CHECK(!timer_overdue(0, 300));
    stop_timer(&p[2].t);
    CHECK(!timer_overdue(0, INT64_MAX - 1));
    set_timer(&p[0].t, 500);
    migrate_timer(&p[0].t, 1);
    CHECK(!timer_overdue(0, 600));
    CHECK(timer_overdue(1, 600));
    run_now = 600;
    CHECK_EQ(timer_run_overdue(1, 600), 500);
    CHECK_EQ(p[0].fired, 2);
    CHECK(!timer_overdue(1, 600));
    free(p);
}

/* Random operations on several CPUs: the hardware always holds each CPU's
 * earliest deadline, it is told only about changes, and CPUs stay apart. */
static void test_program_tracking(void)
{
    enum { CPUS = 3, PER_CPU = 40 };
    struct probe *p[CPUS];

    setup(CPUS);
    for ( unsigned int c = 0; c < CPUS; c++ )
        p[c] = probes_new(PER_CPU, c);

    /* Setting a later timer leaves the hardware alone. */
    set_timer(&p[0][0].t, 100);
    CHECK_EQ(program_count(0), 1);
    set_timer(&p[0][1].t, 200);
    CHECK_EQ(program_count(0), 1);
    set_timer(&p[0][2].t, 50);
    CHECK_EQ(program_count(0), 2);
    CHECK_EQ(program_last(0), 50);
    CHECK_EQ(program_count(1), 0);

    for ( unsigned int k = 0; k < 20000; k++ )
    {
        unsigned int c = rng_below(CPUS);
        struct probe *q = &p[c][rng_below(PER_CPU)];
        unsigned long before[CPUS];
        s_time_t earliest_before = timer_next_deadline(c);

        for ( unsigned int i = 0; i < CPUS; i++ )
            before[i] = program_count(i);
        switch ( rng_below(10) )
        {
        case 0: case 1: case 2: case 3: case 4:
            set_timer(&q->t, (s_time_t)rng_below(1000000));
            break;
        case 5: case 6: case 7:
            stop_timer(&q->t);
            break;
        default:
            run(c, (s_time_t)rng_below(1000000));
            break;
        }
        for ( unsigned int i = 0; i < CPUS; i++ )
        {
            check_hw(i);
            if ( i != c && program_count(i) != before[i] )
                FAIL("an operation on cpu %u reprogrammed cpu %u", c, i);
        }
        if ( timer_next_deadline(c) == earliest_before &&
             program_count(c) > before[c] + 1 )
            FAIL("cpu %u reprogrammed more than once for one operation", c);
    }
    CHECK(!order_broken);
    for ( unsigned int c = 0; c < CPUS; c++ )
        free(p[c]);
}

/* Queues never grow (set_timer may run in interrupt context): filling one
 * is a loud bug, and leaves the queue working. */
static void test_queue_full(void)
{
    enum { CAPACITY = 16383 };
    struct probe *p;

    setup(1);
    p = probes_new(CAPACITY + 1, 0);
    for ( unsigned int i = 0; i < CAPACITY; i++ )
        set_timer(&p[i].t, CAPACITY - i);
    EXPECT_PANIC("queue full", set_timer(&p[CAPACITY].t, 0));
    CHECK(!timer_is_active(&p[CAPACITY].t));
    set_timer(&p[5].t, -1);                     /* re-arming a queued one is fine */
    stop_timer(&p[0].t);
    set_timer(&p[CAPACITY].t, 0);
    CHECK_EQ(timer_next_deadline(0), -1);
    CHECK_EQ(run(0, CAPACITY), STIME_MAX);
    CHECK_EQ(total_fired, CAPACITY);
    CHECK(!order_broken);
    free(p);
}

/* ---- threads ---------------------------------------------------------- */

enum { POOL = 200 };
static struct timer pool[POOL];
static unsigned long pool_fired;
static s_time_t sim_clock;
static bool stop_threads;          /* read with __atomic loads */

static void count_fn(void *data)
{
    (void)data;
    __atomic_add_fetch(&pool_fired, 1, __ATOMIC_RELAXED);
}

struct setter {
    pthread_t thread;
    uint64_t rng;
    unsigned long sets;
};

static void *setter_main(void *arg)
{
    struct setter *s = arg;

    while ( !__atomic_load_n(&stop_threads, __ATOMIC_RELAXED) )
    {
        struct timer *t;
        s_time_t now = __atomic_load_n(&sim_clock, __ATOMIC_RELAXED);

        s->rng ^= s->rng << 13;
        s->rng ^= s->rng >> 7;
        s->rng ^= s->rng << 17;
        t = &pool[s->rng % POOL];
        if ( (s->rng >> 20) % 4 )
        {
            set_timer(t, now + (s_time_t)((s->rng >> 24) % 5000));
            s->sets++;
        }
        else
            stop_timer(t);
    }
    return NULL;
}

static void *runner_main(void *arg)
{
    unsigned long *runs = arg;

    while ( !__atomic_load_n(&stop_threads, __ATOMIC_RELAXED) )
    {
        s_time_t now = __atomic_add_fetch(&sim_clock, 100, __ATOMIC_RELAXED);

        timer_run(0, now);
        (*runs)++;
    }
    return NULL;
}

static int slow_started, slow_finished;

static void slow_fn(void *data)
{
    (void)data;
    __atomic_store_n(&slow_started, 1, __ATOMIC_SEQ_CST);
    usleep(100000);
    __atomic_store_n(&slow_finished, 1, __ATOMIC_SEQ_CST);
}

static void *run_as_cpu0(void *arg)
{
    (void)arg;
    host_set_cpu(0);
    timer_run(0, 100);
    return NULL;
}

/* kill_timer from another CPU returns only after a running handler has:
 * the caller may then free the timer. */
static void test_kill_waits_for_handler(void)
{
    static struct timer t;
    pthread_t runner;

    setup(2);
    init_timer(&t, slow_fn, NULL, 0);
    set_timer(&t, 50);
    if ( pthread_create(&runner, NULL, run_as_cpu0, NULL) )
        FAIL("pthread_create");
    while ( !__atomic_load_n(&slow_started, __ATOMIC_SEQ_CST) )
        usleep(1000);
    host_set_cpu(1);
    kill_timer(&t);
    CHECK(__atomic_load_n(&slow_finished, __ATOMIC_SEQ_CST));
    pthread_join(runner, NULL);
    CHECK(!timer_is_active(&t));
}

/* Two threads arm and stop one CPU's timers while a third runs them. */
static void test_concurrent_smoke(void)
{
    struct setter setters[2];
    pthread_t runner;
    unsigned long runs = 0, sets = 0;
    struct probe *p;

    setup(1);
    for ( unsigned int i = 0; i < POOL; i++ )
        init_timer(&pool[i], count_fn, NULL, 0);
    time_limit_start(1500);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        setters[i].rng = rng_next() | 1;
        setters[i].sets = 0;
        if ( pthread_create(&setters[i].thread, NULL, setter_main, &setters[i]) )
            FAIL("pthread_create");
    }
    if ( pthread_create(&runner, NULL, runner_main, &runs) )
        FAIL("pthread_create");
    while ( !time_is_up() )
        usleep(10000);
    __atomic_store_n(&stop_threads, true, __ATOMIC_RELAXED);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        pthread_join(setters[i].thread, NULL);
        sets += setters[i].sets;
    }
    pthread_join(runner, NULL);

    CHECK(runs > 0 && sets > 0);
    CHECK(pool_fired <= sets);
    /* Drain: everything left runs, and the queue ends empty. */
    run_now = STIME_MAX - 1;
    while ( timer_run(0, STIME_MAX - 1) != STIME_MAX )
        ;
    for ( unsigned int i = 0; i < POOL; i++ )
        CHECK(!timer_is_active(&pool[i]));
    CHECK_EQ(program_last(0), STIME_MAX);
    CHECK(pool_fired <= sets);

    /* The heap is still sound: a fresh batch drains in order. */
    p = probes_new(POOL, 0);
    for ( unsigned int i = 0; i < POOL; i++ )
        set_timer(&p[i].t, sim_clock + (s_time_t)rng_below(100000));
    run(0, sim_clock + 100000);
    CHECK(!order_broken);
    for ( unsigned int i = 0; i < POOL; i++ )
        CHECK_EQ(p[i].fired, 1);
    free(p);
}

const struct test_case timer_cases[] = {
    { "timer_init_and_bad_use", test_init_and_bad_use },
    { "timer_ordering_10k", test_ordering_10k },
    { "timer_equal_deadlines", test_equal_deadlines },
    { "timer_rearm_queued", test_rearm_queued },
    { "timer_stop_and_kill", test_stop_and_kill },
    { "timer_handler_rearms_itself", test_handler_rearms_itself },
    { "timer_handler_sets_and_stops_others", test_handler_sets_and_stops_others },
    { "timer_past_deadlines", test_past_deadlines },
    { "timer_program_tracking", test_program_tracking },
    { "timer_overdue_without_interrupt", test_overdue_without_interrupt },
    { "timer_queue_full_panics", test_queue_full },
    { "timer_kill_waits_for_running_handler", test_kill_waits_for_handler },
    { "timer_concurrent_smoke", test_concurrent_smoke },
    { NULL, NULL },
};
