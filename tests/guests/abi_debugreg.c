/*
 * abi_debugreg: debug registers as Xen's PV ABI has them (issue 13, item
 * 2).  set_debugreg/get_debugreg with Xen's answers (-ENODEV for a
 * register that does not exist, -EINVAL for the reserved upper halves of
 * DR6/DR7, -EPERM for hypervisor addresses, DR7.GD and I/O breakpoints
 * without CR4.DE), the reserved bits as they read back, `mov %drN` from
 * the guest kernel emulated with the same rules (#GP(0) for a refused
 * value, #UD for DR4/DR5 under CR4.DE), breakpoints that fire (data
 * write, instruction, single step) with DR6 reporting the cause, a
 * watchpoint hit by the hypervisor's own copy to the guest (ignored, no
 * panic), and the registers surviving a switch to idle and back.
 * Fails on main: DR7 enables are refused and `mov %drN` is #GP.
 */
#include "guest.h"
#include <public/physdev.h>

#define MS 1000000ULL
#define DR7_L0      0x1UL
#define DR7_L1      0x4UL
#define DR7_RW0_W   (1UL << 16)
#define DR7_LEN0_8  (2UL << 18)
#define DR7_RW0_IO  (2UL << 16)
#define X86_CR4_DE  (1UL << 3)

static volatile uint64_t watched __attribute__((aligned(8)));
static char vbuf[64] __attribute__((aligned(64)));
static volatile unsigned int db_count;
static volatile uint64_t db_rip, db_dr6;
extern const char ibp_target[];

static long setdr(unsigned int r, unsigned long v)
{
    return hypercall2(__HYPERVISOR_set_debugreg, r, v);
}

static long getdr(unsigned int r)
{
    return hypercall1(__HYPERVISOR_get_debugreg, r);
}

/* #DB outside fixups (single step): note it, clear TF, go on. */
static int db_hook(struct trap_frame *f)
{
    if (f->vector != TRAP_DB)
        return 0;
    db_count++;
    db_rip = f->rip;
    db_dr6 = (uint64_t)getdr(6);
    f->rflags &= ~0x100UL;
    return 1;
}

static void test_hypercalls(void)
{
    CHECK_EQ(setdr(8, 0), -ENODEV, "set_debugreg(8) is -ENODEV");
    CHECK_EQ(getdr(8), -ENODEV, "get_debugreg(8) is -ENODEV");
    CHECK_EQ(setdr(6, 1UL << 32), -EINVAL, "set_debugreg(6, upper half set) is -EINVAL");
    CHECK_EQ(setdr(7, 1UL << 32), -EINVAL, "set_debugreg(7, upper half set) is -EINVAL");
    CHECK_EQ(setdr(7, 0x2000 | 0x400), -EPERM, "set_debugreg(7, GD) is -EPERM");
    CHECK_EQ(setdr(0, BAD_PTR_HV), -EPERM, "set_debugreg(0, hypervisor address) is -EPERM");
    CHECK_EQ(setdr(3, BAD_PTR_NONCANON), -EPERM, "set_debugreg(3, non-canonical) is -EPERM");
    CHECK_EQ(setdr(6, 0), 0, "set_debugreg(6, 0) returns 0");
    CHECK_EQ(getdr(6), 0xffff0ff0, "DR6 reads back with reserved ones set, bit 12 clear");
    CHECK_EQ(setdr(6, 0x100f), 0, "set_debugreg(6, B0-B3 | bit 12) returns 0");
    CHECK_EQ(getdr(6), 0xffff0fff, "DR6 keeps B0-B3 and drops bit 12");
    CHECK_EQ(setdr(6, 0xffff0ff0), 0, "DR6 back to its reset value");
    CHECK_EQ(setdr(0, (uint64_t)&watched), 0, "set_debugreg(0, kernel address) returns 0");
    CHECK_EQ(setdr(7, DR7_L0 | DR7_RW0_W | DR7_LEN0_8 | 0xd800), 0,
             "set_debugreg(7, L0 write watch + reserved bits) returns 0");
    CHECK_EQ(getdr(7), DR7_L0 | DR7_RW0_W | DR7_LEN0_8 | 0x400,
             "DR7 reads back with bit 10 set and bits 11, 12, 14, 15 clear");
    CHECK_EQ(setdr(7, DR7_L0 | DR7_RW0_IO), -EPERM,
             "an I/O breakpoint without CR4.DE is -EPERM");
    CHECK_EQ(getdr(7), DR7_L0 | DR7_RW0_W | DR7_LEN0_8 | 0x400,
             "and DR7 is left as it was");
    CHECK_EQ(setdr(7, 0x400), 0, "DR7 disabled again");
}

