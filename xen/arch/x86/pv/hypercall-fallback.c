/*
 * Weak fallbacks for hypercalls whose real handlers live in files that may
 * not be in the tree yet.  A real (strong) definition anywhere replaces
 * the fallback at link time; the fallback just says "not implemented".
 */
#include <xen/errno.h>
#include <xen/hypercall.h>

#define FALLBACK(name) \
    __attribute__((weak)) HYPERCALL(name) { return -ENOSYS; }

FALLBACK(mmu_update)
FALLBACK(memory_op)
FALLBACK(update_va_mapping)
FALLBACK(set_timer_op)
FALLBACK(grant_table_op)
FALLBACK(update_va_mapping_otherdomain)
FALLBACK(vcpu_op)
FALLBACK(mmuext_op)
FALLBACK(sched_op)
FALLBACK(event_channel_op)
FALLBACK(dom0_op)
FALLBACK(xenpmu_op)
