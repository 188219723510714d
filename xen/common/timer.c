/* Software timers: a binary min-heap of pending timers per CPU.
 *
 * Each CPU's queue is an array heap[1..size] ordered by deadline; slot 1 is
 * the earliest.  A queued timer remembers its slot (heap_index), so moving or
 * removing it is O(log n) without a search.  Timers with equal deadlines all
 * run in the same timer_run pass, in no promised order.
 *
 * Capacity: queues start with room for INITIAL_CAPACITY timers and double
 * when full.  The bigger array is allocated with the queue unlocked (so no
 * other lock is ever taken inside a timer lock), then the caller starts over,
 * since the timer may have changed meanwhile.  Running out of memory there
 * is fatal: callers of set_timer cannot handle failure.
 *
 * Hardware: after every change, the queue's earliest deadline is compared
 * with the one last passed to arch_timer_program, and the hardware is
 * reprogrammed when they differ (STIME_MAX: nothing pending).  This happens
 * under the queue lock so two CPUs arming timers on a third cannot leave it
 * programmed with the later of two deadlines.
 *
 * Handlers run with the lock dropped and the timer already dequeued, so they
 * may re-arm or stop any timer.  After a handler starts, timer_run never
 * touches that struct timer again; whoever frees a killed timer must still
 * know its handler has returned. */

#include <asm/config.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/errno.h>
#include <xen/spinlock.h>
#include <xen/timer.h>

#define INITIAL_CAPACITY 64

struct timer_queue {
    spinlock_t lock;
    struct timer **heap;        /* heap[1..size]; heap[0] unused */
    unsigned int size;
    unsigned int capacity;
    s_time_t programmed;        /* last deadline given to the hardware */
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
        q[cpu].heap = xmalloc_array(struct timer *, INITIAL_CAPACITY + 1);
        if ( q[cpu].heap == NULL )
        {
            while ( cpu-- > 0 )
                xfree(q[cpu].heap);
            xfree(q);
            return -ENOMEM;
        }
        q[cpu].capacity = INITIAL_CAPACITY;
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
        q->programmed = next;
        arch_timer_program(cpu, next);
    }
}

/* Double the queue's array.  Called locked and full; returns unlocked. */
static void grow_queue_and_unlock(struct timer_queue *q, unsigned int cpu)
{
    unsigned int have = q->capacity;
    unsigned int want = have * 2;
    struct timer **bigger, **old;

    spin_unlock(&q->lock);
    if ( want <= have )
        panic("timer: cpu %u queue cannot grow past %u", cpu, have);
    bigger = xmalloc_array(struct timer *, (size_t)want + 1);
    if ( bigger == NULL )
        panic("timer: out of memory growing cpu %u queue to %u", cpu, want);

    spin_lock(&q->lock);
    old = bigger;
    if ( q->capacity < want )
    {
        memcpy(bigger + 1, q->heap + 1, q->size * sizeof(*bigger));
        old = q->heap;
        q->heap = bigger;
        q->capacity = want;
    }
    spin_unlock(&q->lock);
    xfree(old);
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

void set_timer(struct timer *t, s_time_t expires)
{
    struct timer_queue *q = queue_of(t->cpu);

    for ( ;; )
    {
        spin_lock(&q->lock);
        if ( t->killed )
            break;
        if ( t->heap_index != 0 )
        {
            t->expires = expires;
            reposition(q, t->heap_index);
            break;
        }
        if ( q->size < q->capacity )
        {
            t->expires = expires;
            q->size++;
            heap_put(q, q->size, t);
            sift_up(q, q->size);
            break;
        }
        grow_queue_and_unlock(q, t->cpu);
    }
    sync_hardware(q, t->cpu);
    spin_unlock(&q->lock);
}

void stop_timer(struct timer *t)
{
    struct timer_queue *q = queue_of(t->cpu);

    spin_lock(&q->lock);
    if ( t->heap_index != 0 )
    {
        dequeue(q, t);
        sync_hardware(q, t->cpu);
    }
    spin_unlock(&q->lock);
}

void kill_timer(struct timer *t)
{
    struct timer_queue *q = queue_of(t->cpu);

    spin_lock(&q->lock);
    t->killed = true;
    if ( t->heap_index != 0 )
    {
        dequeue(q, t);
        sync_hardware(q, t->cpu);
    }
    spin_unlock(&q->lock);
}

bool timer_is_active(const struct timer *t)
{
    return READ_ONCE(t->heap_index) != 0;
}

s_time_t timer_next_deadline(unsigned int cpu)
{
    struct timer_queue *q = queue_of(cpu);
    s_time_t next;

    spin_lock(&q->lock);
    next = earliest(q);
    spin_unlock(&q->lock);
    return next;
}

s_time_t timer_run(unsigned int cpu, s_time_t now)
{
    struct timer_queue *q = queue_of(cpu);
    unsigned int budget;
    s_time_t next;

    spin_lock(&q->lock);
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
        spin_unlock(&q->lock);
        fn(data);
        spin_lock(&q->lock);
    }

    /* The one-shot has fired, so reprogram even if the value is unchanged. */
    next = earliest(q);
    q->programmed = next;
    arch_timer_program(cpu, next);
    spin_unlock(&q->lock);
    return next;
}
