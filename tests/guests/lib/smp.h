/*
 * Secondary vCPUs for test kernels.
 *
 * vCPU 0 runs test_main(); smp_start(N, fn, arg) makes vCPU N run
 * fn(N, arg) on a stack of its own, with vCPU 0's kernel page table, trap
 * table and callbacks (the first time through VCPUOP_initialise, then
 * VCPUOP_up).  When fn returns the vCPU marks itself done and takes itself
 * down (VCPUOP_down); a later smp_start() brings it up again for a new job.
 *
 * Needs shared_info mapped (setup(SETUP_SHARED_INFO) or more).  A
 * secondary starts with events masked in its own vcpu_info.  Traps on a
 * secondary go through the same handlers as on vCPU 0 (lib/traps.c knows
 * which vCPU it is on from the stack, see smp_cpu_id()).
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include <stdint.h>

#include "public/xen.h"

#define SMP_MAX_CPUS   8
#define SMP_STACK_SIZE 16384UL

typedef void (*smp_entry_t)(unsigned int cpu, void *arg);

/* How many vCPUs the domain has (VCPUOP_is_up until -ENOENT). */
unsigned int smp_nr_vcpus(void);

/* The vCPU we are running on: 0 unless on a secondary's stack. */
unsigned int smp_cpu_id(void);

/* vCPU N's vcpu_info (vCPU 0: the lib's `vcpu`, which may have moved). */
struct vcpu_info *smp_vcpu_info(unsigned int cpu);

/* vCPU N's vcpu_info moved (VCPUOP_register_vcpu_info) to vi. */
void smp_set_vcpu_info(unsigned int cpu, struct vcpu_info *vi);

/* Start fn(cpu, arg) on vCPU cpu (1..nr-1).  Returns 0 or the failing
 * hypercall's rc; -EBUSY if that vCPU still runs an earlier job. */
long smp_start(unsigned int cpu, smp_entry_t fn, void *arg);

/* Has vCPU cpu's job returned (and the vCPU gone down)? */
int smp_done(unsigned int cpu);

/* Wait for every started secondary to finish, until one of them has run
 * timeout_ns of its own running time (runstate) since the wait began and
 * is still not done (0 = forever).  Returns how many are still running. */
unsigned int smp_wait_all(uint64_t timeout_ns);

/* How long vCPU cpu has run, by the hypervisor's accounting
 * (VCPUOP_get_runstate_info; 0 if it cannot say).  Waits for another vCPU
 * bound by this, not by the clock, fail a stuck vCPU but not a late one. */
uint64_t vcpu_ran_ns(unsigned int cpu);

/* A reusable spin barrier for `total` vCPUs. */
struct smp_barrier {
    unsigned int total;
    volatile unsigned int arrived;
    volatile unsigned int generation;
};
void smp_barrier_init(struct smp_barrier *b, unsigned int total);
void smp_barrier_wait(struct smp_barrier *b);

/* A spin lock for data shared between vCPUs. */
typedef struct {
    volatile unsigned int locked;
} smp_lock_t;
void smp_lock(smp_lock_t *l);
void smp_unlock(smp_lock_t *l);

#endif /* GUEST_SMP_H */
