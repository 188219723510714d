/*
 * events: event channels on the 2-level ABI.  VIRQ_TIMER with a
 * single-shot timer, IPIs to self, loopback interdomain channels, status,
 * close, unmask of a pending port, bind_vcpu, SCHEDOP_block and
 * SCHEDOP_poll, and the errors for bad ports, vCPUs and double binds.
 */
#include "guest.h"

#define MS 1000000ULL

static long set_timer_in(uint64_t ns)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = pvclock_now() + ns };
    return hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

static long status_of(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0xff, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return hv_evtchn_op(EVTCHNOP_status, st);
}

static evtchn_port_t timer_port;

static void test_virq_timer(void)
{
    long rc;
    unsigned int before;

    /* Like Linux: no periodic ticks, only the timers we arm. */
    CHECK_EQ(hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "VCPUOP_stop_periodic_timer returns 0");
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port);
    CHECK_EQ(rc, 0, "bind_virq(VIRQ_TIMER, vcpu 0) returns 0");
    CHECK(timer_port > 0 && timer_port < NR_PORTS, "bind_virq gives a port in 1..4095");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, NULL), -EEXIST, "binding VIRQ_TIMER twice is -EEXIST");
    evtchn_unmask_local(timer_port);

    before = port_events[timer_port];
    CHECK_EQ(set_timer_in(1 * MS), 0, "VCPUOP_set_singleshot_timer(now + 1 ms) returns 0");
    CHECK(wait_for_count(&port_events[timer_port], before + 1, 2000 * MS),
          "single-shot timer raises VIRQ_TIMER through the upcall");
    CHECK(upcall_count > 0, "the event callback ran");

    /* A deadline in the past fires at once. */
    before = port_events[timer_port];
    {
        struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 1 };
        CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), 0,
                 "set_singleshot_timer in the past returns 0");
    }
    CHECK(wait_for_count(&port_events[timer_port], before + 1, 1000 * MS),
          "a past deadline fires immediately");

    {
        struct evtchn_status st;
        CHECK_EQ(status_of(timer_port, &st), 0, "status(VIRQ_TIMER port) returns 0");
        CHECK_EQ(st.status, EVTCHNSTAT_virq, "status says virq");
        CHECK_EQ(st.u.virq, VIRQ_TIMER, "status names VIRQ_TIMER");
        CHECK_EQ(st.vcpu, 0, "status says vcpu 0");
    }
}

static void test_ipi(void)
{
    evtchn_port_t port;
    unsigned int before;
    struct evtchn_status st;

    CHECK_EQ(evtchn_bind_ipi(0, &port), 0, "bind_ipi(vcpu 0) returns 0");
    evtchn_unmask_local(port);
    before = port_events[port];
    CHECK_EQ(evtchn_send(port), 0, "send on an IPI port returns 0");
    CHECK(wait_for_count(&port_events[port], before + 1, 1000 * MS), "IPI to self arrives");
    CHECK_EQ(status_of(port, &st), 0, "status(IPI port) returns 0");
    CHECK_EQ(st.status, EVTCHNSTAT_ipi, "status says ipi");
    CHECK_EQ(evtchn_bind_ipi(5000, NULL), -ENOENT, "bind_ipi(vcpu 5000) is -ENOENT");

    /* Masked: the event stays pending; unmask delivers it. */
    evtchn_mask(port);
    before = port_events[port];
    CHECK_EQ(evtchn_send(port), 0, "send on a masked port returns 0");
    CHECK(!wait_for_count(&port_events[port], before + 1, 20 * MS), "a masked port is not delivered");
    CHECK(evtchn_is_pending(port), "the masked port is left pending");
    CHECK_EQ(evtchn_unmask(port), 0, "EVTCHNOP_unmask returns 0");
    CHECK(!evtchn_is_masked(port), "EVTCHNOP_unmask clears the mask bit");
    CHECK(wait_for_count(&port_events[port], before + 1, 1000 * MS),
          "unmask of a pending port raises the upcall");

    CHECK_EQ(evtchn_close(port), 0, "close(IPI port) returns 0");
    CHECK_EQ(status_of(port, &st), 0, "status of a closed port returns 0");
    CHECK_EQ(st.status, EVTCHNSTAT_closed, "status says closed");
    CHECK_EQ(evtchn_close(port), -EINVAL, "closing it again is -EINVAL");
    CHECK_EQ(evtchn_send(port), -EINVAL, "send on a closed port is -EINVAL");
}

