/*
 * Atomic bit operations on bitmaps of unsigned longs, and memory barriers.
 *
 * Bit n of a bitmap is bit (n % 64) of word (n / 64): the layout of the
 * 2-level event-channel bitmaps in shared_info, which the guest changes
 * concurrently with its own locked instructions.  The GCC __atomic builtins
 * compile to lock-prefixed instructions on x86, and need nothing from a C
 * library, so the same header serves the hypervisor and host unit tests.
 */
#ifndef XEN_BITOPS_H
#define XEN_BITOPS_H

#include <xen/types.h>
#include <xen/compiler.h>

#define BITS_PER_LONG 64
#define BIT_WORD(nr)  ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)  (1UL << ((nr) % BITS_PER_LONG))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* Full barrier: orders earlier stores before later loads, too. */
#define smp_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
/* x86 keeps stores in order and loads in order; only the compiler must be
 * stopped from reordering. */
#define smp_wmb() barrier()
#define smp_rmb() barrier()

/* The test_and_* forms are full barriers. */
static inline bool test_and_set_bit(unsigned int nr, volatile unsigned long *map)
{
    unsigned long old = __atomic_fetch_or(&map[BIT_WORD(nr)], BIT_MASK(nr),
                                          __ATOMIC_SEQ_CST);

    return (old & BIT_MASK(nr)) != 0;
}

static inline bool test_and_clear_bit(unsigned int nr,
                                      volatile unsigned long *map)
{
    unsigned long old = __atomic_fetch_and(&map[BIT_WORD(nr)], ~BIT_MASK(nr),
                                           __ATOMIC_SEQ_CST);

    return (old & BIT_MASK(nr)) != 0;
}

static inline void set_bit(unsigned int nr, volatile unsigned long *map)
{
    __atomic_fetch_or(&map[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, volatile unsigned long *map)
{
    __atomic_fetch_and(&map[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline bool test_bit(unsigned int nr, const volatile unsigned long *map)
{
    return (__atomic_load_n(&map[BIT_WORD(nr)], __ATOMIC_ACQUIRE) &
            BIT_MASK(nr)) != 0;
}

/* Exchange one byte (the vcpu_info flag bytes); returns the old value. */
static inline uint8_t xchg_u8(volatile uint8_t *p, uint8_t v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}

#endif /* XEN_BITOPS_H */
