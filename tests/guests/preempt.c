/*
 * preempt: long hypercalls give the CPU back (audit finding 9.8).
 *
 * Each case arms a single-shot timer 1 ms ahead and then issues one huge
 * batch: mmu_update (65,536 M2P updates), mmuext_op (32,768 SET_LDTs),
 * a multicall of 2,048 mmu_updates, a multicall whose two entries are
 * themselves huge batches, and increase/decrease_reservation of 8,192
 * frames.  The timer's upcall samples how far the batch had got: with
 * continuations the hypervisor returns to us between pieces, so the event
 * arrives in the middle (0 < progress < total; a multicall counts the
 * requests of finished entries and of one that was itself preempted,
 * whose arguments it rewrote); without them it arrives
 * only after the whole batch.  Then the results must be exactly those of
 * an uninterrupted batch: every entry done, done counters and results
 * right, the M2P holding the last values written.
 */
#include "guest.h"
#include "second-vcpu.h"

#define MS              1000000ULL
#define US              1000ULL
#define NR_REQS         65536
#define NR_EXT          32768
#define NR_MC           2048
#define PER_MC          (NR_REQS / NR_MC)
#define NR_FRAMES       16          /* M2P targets */
#define NR_RESV         8192
#define MC_SENTINEL     0x5a5a5a5aL

static struct mmu_update reqs[NR_REQS];
static struct mmuext_op exts[NR_EXT];
static struct multicall_entry mc[NR_MC];
static xen_pfn_t resv[NR_RESV];
static unsigned long target_mfn[NR_FRAMES], target_pfn[NR_FRAMES];

static volatile unsigned int done_a, done_b;
static evtchn_port_t timer_port;

/* What the timer's upcall samples; -1 until it has run. */
static long (*volatile probe)(void);
static volatile long sampled;

static void set_timer_in(uint64_t ns)
{
    struct vcpu_set_singleshot_timer t;

    t.timeout_abs_ns = pvclock_now() + ns;
    t.flags = 0;
    if ( hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t) )
        test_abort("arm the timer", "set_singleshot_timer failed");
}

/* A host under load can delay us past the deadline before the batch has
 * even started (progress 0): then try again, 20 us later, so the retry
 * lands inside the batch (which takes far longer) rather than after a
 * batch that started at once. */
static void timer_fired(evtchn_port_t port)
{
    long p;

    (void)port;
    if ( probe == NULL || sampled >= 0 )
        return;
    p = probe();
    if ( p == 0 )
        set_timer_in(20 * US);
    else
        sampled = p;
}

static void arm(long (*p)(void))
{
    sampled = -1;
    probe = p;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    set_timer_in(1 * MS);
}

/* After the batch: give a late timer (old code) the chance to fire. */
static void settle(void)
{
    uint64_t end = pvclock_now() + 200 * MS;

    while ( sampled < 0 && pvclock_now() < end )
        cpu_relax();
    probe = NULL;
}

static void fill_reqs(void)
{
    for ( unsigned int j = 0; j < NR_REQS; j++ )
    {
        reqs[j].ptr = (target_mfn[j % NR_FRAMES] << PAGE_SHIFT) |
                      MMU_MACHPHYS_UPDATE;
        reqs[j].val = 0x100000 + j;
    }
}

/* Every M2P target holds the value of the last request naming it. */
static int m2p_holds_last(void)
{
    for ( unsigned int k = 0; k < NR_FRAMES; k++ )
        if ( m2p[target_mfn[k]] != 0x100000 + NR_REQS - NR_FRAMES + k )
            return 0;
    return 1;
}

