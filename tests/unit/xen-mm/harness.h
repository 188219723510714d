/* The xen-mm test harness: a host "machine" (frame table and RAM buffer;
 * host_env.c) and arch_timer_program for the allocators and timers, on the
 * shared harness (tests/unit/harness: runner, CHECKs, printk and panic).
 *
 * Every case runs in its own forked child, so each starts with the
 * allocators' static state untouched and a crash fails only that case. */
#ifndef XEN_MM_HARNESS_H
#define XEN_MM_HARNESS_H

#include <stdint.h>

#include <xen/types.h>
#include <xen/compiler.h>

#include "xen_unit.h"

/* Host machine: nr_frames frames of RAM, all reserved (zeroed frame table);
 * calls heap_set_max_mfn(nr_frames). */
void host_mm_setup(unsigned long nr_frames);
/* The same without telling the heap (for testing that order of calls). */
void host_machine_setup(unsigned long nr_frames);
extern unsigned long host_nr_frames;

/* smp_processor_id() of the calling thread (default 0). */
void host_set_cpu(unsigned int cpu);

/* arch_timer_program(): every call is recorded. */
unsigned long program_count(unsigned int cpu);
s_time_t program_last(unsigned int cpu);   /* STIME_MAX before any call */

/* A wall-clock budget for thread tests: time_is_up() turns true ms
 * milliseconds after time_limit_start(ms). */
void time_limit_start(unsigned int ms);
bool time_is_up(void);

#endif /* XEN_MM_HARNESS_H */
