/*
 * Test reporting: one line per case, "PASS: <case>" or
 * "FAIL: <case>: <why>", then "DONE: <n> passed, <m> failed" and a
 * shutdown (poweroff when all passed, crash otherwise).
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include <stdint.h>

/* Defined by each test kernel. */
void test_main(void);

void test_pass(const char *name);
void test_fail(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Ends the test now: prints why as a FAIL, DONE, and crashes the domain. */
void test_abort(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* Prints DONE and shuts down; called by the runtime after test_main(). */
void test_finish(void) __attribute__((noreturn));
/* Shut the domain down with a SHUTDOWN_* reason; never returns. */
void guest_shutdown(unsigned int reason) __attribute__((noreturn));

extern unsigned int tests_passed, tests_failed;

/* Case names built at run time (loops); returns a static buffer. */
const char *casename(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond, name)                                                    \
    do {                                                                     \
        if (cond)                                                            \
            test_pass(name);                                                 \
        else                                                                 \
            test_fail(name, "%s is false", #cond);                           \
    } while (0)

/* Compares as 64-bit integers; prints both values in decimal and hex. */
#define CHECK_EQ(a, b, name)                                                 \
    do {                                                                     \
        int64_t check_a_ = (int64_t)(a), check_b_ = (int64_t)(b);            \
        if (check_a_ == check_b_)                                            \
            test_pass(name);                                                 \
        else                                                                 \
            test_fail(name, "%s = %ld (%#lx), expected %s = %ld (%#lx)",     \
                      #a, check_a_, check_a_, #b, check_b_, check_b_);       \
    } while (0)

/* A call that must fail (any negative errno). */
#define CHECK_ERR(a, name)                                                   \
    do {                                                                     \
        int64_t check_a_ = (int64_t)(a);                                     \
        if (check_a_ < 0)                                                    \
            test_pass(name);                                                 \
        else                                                                 \
            test_fail(name, "%s = %ld, expected an error", #a, check_a_);    \
    } while (0)



/* setup(): what a test kernel needs before its cases (lib/setup.c). */
#define SETUP_SHARED_INFO 1u
#define SETUP_TRAPS       2u
#define SETUP_EVENTS      4u /* implies the other two */
void setup(unsigned int what);
#endif /* GUEST_TEST_H */
