/* Exception fixups: an instruction that may fault (an MSR that may not
 * exist, a guest pointer) registers where to continue if it does. */
#ifndef X86_EXTABLE_H
#define X86_EXTABLE_H

#include <xen/types.h>

struct extable_entry {
    unsigned long insn;     /* address of the instruction that may fault */
    unsigned long fixup;    /* where to continue when it does */
};

#define EXTABLE_ENTRY(insn, fixup)              \
    ".pushsection .ex_table, \"a\"\n\t"         \
    ".balign 8\n\t"                             \
    ".quad " #insn ", " #fixup "\n\t"           \
    ".popsection\n\t"

/*
 * The tail of an asm whose instruction at "1:" may fault: execution goes
 * on at "2:" either way, and a fault clears the bool operand flag (a
 * string such as "%0", for a "+qm" operand that starts true).
 */
#define EXTABLE_CLEAR_ON_FAULT(flag)            \
    "2:\n"                                      \
    ".pushsection .fixup, \"ax\"\n"             \
    "3: movb $0, " flag "\n"                    \
    "   jmp 2b\n"                               \
    ".popsection\n"                             \
    EXTABLE_ENTRY(1b, 3b)

/* rdmsr/wrmsr that return -EFAULT-style failure instead of faulting. */
static inline int rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo, hi;
    int err = 0;

    __asm__ __volatile__(
        "1: rdmsr\n"
        "2:\n"
        ".pushsection .fixup, \"ax\"\n"
        "3: movl $1, %2\n"
        "   xorl %0, %0\n"
        "   xorl %1, %1\n"
        "   jmp 2b\n"
        ".popsection\n"
        EXTABLE_ENTRY(1b, 3b)
        : "=a"(lo), "=d"(hi), "+r"(err) : "c"(msr));
    *val = ((uint64_t)hi << 32) | lo;
    return err ? -1 : 0;
}

static inline int wrmsr_safe(uint32_t msr, uint64_t val)
{
    int err = 0;

    __asm__ __volatile__(
        "1: wrmsr\n"
        "2:\n"
        ".pushsection .fixup, \"ax\"\n"
        "3: movl $1, %0\n"
        "   jmp 2b\n"
        ".popsection\n"
        EXTABLE_ENTRY(1b, 3b)
        : "+r"(err) : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
    return err ? -1 : 0;
}

#endif /* X86_EXTABLE_H */
