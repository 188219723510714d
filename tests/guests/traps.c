/*
 * traps: exception delivery to a PV guest kernel.  Checks the bounce frame
 * (RCX, R11, [error], RIP, CS, RFLAGS, RSP, SS) for faults and traps with
 * and without error codes, #PF's CR2 in vcpu_info, software interrupts and
 * their DPL, the iret hypercall, forced-emulation CPUID, the emulated
 * segment-base MSRs, set_segment_base, stack_switch and fpu_taskswitch.
 */
#include "guest.h"

#define RCX_MAGIC "0x5a5a0001c"
#define R11_MAGIC "0x5a5a0002b"

struct site {
    uint64_t at;   /* address of the instruction */
    uint64_t next; /* address after it */
    uint64_t sp;   /* rsp just before it */
};

/*
 * Runs `pre` then the guarded `insn` with rcx/r11 set to magic values;
 * a trap inside resumes after it and is recorded in trap_last.
 */
#define GUARDED(s, pre, insn)                                                \
    asm volatile("mov %%rsp, %0\n\t"                                         \
                 "lea 1f(%%rip), %%rax\n\tmov %%rax, %1\n\t"                 \
                 "lea 2f(%%rip), %%rax\n\tmov %%rax, %2\n\t"                 \
                 "mov $" RCX_MAGIC ", %%rcx\n\tmov $" R11_MAGIC ", %%r11\n\t" \
                 pre "\n1:\t" insn "\n2:\n\t" FIXUP_ENTRY("1b", "2b")         \
                 : "=m"((s)->sp), "=m"((s)->at), "=m"((s)->next)             \
                 :                                                           \
                 : "rax", "rcx", "rdx", "r11", "memory", "cc")

enum kind { FAULT, TRAP };

/* The common checks on trap_last for one guarded site. */
static void check_frame(const char *what, const struct site *s, unsigned int vector,
                        uint64_t error, enum kind kind)
{
    const volatile struct trap_record *t = &trap_last;
    uint64_t want_rip = kind == FAULT ? s->at : s->next;

    if (t->count != 1) {
        test_fail(casename("%s: raises vector %u", what, vector), "%u traps seen", t->count);
        return;
    }
    CHECK_EQ(t->vector, vector, casename("%s: raises vector %u", what, vector));
    CHECK_EQ(t->error, error, casename("%s: error code", what));
    CHECK_EQ(t->rip, want_rip, casename("%s: frame RIP is the %s instruction", what,
                                        kind == FAULT ? "faulting" : "next"));
    CHECK_EQ(t->rcx, 0x5a5a0001cUL, casename("%s: frame RCX is the interrupted rcx", what));
    CHECK_EQ(t->r11, 0x5a5a0002bUL, casename("%s: frame R11 is the interrupted r11", what));
    CHECK_EQ(t->rsp, s->sp, casename("%s: frame RSP is the interrupted rsp", what));
    CHECK_EQ(t->cs & 0xfffc, FLAT_KERNEL_CS & 0xfffc, casename("%s: frame CS is FLAT_KERNEL_CS", what));
    CHECK_EQ(t->cs & 3, 0, casename("%s: frame CS RPL cleared for guest-kernel mode", what));
    CHECK_EQ(t->ss & 0xfffc, FLAT_KERNEL_SS & 0xfffc, casename("%s: frame SS is FLAT_KERNEL_SS", what));
}

static void test_set_trap_table_errors(void)
{
    CHECK_EQ(hv_set_trap_table((void *)BAD_PTR_HV), -EFAULT,
             "set_trap_table(hypervisor address) is -EFAULT");
    CHECK_EQ(hv_set_trap_table((void *)BAD_PTR_NONCANON), -EFAULT,
             "set_trap_table(non-canonical) is -EFAULT");
    /* Put ours back whatever happened. */
    CHECK_EQ(traps_init(), 0, "set_trap_table re-installs the table");
}

