/*
 * dom0op: the toolstack's control hypercall (36, docs/dom0_op.md), called
 * by dom0 itself.  The header rules in their order (version mismatch
 * answered with the hypervisor's version, bad pointers, unknown commands,
 * non-zero pads and flags), every command with its error paths, a
 * create/pause/populate/destroy cycle that must give every frame back,
 * incremental and resumed log reads, frame information on our own page
 * tables and the performance counters.
 *
 * Not covered: a call from an unprivileged domain (there is no cheap way
 * to run code in one before the domain builder exists).
 */
#include "guest.h"
#include "public/dom0_op.h"
#include "dom0op/dom0op.h"

struct xen_dom0_op op;

static long dom0_op_raw(unsigned long arg)
{
    return hypercall1(__HYPERVISOR_dom0_op, arg);
}

/* Issue cmd with whatever op.u holds now. */
long call(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return dom0_op_raw(HC_PTR(&op));
}

void clear(void)
{
    memset(&op, 0, sizeof(op));
}

/* ---- Header ------------------------------------------------------------- */

static void test_header(void)
{
    long rc;

    clear();
    op.cmd = XEN_DOM0_physinfo;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION - 1;
    op.u.physinfo.nr_cpus = 0xabcd;     /* must stay: nothing else written */
    rc = dom0_op_raw(HC_PTR(&op));
    CHECK_EQ(rc, -EPROTO, "old interface version is -EPROTO");
    CHECK_EQ(op.interface_version, XEN_DOM0_OP_INTERFACE_VERSION,
             "EPROTO writes the hypervisor's version back");
    CHECK_EQ(op.u.physinfo.nr_cpus, 0xabcd,
             "EPROTO copies nothing but interface_version back");

    clear();
    op.cmd = 9999;
    op.interface_version = 0x7fffffff;
    CHECK_EQ(dom0_op_raw(HC_PTR(&op)), -EPROTO,
             "version is checked before the command");

    CHECK_EQ(dom0_op_raw(BAD_PTR_NULL), -EFAULT, "NULL op is -EFAULT");
    CHECK_EQ(dom0_op_raw(BAD_PTR_USER), -EFAULT, "unmapped op is -EFAULT");
    CHECK_EQ(dom0_op_raw(BAD_PTR_HV), -EFAULT, "hypervisor address op is -EFAULT");
    CHECK_EQ(dom0_op_raw(BAD_PTR_M2P), -EFAULT, "M2P address op is -EFAULT");
    CHECK_EQ(dom0_op_raw(BAD_PTR_NONCANON), -EFAULT, "non-canonical op is -EFAULT");

    clear();
    CHECK_EQ(call(0), -ENOSYS, "command 0 is -ENOSYS");
    CHECK_EQ(call(19), -EBUSY, "command 19 (resumedomain) of dom0 itself is -EBUSY");
    CHECK_EQ(call(20), -EINVAL, "command 20 (getvcpuaffinity) without a map is -EINVAL");
    CHECK_EQ(call(1000), -ENOSYS, "command 1000 is -ENOSYS");
    CHECK_EQ(call(0xffffffffu), -ENOSYS, "command ~0 is -ENOSYS");

    clear();
    op.u.physinfo.pad0 = 1;
    CHECK_EQ(call(XEN_DOM0_physinfo), -EINVAL, "physinfo pad0 != 0 is -EINVAL");
    clear();
    op.u.physinfo.pad1 = 0x80000000u;
    CHECK_EQ(call(XEN_DOM0_physinfo), -EINVAL, "physinfo pad1 != 0 is -EINVAL");
    clear();
    op.u.pad[sizeof(struct xen_dom0_physinfo)] = 1;
    CHECK_EQ(call(XEN_DOM0_physinfo), -EINVAL,
             "a byte past the command's struct is -EINVAL");
    clear();
    op.u.pad[XEN_DOM0_OP_PAYLOAD_SIZE - 1] = 1;
    op.u.domain.domid = 1;
    CHECK_EQ(call(XEN_DOM0_pausedomain), -EINVAL,
             "the union's last byte non-zero is -EINVAL");
    clear();
    op.u.createdomain.domid = DOMID_INVALID;
    op.u.createdomain.max_pages = 16;
    op.u.createdomain.max_vcpus = 1;
    op.u.createdomain.flags = 2;
    CHECK_EQ(call(XEN_DOM0_createdomain), -EINVAL,
             "createdomain unknown flag is -EINVAL");
    op.u.createdomain.flags = 0;
    op.u.createdomain.pad1 = 7;
    CHECK_EQ(call(XEN_DOM0_createdomain), -EINVAL,
             "createdomain pad1 != 0 is -EINVAL");
    clear();
    op.u.vcpuinfo.pad1 = 1;
    CHECK_EQ(call(XEN_DOM0_getvcpuinfo), -EINVAL, "vcpuinfo pad1 != 0 is -EINVAL");
}

