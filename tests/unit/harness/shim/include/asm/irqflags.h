/* Host stand-in: user space cannot mask interrupts, and the tests have
 * none to mask. */
#ifndef X86_IRQFLAGS_H
#define X86_IRQFLAGS_H
static inline unsigned long arch_local_irq_save(void) { return 0; }
static inline void arch_local_irq_restore(unsigned long f) { (void)f; }
#endif
