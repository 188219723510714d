/*
 * timing.h - clocks and argument parsing shared by the dom0 test programs.
 */
#ifndef DOM0_TIMING_H
#define DOM0_TIMING_H

#include <stdint.h>
#include <time.h>

/* Nanoseconds on the given clock; exits with a message if the clock fails
 * (a dom0 whose clocks do not work cannot measure anything). */
uint64_t clock_ns(clockid_t clock);

static inline uint64_t mono_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

/* Seconds, for printing. */
static inline double ns_to_s(uint64_t ns) { return (double)ns / 1e9; }

/* A decimal count in [min, max] from a whole argument; 0 on success, -1
 * (nothing printed) on anything else: sign, junk, overflow, out of range. */
int parse_count(const char *s, unsigned long min, unsigned long max,
                unsigned long *out);

#endif
