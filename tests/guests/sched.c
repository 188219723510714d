/*
 * sched: the scheduler as one domain with four vCPUs sees it (booted with
 * dom0_max_vcpus=4 under -smp 2).  Shares are measured from the vCPUs'
 * runstate times (VCPUOP_get_runstate_info), never from wall clock, so a
 * slow or busy host does not change the verdict.
 *
 *  - dom0_op: schedparams defaults (weight 256, cap 0), set/get, bad
 *    values refused; get/setvcpuaffinity round trip, a mask without an
 *    online CPU refused;
 *  - affinity: a busy vCPU pinned to CPU 1 is never seen running on CPU 0
 *    (getvcpuinfo sampled by another vCPU), and after re-pinning both the
 *    sampler (itself) and the busy vCPU to the other CPUs, each is seen
 *    only on its new CPU;
 *  - work stealing: three busy vCPUs pinned to CPU 0 with the sampler,
 *    then unpinned: both CPUs run them (sampled), and the four vCPUs
 *    together get more than 1.5 CPUs' worth of running time;
 *  - cap: capped at 25%, a busy vCPU gets at most 40% of its runstate time
 *    (the median of 2 s windows; unenforced it would get ~100%) and some,
 *    uncapped again at least 80%;
 *  - wake placement: a vCPU woken while its last CPU runs another and a
 *    CPU it may use idles runs on the idle CPU (every one of 20 rounds);
 *  - wake preemption: a vCPU woken by an event preempts the sender on
 *    its CPU though its virtual runtime is higher (the wake boost);
 *  - a wake across CPUs needs no timer: a vCPU alone on CPU 1, blocked
 *    with no timer anywhere on that CPU, is woken by each event vCPU 0
 *    sends from CPU 0, and the hypervisor counts CPU 1's way out of HLT
 *    as the wake-up IPI's, never as a timer interrupt's (perf counters);
 *  - weights: two spinner domains (sched/spinner.c) of weight 256 and 512
 *    pinned to CPU 1 run 1:2 within 5%, by their running times (the
 *    median over 4 s windows of an 8 s run, see median_ratio).
 *  - printed only (make bench): wake latency p50/p99 idle and next to two
 *    hogs, and the cost of an event-driven switch between two vCPUs on
 *    one CPU (ping-pong).
 *
 * On the round-robin scheduler the pins of our own vCPUs were refused
 * (-EBUSY), the mask was not kept, nothing moved once created and caps
 * were recorded but not enforced: every part here fails there.
 */
#include "guest.h"
#include "perfc.h"
#include "public/dom0_op.h"
#include "sched/spinner.h"
#include "perfc.h"

#define MS 1000000UL
#define NV 4                    /* vCPUs we need */

static struct xen_dom0_op op;
static volatile int stop_busy;
static evtchn_port_t sleep_port;

