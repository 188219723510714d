/* Host stand-in for asm/percpu.h: each test thread plays one CPU, chosen
 * with host_set_cpu() (host_env.c); threads start as CPU 0. */
#ifndef X86_PERCPU_H
#define X86_PERCPU_H

#include <asm/config.h>
#include <xen/types.h>

extern __thread unsigned int host_cpu_id;

#define smp_processor_id() (host_cpu_id)

#endif /* X86_PERCPU_H */
