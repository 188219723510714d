/*
 * hostile_frames: frames the hypervisor writes on our behalf must not
 * become page tables or descriptor pages, in either order.
 *
 * vcpu_info is written through the hypervisor's own mapping of the frame
 * (event bits, cr2, time), so a registered vcpu_info frame holds a
 * writable type reference: pinning it as L1..L4 or loading it as a GDT
 * frame is refused, and registering a frame that already is a table or a
 * GDT frame is refused.  (On the old hypervisor a frame pinned as an L1
 * could be registered, and event delivery then wrote present entries into
 * it.)  shared_info is a hypervisor page and may never take those types.
 * The runstate area is written through our own page tables, so making its
 * page read-only simply stops the updates.
 *
 * vCPU 1 (down, dom0 gets one per CPU) is the one whose vcpu_info is
 * registered, so vCPU 0 keeps its own.
 */
#include "guest.h"
#include "pt.h"
#include "public/dom0_op.h"

#define MS 1000000ULL

static long set_gdt(uint64_t mfn, unsigned long entries)
{
    static uint64_t frames[1];

    frames[0] = mfn;
    return hypercall2(__HYPERVISOR_set_gdt, HC_PTR(frames), entries);
}

static long register_vcpu_info(unsigned int vcpu_id, uint64_t mfn, unsigned int offset)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

    return hv_vcpu_op(VCPUOP_register_vcpu_info, vcpu_id, &r);
}

static const unsigned int pin_cmd[5] = {
    0, MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
};

/* Table or GDT first, then register it as vCPU 1's vcpu_info. */
static void test_table_then_register(void)
{
    uint64_t *p = page_alloc(), *g = page_alloc();

    memset(p, 0, PAGE_SIZE);
    CHECK_EQ(set_ro(p), 0, "make a zeroed page read-only");
    CHECK_EQ(mmuext1(MMUEXT_PIN_L1_TABLE, virt_to_mfn(p)), 0, "pin it as an L1");
    CHECK_EQ(register_vcpu_info(1, virt_to_mfn(p), 0), -EINVAL,
             "register_vcpu_info on a pinned L1 is -EINVAL");
    CHECK_EQ(p[0], 0, "the L1 was not written");
    CHECK_EQ(mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(p)), 0, "unpin the L1");
    CHECK_EQ(set_rw(p), 0, "the refused registration left no type reference: writable again");

    memset(g, 0, PAGE_SIZE);
    CHECK_EQ(set_ro(g), 0, "make a zeroed page read-only for a GDT");
    CHECK_EQ(set_gdt(virt_to_mfn(g), 512), 0, "set_gdt on it returns 0");
    CHECK_EQ(register_vcpu_info(1, virt_to_mfn(g), 0), -EINVAL,
             "register_vcpu_info on a live GDT frame is -EINVAL");
    CHECK_EQ(set_gdt(0, 0), 0, "set_gdt with no entries releases it");
    CHECK_EQ(set_rw(g), 0, "the old GDT frame is writable again");
}

/* Register first, then try to make the frame a table or a GDT frame. */
static void test_register_then_table(void)
{
    uint64_t *r = page_alloc();
    struct xen_dom0_frameinfo fi;
    static struct xen_dom0_op op;
    static uint64_t mfn;

    memset(r, 0, PAGE_SIZE);
    CHECK_EQ(register_vcpu_info(1, virt_to_mfn(r), 0), 0, "register_vcpu_info(vCPU 1) on a plain page returns 0");
    CHECK_EQ(((struct vcpu_info *)r)->evtchn_upcall_mask, 1, "the hypervisor initialised the new vcpu_info");
    /* Make the contents a valid (empty) table, so that only the type
     * reference can refuse what follows.  vCPU 1 is down and has no event
     * channels: nothing rewrites them meanwhile. */
    memset(r, 0, PAGE_SIZE);
    CHECK_EQ(set_ro(r), 0, "drop our writable mapping of it");

    mfn = virt_to_mfn(r);
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_getframeinfo;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.getframeinfo.nr_frames = 1;
    op.u.getframeinfo.mfns = HC_PTR(&mfn);
    op.u.getframeinfo.info = HC_PTR(&fi);
    CHECK(hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op)) == 0 && fi.type == XEN_DOM0_FRAME_WRITABLE,
          "without any writable mapping the frame is still of writable type");

    for (unsigned int level = 1; level <= 4; level++) {
        long rc = mmuext1(pin_cmd[level], virt_to_mfn(r));

        CHECK(rc < 0, casename("pinning a registered vcpu_info frame as L%u fails", level));
        if (rc == 0)
            mmuext1(MMUEXT_UNPIN_TABLE, virt_to_mfn(r));
    }
    CHECK_ERR(set_gdt(virt_to_mfn(r), 512), "set_gdt on a registered vcpu_info frame fails");
    set_gdt(0, 0);
    CHECK_EQ(register_vcpu_info(1, virt_to_mfn(page_alloc()), 0), -EINVAL,
             "a second registration for vCPU 1 is -EINVAL");
    CHECK_EQ(set_rw(r), 0, "the frame can be mapped writable again");
}

/* shared_info is the hypervisor's page: never a table or a GDT frame. */
static void test_shared_info(void)
{
    uint64_t mfn = start_info->shared_info >> PAGE_SHIFT;

    for (unsigned int level = 1; level <= 4; level++)
        CHECK_ERR(mmuext1(pin_cmd[level], mfn), casename("pinning shared_info as L%u fails", level));
    CHECK_ERR(set_gdt(mfn, 512), "set_gdt on shared_info fails");
    set_gdt(0, 0);
}

/* The runstate area goes through our page tables: read-only stops it. */
static void test_runstate_read_only(void)
{
    struct vcpu_runstate_info *rs = page_alloc();
    struct vcpu_register_runstate_memory_area area = { .addr.p = (uint64_t)rs };
    uint64_t frozen, t;

    memset(rs, 0, PAGE_SIZE);
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0, "register a runstate area");
    CHECK(rs->state_entry_time != 0, "it is filled in");
    CHECK_EQ(set_ro(rs), 0, "make its page read-only");
    frozen = rs->time[RUNSTATE_running];
    for (int i = 0; i < 5; i++) {
        t = pvclock_now() + 2 * MS;
        hv_sched_op(SCHEDOP_yield, NULL);
        while (pvclock_now() < t)
            cpu_relax();
    }
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0,
             "registering it again while read-only returns 0 (a bad area is the guest's problem)");
    CHECK_EQ(rs->time[RUNSTATE_running], frozen, "the hypervisor did not write the read-only area");
    CHECK_EQ(set_rw(rs), 0, "make it writable again");
    CHECK_EQ(hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0, "re-register the runstate area");
    CHECK(rs->time[RUNSTATE_running] > frozen, "updates resume");
    area.addr.p = 0;
    hv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area);
}

void test_main(void)
{
    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    if (hv_vcpu_op(VCPUOP_is_up, 1, NULL) != 0)
        test_abort("vCPU 1 exists and is down", "needs two CPUs (-smp 2)");
    test_table_then_register();
    test_register_then_table();
    test_shared_info();
    test_runstate_read_only();
}
