/* Host versions of printk, panic and arch_timer_program, the host machine,
 * and the per-case fork runner for the xen-mm unit tests. */

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/timer.h>

#ifndef SUITE_PREFIX
#define SUITE_PREFIX "xen-mm"
#endif
#define CASE_TIMEOUT_S 60

struct page_info *host_frame_table;
unsigned char *host_ram;
unsigned long host_nr_frames;

jmp_buf panic_jmp;
volatile int panic_armed;
char panic_msg[512];

uint64_t rng_seed;
static uint64_t rng_state;

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char printk_log[16384];          /* the most recent messages */
static size_t printk_log_len;
static unsigned long printk_calls;
static bool verbose;

static unsigned long programs[NR_CPUS];
static s_time_t programmed[NR_CPUS];

static int result_fd = -1;              /* child: where a failure is told */
static const char *current_case;

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
    heap_set_max_mfn(nr_frames - 1);
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

/* ---- failing and running cases ----------------------------------------- */

void case_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    int n;
    va_list ap;

    n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "--- %s failed (seed %#llx): %s\n", current_case,
            (unsigned long long)rng_seed, msg);
    fprintf(stderr, "--- last printk output:\n%s\n", printk_log);
    if ( result_fd >= 0 && write(result_fd, msg, strlen(msg)) < 0 )
        perror("write");
    _exit(1);
}

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while ( *s )
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Run one case in a child; returns true if it passed. */
static bool run_case(const struct test_case *tc)
{
    char why[1024];
    ssize_t got = 0, n;
    int fds[2], status;
    pid_t pid;

    if ( pipe(fds) != 0 )
    {
        perror("pipe");
        exit(2);
    }
    fflush(NULL);
    pid = fork();
    if ( pid < 0 )
    {
        perror("fork");
        exit(2);
    }
    if ( pid == 0 )
    {
        close(fds[0]);
        result_fd = fds[1];
        current_case = tc->name;
        rng_state = rng_seed ^ name_hash(tc->name);
        if ( rng_state == 0 )
            rng_state = 1;
        for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
            programmed[cpu] = STIME_MAX;
        alarm(CASE_TIMEOUT_S);
        tc->run();
        exit(0);
    }

    close(fds[1]);
    while ( got < (ssize_t)sizeof(why) - 1 &&
            (n = read(fds[0], why + got, sizeof(why) - 1 - got)) > 0 )
        got += n;
    why[got] = '\0';
    close(fds[0]);
    if ( waitpid(pid, &status, 0) < 0 )
    {
        perror("waitpid");
        exit(2);
    }

    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == 0 )
    {
        printf("PASS: %s/%s\n", SUITE_PREFIX, tc->name);
        return true;
    }
    if ( got == 0 )
    {
        if ( WIFSIGNALED(status) )
            snprintf(why, sizeof(why), "killed by signal %d%s",
                     WTERMSIG(status),
                     WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
        else
            snprintf(why, sizeof(why), "exit status %d (sanitizer report "
                     "on stderr?)", WEXITSTATUS(status));
    }
    printf("FAIL: %s/%s: %s\n", SUITE_PREFIX, tc->name, why);
    return false;
}

static bool wanted(const char *name, int argc, char **argv)
{
    if ( argc <= 1 )
        return true;
    for ( int i = 1; i < argc; i++ )
        if ( strstr(name, argv[i]) != NULL )
            return true;
    return false;
}

int main(int argc, char **argv)
{
    static const struct test_case *const tables[] = {
        page_alloc_cases, xmalloc_cases, timer_cases,
    };
    const char *seed = getenv("XEN_MM_SEED");
    unsigned int failed = 0, ran = 0;

    verbose = getenv("XEN_MM_VERBOSE") != NULL;
    rng_seed = seed ? strtoull(seed, NULL, 0) : 0x5eed0f11a110c8ULL;
    setvbuf(stdout, NULL, _IOLBF, 0);

    for ( size_t t = 0; t < ARRAY_SIZE(tables); t++ )
        for ( const struct test_case *tc = tables[t]; tc->name; tc++ )
        {
            if ( !wanted(tc->name, argc, argv) )
                continue;
            ran++;
            if ( !run_case(tc) )
                failed++;
        }
    if ( ran == 0 )
    {
        printf("FAIL: %s: no test case matched\n", SUITE_PREFIX);
        return 1;
    }
    return failed ? 1 : 0;
}
