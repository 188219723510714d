/*
 * hostile_fpu: vCPU contexts whose FPU image and segment state the CPU
 * would refuse.  The hypervisor loads both with privileged instructions
 * (fxrstor, selector loads, wrmsr of the bases) when it switches to the
 * vCPU; on hardware a reserved MXCSR bit or a non-canonical base faults
 * there, in the hypervisor.  It must instead mask or refuse the value when
 * the context is accepted, or correct it at the switch, and never crash.
 *
 * vCPU 1 (dom0 is booted with two) is loaded with setvcpucontext, brought
 * up, reports what it sees (stmxcsr, its selectors) and takes itself down
 * again so the next context can be loaded.
 */
#include "guest.h"
#include "public/dom0_op.h"

#define FXSAVE_MXCSR       24
#define FXSAVE_MXCSR_MASK  28
#define NONCANON           0x0000800000000000UL

static struct xen_dom0_op op;
static struct vcpu_guest_context template_ctx, ctx, readback;

/* Filled in by vCPU 1. */
static volatile uint32_t v1_mxcsr;
static volatile uint16_t v1_ds, v1_fs;
static volatile int v1_reported;

static long dom0_op_vcpucontext(uint32_t cmd, unsigned int vcpu,
                                struct vcpu_guest_context *c)
{
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.vcpucontext.domid = 0;
    op.u.vcpucontext.vcpu = vcpu;
    op.u.vcpucontext.ctxt = HC_PTR(c);
    op.u.vcpucontext.size = sizeof(*c);
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static uint32_t image_mxcsr(const struct vcpu_guest_context *c)
{
    uint32_t m;

    memcpy(&m, c->fpu_ctxt.x + FXSAVE_MXCSR, sizeof(m));
    return m;
}

static void set_image_mxcsr(struct vcpu_guest_context *c, uint32_t m)
{
    memcpy(c->fpu_ctxt.x + FXSAVE_MXCSR, &m, sizeof(m));
}

/* The MXCSR bits this CPU supports, as FXSAVE reports them to us too. */
static uint32_t cpu_mxcsr_mask(void)
{
    static uint8_t image[512] __attribute__((aligned(16)));
    uint32_t m;

    asm volatile("fxsaveq %0" : "=m"(image));
    memcpy(&m, image + FXSAVE_MXCSR_MASK, sizeof(m));
    return m ? m : 0xffbf;
}

/* vCPU 1 starts here on its own stack: report, then go down. */
static void __attribute__((noreturn, used)) vcpu1_main(void)
{
    uint32_t m;
    uint16_t ds, fs;

    asm volatile("stmxcsr %0" : "=m"(m));
    asm volatile("mov %%ds, %0" : "=r"(ds));
    asm volatile("mov %%fs, %0" : "=r"(fs));
    v1_mxcsr = m;
    v1_ds = ds;
    v1_fs = fs;
    barrier();
    v1_reported = 1;
    hv_vcpu_op(VCPUOP_down, 1, NULL);
    for (;;)
        hv_sched_op(SCHEDOP_yield, NULL);
}

/* Load c into the down vCPU 1, bring it up, wait for its report. */
static int run_vcpu1(const char *what)
{
    uint64_t deadline;

    v1_reported = 0;
    barrier();
    CHECK_EQ(hv_vcpu_op(VCPUOP_up, 1, NULL), 0, casename("%s: vCPU 1 up", what));
    deadline = rdtsc() + 20000000000UL;     /* seconds of TCG time */
    while (!v1_reported && rdtsc() < deadline)
        hv_sched_op(SCHEDOP_yield, NULL);
    CHECK(v1_reported, casename("%s: vCPU 1 ran and reported", what));
    /* Wait until it is down again before the next load. */
    for (int i = 0; i < 100000 && hv_vcpu_op(VCPUOP_is_up, 1, NULL) == 1; i++)
        hv_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 0,
             casename("%s: vCPU 1 took itself down", what));
    return v1_reported;
}

static void prepare(void)
{
    ctx = template_ctx;
    ctx.flags &= ~VGCF_online;
    ctx.flags |= VGCF_in_kernel;
    ctx.user_regs.rip = (uint64_t)vcpu1_main;
    ctx.user_regs.rsp = (uint64_t)page_alloc() + PAGE_SIZE - 8;
    ctx.gdt_ents = 0;
}

