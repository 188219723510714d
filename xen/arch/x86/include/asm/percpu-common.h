/* What the hypervisor's asm/percpu.h and the unit harness's host stand-in
 * (tests/unit/harness/shim/include/asm/percpu.h) share: struct cpu_info
 * and per-CPU variables as plain arrays indexed by CPU number.  Each
 * includer defines get_cpu_info() (below the stack on the machine, a
 * thread-local on the host). */
#ifndef X86_PERCPU_COMMON_H
#define X86_PERCPU_COMMON_H

#include <asm/config.h>
#include <xen/types.h>

/* 32 bytes, so the guest register frame below it ends 16-byte aligned
 * (the CPU aligns RSP to 16 when it switches to TSS.rsp0). */
struct cpu_info {
    unsigned int cpu_id;
    unsigned int apic_id;
    void *current_vcpu;         /* struct vcpu * running here */
    unsigned long softirq_pending;
    unsigned long pad;
};

#define smp_processor_id() (get_cpu_info()->cpu_id)

#define DEFINE_PER_CPU(type, name) __typeof__(type) per_cpu__##name[NR_CPUS]
#define DECLARE_PER_CPU(type, name) \
    extern __typeof__(type) per_cpu__##name[NR_CPUS]
#define per_cpu(name, cpu) (per_cpu__##name[(cpu)])
#define this_cpu(name)     per_cpu(name, smp_processor_id())

#endif /* X86_PERCPU_COMMON_H */
