/* Basic types for the hypervisor.  Only the compiler's freestanding headers
 * are available here: no libc. */
#ifndef XEN_TYPES_H
#define XEN_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint64_t paddr_t;       /* machine (physical) address */
typedef unsigned long vaddr_t;  /* hypervisor virtual address */
typedef unsigned long mfn_t;    /* machine frame number */
typedef int64_t s_time_t;       /* system time in nanoseconds since boot */
typedef uint16_t domid_t;

#define INVALID_MFN (~0UL)

#endif /* XEN_TYPES_H */
