/*
 * racemem: two vCPUs of one domain racing over the same frames through
 * memory_op (hostile: audit finding 9.5).
 *
 *  - both vCPUs give back the same freshly increased frames with
 *    decrease_reservation, frame by frame in the same order, thousands of
 *    times, with order-0 and order-4 extents: exactly one of the two calls
 *    may succeed for each extent, and the hypervisor must not panic;
 *  - vCPU 0 increases its reservation while vCPU 1 gives back each frame
 *    the moment its MFN appears in the list; vCPU 0 then gives back the
 *    rest: again exactly one give-back succeeds per frame;
 *  - vCPU 0 takes one frame and gives it back, over and over (the heap
 *    mostly hands the same MFN out again), while vCPU 1 keeps giving back
 *    the MFN vCPU 0 got last, guessing it is being handed out again right
 *    now: every frame still leaves exactly once;
 *  - afterwards current_reservation is back where it started, and the
 *    hypervisor's frame audit (booted with mm_audit) is clean.
 *
 * On the old code the second release of a frame that both vCPUs found
 * releasable panicked the hypervisor; and a frame taken back in the middle
 * of its allocation (owned, but not yet on the domain's list) was unlinked
 * from a list it was not on: a #PF panic, or the heap's free lists
 * silently corrupted (found by the hypercall fuzzer, FUZZ_SEED=20261212).
 */
#include "guest.h"
#include "second-vcpu.h"

#define EXTENTS         64
#define SAME_ROUNDS0    100     /* order-0 rounds: 6,400 raced frames */
#define SAME_ROUNDS4    10      /* order-4 rounds (each frees 1,024 frames) */
#define POP_ROUNDS      50
#define GUESS_TAKES     8000    /* increase/decrease pairs while vCPU 1 guesses */
#define WAIT_NS         20000000000ULL  /* 20 s of the other vCPU's running time */

enum mode { MODE_SAME, MODE_POPULATE, MODE_GUESS, MODE_STOP };

static volatile unsigned int round_go, round_done1;
static volatile enum mode mode;
static volatile unsigned int order;
static volatile xen_pfn_t frames[EXTENTS];
static volatile long published;         /* increase result, -1: not yet */
static volatile uint8_t won[2][EXTENTS];
static volatile unsigned long v1_errors; /* unexpected rcs seen by vCPU 1 */
static volatile xen_pfn_t guess;        /* MODE_GUESS: vCPU 0's latest MFN */
static volatile int guess_stop;
static volatile unsigned long guess_wins[2];

static long decrease(xen_pfn_t mfn, unsigned int ord)
{
    xen_pfn_t f = mfn;
    struct xen_memory_reservation r = {
        .nr_extents = 1, .extent_order = ord, .domid = DOMID_SELF,
    };

    r.extent_start.p = &f;
    return hv_memory_op(XENMEM_decrease_reservation, &r);
}

static long increase(volatile xen_pfn_t *list, unsigned int n,
                     unsigned int ord)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = ord, .domid = DOMID_SELF,
    };

    r.extent_start.p = (xen_pfn_t *)list;
    return hv_memory_op(XENMEM_increase_reservation, &r);
}

/* Record one give-back: 1 = it was ours, 0 = the other vCPU had it. */
static void give_back(unsigned int who, unsigned int i)
{
    long rc = decrease(frames[i], order);

    if ( rc == 1 )
        won[who][i] = 1;
    else if ( rc != 0 && who == 1 )
        v1_errors++;
}

