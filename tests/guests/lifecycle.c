/*
 * lifecycle: a domain's life and death as dom0 sees it through dom0_op,
 * with other holders of the domain around (audit findings 9.7 and 10.3).
 *
 *  - create a domain, offer one of its ports to us (alloc_unbound on its
 *    behalf) and bind it: both ends report the interdomain binding;
 *  - destroy it while bound: our end falls back to unbound (waiting for
 *    the dead domain), sending on it is dropped, the domid is gone
 *    (-ESRCH for info, bind and alloc_unbound), and the same id can be
 *    created again and bound again;
 *  - destroy domains while our second vCPU is in the middle of a long
 *    increase_reservation on their behalf (it holds the domain): that call
 *    must end (a partial count or -ESRCH), and every frame must come back
 *    (free pages equal the baseline after 20 such deaths), with the
 *    hypervisor's frame audit clean (booted with mm_audit);
 *  - destroy domains while our second vCPU gives their 2 MiB extents back
 *    with decrease_reservation: no panic, each call 1, 0 or -ESRCH, and
 *    again every frame comes back.
 *
 * On the old code the last part panicked the hypervisor (a checked extent
 * released frame by frame while the teardown took its frames); the
 * reservation part kept a bare pointer across the destroy.
 */
#include "guest.h"
#include "second-vcpu.h"

#define MS          1000000ULL
#define CYCLES      20
#define RESV_FRAMES 16384       /* 64 MiB: long enough to be cut short */

static struct xen_dom0_op op;

static long call(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static void clear(void)
{
    memset(&op, 0, sizeof(op));
}

static long create(domid_t want, uint64_t max_pages, domid_t *got)
{
    long rc;

    clear();
    op.u.createdomain.domid = want;
    op.u.createdomain.max_pages = max_pages;
    op.u.createdomain.max_vcpus = 1;
    rc = call(XEN_DOM0_createdomain);
    if ( rc == 0 )
        *got = op.u.createdomain.domid;
    return rc;
}

static long destroy(domid_t id)
{
    clear();
    op.u.domain.domid = id;
    return call(XEN_DOM0_destroydomain);
}

static long getinfo(domid_t id, struct xen_dom0_domaininfo *info)
{
    long rc;

    clear();
    op.u.getdomaininfo.domid = id;
    rc = call(XEN_DOM0_getdomaininfo);
    if ( rc == 0 && info )
        *info = op.u.getdomaininfo.info;
    return rc;
}

static uint64_t free_pages(void)
{
    clear();
    if ( call(XEN_DOM0_physinfo) )
        test_abort("physinfo", "failed");
    return op.u.physinfo.free_pages;
}

static long offer_port(domid_t owner, domid_t to, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = owner, .remote_dom = to };
    long rc = hv_evtchn_op(EVTCHNOP_alloc_unbound, &a);

    *port = a.port;
    return rc;
}

static long bind_to(domid_t remote, evtchn_port_t rport, evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain b = {
        .remote_dom = remote, .remote_port = rport,
    };
    long rc = hv_evtchn_op(EVTCHNOP_bind_interdomain, &b);

    *lport = b.local_port;
    return rc;
}

static long status_of(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return hv_evtchn_op(EVTCHNOP_status, st);
}

/* ---- Destroy while bound ------------------------------------------------ */

