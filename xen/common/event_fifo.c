/*
 * Event channels, FIFO ABI: the port ops behind d->evtchn_ops once a guest
 * called EVTCHNOP_init_control, and that call and expand_array.
 *
 * The guest gives, per vCPU, a control block (a frame and an offset in it:
 * READY bits and the HEAD of each of the 16 priority queues) and, for the
 * whole domain, event array pages added one at a time (1,024 32-bit event
 * words each: PENDING, MASKED, LINKED, BUSY and a 17-bit LINK to the next
 * port of the same queue).  The hypervisor keeps each queue's TAIL.
 * Raising a port sets PENDING; if the word is neither MASKED nor already
 * LINKED it is LINKED and appended: the old tail's LINK is set to it if
 * that tail is still LINKED (the guest has not consumed it yet), else it
 * becomes HEAD.  Then the queue's READY bit and, if that bit was clear,
 * upcall_pending, as for the 2-level ABI.  The guest consumes a queue by
 * clearing LINKED (and LINK) of its head and following the link.
 *
 * Every frame the hypervisor writes is held with a writable type reference
 * while registered, so the guest cannot make it a page table or descriptor
 * page; they all go at EVTCHNOP_reset and at domain destruction.  Words
 * are guest memory: only atomic 32-bit accesses, and a guest racing with
 * a LINK update gets at worst a muddled queue of its own.
 *
 * Locking: everything here runs under d->event_lock (interrupts off),
 * which also makes the per-queue tails consistent.
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/arch-hooks.h>
#include <public/event_channel.h>

#define WORDS_PER_PAGE  (PAGE_SIZE / sizeof(event_word_t))
/* (d->evtchn_fifo stays allocated from the first switch until the domain
 * is destroyed, so that the audit may read it; d->evtchn_ops says which
 * ABI is on.) */
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

#define W_PENDING (1U << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1U << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1U << EVTCHN_FIFO_LINKED)
#define W_BUSY    (1U << EVTCHN_FIFO_BUSY)

struct fifo_vcpu {
    struct evtchn_fifo_control_block *cb;   /* NULL: not registered */
    mfn_t cb_mfn;
    uint32_t tail[EVTCHN_FIFO_MAX_QUEUES];  /* 0: queue empty for us */
};

struct evtchn_fifo_domain {
    event_word_t *array[MAX_ARRAY_PAGES];
    mfn_t array_mfn[MAX_ARRAY_PAGES];
    unsigned int nr_pages;
    struct fifo_vcpu vcpu[MAX_VCPUS];
};

static bool fifo_active(const struct domain *d)
{
    return d->evtchn_ops == &evtchn_port_ops_fifo;
}

