/* The fork-per-case runner: every case runs in its own child, so it starts
 * from fresh static state, and a crash, a sanitizer report or a hang (past
 * the per-case CPU-time limit, or blocked far past it) fails that case
 * alone.  Plain C (POSIX). */
#ifndef UNIT_HARNESS_RUNNER_H
#define UNIT_HARNESS_RUNNER_H

#include "check.h"

struct test_case {
    const char *name;
    void (*run)(void);
};

/* A table of cases ended by { NULL, NULL }; a group name, if any, goes
 * into the case names ("xen-pvmm/types/name"). */
struct test_group {
    const char *name;
    const struct test_case *cases;
};

struct test_suite {
    const char *name;                   /* "xen-mm": "PASS: xen-mm/..." */
    const struct test_group *groups;    /* ended by { NULL, NULL } */
    /* Per case, in CPU seconds of its own (0: 30); a case blocked with no
     * CPU use is ended at 10 times this in wall-clock time. */
    unsigned int timeout_s;
    /* In the child, before the case runs (fresh machine, seeds...). */
    void (*setup)(const char *case_name);
    /* In the child, after its first failure: context to stderr. */
    void (*on_fail)(void);
};

/* Runs the cases whose names contain any of argv[1..] (all without
 * arguments); prints one line per case.  Returns main's exit status. */
int run_suite(const struct test_suite *s, int argc, char **argv);

/* FNV-1a of a string: a per-case seed that stays put across runs. */
unsigned long long name_hash(const char *s);

#endif /* UNIT_HARNESS_RUNNER_H */