static void test_destroy_while_bound(void)
{
    struct evtchn_status st;
    evtchn_port_t rport, lport, lport2, p;
    struct evtchn_send s;
    domid_t id, id2;

    CHECK_EQ(create(DOMID_INVALID, 256, &id), 0, "create a domain");
    CHECK_EQ(offer_port(id, 0, &rport), 0, "alloc_unbound in it, offered to us");
    CHECK_EQ(bind_to(id, rport, &lport), 0, "bind_interdomain to it");
    CHECK(status_of(DOMID_SELF, lport, &st) == 0 &&
          st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == id &&
          st.u.interdomain.port == rport, "our end: interdomain to its port");
    CHECK(status_of(id, rport, &st) == 0 &&
          st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
          st.u.interdomain.port == lport, "its end: interdomain to ours");

    CHECK_EQ(destroy(id), 0, "destroy it while bound");
    CHECK(status_of(DOMID_SELF, lport, &st) == 0 &&
          st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == id,
          "our end is unbound, waiting for the dead domain");
    s.port = lport;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_send, &s), 0, "sending on it is dropped");
    CHECK_EQ(getinfo(id, NULL), -ESRCH, "getdomaininfo of the dead domid is -ESRCH");
    CHECK_EQ(destroy(id), -ESRCH, "a second destroy is -ESRCH");
    CHECK_EQ(bind_to(id, rport, &p), -ESRCH, "bind_interdomain to it is -ESRCH");
    CHECK_EQ(offer_port(id, 0, &p), -ESRCH, "alloc_unbound in it is -ESRCH");
    CHECK(status_of(id, rport, &st) == -ESRCH, "its ports are gone (-ESRCH)");

    CHECK_EQ(create(id, 256, &id2), 0, "the same id can be created again");
    CHECK_EQ(id2, id, "and it has that id");
    CHECK_EQ(offer_port(id, 0, &rport), 0, "alloc_unbound in the new one");
    CHECK_EQ(bind_to(id, rport, &lport2), 0, "bind_interdomain to the new one");
    CHECK_EQ(evtchn_close(lport2), 0, "close our new end");
    CHECK(status_of(id, rport, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
          st.u.unbound.dom == 0, "its end went back to unbound, offered to us");
    CHECK_EQ(evtchn_close(lport), 0, "close the end that outlived its peer");
    CHECK_EQ(destroy(id), 0, "destroy the new one");
    CHECK_EQ(getinfo(id, NULL), -ESRCH, "and it is gone too");
}

/* ---- Destroy under a holder on the other vCPU --------------------------- */

#define BIG_ORDER   9               /* 2 MiB extents: long to release */
#define BIG_EXTENTS 16

enum v1_job { JOB_INCREASE, JOB_DECREASE };

static volatile unsigned int go, finished;
static volatile enum v1_job job;
static volatile domid_t victim;
static volatile long v1_rc;
static volatile int v1_started;
static volatile unsigned int v1_released, v1_bad;
static xen_pfn_t v1_list[RESV_FRAMES];

/* Give the victim's big extents back one by one until it is gone. */
static void decrease_victim(void)
{
    v1_released = v1_bad = 0;
    v1_started = 1;
    for ( unsigned int i = 0; i < BIG_EXTENTS; i++ )
    {
        struct xen_memory_reservation r = {
            .nr_extents = 1, .extent_order = BIG_ORDER, .domid = victim,
        };
        long rc;

        r.extent_start.p = &v1_list[i];
        rc = hv_memory_op(XENMEM_decrease_reservation, &r);
        if ( rc == 1 )
            v1_released++;
        else if ( rc == -ESRCH )
            break;
        else if ( rc != 0 )
            v1_bad++;
    }
}

