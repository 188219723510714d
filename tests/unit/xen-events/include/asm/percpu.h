/* Host stand-in for asm/percpu.h: each test thread plays one CPU, with its
 * own struct cpu_info (harness.c: set_cpu, set_current). */
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

#endif /* X86_PERCPU_H */