/* ---- Machine ------------------------------------------------------------ */

static struct xen_dom0_physinfo phys;

static int get_physinfo(struct xen_dom0_physinfo *p)
{
    clear();
    if ( call(XEN_DOM0_physinfo) )
        return -1;
    *p = op.u.physinfo;
    return 0;
}

static void test_physinfo(void)
{
    long v = hv_xen_version(XENVER_version, NULL);

    CHECK_EQ(get_physinfo(&phys), 0, "physinfo succeeds");
    CHECK(phys.nr_cpus >= 1 && phys.nr_cpus <= 64, "physinfo nr_cpus in 1..64");
    CHECK(phys.cpu_khz > 100000, "physinfo cpu_khz above 100 MHz");
    CHECK(phys.total_pages >= start_info->nr_pages &&
          phys.free_pages > 0 && phys.free_pages < phys.total_pages,
          "physinfo 0 < free_pages < total_pages, total >= dom0's");
    CHECK_EQ(((uint64_t)phys.xen_major << 16) | phys.xen_minor, v,
             "physinfo version is XENVER_version");
    CHECK(phys.max_vcpus >= 1 && phys.max_vcpus <= XEN_DOM0_MAX_VCPUS,
          "physinfo max_vcpus in 1..128");
    CHECK_EQ(phys.sched_id, XEN_SCHEDULER_CREDIT, "physinfo sched_id");
    CHECK_EQ(phys.max_domid, DOMID_FIRST_RESERVED - 1, "physinfo max_domid");
}

/* ---- Domains ------------------------------------------------------------ */

static long getinfo(domid_t id, struct xen_dom0_domaininfo *info)
{
    long rc;

    clear();
    op.u.getdomaininfo.domid = id;
    rc = call(XEN_DOM0_getdomaininfo);
    if ( rc == 0 )
        *info = op.u.getdomaininfo.info;
    return rc;
}

static void test_dom0_info(void)
{
    struct xen_dom0_domaininfo di;

    CHECK_EQ(getinfo(0, &di), 0, "getdomaininfo(0) succeeds");
    CHECK_EQ(di.domid, 0, "dom0 info domid");
    CHECK((di.flags & XEN_DOMINF_privileged) && (di.flags & XEN_DOMINF_running) &&
          !(di.flags & (XEN_DOMINF_dying | XEN_DOMINF_shutdown | XEN_DOMINF_paused)),
          "dom0 is privileged, running, not paused/dying/shut down");
    CHECK_EQ(di.tot_pages, start_info->nr_pages, "dom0 tot_pages is nr_pages");
    CHECK_EQ(di.shared_info_frame, start_info->shared_info >> PAGE_SHIFT,
             "dom0 shared_info_frame");
    CHECK(di.nr_online_vcpus >= 1 && di.nr_online_vcpus <= di.max_vcpu_id + 1,
          "dom0 online vCPUs within max_vcpu_id + 1");
    CHECK(di.cpu_time_ns > 0, "dom0 has used CPU time");
    CHECK_EQ(di.pad1, 0, "domaininfo pad1 written as 0");

    CHECK_EQ(getinfo(DOMID_FIRST_RESERVED, &di), -EINVAL, "getdomaininfo(DOMID_SELF) is -EINVAL");
    CHECK_EQ(getinfo(DOMID_INVALID, &di), -EINVAL, "getdomaininfo(DOMID_INVALID) is -EINVAL");
    CHECK_EQ(getinfo(0xffff, &di), -EINVAL, "getdomaininfo(0xffff) is -EINVAL");
    CHECK_EQ(getinfo(1234, &di), -ESRCH, "getdomaininfo of a missing domain is -ESRCH");
}

static long create(domid_t want, uint64_t max_pages, uint32_t vcpus,
                   domid_t *got)
{
    long rc;

    clear();
    op.u.createdomain.domid = want;
    op.u.createdomain.max_pages = max_pages;
    op.u.createdomain.max_vcpus = vcpus;
    for ( unsigned int i = 0; i < 16; i++ )
        op.u.createdomain.handle[i] = (uint8_t)(0xa0 + i + want);
    rc = call(XEN_DOM0_createdomain);
    if ( rc == 0 && got )
        *got = op.u.createdomain.domid;
    return rc;
}

static long domain_cmd(uint32_t cmd, domid_t id)
{
    clear();
    op.u.domain.domid = id;
    return call(cmd);
}

