/*
 * abi_traps: corners of the PV trap ABI where ours must answer as Xen
 * does (issue 13, items 3, 4, 5 and 9):
 *  - `int n` into vectors registered with DPL 3 / 1 / 0, from guest
 *    kernel and guest user mode: bounced as a software interrupt (RIP
 *    after the instruction) or #GP((n << 3) | 2);
 *  - the virtual IOPL: cli and outb in kernel and user mode for vIOPL
 *    0/1/3, set with PHYSDEVOP_set_iopl (kernel = ring 1) and with
 *    VMASST_TYPE_architectural_iopl (kernel = ring 0, the iret hypercall
 *    sets the vIOPL, bounce frames report it); allowed cli/sti leave the
 *    event mask alone;
 *  - a non-canonical memory operand: #SS(0) through SS (%rbp, %rsp, an
 *    %ss: override), #GP(0) otherwise (including %ds:(%rbp));
 *  - the iret hypercall with CS RPL 0 (kernel mode, no fault), a null
 *    CS, the hypervisor's CS, the hypervisor's SS and a non-canonical RIP
 *    (the failsafe callback with the frame), far return and mov to %ss
 *    with selectors the guest may not use (#GP(selector)).
 * Fails on main (user-mode IOPL, kernel port I/O at vIOPL 0, #SS, the
 * non-canonical iret RIP).
 */
#include "guest.h"
#include <public/physdev.h>
#include <public/platform.h>
#include <public/pmu.h>
#include <public/xen-mca.h>

#define KCS 0xe030UL    /* FLAT_KERNEL_CS as kernel frames show it */
#define KSS 0xe02bUL
#define UCS 0xe033UL
#define HV_CS 0xe008UL
#define HV_DS 0xe010UL
#define NONCANON 0x0000800000000000UL

static uint8_t kstack[16384] __attribute__((aligned(16)));
static uint8_t ustack[16384] __attribute__((aligned(16)));
static struct recover_point user_back;
static volatile int user_active;
static volatile unsigned int failsafe_seen;
static volatile uint64_t fs_rip, fs_cs, fs_ss;
static volatile uint64_t saved_rsp;
static volatile int iret_reached;

void user_tramp(void);
extern const char iret_target[], iret_resume[];
asm(".text\n.globl user_tramp\nuser_tramp:\n\tcall *%rax\n\tint3\n\tud2\n");

static int hook(struct trap_frame *f)
{
    if (f->vector == TRAP_BP && user_active && (f->cs & 3) == 3) {
        /* The user function returned: back to kernel mode. */
        user_active = 0;
        f->rip = (uint64_t)recover_jump;
        f->rdi = (uint64_t)&user_back;
        f->rsi = 1;
        f->rsp = (user_back.rsp - 1024) & ~15UL;
        f->cs = KCS;
        f->ss = KSS;
        f->rflags &= ~RFLAGS_IF;
        return 1;
    }
    if (f->vector == 0x101) {
        failsafe_seen++;
        fs_rip = f->rip;
        fs_cs = f->cs;
        fs_ss = f->ss;
        f->rip = (uint64_t)iret_resume;
        f->cs = KCS;
        f->ss = KSS;
        f->rsp = saved_rsp;
        f->rflags &= ~RFLAGS_IF;
        return 1;
    }
    return 0;
}

/* Run fn in guest user mode (IOPL `iopl` in the iret frame's RFLAGS). */
static void exec_user(void (*fn)(void), unsigned int iopl)
{
    uint8_t mask = vcpu->evtchn_upcall_mask;

    if (recover_save(&user_back) == 0) {
        struct iret_context c;

        memset(&c, 0, sizeof(c));
        c.rax = (uint64_t)fn;
        c.rip = (uint64_t)user_tramp;
        c.cs = UCS;
        c.rflags = 0x2 | ((uint64_t)iopl << 12);    /* IF clear: events stay masked */
        c.rsp = (uint64_t)(ustack + sizeof(ustack));
        c.ss = KSS;
        user_active = 1;
        hypervisor_iret_to(&c);
    }
    vcpu->evtchn_upcall_mask = mask;
}

