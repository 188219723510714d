/*
 * check.h: xend's unit tests name each check in place ("CHECK(name,
 * cond)") rather than in a case table; each check is one case of the
 * shared unit harness (tests/unit/harness/case.h), so it reports the same
 * "PASS: name" / "FAIL: name: file:line: what" lines as every other unit
 * test, and check_exit() fails the program if any case did.
 */
#ifndef XEND_TEST_CHECK_H
#define XEND_TEST_CHECK_H

/* The tests print their own notes ("# ...") with stdio. */
#include <stdio.h>
#include <string.h>

#include "case.h"

#define CHECK(name, cond) do {						\
	case_begin("%s", (name));					\
	if (!(cond))							\
		case_fail(__FILE__, __LINE__, "%s is false", #cond);	\
	case_end();							\
} while (0)

/* Compare strings, showing both on failure. */
#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	case_begin("%s", (name));					\
	if (g_ == NULL || strcmp(g_, w_) != 0)				\
		case_fail(__FILE__, __LINE__, "got \"%s\", want \"%s\"",\
		    g_ ? g_ : "(null)", w_);				\
	case_end();							\
} while (0)

static inline int
check_exit(void)
{
	return cases_failed() ? 1 : 0;
}

#endif