static long setmaxmem(domid_t id, uint64_t pages)
{
    clear();
    op.u.setmaxmem.domid = id;
    op.u.setmaxmem.max_pages = pages;
    return call(XEN_DOM0_setmaxmem);
}

static xen_pfn_t populated[32];

static long populate(domid_t id, unsigned int n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = id };

    for ( unsigned int i = 0; i < n; i++ )
        populated[i] = i;
    r.extent_start.p = populated;
    return hv_memory_op(XENMEM_populate_physmap, &r);
}

static void test_create_errors(void)
{
    domid_t id;

    CHECK_EQ(create(DOMID_INVALID, 0, 1, &id), -EINVAL, "createdomain max_pages 0 is -EINVAL");
    CHECK_EQ(create(DOMID_INVALID, 16, 0, &id), -EINVAL, "createdomain max_vcpus 0 is -EINVAL");
    CHECK_EQ(create(DOMID_INVALID, 16, phys.max_vcpus + 1, &id), -EINVAL,
             "createdomain max_vcpus beyond physinfo's is -EINVAL");
    CHECK_EQ(create(DOMID_INVALID, 16, 1000, &id), -EINVAL, "createdomain 1000 vCPUs is -EINVAL");
    CHECK_EQ(create(0, 16, 1, &id), -EINVAL, "createdomain domid 0 is -EINVAL");
    CHECK_EQ(create(DOMID_FIRST_RESERVED, 16, 1, &id), -EINVAL, "createdomain domid 0x7ff0 is -EINVAL");
    CHECK_EQ(create(0x7ff2, 16, 1, &id), -EINVAL, "createdomain DOMID_XEN is -EINVAL");
}

static void test_list(void)
{
    static struct xen_dom0_domaininfo list[8];
    long rc;

    clear();
    op.u.getdomaininfolist.first_domid = 0;
    op.u.getdomaininfolist.max_entries = 8;
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    rc = call(XEN_DOM0_getdomaininfolist);
    CHECK_EQ(rc, 0, "getdomaininfolist from 0");
    CHECK_EQ(op.u.getdomaininfolist.nr_entries, 3, "list has dom0, d1 and d5");
    CHECK(list[0].domid == 0 && list[1].domid == 1 && list[2].domid == 5,
          "list is in increasing id order");
    CHECK(list[1].flags & XEN_DOMINF_paused, "list record of d1 says paused");

    clear();
    op.u.getdomaininfolist.first_domid = 2;
    op.u.getdomaininfolist.max_entries = 8;
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    CHECK(call(XEN_DOM0_getdomaininfolist) == 0 &&
          op.u.getdomaininfolist.nr_entries == 1 && list[0].domid == 5,
          "list from 2 starts at d5");

    clear();
    op.u.getdomaininfolist.first_domid = 1;
    op.u.getdomaininfolist.max_entries = 1;
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    list[1].domid = 0x4242;
    CHECK(call(XEN_DOM0_getdomaininfolist) == 0 &&
          op.u.getdomaininfolist.nr_entries == 1 && list[0].domid == 1 &&
          list[1].domid == 0x4242,
          "list with max_entries 1 writes one record");

    clear();
    op.u.getdomaininfolist.max_entries = 0;
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    CHECK_EQ(call(XEN_DOM0_getdomaininfolist), -EINVAL, "list max_entries 0 is -EINVAL");
    op.u.getdomaininfolist.max_entries = XEN_DOM0_INFOLIST_MAX + 1;
    CHECK_EQ(call(XEN_DOM0_getdomaininfolist), -EINVAL, "list max_entries 1025 is -EINVAL");
    op.u.getdomaininfolist.max_entries = 4;
    op.u.getdomaininfolist.buffer = BAD_PTR_HV;
    CHECK_EQ(call(XEN_DOM0_getdomaininfolist), -EFAULT, "list into a hypervisor buffer is -EFAULT");
}