static long dom0_op(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static long set_affinity_of(domid_t d, unsigned int vcpu, uint8_t mask)
{
    static uint8_t map[1];

    map[0] = mask;
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpuaffinity.domid = d;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.cpumap = HC_PTR(map);
    op.u.vcpuaffinity.nr_bits = 8;
    return dom0_op(XEN_DOM0_setvcpuaffinity);
}

static long get_affinity(unsigned int vcpu, uint8_t *mask)
{
    static uint8_t map[1];
    long rc;

    map[0] = 0xee;
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpuaffinity.domid = 0;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.cpumap = HC_PTR(map);
    op.u.vcpuaffinity.nr_bits = 8;
    rc = dom0_op(XEN_DOM0_getvcpuaffinity);
    *mask = map[0];
    return rc;
}

static long set_affinity(unsigned int vcpu, uint8_t mask)
{
    return set_affinity_of(0, vcpu, mask);
}

static long sched_params_of(domid_t d, uint32_t cmd, uint32_t *weight,
                            uint32_t *cap)
{
    long rc;

    memset(&op.u, 0, sizeof(op.u));
    op.u.schedparams.domid = d;
    op.u.schedparams.weight = *weight;
    op.u.schedparams.cap = *cap;
    rc = dom0_op(cmd);
    *weight = op.u.schedparams.weight;
    *cap = op.u.schedparams.cap;
    return rc;
}

static long sched_params(uint32_t cmd, uint32_t *weight, uint32_t *cap)
{
    return sched_params_of(0, cmd, weight, cap);
}

static long set_params(uint32_t weight, uint32_t cap)
{
    return sched_params(XEN_DOM0_setschedparams, &weight, &cap);
}

/* -1: not running now (or the call failed); else the CPU it runs on. */
static int running_on(unsigned int vcpu)
{
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpuinfo.domid = 0;
    op.u.vcpuinfo.vcpu = vcpu;
    if ( dom0_op(XEN_DOM0_getvcpuinfo) || !op.u.vcpuinfo.running )
        return -1;
    return (int)op.u.vcpuinfo.cpu;
}

static int last_cpu(unsigned int vcpu)
{
    memset(&op.u, 0, sizeof(op.u));
    op.u.vcpuinfo.domid = 0;
    op.u.vcpuinfo.vcpu = vcpu;
    return dom0_op(XEN_DOM0_getvcpuinfo) ? -1 : (int)op.u.vcpuinfo.cpu;
}

static void runstate(unsigned int vcpu, struct vcpu_runstate_info *r)
{
    memset(r, 0, sizeof(*r));
    hv_vcpu_op(VCPUOP_get_runstate_info, vcpu, r);
}

static uint64_t total(const struct vcpu_runstate_info *r)
{
    return r->time[0] + r->time[1] + r->time[2] + r->time[3];
}

/* Sleep (blocked, not spinning) for ns: poll a masked port nobody sends. */
static void sleep_ns(uint64_t ns)
{
    struct sched_poll poll;

    poll.ports.p = &sleep_port;
    poll.nr_ports = 1;
    poll.timeout = pvclock_now() + ns;
    while ( pvclock_now() < poll.timeout )
        hv_sched_op(SCHEDOP_poll, &poll);
}

static void busy(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    while ( !stop_busy )
        cpu_relax();
}

static void stop_all(unsigned int nr)
{
    stop_busy = 1;
    CHECK_EQ(smp_wait_all(60000 * MS), 0, casename("the busy vCPUs stop (%u)", nr));
    stop_busy = 0;
}

static void test_params(void)
{
    uint32_t w = 0, c = 0;
    uint8_t m = 0;

    CHECK_EQ(sched_params(XEN_DOM0_getschedparams, &w, &c), 0, "getschedparams");
    CHECK_EQ(w, 256, "default weight is 256");
    CHECK_EQ(c, 0, "default cap is 0 (none)");
    CHECK_EQ(set_params(512, 50), 0, "setschedparams weight 512 cap 50");
    w = c = 0;
    sched_params(XEN_DOM0_getschedparams, &w, &c);
    CHECK(w == 512 && c == 50, "getschedparams reads back 512 / 50");
    CHECK_EQ(set_params(0, 0), -EINVAL, "weight 0 is -EINVAL");
    CHECK_EQ(set_params(65536, 0), -EINVAL, "weight 65536 is -EINVAL");
    CHECK_EQ(set_params(256, 201), -EINVAL, "cap above 100 per CPU is -EINVAL");
    CHECK_EQ(set_params(256, 0), 0, "back to the defaults");

    CHECK_EQ(get_affinity(1, &m), 0, "getvcpuaffinity");
    CHECK_EQ(m, 3, "a new vCPU may run on both CPUs");
    CHECK_EQ(set_affinity(1, 0x10), -EINVAL, "a mask of absent CPUs is -EINVAL");
    CHECK_EQ(set_affinity(1, 0), -EINVAL, "an empty mask is -EINVAL");
    CHECK_EQ(set_affinity(1, 2), 0, "pin vCPU 1 to CPU 1 (down)");
    get_affinity(1, &m);
    CHECK_EQ(m, 2, "the mask is kept");
    CHECK_EQ(last_cpu(1), 1, "a down vCPU moves to its CPU at once");
    CHECK_EQ(set_affinity(9, 1), -ENOENT, "an absent vCPU is -ENOENT");
}

/* Sample vcpu's CPU n times: how often it was seen running on each. */
static void sample(unsigned int vcpu, unsigned int n, unsigned int seen[2])
{
    seen[0] = seen[1] = 0;
    for ( unsigned int i = 0; i < n; i++ )
    {
        int c = running_on(vcpu);

        if ( c == 0 || c == 1 )
            seen[c]++;
    }
}

static void test_affinity(void)
{
    unsigned int seen[2], tries;

    CHECK_EQ(set_affinity(0, 1), 0, "pin vCPU 0 (ourselves) to CPU 0");
    hv_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(last_cpu(0), 0, "vCPU 0 runs on CPU 0");
    CHECK_EQ(smp_start(1, busy, NULL), 0, "start busy vCPU 1, pinned to CPU 1");
    sample(1, 20000, seen);
    CHECK(seen[1] > 0, "vCPU 1 is seen running on CPU 1");
    CHECK_EQ(seen[0], 0, "vCPU 1 is never seen running on CPU 0");

    /* Swap: we move ourselves (live: at our next deschedule) and it. */
    CHECK_EQ(set_affinity(0, 2), 0, "re-pin vCPU 0 (live, ourselves) to CPU 1");
    CHECK_EQ(set_affinity(1, 1), 0, "re-pin busy vCPU 1 to CPU 0");
    for ( tries = 0; tries < 1000 && last_cpu(0) != 1; tries++ )
        hv_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(last_cpu(0), 1, "vCPU 0 moved itself to CPU 1");
    CHECK_EQ(running_on(0), 1, "and runs there");
    sample(1, 20000, seen);
    CHECK(seen[0] > 0, "vCPU 1 is seen running on CPU 0 after the re-pin");
    CHECK_EQ(seen[1], 0, "vCPU 1 is never seen running on CPU 1 after it");
    stop_all(1);
}

static void test_stealing(void)
{
    struct vcpu_runstate_info a[NV], b[NV];
    unsigned int seen[2] = { 0, 0 }, s[2], v;

    (void)s;
    uint64_t ran = 0, window;

    /* Everyone on CPU 0; the busy ones are down, so they move now. */
    for ( v = 0; v < NV; v++ )
        CHECK_EQ(set_affinity(v, 1), 0, casename("pin vCPU %u to CPU 0", v));
    for ( v = 0; v < 20 && last_cpu(0) != 0; v++ )
        hv_sched_op(SCHEDOP_yield, NULL);
    for ( v = 1; v < NV; v++ )
        CHECK_EQ(smp_start(v, busy, NULL), 0, casename("start busy vCPU %u on CPU 0", v));
    /* All pinned to CPU 0: CPU 1 must stay out of it. */
    for ( v = 1; v < NV; v++ )
    {
        sample(v, 2000, s);
        seen[1] += s[1];
    }
    CHECK_EQ(seen[1], 0, "pinned to CPU 0, no vCPU runs on CPU 1");

    for ( v = 0; v < NV; v++ )
        CHECK_EQ(set_affinity(v, 3), 0, casename("unpin vCPU %u", v));
    for ( v = 0; v < NV; v++ )
        runstate(v, &a[v]);
    /* Where each busy vCPU runs or waits (we cannot see one running on
     * our own CPU while we run there, so the CPU it is queued on counts). */
    seen[0] = seen[1] = 0;
    for ( unsigned int round = 0; round < 10000; round++ )
        for ( v = 1; v < NV; v++ )
        {
            int c = last_cpu(v);

            if ( c == 0 || c == 1 )
                seen[c]++;
        }
    for ( v = 0; v < NV; v++ )
        runstate(v, &b[v]);
    for ( v = 0; v < NV; v++ )
        ran += b[v].time[RUNSTATE_running] - a[v].time[RUNSTATE_running];
    window = total(&b[0]) - total(&a[0]);
    printf("stealing: busy vCPUs found on CPU 0 %u, CPU 1 %u times; %lu ms running in a "
           "%lu ms window\n", seen[0], seen[1], ran / MS, window / MS);
    CHECK(seen[0] > 0 && seen[1] > 0, "unpinned, the busy vCPUs are spread over both CPUs");
    CHECK(ran * 2 > window * 3, "four busy vCPUs get more than 1.5 CPUs");
    stop_all(NV - 1);
}

#define CAP_POINTS 25                   /* 6 s in steps of 250 ms */
#define CAP_SPAN   8                    /* a window: 2 s */

/* v[0..n) in ascending order, in place (n is small). */
static void sort64(uint64_t *v, unsigned int n)
{
    for ( unsigned int x = 0; x < n; x++ )
        for ( unsigned int y = x + 1; y < n; y++ )
            if ( v[y] < v[x] )
            {
                uint64_t t = v[x];

                v[x] = v[y];
                v[y] = t;
            }
}

/* The middle of r[0..n) once sorted (r is sorted in place). */
static uint64_t median(uint64_t *r, unsigned int n)
{
    sort64(r, n);
    return r[n / 2];
}

/*
 * vCPU 1's share (x1000) of its own runstate time, running over all
 * states, in each 2 s window of a 6 s run (checkpoints 250 ms apart), and
 * the median of those.  Both numbers are the hypervisor's accounting, so
 * the host's speed does not enter; but a host stall while vCPU 1 runs is
 * charged to it whole (350 ms in one 2 s window was seen at load 32) and
 * only paid back from its budget in the next periods, so a single window
 * can be far off.  The median skips those windows.
 */
static uint64_t median_share(void)
{
    static struct vcpu_runstate_info at[CAP_POINTS];
    uint64_t r[CAP_POINTS - CAP_SPAN];
    unsigned int n = CAP_POINTS - CAP_SPAN;

    for ( unsigned int p = 0; p < CAP_POINTS; p++ )
    {
        if ( p )
            sleep_ns(250 * MS);
        runstate(1, &at[p]);
    }
    for ( unsigned int w = 0; w < n; w++ )
    {
        uint64_t run = at[w + CAP_SPAN].time[RUNSTATE_running] -
                       at[w].time[RUNSTATE_running];
        uint64_t all = total(&at[w + CAP_SPAN]) - total(&at[w]);

        r[w] = all ? run * 1000 / all : 0;
    }
    return median(r, n);
}

/*
 * What this proves: the cap is enforced, not that it is exact.  vCPU 1 is
 * alone on its CPU (vCPU 0 sleeps), so without a cap it runs ~100% of its
 * time (checked below at >= 80%), with an enforced 25% cap ~25%.  The
 * bound, 40%, is far from both: an unenforced cap fails it by double, and
 * the host's stalls charged to vCPU 1 (paid back later from its budget)
 * do not reach it in the median window.
 */
static void test_cap(void)
{
    struct vcpu_runstate_info a, b;
    uint64_t share;

    CHECK_EQ(smp_start(1, busy, NULL), 0, "start busy vCPU 1 for the cap");
    CHECK_EQ(set_params(256, 25), 0, "cap the domain at 25%");
    sleep_ns(50 * MS);
    runstate(1, &a);
    share = median_share();
    runstate(1, &b);
    printf("cap 25: vCPU 1 ran %lu of %lu ms, median 2 s window %lu.%lu%%\n",
           (b.time[RUNSTATE_running] - a.time[RUNSTATE_running]) / MS,
           (total(&b) - total(&a)) / MS, share / 10, share % 10);
    CHECK(share <= 400, "capped at 25%, it runs at most 40% of its runstate time (median window)");
    /* Not a share: a loaded host's stalls, charged to it, are paid back
     * from its budget and can push it well below 25% in one window. */
    CHECK(b.time[RUNSTATE_running] > a.time[RUNSTATE_running], "capped at 25%, it still runs");

    CHECK_EQ(set_params(256, 0), 0, "uncap");
    sleep_ns(50 * MS);
    share = median_share();
    printf("uncapped: vCPU 1's median 2 s window %lu.%lu%%\n", share / 10, share % 10);
    CHECK(share >= 800, "uncapped, it runs at least 80% of the time (median window)");
    stop_all(1);
}

#define POINTS 33                       /* 8 s in steps of 250 ms */
#define SPAN   16                       /* a window: 4 s */

/* Running time of each spinner at POINTS checkpoints 250 ms apart (after
 * a settling time): at[p][i]. */
static void spin_points(const domid_t *d, unsigned int n, uint64_t at[][2])
{
    sleep_ns(200 * MS);
    for ( unsigned int p = 0; p < POINTS; p++ )
    {
        if ( p )
            sleep_ns(250 * MS);
        for ( unsigned int i = 0; i < n; i++ )
            at[p][i] = spinner_cpu_time(d[i]);
    }
}

/*
 * ran[1] / ran[0] times 1000 over each 4 s window (checkpoint p to
 * p + SPAN), and the median of those.  Under QEMU on a loaded host the
 * emulated CPU stalls (10 ms slices were measured at 50-350 ms), and the
 * whole stall is charged to whichever spinner was running; the scheduler
 * pays it back over the next slices, but a window that starts or ends
 * with a stall outstanding is off by it.  The median skips those.
 */
static uint64_t median_ratio(uint64_t at[][2])
{
    uint64_t r[POINTS - SPAN];
    unsigned int n = POINTS - SPAN;

    for ( unsigned int w = 0; w < n; w++ )
    {
        uint64_t a = at[w + SPAN][0] - at[w][0], b = at[w + SPAN][1] - at[w][1];

        r[w] = a ? b * 1000 / a : 0;
    }
    return median(r, n);
}

/* A ratio (x1000) is want_x1000 within 5%. */
static int ratio_ok(uint64_t r, uint64_t want_x1000)
{
    return r * 100 >= want_x1000 * 95 && r * 100 <= want_x1000 * 105;
}

static void test_weights(void)
{
    static const uint32_t weight[2] = { 256, 512 };
    static uint64_t at[POINTS][2];
    domid_t d[2];
    unsigned int i, made = 0;
    uint64_t r;
    long rc;

    /* Us on CPU 0, out of their way. */
    for ( i = 0; i < NV; i++ )
        set_affinity(i, 1);
    hv_sched_op(SCHEDOP_yield, NULL);
    for ( i = 0; i < 2; i++ )
    {
        uint32_t w = weight[i], c = 0;

        rc = spinner_create();
        CHECK(rc > 0, casename("create spinner domain %u", i));
        if ( rc <= 0 )
            goto out;
        d[made++] = (domid_t)rc;
        CHECK_EQ(set_affinity_of(d[i], 0, 2), 0, casename("pin spinner %u to CPU 1", i));
        CHECK_EQ(sched_params_of(d[i], XEN_DOM0_setschedparams, &w, &c), 0,
                 casename("spinner %u weight %u", i, weight[i]));
    }
    CHECK_EQ(spinner_unpause(d[0]), 0, "unpause spinner 0");
    CHECK_EQ(spinner_unpause(d[1]), 0, "unpause spinner 1");
    spin_points(d, 2, at);
    r = median_ratio(at);
    printf("weights 256:512 on one CPU: %lu : %lu ms in all, median of 4 s "
           "windows 1:%lu.%03lu\n", (at[POINTS - 1][0] - at[0][0]) / MS,
           (at[POINTS - 1][1] - at[0][1]) / MS, r / 1000, r % 1000);
    CHECK(at[POINTS - 1][0] > at[0][0], "the weight-256 spinner runs");
    CHECK(ratio_ok(r, 2000), "weights 256:512 give 1:2 within 5%");
 out:
    for ( i = 0; i < made; i++ )
        CHECK_EQ(spinner_destroy(d[i]), 0, casename("destroy spinner %u", i));
    for ( i = 0; i < NV; i++ )
        set_affinity(i, 3);
}
/* ---- Wake placement (asserted by where the woken vCPU runs, not by time) ---- */

static evtchn_port_t wpl_port;          /* to vCPU 2, the wakee */
static volatile unsigned int wpl_woken;
static volatile int wpl_cpu, wpl_stop;

/* vCPU 2: blocks until its event, then records the CPU it runs on (its
 * own dom0_op buffer: vCPU 0 uses op meanwhile). */
static void wpl_wakee(unsigned int cpu, void *arg)
{
    static struct xen_dom0_op own;

    (void)cpu;
    (void)arg;
    while ( !wpl_stop )
    {
        if ( !evtchn_poll_one(wpl_port) )
            continue;
        memset(&own, 0, sizeof(own));
        own.cmd = XEN_DOM0_getvcpuinfo;
        own.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
        own.u.vcpuinfo.domid = 0;
        own.u.vcpuinfo.vcpu = 2;
        wpl_cpu = hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&own)) ? -1 :
                  (int)own.u.vcpuinfo.cpu;
        wpl_woken++;
    }
}

