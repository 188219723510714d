/*
 * time: the PV clock and timers.  Version protocol, monotonicity over 1000
 * reads, agreement between system time and the TSC rate the clock
 * advertises, set_timer_op (arm, cancel), periodic timer start/stop, the
 * single-shot "future" flag, and the wallclock fields.
 */
#include "guest.h"

#define MS 1000000ULL

static evtchn_port_t timer_port;

/* The TSC and pvclock_now() read at one instant: two TSC reads around the
 * clock read, retried while something (a busy host stopping QEMU) came
 * between them for more than ~50 us, so the two clocks are compared at
 * the same moment however loaded the host. */
static void read_together(uint64_t khz, uint64_t *tsc, uint64_t *ns)
{
    uint64_t a, b, n;
    unsigned int tries = 0;

    do {
        a = rdtsc();
        n = pvclock_now();
        b = rdtsc();
    } while (khz && (b - a) > khz / 20 && ++tries < 1000);
    *tsc = a + (b - a) / 2;
    *ns = n;
}

static void test_pvclock(void)
{
    struct vcpu_time_info t;
    uint64_t prev = 0, now, backwards = 0, i;
    uint64_t tsc0, tsc1, ns0, ns1, khz, expect_ns;

    pvclock_snapshot(&vcpu->time, &t);
    CHECK_EQ(t.version & 1, 0, "pvclock snapshot has an even version");
    CHECK(t.tsc_to_system_mul != 0, "tsc_to_system_mul is non-zero");
    CHECK(t.tsc_shift >= -31 && t.tsc_shift <= 31, "tsc_shift is within +-31");

    for (i = 0; i < 1000; i++) {
        now = pvclock_now();
        if (now < prev)
            backwards++;
        prev = now;
    }
    CHECK_EQ(backwards, 0, "system time is monotonic across 1000 reads");

    /* Over a 20 ms wait the clock and raw TSC ticks must agree. */
    pvclock_snapshot(&vcpu->time, &t);
    khz = pvclock_tsc_khz(&t);
    read_together(khz, &tsc0, &ns0);
    delay_ns(20 * MS);
    read_together(khz, &tsc1, &ns1);
    expect_ns = khz ? (tsc1 - tsc0) * 1000000ULL / khz : 0;
    printf("tsc %lu kHz, 20 ms wait: %lu ns by pvclock, %lu ns by TSC\n", khz, ns1 - ns0, expect_ns);
    /* At least 20 ms; no upper bound (a busy host may stop us longer). */
    CHECK(ns1 - ns0 >= 20 * MS, "delay of 20 ms measured by pvclock");
    CHECK(expect_ns > (ns1 - ns0) * 9 / 10 && expect_ns < (ns1 - ns0) * 11 / 10,
          "pvclock advances as the TSC says (within 10%)");
    CHECK(now < 3600ULL * 1000 * MS, "system time is since domain start (under an hour)");
}

