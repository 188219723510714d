/* Unit tests for event delivery in xen/common/event_channel.c: the raise
 * protocol (pending, mask, selector, upcall, kick), unmask re-raising, and
 * a guest handler thread racing with raises. */

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "evtchn_test.h"
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <public/event_channel.h>


/* The exact 2-level protocol, step by step. */
static void raise_protocol(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu_info *vi = vi_of(d, 0);
    unsigned int a, b, far;

    set_current(d->vcpu[0]);
    for ( unsigned int i = 0; i < 70; i++ )
        ev_bind_ipi(0);
    a = 3;
    b = 5;                              /* same selector word as a */
    far = 66;                           /* word 1 */

    /* Masked: pending only. */
    port_mask(d, a, true);
    evtchn_port_set_pending(d, a);
    CHECK(port_pending(d, a));
    CHECK_EQ(vi->evtchn_pending_sel, 0);
    CHECK_EQ(vi->evtchn_upcall_pending, 0);

    /* Already pending: the edge is not repeated even after unmasking by
     * hand (the guest must then do the selector step itself). */
    port_mask(d, a, false);
    evtchn_port_set_pending(d, a);
    CHECK_EQ(vi->evtchn_pending_sel, 0);
    CHECK_EQ(vi->evtchn_upcall_pending, 0);

    /* Fresh edge: pending, selector, upcall. */
    port_clear_pending(d, a);
    evtchn_port_set_pending(d, a);
    CHECK(port_pending(d, a));
    CHECK_EQ(vi->evtchn_pending_sel, 1);
    CHECK_EQ(vi->evtchn_upcall_pending, 1);

    /* Selector bit already set: upcall_pending is not touched again. */
    vi->evtchn_upcall_pending = 0;
    evtchn_port_set_pending(d, b);
    CHECK(port_pending(d, b));
    CHECK_EQ(vi->evtchn_upcall_pending, 0);
    /* A new word sets its selector bit and the upcall flag. */
    evtchn_port_set_pending(d, far);
    CHECK_EQ(vi->evtchn_pending_sel, 3);
    CHECK_EQ(vi->evtchn_upcall_pending, 1);
    /* Out of range: ignored. */
    evtchn_port_set_pending(d, 4096);
    evtchn_port_set_pending(d, 100000);
    CHECK(vcpu_event_deliverable(d->vcpu[0]));
    vi->evtchn_upcall_mask = 1;
    CHECK(!vcpu_event_deliverable(d->vcpu[0]));
}

static void kick_decisions(void)
{
    struct domain *d = dom_new(1, 3, false);
    unsigned int p0 = 0, p1 = 0, p2 = 0;

    set_current(d->vcpu[0]);
    p0 = ev_bind_ipi(0);
    p1 = ev_bind_ipi(1);
    p2 = ev_bind_ipi(2);

    /* vCPU 1 blocked: woken. */
    d->vcpu[1]->state = VCPU_BLOCKED;
    evtchn_port_set_pending(d, p1);
    CHECK_EQ(sched_log.wakes, 1);
    CHECK_EQ(d->vcpu[1]->state, VCPU_RUNNABLE);

    /* vCPU 2 running on CPU 2 while we are CPU 0: IPI. */
    d->vcpu[2]->state = VCPU_RUNNING;
    evtchn_port_set_pending(d, p2);
    CHECK_EQ(sched_log.kicks[2], 1);
    CHECK_EQ(sched_log.wakes, 1);
    /* Upcall already pending: nothing more to say. */
    port_clear_pending(d, p2);
    vi_of(d, 2)->evtchn_pending_sel = 0;
    evtchn_port_set_pending(d, p2);
    CHECK_EQ(sched_log.kicks[2], 1);

    /* Ourselves, running here: the return path looks; no IPI. */
    evtchn_port_set_pending(d, p0);
    CHECK_EQ(vi_of(d, 0)->evtchn_upcall_pending, 1);
    for ( unsigned int c = 0; c < HOST_CPUS; c++ )
        CHECK_EQ(sched_log.kicks[c], c == 2);

    /* Runnable, waiting for its CPU: nothing to do either. */
    clear_upcalls(d);
    port_clear_pending(d, p1);
    evtchn_port_set_pending(d, p1);
    CHECK_EQ(sched_log.wakes, 1);
    CHECK_EQ(sched_log.kicks[1], 0);

    /* The public entry point does the same. */
    clear_upcalls(d);
    d->vcpu[1]->state = VCPU_BLOCKED;
    vcpu_mark_events_pending(d->vcpu[1]);
    CHECK_EQ(vi_of(d, 1)->evtchn_upcall_pending, 1);
    CHECK_EQ(sched_log.wakes, 2);
}