static void test_faults(void)
{
    struct site s;

    trap_reset();
    GUARDED(&s, "", "ud2");
    check_frame("ud2", &s, TRAP_UD, 0, FAULT);
    CHECK_EQ((trap_last.cs >> 32) & 0xff, 1, "ud2: frame CS bits 32-39 hold the saved upcall mask (1)");
    CHECK_EQ(trap_last.rflags & RFLAGS_IF, 0, "ud2: frame RFLAGS.IF is clear while events are masked");

    trap_reset();
    GUARDED(&s, "xor %%edx, %%edx\n\tmov $1, %%eax\n\txor %%ecx, %%ecx\n\tmov $" RCX_MAGIC ", %%r11",
            "divl %%ecx");
    if (trap_last.count == 1) {
        CHECK_EQ(trap_last.vector, TRAP_DE, "div by zero: raises #DE");
        CHECK_EQ(trap_last.rip, s.at, "div by zero: frame RIP is the div");
        CHECK_EQ(trap_last.rcx, 0, "div by zero: frame RCX is the interrupted rcx (0)");
    } else {
        test_fail("div by zero: raises #DE", "%u traps seen", trap_last.count);
    }

    trap_reset();
    GUARDED(&s, "", "int3");
    check_frame("int3 (DPL 3)", &s, TRAP_BP, 0, TRAP);

    trap_reset();
    GUARDED(&s, "", "int $0x80");
    check_frame("int $0x80 (DPL 3)", &s, TRAP_INT80, 0, TRAP);

    /* No trap-table entry: the software interrupt becomes #GP((n<<3)|2). */
    trap_reset();
    GUARDED(&s, "", "int $0x40");
    check_frame("int $0x40 (no entry)", &s, TRAP_GP, (0x40 << 3) | 2, FAULT);

    trap_reset();
    GUARDED(&s, "", "hlt");
    check_frame("hlt", &s, TRAP_GP, 0, FAULT);

    {
        static struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr;
        trap_reset();
        asm volatile("mov %%rsp, %0\n\tlea 1f(%%rip), %%rax\n\tmov %%rax, %1\n\t"
                     "1: lgdt %2\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                     : "=m"(s.sp), "=m"(s.at) : "m"(gdtr) : "rax", "memory");
        CHECK_EQ(trap_last.count, 1, "lgdt: faults");
        CHECK_EQ(trap_last.vector, TRAP_GP, "lgdt: raises #GP");
        CHECK_EQ(trap_last.error, 0, "lgdt: error code 0");
        CHECK_EQ(trap_last.rip, s.at, "lgdt: frame RIP is the lgdt");
    }
}

static void test_page_faults(void)
{
    uint64_t v;
    int vec;

    trap_reset();
    vec = probe_read((void *)0x10000, &v);
    CHECK_EQ(vec, TRAP_PF, "read of unmapped 0x10000: raises #PF");
    CHECK_EQ(trap_last.cr2, 0x10000, "read of unmapped 0x10000: vcpu_info.arch.cr2");
    CHECK_EQ(trap_last.error, 0, "read of unmapped 0x10000: error code 0 (not present, read, kernel)");

    trap_reset();
    vec = probe_write((void *)0x20008, 1);
    CHECK_EQ(vec, TRAP_PF, "write to unmapped 0x20008: raises #PF");
    CHECK_EQ(trap_last.cr2, 0x20008, "write to unmapped 0x20008: vcpu_info.arch.cr2");
    CHECK_EQ(trap_last.error, 2, "write to unmapped 0x20008: error code 2 (not present, write, kernel)");

    trap_reset();
    vec = probe_read((void *)0xffffffffffe00010UL, &v);
    CHECK_EQ(vec, TRAP_PF, "read of unmapped 0xffffffffffe00010: raises #PF");
    CHECK_EQ(trap_last.cr2, 0xffffffffffe00010UL, "read of unmapped top address: cr2");

    /* The hypervisor hole is not ours even where the M2P is readable. */
    trap_reset();
    vec = probe_read((void *)BAD_PTR_HV, &v);
    CHECK_EQ(vec, TRAP_PF, "read of hypervisor-private 0xffff830000000000: raises #PF");
    CHECK_EQ(trap_last.cr2, BAD_PTR_HV, "read of hypervisor-private address: cr2");

    trap_reset();
    vec = probe_write((void *)MACH2PHYS_VIRT_START, 0);
    CHECK_EQ(vec, TRAP_PF, "write to the read-only M2P: raises #PF");
    CHECK_EQ(trap_last.error & 3, 3, "write to the read-only M2P: error code has P and W");

    /* Non-canonical addresses raise #GP, not #PF. */
    trap_reset();
    vec = probe_read((void *)BAD_PTR_NONCANON, &v);
    CHECK_EQ(vec, TRAP_GP, "read of a non-canonical address: raises #GP");
}

static void test_event_mask_in_frame(void)
{
    struct site s;

    /* Nothing is bound, so unmasking cannot deliver anything. */
    events_enable();
    trap_reset();
    GUARDED(&s, "", "ud2");
    CHECK_EQ((trap_last.cs >> 32) & 0xff, 0, "ud2 with events unmasked: saved mask 0 in frame CS");
    CHECK_EQ(trap_last.rflags & RFLAGS_IF, RFLAGS_IF, "ud2 with events unmasked: frame RFLAGS.IF set");
    CHECK_EQ(trap_last.mask_in_handler, 1, "trap gate with flag bit 2 masks events in the handler");
    CHECK_EQ(vcpu->evtchn_upcall_mask, 0, "iret with IF set unmasks events again");
    events_disable();
}

static void test_iret(void)
{
    uint64_t rax, rcx, r11, sp_before, sp_after;

    asm volatile("mov %%rsp, %%rbx\n\t"
                 "mov %%rbx, %3\n\t"
                 "lea 1f(%%rip), %%rax\n\t"
                 "pushq $0xe02b\n\t"  /* ss */
                 "push %%rbx\n\t"     /* rsp */
                 "pushq $0x2\n\t"     /* rflags: IF clear keeps events masked */
                 "pushq $0xe030\n\t"  /* cs: RPL 0 = back to guest kernel */
                 "push %%rax\n\t"     /* rip */
                 "pushq $0\n\t"       /* flags */
                 "pushq $0x1234\n\t"  /* rcx */
                 "pushq $0x5678\n\t"  /* r11 */
                 "pushq $0x9abc\n\t"  /* rax */
                 "mov $23, %%eax\n\t"
                 "syscall\n\t"
                 "ud2\n"
                 "1:\tmov %%rax, %0\n\tmov %%rcx, %1\n\tmov %%r11, %2\n\tmov %%rsp, %4"
                 : "=m"(rax), "=m"(rcx), "=m"(r11), "=m"(sp_before), "=m"(sp_after)
                 :
                 : "rax", "rbx", "rcx", "r11", "memory", "cc");
    CHECK_EQ(rax, 0x9abc, "iret hypercall restores rax from the frame");
    CHECK_EQ(rcx, 0x1234, "iret hypercall restores rcx from the frame");
    CHECK_EQ(r11, 0x5678, "iret hypercall restores r11 from the frame");
    CHECK_EQ(sp_after, sp_before, "iret hypercall loads rsp from the frame");
    CHECK_EQ(vcpu->evtchn_upcall_mask, 1, "iret with IF clear leaves events masked");
}

static void xen_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4], unsigned int *traps)
{
    unsigned int before = trap_last.count;
    uint32_t a = leaf, b = 0, c = sub, d = 0;

    asm volatile("1: ud2\n\t.ascii \"xen\"\n\tcpuid\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "+a"(a), "+b"(b), "+c"(c), "+d"(d) : : "memory");
    r[0] = a, r[1] = b, r[2] = c, r[3] = d;
    *traps += trap_last.count - before;
}

static void test_cpuid(void)
{
    uint32_t r[4];
    unsigned int traps = 0;
    long version = hv_xen_version(XENVER_version, NULL);

    trap_reset();
    xen_cpuid(0x40000000, 0, r, &traps);
    CHECK_EQ(traps, 0, "forced-emulation cpuid is emulated, not bounced as #UD");
    CHECK(r[1] == 0x566e6558 && r[2] == 0x65584d4d && r[3] == 0x4d4d566e,
          "cpuid 0x40000000 signature is XenVMMXenVMM");
    CHECK(r[0] >= 0x40000002 && r[0] < 0x40000100, "cpuid 0x40000000 max leaf >= 0x40000002");

    xen_cpuid(0x40000001, 0, r, &traps);
    CHECK_EQ(r[0], version, "cpuid 0x40000001 eax is the xen_version");

    xen_cpuid(0x40000002, 0, r, &traps);
    CHECK(r[0] >= 1, "cpuid 0x40000002 eax (hypercall pages) >= 1");

    xen_cpuid(0x40000004, 0, r, &traps);
    CHECK_EQ(r[0] & (1u << 6), 0, "cpuid 0x40000004 has no HVM upcall vector for PV");

    xen_cpuid(1, 0, r, &traps);
    CHECK(r[2] & (1u << 31), "cpuid 1: hypervisor bit set");
    CHECK_EQ(r[3] & (1u << 3), 0, "cpuid 1: PSE hidden");
    CHECK_EQ(r[3] & ((1u << 7) | (1u << 14)), 0, "cpuid 1: MCE and MCA hidden");
    CHECK_EQ(r[2] & (1u << 21), 0, "cpuid 1: x2APIC hidden");

    xen_cpuid(7, 0, r, &traps);
    CHECK_EQ(r[1] & (1u << 20), 0, "cpuid 7: SMAP hidden");

    xen_cpuid(0x80000001, 0, r, &traps);
    CHECK_EQ(r[3] & (1u << 26), 0, "cpuid 0x80000001: 1 GiB pages hidden");
    CHECK_EQ(traps, 0, "no forced cpuid leaf faulted");
}

static int guarded_wrmsr(uint32_t msr, uint64_t v)
{
    unsigned int before = trap_last.count;
    asm volatile("1: wrmsr\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return trap_last.count == before;
}

static int guarded_rdmsr(uint32_t msr, uint64_t *v)
{
    unsigned int before = trap_last.count;
    uint32_t lo = 0, hi = 0;
    asm volatile("1: rdmsr\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *v = ((uint64_t)hi << 32) | lo;
    return trap_last.count == before;
}

static uint64_t read_gs0(void)
{
    uint64_t v;
    asm volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

static uint64_t read_fs0(void)
{
    uint64_t v;
    asm volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static uint64_t seg_target[4] = {
    0x1111222233334444UL, 0x5555666677778888UL, 0x99990000aaaabbbbUL, 0xccccddddeeeeffffUL,
};

static void test_msrs(void)
{
    uint64_t v = 0;

    trap_reset();
    CHECK(guarded_wrmsr(0xc0000101, (uint64_t)&seg_target[0]), "wrmsr GS_BASE is emulated");
    CHECK(guarded_rdmsr(0xc0000101, &v) && v == (uint64_t)&seg_target[0],
          "rdmsr GS_BASE returns what was written");
    CHECK_EQ(read_gs0(), seg_target[0], "%gs:0 reads through the emulated GS_BASE");

    CHECK(guarded_wrmsr(0xc0000100, (uint64_t)&seg_target[1]), "wrmsr FS_BASE is emulated");
    CHECK(guarded_rdmsr(0xc0000100, &v) && v == (uint64_t)&seg_target[1],
          "rdmsr FS_BASE returns what was written");
    CHECK_EQ(read_fs0(), seg_target[1], "%fs:0 reads through the emulated FS_BASE");

    CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, (uint64_t)&seg_target[2]), 0,
             "set_segment_base(SEGBASE_FS) returns 0");
    CHECK_EQ(read_fs0(), seg_target[2], "%fs:0 reads through the new FS base");
    CHECK(guarded_rdmsr(0xc0000100, &v) && v == (uint64_t)&seg_target[2],
          "rdmsr FS_BASE sees set_segment_base");

    CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, (uint64_t)&seg_target[3]), 0,
             "set_segment_base(SEGBASE_GS_KERNEL) returns 0");
    CHECK_EQ(read_gs0(), seg_target[3], "%gs:0 reads through the new kernel GS base");

    CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER, 0x123456789000UL), 0,
             "set_segment_base(SEGBASE_GS_USER) returns 0");
    CHECK(guarded_rdmsr(0xc0000102, &v) && v == 0x123456789000UL,
          "rdmsr KERNEL_GS_BASE is the user GS base");
    CHECK_EQ(read_gs0(), seg_target[3], "user GS base leaves the kernel GS base alone");

    CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, BAD_PTR_NONCANON), -EINVAL,
             "set_segment_base(FS, non-canonical) is -EINVAL");
    CHECK_EQ(hypercall2(__HYPERVISOR_set_segment_base, 99, 0), -EINVAL,
             "set_segment_base(unknown which) is -EINVAL");
    CHECK_EQ(trap_last.count, 0, "no MSR access faulted");
}

