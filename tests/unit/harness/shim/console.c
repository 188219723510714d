/* printk(), vprintk() and panic() on the host (see console.h).  Declared
 * here rather than through <xen/lib.h>, so that harnesses which rename the
 * hypervisor's C library (xen-lib) can link this file unchanged. */
#include <pthread.h>
#include <stdlib.h>

#include "console.h"

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
void panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

int (*printk_format)(char *, size_t, const char *, va_list) = vsnprintf;

jmp_buf panic_jmp;
volatile int panic_armed;
char panic_msg[512];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char kept[PRINTK_KEPT][512];
static unsigned long count;             /* since the last clear */

void printk_clear(void)
{
    pthread_mutex_lock(&lock);
    count = 0;
    pthread_mutex_unlock(&lock);
}

unsigned long printk_count(void)
{
    return count;
}

const char *printk_get(unsigned long i)
{
    if ( i >= count || i + PRINTK_KEPT < count )
        return NULL;
    return kept[i % PRINTK_KEPT];
}

static unsigned long oldest_kept(void)
{
    return count > PRINTK_KEPT ? count - PRINTK_KEPT : 0;
}

bool printk_seen(const char *substring)
{
    for ( unsigned long i = oldest_kept(); i < count; i++ )
        if ( strstr(kept[i % PRINTK_KEPT], substring) )
            return true;
    return false;
}

bool printk_has(const char *fragment, ...)
{
    for ( unsigned long i = oldest_kept(); i < count; i++ )
    {
        bool all = true;
        va_list ap;

        va_start(ap, fragment);
        for ( const char *f = fragment; f; f = va_arg(ap, const char *) )
            if ( !strstr(kept[i % PRINTK_KEPT], f) )
                all = false;
        va_end(ap);
        if ( all )
            return true;
    }
    return false;
}

void printk_dump(FILE *f)
{
    for ( unsigned long i = oldest_kept(); i < count; i++ )
        fprintf(f, "  printk: %s", kept[i % PRINTK_KEPT]);
}

int vprintk(const char *fmt, va_list ap)
{
    char *slot;
    int n;

    pthread_mutex_lock(&lock);
    slot = kept[count % PRINTK_KEPT];
    n = printk_format(slot, sizeof(kept[0]), fmt, ap);
    count++;
    pthread_mutex_unlock(&lock);
    if ( getenv("UNIT_VERBOSE") )
        fprintf(stderr, "  printk: %s", slot);
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
    printk_format(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    if ( panic_armed )
    {
        panic_armed = 0;
        longjmp(panic_jmp, 1);
    }
    FAIL("panic: %s", panic_msg);
}