static void m2p_restore(void)
{
    static struct mmu_update fix[NR_FRAMES];

    for ( unsigned int k = 0; k < NR_FRAMES; k++ )
    {
        fix[k].ptr = (target_mfn[k] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
        fix[k].val = target_pfn[k];
    }
    if ( hv_mmu_update(fix, NR_FRAMES, NULL, DOMID_SELF) )
        test_abort("restore the M2P", "mmu_update failed");
}

static long probe_done_a(void) { return done_a; }

static void test_mmu_update(void)
{
    long rc;

    fill_reqs();
    done_a = 0;
    arm(probe_done_a);
    rc = hv_mmu_update(reqs, NR_REQS, (unsigned int *)&done_a, DOMID_SELF);
    settle();
    CHECK_EQ(rc, 0, "huge mmu_update returns 0");
    CHECK_EQ(done_a, NR_REQS, "its done counter is the whole batch");
    CHECK(m2p_holds_last(), "every M2P update was applied, in order");
    CHECK(sampled > 0 && sampled < NR_REQS,
          casename("the timer event came mid-batch (progress %ld of %u)",
                   sampled, NR_REQS));
    m2p_restore();
}

static void test_mmuext_op(void)
{
    long rc;

    for ( unsigned int j = 0; j < NR_EXT; j++ )
    {
        exts[j].cmd = MMUEXT_SET_LDT;
        exts[j].arg1.linear_addr = 0;
        exts[j].arg2.nr_ents = 0;
    }
    done_a = 0;
    arm(probe_done_a);
    rc = hv_mmuext_op(exts, NR_EXT, (unsigned int *)&done_a, DOMID_SELF);
    settle();
    CHECK_EQ(rc, 0, "huge mmuext_op returns 0");
    CHECK_EQ(done_a, NR_EXT, "its done counter is the whole batch");
    CHECK(sampled > 0 && sampled < NR_EXT,
          casename("the timer event came mid-batch (progress %ld of %u)",
                   sampled, NR_EXT));
    /* A failing entry after a continuation still reports the total. */
    exts[NR_EXT - 1].cmd = 0xffff;
    done_a = 0;
    rc = hv_mmuext_op(exts, NR_EXT, (unsigned int *)&done_a, DOMID_SELF);
    CHECK(rc < 0 && done_a == NR_EXT - 1,
          casename("a bad last entry fails with %u done (rc %ld, done %u)",
                   NR_EXT - 1, rc, done_a));
}

/* Requests done so far: whole entries (result written) plus the part of
 * an entry that was preempted itself (its count rewritten). */
static long probe_mc_results(void)
{
    long n = 0;

    for ( unsigned int i = 0; i < NR_MC; i++ )
        if ( mc[i].result != MC_SENTINEL )
            n += PER_MC;
        else if ( mc[i].args[1] & MMU_UPDATE_PREEMPTED )
            n += PER_MC - (mc[i].args[1] & ~(unsigned long)MMU_UPDATE_PREEMPTED);
    return n;
}

static void test_multicall(void)
{
    unsigned int wrong = 0;
    long rc;

    fill_reqs();
    for ( unsigned int i = 0; i < NR_MC; i++ )
    {
        memset(&mc[i], 0, sizeof(mc[i]));
        mc[i].op = __HYPERVISOR_mmu_update;
        mc[i].result = MC_SENTINEL;
        mc[i].args[0] = HC_PTR(&reqs[i * PER_MC]);
        mc[i].args[1] = PER_MC;
        mc[i].args[2] = 0;
        mc[i].args[3] = DOMID_SELF;
    }
    arm(probe_mc_results);
    rc = hypercall2(__HYPERVISOR_multicall, HC_PTR(mc), NR_MC);
    settle();
    CHECK_EQ(rc, 0, "multicall of 2048 mmu_updates returns 0");
    for ( unsigned int i = 0; i < NR_MC; i++ )
        wrong += mc[i].result != 0;
    CHECK_EQ(wrong, 0, "every entry's result is 0");
    CHECK(m2p_holds_last(), "every update of every entry was applied");
    CHECK(sampled > 0 && sampled < NR_REQS,
          casename("the timer event came mid-multicall (%ld of %u requests)",
                   sampled, NR_REQS));
    m2p_restore();
}

static long probe_nested(void)
{
    return done_a;
}

/* Two entries that are each a long batch: the preempted entry continues
 * where it stopped (its arguments rewritten in the list). */
static void test_nested(void)
{
    long rc;

    fill_reqs();
    for ( unsigned int j = 0; j < NR_EXT; j++ )
        exts[j].cmd = MMUEXT_SET_LDT;
    memset(mc, 0, 2 * sizeof(mc[0]));
    mc[0].op = __HYPERVISOR_mmu_update;
    mc[0].args[0] = HC_PTR(reqs);
    mc[0].args[1] = NR_REQS;
    mc[0].args[2] = HC_PTR(&done_a);
    mc[0].args[3] = DOMID_SELF;
    mc[1].op = __HYPERVISOR_mmuext_op;
    mc[1].args[0] = HC_PTR(exts);
    mc[1].args[1] = NR_EXT;
    mc[1].args[2] = HC_PTR(&done_b);
    mc[1].args[3] = DOMID_SELF;
    mc[0].result = mc[1].result = MC_SENTINEL;
    done_a = done_b = 0;
    arm(probe_nested);
    rc = hypercall2(__HYPERVISOR_multicall, HC_PTR(mc), 2);
    settle();
    CHECK_EQ(rc, 0, "multicall of two huge batches returns 0");
    CHECK(mc[0].result == 0 && mc[1].result == 0, "both entries' results are 0");
    CHECK(done_a == NR_REQS && done_b == NR_EXT,
          casename("both done counters are whole (%u, %u)", done_a, done_b));
    CHECK(m2p_holds_last(), "every update of the nested batch was applied");
    CHECK(sampled > 0 && sampled < NR_REQS,
          casename("the timer event came inside the first entry (%ld of %u)",
                   sampled, NR_REQS));
    CHECK(mc[0].args[1] & MMU_UPDATE_PREEMPTED,
          "the preempted entry was rewritten as a continuation");
    m2p_restore();
}

static long probe_resv(void)
{
    long n = 0;

    for ( unsigned int i = 0; i < NR_RESV; i++ )
        n += resv[i] != 0;
    return n;
}

static void test_reservation(void)
{
    struct xen_memory_reservation r = {
        .nr_extents = NR_RESV, .extent_order = 0, .domid = DOMID_SELF,
    };
    domid_t self = DOMID_SELF;
    long before = hv_memory_op(XENMEM_current_reservation, &self), rc;
    unsigned int zero = 0;

    CHECK_EQ(raise_own_max_pages(NR_RESV), 0, "setmaxmem leaves room for 8192 frames");
    memset(resv, 0, sizeof(resv));
    r.extent_start.p = resv;
    arm(probe_resv);
    rc = hv_memory_op(XENMEM_increase_reservation, &r);
    settle();
    CHECK_EQ(rc, NR_RESV, "increase_reservation of 8192 frames returns 8192");
    for ( unsigned int i = 0; i < NR_RESV; i++ )
        zero += resv[i] == 0;
    CHECK_EQ(zero, 0, "every extent got a frame");
    CHECK_EQ(hv_memory_op(XENMEM_current_reservation, &self), before + NR_RESV,
             "current_reservation grew by 8192");
    CHECK(sampled > 0 && sampled < NR_RESV,
          casename("the timer event came mid-increase (%ld of %u)", sampled,
                   NR_RESV));

    arm(NULL);
    rc = hv_memory_op(XENMEM_decrease_reservation, &r);
    settle();
    CHECK_EQ(rc, NR_RESV, "decrease_reservation of them all returns 8192");
    CHECK_EQ(hv_memory_op(XENMEM_current_reservation, &self), before,
             "current_reservation is back");
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    if ( hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL) ||
         evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port) )
        test_abort("timer set-up", "cannot bind VIRQ_TIMER");
    evtchn_set_handler(timer_port, timer_fired);
    evtchn_unmask_local(timer_port);
    for ( unsigned int k = 0; k < NR_FRAMES; k++ )
    {
        void *p = page_alloc();

        target_pfn[k] = virt_to_pfn(p);
        target_mfn[k] = virt_to_mfn(p);
    }
    events_enable();

    test_mmu_update();
    test_mmuext_op();
    test_multicall();
    test_nested();
    test_reservation();
}