#define WPL_ROUNDS 20

/*
 * vCPU 1 spins on CPU 0 and we (vCPU 0) run there too; vCPU 2 blocks
 * with CPU 0 as its last CPU, may run on both, and CPU 1 has nothing to
 * do.  Woken by our event, it must run on CPU 1: queued on the busy
 * CPU 0 instead, its wake boost made it preempt us there (or CPU 1,
 * kicked as well, stole it first: a race), so the two CPUs' work stayed
 * on one.  Each round puts it back on CPU 0 first (pinned while
 * blocked, it moves at once).  Nothing here depends on time: CPU 1 is
 * idle at every wake whatever the host's speed.
 */
static void test_wake_placement(void)
{
    unsigned int on_idle = 0, rounds = 0, r, i;
    struct vcpu_runstate_info rs;
    int id = perfc_id("wake_moved_to_idle_cpu", NULL);
    uint64_t moved0 = perfc_value(id);

    if ( evtchn_bind_ipi(2, &wpl_port) )
    {
        test_fail("wake placement: bind_ipi", "failed");
        return;
    }
    evtchn_mask(wpl_port);
    CHECK_EQ(set_affinity(0, 1), 0, "wake placement: pin vCPU 0 to CPU 0");
    for ( i = 0; i < 1000 && last_cpu(0) != 0; i++ )
        hv_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(set_affinity(1, 1), 0, "wake placement: pin vCPU 1 to CPU 0");
    CHECK_EQ(set_affinity(2, 1), 0, "wake placement: pin vCPU 2 to CPU 0");
    CHECK_EQ(smp_start(2, wpl_wakee, NULL), 0, "wake placement: start the wakee on vCPU 2");
    CHECK_EQ(smp_start(1, busy, NULL), 0, "wake placement: start the spinner on vCPU 1");
    for ( r = 0; r < WPL_ROUNDS; r++ )
    {
        unsigned int before = wpl_woken;

        /* Back to CPU 0 and blocked there (moved once its context is
         * saved, if it was still live on CPU 1), then free to go. */
        set_affinity(2, 1);
        for ( i = 0; i < 100000; i++ )
        {
            runstate(2, &rs);
            if ( last_cpu(2) == 0 && rs.state == RUNSTATE_blocked )
                break;
            sleep_ns(MS / 5);
        }
        if ( i == 100000 )
            break;
        set_affinity(2, 3);
        evtchn_send(wpl_port);
        for ( i = 0; i < 100000 && wpl_woken == before; i++ )
            sleep_ns(MS / 5);
        if ( wpl_woken == before )
            break;
        rounds++;
        if ( wpl_cpu == 1 )
            on_idle++;
    }
    printf("wake placement: the woken vCPU ran on the idle CPU in %u of %u rounds "
           "(wake_moved_to_idle_cpu +%lu)\n", on_idle, rounds,
           (unsigned long)(perfc_value(id) - moved0));
    CHECK_EQ(rounds, WPL_ROUNDS, "wake placement: every round's wake was answered");
    CHECK_EQ(on_idle, rounds, "a vCPU woken on a busy CPU runs on the idle CPU "
             "it may use, every round");
    CHECK(id >= 0 && perfc_value(id) - moved0 >= rounds,
          "wake placement: perf counter wake_moved_to_idle_cpu counts each move");
    wpl_stop = 1;
    evtchn_send(wpl_port);
    stop_all(2);
    evtchn_close(wpl_port);
}

