/*
 * The scheduler: weighted fair queueing on virtual time, per-CPU run
 * queues, work stealing, hard affinity and caps (docs/scheduler.md).
 *
 * Each vCPU has a virtual runtime: the ns it has run, scaled by
 * 256 / its domain's weight, so a domain of weight 512 ages half as fast
 * as one of 256 and, on a shared CPU, runs twice as long.  A CPU runs the
 * vCPU of its queue with the least virtual runtime for up to SLICE_NS.  A
 * woken vCPU is placed at most WAKE_BONUS_NS behind the queue's minimum,
 * so it runs next without starving anyone (the wake-up boost).  If its
 * CPU is busy and a CPU it may use idles, it waits on that one instead.
 *
 * A vCPU woken from blocked also competes, until it has run once, as if
 * its virtual runtime were WAKE_BOOST_NS lower (the preemption boost), so
 * it preempts whatever runs unless it has had two slices more than its
 * share (which bounds what a vCPU that blocks often can take).  Without it, a vCPU in an I/O ping-pong (netfront and netback
 * passing event-channel notifications) whose virtual runtime was a little
 * above the running vCPU's waited for that vCPU's slice to end: up to
 * 10 ms per notification, which made pings between guests tens of ms.
 *
 * A cap is a budget of CPU time per CAP_PERIOD_NS shared by the domain's
 * vCPUs; a domain that spent it is "parked" (its vCPUs stay runnable but
 * are not picked) until the period ends, and an overrun is paid back from
 * the next period.
 *
 * Locking: each CPU's queue has its own lock, taken with interrupts off.
 * v->processor says whose lock covers v; it changes only with that lock
 * (and the new CPU's, when v is queued) held, so vcpu_lock() re-reads it
 * under the lock.  Two queue locks are always taken lower CPU first.
 *
 * Migration: a vCPU moves only while queued or off any queue and with
 * is_running clear, which the context switch clears once the vCPU's
 * registers, segments, FPU image and debug registers are saved and its old
 * CPU has switched page tables (flushing its TLB).  So the new CPU never
 * resumes a half-saved context, and the old CPU holds no TLB entries for
 * it (the TLB flush filter's per-CPU clock has ticked there).  Its timers
 * move with it (migrate_timer), at once or, for a wake that placed it on
 * an idle CPU, when that CPU first runs it.
 *
 * Scheduling happens only at safe points: on the way back to a guest and in
 * the idle loop (SOFTIRQ_SCHEDULE), never in the middle of a hypercall.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/event.h>
#include <xen/arch-hooks.h>
#include <xen/perfc.h>
#include <public/vcpu.h>

#define SLICE_NS       10000000L            /* 10 ms */
#define WAKE_BONUS_NS   5000000L            /* half a slice */
#define WAKE_BOOST_NS  (2 * SLICE_NS)       /* two slices */
#define CAP_PERIOD_NS 100000000L            /* 100 ms */
#define WEIGHT_DEFAULT 256
#define WEIGHT_MAX     65535

struct sched_cpu {
    spinlock_t lock;
    struct list_head runq;              /* waiting vCPUs, unordered */
    unsigned int nr_queued;
    struct vcpu *idle;
    struct timer slice;
    s_time_t switched_at;               /* the running vCPU charged until */
    bool slice_ended;                   /* the slice timer fired since the
                                           last schedule() here */
    int64_t min_vruntime;               /* never decreases */
};

static struct sched_cpu sched_cpus[NR_CPUS];
static struct vcpu idle_vcpus[NR_CPUS];
static struct domain idle_domain = { .domain_id = 0x7fff };
static uint64_t idle_cpus;              /* CPUs running their idle vCPU */

static bool vcpu_runnable(const struct vcpu *v)
{
    return (v->state == VCPU_RUNNABLE || v->state == VCPU_RUNNING) &&
           v->pause_count == 0 && v->domain->pause_count == 0 &&
           v->domain->state == DOMAIN_RUNNING;
}

