/* Case bookkeeping behind check.h, for inline and forked cases. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_internal.h"

#define DETAILS_SHOWN 5

const char *case_prefix = "";

/* Forked mode (set in the child by runner.c). */
int case_result_fd = -1;
void (*case_on_fail)(void);

/* Inline mode. */
static char current[256];
static unsigned int failures;
static int failed_cases;
static char first_failure[1024];

void case_begin(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(current, sizeof(current), fmt, ap);
    va_end(ap);
    failures = 0;
    first_failure[0] = '\0';
}

void case_end(void)
{
    if ( failures == 0 )
        printf("PASS: %s%s\n", case_prefix, current);
    else
    {
        printf("FAIL: %s%s: %s", case_prefix, current, first_failure);
        if ( failures > 1 )
            printf(" (%u failures)", failures);
        putchar('\n');
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

/* A forked case tells its parent why, once, and ends.  Threads may fail
 * at once: only the first one's message goes out. */
static void forked_end(const char *msg, int status)
{
    static int told;

    if ( __atomic_exchange_n(&told, 1, __ATOMIC_SEQ_CST) == 0 )
    {
        if ( write(case_result_fd, msg, strlen(msg)) < 0 )
            perror("write");
        if ( status == 1 && case_on_fail )
            case_on_fail();
    }
    _exit(status);
}

static void vfail(const char *file, int line, const char *fmt, va_list ap)
{
    char msg[1024];
    int n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);

    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    if ( case_result_fd >= 0 )
        forked_end(msg, 1);
    if ( failures == 0 )
        snprintf(first_failure, sizeof(first_failure), "%s", msg);
    if ( failures < DETAILS_SHOWN )
        printf("  detail (%s%s): %s\n", case_prefix, current, msg);
    failures++;
}

void case_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(file, line, fmt, ap);
    va_end(ap);
}

void case_fatal(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(file, line, fmt, ap);
    va_end(ap);
    /* Inline: nothing isolates the rest of the program from this case. */
    case_end();
    abort();
}

void case_skip_here(const char *why)
{
    if ( case_result_fd >= 0 )
        forked_end(why, CASE_SKIP_STATUS);
    case_fatal(__FILE__, __LINE__, "SKIP(%s) in an inline case", why);
}
