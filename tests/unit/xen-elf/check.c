/* Case bookkeeping for the xen-elf host tests (see check.h). */
#include <stdarg.h>
#include <stdio.h>
#include "check.h"

#define DETAILS_SHOWN 5

const char *case_prefix = "";
static char current[256];
static unsigned int failures;
static int failed_cases;
static char first_failure[512];

void case_begin(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(current, sizeof(current), fmt, ap);
    va_end(ap);
    failures = 0;
    first_failure[0] = '\0';
}

void case_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if ( failures == 0 )
        snprintf(first_failure, sizeof(first_failure), "%s:%d: %s", file,
                 line, msg);
    if ( failures < DETAILS_SHOWN )
        printf("  detail (%s%s): %s:%d: %s\n", case_prefix, current, file,
               line, msg);
    failures++;
}

void case_end(void)
{
    if ( failures == 0 )
        printf("PASS: %s%s\n", case_prefix, current);
    else
    {
        printf("FAIL: %s%s: %u failure(s), first: %s\n", case_prefix,
               current, failures, first_failure);
        failed_cases++;
    }
    fflush(stdout);
}

void case_skip(const char *name, const char *why)
{
    printf("SKIP: %s%s: %s\n", case_prefix, name, why);
    fflush(stdout);
}

int cases_failed(void)
{
    return failed_cases;
}

unsigned int case_failures(void)
{
    return failures;
}
