/* Host stand-in for asm/percpu.h: each test thread plays one CPU, with its
 * own struct cpu_info (shim/machine.c; threads start as CPU 0), so
 * `current` and smp_processor_id() work in host tests.  Per-CPU variables
 * are plain arrays. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

/* struct cpu_info and the per-CPU arrays: the hypervisor's own. */
#include <asm/percpu-common.h>

extern __thread struct cpu_info host_cpu_info;

static inline struct cpu_info *get_cpu_info(void)
{
    return &host_cpu_info;
}

#endif /* X86_PERCPU_H */
