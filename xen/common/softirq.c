/* Softirqs (see xen/softirq.h).  The pending word lives in each CPU's
 * struct cpu_info; another CPU raising one also kicks the target so it
 * notices even while halted in the idle loop. */
#include <xen/lib.h>
#include <xen/smp.h>
#include <xen/softirq.h>
#include <xen/arch-hooks.h>

void schedule(void);
void nmi_report(void);

static unsigned long *pending_word(unsigned int cpu)
{
    extern void *cpu_stack_block[];
    char *block = cpu_stack_block[cpu];

    return &((struct cpu_info *)(block + STACK_SIZE) - 1)->softirq_pending;
}

/* Another CPU raised a softirq here and kicked us since we last looked
 * (the idle loop's accounting of what got it out of HLT). */
static bool kicked[NR_CPUS];

void raise_softirq(unsigned int cpu, unsigned int nr)
{
    __atomic_or_fetch(pending_word(cpu), 1UL << nr, __ATOMIC_SEQ_CST);
    if ( cpu != smp_processor_id() )
    {
        __atomic_store_n(&kicked[cpu], true, __ATOMIC_RELEASE);
        cpu_kick(cpu);
    }
}

bool softirq_take_kick(unsigned int cpu)
{
    return __atomic_exchange_n(&kicked[cpu], false, __ATOMIC_ACQ_REL);
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(pending_word(cpu), __ATOMIC_ACQUIRE) != 0;
}

void do_softirqs(void)
{
    unsigned long *w = pending_word(smp_processor_id());
    unsigned long bits;

    while ( (bits = __atomic_exchange_n(w, 0, __ATOMIC_SEQ_CST)) != 0 )
    {
        if ( bits & (1UL << SOFTIRQ_NMI_REPORT) )
            nmi_report();
        if ( bits & (1UL << SOFTIRQ_SCHEDULE) )
            schedule();     /* last: it may not return */
    }
}
