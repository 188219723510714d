/*
 * The runtime around test_main(): start-of-day bookkeeping, PASS/FAIL
 * lines, the DONE line and the final shutdown.
 */
#include "guest.h"

unsigned int tests_passed, tests_failed;
struct entry_state entry_state;

void guest_start(struct start_info *si);

void guest_start(struct start_info *si)
{
    start_info = si;
    p2m = si ? (unsigned long *)si->mfn_list : NULL;
    current_l4 = si ? (uint64_t *)si->pt_base : NULL;
    if (!si)
        test_abort("start", "rsi (start_info) was 0 at entry");
    test_main();
    test_finish();
}

void test_pass(const char *name)
{
    __atomic_add_fetch(&tests_passed, 1, __ATOMIC_RELAXED);   /* any vCPU */
    printf("PASS: %s\n", name);
}

static void vfail(const char *name, const char *tail, const char *fmt,
                  va_list ap)
{
    char why[320];

    vsnprintf(why, sizeof(why), fmt, ap);
    __atomic_add_fetch(&tests_failed, 1, __ATOMIC_RELAXED);   /* any vCPU */
    printf("FAIL: %s: %s%s\n", name, why, tail);
}

void test_fail(const char *name, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(name, "", fmt, ap);
    va_end(ap);
}

void test_abort(const char *name, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(name, " (aborting)", fmt, ap);
    va_end(ap);
    test_finish();
}

const char *casename(const char *fmt, ...)
{
    static char name[128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    return name;
}

void guest_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };
    long rc;

    console_flush();
    rc = hv_sched_op(SCHEDOP_shutdown, &sd);
    /* Only reached if the hypervisor let us run on. */
    printf("FAIL: shutdown: SCHEDOP_shutdown(%u) returned %ld\n", reason, rc);
    for (;;)
        hv_sched_op(SCHEDOP_yield, NULL);
}

void test_finish(void)
{
    printf("DONE: %u passed, %u failed\n", tests_passed, tests_failed);
    guest_shutdown(tests_failed || !tests_passed ? SHUTDOWN_crash
                                                 : SHUTDOWN_poweroff);
}