static void unmask_reraises(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct evtchn_unmask u;
    unsigned int p;

    set_current(d->vcpu[0]);
    p = ev_bind_ipi(1);
    port_mask(d, p, true);
    CHECK_EQ(send_port(p), 0);
    CHECK(port_pending(d, p));
    CHECK_EQ(vi_of(d, 1)->evtchn_upcall_pending, 0);

    d->vcpu[1]->state = VCPU_BLOCKED;
    u = (struct evtchn_unmask){ .port = p };
    CHECK_EQ(evtchn_op(EVTCHNOP_unmask, &u, sizeof(u)), 0);
    CHECK(!port_masked(d, p));
    CHECK(sel_bit(d, 1, p));
    CHECK_EQ(vi_of(d, 1)->evtchn_upcall_pending, 1);
    CHECK_EQ(vi_of(d, 0)->evtchn_upcall_pending, 0);
    CHECK_EQ(d->vcpu[1]->state, VCPU_RUNNABLE);     /* kicked awake */

    /* Nothing pending: unmask only unmasks. */
    clear_upcalls(d);
    port_clear_pending(d, p);
    port_mask(d, p, true);
    CHECK_EQ(evtchn_op(EVTCHNOP_unmask, &u, sizeof(u)), 0);
    CHECK(!port_masked(d, p));
    CHECK_EQ(vi_of(d, 1)->evtchn_pending_sel, 0);
    CHECK_EQ(vi_of(d, 1)->evtchn_upcall_pending, 0);

    u.port = 4096;
    CHECK_EQ(evtchn_op(EVTCHNOP_unmask, &u, sizeof(u)), -EINVAL);
}

/* ---- A guest handler racing with raises ---- */

#define RACE_PORTS  300
#define RACE_EVENTS 100000
/* A lost edge shows as no progress at all: the handler never sees the
 * port again.  So "stuck" is RACE_STALL_SECONDS without one more event
 * handled, not a bound on the whole run, which a loaded machine can
 * stretch as far as it likes. */
#define RACE_STALL_SECONDS 120

struct race {
    struct domain *d;
    volatile uint8_t in_flight[RACE_PORTS + 1];
    unsigned long raised, handled, spurious;
    volatile bool done;
};

