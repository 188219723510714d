/*
 * timing.c - clocks and argument parsing shared by the dom0 test programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

uint64_t clock_ns(clockid_t clock)
{
    struct timespec ts;

    if (clock_gettime(clock, &ts) != 0) {
        fprintf(stderr, "clock_gettime(%d): %s\n", (int)clock, strerror(errno));
        exit(2);
    }
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int parse_count(const char *s, unsigned long min, unsigned long max,
                unsigned long *out)
{
    char *end;
    unsigned long v;

    /* strtoul quietly accepts a leading '-' or spaces; a count may not. */
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
