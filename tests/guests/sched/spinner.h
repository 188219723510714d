/*
 * Spinner domains for the sched test kernel: the smallest PV guest that
 * burns CPU.  One vCPU, four page-table frames and one code page
 * (`1: pause; jmp 1b`), built by us through foreign mappings as the
 * fuzzer's second guest is.  It never traps or takes an event, so all it
 * does is compete for a CPU.
 */
#ifndef GUEST_SCHED_SPINNER_H
#define GUEST_SCHED_SPINNER_H

#include "guest.h"
#include "public/dom0_op.h"

/* A paused spinner, its vCPU 0 up; the new domid, or a negative errno. */
long spinner_create(void);
/* 0 or the dom0_op's rc. */
long spinner_unpause(domid_t d);
long spinner_destroy(domid_t d);
/* vCPU 0's running time (getvcpuinfo cpu_time_ns: the scheduler's
 * account, the same as the runstate's running time); 0 on error. */
uint64_t spinner_cpu_time(domid_t d);

#endif /* GUEST_SCHED_SPINNER_H */
