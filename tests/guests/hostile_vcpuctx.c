/*
 * hostile_vcpuctx: whole vCPU contexts given to VCPUOP_initialise (and
 * dom0_op setvcpucontext) for vCPU 1.
 *
 * Every bad context is refused with -EINVAL and leaves vCPU 1 exactly as
 * it was (no kernel page table, no GDT frame held): starting outside
 * kernel mode without a user page table (the old hypervisor loaded CR3 =
 * 0), bad kernel or user L4s (the old one kept the kernel L4 when the user
 * one failed), entry points outside guest space, non-canonical bases,
 * selectors of the hypervisor's own descriptors or beyond the GDT, unknown
 * flags, a bad MXCSR, and GDT frames that set_gdt would refuse: a DPL-3
 * call gate to the hypervisor's code selector (the old hypervisor took
 * these frames unchecked, giving a guest CPL 0), a TSS descriptor, a frame
 * still mapped writable, the hypervisor's shared_info.  A frame with a
 * DPL-0 code segment is accepted with the DPL raised to 3, as set_gdt
 * does.  Finally a valid context, whose code and stack selectors come from
 * that GDT, is accepted and vCPU 1 really runs.
 */
#include "guest.h"
#include "pt.h"
#include "public/dom0_op.h"

#define MS 1000000ULL

#define DESC_DPL_MASK  (3UL << 45)
#define DESC_ACCESSED  (1UL << 40)
#define CODE64_DPL0    0x00209a000000ffffUL    /* P, S, exec/read, L */
#define DATA_DPL0      0x00cf92000000ffffUL    /* P, S, read/write */
#define GDT_CS         ((1 << 3) | 3)
#define GDT_SS         ((2 << 3) | 3)

static struct vcpu_guest_context ctx;
static uint8_t vcpu1_stack[16384] __attribute__((aligned(16)));
static volatile unsigned long vcpu1_ticks;