static void test_vcpu_ops_on(domid_t id)
{
    static struct vcpu_guest_context ctx;
    static uint8_t cpumap[16];

    clear();
    op.u.vcpuinfo.domid = id;
    op.u.vcpuinfo.vcpu = 0;
    CHECK(call(XEN_DOM0_getvcpuinfo) == 0 && op.u.vcpuinfo.online == 0 &&
          op.u.vcpuinfo.running == 0 && op.u.vcpuinfo.cpu_time_ns == 0,
          "new domain's vCPU 0 is down and has not run");
    op.u.vcpuinfo.vcpu = 2;
    CHECK_EQ(call(XEN_DOM0_getvcpuinfo), -ENOENT, "getvcpuinfo beyond max_vcpu_id is -ENOENT");

    clear();
    op.u.vcpucontext.domid = id;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx) - 8;
    CHECK_EQ(call(XEN_DOM0_getvcpucontext), -EINVAL, "getvcpucontext wrong size is -EINVAL");
    op.u.vcpucontext.size = sizeof(ctx);
    memset(&ctx, 0xff, sizeof(ctx));
    CHECK(call(XEN_DOM0_getvcpucontext) == 0 && !(ctx.flags & VGCF_online) &&
          ctx.ctrlreg[3] == 0, "getvcpucontext of a fresh vCPU: down, no page table");
    op.u.vcpucontext.ctxt = BAD_PTR_NONCANON;
    CHECK_EQ(call(XEN_DOM0_getvcpucontext), -EFAULT, "getvcpucontext to a bad buffer is -EFAULT");
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.vcpu = 7;
    CHECK_EQ(call(XEN_DOM0_getvcpucontext), -ENOENT, "getvcpucontext of vCPU 7 is -ENOENT");

    memset(&ctx, 0, sizeof(ctx));
    clear();
    op.u.vcpucontext.domid = id;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), -EINVAL, "setvcpucontext without a page table is -EINVAL");
    ctx.ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn(current_l4));
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), -EINVAL,
             "setvcpucontext with another domain's L4 is -EINVAL");
    ctx.ctrlreg[3] = xen_pfn_to_cr3(populated[0]);
    ctx.user_regs.rip = BAD_PTR_NONCANON;
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), -EINVAL,
             "setvcpucontext with a non-canonical rip is -EINVAL");
    op.u.vcpucontext.ctxt = BAD_PTR_HV;
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), -EFAULT, "setvcpucontext from a bad buffer is -EFAULT");

    /* A zeroed frame of its own is a valid (empty) L4: load vCPU 0 and
     * bring it up; the domain stays paused, so it never runs. */
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    ctx.user_regs.rip = 0x400000;
    ctx.user_regs.cs = FLAT_KERNEL_CS;      /* null cs/ss are refused */
    ctx.user_regs.ss = FLAT_KERNEL_SS;
    ctx.flags = VGCF_online | VGCF_in_kernel;
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), 0, "setvcpucontext with its own empty L4, online");
    clear();
    op.u.vcpuinfo.domid = id;
    CHECK(call(XEN_DOM0_getvcpuinfo) == 0 && op.u.vcpuinfo.online && !op.u.vcpuinfo.running,
          "the loaded vCPU is up but not running (domain paused)");
    clear();
    op.u.vcpucontext.domid = id;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    memset(&ctx, 0, sizeof(ctx));
    CHECK(call(XEN_DOM0_getvcpucontext) == 0 && (ctx.flags & VGCF_online) &&
          xen_cr3_to_pfn(ctx.ctrlreg[3]) == populated[0] && ctx.user_regs.rip == 0x400000 &&
          (ctx.user_regs.cs & 3) == 3, "getvcpucontext reads the loaded state back");
    ctx.user_regs.rip = 0x500000;
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), 0, "reloading an up vCPU of a paused domain");
    {
        static uint64_t m;
        static struct xen_dom0_frameinfo f;

        m = populated[0];
        clear();
        op.u.getframeinfo.nr_frames = 1;
        op.u.getframeinfo.mfns = HC_PTR(&m);
        op.u.getframeinfo.info = HC_PTR(&f);
        CHECK(call(XEN_DOM0_getframeinfo) == 0 && f.owner == id &&
              f.type == XEN_DOM0_FRAME_L4 && (f.flags & XEN_DOM0_FRAMEF_pinned),
              "its L4 is reported as a pinned L4 of the new domain");
    }

    /* Affinity: move vCPU 0 to the last CPU and back. */
    clear();
    op.u.vcpuaffinity.domid = id;
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.cpumap = HC_PTR(cpumap);
    op.u.vcpuaffinity.nr_bits = sizeof(cpumap) * 8;
    memset(cpumap, 0, sizeof(cpumap));
    cpumap[(phys.nr_cpus - 1) / 8] = (uint8_t)(1u << ((phys.nr_cpus - 1) % 8));
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), 0, "setvcpuaffinity to the last CPU");
    clear();
    op.u.vcpuinfo.domid = id;
    CHECK(call(XEN_DOM0_getvcpuinfo) == 0 && op.u.vcpuinfo.cpu == phys.nr_cpus - 1,
          "getvcpuinfo shows the vCPU on the CPU it was pinned to");
    clear();
    op.u.vcpuaffinity.domid = id;
    op.u.vcpuaffinity.cpumap = HC_PTR(cpumap);
    memset(cpumap, 0, sizeof(cpumap));
    cpumap[15] = 0x80;                  /* CPU 127: does not exist */
    op.u.vcpuaffinity.nr_bits = 128;
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), -EINVAL, "affinity to no existing CPU is -EINVAL");
    op.u.vcpuaffinity.nr_bits = 0;
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), -EINVAL, "affinity nr_bits 0 is -EINVAL");
    op.u.vcpuaffinity.nr_bits = XEN_DOM0_CPUMAP_MAX_BITS + 1;
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), -EINVAL, "affinity nr_bits 4097 is -EINVAL");
    op.u.vcpuaffinity.nr_bits = 8;
    op.u.vcpuaffinity.cpumap = BAD_PTR_USER;
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), -EFAULT, "affinity from a bad map is -EFAULT");
    op.u.vcpuaffinity.cpumap = HC_PTR(cpumap);
    cpumap[0] = 1;
    CHECK_EQ(call(XEN_DOM0_setvcpuaffinity), 0, "setvcpuaffinity back to CPU 0");

    /* Scheduler parameters: recorded and reported. */
    clear();
    op.u.schedparams.domid = id;
    CHECK(call(XEN_DOM0_getschedparams) == 0 && op.u.schedparams.weight == 256 &&
          op.u.schedparams.cap == 0 && op.u.schedparams.sched_id == XEN_SCHEDULER_CREDIT,
          "default scheduler parameters 256/uncapped");
    op.u.schedparams.weight = 0;
    CHECK_EQ(call(XEN_DOM0_setschedparams), -EINVAL, "weight 0 is -EINVAL");
    op.u.schedparams.weight = 65536;
    CHECK_EQ(call(XEN_DOM0_setschedparams), -EINVAL, "weight 65536 is -EINVAL");
    op.u.schedparams.weight = 512;
    op.u.schedparams.cap = 100 * phys.nr_cpus + 1;
    CHECK_EQ(call(XEN_DOM0_setschedparams), -EINVAL, "cap beyond 100 x CPUs is -EINVAL");
    op.u.schedparams.cap = 50;
    CHECK_EQ(call(XEN_DOM0_setschedparams), 0, "setschedparams 512/50");
    clear();
    op.u.schedparams.domid = id;
    CHECK(call(XEN_DOM0_getschedparams) == 0 && op.u.schedparams.weight == 512 &&
          op.u.schedparams.cap == 50, "getschedparams reads 512/50 back");
}

