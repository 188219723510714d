/* The harness checking itself: cases that pass, fail, crash, hang and skip,
 * forked and inline.  tests/suites/09-harness.sh runs it and demands the
 * exact line each one must produce; the failures here are on purpose. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"
#include "rng.h"

static void passes(void) { CHECK_EQ(2 + 2, 4); CHECK_STR("a", "a"); }
static void check_fails(void)
{
    CHECK_EQ(1, 2);
    printf("  info: ran on after a failed check\n");
}
static void rc_fails(void) { CHECK_RC(-22, 0); }
static void crashes(void) { raise(SIGSEGV); }
static void hangs(void) { for ( ;; ) pause(); }
static void spins(void) { for ( volatile unsigned long n = 0;; n++ ) ; }
/* A case the host starves: it runs a little, then waits, for longer than
 * the wall-clock backstop's first window (10 s at timeout_s 1) in all
 * while using half its CPU limit.  The backstop sees it using CPU and
 * leaves it to run to its end; one that only counts wall time kills it. */
static long long cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static void starved(void)
{
    for ( int i = 0; i < 12; i++ )
    {
        long long start = cpu_ns();
        struct timespec second = { 1, 0 };

        while ( cpu_ns() - start < 40000000 )
            ;
        nanosleep(&second, NULL);       /* the backstop's alarm may cut it */
    }
}
static void skips(void) { SKIP("not here"); }
static void fatal(void) { FAIL("stop at %d", 7); }
/* The per-case seed: the suite runs this twice and compares. */
static void draws(void)
{
    printf("  info: draw %#llx\n", (unsigned long long)rng_next());
}

static const struct test_case cases[] = {
    { "passes", passes }, { "check_fails", check_fails },
    { "rc_fails", rc_fails }, { "crashes", crashes }, { "hangs", hangs }, { "spins", spins },
    { "starved", starved },
    { "skips", skips }, { "fatal", fatal }, { "draws", draws },
    { NULL, NULL },
};

int main(int argc, char **argv)
{
    static const struct test_group groups[] = {
        { "forked", cases }, { NULL, NULL },
    };
    static const struct test_suite suite = {
        .name = "selftest", .groups = groups, .timeout_s = 1,
    };
    int rc;

    rc = run_suite(&suite, argc, argv);
    printf("run_suite: %d\n", rc);

    /* Inline: every mismatch counted, the first few shown. */
    case_begin("inline/%s", "three-mismatches");
    for ( int i = 0; i < 3; i++ )
        CHECK_EQ(i, 10);
    case_end();
    case_begin("inline/clean");
    CHECK(1);
    case_end();
    case_skip("inline/skipped", "why");
    printf("cases_failed: %d\n", cases_failed());
    return 0;
}