/* ---- A wake across CPUs needs no timer (counted, not timed) ----
 * vCPU 1, alone on CPU 1, sleeps in SCHEDOP_poll without a timeout; it
 * never arms a timer, and an idle CPU has no slice timer, so nothing on
 * CPU 1 has a deadline.  vCPU 0 on CPU 0 sends it an event XW_ROUNDS
 * times, each once vCPU 1 is blocked again and CPU 1 has had 2 ms to
 * halt.  Only the wake-up IPI can then get CPU 1 out of HLT: every event
 * must wake vCPU 1, and the hypervisor's count of halts a remote kick
 * ended must grow by its IPI (idle_kick_by_ipi), never by a timer
 * (idle_kick_by_timer, the count of wakes that waited for one).  Without
 * the IPI vCPU 1 would sleep for ever. */
#define XW_ROUNDS 20

static evtchn_port_t xw_port;
static volatile unsigned int xw_woken;
static volatile int xw_stop;

static void xw_sleeper(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    while ( !xw_stop )
        if ( evtchn_poll_one(xw_port) )
            xw_woken++;
}

static int vcpu_blocked(unsigned int vcpu)
{
    struct vcpu_runstate_info r;

    runstate(vcpu, &r);
    return r.state == RUNSTATE_blocked;
}