static void __attribute__((noreturn)) vcpu1_main(void)
{
    unsigned int seen = 0;

    for ( ;; )
    {
        while ( round_go == seen )
            cpu_relax();
        seen = round_go;
        if ( mode == MODE_STOP )
            break;
        if ( mode == MODE_SAME )
            for ( unsigned int i = 0; i < EXTENTS; i++ )
                give_back(1, i);
        else if ( mode == MODE_GUESS )
        {
            while ( !guess_stop )
            {
                xen_pfn_t g = guess;
                long rc = g ? decrease(g, 0) : 0;

                if ( rc == 1 )
                    guess_wins[1]++;
                else if ( rc != 0 )
                    v1_errors++;
            }
        }
        else
        {
            /* Take each frame as soon as vCPU 0's increase reports it. */
            unsigned int next = 0;

            while ( published < 0 || next < (unsigned long)published )
            {
                if ( next < EXTENTS && frames[next] != 0 )
                    give_back(1, next++);
                else
                    cpu_relax();
            }
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        round_done1 = seen;
    }
    round_done1 = seen;
    for ( ;; )
        hv_vcpu_op(VCPUOP_down, 1, NULL);
}

/* Bound by vCPU 1's own running time, not the clock: stuck fails, late
 * (a loaded host) does not. */
static int wait_vcpu1(unsigned int r)
{
    uint64_t end = vcpu_ran_ns(1) + WAIT_NS;

    while ( round_done1 != r )
    {
        if ( vcpu_ran_ns(1) > end )
            return 0;
        cpu_relax();
    }
    return 1;
}

static long reservation(void)
{
    domid_t self = DOMID_SELF;

    return hv_memory_op(XENMEM_current_reservation, &self);
}

/* One round; returns the number of extents that were not given back by
 * exactly one vCPU (or ~0 when the round could not run). */
static unsigned long run_round(enum mode m, unsigned int ord,
                               unsigned int *r)
{
    unsigned long bad = 0;
    long n;

    for ( unsigned int i = 0; i < EXTENTS; i++ )
    {
        frames[i] = 0;
        won[0][i] = won[1][i] = 0;
    }
    order = ord;
    mode = m;
    published = -1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if ( m == MODE_SAME )
    {
        n = increase(frames, EXTENTS, ord);
        if ( n != EXTENTS )
            return ~0UL;
        round_go = ++*r;
        for ( unsigned int i = 0; i < EXTENTS; i++ )
            give_back(0, i);
    }
    else
    {
        round_go = ++*r;
        n = increase(frames, EXTENTS, ord);
        published = n < 0 ? 0 : n;
        if ( n != EXTENTS )
            return ~0UL;
    }
    if ( !wait_vcpu1(*r) )
        return ~0UL;
    if ( m == MODE_POPULATE )
        for ( unsigned int i = 0; i < EXTENTS; i++ )
            give_back(0, i);        /* what vCPU 1 left */
    for ( unsigned int i = 0; i < EXTENTS; i++ )
        bad += won[0][i] + won[1][i] != 1;
    return bad;
}

static void race(const char *what, enum mode m, unsigned int ord,
                 unsigned int rounds, unsigned int *r)
{
    unsigned long bad = 0, first1 = 0;
    long before = reservation();

    for ( unsigned int k = 0; k < rounds; k++ )
    {
        unsigned long b = run_round(m, ord, r);

        if ( b == ~0UL )
        {
            test_abort(casename("%s: round %u", what, k),
                       "increase_reservation or vCPU 1 failed");
        }
        bad += b;
        for ( unsigned int i = 0; i < EXTENTS; i++ )
            first1 += won[1][i];
    }
    CHECK_EQ(bad, 0, casename("%s: exactly one give-back per extent "
                              "(%u extents)", what, rounds * EXTENTS));
    CHECK_EQ(v1_errors, 0, casename("%s: vCPU 1 saw only 0 or 1", what));
    CHECK_EQ(reservation(), before,
             casename("%s: current_reservation back to %ld", what, before));
    /* Not a correctness condition, but the race must have been a race. */
    printf("%s: vCPU 1 won %lu of %u extents\n", what, first1,
           rounds * EXTENTS);
}

/* vCPU 0 takes a frame and gives it back GUESS_TAKES times while vCPU 1
 * gives back whatever vCPU 0 got last: each frame leaves exactly once. */
static void race_guess(unsigned int *r)
{
    long before = reservation(), taken = 0;

    guess_stop = 0;
    guess = 0;
    guess_wins[0] = guess_wins[1] = 0;
    mode = MODE_GUESS;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    round_go = ++*r;
    for ( unsigned int k = 0; k < GUESS_TAKES; k++ )
    {
        xen_pfn_t f = 0;
        long rc;

        if ( increase(&f, 1, 0) != 1 )
            break;
        taken++;
        guess = f;
        rc = decrease(f, 0);
        if ( rc == 1 )
            guess_wins[0]++;
        else if ( rc != 0 )
            break;
    }
    guess_stop = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    CHECK(wait_vcpu1(*r), "guessed frames: vCPU 1 finished");
    CHECK_EQ(taken, GUESS_TAKES, "guessed frames: every increase and give-back of vCPU 0 ran");
    CHECK_EQ(guess_wins[0] + guess_wins[1], (unsigned long)taken,
             "guessed frames: each taken frame given back exactly once");
    CHECK_EQ(v1_errors, 0, "guessed frames: vCPU 1 saw only 0 or 1");
    CHECK_EQ(reservation(), before, "guessed frames: current_reservation back where it was");
    printf("guessed frames: vCPU 1 won %lu of %ld\n", guess_wins[1], taken);
}

void test_main(void)
{
    unsigned int r = 0;
    long rc;

    setup(SETUP_SHARED_INFO);           /* pvclock for the timeouts */
    rc = raise_own_max_pages(EXTENTS << 4);
    CHECK_EQ(rc, 0, "setmaxmem on ourselves leaves room for the races");
    rc = start_vcpu1(vcpu1_main);
    if ( rc )
        test_abort("bring up vCPU 1", "setvcpucontext rc %ld", rc);
    test_pass("vCPU 1 is up");

    race("same frames, order 0", MODE_SAME, 0, SAME_ROUNDS0, &r);
    race("same frames, order 4", MODE_SAME, 4, SAME_ROUNDS4, &r);
    race("increase vs decrease", MODE_POPULATE, 0, POP_ROUNDS, &r);
    race_guess(&r);

    mode = MODE_STOP;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    round_go = ++r;
    CHECK(wait_vcpu1(r), "vCPU 1 stopped");
}