static void test_loopback(void)
{
    evtchn_port_t a, b;
    struct evtchn_bind_interdomain bi;
    struct evtchn_status st;
    unsigned int before;

    CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound(self, self) returns 0");
    CHECK_EQ(status_of(a, &st), 0, "status(unbound) returns 0");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "status says unbound");
    CHECK_EQ(st.u.unbound.dom, 0, "unbound port accepts domain 0 (DOMID_SELF resolved)");
    CHECK_EQ(evtchn_send(a), 0, "send on an unbound port is silently accepted");

    bi.remote_dom = DOMID_SELF;
    bi.remote_port = a;
    bi.local_port = 0;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_interdomain, &bi), 0,
             "bind_interdomain(DOMID_SELF, unbound port) returns 0");
    b = bi.local_port;
    CHECK(b > 0 && b != a, "bind_interdomain gives a new local port");
    evtchn_unmask_local(a);
    evtchn_unmask_local(b);

    CHECK_EQ(status_of(a, &st), 0, "status(interdomain) returns 0");
    CHECK_EQ(st.status, EVTCHNSTAT_interdomain, "status says interdomain");
    CHECK_EQ(st.u.interdomain.port, b, "status names the peer port");
    CHECK_EQ(st.u.interdomain.dom, 0, "status names the peer domain 0");

    before = port_events[a];
    CHECK_EQ(evtchn_send(b), 0, "send on one end returns 0");
    CHECK(wait_for_count(&port_events[a], before + 1, 1000 * MS), "the other end gets the event");
    before = port_events[b];
    CHECK_EQ(evtchn_send(a), 0, "send back returns 0");
    CHECK(wait_for_count(&port_events[b], before + 1, 1000 * MS), "and the first end gets it");

    bi.remote_port = a;
    CHECK_ERR(hv_evtchn_op(EVTCHNOP_bind_interdomain, &bi), "bind_interdomain to a bound port fails");
    bi.remote_port = 4095;
    CHECK_ERR(hv_evtchn_op(EVTCHNOP_bind_interdomain, &bi), "bind_interdomain to a closed port fails");

    {
        struct evtchn_bind_vcpu bv = { .port = a, .vcpu = 0 };
        CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu(interdomain port, 0) returns 0");
        bv.vcpu = 5000;
        CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -ENOENT,
                 "bind_vcpu(port, vcpu 5000) is -ENOENT");
        bv.port = timer_port;
        bv.vcpu = 0;
        CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -EINVAL,
                 "bind_vcpu of a per-vCPU VIRQ is -EINVAL");
        bv.port = 5000;
        CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_vcpu, &bv), -EINVAL, "bind_vcpu(port 5000) is -EINVAL");
    }

    CHECK_EQ(evtchn_close(b), 0, "close one end returns 0");
    CHECK_EQ(status_of(a, &st), 0, "status of the peer returns 0");
    CHECK_EQ(st.status, EVTCHNSTAT_unbound, "closing one end leaves the other unbound");
    CHECK_EQ(evtchn_close(a), 0, "close the other end returns 0");
}

static void test_bad_ports(void)
{
    static const evtchn_port_t bad[] = { 0, 4096, 5000, 0x7fffffff, 0xffffffff };
    struct evtchn_status st;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(evtchn_send(bad[i]), -EINVAL, casename("send(port %u) is -EINVAL", bad[i]));
        CHECK_EQ(evtchn_close(bad[i]), -EINVAL, casename("close(port %u) is -EINVAL", bad[i]));
        if (bad[i] == 0)
            continue; /* port 0 exists but is reserved: unmask/status may succeed */
        CHECK_EQ(evtchn_unmask(bad[i]), -EINVAL, casename("unmask(port %u) is -EINVAL", bad[i]));
        CHECK_EQ(status_of(bad[i], &st), -EINVAL, casename("status(port %u) is -EINVAL", bad[i]));
    }
    CHECK_EQ(evtchn_bind_virq(NR_VIRQS, 0, NULL), -EINVAL, "bind_virq(NR_VIRQS) is -EINVAL");
    CHECK_EQ(evtchn_bind_virq(0xffffffff, 0, NULL), -EINVAL, "bind_virq(0xffffffff) is -EINVAL");
    CHECK_EQ(evtchn_bind_virq(VIRQ_DEBUG, 5000, NULL), -ENOENT,
             "bind_virq(VIRQ_DEBUG, vcpu 5000) is -ENOENT");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_send, (void *)BAD_PTR_HV), -EFAULT, "send with a bad pointer is -EFAULT");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_status, (void *)BAD_PTR_NONCANON), -EFAULT,
             "status with a bad pointer is -EFAULT");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_virq, (void *)BAD_PTR_M2P), -EFAULT,
             "bind_virq with the (read-only) M2P as argument is -EFAULT");
    CHECK_EQ(hv_evtchn_op(99, NULL), -ENOSYS, "event_channel_op 99 is -ENOSYS");
    {
        /* FIFO (tests/guests/evtchn_fifo.c): only refused cases here,
         * so that this kernel stays on the 2-level ABI. */
        static struct evtchn_init_control ic;
        ic.control_gfn = p2m[0];
        ic.offset = 4;
        CHECK_EQ(hv_evtchn_op(EVTCHNOP_init_control, &ic), -EINVAL,
                 "EVTCHNOP_init_control at a misaligned offset is -EINVAL");
    }
}

