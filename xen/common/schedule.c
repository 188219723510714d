/*
 * The scheduler: per-CPU round-robin over runnable vCPUs.
 *
 * Each CPU has a run queue of vCPUs waiting for it and an idle vCPU that
 * runs when the queue is empty.  vCPUs stay on the CPU they were created
 * on (no migration yet).  A vCPU runs for at most SLICE_NS while others
 * wait.  Scheduling happens only at safe points: on the way back to a guest
 * and in the idle loop (SOFTIRQ_SCHEDULE), never in the middle of a
 * hypercall.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/event.h>
#include <xen/arch-hooks.h>
#include <public/vcpu.h>

#define SLICE_NS 10000000L                  /* 10 ms */

struct sched_cpu {
    spinlock_t lock;
    struct list_head runq;
    struct vcpu *idle;
    struct timer slice;
    s_time_t switched_at;
};

static struct sched_cpu sched_cpus[NR_CPUS];
static struct vcpu idle_vcpus[NR_CPUS];
static struct domain idle_domain = { .domain_id = 0x7fff };

static bool vcpu_runnable(const struct vcpu *v)
{
    return (v->state == VCPU_RUNNABLE || v->state == VCPU_RUNNING) &&
           v->pause_count == 0 && v->domain->pause_count == 0 &&
           v->domain->state == DOMAIN_RUNNING;
}

static void slice_expired(void *data)
{
    raise_softirq((unsigned int)(unsigned long)data, SOFTIRQ_SCHEDULE);
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
    list_init(&idle->runq_link);
    sc->idle = idle;
    init_timer(&sc->slice, slice_expired, (void *)(unsigned long)cpu, cpu);
    get_cpu_info()->current_vcpu = idle;
}

void raise_schedule(unsigned int cpu)
{
    raise_softirq(cpu, SOFTIRQ_SCHEDULE);
}

/* Put v on its CPU's queue if it can run and is not there or running. */
static void enqueue_if_runnable(struct sched_cpu *sc, struct vcpu *v)
{
    if ( vcpu_runnable(v) && v->state != VCPU_RUNNING &&
         list_empty(&v->runq_link) )
        list_add_tail(&v->runq_link, &sc->runq);
}

/* If v is in state 'from', make it runnable; either way, queue it if it
 * can run (a paused vCPU that was unpaused goes back on its queue). */
static void vcpu_make_runnable(struct vcpu *v, enum vcpu_state from)
{
    struct sched_cpu *sc = &sched_cpus[v->processor];
    unsigned long flags;

    spin_lock_irqsave(&sc->lock, flags);
    if ( v->state == from )
    {
        v->state = VCPU_RUNNABLE;
        vcpu_runstate_change(v, RUNSTATE_runnable, NOW());
    }
    enqueue_if_runnable(sc, v);
    spin_unlock_irqrestore(&sc->lock, flags);
    raise_schedule(v->processor);
}

/* Blocked -> runnable (an event, a timer).  A down vCPU stays down: only
 * vcpu_start() brings it up. */
void vcpu_wake(struct vcpu *v)
{
    vcpu_make_runnable(v, VCPU_BLOCKED);
}

/* Down -> runnable: VCPUOP_up, the domain builder, setvcpucontext. */
void vcpu_start(struct vcpu *v)
{
    vcpu_make_runnable(v, VCPU_DOWN);
}

void vcpu_block(struct vcpu *v)
{
    v->state = VCPU_BLOCKED;
    raise_schedule(v->processor);
}

void vcpu_pause_nosync(struct vcpu *v)
{
    __atomic_add_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST);
    raise_schedule(v->processor);
}

void vcpu_pause(struct vcpu *v)
{
    vcpu_pause_nosync(v);
    /* Wait until it has left its CPU (never for ourselves). */
    while ( v != current && v->state == VCPU_RUNNING )
        cpu_relax();
}

/* A pause never changes up/down/blocked, so neither does the unpause: it
 * only puts a vCPU that can run again back on its queue. */
void vcpu_requeue(struct vcpu *v)
{
    struct sched_cpu *sc = &sched_cpus[v->processor];
    unsigned long flags;

    spin_lock_irqsave(&sc->lock, flags);
    enqueue_if_runnable(sc, v);
    spin_unlock_irqrestore(&sc->lock, flags);
    raise_schedule(v->processor);
}

void vcpu_unpause(struct vcpu *v)
{
    if ( __atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0 )
        vcpu_requeue(v);
}

/* VCPUOP_down: the vCPU stops until VCPUOP_up. */
void vcpu_down(struct vcpu *v)
{
    struct sched_cpu *sc = &sched_cpus[v->processor];
    unsigned long flags;

    spin_lock_irqsave(&sc->lock, flags);
    v->state = VCPU_DOWN;
    if ( !list_empty(&v->runq_link) )
    {
        list_del(&v->runq_link);
        list_init(&v->runq_link);
    }
    vcpu_runstate_change(v, RUNSTATE_offline, NOW());
    spin_unlock_irqrestore(&sc->lock, flags);
    raise_schedule(v->processor);
}

void vcpu_yield(void)
{
    raise_schedule(smp_processor_id());
}

/* Runs from do_softirqs: choose the next vCPU and switch to it. */
void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct sched_cpu *sc = &sched_cpus[cpu];
    struct vcpu *prev = current, *next = NULL;
    s_time_t now = NOW();
    unsigned long flags;

    spin_lock_irqsave(&sc->lock, flags);
    if ( !prev->is_idle )
    {
        if ( vcpu_runnable(prev) )
        {
            prev->state = VCPU_RUNNABLE;
            /* A wake-up may already have queued it (it blocked and was
             * woken before it left the CPU). */
            if ( list_empty(&prev->runq_link) )
                list_add_tail(&prev->runq_link, &sc->runq);
        }
        else if ( prev->state == VCPU_RUNNING )
            prev->state = VCPU_RUNNABLE;    /* paused: off the queue */
    }
    while ( !list_empty(&sc->runq) )
    {
        struct vcpu *v = list_first_entry(&sc->runq, struct vcpu, runq_link);

        list_del(&v->runq_link);
        list_init(&v->runq_link);
        if ( vcpu_runnable(v) )
        {
            next = v;
            break;
        }
    }
    if ( !next )
        next = sc->idle;
    if ( next == prev )
    {
        if ( !prev->is_idle )
        {
            prev->state = VCPU_RUNNING;
            vcpu_runstate_change(prev, RUNSTATE_running, now);
        }
        spin_unlock_irqrestore(&sc->lock, flags);
        return;
    }

    if ( !prev->is_idle )
    {
        prev->cpu_time += now - sc->switched_at;
        vcpu_runstate_change(prev, prev->state == VCPU_BLOCKED
                             ? RUNSTATE_blocked : RUNSTATE_runnable, now);
    }
    if ( !next->is_idle )
    {
        next->state = VCPU_RUNNING;
        vcpu_runstate_change(next, RUNSTATE_running, now);
        if ( !list_empty(&sc->runq) )
            set_timer(&sc->slice, now + SLICE_NS);
    }
    sc->switched_at = now;
    spin_unlock_irqrestore(&sc->lock, flags);

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