static void slice_expired(void *data)
{
    unsigned int cpu = (unsigned int)(unsigned long)data;

    WRITE_ONCE(sched_cpus[cpu].slice_ended, true);
    raise_softirq(cpu, SOFTIRQ_SCHEDULE);
}

void scheduler_init_cpu(unsigned int cpu)
{
    struct sched_cpu *sc = &sched_cpus[cpu];
    struct vcpu *idle = &idle_vcpus[cpu];

    spin_lock_init(&sc->lock);
    list_init(&sc->runq);
    idle->vcpu_id = cpu;
    idle->domain = &idle_domain;
    idle->processor = cpu;
    idle->is_idle = true;
    idle->state = VCPU_RUNNING;
    idle->affinity = 1UL << cpu;
    list_init(&idle->runq_link);
    sc->idle = idle;
    init_timer(&sc->slice, slice_expired, (void *)(unsigned long)cpu, cpu);
    __atomic_or_fetch(&idle_cpus, 1UL << cpu, __ATOMIC_SEQ_CST);
    get_cpu_info()->current_vcpu = idle;
}

void sched_init_domain(struct domain *d)
{
    d->sched_weight = WEIGHT_DEFAULT;
    d->sched_cap = 0;
    spin_lock_init(&d->sched_lock);
}

void sched_init_vcpu(struct vcpu *v)
{
    v->affinity = ~0UL;
    v->vruntime = sched_cpus[v->processor].min_vruntime;
}

void raise_schedule(unsigned int cpu)
{
    raise_softirq(cpu, SOFTIRQ_SCHEDULE);
}

/* ---- Locks ------------------------------------------------------------ */

/* The queue lock that covers v (see the top of the file). */
static struct sched_cpu *vcpu_lock(const struct vcpu *v, unsigned long *flags)
{
    for ( ;; )
    {
        unsigned int cpu = READ_ONCE(v->processor);
        struct sched_cpu *sc = &sched_cpus[cpu];

        spin_lock_irqsave(&sc->lock, *flags);
        if ( likely(READ_ONCE(v->processor) == cpu) )
            return sc;
        spin_unlock_irqrestore(&sc->lock, *flags);
    }
}

/* Both CPUs' locks, lower first, interrupts off (a == b: one lock). */
static unsigned long lock_pair(unsigned int a, unsigned int b)
{
    unsigned long flags = arch_local_irq_save();

    spin_lock(&sched_cpus[a < b ? a : b].lock);
    if ( a != b )
        spin_lock(&sched_cpus[a < b ? b : a].lock);
    return flags;
}

static void unlock_pair(unsigned int a, unsigned int b, unsigned long flags)
{
    if ( a != b )
        spin_unlock(&sched_cpus[a].lock);
    spin_unlock(&sched_cpus[b].lock);
    arch_local_irq_restore(flags);
}

/* ---- Queues, caps, virtual time (the CPU's lock held) ------------------ */

static void enqueue(struct sched_cpu *sc, struct vcpu *v)
{
    list_add_tail(&v->runq_link, &sc->runq);
    sc->nr_queued++;
}

static void dequeue(struct sched_cpu *sc, struct vcpu *v)
{
    list_del(&v->runq_link);
    list_init(&v->runq_link);
    sc->nr_queued--;
}

/* Start a new cap period once the old one is over: a fresh quota, less
 * what the domain overran in the last one. */
static void cap_refill(struct domain *d, s_time_t now)
{
    unsigned long flags;

    if ( now < READ_ONCE(d->cap_period_end) )
        return;
    spin_lock_irqsave(&d->sched_lock, flags);
    if ( now >= d->cap_period_end )
    {
        int64_t b = __atomic_load_n(&d->cap_budget, __ATOMIC_RELAXED);
        int64_t quota = CAP_PERIOD_NS / 100 * d->sched_cap;

        __atomic_store_n(&d->cap_budget, (b < 0 ? b : 0) + quota,
                         __ATOMIC_RELAXED);
        d->cap_period_end = now + CAP_PERIOD_NS;
    }
    spin_unlock_irqrestore(&d->sched_lock, flags);
}

