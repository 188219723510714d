/* The xen-mm test harness: host versions of what the allocators call
 * (printk, panic, arch_timer_program), a host "machine" (frame table and RAM
 * buffer; host_env.c), and a tiny test-case framework (runner.c).
 *
 * Every case runs in its own forked child, so each starts with the
 * allocators' static state untouched and a crash fails only that case. */
#ifndef XEN_MM_HARNESS_H
#define XEN_MM_HARNESS_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/types.h>
#include <xen/compiler.h>

struct test_case {
    const char *name;
    void (*run)(void);
};

/* Each test file defines one of these tables, ended by a { NULL, NULL }. */
extern const struct test_case page_alloc_cases[];
extern const struct test_case xmalloc_cases[];
extern const struct test_case timer_cases[];

/* Fail the running case with a message (never returns). */
void case_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
#define FAIL(...) case_fail(__FILE__, __LINE__, __VA_ARGS__)
#define CHECK(c) do { if ( !(c) ) FAIL("check failed: %s", #c); } while ( 0 )
#define CHECK_EQ(a, b) do {                                                  \
        unsigned long long a_ = (unsigned long long)(a);                     \
        unsigned long long b_ = (unsigned long long)(b);                     \
        if ( a_ != b_ )                                                      \
            FAIL("%s == %s: %llu (%#llx) != %llu (%#llx)", #a, #b,           \
                 a_, a_, b_, b_);                                            \
    } while ( 0 )

/* Host machine: nr_frames frames of RAM, all reserved (zeroed frame table);
 * calls heap_set_max_mfn(nr_frames). */
void host_mm_setup(unsigned long nr_frames);
/* The same without telling the heap (for testing that order of calls). */
void host_machine_setup(unsigned long nr_frames);
extern unsigned long host_nr_frames;

/* panic(): when armed, the last message is kept and panic longjmps back to
 * panic_jmp; otherwise it fails the case. */
extern jmp_buf panic_jmp;
extern volatile int panic_armed;
extern char panic_msg[512];
#define EXPECT_PANIC(tag, stmt) do {                                         \
        if ( setjmp(panic_jmp) == 0 )                                        \
        {                                                                    \
            panic_armed = 1;                                                 \
            stmt;                                                            \
            panic_armed = 0;                                                 \
            FAIL("no panic from %s (wanted one containing \"%s\")",          \
                 #stmt, tag);                                                \
        }                                                                    \
        panic_armed = 0;                                                     \
        if ( strstr(panic_msg, tag) == NULL )                                \
            FAIL("panic \"%s\" from %s lacks \"%s\"", panic_msg, #stmt, tag);\
    } while ( 0 )

/* printk(): messages are kept (and echoed to stderr when XEN_MM_VERBOSE is
 * set); these inspect and reset them. */
unsigned long printk_count(void);
bool printk_seen(const char *substring);
void printk_clear(void);

/* smp_processor_id() of the calling thread (default 0). */
void host_set_cpu(unsigned int cpu);

/* arch_timer_program(): every call is recorded. */
unsigned long program_count(unsigned int cpu);
s_time_t program_last(unsigned int cpu);   /* STIME_MAX before any call */

/* A wall-clock budget for thread tests: time_is_up() turns true ms
 * milliseconds after time_limit_start(ms). */
void time_limit_start(unsigned int ms);
bool time_is_up(void);

/* Deterministic random numbers (xorshift64*), seeded per case. */
uint64_t rng_next(void);
uint64_t rng_below(uint64_t bound);        /* uniform-ish in [0, bound) */
extern uint64_t rng_seed;

/* Runner hooks: reset host state for a new case; print the printk log. */
void host_env_reset(uint64_t rng_start, bool verbose_printk);
void host_env_dump_printk(FILE *f);

#endif /* XEN_MM_HARNESS_H */