static void test_accounting(void)
{
    static uint64_t counts[64];
    long rc;

    clear();
    op.u.getaccounting.domid = 0;
    op.u.getaccounting.nr_hypercall_counts = 64;
    op.u.getaccounting.hypercall_counts = HC_PTR(counts);
    rc = call(XEN_DOM0_getaccounting);
    CHECK_EQ(rc, 0, "getaccounting(0)");
    CHECK(op.u.getaccounting.hypercalls > 50 &&
          counts[__HYPERVISOR_dom0_op] > 10 && counts[__HYPERVISOR_console_io] > 10,
          "dom0's hypercall counters include dom0_op and console_io");
    CHECK(op.u.getaccounting.nr_hypercalls_kept >= 40, "hypervisor counts >= 40 hypercall numbers");
    CHECK(op.u.getaccounting.cpu_time_ns > 0, "dom0 accounting has CPU time");

    clear();
    op.u.getaccounting.domid = 1;
    CHECK(call(XEN_DOM0_getaccounting) == 0 && op.u.getaccounting.hypercalls == 0 &&
          op.u.getaccounting.cpu_time_ns == 0, "a new domain's counters are 0");
    op.u.getaccounting.nr_hypercall_counts = XEN_DOM0_HYPERCALL_COUNTERS_MAX + 1;
    op.u.getaccounting.hypercall_counts = HC_PTR(counts);
    CHECK_EQ(call(XEN_DOM0_getaccounting), -EINVAL, "getaccounting nr 257 is -EINVAL");
    op.u.getaccounting.nr_hypercall_counts = 4;
    op.u.getaccounting.hypercall_counts = 0;
    CHECK_EQ(call(XEN_DOM0_getaccounting), -EINVAL, "getaccounting nr 4 with no buffer is -EINVAL");
    op.u.getaccounting.hypercall_counts = BAD_PTR_M2P;
    CHECK_EQ(call(XEN_DOM0_getaccounting), -EFAULT, "getaccounting into the M2P is -EFAULT");
}

/* VIRQ_DOM_EXC must be raised to dom0 when a domain goes. */
static evtchn_port_t dom_exc_port;

