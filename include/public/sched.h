/*
 * sched_op(cmd, arg): yielding, blocking, polling and shutdown.
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; append
 * only.
 */
#ifndef XEN_PUBLIC_SCHED_H
#define XEN_PUBLIC_SCHED_H

#include <stdint.h>

#include "event_channel.h"

#define SCHEDOP_yield           0 /* arg NULL */
#define SCHEDOP_block           1 /* arg NULL; unmasks events and sleeps */
#define SCHEDOP_shutdown        2 /* struct sched_shutdown */
#define SCHEDOP_poll            3 /* struct sched_poll */
#define SCHEDOP_remote_shutdown 4 /* struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code   5 /* struct sched_shutdown: record, do not act */
#define SCHEDOP_watchdog        6 /* struct sched_watchdog */
#define SCHEDOP_pin_override    7 /* struct sched_pin_override */

struct sched_shutdown {
    uint32_t reason; /* SHUTDOWN_* */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(sched_shutdown);

/* Sleep until one of ports is pending (even if masked) or timeout passes. */
struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    uint32_t nr_ports;
    uint64_t timeout; /* absolute system time in ns; 0 = none */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(sched_poll);

struct sched_remote_shutdown {
    domid_t domain_id;
    uint32_t reason; /* SHUTDOWN_* */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(sched_remote_shutdown);

struct sched_watchdog {
    uint32_t id;      /* 0 to allocate, else the watchdog to rearm or free */
    uint32_t timeout; /* seconds; 0 frees the watchdog */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(sched_watchdog);

struct sched_pin_override {
    int32_t pcpu; /* negative ends the override */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(sched_pin_override);

#define SHUTDOWN_poweroff   0
#define SHUTDOWN_reboot     1
#define SHUTDOWN_suspend    2 /* rdx carries the start_info frame */
#define SHUTDOWN_crash      3
#define SHUTDOWN_watchdog   4 /* raised by the hypervisor */
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#endif /* XEN_PUBLIC_SCHED_H */