/* A capped domain that has spent this period's budget. */
static bool parked(struct domain *d, s_time_t now)
{
    if ( READ_ONCE(d->sched_cap) == 0 )
        return false;
    cap_refill(d, now);
    return __atomic_load_n(&d->cap_budget, __ATOMIC_RELAXED) <= 0;
}

/* Charge the running vCPU for its time since the last charge. */
static void charge(struct sched_cpu *sc, struct vcpu *v, s_time_t now)
{
    s_time_t delta = now - sc->switched_at;

    sc->switched_at = now;
    if ( delta <= 0 || v->is_idle )
        return;
    v->cpu_time += delta;
    v->vruntime += delta * WEIGHT_DEFAULT / READ_ONCE(v->domain->sched_weight);
    if ( READ_ONCE(v->domain->sched_cap) )
    {
        /* Only time inside the cap's periods counts: a vCPU that ran
         * uncapped for an hour and is then capped owes nothing. */
        s_time_t start = READ_ONCE(v->domain->cap_period_end) - CAP_PERIOD_NS;

        if ( delta > now - start )
            delta = now - start;
        if ( delta > 0 )
            __atomic_sub_fetch(&v->domain->cap_budget, delta, __ATOMIC_RELAXED);
    }
}

/* What v competes with: its virtual runtime, less the preemption boost
 * while it has not run since a wake from blocked. */
static int64_t effective_vruntime(const struct vcpu *v)
{
    return v->vruntime - (v->wake_boost ? WAKE_BOOST_NS : 0);
}

/* The queued vCPU this CPU should run: allowed here, not parked, least
 * virtual runtime.  Entries that can no longer run (paused, blocked,
 * down) are dropped: a wake, unpause or start queues them again.
 * *wake_at is lowered to when a parked domain's next period starts. */
static struct vcpu *pick_next(struct sched_cpu *sc, unsigned int cpu,
                              s_time_t now, s_time_t *wake_at)
{
    struct list_head *pos, *tmp;
    struct vcpu *best = NULL;

    list_for_each_safe(pos, tmp, &sc->runq)
    {
        struct vcpu *v = list_entry(pos, struct vcpu, runq_link);

        if ( !vcpu_runnable(v) )
        {
            dequeue(sc, v);
            continue;
        }
        if ( !(v->affinity & (1UL << cpu)) )
            continue;           /* leaves once its context is saved */
        if ( parked(v->domain, now) )
        {
            if ( v->domain->cap_period_end < *wake_at )
                *wake_at = v->domain->cap_period_end;
            continue;
        }
        if ( best == NULL || effective_vruntime(v) < effective_vruntime(best) )
            best = v;
    }
    return best;
}

/* v comes off a long sleep or a new start: no credit for the time away,
 * but a little so that it runs soon. */
static void place_woken(struct sched_cpu *sc, struct vcpu *v)
{
    int64_t floor = sc->min_vruntime - WAKE_BONUS_NS;

    if ( v->vruntime < floor )
        v->vruntime = floor;
}

/* Let an idle CPU that may run v know there is work to take. */
static void kick_idle_for(const struct vcpu *v)
{
    uint64_t m = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED) & v->affinity &
                 cpu_online_mask & ~(1UL << v->processor);

    if ( m )
        raise_schedule(__builtin_ctzl(m));
}

/* ---- Moving vCPUs ------------------------------------------------------ */

/* Move v to CPU 'to' if it is not live anywhere (false otherwise: the
 * context switch moves it once saved).  Both locks held. */
static bool move_locked(struct vcpu *v, unsigned int to)
{
    struct sched_cpu *from = &sched_cpus[v->processor], *sc = &sched_cpus[to];

    if ( __atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE) )
        return false;
    /* Virtual time is per queue: keep v's lag behind the minimum. */
    v->vruntime += sc->min_vruntime - from->min_vruntime;
    if ( !list_empty(&v->runq_link) )
    {
        dequeue(from, v);
        WRITE_ONCE(v->processor, to);
        enqueue(sc, v);
    }
    else
        WRITE_ONCE(v->processor, to);
    return true;
}

