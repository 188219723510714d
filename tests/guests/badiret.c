/*
 * badiret: a guest that asks the hypervisor to return to an impossible
 * context must get its failsafe callback (or be crashed), never take the
 * hypervisor down.  Here HYPERVISOR_iret is given CS = 0x000b, a selector
 * whose descriptor is null: the hypervisor's own iretq faults, and the
 * failsafe callback must run with the Xen frame (RCX, R11, DS, ES, FS, GS,
 * RIP, CS, RFLAGS, RSP, SS) describing the context that could not be
 * entered.
 */
#include "guest.h"

static volatile uint64_t saved_rsp;
static volatile unsigned int failsafe_seen;
static volatile uint64_t seen_rip, seen_cs;
extern const char badiret_target[], badiret_resume[];

static int failsafe_hook(struct trap_frame *f)
{
    if ( f->vector != 0x101 )
        return 0;
    failsafe_seen++;
    seen_rip = f->rip;
    seen_cs = f->cs;
    /* Continue after the bad iret, in a context that works. */
    f->rip = (uint64_t)badiret_resume;
    f->cs = 0xe030;
    f->ss = 0xe02b;
    f->rsp = saved_rsp;
    return 1;
}

static void bad_iret(uint64_t bad_cs)
{
    __asm__ __volatile__(
        "mov %%rsp, %[sp]\n\t"
        "pushq $0xe02b\n\t"             /* ss */
        "pushq %[sp]\n\t"               /* rsp */
        "pushfq\n\t"                    /* rflags */
        "pushq %[cs]\n\t"               /* cs: the impossible one */
        "lea badiret_target(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"               /* rip */
        "pushq $0\n\t"                  /* flags */
        "pushq %%rcx\n\t"
        "pushq %%r11\n\t"
        "pushq %%rax\n\t"
        "mov $23, %%eax\n\t"            /* HYPERVISOR_iret */
        "syscall\n\t"
        ".globl badiret_target\n"
        "badiret_target:\n\t"
        "ud2\n\t"                       /* never reached with that CS */
        ".globl badiret_resume\n"
        "badiret_resume:\n\t"
        : [sp] "+m"(saved_rsp) : [cs] "r"(bad_cs)
        : "rax", "rcx", "r11", "memory", "cc");
}

void test_main(void)
{
    CHECK_EQ(traps_init(), 0, "trap table installed");
    CHECK_EQ(events_init(), 0, "event and failsafe callbacks registered");
    trap_hook = failsafe_hook;

    bad_iret(0x0008);
    CHECK_EQ(failsafe_seen, 1, "a faulting return reaches the failsafe callback");
    CHECK_EQ(seen_rip, (uint64_t)badiret_target,
             "the failsafe frame holds the RIP that could not be entered");
    CHECK_EQ(seen_cs & ~3UL, 0x8, "the failsafe frame holds the bad CS");

    bad_iret(0x0008);
    CHECK_EQ(failsafe_seen, 2, "and again: the hypervisor survived the first");
    trap_hook = NULL;
}
