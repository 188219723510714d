/* The tests' reporting: one "PASS: name" or "FAIL: name: why" line per
 * case, as tests/run.sh expects.  Table-driven cases keep counting after a
 * mismatch and show only the first few, so one bug cannot bury the log. */
#ifndef XEN_LIB_TEST_CHECK_H
#define XEN_LIB_TEST_CHECK_H

#include <stdbool.h>

/* A case collects failures until case_end() prints its one line. */
void case_begin(const char *name);
void case_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_end(void);

/* Fails the current case (with where and what) unless cond holds. */
#define EXPECT(cond) do { if ( !(cond) ) \
    case_fail("%s:%d: expected %s", __FILE__, __LINE__, #cond); } while ( 0 )

/* Set by the harness main: prefixes every case name ("asan/"). */
extern const char *case_prefix;
int cases_failed(void);

#endif
