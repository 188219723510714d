/*
 * event_channel_op(cmd, arg): sub-operations and their argument blocks.
 *
 * arg points straight at the block for cmd (not at struct evtchn_op).
 * Port 0 is never a valid channel.  Numbers and layouts are upstream facts
 * as Linux 6.1 uses them; append only.
 */
#ifndef XEN_PUBLIC_EVENT_CHANNEL_H
#define XEN_PUBLIC_EVENT_CHANNEL_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

#define EVTCHNOP_bind_interdomain  0
#define EVTCHNOP_bind_virq         1
#define EVTCHNOP_bind_pirq         2
#define EVTCHNOP_close             3
#define EVTCHNOP_send              4
#define EVTCHNOP_status            5
#define EVTCHNOP_alloc_unbound     6
#define EVTCHNOP_bind_ipi          7
#define EVTCHNOP_bind_vcpu         8
#define EVTCHNOP_unmask            9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11 /* FIFO ABI */
#define EVTCHNOP_expand_array     12 /* FIFO ABI */
#define EVTCHNOP_set_priority     13 /* FIFO ABI */

/* New unbound port in dom that only remote_dom may bind to. */
struct evtchn_alloc_unbound {
    domid_t dom;        /* IN */
    domid_t remote_dom; /* IN */
    evtchn_port_t port; /* OUT */
};

/* Connect a new local port to remote_dom's unbound remote_port. */
struct evtchn_bind_interdomain {
    domid_t remote_dom;        /* IN */
    evtchn_port_t remote_port; /* IN */
    evtchn_port_t local_port;  /* OUT */
};

struct evtchn_bind_virq {
    uint32_t virq;      /* IN: VIRQ_* */
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};

#define BIND_PIRQ__WILL_SHARE 1

struct evtchn_bind_pirq {
    uint32_t pirq;      /* IN */
    uint32_t flags;     /* IN: BIND_PIRQ__* */
    evtchn_port_t port; /* OUT */
};

struct evtchn_bind_ipi {
    uint32_t vcpu;      /* IN */
    evtchn_port_t port; /* OUT */
};

struct evtchn_close {
    evtchn_port_t port; /* IN */
};

struct evtchn_send {
    evtchn_port_t port; /* IN */
};

#define EVTCHNSTAT_closed      0
#define EVTCHNSTAT_unbound     1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq        3
#define EVTCHNSTAT_virq        4
#define EVTCHNSTAT_ipi         5

struct evtchn_status {
    domid_t dom;        /* IN: DOMID_SELF unless privileged */
    evtchn_port_t port; /* IN */
    uint32_t status;    /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;      /* OUT: vCPU notified */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;                /* OUT, selected by status */
};

/* Change which vCPU is notified. */
struct evtchn_bind_vcpu {
    evtchn_port_t port; /* IN */
    uint32_t vcpu;      /* IN */
};

struct evtchn_unmask {
    evtchn_port_t port; /* IN */
};

/* Close every port of dom. */
struct evtchn_reset {
    domid_t dom; /* IN */
};

struct evtchn_init_control {
    uint64_t control_gfn; /* IN */
    uint32_t offset;      /* IN */
    uint32_t vcpu;        /* IN */
    uint8_t link_bits;    /* OUT */
    uint8_t _pad[7];
};

struct evtchn_expand_array {
    uint64_t array_gfn; /* IN */
};

struct evtchn_set_priority {
    evtchn_port_t port; /* IN */
    uint32_t priority;  /* IN: EVTCHN_FIFO_PRIORITY_* */
};

/* The old compat call (hypercall 16) took this; kept for its layout. */
struct evtchn_op {
    uint32_t cmd; /* EVTCHNOP_* */
    union {
        struct evtchn_alloc_unbound alloc_unbound;
        struct evtchn_bind_interdomain bind_interdomain;
        struct evtchn_bind_virq bind_virq;
        struct evtchn_bind_pirq bind_pirq;
        struct evtchn_bind_ipi bind_ipi;
        struct evtchn_close close;
        struct evtchn_send send;
        struct evtchn_status status;
        struct evtchn_bind_vcpu bind_vcpu;
        struct evtchn_unmask unmask;
    } u;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(evtchn_op);

/* ---- 2-level ABI: bitmaps in shared_info ---- */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* ---- FIFO ABI (only if a hypervisor accepts EVTCHNOP_init_control) ---- */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

typedef uint32_t event_word_t;

#define EVTCHN_FIFO_PENDING   31 /* bit numbers within an event word */
#define EVTCHN_FIFO_MASKED    30
#define EVTCHN_FIFO_LINKED    29
#define EVTCHN_FIFO_BUSY      28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1U << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1U << EVTCHN_FIFO_LINK_BITS)

struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    event_word_t head[EVTCHN_FIFO_MAX_QUEUES];
};

#endif /* XEN_PUBLIC_EVENT_CHANNEL_H */