static void test_domain_cycle(void)
{
    struct xen_dom0_domaininfo di;
    struct xen_dom0_physinfo p;
    domid_t id = 0, id5 = 0, prev;
    uint64_t baseline;
    unsigned int bad = 0;

    /* A first cycle (two domains at once, as below) lets the hypervisor's
     * small-object caches grow to what domains need; from then on, frames
     * must come back exactly. */
    if ( create(DOMID_INVALID, 64, 2, &id) == 0 &&
         create(DOMID_INVALID, 32, 1, &id5) == 0 )
    {
        populate(id, 8);
        clear();
        op.u.schedparams.domid = id;
        op.u.schedparams.weight = 1;
        call(XEN_DOM0_setschedparams);
        domain_cmd(XEN_DOM0_destroydomain, id);
        domain_cmd(XEN_DOM0_destroydomain, id5);
    }
    /* Without an id the next one after the last handed out (id5) is
     * chosen, round robin as in Xen, not the lowest free one (id, just
     * destroyed): a new domain never takes the id of one whose devices
     * dom0 may still be tearing down. */
    prev = id5;
    CHECK_EQ(create(DOMID_INVALID, 64, 2, &id), 0, "createdomain with DOMID_INVALID");
    CHECK(id == prev + 1, "the id after the last handed out is chosen, not the lowest free");
    domain_cmd(XEN_DOM0_destroydomain, id);
    get_physinfo(&p);
    baseline = p.free_pages;

    /* The rest works on d1 (free again: round robin skips nothing live,
     * and an explicit id is taken as asked). */
    CHECK_EQ(create(1, 64, 2, &id), 0, "createdomain with domid 1");
    CHECK_EQ(id, 1, "domid 1 is used as asked");
    CHECK_EQ(create(5, 32, 1, &id5), 0, "createdomain with domid 5");
    CHECK_EQ(id5, 5, "domid 5 is used as asked");
    CHECK_EQ(create(5, 32, 1, NULL), -EEXIST, "createdomain of an existing id is -EEXIST");

    CHECK_EQ(getinfo(1, &di), 0, "getdomaininfo(1)");
    CHECK((di.flags & XEN_DOMINF_paused) && !(di.flags & XEN_DOMINF_running) &&
          !(di.flags & XEN_DOMINF_privileged), "new domain is paused, not running, unprivileged");
    CHECK(di.tot_pages == 0 && di.max_pages == 64, "new domain owns no memory, limit 64 pages");
    CHECK(di.nr_online_vcpus == 0 && di.max_vcpu_id == 1, "new domain: 2 vCPUs, none up");
    CHECK(di.handle[0] == (uint8_t)(0xa0 + 1) &&
          di.handle[15] == (uint8_t)(0xaf + 1),
          "handle echoed");
    CHECK(di.shared_info_frame != 0 && di.shared_info_frame != start_info->shared_info >> PAGE_SHIFT,
          "new domain has its own shared_info");

    test_list();

    /* pause/unpause counting. */
    CHECK_EQ(domain_cmd(XEN_DOM0_pausedomain, 1), 0, "pausedomain(1) from 1 to 2");
    CHECK_EQ(domain_cmd(XEN_DOM0_unpausedomain, 1), 0, "unpausedomain(1) to 1");
    CHECK(getinfo(1, &di) == 0 && (di.flags & XEN_DOMINF_paused), "still paused at count 1");
    CHECK_EQ(domain_cmd(XEN_DOM0_unpausedomain, 1), 0, "unpausedomain(1) to 0");
    CHECK(getinfo(1, &di) == 0 && !(di.flags & XEN_DOMINF_paused) && di.nr_online_vcpus == 0,
          "unpaused, and its down vCPUs stay down");
    CHECK_EQ(domain_cmd(XEN_DOM0_unpausedomain, 1), -EINVAL, "unpausing at count 0 is -EINVAL");
    CHECK_EQ(domain_cmd(XEN_DOM0_pausedomain, 1), 0, "pausedomain(1) again");
    CHECK_EQ(domain_cmd(XEN_DOM0_pausedomain, 0), -EINVAL, "pausing the caller is -EINVAL");
    CHECK_EQ(domain_cmd(XEN_DOM0_pausedomain, 77), -ESRCH, "pausing a missing domain is -ESRCH");
    CHECK_EQ(domain_cmd(XEN_DOM0_pausedomain, DOMID_SELF), -EINVAL, "pausing DOMID_SELF is -EINVAL");

    /* Memory. */
    CHECK_EQ(populate(1, 16), 16, "populate_physmap gives d1 16 pages");
    CHECK(getinfo(1, &di) == 0 && di.tot_pages == 16, "d1 tot_pages 16");
    CHECK_EQ(setmaxmem(1, 0), -EINVAL, "setmaxmem 0 is -EINVAL");
    CHECK_EQ(setmaxmem(1, phys.total_pages + 1), -EINVAL, "setmaxmem beyond the machine is -EINVAL");
    CHECK_EQ(setmaxmem(77, 100), -ESRCH, "setmaxmem of a missing domain is -ESRCH");
    CHECK_EQ(setmaxmem(1, 8), 0, "setmaxmem below tot_pages is allowed");
    CHECK(getinfo(1, &di) == 0 && di.max_pages == 8 && di.tot_pages == 16, "limit 8, still 16 pages");
    CHECK_EQ(populate(1, 4), 0, "over the limit, populate gets nothing");
    CHECK_EQ(setmaxmem(1, 32), 0, "setmaxmem 32");
    CHECK_EQ(populate(1, 4), 4, "under the new limit, populate works again");

    test_vcpu_ops_on(1);
    test_accounting();

    /* Destroy. */
    CHECK_EQ(domain_cmd(XEN_DOM0_destroydomain, 0), -EINVAL, "destroying the caller is -EINVAL");
    CHECK_EQ(domain_cmd(XEN_DOM0_destroydomain, DOMID_FIRST_RESERVED), -EINVAL,
             "destroying a reserved id is -EINVAL");
    evtchn_clear_pending(dom_exc_port);
    CHECK_EQ(domain_cmd(XEN_DOM0_destroydomain, 1), 0, "destroydomain(1)");
    CHECK(evtchn_is_pending(dom_exc_port), "destroy raises VIRQ_DOM_EXC to dom0");
    CHECK_EQ(getinfo(1, &di), -ESRCH, "a destroyed domain is gone");
    CHECK_EQ(domain_cmd(XEN_DOM0_destroydomain, 1), -ESRCH, "destroying it again is -ESRCH");
    CHECK_EQ(domain_cmd(XEN_DOM0_unpausedomain, 1), -ESRCH, "unpausing it is -ESRCH");
    CHECK_EQ(domain_cmd(XEN_DOM0_destroydomain, 5), 0, "destroydomain(5)");
    get_physinfo(&p);
    CHECK_EQ(p.free_pages, baseline, "free pages are back where they were");

    /* Many cycles, with memory and both vCPUs. */
    baseline = p.free_pages;
    for ( unsigned int round = 0; round < 20; round++ )
    {
        if ( create(DOMID_INVALID, 64, 2, &id) || populate(id, 8 + round) != (long)(8 + round) ||
             domain_cmd(XEN_DOM0_destroydomain, id) )
            bad++;
        get_physinfo(&p);
        if ( p.free_pages != baseline )
            bad++;
    }
    CHECK_EQ(bad, 0, "20 create/populate/destroy cycles leak nothing");
}

