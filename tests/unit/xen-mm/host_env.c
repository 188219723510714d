/* The host "machine" the allocators run on in the xen-mm unit tests: the
 * frame table and RAM buffer, and host versions of what the hypervisor's
 * other files would provide (printk, panic, arch_timer_program), plus the
 * tests' random numbers and time limits. */

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/timer.h>

struct page_info *host_frame_table;
unsigned char *host_ram;
unsigned long host_nr_frames;

jmp_buf panic_jmp;
volatile int panic_armed;
char panic_msg[512];

static uint64_t rng_state;
__thread unsigned int host_cpu_id;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char printk_log[16384];          /* the most recent messages */
static size_t printk_log_len;
static unsigned long printk_calls;
static bool verbose;

static unsigned long programs[NR_CPUS];
static s_time_t programmed[NR_CPUS];

void host_machine_setup(unsigned long nr_frames)
{
    size_t bytes = nr_frames << PAGE_SHIFT;
    void *ram;

    host_frame_table = calloc(nr_frames, sizeof(struct page_info));
    /* NORESERVE: big machines cost only the frames a case touches. */
    ram = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ( host_frame_table == NULL || ram == MAP_FAILED )
        FAIL("host_mm_setup(%lu frames): out of host memory", nr_frames);
    host_ram = ram;
    host_nr_frames = nr_frames;
}

void host_mm_setup(unsigned long nr_frames)
{
    host_machine_setup(nr_frames);
    heap_set_max_mfn(nr_frames);
}

/* ---- printk / panic ---------------------------------------------------- */

static void log_append(const char *msg)
{
    size_t n = strlen(msg);

    pthread_mutex_lock(&log_lock);
    printk_calls++;
    if ( n >= sizeof(printk_log) )
        n = sizeof(printk_log) - 1;
    if ( printk_log_len + n >= sizeof(printk_log) )
        printk_log_len = 0;             /* keep it simple: start over */
    memcpy(printk_log + printk_log_len, msg, n + 1);
    printk_log_len += n;
    pthread_mutex_unlock(&log_lock);
    if ( verbose )
        fprintf(stderr, "  printk: %s", msg);
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    log_append(buf);
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
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    if ( panic_armed )
    {
        panic_armed = 0;
        longjmp(panic_jmp, 1);
    }
    FAIL("unexpected panic: %s", panic_msg);
}

unsigned long printk_count(void)
{
    return printk_calls;
}

bool printk_seen(const char *substring)
{
    bool seen;

    pthread_mutex_lock(&log_lock);
    seen = strstr(printk_log, substring) != NULL;
    pthread_mutex_unlock(&log_lock);
    return seen;
}

void printk_clear(void)
{
    pthread_mutex_lock(&log_lock);
    printk_log[0] = '\0';
    printk_log_len = 0;
    printk_calls = 0;
    pthread_mutex_unlock(&log_lock);
}

/* ---- arch_timer_program ------------------------------------------------ */

void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
    if ( cpu >= NR_CPUS )
        FAIL("arch_timer_program: cpu %u out of range", cpu);
    /* Called under the timer queue lock, so per-cpu updates are ordered. */
    __atomic_add_fetch(&programs[cpu], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&programmed[cpu], deadline, __ATOMIC_RELAXED);
}

unsigned long program_count(unsigned int cpu)
{
    return __atomic_load_n(&programs[cpu], __ATOMIC_RELAXED);
}

s_time_t program_last(unsigned int cpu)
{
    return __atomic_load_n(&programmed[cpu], __ATOMIC_RELAXED);
}

void host_set_cpu(unsigned int cpu)
{
    host_cpu_id = cpu;
}

/* ---- time limits ------------------------------------------------------- */

static struct timespec time_limit;

void time_limit_start(unsigned int ms)
{
    clock_gettime(CLOCK_MONOTONIC, &time_limit);
    time_limit.tv_sec += ms / 1000;
    time_limit.tv_nsec += (long)(ms % 1000) * 1000000L;
    if ( time_limit.tv_nsec >= 1000000000L )
    {
        time_limit.tv_sec++;
        time_limit.tv_nsec -= 1000000000L;
    }
}

bool time_is_up(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > time_limit.tv_sec ||
           (now.tv_sec == time_limit.tv_sec && now.tv_nsec >= time_limit.tv_nsec);
}

/* ---- random numbers ---------------------------------------------------- */

uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

uint64_t rng_below(uint64_t bound)
{
    return bound ? rng_next() % bound : 0;
}

/* ---- per-case state ---------------------------------------------------- */

void host_env_reset(uint64_t rng_start, bool verbose_printk)
{
    rng_state = rng_start ? rng_start : 1;
    verbose = verbose_printk;
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        programs[cpu] = 0;
        programmed[cpu] = STIME_MAX;
    }
    printk_clear();
}

void host_env_dump_printk(FILE *f)
{
    pthread_mutex_lock(&log_lock);
    fprintf(f, "%s\n", printk_log);
    pthread_mutex_unlock(&log_lock);
}
