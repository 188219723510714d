/* Software timers: a binary min-heap of pending timers per CPU.
 *
 * Each CPU's queue is an array heap[1..size] ordered by deadline; slot 1 is
 * the earliest.  A queued timer remembers its slot (heap_index), so moving or
 * removing it is O(log n) without a search.  Timers with equal deadlines all
 * run in the same timer_run pass, in no promised order.
 *
 * Capacity: each queue is one array of QUEUE_SLOTS pointers allocated by
 * timers_init and never resized, because set_timer runs in interrupt
 * context too (timer handlers, the APIC timer interrupt) where allocating
 * is not allowed.  16383 pending timers per CPU is far more than a few
 * timers per vCPU need; overflowing it is a hypervisor bug and panics.
 *
 * Locking: the queue lock is taken with interrupts off, since timer_run is
 * called from the timer interrupt and must never find its own CPU holding
 * the lock.
 *
 * Hardware: after every change, the queue's earliest deadline is compared
 * with the one last passed to arch_timer_program, and the hardware is
 * reprogrammed when they differ (STIME_MAX: nothing pending).  This happens
 * under the queue lock so two CPUs arming timers on a third cannot leave it
 * programmed with the later of two deadlines.
 *
 * Late interrupts: the hardware's interrupt may come well after its
 * deadline (under QEMU on a loaded host, by milliseconds: the emulator's
 * thread that fires it waits for a host CPU while the vCPU runs on), so
 * the interrupt is not the only way in.  timer_overdue() tells the
 * hypercall preemption check that a deadline has passed, and the return to
 * a guest calls timer_run_overdue(), which does the interrupt's work then.
 * q->programmed is the queue's earliest deadline at every unlock, which is
 * what lets timer_overdue() read it without the lock.
 *
 * Handlers run with the lock dropped and the timer already dequeued, so they
 * may re-arm or stop any timer.  After a handler starts, timer_run never
 * touches that struct timer again.  kill_timer from another CPU waits for a
 * running handler to return, so the caller may free the timer (and what its
 * handler uses) afterwards; from the timer's own CPU no handler can be
 * running except the caller itself.  Do not kill a timer while holding a
 * lock its handler takes. */

#include <xen/smp.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/timer.h>

#define QUEUE_SLOTS 16384          /* 128 KiB of pointers; slot 0 unused */

struct timer_queue {
    spinlock_t lock;
    struct timer **heap;        /* heap[1..size]; heap[0] unused */
    unsigned int size;
    unsigned int capacity;
    s_time_t programmed;        /* last deadline given to the hardware */
    struct timer *running;      /* whose handler timer_run is in, or NULL */
};

static struct timer_queue *queues;
static unsigned int nr_queues;

int timers_init(unsigned int nr_cpus)
{
    struct timer_queue *q;
    unsigned int cpu;

    if ( nr_cpus == 0 || nr_cpus > NR_CPUS )
        return -EINVAL;
    if ( queues != NULL )
        return -EBUSY;

    q = xzalloc_array(struct timer_queue, nr_cpus);
    if ( q == NULL )
        return -ENOMEM;
    for ( cpu = 0; cpu < nr_cpus; cpu++ )
    {
        spin_lock_init(&q[cpu].lock);
        q[cpu].heap = xmalloc_array(struct timer *, QUEUE_SLOTS);
        if ( q[cpu].heap == NULL )
        {
            while ( cpu-- > 0 )
                xfree(q[cpu].heap);
            xfree(q);
            return -ENOMEM;
        }
        q[cpu].capacity = QUEUE_SLOTS - 1;
        q[cpu].programmed = STIME_MAX;
    }
    nr_queues = nr_cpus;
    queues = q;
    return 0;
}

static struct timer_queue *queue_of(unsigned int cpu)
{
    if ( queues == NULL )
        panic("timer: used before timers_init");
    if ( cpu >= nr_queues )
        panic("timer: cpu %u has no timer queue (%u cpus)", cpu, nr_queues);
    return &queues[cpu];
}

static inline void heap_put(struct timer_queue *q, unsigned int i,
                            struct timer *t)
{
    q->heap[i] = t;
    t->heap_index = i;
}

