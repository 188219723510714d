/* CPUs: numbering and the online set.  CPU 0 is the boot CPU; the others
 * are numbered in the order the ACPI MADT lists them. */
#ifndef XEN_SMP_H
#define XEN_SMP_H

#include <xen/types.h>
#include <asm/percpu.h>

extern unsigned int nr_cpu_ids;           /* CPUs found (MADT), <= NR_CPUS */
extern volatile uint64_t cpu_online_mask; /* bit n: CPU n runs */

static inline bool cpu_online(unsigned int cpu)
{
    return cpu < NR_CPUS && (cpu_online_mask & (1UL << cpu));
}

static inline unsigned int num_online_cpus(void)
{
    uint64_t m = cpu_online_mask;
    unsigned int n = 0;

    for ( ; m; m &= m - 1 )
        n++;
    return n;
}

#define for_each_online_cpu(c) \
    for ( (c) = 0; (c) < NR_CPUS; (c)++ ) if ( cpu_online(c) )

#endif /* XEN_SMP_H */