static void test_block_and_poll(void)
{
    unsigned int before = port_events[timer_port];
    uint64_t t0, t1, b0;
    long rc;
    evtchn_port_t ipi;
    struct sched_poll poll;

    t0 = pvclock_now();
    CHECK_EQ(set_timer_in(5 * MS), 0, "arm a 5 ms timer");
    rc = hv_sched_op(SCHEDOP_block, NULL); /* unmasks events atomically */
    t1 = pvclock_now();
    CHECK_EQ(rc, 0, "SCHEDOP_block returns 0");
    CHECK(port_events[timer_port] > before, "SCHEDOP_block wakes on the timer event (delivered)");
    CHECK(t1 - t0 >= 4 * MS, "SCHEDOP_block slept until the timer");
    CHECK_EQ(vcpu->evtchn_upcall_mask, 0, "SCHEDOP_block leaves events unmasked");
    events_disable();

    CHECK_EQ(evtchn_bind_ipi(0, &ipi), 0, "bind_ipi for polling");
    poll.ports.p = &ipi;
    poll.nr_ports = 1;
    poll.timeout = pvclock_now() + 5 * MS;
    t0 = pvclock_now();
    rc = hv_sched_op(SCHEDOP_poll, &poll);
    t1 = pvclock_now();
    CHECK_EQ(rc, 0, "SCHEDOP_poll with a timeout returns 0");
    /* No upper bound: a busy host may keep us from running long after the
     * timeout; that it returned at all is the timeout's doing.  (Nor a
     * bound on the blocked time: a host that stops QEMU between the call
     * and the switch away leaves less of the 5 ms to be spent blocked.) */
    CHECK(t1 - t0 >= 4 * MS, "SCHEDOP_poll waits until its timeout");

    /* Poll returns at once for a pending (even masked) port. */
    evtchn_mask(ipi);
    evtchn_send(ipi);
    poll.timeout = pvclock_now() + 1000 * MS;
    b0 = vcpu0_blocked_ns();
    rc = hv_sched_op(SCHEDOP_poll, &poll);
    CHECK_EQ(rc, 0, "SCHEDOP_poll on a pending masked port returns 0");
    CHECK_EQ(vcpu0_blocked_ns(), b0, "SCHEDOP_poll on a pending port does not block");
    evtchn_clear_pending(ipi);

    {
        evtchn_port_t badport = 5000;
        poll.ports.p = &badport;
        CHECK_EQ(hv_sched_op(SCHEDOP_poll, &poll), -EINVAL, "SCHEDOP_poll(port 5000) is -EINVAL");
        poll.ports.va = BAD_PTR_HV;
        CHECK_EQ(hv_sched_op(SCHEDOP_poll, &poll), -EFAULT, "SCHEDOP_poll with bad ports pointer is -EFAULT");
        poll.ports.p = &ipi;
        poll.nr_ports = 1000000;
        CHECK_EQ(hv_sched_op(SCHEDOP_poll, &poll), -EINVAL, "SCHEDOP_poll with 10^6 ports is -EINVAL");
    }
    evtchn_close(ipi);
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_virq_timer();
    test_ipi();
    test_loopback();
    test_bad_ports();
    test_block_and_poll();
}