static void move_timers(struct vcpu *v, unsigned int to)
{
    migrate_timer(&v->singleshot_timer, to);
    migrate_timer(&v->periodic_timer, to);
    migrate_timer(&v->poll_timer, to);
}

/* Move v to 'to' now if it is not live; true if it moved. */
static bool vcpu_move(struct vcpu *v, unsigned int to)
{
    unsigned long flags;
    unsigned int from;
    bool moved;

    for ( ;; )
    {
        from = READ_ONCE(v->processor);
        flags = lock_pair(from, to);
        if ( v->processor == from )
            break;
        unlock_pair(from, to, flags);
    }
    moved = from != to && move_locked(v, to);
    unlock_pair(from, to, flags);
    if ( moved )
    {
        move_timers(v, to);
        raise_schedule(to);
    }
    return moved;
}

/* The first online CPU of v's affinity. */
static unsigned int affine_cpu(const struct vcpu *v)
{
    uint64_t m = v->affinity & cpu_online_mask;

    return m ? (unsigned int)__builtin_ctzl(m) : v->processor;
}

void sched_context_saved(struct vcpu *prev)
{
    if ( prev->is_idle )
        return;
    __atomic_store_n(&prev->is_running, false, __ATOMIC_RELEASE);
    /* A vCPU whose affinity no longer includes this CPU leaves now. */
    if ( !(READ_ONCE(prev->affinity) & (1UL << READ_ONCE(prev->processor))) )
        vcpu_move(prev, affine_cpu(prev));
    /* Still waiting here (preempted, or woken before it left): an idle
     * CPU that tried to steal it while it was live went back to sleep, so
     * tell it again, or it would wait for this CPU's slice to end. */
    else if ( !list_empty(&prev->runq_link) )
        kick_idle_for(prev);
}

/*
 * This CPU has nothing to run: take one waiting vCPU from the busiest
 * queue that holds one allowed here.  The queue lengths are read without
 * locks (a hint); the choice is checked under both locks.
 */
static void steal_work(unsigned int cpu, s_time_t now)
{
    uint64_t tried = 1UL << cpu;

    for ( ;; )
    {
        unsigned int victim = NR_CPUS, best = 0, c;
        struct vcpu *got = NULL;
        struct list_head *pos;
        unsigned long flags;

        for_each_online_cpu ( c )
        {
            unsigned int n = READ_ONCE(sched_cpus[c].nr_queued);

            if ( !(tried & (1UL << c)) && n > best )
            {
                best = n;
                victim = c;
            }
        }
        if ( victim == NR_CPUS )
            return;
        tried |= 1UL << victim;

        flags = lock_pair(cpu, victim);
        list_for_each(pos, &sched_cpus[victim].runq)
        {
            struct vcpu *v = list_entry(pos, struct vcpu, runq_link);

            if ( (v->affinity & (1UL << cpu)) && vcpu_runnable(v) &&
                 !parked(v->domain, now) && move_locked(v, cpu) )
            {
                got = v;
                break;
            }
        }
        unlock_pair(cpu, victim, flags);
        if ( got )
        {
            move_timers(got, cpu);
            return;
        }
    }
}

/* ---- State changes ----------------------------------------------------- */

/*
 * Where a vCPU woken from blocked should wait: an idle CPU it may run on
 * when its own CPU is busy, else its own (v->processor).  A hint read
 * without locks; vcpu_make_runnable checks it under both queue locks.
 */
static unsigned int wake_target(const struct vcpu *v, unsigned int cpu)
{
    uint64_t idle = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED);
    uint64_t m = idle & READ_ONCE(v->affinity) & cpu_online_mask &
                 ~(1UL << cpu);

    if ( (idle & (1UL << cpu)) || m == 0 )
        return cpu;
    return (unsigned int)__builtin_ctzl(m);
}

