/* Compiler helpers used everywhere. */
#ifndef XEN_COMPILER_H
#define XEN_COMPILER_H

#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)
#define __noreturn      __attribute__((noreturn))
#define __packed        __attribute__((packed))
#define __aligned(n)    __attribute__((aligned(n)))
#define __section(s)    __attribute__((section(s)))
#define __used          __attribute__((used))
#define __unused        __attribute__((unused))
#define __weak          __attribute__((weak))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
#define barrier()       __asm__ __volatile__("" ::: "memory")

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

#endif /* XEN_COMPILER_H */
