/* Per-CPU state.
 *
 * Each CPU owns one STACK_SIZE-aligned stack block:
 *
 *   page 0      IST stack for #DF
 *   page 1      IST stack for NMI
 *   page 2      IST stack for #MC
 *   pages 3..   the normal hypervisor stack, struct cpu_info at its top
 *
 * so get_cpu_info() works from any stack of the CPU (IST ones included) by
 * rounding RSP up, with no GS-base juggling on entry from a guest.
 * Plain per-CPU variables are arrays indexed by CPU number. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <asm/config.h>

#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3

#ifndef __ASSEMBLY__
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

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;

    __asm__ ("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
                               sizeof(struct cpu_info));
}

#define smp_processor_id() (get_cpu_info()->cpu_id)

#define DEFINE_PER_CPU(type, name) __typeof__(type) per_cpu__##name[NR_CPUS]
#define DECLARE_PER_CPU(type, name) \
    extern __typeof__(type) per_cpu__##name[NR_CPUS]
#define per_cpu(name, cpu) (per_cpu__##name[(cpu)])
#define this_cpu(name)     per_cpu(name, smp_processor_id())

/* The stack block of each CPU (cpu 0's is static in setup.c). */
extern void *cpu_stack_block[NR_CPUS];
#endif

#endif /* X86_PERCPU_H */