static void test_cross_cpu_wake(void)
{
    int by_ipi = perfc_id("idle_kick_by_ipi", NULL);
    int by_timer = perfc_id("idle_kick_by_timer", NULL);
    uint64_t ipi0, timer0, ipis, timers;
    unsigned int i, tries;

    CHECK(by_ipi >= 0 && by_timer >= 0,
          "cross-CPU wake: the hypervisor has the idle_kick counters");
    if ( by_ipi < 0 || by_timer < 0 )
        return;
    if ( evtchn_bind_ipi(1, &xw_port) )
    {
        test_fail("cross-CPU wake: bind_ipi", "failed");
        return;
    }
    evtchn_mask(xw_port);
    CHECK_EQ(set_affinity(0, 1), 0, "cross-CPU wake: pin vCPU 0 to CPU 0");
    CHECK_EQ(set_affinity(1, 2), 0, "cross-CPU wake: pin vCPU 1 to CPU 1");
    CHECK_EQ(smp_start(1, xw_sleeper, NULL), 0,
             "cross-CPU wake: start the sleeper on vCPU 1");
    ipi0 = perfc_value(by_ipi);
    timer0 = perfc_value(by_timer);
    for ( i = 0; i < XW_ROUNDS; i++ )
    {
        /* Blocked again after the last round (a bound, not a timeout:
         * each try sleeps 1 ms of vCPU 0's own blocked time). */
        for ( tries = 0; !vcpu_blocked(1) && tries < 10000; tries++ )
            sleep_ns(MS);
        sleep_ns(2 * MS);
        evtchn_send(xw_port);
        if ( !wait_for_count(&xw_woken, i + 1, 10000 * MS) )
            break;
    }
    ipis = perfc_value(by_ipi) - ipi0;
    timers = perfc_value(by_timer) - timer0;
    printf("cross-CPU wake: %u of %u events woke vCPU 1; CPU halts ended "
           "by the kick's IPI %lu, by a timer %lu\n", xw_woken, XW_ROUNDS,
           (unsigned long)ipis, (unsigned long)timers);
    CHECK_EQ(xw_woken, XW_ROUNDS, "cross-CPU wake: every event wakes the "
             "vCPU blocked on the other CPU (which has no timer)");
    CHECK(ipis >= 1, "cross-CPU wake: the halted CPU is woken by the "
          "kick's IPI (counted by the hypervisor)");
    CHECK_EQ(timers, 0, "cross-CPU wake: no wake waited for a timer "
             "interrupt (idle_kick_by_timer unchanged)");
    xw_stop = 1;
    evtchn_send(xw_port);
    CHECK_EQ(smp_wait_all(60000 * MS), 0, "cross-CPU wake: the sleeper stops");
    xw_stop = 0;
    for ( unsigned int v = 0; v < NV; v++ )
        set_affinity(v, 3);
}