static void nop(void) {}

static __attribute__((noinline)) void stub_cli(void)
{
    asm volatile("1: cli\n2:\n\t" FIXUP_ENTRY("1b", "2b") ::: "memory");
}

static __attribute__((noinline)) void stub_sti(void)
{
    asm volatile("1: sti\n2:\n\t" FIXUP_ENTRY("1b", "2b") ::: "memory");
}

static __attribute__((noinline)) void stub_outb(void)
{
    asm volatile("1: outb %%al, $0x80\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "a"(0) : "memory");
}

static volatile uint64_t inb_val;
static __attribute__((noinline)) void stub_inb(void)
{
    uint64_t v = 0x1200;

    asm volatile("1: mov $0x1234, %%dx\n\tinb (%%dx), %%al\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "+a"(v) :: "rdx", "memory");
    inb_val = v;
}

static volatile uint64_t int_at, int_next;
#define INT_STUB(n)                                                          \
    static __attribute__((noinline)) void stub_int##n(void)                  \
    {                                                                        \
        asm volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, int_at(%%rip)\n\t"   \
                     "lea 2f(%%rip), %%rax\n\tmov %%rax, int_next(%%rip)\n"    \
                     "1: int $0x" #n "\n2:\n\t" FIXUP_ENTRY("1b", "2b")       \
                     ::: "rax", "memory");                                   \
    }
INT_STUB(80)
INT_STUB(81)
INT_STUB(82)
INT_STUB(83)

static void check_int(const char *what, void (*fn)(void), int user, int bounced, unsigned int n)
{
    trap_reset();
    if (user)
        exec_user(fn, 0);
    else
        fn();
    if (trap_last.count != 1) {
        test_fail(casename("%s: one trap", what), "%u traps", trap_last.count);
        return;
    }
    if (bounced) {
        CHECK_EQ(trap_last.vector, TRAP_INT80, casename("%s: reaches the registered handler", what));
        CHECK_EQ(trap_last.rip, int_next, casename("%s: frame RIP is after the int", what));
    } else {
        CHECK_EQ(trap_last.vector, TRAP_GP, casename("%s: is #GP", what));
        CHECK_EQ(trap_last.error, (n << 3) | 2, casename("%s: error code (n << 3) | 2", what));
        CHECK_EQ(trap_last.rip, int_at, casename("%s: frame RIP is the int", what));
    }
    CHECK_EQ(trap_last.cs & 3, user ? 3 : 0, casename("%s: frame CS tells the mode", what));
}

static void test_softint(void)
{
    static struct trap_info t[4];

    t[0] = (struct trap_info){ 0x81, 4 | 3, FLAT_KERNEL_CS, (uint64_t)trap_stub_int80 };
    t[1] = (struct trap_info){ 0x82, 4 | 1, FLAT_KERNEL_CS, (uint64_t)trap_stub_int80 };
    t[2] = (struct trap_info){ 0x83, 4 | 0, FLAT_KERNEL_CS, (uint64_t)trap_stub_int80 };
    memset(&t[3], 0, sizeof(t[3]));
    CHECK_EQ(hv_set_trap_table(t), 0, "vectors 0x81 (DPL 3), 0x82 (DPL 1), 0x83 (DPL 0) registered");

    check_int("kernel int $0x81 (DPL 3)", stub_int81, 0, 1, 0x81);
    check_int("kernel int $0x82 (DPL 1)", stub_int82, 0, 1, 0x82);
    check_int("kernel int $0x83 (DPL 0)", stub_int83, 0, 0, 0x83);
    check_int("user int $0x80 (DPL 3)", stub_int80, 1, 1, 0x80);
    check_int("user int $0x81 (DPL 3)", stub_int81, 1, 1, 0x81);
    check_int("user int $0x82 (DPL 1)", stub_int82, 1, 0, 0x82);
    check_int("user int $0x83 (DPL 0)", stub_int83, 1, 0, 0x83);
}

static void run_one(const char *how, const char *name, void (*fn)(void), int user,
                    unsigned int iopl, int fault)
{
    const char *c = casename("%s vIOPL %u: %s %s %s", how, iopl, user ? "user" : "kernel",
                             name, fault ? "is #GP(0)" : "does not fault");
    trap_reset();
    if (user)
        exec_user(fn, iopl);
    else
        fn();
    if (fault)
        CHECK(trap_last.count == 1 && trap_last.vector == TRAP_GP && trap_last.error == 0, c);
    else
        CHECK(trap_last.count == 0, c);
}

static void test_iopl(void)
{
    static const unsigned int levels[] = { 0, 1, 3 };
    uint8_t mask;

    for (unsigned int i = 0; i < 3; i++) {
        unsigned int l = levels[i];

        CHECK_EQ(hv_set_iopl(l), 0, casename("PHYSDEVOP_set_iopl(%u)", l));
        run_one("set_iopl", "cli", stub_cli, 0, l, l < 1);
        run_one("set_iopl", "outb", stub_outb, 0, l, l < 1);
        run_one("set_iopl", "cli", stub_cli, 1, l, l < 3);
        run_one("set_iopl", "outb", stub_outb, 1, l, l < 3);
        run_one("set_iopl", "inb", stub_inb, 1, l, l < 3);
    }
    /* vIOPL 3: the allowed ones are emulated. */
    mask = vcpu->evtchn_upcall_mask;
    stub_sti();
    CHECK_EQ(vcpu->evtchn_upcall_mask, mask, "an allowed kernel sti leaves the event mask alone");
    inb_val = 0;
    exec_user(stub_inb, 3);
    CHECK_EQ(inb_val & 0xffff, 0x12ff, "user inb at vIOPL 3 is emulated (all ones, AH kept)");
    CHECK_EQ(hv_set_iopl(4), -EINVAL, "PHYSDEVOP_set_iopl(4) is -EINVAL");

    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0,
             "VMASST_TYPE_architectural_iopl enabled");
    for (unsigned int i = 0; i < 3; i++) {
        unsigned int l = levels[i];

        exec_user(nop, l);      /* the iret hypercall sets the vIOPL */
        run_one("vmassist", "cli", stub_cli, 0, l, 0);
        run_one("vmassist", "outb", stub_outb, 0, l, 0);
        run_one("vmassist", "cli", stub_cli, 1, l, l < 3);
        run_one("vmassist", "outb", stub_outb, 1, l, l < 3);
        trap_reset();
        asm volatile("1: ud2\n2:\n\t" FIXUP_ENTRY("1b", "2b"));
        CHECK_EQ((trap_last.rflags >> 12) & 3, l,
                 casename("vmassist vIOPL %u: bounce frames report it in RFLAGS.IOPL", l));
    }
    exec_user(nop, 0);
    CHECK_EQ(hypercall2(__HYPERVISOR_vm_assist, VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0,
             "VMASST_TYPE_architectural_iopl disabled");
    hv_set_iopl(1);
}

#define SEG_CASE(name, insn, vec)                                             \
    do {                                                                      \
        trap_reset();                                                         \
        asm volatile("push %%rbp\n\tmov %0, %%rbp\n\tmov %0, %%rcx\n"         \
                     "1: " insn "\n2:\n\tpop %%rbp\n\t" FIXUP_ENTRY("1b", "2b") \
                     :: "r"(NONCANON) : "rax", "rcx", "memory");              \
        CHECK(trap_last.count == 1 && trap_last.vector == (vec) &&            \
              trap_last.error == 0, name);                                    \
    } while (0)

static void test_segfaults(void)
{
    SEG_CASE("non-canonical (%rbp): #SS(0)", "mov (%%rbp), %%rax", TRAP_SS);
    SEG_CASE("non-canonical 8(%rbp): #SS(0)", "mov 8(%%rbp), %%rax", TRAP_SS);
    SEG_CASE("non-canonical store to (%rbp): #SS(0)", "movq $1, (%%rbp)", TRAP_SS);
    SEG_CASE("non-canonical %ss:(%rcx): #SS(0)", "mov %%ss:(%%rcx), %%rax", TRAP_SS);
    SEG_CASE("non-canonical (%rbp,%rcx) with base rbp: #SS(0)", "mov (%%rbp,%%rcx), %%rax", TRAP_SS);
    SEG_CASE("non-canonical %ds:(%rbp): #GP(0)", "mov %%ds:(%%rbp), %%rax", TRAP_GP);
    SEG_CASE("non-canonical (%rcx): #GP(0)", "mov (%%rcx), %%rax", TRAP_GP);
    SEG_CASE("non-canonical (%rcx,%rbp) with base rcx: #GP(0)", "mov (%%rcx,%%rbp), %%rax", TRAP_GP);
    SEG_CASE("non-canonical addl to (%rbp): #SS(0)", "addl $1, (%%rbp)", TRAP_SS);
}

/* HYPERVISOR_iret to cs:rip with ss; iret_target is reached if it works. */
static void try_iret(uint64_t cs, uint64_t ss, uint64_t rip)
{
    iret_reached = 0;
    __asm__ __volatile__(
        "mov %%rsp, %[sp]\n\t"
        "pushq %[ss]\n\t"
        "pushq %[sp]\n\t"
        "pushfq\n\t"
        "pushq %[cs]\n\t"
        "lea iret_target(%%rip), %%rax\n\t"
        "test %[rip], %[rip]\n\t"
        "cmovnz %[rip], %%rax\n\t"
        "pushq %%rax\n\t"
        "pushq $0\n\t"
        "pushq %%rcx\n\t"
        "pushq %%r11\n\t"
        "pushq %%rax\n\t"
        "mov $23, %%eax\n\t"
        "syscall\n\t"
        ".globl iret_target\n"
        "iret_target:\n\t"
        "movl $1, iret_reached(%%rip)\n\t"
        ".globl iret_resume\n"
        "iret_resume:\n\t"
        : [sp] "+m"(saved_rsp) : [cs] "r"(cs), [ss] "r"(ss), [rip] "r"(rip)
        : "rax", "rcx", "r11", "memory", "cc");
}

static void test_iret(void)
{
    unsigned int before;
    uint64_t sel;

    failsafe_seen = 0;
    try_iret(KCS, KSS, 0);
    CHECK_EQ(iret_reached, 1, "iret with CS RPL 0: returns to the target");
    CHECK_EQ(failsafe_seen, 0, "iret with CS RPL 0: no failsafe");
    CHECK_EQ(hv_xen_version(XENVER_version, NULL) > 0, 1, "and the guest is still in kernel mode (hypercalls work)");

    before = failsafe_seen;
    try_iret(0, KSS, 0);
    CHECK_EQ(failsafe_seen, before + 1, "iret with a null CS: the failsafe callback");
    CHECK_EQ(iret_reached, 0, "iret with a null CS: target not reached");

    before = failsafe_seen;
    try_iret(HV_CS, KSS, 0);
    CHECK_EQ(failsafe_seen, before + 1, "iret with the hypervisor's CS: the failsafe callback");
    CHECK_EQ(fs_cs & 0xfffc, HV_CS, "the failsafe frame holds that CS");
    CHECK_EQ(fs_rip, (uint64_t)iret_target, "and the RIP");

    before = failsafe_seen;
    try_iret(KCS, HV_DS, 0);
    CHECK_EQ(failsafe_seen, before + 1, "iret with the hypervisor's SS: the failsafe callback");
    CHECK_EQ(fs_ss & 0xfffc, HV_DS, "the failsafe frame holds that SS");

    before = failsafe_seen;
    try_iret(KCS, KSS, NONCANON);
    CHECK_EQ(failsafe_seen, before + 1, "iret to a non-canonical RIP: the failsafe callback");
    CHECK_EQ(fs_rip, NONCANON, "the failsafe frame holds that RIP");

    /* Far return to selectors the guest may not use. */
    for (unsigned int i = 0; i < 3; i++) {
        static const uint64_t bad[] = { HV_CS, KCS, 0xe028 };
        static const char *const what[] = { "the hypervisor's CS", "CS with RPL 0", "a data selector" };

        sel = bad[i];
        trap_reset();
        asm volatile("mov %%rsp, %%rax\n\tpushq %0\n\tlea 2f(%%rip), %%rcx\n\tpushq %%rcx\n"
                     "1: lretq\n2:\n\tmov %%rax, %%rsp\n\t" FIXUP_ENTRY("1b", "2b")
                     :: "r"(sel) : "rax", "rcx", "memory");
        CHECK(trap_last.count == 1 && trap_last.vector == TRAP_GP,
              casename("lretq to %s: #GP", what[i]));
        CHECK_EQ(trap_last.error, sel & 0xfffc, casename("lretq to %s: error code is the selector", what[i]));
    }

    /* mov to %ss. */
    sel = HV_DS | 3;
    trap_reset();
    asm volatile("1: mov %0, %%ss\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(sel) : "memory");
    CHECK(trap_last.count == 1 && trap_last.vector == TRAP_GP, "mov of the hypervisor's data selector to %ss: #GP");
    CHECK_EQ(trap_last.error, HV_DS, "with the selector as error code");
    sel = 3;
    trap_reset();
    asm volatile("1: mov %0, %%ss\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(sel) : "memory");
    CHECK(trap_last.count == 1 && trap_last.vector == TRAP_GP && trap_last.error == 0,
          "mov of a null selector to %ss: #GP(0)");
    sel = UCS;
    trap_reset();
    asm volatile("1: mov %0, %%ss\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(sel) : "memory");
    CHECK(trap_last.count == 1 && trap_last.vector == TRAP_GP && trap_last.error == (UCS & 0xfffc),
          "mov of a code selector to %ss: #GP(selector)");
}

static long platform(struct xen_platform_op *op)
{
    op->interface_version = XENPF_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_platform_op, (uint64_t)op);
}

/* The boot-time sub-ops Linux issues, answered as Xen answers them. */
static void test_subops(void)
{
    static struct xen_platform_op op;
    static struct xen_pmu_params pp;

    pp.version.maj = XENPMU_VER_MAJ;
    CHECK_EQ(hypercall2(__HYPERVISOR_xenpmu_op, XENPMU_init, (uint64_t)&pp), -EOPNOTSUPP,
             "xenpmu_op(XENPMU_init) is -EOPNOTSUPP (no vPMU)");
    CHECK_EQ(hypercall2(__HYPERVISOR_xenpmu_op, XENPMU_finish, (uint64_t)&pp), -EOPNOTSUPP,
             "xenpmu_op(XENPMU_finish) is -EOPNOTSUPP");
    memset(&op, 0, sizeof(op));
    op.cmd = XENPF_firmware_info;
    op.u.firmware_info.type = XEN_FW_DISK_INFO;
    CHECK_EQ(platform(&op), -ESRCH, "firmware_info(DISK_INFO 0) is -ESRCH (no EDD data)");
    op.u.firmware_info.type = XEN_FW_DISK_MBR_SIGNATURE;
    CHECK_EQ(platform(&op), -ESRCH, "firmware_info(MBR_SIGNATURE 0) is -ESRCH");
    op.u.firmware_info.type = XEN_FW_VBEDDC_INFO;
    CHECK_EQ(platform(&op), -ESRCH, "firmware_info(VBEDDC_INFO 0) is -ESRCH");
    op.u.firmware_info.type = XEN_FW_EFI_INFO;
    CHECK_EQ(platform(&op), -ENOSYS, "firmware_info(EFI_INFO) is -ENOSYS (not an EFI boot)");
    op.u.firmware_info.type = XEN_FW_KBD_SHIFT_FLAGS;
    op.u.firmware_info.u.kbd_shift_flags = 0xaa;
    CHECK_EQ(platform(&op), 0, "firmware_info(KBD_SHIFT_FLAGS 0) returns 0");
    CHECK_EQ(op.u.firmware_info.u.kbd_shift_flags, 0, "with the flags (0)");
    op.u.firmware_info.index = 1;
    CHECK_EQ(platform(&op), -ESRCH, "firmware_info(KBD_SHIFT_FLAGS 1) is -ESRCH");
    op.u.firmware_info.type = 99;
    CHECK_EQ(platform(&op), -EINVAL, "firmware_info(type 99) is -EINVAL");
    memset(&op, 0, sizeof(op));
    op.cmd = XENPF_enter_acpi_sleep;
    op.u.enter_acpi_sleep.sleep_state = 3;
    CHECK_EQ(platform(&op), -EOPNOTSUPP, "enter_acpi_sleep(S3) is -EOPNOTSUPP (no wakeup vector)");
    op.u.enter_acpi_sleep.sleep_state = 1;
    op.u.enter_acpi_sleep.flags = 2;
    CHECK_EQ(platform(&op), -EINVAL, "enter_acpi_sleep with unknown flags is -EINVAL");
    op.u.enter_acpi_sleep.flags = 0;
    CHECK_EQ(platform(&op), -EINVAL, "enter_acpi_sleep(S1) is -EINVAL");

    {
        static struct xen_mc mc;
        static struct mcinfo_logical_cpu cpus[4];
        uint32_t n;

        memset(&mc, 0, sizeof(mc));
        mc.cmd = XEN_MC_physcpuinfo;
        mc.interface_version = XEN_MCA_INTERFACE_VERSION - 1;
        CHECK_EQ(hypercall1(__HYPERVISOR_mca, (uint64_t)&mc), -EACCES, "mca with an old interface version is -EACCES");
        mc.interface_version = XEN_MCA_INTERFACE_VERSION;
        CHECK_EQ(hypercall1(__HYPERVISOR_mca, (uint64_t)&mc), 0, "mca(XEN_MC_physcpuinfo, null buffer) returns 0");
        n = mc.u.mc_physcpuinfo.ncpus;
        CHECK(n >= 1 && n <= 4, "and reports the online CPU count");
        set_xen_guest_handle(mc.u.mc_physcpuinfo.info, cpus);
        mc.u.mc_physcpuinfo.ncpus = 0;
        CHECK_EQ(hypercall1(__HYPERVISOR_mca, (uint64_t)&mc), -EINVAL, "physcpuinfo with a buffer of 0 entries is -EINVAL");
        mc.u.mc_physcpuinfo.ncpus = 1;
        memset(cpus, 0xee, sizeof(cpus));
        CHECK_EQ(hypercall1(__HYPERVISOR_mca, (uint64_t)&mc), 0, "physcpuinfo into a 1-entry buffer returns 0");
        CHECK_EQ(mc.u.mc_physcpuinfo.ncpus, 1, "and says 1");
        CHECK_EQ(cpus[0].mc_cpunr, 0, "record 0 is CPU 0");
        CHECK_EQ(cpus[0].mc_nmsrvals, 1, "with one MSR value");
        CHECK_EQ(cpus[0].mc_msrvalues[0].reg, 0x179, "MCG_CAP");
        CHECK_EQ(cpus[1].mc_cpunr, 0xeeeeeeee, "nothing written past the buffer's count");
        mc.u.mc_physcpuinfo.ncpus = 4;
        CHECK_EQ(hypercall1(__HYPERVISOR_mca, (uint64_t)&mc), 0, "physcpuinfo into a 4-entry buffer returns 0");
        CHECK_EQ(mc.u.mc_physcpuinfo.ncpus, n, "and reports every online CPU");
        CHECK_EQ(cpus[n - 1].mc_cpunr, n - 1, "the last record is the last CPU");
    }
}

void test_main(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };

    setup(SETUP_EVENTS);
    trap_hook = hook;
    CHECK_EQ(hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS,
                        (uint64_t)(kstack + sizeof(kstack))), 0, "stack_switch for user-mode traps");
    op.arg1.mfn = virt_to_mfn(current_l4);
    CHECK_EQ(hv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "a user L4 (the kernel's own)");
    CHECK_EQ(hv_set_iopl(1), 0, "vIOPL 1");
    test_softint();
    test_iopl();
    test_segfaults();
    test_iret();
    trap_hook = NULL;
    test_subops();
}