/* ---- Own vCPUs ---------------------------------------------------------- */

static void marker(void)
{
}

static void test_own_context(void)
{
    static struct vcpu_guest_context ctx, ctx1;
    struct xen_dom0_domaininfo di;

    clear();
    op.u.vcpucontext.domid = 0;
    op.u.vcpucontext.vcpu = 0;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    CHECK_EQ(call(XEN_DOM0_getvcpucontext), 0, "getvcpucontext of the calling vCPU");
    CHECK_EQ(xen_cr3_to_pfn(ctx.ctrlreg[3]), virt_to_mfn(current_l4),
             "own context: ctrlreg[3] is the L4 we run on");
    CHECK((ctx.flags & VGCF_online) && (ctx.flags & VGCF_in_kernel) &&
          (ctx.flags & VGCF_i387_valid), "own context: online, in kernel, FPU valid");
    CHECK((ctx.user_regs.cs & 3) == 3 && ctx.user_regs.rip >= GUEST_VIRT_BASE,
          "own context: RPL 3 code selector, rip in our kernel");

    if ( getinfo(0, &di) || di.max_vcpu_id < 1 )
    {
        test_pass("dom0 has one vCPU: setvcpucontext on a down sibling skipped");
        return;
    }
    /* Load a context into the down vCPU 1 (without bringing it up) and
     * read it back. */
    ctx.flags &= ~VGCF_online;
    ctx.user_regs.rip = (uint64_t)marker;
    ctx.user_regs.rsp = (uint64_t)page_alloc() + PAGE_SIZE;
    ctx.gdt_ents = 0;
    clear();
    op.u.vcpucontext.domid = 0;
    op.u.vcpucontext.vcpu = 1;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    CHECK_EQ(call(XEN_DOM0_setvcpucontext), 0, "setvcpucontext on down vCPU 1 (not online)");
    op.u.vcpucontext.ctxt = HC_PTR(&ctx1);
    CHECK_EQ(call(XEN_DOM0_getvcpucontext), 0, "getvcpucontext of vCPU 1");
    CHECK(ctx1.user_regs.rip == (uint64_t)marker && ctx1.user_regs.rsp == ctx.user_regs.rsp &&
          ctx1.ctrlreg[3] == ctx.ctrlreg[3] && !(ctx1.flags & VGCF_online) &&
          ctx1.event_callback_eip == ctx.event_callback_eip,
          "vCPU 1 reads back what was loaded, still down");
    clear();
    op.u.vcpuinfo.domid = 0;
    op.u.vcpuinfo.vcpu = 1;
    CHECK(call(XEN_DOM0_getvcpuinfo) == 0 && !op.u.vcpuinfo.online, "vCPU 1 stays down");
}