/*
 * If v is in state 'from' (when wake), make it runnable; either way, queue
 * it if it can run (a paused vCPU that was unpaused goes back on its
 * queue).
 *
 * A vCPU woken from blocked whose CPU runs another vCPU while a CPU it
 * may use idles is queued on the idle one, and only that one is told:
 * queued at home, the wake boost made it preempt the runner there while
 * the idle CPU (kicked too) came to steal it too late, so two busy vCPUs
 * shared one CPU and the other idled (a ballooning guest and dom0's
 * 1 ms poller: the guest waited for a CPU a third of its balloon).  It
 * moves only if not live (move_locked); its timers follow when that CPU
 * first runs it (schedule(): a wake can come from inside one of their
 * handlers, which migrate_timer would wait for).
 */
static void vcpu_make_runnable(struct vcpu *v, bool wake,
                               enum vcpu_state from)
{
    unsigned long flags;
    struct sched_cpu *sc;
    unsigned int cpu, to, run_on;
    bool woke = false;

    /* v's queue lock and, for a wake that may move it, the idle CPU's,
     * lower CPU first. */
    for ( ;; )
    {
        cpu = READ_ONCE(v->processor);
        /* (An event to a vCPU that is not blocked takes one lock.) */
        to = wake && from == VCPU_BLOCKED &&
             READ_ONCE(v->state) == VCPU_BLOCKED ? wake_target(v, cpu) : cpu;
        flags = lock_pair(cpu, to);
        if ( likely(READ_ONCE(v->processor) == cpu) )
            break;
        unlock_pair(cpu, to, flags);
    }
    sc = &sched_cpus[cpu];

    if ( wake && v->state == from )
    {
        s_time_t now = NOW();

        v->state = VCPU_RUNNABLE;
        vcpu_runstate_change(v, RUNSTATE_runnable, now);
        if ( from == VCPU_BLOCKED )
        {
            woke = true;
            v->wake_boost = true;
            perfc_incr(PERFC_vcpu_wakes);
            v->woken_at = now;
        }
    }
    if ( vcpu_runnable(v) && v->state != VCPU_RUNNING &&
         list_empty(&v->runq_link) )
    {
        uint64_t idle = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED);

        /* Both bits only change under their CPU's lock, held here. */
        if ( woke && to != cpu && !(idle & (1UL << cpu)) &&
             (idle & (1UL << to)) && (v->affinity & (1UL << to)) &&
             move_locked(v, to) )
        {
            sc = &sched_cpus[to];
            perfc_incr(PERFC_wake_moved_to_idle_cpu);
        }
        /* Back from blocked, down or paused: no credit for the time away
         * (a long pause would otherwise let it monopolise the CPU). */
        place_woken(sc, v);
        enqueue(sc, v);
        /* Its CPU is busy: an idle one may take it sooner. */
        if ( !(idle & (1UL << v->processor)) )
            kick_idle_for(v);
    }
    if ( woke )
        v->woken_on_idle = __atomic_load_n(&idle_cpus, __ATOMIC_RELAXED) &
                           (1UL << v->processor);
    run_on = v->processor;
    unlock_pair(cpu, to, flags);
    raise_schedule(run_on);
}

/* Blocked -> runnable (an event, a timer).  A down vCPU stays down: only
 * vcpu_start() brings it up. */
void vcpu_wake(struct vcpu *v)
{
    vcpu_make_runnable(v, true, VCPU_BLOCKED);
    path_trace(PT_WAKE, PT_DV(v), READ_ONCE(v->processor) | PT_WAKE_FROM_BLOCKED);
}

/* Down -> runnable: VCPUOP_up, the domain builder, setvcpucontext. */
void vcpu_start(struct vcpu *v)
{
    vcpu_make_runnable(v, true, VCPU_DOWN);
}

void vcpu_block(struct vcpu *v)
{
    v->state = VCPU_BLOCKED;
    raise_schedule(v->processor);
}

void vcpu_pause_nosync(struct vcpu *v)
{
    __atomic_add_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST);
    raise_schedule(READ_ONCE(v->processor));
}

void vcpu_pause(struct vcpu *v)
{
    vcpu_pause_nosync(v);
    /* Wait until it has left its CPU and its context is saved (never for
     * ourselves). */
    while ( v != current &&
            (READ_ONCE(v->state) == VCPU_RUNNING ||
             __atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE)) )
        cpu_relax();
}

