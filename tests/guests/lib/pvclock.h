/*
 * Reading the PV clock (vcpu_info.time): the version protocol (retry while
 * odd or changed), the TSC scaling, and a busy-wait built on it.
 */
#ifndef GUEST_PVCLOCK_H
#define GUEST_PVCLOCK_H

#include <stdint.h>

#include "public/xen.h"

/* A consistent copy of a vcpu_time_info; returns the retries it took. */
unsigned int pvclock_snapshot(const volatile struct vcpu_time_info *t,
                              struct vcpu_time_info *out);
/* System time (ns since domain start) for a snapshot and a TSC value. */
uint64_t pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc);
/* Current system time from this vCPU's vcpu_info. */
uint64_t pvclock_now(void);
/* TSC frequency the clock implies, in kHz (0 if mul is 0). */
uint64_t pvclock_tsc_khz(const struct vcpu_time_info *t);

/* Busy-wait for ns nanoseconds of system time (events untouched). */
void delay_ns(uint64_t ns);

#endif /* GUEST_PVCLOCK_H */