/* The shared vCPU-context checker (vcpu_context_check) refuses MXCSR bits
 * no CPU has (the upper 16); bits inside the low 16 that this CPU's
 * mxcsr_mask lacks are accepted and masked when the image is loaded
 * (fpu_sanitise_image), so FXRSTOR can never fault on them. */
static void test_reserved_mxcsr(uint32_t mask)
{
    const uint32_t upper = 0xffff0000u | 0x1f80u;
    const uint32_t low = 0x1f80u | (~mask & 0xffff);
    long rc;

    prepare();
    ctx.flags |= VGCF_i387_valid;
    set_image_mxcsr(&ctx, upper);
    rc = dom0_op_vcpucontext(XEN_DOM0_setvcpucontext, 1, &ctx);
    CHECK_EQ(rc, -EINVAL, "setvcpucontext with MXCSR bits 16-31 set is refused");

    if ((~mask & 0xffff) == 0) {
        printf("mxcsr_mask %#x covers every low bit: no low reserved bit to mask\n", mask);
        return;
    }
    prepare();
    ctx.flags |= VGCF_i387_valid;
    set_image_mxcsr(&ctx, low);
    rc = dom0_op_vcpucontext(XEN_DOM0_setvcpucontext, 1, &ctx);
    CHECK_EQ(rc, 0, "setvcpucontext with low MXCSR bits outside mxcsr_mask is accepted");
    if (rc != 0)
        return;
    CHECK_EQ(dom0_op_vcpucontext(XEN_DOM0_getvcpucontext, 1, &readback), 0,
             "getvcpucontext of vCPU 1 after the hostile FPU image");
    CHECK_EQ(image_mxcsr(&readback), low & mask,
             "the stored image's MXCSR has the reserved bits cleared");
    if (run_vcpu1("reserved MXCSR"))
        CHECK_EQ(v1_mxcsr, low & mask, "vCPU 1 reads the masked MXCSR with stmxcsr");
}

/* Non-canonical bases would fault in WRMSR: the checker refuses them. */
static void test_bad_bases(void)
{
    prepare();
    ctx.flags &= ~VGCF_i387_valid;
    ctx.fs_base = NONCANON;
    ctx.gs_base_kernel = 0x8000000000000000UL;
    ctx.gs_base_user = NONCANON | 0x1234;
    CHECK_EQ(dom0_op_vcpucontext(XEN_DOM0_setvcpucontext, 1, &ctx), -EINVAL,
             "setvcpucontext with non-canonical FS/GS bases is refused");
}

/* Selectors beyond the GDT could not be loaded on a context switch: the
 * checker refuses them (the switch's own fixup is the second line). */
static void test_bad_selectors(void)
{
    prepare();
    ctx.flags &= ~VGCF_i387_valid;
    ctx.user_regs.ds = 0xfff8;      /* far beyond an empty GDT */
    ctx.user_regs.fs = 0x0ffb;
    CHECK_EQ(dom0_op_vcpucontext(XEN_DOM0_setvcpucontext, 1, &ctx), -EINVAL,
             "setvcpucontext with unloadable selectors is refused");
}

static void test_set_segment_base(void)
{
    static const uint64_t bad[] = {
        NONCANON, 0x8000000000000000UL, 0x00007fffffffffffUL + 1, 0xfff0000000000000UL,
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, bad[i]), -EINVAL,
                 casename("set_segment_base FS %#lx is -EINVAL", bad[i]));
        CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER, bad[i]), -EINVAL,
                 casename("set_segment_base GS user %#lx is -EINVAL", bad[i]));
        CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, bad[i]), -EINVAL,
                 casename("set_segment_base GS kernel %#lx is -EINVAL", bad[i]));
    }
}

void test_main(void)
{
    uint32_t mask = cpu_mxcsr_mask();

    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    printf("MXCSR mask %#x\n", mask);
    CHECK_EQ(dom0_op_vcpucontext(XEN_DOM0_getvcpucontext, 0, &template_ctx), 0,
             "getvcpucontext of the calling vCPU (template)");
    if (hv_vcpu_op(VCPUOP_is_up, 1, NULL) != 0) {
        test_fail("dom0 has a down vCPU 1", "boot with -smp 2");
        return;
    }
    test_reserved_mxcsr(mask);
    test_bad_bases();
    test_bad_selectors();
    test_set_segment_base();
    CHECK_EQ(hv_xen_version(XENVER_pagesize, NULL), 4096,
             "the hypervisor still answers");
}
