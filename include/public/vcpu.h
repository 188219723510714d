/*
 * vcpu_op(cmd, vcpuid, arg): bringing vCPUs up and down, timers, and
 * registering guest memory the hypervisor keeps updated.
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; append
 * only.
 */
#ifndef XEN_PUBLIC_VCPU_H
#define XEN_PUBLIC_VCPU_H

#include <stdint.h>

#include "xen.h"

#define VCPUOP_initialise                      0 /* struct vcpu_guest_context */
#define VCPUOP_up                              1 /* arg NULL */
#define VCPUOP_down                            2 /* arg NULL */
#define VCPUOP_is_up                           3 /* arg NULL; returns 1 or 0 */
#define VCPUOP_get_runstate_info               4 /* struct vcpu_runstate_info */
#define VCPUOP_register_runstate_memory_area   5 /* struct vcpu_register_runstate_memory_area */
#define VCPUOP_set_periodic_timer              6 /* struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer             7 /* arg NULL */
#define VCPUOP_set_singleshot_timer            8 /* struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer           9 /* arg NULL */
#define VCPUOP_register_vcpu_info             10 /* struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi                       11 /* arg NULL */
#define VCPUOP_get_physid                     12 /* struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13 /* struct vcpu_register_time_memory_area */

/* ---- Runstate accounting ---- */

#define RUNSTATE_running  0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked  2
#define RUNSTATE_offline  3

struct vcpu_runstate_info {
    int32_t state;             /* RUNSTATE_* */
    uint64_t state_entry_time; /* system time (ns) the state was entered */
    uint64_t time[4];          /* ns spent in each RUNSTATE_* */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_runstate_info);

/*
 * Set in state_entry_time while the hypervisor rewrites a registered
 * runstate area, once the guest enabled VMASST_TYPE_runstate_update_flag.
 */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* The area is a guest virtual address, refreshed on every reschedule. */
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info) h;
        uint64_t p;
    } addr;
};

/* ---- Timers ---- */

struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_set_periodic_timer);

struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns; /* absolute system time */
    uint32_t flags;          /* VCPU_SSHOTTMR_* */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_set_singleshot_timer);

/* Fail with -ETIME instead of firing at once if the timeout has passed. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/* ---- Relocating vcpu_info ---- */

/* Move this vCPU's vcpu_info to offset bytes into frame mfn. */
struct vcpu_register_vcpu_info {
    uint64_t mfn;
    uint32_t offset;
    uint32_t rsvd;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_register_vcpu_info);

/* ---- Physical identity ---- */

struct vcpu_get_physid {
    uint64_t phys_id; /* APIC id in bits 31:0, ACPI id in bits 63:32 */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_get_physid);

#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/* ---- A second copy of vcpu_time_info, e.g. for a user-mapped vDSO ---- */

struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info) h;
        uint64_t p;
    } addr;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(vcpu_register_time_memory_area);

#endif /* XEN_PUBLIC_VCPU_H */