static void test_stack_switch(void)
{
    static uint8_t stack[4096] __attribute__((aligned(16)));

    CHECK_EQ(hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS,
                        (uint64_t)(stack + sizeof(stack))), 0,
             "stack_switch(FLAT_KERNEL_SS, sp) returns 0");
}

static void test_fpu_taskswitch(void)
{
    struct site s;

    CHECK_EQ(hypercall1(__HYPERVISOR_fpu_taskswitch, 1), 0, "fpu_taskswitch(1) returns 0");
    trap_reset();
    GUARDED(&s, "", "fninit");
    CHECK_EQ(trap_last.count, 1, "fninit with virtual TS set faults");
    CHECK_EQ(trap_last.vector, TRAP_NM, "fninit with virtual TS set raises #NM");
    CHECK_EQ(trap_last.rip, s.at, "#NM frame RIP is the fninit");

    /* Delivering #NM clears the virtual TS, as on Xen. */
    trap_reset();
    GUARDED(&s, "", "fninit");
    CHECK_EQ(trap_last.count, 0, "fninit after the #NM runs (TS cleared on delivery)");

    CHECK_EQ(hypercall1(__HYPERVISOR_fpu_taskswitch, 1), 0, "fpu_taskswitch(1) again");
    CHECK_EQ(hypercall1(__HYPERVISOR_fpu_taskswitch, 0), 0, "fpu_taskswitch(0) returns 0");
    trap_reset();
    GUARDED(&s, "", "fninit");
    CHECK_EQ(trap_last.count, 0, "fninit after fpu_taskswitch(0) runs");
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_pass("set_trap_table with vectors 0-31 and 0x80");
    test_set_trap_table_errors();
    test_faults();
    test_page_faults();
    test_event_mask_in_frame();
    test_iret();
    test_cpuid();
    test_msrs();
    test_stack_switch();
    test_fpu_taskswitch();
}
