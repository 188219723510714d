/* printk(), vprintk() and panic() for the host tests (see printk_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xen_api.h"
#include "printk_log.h"

static char messages[PRINTK_LOG_MAX][512];
static unsigned int nmessages;

void printk_log_clear(void)
{
    nmessages = 0;
}

unsigned int printk_log_count(void)
{
    return nmessages;
}

const char *printk_log_get(unsigned int i)
{
    return i < nmessages ? messages[i] : NULL;
}

bool printk_log_has(const char *fragment, ...)
{
    unsigned int i;

    for ( i = 0; i < nmessages; i++ )
    {
        const char *f = fragment;
        bool all = true;
        va_list ap;

        va_start(ap, fragment);
        for ( ; f; f = va_arg(ap, const char *) )
            if ( !strstr(messages[i], f) )
                all = false;
        va_end(ap);
        if ( all )
            return true;
    }
    return false;
}

int vprintk(const char *fmt, va_list ap)
{
    char *slot = messages[nmessages < PRINTK_LOG_MAX ? nmessages
                                                     : PRINTK_LOG_MAX - 1];
    int n = xen_vsnprintf(slot, sizeof(messages[0]), fmt, ap);

    if ( nmessages < PRINTK_LOG_MAX )
        nmessages++;
    if ( getenv("XEN_LIB_TEST_VERBOSE") )
        printf("  printk: %s", slot);
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("FAIL: panic: ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    abort();
}
