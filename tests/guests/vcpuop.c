/*
 * vcpuop: vcpu_op sub-ops Linux issues at boot.  is_up over all 8192 ids,
 * get_runstate_info, register_runstate_memory_area (kept up to date),
 * register_vcpu_info (events and time then live in the new place), and
 * their errors for bad vCPUs, offsets, frames and pointers.
 */
#include "guest.h"

#define MS 1000000ULL

static uint8_t vcpu_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vcpu_runstate_info runstate;
static evtchn_port_t timer_port;

static void test_is_up(void)
{
    uint64_t t0 = pvclock_now(), t1;
    unsigned int i, up = 0, down = 0, gaps = 0, odd = 0;
    int seen_missing = 0;

    CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "VCPUOP_is_up(0) is 1");
    for (i = 1; i < 8192; i++) {
        long rc = hv_vcpu_op(VCPUOP_is_up, i, NULL);

        if (rc == 1 || rc == 0) {
            rc ? up++ : down++;
            if (seen_missing)
                gaps++;
        } else if (rc == -ENOENT) {
            seen_missing = 1;
        } else {
            odd++;
        }
    }
    t1 = pvclock_now();
    /* The time is for the log only: under QEMU on a busy host it says more
     * about the host than about is_up, so no check bounds it. */
    printf("vCPUs besides 0: %u up, %u down; 8191 calls took %lu us\n", up, down, (t1 - t0) / 1000);
    CHECK_EQ(odd, 0, "is_up(1..8191) is 0, 1 or -ENOENT");
    CHECK_EQ(gaps, 0, "existing vCPU ids are contiguous from 0");
    CHECK(seen_missing, "is_up reports missing vCPUs below 8192");
    CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, 0xffffffffu, NULL), -ENOENT, "is_up(0xffffffff) is -ENOENT");
}

static void test_runstate_info(void)
{
    struct vcpu_runstate_info ri;

    memset(&ri, 0xff, sizeof(ri));
    CHECK_EQ(hv_vcpu_op(VCPUOP_get_runstate_info, 0, &ri), 0, "VCPUOP_get_runstate_info(0) returns 0");
    CHECK_EQ(ri.state, RUNSTATE_running, "vCPU 0 is running");
    CHECK(ri.time[RUNSTATE_running] > 0, "vCPU 0 has running time");
    CHECK(ri.state_entry_time <= pvclock_now(), "state_entry_time is not in the future");
    CHECK_EQ(hv_vcpu_op(VCPUOP_get_runstate_info, 5000, &ri), -ENOENT,
             "get_runstate_info(vcpu 5000) is -ENOENT");
    CHECK_EQ(hv_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)BAD_PTR_HV), -EFAULT,
             "get_runstate_info to a hypervisor address is -EFAULT");
    CHECK_EQ(hv_vcpu_op(VCPUOP_get_runstate_info, 0, (void *)BAD_PTR_M2P), -EFAULT,
             "get_runstate_info to the read-only M2P is -EFAULT");
}

static void test_runstate_area(void)
{
    struct vcpu_register_runstate_memory_area area;
    uint64_t blocked_before;
    long rc;

    area.addr.p = (uint64_t)&runstate;
    memset(&runstate, 0, sizeof(runstate));
    rc = hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area);
    CHECK_EQ(rc, 0, "register_runstate_memory_area returns 0");
    CHECK(runstate.state_entry_time != 0 && runstate.time[RUNSTATE_running] != 0,
          "the runstate area is filled in at registration");
    CHECK_EQ(runstate.state, RUNSTATE_running, "the runstate area says running");

    /* Re-registration is allowed (Linux does it once per-CPU areas exist). */
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0,
             "register_runstate_memory_area again returns 0");

    /* A host that holds our vCPU off the CPU for longer than the timeout
     * between arming the timer and SCHEDOP_block lets the timer fire
     * first, and the block returns at once with nothing blocked (seen at
     * host load 30).  That is not the case under test: try again, a few
     * times; a hypervisor that never counts blocked time fails them all. */
    for (unsigned int tries = 0; tries < 5; tries++) {
        struct vcpu_set_singleshot_timer t;

        blocked_before = runstate.time[RUNSTATE_blocked];
        t.timeout_abs_ns = pvclock_now() + 5 * MS;
        t.flags = 0;
        hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
        hv_sched_op(SCHEDOP_block, NULL);
        events_disable();
        if (runstate.time[RUNSTATE_blocked] >= blocked_before + 3 * MS)
            break;
        printf("vcpuop: block %u counted %lu ns blocked; again\n", tries,
               (unsigned long)(runstate.time[RUNSTATE_blocked] - blocked_before));
    }
    CHECK(runstate.time[RUNSTATE_blocked] >= blocked_before + 3 * MS,
          "blocking for 5 ms shows up as blocked time in the area");

    area.addr.p = BAD_PTR_HV;
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), -EFAULT,
             "register_runstate_memory_area(hypervisor address) is -EFAULT");
    area.addr.p = (uint64_t)&runstate;
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 5000, &area), -ENOENT,
             "register_runstate_memory_area(vcpu 5000) is -ENOENT");
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, (void *)BAD_PTR_NONCANON), -EFAULT,
             "register_runstate_memory_area with a bad argument pointer is -EFAULT");
}

