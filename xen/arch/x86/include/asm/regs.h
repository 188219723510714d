/* The register frame every entry into the hypervisor saves on the stack.
 * The order of the general registers and the error_code/entry_vector word
 * matches the public struct cpu_user_regs, so guest context can later be
 * copied out without reshuffling. */
#ifndef X86_REGS_H
#define X86_REGS_H

#ifndef __ASSEMBLY__
#include <xen/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    /* Pushed by the CPU: */
    uint64_t rip, cs, rflags, rsp, ss;
};

static inline bool regs_from_guest(const struct cpu_regs *r)
{
    return (r->cs & 3) != 0;
}
#endif

/* Byte offsets for entry.S. */
#define REGS_R15     0
#define REGS_RDI     112
#define REGS_ERROR   120
#define REGS_VECTOR  124
#define REGS_RIP     128
#define REGS_CS      136
#define REGS_SIZE    168

#endif /* X86_REGS_H */
