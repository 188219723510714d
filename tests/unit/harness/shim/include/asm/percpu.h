/* Host stand-in for asm/percpu.h: each test thread plays one CPU, with its
 * own struct cpu_info (shim/machine.c; threads start as CPU 0), so
 * `current` and smp_processor_id() work in host tests.  Per-CPU variables
 * are plain arrays. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <asm/config.h>
#include <xen/types.h>

struct cpu_info {
    unsigned int cpu_id;
    unsigned int apic_id;
    void *current_vcpu;
    unsigned long softirq_pending;
    unsigned long pad;
};

extern __thread struct cpu_info host_cpu_info;

static inline struct cpu_info *get_cpu_info(void)
{
    return &host_cpu_info;
}

#define smp_processor_id() (get_cpu_info()->cpu_id)
#define DEFINE_PER_CPU(type, name) __typeof__(type) per_cpu__##name[NR_CPUS]
#define DECLARE_PER_CPU(type, name) \
    extern __typeof__(type) per_cpu__##name[NR_CPUS]
#define per_cpu(name, cpu) (per_cpu__##name[(cpu)])
#define this_cpu(name)     per_cpu(name, smp_processor_id())

#endif /* X86_PERCPU_H */
