/* Host stand-in for asm/processor.h: only the TSC, which the tests drive
 * (harness.c: fake_tsc). */
#ifndef X86_PROCESSOR_H
#define X86_PROCESSOR_H

#include <xen/types.h>

uint64_t rdtsc(void);

#endif /* X86_PROCESSOR_H */