/* ---- Frames ------------------------------------------------------------- */

static void test_frameinfo(void)
{
    static uint64_t mfns[8];
    static struct xen_dom0_frameinfo fi[8];
    static xen_pfn_t m2p_mfns[1];
    struct xen_machphys_mfn_list ml = { .max_extents = 1 };
    uint64_t l2_ma, *l2e;
    static uint64_t data_word;

    ml.extent_start.p = m2p_mfns;
    hv_memory_op(XENMEM_machphys_mfn_list, &ml);
    l2e = pte_lookup((unsigned long)&data_word, 2, &l2_ma);

    mfns[0] = virt_to_mfn(current_l4);
    mfns[1] = l2e ? (*l2e & PTE_ADDR_MASK) >> PAGE_SHIFT : 0;   /* an L1 */
    mfns[2] = l2_ma >> PAGE_SHIFT;                              /* an L2 */
    mfns[3] = virt_to_mfn(&data_word);
    mfns[4] = m2p_mfns[0];
    mfns[5] = 0xfffffffffUL;            /* far beyond memory */
    mfns[6] = start_info->shared_info >> PAGE_SHIFT;
    mfns[7] = ~0UL;

    clear();
    op.u.getframeinfo.nr_frames = 8;
    op.u.getframeinfo.mfns = HC_PTR(mfns);
    op.u.getframeinfo.info = HC_PTR(fi);
    CHECK_EQ(call(XEN_DOM0_getframeinfo), 0, "getframeinfo on 8 frames");
    CHECK(fi[0].owner == 0 && fi[0].type == XEN_DOM0_FRAME_L4, "our L4 is an L4 owned by dom0");
    CHECK(fi[0].flags & XEN_DOM0_FRAMEF_pinned, "the bootstrap L4 is pinned");
    CHECK(fi[1].owner == 0 && fi[1].type == XEN_DOM0_FRAME_L1, "the L1 mapping our data is an L1");
    CHECK(fi[2].owner == 0 && fi[2].type == XEN_DOM0_FRAME_L2, "the L2 above it is an L2");
    CHECK(fi[3].owner == 0 && fi[3].type == XEN_DOM0_FRAME_WRITABLE && fi[3].flags == 0,
          "a data page is writable, not pinned");
    CHECK_EQ(fi[4].owner, DOMID_XEN, "an M2P frame belongs to DOMID_XEN");
    CHECK(fi[5].owner == DOMID_INVALID && fi[5].type == XEN_DOM0_FRAME_NONE,
          "a frame beyond memory is DOMID_INVALID, NONE");
    CHECK_EQ(fi[6].owner, 0, "shared_info is reported as dom0's");
    CHECK_EQ(fi[7].owner, DOMID_INVALID, "mfn ~0 is DOMID_INVALID");

    op.u.getframeinfo.nr_frames = 0;
    CHECK_EQ(call(XEN_DOM0_getframeinfo), -EINVAL, "getframeinfo of 0 frames is -EINVAL");
    op.u.getframeinfo.nr_frames = XEN_DOM0_FRAMEINFO_MAX + 1;
    CHECK_EQ(call(XEN_DOM0_getframeinfo), -EINVAL, "getframeinfo of 1025 frames is -EINVAL");
    op.u.getframeinfo.nr_frames = 2;
    op.u.getframeinfo.mfns = BAD_PTR_USER;
    CHECK_EQ(call(XEN_DOM0_getframeinfo), -EFAULT, "getframeinfo from a bad list is -EFAULT");
    op.u.getframeinfo.mfns = HC_PTR(mfns);
    op.u.getframeinfo.info = BAD_PTR_HV;
    CHECK_EQ(call(XEN_DOM0_getframeinfo), -EFAULT, "getframeinfo into a bad buffer is -EFAULT");
}

void test_main(void)
{
    evtchn_port_t port = 0;

    setup(SETUP_SHARED_INFO);
    CHECK_EQ(evtchn_bind_virq(VIRQ_DOM_EXC, 0, &port), 0, "bind VIRQ_DOM_EXC");
    dom_exc_port = port;
    evtchn_mask(port);

    test_header();
    test_physinfo();
    test_dom0_info();
    test_create_errors();
    test_domain_cycle();
    test_own_context();
    test_frameinfo();
    test_copyframes();
    test_perfc();
    test_readlog();
}