/* A pause never changes up/down/blocked, so neither does the unpause: it
 * only puts a vCPU that can run again back on its queue. */
void vcpu_requeue(struct vcpu *v)
{
    vcpu_make_runnable(v, false, VCPU_RUNNABLE);
}

void vcpu_unpause(struct vcpu *v)
{
    if ( __atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0 )
        vcpu_requeue(v);
}

/* VCPUOP_down: the vCPU stops until VCPUOP_up. */
void vcpu_down(struct vcpu *v)
{
    unsigned long flags;
    struct sched_cpu *sc = vcpu_lock(v, &flags);
    unsigned int cpu = v->processor;

    v->state = VCPU_DOWN;
    if ( !list_empty(&v->runq_link) )
        dequeue(sc, v);
    vcpu_runstate_change(v, RUNSTATE_offline, NOW());
    spin_unlock_irqrestore(&sc->lock, flags);
    raise_schedule(cpu);
}

void vcpu_yield(void)
{
    raise_schedule(smp_processor_id());
}

/* ---- Parameters -------------------------------------------------------- */

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
    unsigned long flags;

    if ( weight == 0 || weight > WEIGHT_MAX ||
         cap > 100 * num_online_cpus() )
        return -EINVAL;
    spin_lock_irqsave(&d->sched_lock, flags);
    WRITE_ONCE(d->sched_weight, weight);
    if ( cap != d->sched_cap )
    {
        /* A new cap starts with a full period. */
        __atomic_store_n(&d->cap_budget, (int64_t)CAP_PERIOD_NS / 100 * cap,
                         __ATOMIC_RELAXED);
        d->cap_period_end = NOW() + CAP_PERIOD_NS;
        WRITE_ONCE(d->sched_cap, cap);
    }
    spin_unlock_irqrestore(&d->sched_lock, flags);
    /* Parked vCPUs may run again: let every CPU look. */
    for ( unsigned int c = 0; c < NR_CPUS; c++ )
        if ( cpu_online(c) )
            raise_schedule(c);
    return 0;
}

int sched_set_affinity(struct vcpu *v, uint64_t mask)
{
    unsigned long flags;
    struct sched_cpu *sc;
    unsigned int cpu;

    mask &= cpu_online_mask;
    if ( mask == 0 )
        return -EINVAL;
    sc = vcpu_lock(v, &flags);
    WRITE_ONCE(v->affinity, mask);
    cpu = v->processor;
    spin_unlock_irqrestore(&sc->lock, flags);
    if ( mask & (1UL << cpu) )
        return 0;
    /* Not live: move it now.  Live: its CPU reschedules, skips it, and the
     * context switch moves it (sched_context_saved). */
    if ( !vcpu_move(v, affine_cpu(v)) )
        raise_schedule(cpu);
    return 0;
}

/* ---- The scheduler proper ---------------------------------------------- */

/* How long a woken vCPU waited to run: the perf counters' histogram,
 * and why it waited (by_slice: this schedule() came from the slice
 * timer, so the wake's own did not run it). */
static void account_wake_latency(struct vcpu *v, s_time_t now, bool by_slice)
{
    s_time_t d;

    v->wake_boost = false;              /* it runs: the boost is spent */
    if ( v->woken_at == 0 )
        return;
    d = now - v->woken_at;
    v->woken_at = 0;
    if ( by_slice )
        perfc_incr(PERFC_wake_ran_at_slice_end);
    if ( v->woken_on_idle && d >= 1000000 )
        perfc_incr(PERFC_wake_late_on_idle_cpu);
    perfc_incr(d < 100000 ? PERFC_wake_to_run_lt_100us :
               d < 1000000 ? PERFC_wake_to_run_lt_1ms :
               d < 10000000 ? PERFC_wake_to_run_lt_10ms :
               PERFC_wake_to_run_ge_10ms);
}

