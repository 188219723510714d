/*
 * iret_self: a native iretq executed by the guest kernel to itself (what
 * Linux's sync_core() does).  The guest kernel runs in ring 3, so this is
 * a same-privilege return.  Under QEMU TCG with the hypervisor's SMAP on,
 * the CPU faults the frame pops and the hypervisor finishes the iretq for
 * the guest (pv/iretq-smap.c); on other CPUs it never traps.  Either way
 * the guest must land at the target with the stack and flags it asked for.
 */
#include "guest.h"

#define RFLAGS_CF (1UL << 0)
#define RFLAGS_DF (1UL << 10)

/* iretq to the next instruction with a frame built from the current
 * state, RFLAGS with 'set' or'ed in; returns RFLAGS and RSP after it. */
static void iret_to_self(uint64_t set, uint64_t *flags_after,
                         uint64_t *rsp_before, uint64_t *rsp_after)
{
    uint64_t f, sb, sa;

    asm volatile(
        "mov %%rsp, %[sb]\n\t"
        "mov %%ss, %%eax\n\t"
        "push %%rax\n\t"
        "lea 8(%%rsp), %%rax\n\t"
        "push %%rax\n\t"
        "pushfq\n\t"
        "or %[set], (%%rsp)\n\t"
        "mov %%cs, %%eax\n\t"
        "push %%rax\n\t"
        "lea 1f(%%rip), %%rax\n\t"
        "push %%rax\n\t"
        "iretq\n"
        "1:\n\t"
        "mov %%rsp, %[sa]\n\t"
        "pushfq\n\t"
        "pop %[f]\n\t"
        "cld\n\t"
        : [f] "=r"(f), [sb] "=&r"(sb), [sa] "=&r"(sa)
        : [set] "r"(set)
        : "rax", "memory", "cc");
    *flags_after = f;
    *rsp_before = sb;
    *rsp_after = sa;
}

void test_main(void)
{
    uint64_t f, sb, sa;

    setup(SETUP_TRAPS);
    iret_to_self(0, &f, &sb, &sa);
    CHECK_EQ(sa, sb, "iretq to self: back at the target with the stack it named");
    iret_to_self(RFLAGS_CF | RFLAGS_DF, &f, &sb, &sa);
    CHECK((f & (RFLAGS_CF | RFLAGS_DF)) == (RFLAGS_CF | RFLAGS_DF),
          "iretq to self: CF and DF from the frame are loaded");
    CHECK(f & (1UL << 9), "iretq to self: IF stays set (ring 3 cannot clear it)");
    for (int i = 0; i < 1000; i++)
        iret_to_self(0, &f, &sb, &sa);
    CHECK_EQ(sa, sb, "1000 more iretqs to self");
}
