/*
 * Softirqs: work an interrupt handler defers to the moment the CPU leaves
 * the hypervisor (or the idle loop looks again).  Raising one is cheap and
 * safe from any context; the work runs with interrupts enabled.
 */
#ifndef XEN_SOFTIRQ_H
#define XEN_SOFTIRQ_H

#include <xen/types.h>

enum {
    SOFTIRQ_SCHEDULE,           /* pick the next vCPU */
    SOFTIRQ_NMI_REPORT,         /* log NMIs (the NMI handler cannot) */
    NR_SOFTIRQS
};

void raise_softirq(unsigned int cpu, unsigned int nr);
bool softirq_pending(unsigned int cpu);
/* Whether another CPU raised one of cpu's softirqs since the last call
 * (and forget it). */
bool softirq_take_kick(unsigned int cpu);
/* Run pending softirqs of this CPU.  May not return (a context switch
 * continues on another vCPU's path). */
void do_softirqs(void);

#endif /* XEN_SOFTIRQ_H */
