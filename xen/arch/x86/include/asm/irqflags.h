/* Interrupt-flag save/restore for spinlock.h's _irqsave variants.  (Host
 * unit tests supply their own no-op version of this header.) */
#ifndef X86_IRQFLAGS_H
#define X86_IRQFLAGS_H

static inline unsigned long arch_local_irq_save(void)
{
    unsigned long f;

    __asm__ __volatile__("pushf; pop %0; cli" : "=r"(f) :: "memory");
    return f;
}

static inline void arch_local_irq_restore(unsigned long f)
{
    if ( f & (1UL << 9) )
        __asm__ __volatile__("sti" ::: "memory");
}

#endif /* X86_IRQFLAGS_H */