/* Runs from do_softirqs: choose the next vCPU and switch to it. */
void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct sched_cpu *sc = &sched_cpus[cpu];
    struct vcpu *prev = current, *next;
    s_time_t now = NOW(), wake_at = STIME_MAX, slice_end;
    unsigned long flags;
    bool by_slice;

    spin_lock_irqsave(&sc->lock, flags);
    by_slice = READ_ONCE(sc->slice_ended);
    WRITE_ONCE(sc->slice_ended, false);
    charge(sc, prev, now);
    if ( !prev->is_idle )
    {
        if ( vcpu_runnable(prev) )
        {
            prev->state = VCPU_RUNNABLE;
            /* A wake-up may already have queued it (it blocked and was
             * woken before it left the CPU). */
            if ( list_empty(&prev->runq_link) )
                enqueue(sc, prev);
        }
        else if ( prev->state == VCPU_RUNNING )
            prev->state = VCPU_RUNNABLE;    /* paused: off the queue */
    }
    next = pick_next(sc, cpu, now, &wake_at);
    if ( next == NULL )
    {
        /* About to idle: steal (prev, live here, cannot be taken). */
        spin_unlock(&sc->lock);
        steal_work(cpu, now);
        spin_lock(&sc->lock);
        wake_at = STIME_MAX;
        next = pick_next(sc, cpu, now, &wake_at);
    }

    if ( next != NULL )
    {
        dequeue(sc, next);
        if ( next->vruntime > sc->min_vruntime )
            sc->min_vruntime = next->vruntime;
        __atomic_and_fetch(&idle_cpus, ~(1UL << cpu), __ATOMIC_SEQ_CST);
        /* Others wait here: an idle CPU may take one. */
        if ( sc->nr_queued )
            for ( struct list_head *p = sc->runq.next; p != &sc->runq;
                  p = p->next )
                kick_idle_for(list_entry(p, struct vcpu, runq_link));
    }
    else
    {
        next = sc->idle;
        __atomic_or_fetch(&idle_cpus, 1UL << cpu, __ATOMIC_SEQ_CST);
    }

    /* When to look again: the slice's end if others wait, the budget's
     * end if capped, a parked domain's next period. */
    slice_end = wake_at;
    if ( !next->is_idle )
    {
        struct domain *d = next->domain;

        if ( sc->nr_queued && now + SLICE_NS < slice_end )
            slice_end = now + SLICE_NS;
        if ( READ_ONCE(d->sched_cap) )
        {
            int64_t b = __atomic_load_n(&d->cap_budget, __ATOMIC_RELAXED);

            if ( now + b < slice_end )
                slice_end = now + (b > 0 ? b : 0);
        }
    }
    if ( slice_end != STIME_MAX )
        set_timer(&sc->slice, slice_end);
    else
        stop_timer(&sc->slice);

    if ( next == prev )
    {
        if ( !prev->is_idle )
        {
            prev->state = VCPU_RUNNING;
            vcpu_runstate_change(prev, RUNSTATE_running, now);
            account_wake_latency(prev, now, by_slice);
        }
        spin_unlock_irqrestore(&sc->lock, flags);
        return;
    }

    if ( !prev->is_idle )
        vcpu_runstate_change(prev, prev->state == VCPU_BLOCKED
                             ? RUNSTATE_blocked : RUNSTATE_runnable, now);
    if ( !next->is_idle )
    {
        next->state = VCPU_RUNNING;
        __atomic_store_n(&next->is_running, true, __ATOMIC_RELAXED);
        vcpu_runstate_change(next, RUNSTATE_running, now);
        account_wake_latency(next, now, by_slice);
    }
    spin_unlock_irqrestore(&sc->lock, flags);
    path_trace(PT_SWITCH, PT_DV(next), PT_DV(prev) | (by_slice ? PT_BY_SLICE : 0));

    /* A vCPU a wake moved here brings its timers now (no-ops when they
     * are here already; see vcpu_make_runnable). */
    if ( !next->is_idle )
        move_timers(next, cpu);
    context_switch(prev, next);
}

/* CPU time of v including the slice it is running now. */
uint64_t vcpu_cpu_time(const struct vcpu *v)
{
    uint64_t t = v->cpu_time;

    if ( v->state == VCPU_RUNNING )
        t += NOW() - sched_cpus[v->processor].switched_at;
    return t;
}