static event_word_t *word_of(const struct domain *d, unsigned int port)
{
    const struct evtchn_fifo_domain *f = d->evtchn_fifo;

    if ( f == NULL || port >= f->nr_pages * WORDS_PER_PAGE )
        return NULL;
    return &f->array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static uint32_t word_read(const event_word_t *w)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static uint32_t word_or(event_word_t *w, uint32_t bits)
{
    return __atomic_fetch_or(w, bits, __ATOMIC_SEQ_CST);
}

static void word_clear(event_word_t *w, uint32_t bits)
{
    __atomic_fetch_and(w, ~bits, __ATOMIC_SEQ_CST);
}

/* Point a still-LINKED tail word at port.  false if the guest consumed it
 * already (or keeps changing it under us): port then starts the queue. */
static bool set_link(event_word_t *tail, unsigned int port)
{
    for ( unsigned int tries = 0; tries < 64; tries++ )
    {
        uint32_t old = word_read(tail), new;

        if ( !(old & W_LINKED) )
            return false;
        new = (old & ~(W_BUSY | EVTCHN_FIFO_LINK_MASK)) | port;
        if ( __atomic_compare_exchange_n(tail, &old, new, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) )
            return true;
    }
    return false;
}

/* Append port to its queue unless masked or already queued. */
static void fifo_link(struct domain *d, unsigned int port, struct evtchn *chn,
                      event_word_t *w)
{
    struct evtchn_fifo_domain *f = d->evtchn_fifo;
    unsigned int vid = chn->notify_vcpu, prio = chn->priority;
    struct fifo_vcpu *fv;
    struct vcpu *v;
    uint32_t tail;
    bool linked = false;

    if ( vid >= d->max_vcpus || vid >= MAX_VCPUS ||
         (v = d->vcpu[vid]) == NULL || prio > EVTCHN_FIFO_PRIORITY_MIN )
        return;
    fv = &f->vcpu[vid];
    if ( fv->cb == NULL )
        return;                 /* no control block yet: stays pending */
    if ( word_read(w) & (W_MASKED | W_LINKED) )
        return;
    if ( word_or(w, W_LINKED) & W_LINKED )
        return;

    /* Queued elsewhere last time, as that queue's tail: the tail must not
     * be followed into the queue it is joining now. */
    if ( (chn->last_vcpu != vid || chn->last_priority != prio) &&
         chn->last_vcpu < MAX_VCPUS &&
         chn->last_priority <= EVTCHN_FIFO_PRIORITY_MIN &&
         f->vcpu[chn->last_vcpu].tail[chn->last_priority] == port )
        f->vcpu[chn->last_vcpu].tail[chn->last_priority] = 0;
    chn->last_vcpu = vid;
    chn->last_priority = prio;

    tail = fv->tail[prio];
    if ( tail != 0 && tail != port )
    {
        event_word_t *tw = word_of(d, tail);

        linked = tw != NULL && set_link(tw, port);
    }
    if ( !linked )
        __atomic_store_n(&fv->cb->head[prio], port, __ATOMIC_SEQ_CST);
    fv->tail[prio] = port;

    if ( !(__atomic_fetch_or(&fv->cb->ready, 1U << prio, __ATOMIC_SEQ_CST) &
           (1U << prio)) )
        evtchn_mark_pending_locked(v);
}

static void fifo_set_pending(struct domain *d, unsigned int port,
                             struct evtchn *chn)
{
    event_word_t *w = word_of(d, port);

    if ( w == NULL )
    {
        /* No array page for it yet: raised when the page comes. */
        if ( !chn->fifo_pending )
            evtchn_wake_pollers_locked(d, port);
        chn->fifo_pending = 1;
        return;
    }
    if ( !(word_or(w, W_PENDING) & W_PENDING) )
        evtchn_wake_pollers_locked(d, port);
    fifo_link(d, port, chn, w);
}

static void fifo_clear_pending(struct domain *d, unsigned int port,
                               struct evtchn *chn)
{
    event_word_t *w = word_of(d, port);

    chn->fifo_pending = 0;
    if ( w != NULL )
        word_clear(w, W_PENDING);
}

static void fifo_unmask(struct domain *d, unsigned int port,
                        struct evtchn *chn)
{
    event_word_t *w = word_of(d, port);

    if ( w == NULL )
        return;
    word_clear(w, W_MASKED);
    if ( word_read(w) & W_PENDING )
        fifo_link(d, port, chn, w);
}

static bool fifo_is_pending(const struct domain *d, unsigned int port,
                            const struct evtchn *chn)
{
    const event_word_t *w = word_of(d, port);

    return w == NULL ? chn->fifo_pending : (word_read(w) & W_PENDING) != 0;
}

static bool fifo_is_busy(const struct domain *d, unsigned int port)
{
    const event_word_t *w = word_of(d, port);

    return w != NULL && (word_read(w) & W_LINKED);
}

/* Only later events go to the new vCPU; one already queued stays. */
static void fifo_moved(struct domain *d, unsigned int port,
                       struct evtchn *chn)
{
}

static int fifo_set_priority(struct domain *d, struct evtchn *chn,
                             unsigned int priority)
{
    if ( priority > EVTCHN_FIFO_PRIORITY_MIN )
        return -EINVAL;
    chn->priority = priority;   /* a queued event stays where it is */
    return 0;
}

const struct evtchn_port_ops evtchn_port_ops_fifo = {
    .set_pending   = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask        = fifo_unmask,
    .is_pending    = fifo_is_pending,
    .is_busy       = fifo_is_busy,
    .moved         = fifo_moved,
    .set_priority  = fifo_set_priority,
};

/* A writable type reference on one of d's frames: 0 or -EINVAL. */
static int get_writable(struct domain *d, uint64_t gfn)
{
    if ( gfn >= INVALID_MFN || !mfn_in_frame_table((mfn_t)gfn) ||
         get_page_and_type(mfn_to_page((mfn_t)gfn), d, PGT_writable_page) )
        return -EINVAL;
    return 0;
}

static void *frame_virt(uint64_t mfn)
{
    return maddr_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

int evtchn_fifo_init_control(struct domain *d,
                             const struct evtchn_init_control *a)
{
    struct evtchn_fifo_domain *f = NULL;
    struct evtchn **buckets = NULL;
    unsigned long flags;
    int rc = 0;

    if ( a->vcpu >= d->max_vcpus || a->vcpu >= MAX_VCPUS ||
         d->vcpu[a->vcpu] == NULL )
        return -ENOENT;
    /* Inside the page, 8-byte aligned. */
    if ( a->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) ||
         (a->offset & 7) )
        return -EINVAL;
    if ( READ_ONCE(d->evtchn_fifo) == NULL )
    {
        f = xzalloc(struct evtchn_fifo_domain);
        if ( d->evtchn_buckets == NULL )
            buckets = xzalloc_array(struct evtchn *, EVTCHN_NR_BUCKETS);
        if ( f == NULL || (d->evtchn_buckets == NULL && buckets == NULL) )
        {
            xfree(f);
            xfree(buckets);
            return -ENOMEM;
        }
    }
    if ( get_writable(d, a->control_gfn) )
    {
        xfree(f);
        xfree(buckets);
        return -EINVAL;
    }

    spin_lock_irqsave(&d->event_lock, flags);
    if ( d->evtchn == NULL )
        rc = -EINVAL;                   /* being destroyed */
    else if ( !fifo_active(d) && d->evtchn_fifo == NULL && f == NULL )
        rc = -ENOMEM;                   /* lost a race with another switch */
    else if ( !fifo_active(d) )
    {
        /* The switch: bound ports keep their pending state (until their
         * array page comes) and get the default priority. */
        if ( d->evtchn_buckets == NULL )
        {
            d->evtchn_buckets = buckets;
            buckets = NULL;
        }
        for ( unsigned int port = 1; port < NR_EVTCHN_2L; port++ )
        {
            struct evtchn *chn = &d->evtchn[port];

            chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
            chn->fifo_pending = chn->state != ECS_FREE &&
                test_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
        }
        if ( d->evtchn_fifo == NULL )
        {
            d->evtchn_fifo = f;
            f = NULL;
        }
        d->max_evtchns = EVTCHN_FIFO_NR_CHANNELS;
        d->evtchn_ops = &evtchn_port_ops_fifo;
    }
    if ( rc == 0 && d->evtchn_fifo->vcpu[a->vcpu].cb != NULL )
        rc = -EINVAL;                   /* once per vCPU */
    if ( rc == 0 )
    {
        struct fifo_vcpu *fv = &d->evtchn_fifo->vcpu[a->vcpu];

        memset(fv->tail, 0, sizeof(fv->tail));
        fv->cb_mfn = a->control_gfn;
        fv->cb = (void *)((char *)frame_virt(a->control_gfn) + a->offset);
    }
    else
        put_page_and_type(mfn_to_page((mfn_t)a->control_gfn));
    spin_unlock_irqrestore(&d->event_lock, flags);
    xfree(f);
    xfree(buckets);
    return rc;
}

int evtchn_fifo_expand_array(struct domain *d, uint64_t array_gfn)
{
    struct evtchn_fifo_domain *f;
    unsigned long flags;
    unsigned int first;
    int rc = 0;

    f = READ_ONCE(d->evtchn_fifo);
    if ( f == NULL || !fifo_active(d) )
        return -EOPNOTSUPP;
    if ( READ_ONCE(f->nr_pages) >= MAX_ARRAY_PAGES )
        return -ENOSPC;
    if ( get_writable(d, array_gfn) )
        return -EINVAL;

    spin_lock_irqsave(&d->event_lock, flags);
    f = d->evtchn_fifo;
    if ( !fifo_active(d) )
        rc = -EOPNOTSUPP;               /* reset meanwhile */
    else if ( f->nr_pages >= MAX_ARRAY_PAGES )
        rc = -ENOSPC;
    if ( rc )
    {
        put_page_and_type(mfn_to_page((mfn_t)array_gfn));
        spin_unlock_irqrestore(&d->event_lock, flags);
        return rc;
    }
    first = f->nr_pages * WORDS_PER_PAGE;
    f->array[f->nr_pages] = frame_virt(array_gfn);
    f->array_mfn[f->nr_pages] = array_gfn;
    f->nr_pages++;
    /* Events raised while these ports had no word. */
    for ( unsigned int port = first; port < first + WORDS_PER_PAGE; port++ )
    {
        struct evtchn *chn = evtchn_port_to_chn(d, port);

        if ( chn != NULL && chn->fifo_pending )
        {
            chn->fifo_pending = 0;
            fifo_set_pending(d, port, chn);
        }
    }
    spin_unlock_irqrestore(&d->event_lock, flags);
    return 0;
}

void evtchn_fifo_destroy(struct domain *d)
{
    struct evtchn_fifo_domain *f = d->evtchn_fifo;

    if ( f == NULL || !fifo_active(d) )
        return;
    d->max_evtchns = NR_EVTCHN_2L;
    d->evtchn_ops = &evtchn_port_ops_2l;
    for ( unsigned int i = 0; i < MAX_VCPUS; i++ )
        if ( f->vcpu[i].cb != NULL )
            put_page_and_type(mfn_to_page(f->vcpu[i].cb_mfn));
    for ( unsigned int i = 0; i < f->nr_pages; i++ )
        put_page_and_type(mfn_to_page(f->array_mfn[i]));
    memset(f, 0, sizeof(*f));
    for ( unsigned int port = 0; port < NR_EVTCHN_2L; port++ )
        d->evtchn[port].fifo_pending = 0;
}

unsigned long evtchn_fifo_audit_refs(const struct domain *d, mfn_t mfn)
{
    const struct evtchn_fifo_domain *f = READ_ONCE(d->evtchn_fifo);
    unsigned long refs = 0;

    if ( f == NULL )
        return 0;
    for ( unsigned int i = 0; i < MAX_VCPUS; i++ )
        if ( READ_ONCE(f->vcpu[i].cb) != NULL && f->vcpu[i].cb_mfn == mfn )
            refs++;
    for ( unsigned int i = 0; i < READ_ONCE(f->nr_pages) &&
                              i < MAX_ARRAY_PAGES; i++ )
        if ( f->array_mfn[i] == mfn )
            refs++;
    return refs;
}