static void test_vcpu_info(void)
{
    struct vcpu_register_vcpu_info info;
    struct vcpu_info *old = vcpu, *moved = (struct vcpu_info *)(vcpu_info_page + 64);
    unsigned int before;
    evtchn_port_t ipi;
    uint64_t t_before;

    info.mfn = virt_to_mfn(vcpu_info_page);
    info.rsvd = 0;
    info.offset = PAGE_SIZE - 32;
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "register_vcpu_info crossing the page end is -EINVAL");
    info.offset = 64;
    info.mfn = ~0UL >> 12;
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "register_vcpu_info on a bogus frame is -EINVAL");
    info.mfn = virt_to_mfn(vcpu_info_page);
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 5000, &info), -ENOENT,
             "register_vcpu_info(vcpu 5000) is -ENOENT");
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)BAD_PTR_HV), -EFAULT,
             "register_vcpu_info with a bad argument pointer is -EFAULT");

    t_before = pvclock_now();
    memset(vcpu_info_page, 0, sizeof(vcpu_info_page));
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), 0, "register_vcpu_info(offset 64) returns 0");
    vcpu = moved;
    CHECK_EQ(moved->evtchn_upcall_mask, 1, "the moved vcpu_info keeps the upcall mask");
    CHECK_EQ(moved->evtchn_upcall_pending, 1, "the moved vcpu_info has upcall_pending set");
    CHECK_EQ(moved->evtchn_pending_sel, ~0UL, "the moved vcpu_info has every selector bit set");
    CHECK(moved->time.tsc_to_system_mul != 0 && !(moved->time.version & 1),
          "the moved vcpu_info carries valid time");
    CHECK(pvclock_now() >= t_before, "time read from the new place continues");

    before = upcall_count;
    CHECK(wait_for_count(&upcall_count, before + 1, 1000 * MS), "enabling events delivers the forced upcall");

    old->evtchn_upcall_pending = 0;
    CHECK_EQ(evtchn_bind_ipi(0, &ipi), 0, "bind_ipi after the move");
    evtchn_unmask_local(ipi);
    before = port_events[ipi];
    evtchn_send(ipi);
    CHECK(wait_for_count(&port_events[ipi], before + 1, 1000 * MS), "events arrive through the moved vcpu_info");
    CHECK_EQ(old->evtchn_upcall_pending, 0, "the old shared_info slot is no longer written");

    before = port_events[timer_port];
    {
        struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = pvclock_now() + 2 * MS };
        hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
    }
    CHECK(wait_for_count(&port_events[timer_port], before + 1, 1000 * MS),
          "timer events arrive after the move");

    /* Once per vCPU; Xen answers -EINVAL too. */
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_vcpu_info, 0, &info), -EINVAL,
             "a second register_vcpu_info is -EINVAL");
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    if (evtchn_bind_virq(VIRQ_TIMER, 0, &timer_port) != 0)
        test_abort("bind VIRQ_TIMER", "needed for blocking");
    evtchn_unmask_local(timer_port);

    test_is_up();
    test_runstate_info();
    test_runstate_area();
    test_vcpu_info();
    CHECK_EQ(hv_vcpu_op(99, 0, NULL), -ENOSYS, "vcpu_op 99 is -ENOSYS");
}
