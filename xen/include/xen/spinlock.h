/* Ticket spinlocks.  Arch-neutral: built on GCC atomics, so the same code
 * runs in the hypervisor and in host unit tests.  Fair (FIFO) because a
 * hypervisor lock contended by many CPUs must not starve one of them. */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

#include <xen/types.h>
#include <xen/compiler.h>
#include <asm/irqflags.h>

typedef struct {
    volatile uint16_t head;  /* ticket now being served */
    volatile uint16_t tail;  /* next ticket to hand out */
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, 0 }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

static inline void spin_lock_init(spinlock_t *l)
{
    l->head = l->tail = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

    while ( __atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me )
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    uint16_t tail = head;

    return __atomic_compare_exchange_n(&l->tail, &tail, (uint16_t)(head + 1),
                                       false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return l->head != l->tail;
}

/*
 * A lock also taken from interrupt handlers must be taken with interrupts
 * off everywhere else, or the handler can spin forever on a lock its own
 * CPU holds.
 */
#define spin_lock_irqsave(l, flags) \
    do { (flags) = arch_local_irq_save(); spin_lock(l); } while ( 0 )

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
    spin_unlock(l);
    arch_local_irq_restore(flags);
}

#endif /* XEN_SPINLOCK_H */
