/* The unit tests' case bookkeeping: begin and end a case, record a
 * failure, skip.  check.h puts the CHECK family on top of it; a test tree
 * with checks of its own shape (tests/unit/xend's named checks) includes
 * only this, so every unit test reports through the same code.  Plain C;
 * nothing here knows the hypervisor. */
#ifndef UNIT_HARNESS_CASE_H
#define UNIT_HARNESS_CASE_H

#include <stdbool.h>
#include <string.h>

/* Put before every case name ("asan/"); set from main. */
extern const char *case_prefix;

void case_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_end(void);
/* An inline case that could not run here: "SKIP: name: why". */
void case_skip(const char *name, const char *why);
/* Cases (inline ones) that failed so far; failures in the open case. */
int cases_failed(void);
unsigned int case_failures(void);

/* Behind the macros.  case_fail: ends a forked case, records in an inline
 * one.  case_fatal: ends the case either way (inline: the whole program,
 * after its FAIL line).  case_skip_here: a forked case skips itself. */
void case_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void case_fatal(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void case_skip_here(const char *why) __attribute__((noreturn));

#endif /* UNIT_HARNESS_CASE_H */