static void test_watchpoints(void)
{
    struct trap_record t;

    /* Data write watchpoint on `watched`. */
    setdr(0, (uint64_t)&watched);
    setdr(6, 0xffff0ff0);
    CHECK_EQ(setdr(7, DR7_L0 | DR7_RW0_W | DR7_LEN0_8), 0, "arm a write watchpoint on DR0");
    trap_reset();
    asm volatile("1: movq $5, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "=m"(watched) :: "memory");
    t = *(struct trap_record *)&trap_last;
    CHECK_EQ(t.count, 1, "the write raises one trap");
    CHECK_EQ(t.vector, TRAP_DB, "it is #DB");
    CHECK_EQ(watched, 5, "a trap: the write happened");
    CHECK_EQ(getdr(6) & 0xf, 1, "get_debugreg(6) reports B0");

    /* The same watchpoint hit by the hypervisor writing our buffer. */
    setdr(0, (uint64_t)vbuf);
    setdr(6, 0xffff0ff0);
    trap_reset();
    CHECK(hv_xen_version(XENVER_extraversion, vbuf) >= 0,
          "xen_version writing into a watched buffer succeeds (no panic)");
    CHECK_EQ(trap_last.count, 0, "and the guest gets no #DB for the hypervisor's write");

    /* Survives a switch to idle and back: block on a 2 ms timer. */
    setdr(0, (uint64_t)&watched);
    setdr(6, 0xffff0ff0);
    {
        evtchn_port_t port;
        struct vcpu_set_singleshot_timer tm;

        CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &port), 0, "bind VIRQ_TIMER");
        tm.timeout_abs_ns = pvclock_now() + 2 * MS;
        tm.flags = 0;
        CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &tm), 0, "arm a 2 ms timer");
        CHECK_EQ(hv_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block (to idle and back)");
        events_disable();
    }
    CHECK_EQ(getdr(7), DR7_L0 | DR7_RW0_W | DR7_LEN0_8 | 0x400, "DR7 unchanged after blocking");
    trap_reset();
    asm volatile("1: movq $6, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "=m"(watched) :: "memory");
    CHECK_EQ(trap_last.count, 1, "the watchpoint still fires after the vCPU was switched out");
    CHECK_EQ(setdr(7, 0x400), 0, "DR7 disabled");
    trap_reset();
    watched = 7;
    CHECK_EQ(trap_last.count, 0, "a disabled watchpoint does not fire");

    /* Instruction breakpoint: a fault at the instruction. */
    setdr(1, (uint64_t)ibp_target);
    setdr(6, 0xffff0ff0);
    CHECK_EQ(setdr(7, DR7_L1), 0, "arm an instruction breakpoint on DR1");
    trap_reset();
    asm volatile(".globl ibp_target\n1: nop\nibp_target: nop\n2:\n\t" FIXUP_ENTRY("1b", "2b") ::: "memory");
    CHECK_EQ(trap_last.count, 1, "executing it raises one trap");
    CHECK_EQ(trap_last.vector, TRAP_DB, "#DB");
    CHECK_EQ(trap_last.rip, (uint64_t)ibp_target, "a fault: RIP is the breakpoint address");
    CHECK_EQ(getdr(6) & 0xf, 2, "get_debugreg(6) reports B1");
    setdr(7, 0x400);

    /* Single step. */
    setdr(6, 0xffff0ff0);
    trap_hook = db_hook;
    db_count = 0;
    asm volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\tnop\n\tnop\n\t" ::: "memory", "cc");
    trap_hook = NULL;
    CHECK_EQ(db_count, 1, "single step: one #DB");
    CHECK_EQ(db_dr6 & 0x4000, 0x4000, "single step: get_debugreg(6) reports BS");

    /* Single step over an emulated instruction: #DB right after it. */
    {
        uint64_t next;

        setdr(6, 0xffff0ff0);
        trap_hook = db_hook;
        db_count = 0;
        asm volatile("lea 1f(%%rip), %0\n\tpushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t"
                     "outb %%al, $0x80\n1:\tnop\n\t"
                     : "=&r"(next) : "a"(0) : "memory", "cc");
        trap_hook = NULL;
        CHECK_EQ(db_count, 1, "single step over an emulated outb: one #DB");
        CHECK_EQ(db_rip, next, "right after the outb");
        CHECK_EQ(db_dr6 & 0x4000, 0x4000, "with BS in DR6");
    }
}

