/*
 * callback_op(cmd, arg): entry points the hypervisor bounces events,
 * failures and guest-user system calls to.
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; append
 * only.
 */
#ifndef XEN_PUBLIC_CALLBACK_H
#define XEN_PUBLIC_CALLBACK_H

#include <stdint.h>

#include "xen.h"

#define CALLBACKTYPE_event               0 /* event-channel upcall */
#define CALLBACKTYPE_failsafe            1 /* the guest's state could not be restored */
#define CALLBACKTYPE_syscall             2 /* SYSCALL from 64-bit guest user mode */
#define CALLBACKTYPE_sysenter_deprecated 3 /* retired (32-bit hypervisors only) */
#define CALLBACKTYPE_nmi                 4
#define CALLBACKTYPE_sysenter            5 /* SYSENTER from guest user mode (Intel) */
/*                                       6    unused */
#define CALLBACKTYPE_syscall32           7 /* SYSCALL from 32-bit guest user mode (AMD) */

/* Mask events (set evtchn_upcall_mask) when entering the callback. */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register   0
#define CALLBACKOP_unregister 1

struct callback_register {
    uint16_t type;          /* CALLBACKTYPE_* */
    uint16_t flags;         /* CALLBACKF_* */
    xen_callback_t address; /* must be canonical */
};

struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};

#endif /* XEN_PUBLIC_CALLBACK_H */