/* vCPU 1's code: count, let others run, forever. */
static void __attribute__((noreturn, used)) vcpu1_main(void)
{
    for (;;) {
        vcpu1_ticks++;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
}

/* A context vCPU 1 could run with: our page tables, FLAT selectors. */
static void base_context(struct vcpu_guest_context *c)
{
    memset(c, 0, sizeof(*c));
    c->user_regs.rip = (uint64_t)vcpu1_main;
    c->user_regs.rsp = (uint64_t)(vcpu1_stack + sizeof(vcpu1_stack) - 8);
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x200;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    c->flags = VGCF_in_kernel;
    c->event_callback_eip = (uint64_t)event_callback_entry;
    c->failsafe_callback_eip = (uint64_t)failsafe_callback_entry;
    c->ctrlreg[3] = virt_to_mfn(current_l4) << PAGE_SHIFT;
}

static long initialise(void)
{
    return hv_vcpu_op(VCPUOP_initialise, 1, &ctx);
}

static struct xen_dom0_op op;

static long vcpucontext(uint32_t cmd, struct vcpu_guest_context *c)
{
    memset(&op, 0, sizeof(op));
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.vcpucontext.domid = 0;         /* ourselves */
    op.u.vcpucontext.vcpu = 1;
    op.u.vcpucontext.ctxt = HC_PTR(c);
    op.u.vcpucontext.size = sizeof(*c);
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

/* vCPU 1 still has no context: no kernel page table, no GDT. */
static int vcpu1_untouched(void)
{
    static struct vcpu_guest_context now;

    if (vcpucontext(XEN_DOM0_getvcpucontext, &now) != 0)
        return 0;
    return now.ctrlreg[3] == 0 && now.ctrlreg[1] == 0 && now.gdt_ents == 0;
}

#define REFUSED(name)                                                        \
    do {                                                                     \
        CHECK_EQ(initialise(), -EINVAL, name);                               \
        CHECK(vcpu1_untouched(), casename("%s: vCPU 1 left as it was", name)); \
    } while (0)

static void test_bad_contexts(void)
{
    uint64_t *data = page_alloc();

    base_context(&ctx);
    ctx.flags = 0;
    REFUSED("user mode without a user page table");

    base_context(&ctx);
    ctx.ctrlreg[3] = 0;
    REFUSED("no kernel page table");

    base_context(&ctx);
    ctx.ctrlreg[3] = virt_to_mfn(data) << PAGE_SHIFT;
    REFUSED("a data page as kernel page table");

    base_context(&ctx);
    ctx.ctrlreg[3] = 0xfffffffff000UL;
    REFUSED("a frame beyond memory as kernel page table");

    base_context(&ctx);
    ctx.ctrlreg[1] = virt_to_mfn(data) << PAGE_SHIFT;
    REFUSED("a good kernel but a bad user page table");

    base_context(&ctx);
    ctx.event_callback_eip = BAD_PTR_NONCANON;
    REFUSED("a non-canonical event callback");

    base_context(&ctx);
    ctx.failsafe_callback_eip = BAD_PTR_HV;
    REFUSED("a failsafe callback in the hypervisor");

    base_context(&ctx);
    ctx.user_regs.rip = BAD_PTR_HV;
    REFUSED("rip in the hypervisor");

    base_context(&ctx);
    ctx.trap_ctxt[14].vector = 14;
    ctx.trap_ctxt[14].address = BAD_PTR_NONCANON2;
    REFUSED("a non-canonical trap handler");

    base_context(&ctx);
    ctx.fs_base = BAD_PTR_NONCANON;
    REFUSED("a non-canonical fs base");

    base_context(&ctx);
    ctx.user_regs.cs = 0xe008;
    REFUSED("cs = the hypervisor's ring-0 code selector");

    base_context(&ctx);
    ctx.user_regs.ss = 0xe010;
    REFUSED("ss = the hypervisor's ring-0 data selector");

    base_context(&ctx);
    ctx.user_regs.ss = 0;
    REFUSED("a null ss");

    base_context(&ctx);
    ctx.kernel_ss = 0xe013;
    REFUSED("kernel_ss = the hypervisor's data selector");

    base_context(&ctx);
    ctx.user_regs.ds = 0xe040;
    REFUSED("ds = the TSS selector");

    base_context(&ctx);
    ctx.user_regs.cs = 0x10;
    REFUSED("cs beyond an empty GDT");

    base_context(&ctx);
    ctx.flags |= 1u << 8;
    REFUSED("an unknown flag");

    base_context(&ctx);
    ctx.flags |= VGCF_i387_valid;
    ctx.fpu_ctxt.x[24] = 0x80;
    ctx.fpu_ctxt.x[27] = 0xff;          /* MXCSR reserved bits */
    REFUSED("an FPU image with reserved MXCSR bits");

    base_context(&ctx);
    ctx.ldt_base = 0x1234;
    ctx.ldt_ents = 1;
    REFUSED("an unaligned LDT");
}

static uint64_t *gdt_page(uint64_t desc1, uint64_t desc2)
{
    uint64_t *g = page_alloc();

    memset(g, 0, PAGE_SIZE);
    g[1] = desc1;
    g[2] = desc2;
    return g;
}

static void gdt_context(uint64_t *g)
{
    base_context(&ctx);
    ctx.gdt_frames[0] = virt_to_mfn(g);
    ctx.gdt_ents = 512;
}

static void test_bad_gdts(void)
{
    /* 64-bit call gate: target 0xe008:0xffff82d080000000, DPL 3, present. */
    uint64_t *gate = gdt_page(0x8000ec00e0080000UL, 0x00000000ffff82d0UL);
    /* 64-bit available TSS, present, DPL 0. */
    uint64_t *tss = gdt_page(0x0000890000000067UL, 0);
    uint64_t *writable = gdt_page(CODE64_DPL0, 0);

    CHECK_EQ(set_ro(gate) | set_ro(tss), 0, "map the call-gate and TSS pages read-only");

    gdt_context(gate);
    REFUSED("a GDT frame holding a DPL-3 call gate");
    CHECK_EQ(vcpucontext(XEN_DOM0_setvcpucontext, &ctx), -EINVAL,
             "setvcpucontext with that GDT frame is -EINVAL too");
    CHECK(vcpu1_untouched(), "setvcpucontext left vCPU 1 as it was");

    gdt_context(tss);
    REFUSED("a GDT frame holding a TSS descriptor");

    gdt_context(writable);
    REFUSED("a GDT frame still mapped writable");

    base_context(&ctx);
    ctx.gdt_frames[0] = start_info->shared_info >> PAGE_SHIFT;
    ctx.gdt_ents = 16;
    REFUSED("shared_info as a GDT frame");

    gdt_context(writable);
    ctx.gdt_frames[0] = 0;
    ctx.gdt_frames[1] = virt_to_mfn(gate);
    REFUSED("a GDT frame beyond gdt_ents");

    CHECK_EQ(set_rw(gate), 0, "the refused call-gate frame holds no type reference: writable again");
}

static void test_good_context(void)
{
    uint64_t *g = gdt_page(CODE64_DPL0, DATA_DPL0);
    uint64_t t;

    CHECK_EQ(set_ro(g), 0, "map a GDT page with DPL-0 segments read-only");
    gdt_context(g);
    ctx.gdt_ents = 3;
    ctx.user_regs.cs = GDT_CS;
    ctx.user_regs.ss = GDT_SS;
    ctx.kernel_ss = GDT_SS;
    CHECK_EQ(initialise(), 0, "VCPUOP_initialise with a valid context returns 0");
    CHECK_EQ((g[1] & DESC_DPL_MASK) >> 45, 3, "the code segment's DPL was raised to 3");
    CHECK((g[1] & DESC_ACCESSED) && (g[2] & DESC_ACCESSED), "and the accessed bits set, as set_gdt does");
    CHECK(!vcpu1_untouched(), "vCPU 1 now has a context");
    CHECK_EQ(initialise(), -EEXIST, "a second VCPUOP_initialise is -EEXIST");

    CHECK_EQ(hv_vcpu_op(VCPUOP_up, 1, NULL), 0, "VCPUOP_up(1) returns 0");
    /* Bound by vCPU 1's own running time (2 s of it), not the clock: a
     * loaded host may run it late, never 2 s without 10 ticks. */
    t = vcpu_ran_ns(1) + 2000 * MS;
    while (vcpu1_ticks < 10 && vcpu_ran_ns(1) < t)
        hv_sched_op(SCHEDOP_yield, NULL);
    CHECK(vcpu1_ticks >= 10, "vCPU 1 runs its code");
    CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, 1, NULL), 1, "VCPUOP_is_up(1) is 1");
    CHECK_ERR(set_rw(g), "its GDT frame cannot be mapped writable while in use");
}

void test_main(void)
{
    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    if (hv_vcpu_op(VCPUOP_is_up, 1, NULL) != 0)
        test_abort("vCPU 1 exists and is down", "needs two CPUs (-smp 2)");
    if (!vcpu1_untouched())
        test_abort("vCPU 1 has no context yet", "getvcpucontext failed or vCPU 1 has one");
    test_bad_contexts();
    test_bad_gdts();
    test_good_context();
}
