/* Interrupt vectors owned by the hypervisor, and handler registration. */
#ifndef X86_IRQ_H
#define X86_IRQ_H

#include <asm/regs.h>

#define VECTOR_TIMER        0xf0    /* local APIC timer */
#define VECTOR_IPI_WAKE     0xf1    /* "look at your softirqs/timers" */
#define VECTOR_IPI_CALL     0xf2    /* run a function on another CPU */
#define VECTOR_IPI_FLUSH    0xf3    /* TLB/cache flush request (pv/mm-flush.c) */
#define VECTOR_APIC_ERROR   0xfe
#define VECTOR_SPURIOUS     0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

void set_irq_handler(unsigned int vector, irq_handler_t fn);
void show_registers(const struct cpu_regs *r);
void show_backtrace(unsigned long rbp);

/* Exception fixups (asm/extable.h): resume at the fixup address if the
 * faulting instruction has one.  Returns true when it did. */
bool extable_fixup(struct cpu_regs *r);

#endif /* X86_IRQ_H */