/* What Linux's 2-level upcall handler does, in the same order. */
static void *guest_handler(void *arg)
{
    struct race *r = arg;
    struct vcpu_info *vi = r->d->vcpu[0]->vcpu_info;
    unsigned long *pending = (unsigned long *)r->d->shared_info->evtchn_pending;
    unsigned long *mask = (unsigned long *)r->d->shared_info->evtchn_mask;

    for ( ;; )
    {
        bool finishing = __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);

        if ( __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) )
        {
            unsigned long sel;

            __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
            sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
                                      __ATOMIC_SEQ_CST);
            for ( unsigned int w = 0; w < 64; w++ )
            {
                unsigned long bits;

                if ( !(sel & (1UL << w)) )
                    continue;
                bits = __atomic_load_n(&pending[w], __ATOMIC_SEQ_CST) &
                       ~__atomic_load_n(&mask[w], __ATOMIC_SEQ_CST);
                while ( bits )
                {
                    unsigned int p = w * 64 + __builtin_ctzl(bits);

                    bits &= bits - 1;
                    if ( !test_and_clear_bit(p, pending) )
                        continue;
                    if ( p > RACE_PORTS || !r->in_flight[p] )
                        r->spurious++;
                    else
                    {
                        __atomic_add_fetch(&r->handled, 1, __ATOMIC_RELEASE);
                        __atomic_store_n(&r->in_flight[p], 0, __ATOMIC_RELEASE);
                    }
                }
            }
        }
        else if ( finishing )
            break;
    }
    return NULL;
}

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Each event handled since the last look moves the stall deadline on. */
static void race_progress(struct race *r, unsigned long *seen,
                          double *deadline)
{
    unsigned long h = __atomic_load_n(&r->handled, __ATOMIC_ACQUIRE);

    if ( h != *seen )
    {
        *seen = h;
        *deadline = seconds() + RACE_STALL_SECONDS;
    }
}

static void race_stuck(struct race *r, const char *where)
{
    struct vcpu_info *vi = r->d->vcpu[0]->vcpu_info;
    unsigned long *pending = (unsigned long *)r->d->shared_info->evtchn_pending;

    FAIL("%s: handled %lu of %lu; upcall_pending %u, sel %#lx, pending "
         "words 0-4 %#lx %#lx %#lx %#lx %#lx", where, r->handled, r->raised,
         vi->evtchn_upcall_pending, (unsigned long)vi->evtchn_pending_sel,
         pending[0], pending[1], pending[2], pending[3], pending[4]);
}

/* Every edge raised while the guest's handler runs concurrently must be
 * handled exactly once: a lost selector or upcall step would leave a port
 * pending with nobody told. */
static void handler_race_loses_nothing(void)
{
    struct race *r = calloc(1, sizeof(*r));
    double deadline = seconds() + RACE_STALL_SECONDS;
    unsigned long seen = 0;
    pthread_t t;

    r->d = dom_new(1, 1, false);
    set_current(r->d->vcpu[0]);
    for ( unsigned int i = 0; i < RACE_PORTS; i++ )
        ev_bind_ipi(0);
    if ( pthread_create(&t, NULL, guest_handler, r) != 0 )
        FAIL("pthread_create");
    while ( r->raised < RACE_EVENTS )
    {
        unsigned int p = 1 + rng_next() % RACE_PORTS;

        /* Only raise a port whose last edge was consumed, so every raise
         * is a new edge the handler must see exactly once. */
        if ( __atomic_load_n(&r->in_flight[p], __ATOMIC_ACQUIRE) )
        {
            race_progress(r, &seen, &deadline);
            if ( seconds() > deadline )
                race_stuck(r, "raising");
            sched_yield();
            continue;
        }
        __atomic_store_n(&r->in_flight[p], 1, __ATOMIC_RELEASE);
        r->raised++;
        evtchn_port_set_pending(r->d, p);
    }
    /* Let the handler drain, then stop it. */
    while ( __atomic_load_n(&r->handled, __ATOMIC_ACQUIRE) < r->raised )
    {
        race_progress(r, &seen, &deadline);
        if ( seconds() > deadline )
            race_stuck(r, "draining");
        sched_yield();
    }
    __atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    CHECK_EQ(r->handled, r->raised);
    CHECK_EQ(r->spurious, 0);
    for ( unsigned int p = 0; p < 4096; p++ )
        CHECK(!port_pending(r->d, p));
}

const struct test_case evtchn_delivery_cases[] = {
    { "evtchn/raise-protocol", raise_protocol },
    { "evtchn/kick-decisions", kick_decisions },
    { "evtchn/unmask-reraises", unmask_reraises },
    { "evtchn/handler-race-loses-nothing", handler_race_loses_nothing },
    { NULL, NULL },
};
