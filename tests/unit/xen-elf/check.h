/* A small case framework for the xen-elf host tests: a case is opened with
 * case_begin(), any number of CHECKs may fail inside it, and case_end()
 * prints one "PASS: name" or "FAIL: name: first failure" line. */
#ifndef XEN_ELF_CHECK_H
#define XEN_ELF_CHECK_H

#include <stdio.h>

extern const char *case_prefix;     /* put before every case name */

void case_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void case_end(void);
/* Prints "SKIP: name: why" (a case that could not run here). */
void case_skip(const char *name, const char *why);
int cases_failed(void);
/* Failures in the open case so far. */
unsigned int case_failures(void);

#define CHECK(c) do { if ( !(c) )                                        \
        case_fail(__FILE__, __LINE__, "%s", #c); } while ( 0 )
#define CHECK_EQ(a, b) do {                                              \
        unsigned long long a_ = (unsigned long long)(a);                 \
        unsigned long long b_ = (unsigned long long)(b);                 \
        if ( a_ != b_ )                                                  \
            case_fail(__FILE__, __LINE__, "%s == %s: %#llx != %#llx",    \
                      #a, #b, a_, b_);                                   \
    } while ( 0 )
/* Compares two errno-style results and prints them as signed numbers. */
#define CHECK_RC(got, want) do {                                         \
        int g_ = (got), w_ = (want);                                     \
        if ( g_ != w_ )                                                  \
            case_fail(__FILE__, __LINE__, "%s: got %d, want %d", #got,   \
                      g_, w_);                                           \
    } while ( 0 )

#endif