/* ---- Wake-up latency (printed, not asserted: timing is the host's) ---- */

static evtchn_port_t wake_port;
static volatile uint64_t woke_at;
static volatile int wake_stop;

static void waiter(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    while ( !wake_stop )
        if ( evtchn_poll_one(wake_port) )
            woke_at = pvclock_now();
}

/* An event to a blocked vCPU until it runs, n times: p50 and p99. */
static void wake_latency(const char *what, unsigned int n)
{
    static uint64_t lat[200];

    for ( unsigned int i = 0; i < n; i++ )
    {
        uint64_t t0;

        sleep_ns(2 * MS);               /* it is blocked again */
        woke_at = 0;
        t0 = pvclock_now();
        evtchn_send(wake_port);
        while ( woke_at == 0 && pvclock_now() - t0 < 1000 * MS )
            cpu_relax();
        lat[i] = woke_at ? woke_at - t0 : 1000 * MS;
    }
    sort64(lat, n);
    printf("INFO: wake latency %s: p50 %lu us, p99 %lu us\n", what,
           lat[n / 2] / 1000, lat[n * 99 / 100] / 1000);
}

static void test_wake_latency(void)
{
    if ( evtchn_bind_ipi(1, &wake_port) )
    {
        test_fail("wake latency: bind_ipi", "failed");
        return;
    }
    evtchn_mask(wake_port);
    CHECK_EQ(smp_start(1, waiter, NULL), 0, "start the event waiter on vCPU 1");
    wake_latency("idle machine", 100);
    CHECK_EQ(smp_start(2, busy, NULL), 0, "start a CPU hog on vCPU 2");
    CHECK_EQ(smp_start(3, busy, NULL), 0, "start a CPU hog on vCPU 3");
    wake_latency("next to 2 CPU hogs", 100);
    wake_stop = 1;
    evtchn_send(wake_port);
    stop_all(3);
    wake_stop = 0;
}

