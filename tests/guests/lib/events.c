/*
 * 2-level event channels: callback registration, the upcall handler that
 * walks evtchn_pending_sel / pending & ~mask like Linux's events_2l.c, and
 * small wrappers around EVTCHNOP_*.
 */
#include "guest.h"

volatile unsigned int upcall_count;
volatile unsigned int port_events[NR_PORTS];
static port_handler_t handlers[NR_PORTS];

void evtchn_do_upcall(void);

long events_init(void)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_event,
        .flags = CALLBACKF_mask_events,
        .address = (uint64_t)event_callback_entry,
    };
    long rc = hv_callback_op(CALLBACKOP_register, &cb);

    if (rc)
        return rc;
    cb.type = CALLBACKTYPE_failsafe;
    cb.address = (uint64_t)failsafe_callback_entry;
    return hv_callback_op(CALLBACKOP_register, &cb);
}

void evtchn_set_handler(evtchn_port_t port, port_handler_t fn)
{
    if (port < NR_PORTS)
        handlers[port] = fn;
}

static volatile xen_ulong_t *word_of(volatile xen_ulong_t *bitmap, evtchn_port_t port)
{
    return &bitmap[port / 64];
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(word_of(shared_info->evtchn_mask, port), 1UL << (port % 64),
                      __ATOMIC_SEQ_CST);
}

void evtchn_unmask_local(evtchn_port_t port)
{
    __atomic_fetch_and(word_of(shared_info->evtchn_mask, port),
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

int evtchn_is_pending(evtchn_port_t port)
{
    return (*word_of(shared_info->evtchn_pending, port) >> (port % 64)) & 1;
}

int evtchn_is_masked(evtchn_port_t port)
{
    return (*word_of(shared_info->evtchn_mask, port) >> (port % 64)) & 1;
}

void evtchn_clear_pending(evtchn_port_t port)
{
    __atomic_fetch_and(word_of(shared_info->evtchn_pending, port),
                       ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
}

void (*evtchn_upcall_override)(void);

/* The vcpu_info of the vCPU we run on (events may be used on any). */
static struct vcpu_info *this_vcpu_info(void)
{
    return smp_vcpu_info(smp_cpu_id());
}

/* Runs with events masked (the callback was registered mask_events). */
void evtchn_do_upcall(void)
{
    struct vcpu_info *vcpu = this_vcpu_info();

    if (evtchn_upcall_override) {
        evtchn_upcall_override();
        return;
    }
    upcall_count++;
    do {
        xen_ulong_t sel;

        vcpu->evtchn_upcall_pending = 0;
        barrier();
        sel = __atomic_exchange_n(&vcpu->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);
            xen_ulong_t bits;

            sel &= sel - 1;
            bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];
            while (bits) {
                evtchn_port_t port = w * 64 + (unsigned int)__builtin_ctzl(bits);

                bits &= bits - 1;
                evtchn_clear_pending(port);
                port_events[port]++;
                if (handlers[port])
                    handlers[port](port);
            }
        }
        barrier();
    } while (vcpu->evtchn_upcall_pending);
}

void events_enable(void)
{
    struct vcpu_info *vcpu = this_vcpu_info();

    vcpu->evtchn_upcall_mask = 0;
    barrier();
    if (vcpu->evtchn_upcall_pending)
        hv_xen_version(XENVER_version, NULL); /* any hypercall delivers it */
}

void events_disable(void)
{
    struct vcpu_info *vcpu = this_vcpu_info();

    vcpu->evtchn_upcall_mask = 1;
    barrier();
}

int wait_for_count(volatile unsigned int *counter, unsigned int target,
                   uint64_t timeout_ns)
{
    uint64_t deadline = pvclock_now() + timeout_ns;
    unsigned int after = 0;
    int reached;

    events_enable();
    for (;;) {
        reached = *counter >= target;
        if (reached)
            break;
        if ((int64_t)(pvclock_now() - deadline) > 0 && after++ >= WAIT_YIELDS_AFTER)
            break;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
    events_disable();
    return reached || *counter >= target;
}

int evtchn_poll_one(evtchn_port_t port)
{
    struct sched_poll poll = { .nr_ports = 1, .timeout = 0 };

    poll.ports.p = &port;
    hv_sched_op(SCHEDOP_poll, &poll);
    if (!evtchn_is_pending(port))
        return 0;
    evtchn_clear_pending(port);
    return 1;
}

uint64_t vcpu0_blocked_ns(void)
{
    struct vcpu_runstate_info ri;

    if (hv_vcpu_op(VCPUOP_get_runstate_info, 0, &ri))
        test_abort("runstate", "VCPUOP_get_runstate_info failed");
    return ri.time[RUNSTATE_blocked];
}

long evtchn_bind_virq(uint32_t virq, uint32_t vcpu_id, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu_id };
    long rc = hv_evtchn_op(EVTCHNOP_bind_virq, &b);

    if (port)
        *port = rc ? 0 : b.port;
    return rc;
}

long evtchn_bind_ipi(uint32_t vcpu_id, evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu_id };
    long rc = hv_evtchn_op(EVTCHNOP_bind_ipi, &b);

    if (port)
        *port = rc ? 0 : b.port;
    return rc;
}

long evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = hv_evtchn_op(EVTCHNOP_alloc_unbound, &a);

    if (port)
        *port = rc ? 0 : a.port;
    return rc;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };
    return hv_evtchn_op(EVTCHNOP_send, &s);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };
    return hv_evtchn_op(EVTCHNOP_close, &c);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask u = { .port = port };
    return hv_evtchn_op(EVTCHNOP_unmask, &u);
}
