/* Case bookkeeping for the host unit tests (see check.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

#define DETAILS_SHOWN 5

const char *case_prefix = "";
static const char *current;
static unsigned int failures_in_case;
static int failed_cases;
static char first_failure[512];

void case_begin(const char *name)
{
    current = name;
    failures_in_case = 0;
    first_failure[0] = '\0';
}

void case_fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if ( failures_in_case == 0 )
        snprintf(first_failure, sizeof(first_failure), "%s", msg);
    if ( failures_in_case < DETAILS_SHOWN )
        printf("  detail (%s%s): %s\n", case_prefix, current, msg);
    failures_in_case++;
}

void case_end(void)
{
    if ( failures_in_case == 0 )
        printf("PASS: %s%s\n", case_prefix, current);
    else
    {
        printf("FAIL: %s%s: %u mismatch(es), first: %s\n", case_prefix,
               current, failures_in_case, first_failure);
        failed_cases++;
    }
    fflush(stdout);
}

int cases_failed(void)
{
    return failed_cases;
}
