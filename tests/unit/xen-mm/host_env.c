/* The host "machine" the allocators run on in the xen-mm unit tests: the
 * frame table and RAM buffer, arch_timer_program, time limits, and the
 * per-case setup and failure report the runner calls (main). */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/timer.h>
#include <asm/percpu.h>

unsigned long host_nr_frames;

static unsigned long programs[NR_CPUS];
static s_time_t programmed[NR_CPUS];

void host_machine_setup(unsigned long nr_frames)
{
    host_machine_alloc(nr_frames);
    host_nr_frames = nr_frames;
}

void host_mm_setup(unsigned long nr_frames)
{
    host_machine_setup(nr_frames);
    heap_set_max_mfn(nr_frames);
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
    host_cpu_info.cpu_id = cpu;
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

/* ---- the runner's hooks and main --------------------------------------- */

static void case_setup(const char *name)
{
    (void)name;
    for ( unsigned int cpu = 0; cpu < NR_CPUS; cpu++ )
    {
        programs[cpu] = 0;
        programmed[cpu] = STIME_MAX;
    }
}

static void case_failed(void)
{
    fprintf(stderr, "--- last printk output:\n");
    printk_dump(stderr);
}

/* The test files' tables, each ended by { NULL, NULL }. */
extern const struct test_case page_alloc_cases[];
extern const struct test_case xmalloc_cases[];
extern const struct test_case timer_cases[];

int main(int argc, char **argv)
{
    static const struct test_group groups[] = {
        { NULL, page_alloc_cases }, { NULL, xmalloc_cases },
        { NULL, timer_cases }, { NULL, NULL },
    };
    static const struct test_suite suite = {
        .name = SUITE_NAME, .groups = groups, .timeout_s = 20,
        .setup = case_setup, .on_fail = case_failed,
    };

    return run_suite(&suite, argc, argv);
}