static void test_mov_dr(void)
{
    uint64_t v = 0;
    uint64_t addr = (uint64_t)&watched;

    trap_reset();
    asm volatile("1: mov %%db7, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "+r"(v));
    CHECK_EQ(trap_last.count, 0, "mov %dr7, reg does not fault");
    CHECK_EQ(v, 0x400, "mov %dr7, reg reads 0x400");
    trap_reset();
    asm volatile("1: mov %0, %%db2\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(addr));
    CHECK_EQ(trap_last.count, 0, "mov reg, %dr2 (kernel address) does not fault");
    CHECK_EQ(getdr(2), (long)addr, "and get_debugreg(2) sees it");
    v = 0;
    asm volatile("1: mov %%db2, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "+r"(v));
    CHECK_EQ(v, addr, "mov %dr2, reg reads it back");
    trap_reset();
    asm volatile("1: mov %0, %%db1\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(BAD_PTR_HV));
    CHECK_EQ(trap_last.vector, TRAP_GP, "mov reg, %dr1 (hypervisor address) is #GP");
    CHECK_EQ(trap_last.error, 0, "#GP(0)");
    trap_reset();
    v = 0;
    asm volatile("1: mov %%db4, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "+r"(v));
    CHECK_EQ(trap_last.count, 0, "mov %dr4, reg without CR4.DE does not fault");
    CHECK_EQ(v, 0xffff0ff0, "and reads DR6");

    /* CR4.DE: DR4/DR5 disappear, I/O breakpoints are allowed. */
    asm volatile("mov %%cr4, %0" : "=r"(v));
    trap_reset();
    asm volatile("1: mov %0, %%cr4\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "r"(v | X86_CR4_DE));
    CHECK_EQ(trap_last.count, 0, "mov to %cr4 setting DE does not fault");
    asm volatile("mov %%cr4, %0" : "=r"(v));
    CHECK_EQ(v & X86_CR4_DE, X86_CR4_DE, "CR4.DE reads back set");
    trap_reset();
    asm volatile("1: mov %%db5, %0\n2:\n\t" FIXUP_ENTRY("1b", "2b") : "+r"(v));
    CHECK_EQ(trap_last.vector, TRAP_UD, "mov %dr5, reg with CR4.DE is #UD");
    CHECK_EQ(getdr(4), -ENODEV, "get_debugreg(4) with CR4.DE is -ENODEV");
    CHECK_EQ(setdr(0, 0x80), 0, "DR0 = port 0x80");
    CHECK_EQ(setdr(7, DR7_L0 | DR7_RW0_IO), 0, "an I/O breakpoint with CR4.DE is accepted");
    CHECK_EQ(getdr(7), DR7_L0 | DR7_RW0_IO | 0x400, "and reads back");
    {
        uint64_t next;

        CHECK_EQ(hv_set_iopl(1), 0,
                 "vIOPL 1 for kernel port I/O");
        setdr(6, 0xffff0ff0);
        trap_reset();
        asm volatile("lea 2f(%%rip), %0\n1: outb %%al, $0x80\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                     : "=&r"(next) : "a"(0) : "memory");
        CHECK(trap_last.count == 1 && trap_last.vector == TRAP_DB,
              "outb to port 0x80 hits the I/O breakpoint: #DB");
        CHECK_EQ(trap_last.rip, next, "a trap: RIP after the outb");
        CHECK_EQ(getdr(6) & 0xf, 1, "get_debugreg(6) reports B0");
        trap_reset();
        asm volatile("1: outb %%al, $0x81\n2:\n\t" FIXUP_ENTRY("1b", "2b") :: "a"(0) : "memory");
        CHECK_EQ(trap_last.count, 0, "outb to port 0x81 does not");
    }
    CHECK_EQ(setdr(7, 0x400), 0, "DR7 disabled");
    asm volatile("mov %%cr4, %0" : "=r"(v));
    asm volatile("mov %0, %%cr4" :: "r"(v & ~X86_CR4_DE));
    setdr(0, 0);
    setdr(2, 0);
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_hypercalls();
    test_mov_dr();
    test_watchpoints();
}
