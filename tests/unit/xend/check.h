/*
 * check.h: the tiny harness of xend's unit tests.  Every CHECK prints
 * "PASS: name" or "FAIL: name: what" (the format tests/run.sh counts),
 * and check_exit() makes the program fail if any check did.
 */
#ifndef XEND_TEST_CHECK_H
#define XEND_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond) do {						\
	if (cond)							\
		printf("PASS: %s\n", (name));				\
	else {								\
		printf("FAIL: %s: %s is false (%s:%d)\n", (name), #cond,\
		    __FILE__, __LINE__);				\
		check_failures++;					\
	}								\
} while (0)

/* Compare strings, showing both on failure. */
#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ != NULL && strcmp(g_, w_) == 0)				\
		printf("PASS: %s\n", (name));				\
	else {								\
		printf("FAIL: %s: got \"%s\", want \"%s\" (%s:%d)\n",	\
		    (name), g_ ? g_ : "(null)", w_, __FILE__, __LINE__);\
		check_failures++;					\
	}								\
} while (0)

static inline int
check_exit(void)
{
	return check_failures ? 1 : 0;
}

#endif