static void sift_up(struct timer_queue *q, unsigned int i)
{
    struct timer *t = q->heap[i];

    while ( i > 1 && q->heap[i / 2]->expires > t->expires )
    {
        heap_put(q, i, q->heap[i / 2]);
        i /= 2;
    }
    heap_put(q, i, t);
}

static void sift_down(struct timer_queue *q, unsigned int i)
{
    struct timer *t = q->heap[i];

    for ( ;; )
    {
        unsigned int child = 2 * i;

        if ( child > q->size )
            break;
        if ( child + 1 <= q->size &&
             q->heap[child + 1]->expires < q->heap[child]->expires )
            child++;
        if ( q->heap[child]->expires >= t->expires )
            break;
        heap_put(q, i, q->heap[child]);
        i = child;
    }
    heap_put(q, i, t);
}

/* Restore heap order around slot i after its deadline changed. */
static void reposition(struct timer_queue *q, unsigned int i)
{
    if ( i > 1 && q->heap[i / 2]->expires > q->heap[i]->expires )
        sift_up(q, i);
    else
        sift_down(q, i);
}

static void dequeue(struct timer_queue *q, struct timer *t)
{
    unsigned int i = t->heap_index;
    struct timer *last = q->heap[q->size];

    q->size--;
    t->heap_index = 0;
    if ( last != t )
    {
        heap_put(q, i, last);
        reposition(q, i);
    }
}

static inline s_time_t earliest(const struct timer_queue *q)
{
    return q->size ? q->heap[1]->expires : STIME_MAX;
}

/* Tell the hardware if the earliest deadline moved.  Lock held. */
static void sync_hardware(struct timer_queue *q, unsigned int cpu)
{
    s_time_t next = earliest(q);

    if ( next != q->programmed )
    {
        WRITE_ONCE(q->programmed, next);
        arch_timer_program(cpu, next);
    }
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
                unsigned int cpu)
{
    if ( fn == NULL )
        panic("timer: init_timer(%p) without a handler", t);
    t->expires = 0;
    t->function = fn;
    t->data = data;
    t->cpu = cpu;
    t->heap_index = 0;
    t->killed = false;
}

/* Lock the queue t lives on.  t->cpu changes only under both queue locks
 * (migrate_timer), so it is re-read under the lock until it agrees. */
static struct timer_queue *lock_timer(const struct timer *t,
                                      unsigned long *flags)
{
    for ( ;; )
    {
        unsigned int cpu = READ_ONCE(t->cpu);
        struct timer_queue *q = queue_of(cpu);

        spin_lock_irqsave(&q->lock, *flags);
        if ( likely(READ_ONCE(t->cpu) == cpu) )
            return q;
        spin_unlock_irqrestore(&q->lock, *flags);
    }
}

void set_timer(struct timer *t, s_time_t expires)
{
    unsigned long flags;
    struct timer_queue *q = lock_timer(t, &flags);

    if ( t->killed )
        goto out;
    t->expires = expires;
    if ( t->heap_index != 0 )
        reposition(q, t->heap_index);
    else
    {
        if ( q->size == q->capacity )
        {
            spin_unlock_irqrestore(&q->lock, flags);
            panic("timer: cpu %u queue full (%u timers)", t->cpu,
                  q->capacity);
        }
        q->size++;
        heap_put(q, q->size, t);
        sift_up(q, q->size);
    }
    sync_hardware(q, t->cpu);
 out:
    spin_unlock_irqrestore(&q->lock, flags);
}

void stop_timer(struct timer *t)
{
    unsigned long flags;
    struct timer_queue *q = lock_timer(t, &flags);

    if ( t->heap_index != 0 )
    {
        dequeue(q, t);
        sync_hardware(q, t->cpu);
    }
    spin_unlock_irqrestore(&q->lock, flags);
}

void kill_timer(struct timer *t)
{
    unsigned long flags;
    struct timer_queue *q = lock_timer(t, &flags);

    t->killed = true;
    if ( t->heap_index != 0 )
    {
        dequeue(q, t);
        sync_hardware(q, t->cpu);
    }
    if ( t->cpu != smp_processor_id() )
        while ( q->running == t )
        {
            spin_unlock_irqrestore(&q->lock, flags);
            cpu_relax();
            spin_lock_irqsave(&q->lock, flags);
        }
    spin_unlock_irqrestore(&q->lock, flags);
}