/* ---- Context-switch cost (printed, not asserted) ----
 * vCPUs 0 and 1 pinned to CPU 1 pass an event back and forth: each
 * sends to the other's IPI port and blocks in SCHEDOP_poll on its own.
 * A round trip is two switches of CPU 1 (each with the send, the block
 * and the wake that cause it), so round-trip time / 2 is what one
 * event-driven switch between two vCPUs costs, hypercalls included. */

static evtchn_port_t ping_port, pong_port;      /* to vCPU 0, to vCPU 1 */
static volatile int pong_stop;

static void wait_port(evtchn_port_t *port)
{
    struct sched_poll poll;

    poll.ports.p = port;
    poll.nr_ports = 1;
    poll.timeout = 0;
    while ( !evtchn_is_pending(*port) )
        hv_sched_op(SCHEDOP_poll, &poll);
    evtchn_clear_pending(*port);
}

static void ponger(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    for ( ;; )
    {
        wait_port(&pong_port);
        if ( pong_stop )
            return;
        evtchn_send(ping_port);
    }
}

static void test_switch_cost(void)
{
    static uint64_t per[5];
    unsigned int rounds = 2000, run, got = 0;

    if ( evtchn_bind_ipi(0, &ping_port) || evtchn_bind_ipi(1, &pong_port) )
    {
        test_fail("switch cost: bind_ipi", "failed");
        return;
    }
    evtchn_mask(ping_port);
    evtchn_mask(pong_port);
    CHECK_EQ(set_affinity(1, 2), 0, "switch cost: vCPU 1 pinned to CPU 1");
    CHECK_EQ(set_affinity(0, 2), 0, "switch cost: vCPU 0 pinned to CPU 1");
    CHECK_EQ(smp_start(1, ponger, NULL), 0, "switch cost: start the ponger on vCPU 1");
    for ( run = 0; run < ARRAY_SIZE(per); run++ )
    {
        uint64_t t0 = pvclock_now();

        for ( unsigned int i = 0; i < rounds; i++ )
        {
            evtchn_send(pong_port);
            wait_port(&ping_port);
        }
        per[got++] = (pvclock_now() - t0) / (2 * rounds);
    }
    pong_stop = 1;
    evtchn_send(pong_port);
    CHECK_EQ(smp_wait_all(60000 * MS), 0, "switch cost: the ponger stops");
    pong_stop = 0;
    set_affinity(0, 3);
    set_affinity(1, 3);
    sort64(per, got);
    /* Short: the console line is cut at about 128 characters. */
    printf("INFO: context switch (ping-pong on one CPU): median %lu ns, min %lu ns (%ux%u)\n",
           per[got / 2], per[0], got, rounds);
}