static void test_set_timer_op(void)
{
    unsigned int before;

    /* A hypervisor may start vCPUs with a periodic tick (Xen: 10 ms). */
    CHECK_EQ(hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "VCPUOP_stop_periodic_timer returns 0");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port), 0, "bind VIRQ_TIMER");
    evtchn_unmask_local(timer_port);

    before = port_events[timer_port];
    CHECK_EQ(hypercall1(__HYPERVISOR_set_timer_op, pvclock_now() + 2 * MS), 0,
             "set_timer_op(now + 2 ms) returns 0");
    CHECK(wait_for_count(&port_events[timer_port], before + 1, 2000 * MS),
          "set_timer_op deadline raises VIRQ_TIMER");

    /* Arm, then cancel before the deadline.  A busy host may stop us
     * between the two calls for longer than the timer's delay; then the
     * timer rightly fired before the cancel, so try again (a few times). */
    {
        uint64_t deadline = 0, cancelled = 0;
        long rc_arm = -1, rc_cancel = -1;

        for ( unsigned int attempt = 0; attempt < 5; attempt++ )
        {
            deadline = pvclock_now() + 20 * MS;
            rc_arm = hypercall1(__HYPERVISOR_set_timer_op, deadline);
            rc_cancel = hypercall1(__HYPERVISOR_set_timer_op, 0);
            cancelled = pvclock_now();
            if ( cancelled < deadline )
                break;
            wait_for_count(&port_events[timer_port], port_events[timer_port] + 1, 50 * MS);
        }
        before = port_events[timer_port];
        CHECK_EQ(rc_arm, 0, "set_timer_op(now + 20 ms) again");
        CHECK_EQ(rc_cancel, 0, "set_timer_op(0) cancels: returns 0");
        CHECK(cancelled < deadline, "the cancel came before the deadline (in one of 5 tries)");
        CHECK(!wait_for_count(&port_events[timer_port], before + 1,
                              deadline - cancelled + 30 * MS),
              "a cancelled timer does not fire");
    }

    before = port_events[timer_port];
    CHECK_EQ(hypercall1(__HYPERVISOR_set_timer_op, 1), 0, "set_timer_op(past deadline) returns 0");
    CHECK(wait_for_count(&port_events[timer_port], before + 1, 1000 * MS),
          "a past set_timer_op deadline fires at once");
}

static void test_periodic(void)
{
    struct vcpu_set_periodic_timer p = { .period_ns = 2 * MS };
    unsigned int before, after;

    before = port_events[timer_port];
    CHECK(!wait_for_count(&port_events[timer_port], before + 1, 20 * MS),
          "no timer events with the periodic timer stopped");

    before = port_events[timer_port];
    CHECK_EQ(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, &p), 0, "VCPUOP_set_periodic_timer(2 ms) returns 0");
    CHECK(wait_for_count(&port_events[timer_port], before + 3, 2000 * MS),
          "the periodic timer fires repeatedly");
    CHECK_EQ(hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop it again");
    delay_ns(5 * MS);
    events_enable();
    events_disable();
    after = port_events[timer_port];
    CHECK(!wait_for_count(&port_events[timer_port], after + 1, 20 * MS), "stopped means stopped");

    p.period_ns = 1000;
    CHECK_EQ(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, &p), -EINVAL,
             "a periodic timer under 1 ms is -EINVAL");
    CHECK_EQ(hv_vcpu_op(VCPUOP_set_periodic_timer, 0, (void *)BAD_PTR_HV), -EFAULT,
             "set_periodic_timer with a bad pointer is -EFAULT");
}

static void test_singleshot_flags(void)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 1, .flags = VCPU_SSHOTTMR_future };

    CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), -ETIME,
             "singleshot in the past with VCPU_SSHOTTMR_future is -ETIME");
    CHECK_EQ(hv_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0, "VCPUOP_stop_singleshot_timer returns 0");
    CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, (void *)BAD_PTR_NONCANON), -EFAULT,
             "set_singleshot_timer with a bad pointer is -EFAULT");
}

static void test_wallclock(void)
{
    uint32_t v, sec, nsec, tries = 0;

    do {
        v = shared_info->wc.version;
        barrier();
        sec = shared_info->wc.sec;
        nsec = shared_info->wc.nsec;
        barrier();
    } while (((v & 1) || shared_info->wc.version != v) && ++tries < 1000000);
    printf("wallclock at boot: %u.%09u\n", sec, nsec);
    CHECK_EQ(v & 1, 0, "wallclock version is even");
    CHECK(sec > 1577836800u, "wallclock seconds are after 2020 (RTC read)");
    CHECK(nsec < 1000000000u, "wallclock nanoseconds < 10^9");
    CHECK_EQ(shared_info->wc_sec_hi, 0, "wc_sec_hi is 0 before 2106");
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_pvclock();
    test_set_timer_op();
    test_periodic();
    test_singleshot_flags();
    test_wallclock();
}
