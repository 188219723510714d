/* The unit tests' one way to check and report: every case ends in one
 * "PASS: name", "FAIL: name: first failure" or "SKIP: name: why" line, the
 * lines tests/run.sh counts.  Plain C; nothing here knows the hypervisor.
 *
 * A case runs either
 *   - forked (runner.h): a failed check ends the case at once, as the
 *     child exits; a crash or a hang fails only that case; or
 *   - inline, between case_begin() and case_end(): a failed check is
 *     recorded and the case goes on, so a table-driven case can show its
 *     first few mismatches (as "  detail" lines) before its FAIL line.
 * The CHECK family is the same in both. */
#ifndef UNIT_HARNESS_CHECK_H
#define UNIT_HARNESS_CHECK_H

#include <stdbool.h>
#include <string.h>

#include "case.h"

#define FAIL(...) case_fatal(__FILE__, __LINE__, __VA_ARGS__)
/* A check the test made itself, said in its own words (not fatal inline). */
#define CHECK_FAIL(...) case_fail(__FILE__, __LINE__, __VA_ARGS__)
#define SKIP(why) case_skip_here(why)

#define CHECK(c) do {                                                        \
        if ( !(c) )                                                          \
            case_fail(__FILE__, __LINE__, "check failed: %s", #c);           \
    } while ( 0 )

/* Integers of any width, shown signed and in hex. */
#define CHECK_EQ(a, b) do {                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);                  \
        if ( a_ != b_ )                                                      \
            case_fail(__FILE__, __LINE__,                                    \
                      "%s == %s: %lld (%#llx) != %lld (%#llx)", #a, #b,      \
                      a_, (unsigned long long)a_, b_, (unsigned long long)b_);\
    } while ( 0 )

/* errno-style results: "got -22, want 0". */
#define CHECK_RC(got, want) do {                                             \
        long long g_ = (long long)(got), w_ = (long long)(want);             \
        if ( g_ != w_ )                                                      \
            case_fail(__FILE__, __LINE__, "%s: got %lld, want %lld", #got,   \
                      g_, w_);                                               \
    } while ( 0 )

#define CHECK_STR(got, want) do {                                            \
        const char *g_ = (got), *w_ = (want);                                \
        if ( g_ == NULL || strcmp(g_, w_) != 0 )                             \
            case_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"",     \
                      #got, g_ ? g_ : "(null)", w_);                         \
    } while ( 0 )

#endif /* UNIT_HARNESS_CHECK_H */