/* ---- Wake-up preemption (asserted by order of events, not by time) ---- */

static evtchn_port_t wp_port;         /* the sender -> the ponger */
static volatile unsigned int wp_runs, wp_stop, wp_rounds, wp_at_once;

/* vCPU 1: woken by wp_port, counts the wake, then works ~2 ms (so it has
 * run more than the sender, which only sends and sleeps), blocks again. */
static void wp_ponger(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    while ( !wp_stop )
    {
        if ( !evtchn_poll_one(wp_port) )
            continue;
        wp_runs++;
        for ( uint64_t t0 = pvclock_now(); pvclock_now() - t0 < 2 * MS; )
            cpu_relax();
    }
}

/* vCPU 2, on the ponger's CPU: 30 warm-up rounds (the sleeping sender's
 * virtual runtime settles at the queue's floor, below the ponger's), then
 * 20 counted ones: send, and look at once whether the ponger already ran.
 * It did only if the wake preempted the sender on its way back from the
 * hypercall. */
static void wp_sender(unsigned int cpu, void *arg)
{
    (void)cpu;
    (void)arg;
    for ( unsigned int r = 0; r < 50; r++ )
    {
        unsigned int before;

        sleep_ns(3 * MS);               /* the ponger is blocked again */
        before = wp_runs;
        evtchn_send(wp_port);
        if ( r >= 30 && wp_runs != before )
            wp_at_once++;
        for ( unsigned int i = 0; i < 5000 && wp_runs == before; i++ )
            sleep_ns(MS / 5);
    }
    wp_rounds = 20;
}

/*
 * Without the wake boost the ponger, whose virtual runtime is the larger,
 * waits until the sender blocks: 0 of 20.  A round in which a busy host
 * stalled the ponger for long may lose its boost, hence "most".
 */
static void test_wake_preempts(void)
{
    if ( evtchn_bind_ipi(1, &wp_port) )
    {
        test_fail("wake preemption: bind_ipi", "failed");
        return;
    }
    evtchn_mask(wp_port);
    CHECK_EQ(set_affinity(0, 1), 0, "pin vCPU 0 to CPU 0");
    CHECK_EQ(set_affinity(1, 2), 0, "pin vCPU 1 to CPU 1");
    CHECK_EQ(set_affinity(2, 2), 0, "pin vCPU 2 to CPU 1");
    CHECK_EQ(smp_start(1, wp_ponger, NULL), 0, "start the ponger on vCPU 1");
    CHECK_EQ(smp_start(2, wp_sender, NULL), 0, "start the sender on vCPU 2");
    while ( wp_rounds == 0 )
        sleep_ns(10 * MS);
    printf("wake preemption: the woken vCPU ran before the sender went on in "
           "%u of %u rounds\n", wp_at_once, wp_rounds);
    CHECK(wp_at_once * 4 >= wp_rounds * 3, "a vCPU woken by an event preempts "
          "the sender on its CPU though it has run more (most of 20 rounds)");
    wp_stop = 1;
    evtchn_send(wp_port);
    CHECK_EQ(smp_wait_all(60000 * MS), 0, "the ponger and the sender stop");
    for ( unsigned int v = 0; v < NV; v++ )
        set_affinity(v, 3);
}

void test_main(void)
{
    unsigned int n;

    setup(SETUP_EVENTS);
    n = smp_nr_vcpus();
    printf("sched: %u vCPUs\n", n);
    if ( n < NV )
        test_abort("sched: vCPUs", "need %u vCPUs (dom0_max_vcpus=%u), have %u", NV, NV, n);
    if ( evtchn_bind_ipi(0, &sleep_port) )
        test_abort("sched: sleep port", "bind_ipi failed");
    evtchn_mask(sleep_port);

    test_params();
    test_wake_placement();
    /* test_affinity wants vCPU 1 pinned to CPU 1 (test_params did). */
    set_affinity(0, 3);
    set_affinity(1, 2);
    set_affinity(2, 3);
    test_affinity();
    test_stealing();
    for ( unsigned int v = 0; v < NV; v++ )
        set_affinity(v, 3);
    test_cap();
    test_weights();
    test_cross_cpu_wake();
    test_wake_latency();
    test_switch_cost();
    test_wake_preempts();
}