static void __attribute__((noreturn)) vcpu1_main(void)
{
    unsigned int seen = 0;

    for ( ;; )
    {
        struct xen_memory_reservation r = {
            .nr_extents = RESV_FRAMES, .extent_order = 0,
        };

        while ( go == seen )
            cpu_relax();
        seen = go;
        if ( job == JOB_DECREASE )
            decrease_victim();
        else
        {
            r.domid = victim;
            r.extent_start.p = v1_list;
            v1_started = 1;
            v1_rc = hv_memory_op(XENMEM_increase_reservation, &r);
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        finished = seen;
    }
}

/*
 * The toolstack gives a domain's 2 MiB extents back (decrease_reservation
 * on its behalf, vCPU 1) while it destroys the domain (vCPU 0): each
 * extent goes back exactly once, by the call or by the teardown.  The old
 * code checked an extent, then released it frame by frame; a teardown in
 * between took frames the release still counted on, and it panicked.
 */
/* Hands vCPU 1 its job on domain id as round c (it starts once go = c). */
static void v1_give(enum v1_job what, domid_t id, unsigned int c)
{
    victim = id;
    job = what;
    v1_started = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    go = c;
}

/* Waits for vCPU 1 to finish round c, until it has run 20 s of its own
 * (not the clock's: a loaded host that runs it late is no failure);
 * whether it did. */
static int v1_finished(unsigned int c)
{
    uint64_t end = vcpu_ran_ns(1) + 20000 * MS;

    while ( finished != c && vcpu_ran_ns(1) < end )
        cpu_relax();
    return finished == c;
}

static void test_destroy_under_decrease(unsigned int c, uint64_t baseline)
{
    struct xen_memory_reservation r = {
        .nr_extents = BIG_EXTENTS, .extent_order = BIG_ORDER,
    };
    unsigned int bad = 0, released = 0, waited_out = 0;
    uint64_t end;
    domid_t id;

    for ( unsigned int k = 0; k < CYCLES; k++ )
    {
        if ( create(DOMID_INVALID, BIG_EXTENTS << BIG_ORDER, &id) )
            test_abort(casename("decrease cycle %u", k), "create failed");
        r.domid = id;
        r.extent_start.p = v1_list;
        if ( hv_memory_op(XENMEM_increase_reservation, &r) != BIG_EXTENTS )
            test_abort(casename("decrease cycle %u", k),
                       "cannot give the victim its extents");
        v1_give(JOB_DECREASE, id, ++c);
        /* Destroy once vCPU 1 is under way (one extent back). */
        end = pvclock_now() + 5000 * MS;
        while ( !(v1_started && v1_released >= 1) && finished != c &&
                pvclock_now() < end )
            cpu_relax();
        if ( destroy(id) )
            test_abort(casename("decrease cycle %u", k), "destroy failed");
        if ( !v1_finished(c) )
        {
            waited_out++;
            break;
        }
        bad += v1_bad;
        released += v1_released;
    }
    CHECK_EQ(waited_out, 0, "the give-backs always ended");
    CHECK_EQ(bad, 0, "each give-back was 1, 0 or -ESRCH");
    CHECK(released < CYCLES * BIG_EXTENTS,
          casename("destroys overtook the give-backs (%u of %u extents given back)",
                   released, CYCLES * BIG_EXTENTS));
    CHECK_EQ(free_pages(), baseline,
             casename("free pages back to the baseline after %u more deaths", CYCLES));
}

static void test_destroy_under_holder(void)
{
    unsigned int bad_rc = 0, waited_out = 0, partial = 0;
    struct xen_dom0_domaininfo di;
    uint64_t baseline, after;
    domid_t id;

    /* One plain cycle first, so that lazily made hypervisor state does
     * not count as a leak. */
    if ( create(DOMID_INVALID, 64, &id) || destroy(id) )
        test_abort("warm-up cycle", "create/destroy failed");
    baseline = free_pages();
    if ( start_vcpu1(vcpu1_main) )
        test_abort("bring up vCPU 1", "setvcpucontext failed");
    test_pass("vCPU 1 is up");

    for ( unsigned int c = 1; c <= CYCLES; c++ )
    {
        uint64_t end;

        if ( create(DOMID_INVALID, RESV_FRAMES, &id) )
            test_abort(casename("cycle %u", c), "create failed");
        v1_give(JOB_INCREASE, id, c);
        /* Until vCPU 1's call has given the domain some frames. */
        end = pvclock_now() + 5000 * MS;
        while ( !(v1_started && getinfo(id, &di) == 0 && di.tot_pages >= 1) &&
                finished != c && pvclock_now() < end )
            cpu_relax();
        if ( destroy(id) )
            test_abort(casename("cycle %u", c), "destroy failed");
        if ( !v1_finished(c) )
        {
            waited_out++;
            break;
        }
        if ( v1_rc != -ESRCH && (v1_rc < 0 || v1_rc > RESV_FRAMES) )
            bad_rc++;
        partial += v1_rc != RESV_FRAMES;
        if ( getinfo(id, NULL) != -ESRCH )
            bad_rc++;
    }
    CHECK_EQ(waited_out, 0, "the holder's call always ended");
    CHECK_EQ(bad_rc, 0, "it ended with a partial count or -ESRCH, and the domid is gone");
    /* The point of the exercise: destroys did land mid-call. */
    CHECK(partial > 0, casename("destroys cut the holder's call short (%u of %u)",
                                partial, CYCLES));
    after = free_pages();
    CHECK_EQ(after, baseline,
             casename("free pages back to the baseline after %u deaths", CYCLES));
    test_destroy_under_decrease(go, baseline);
}

void test_main(void)
{
    setup(SETUP_SHARED_INFO);
    test_destroy_while_bound();
    test_destroy_under_holder();
}
