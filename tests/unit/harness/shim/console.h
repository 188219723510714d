/* Host stand-ins for the hypervisor's console: printk() keeps each message
 * for the test to inspect (echoed to stderr when UNIT_VERBOSE is set), and
 * panic() fails the case unless a test expects it (EXPECT_PANIC).  For the
 * harnesses that compile hypervisor sources; see console.c. */
#ifndef UNIT_HARNESS_CONSOLE_H
#define UNIT_HARNESS_CONSOLE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* How printk formats; vsnprintf unless a test sets the hypervisor's own. */
extern int (*printk_format)(char *buf, size_t size, const char *fmt,
                            va_list ap);

void printk_clear(void);
/* Messages since the last clear; message i of them, while still kept
 * (the oldest go once more than PRINTK_KEPT arrived). */
#define PRINTK_KEPT 128
unsigned long printk_count(void);
const char *printk_get(unsigned long i);
/* Some kept message contains substring. */
bool printk_seen(const char *substring);
/* Some kept message contains every fragment (list ended by NULL). */
bool printk_has(const char *fragment, ...);
void printk_dump(FILE *f);

/* The host machine of the asm/mm.h shim: a zeroed frame table and a RAM
 * buffer of nr_frames frames (machine.c); FAILs the case if it cannot. */
void host_machine_alloc(unsigned long nr_frames);

/* panic(): when armed, the message is kept and panic longjmps back to
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

#endif /* UNIT_HARNESS_CONSOLE_H */