/* Move t to cpu's queue, keeping its deadline if it is armed.  The
 * scheduler calls this when a vCPU migrates, so that the vCPU's timers fire
 * where it now runs.  Both queue locks are taken, lower CPU first; a handler
 * of t still running on the old CPU is waited for (as kill_timer does), so
 * afterwards t belongs to the new CPU alone. */
void migrate_timer(struct timer *t, unsigned int cpu)
{
    unsigned int old = READ_ONCE(t->cpu);
    struct timer_queue *oq, *nq;
    unsigned long flags;

    if ( old == cpu || cpu >= nr_queues )
        return;
    oq = queue_of(old);
    nq = queue_of(cpu);
    flags = arch_local_irq_save();
    if ( old != smp_processor_id() )
        for ( ;; )
        {
            spin_lock(&oq->lock);
            if ( oq->running != t )
                break;
            spin_unlock(&oq->lock);
            cpu_relax();
        }
    else
        spin_lock(&oq->lock);
    spin_unlock(&oq->lock);
    spin_lock(old < cpu ? &oq->lock : &nq->lock);
    spin_lock(old < cpu ? &nq->lock : &oq->lock);
    if ( t->killed || t->cpu != old )
        goto out;
    if ( t->heap_index != 0 )
    {
        dequeue(oq, t);
        sync_hardware(oq, old);
        t->cpu = cpu;
        if ( nq->size == nq->capacity )
            panic("timer: cpu %u queue full (%u timers)", cpu, nq->capacity);
        nq->size++;
        heap_put(nq, nq->size, t);
        sift_up(nq, nq->size);
        sync_hardware(nq, cpu);
    }
    else
        t->cpu = cpu;
 out:
    spin_unlock(&nq->lock);
    spin_unlock(&oq->lock);
    arch_local_irq_restore(flags);
}

bool timer_is_active(const struct timer *t)
{
    return READ_ONCE(t->heap_index) != 0;
}

s_time_t timer_next_deadline(unsigned int cpu)
{
    struct timer_queue *q = queue_of(cpu);
    unsigned long flags;
    s_time_t next;

    spin_lock_irqsave(&q->lock, flags);
    next = earliest(q);
    spin_unlock_irqrestore(&q->lock, flags);
    return next;
}

s_time_t timer_run(unsigned int cpu, s_time_t now)
{
    struct timer_queue *q = queue_of(cpu);
    unsigned long flags;
    unsigned int budget;
    s_time_t next;

    spin_lock_irqsave(&q->lock, flags);
    /*
     * Run at most as many handlers as there were timers queued on entry, so
     * a handler that keeps re-arming in the past cannot hold this CPU here
     * forever; anything left over is already due and is retried promptly
     * because the hardware is programmed with its (past) deadline.
     */
    budget = q->size;
    while ( budget != 0 && q->size != 0 && q->heap[1]->expires <= now )
    {
        struct timer *t = q->heap[1];
        void (*fn)(void *) = t->function;
        void *data = t->data;

        dequeue(q, t);
        budget--;
        q->running = t;
        spin_unlock_irqrestore(&q->lock, flags);
        fn(data);
        spin_lock_irqsave(&q->lock, flags);
        q->running = NULL;
    }

    /* The one-shot has fired, so reprogram even if the value is unchanged. */
    next = earliest(q);
    WRITE_ONCE(q->programmed, next);
    arch_timer_program(cpu, next);
    spin_unlock_irqrestore(&q->lock, flags);
    return next;
}

bool timer_overdue(unsigned int cpu, s_time_t now)
{
    return READ_ONCE(queue_of(cpu)->programmed) <= now;
}

s_time_t timer_run_overdue(unsigned int cpu, s_time_t now)
{
    s_time_t due = READ_ONCE(queue_of(cpu)->programmed);
    unsigned long flags;

    if ( due > now )
        return STIME_MAX;
    /* As in the interrupt handler: a handler never runs with interrupts
     * on, so the late interrupt cannot start timer_run inside this one. */
    flags = arch_local_irq_save();
    timer_run(cpu, now);
    arch_local_irq_restore(flags);
    return due;
}
