/* What check.c and runner.c share, and nothing else needs. */
#ifndef UNIT_HARNESS_CHECK_INTERNAL_H
#define UNIT_HARNESS_CHECK_INTERNAL_H

/* Set in a forked case's child: where its failure is told, and what to
 * print (to stderr) after it. */
extern int case_result_fd;
extern void (*case_on_fail)(void);

/* A forked case's exit status when it skipped itself (as automake's). */
#define CASE_SKIP_STATUS 77

#endif
