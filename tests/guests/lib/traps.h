/*
 * Exception handling for test kernels.
 *
 * traps_init() installs a trap table (vectors 0-31 and 0x80) whose entry
 * stubs accept the PV bounce frame (RCX, R11, [error code], RIP, CS,
 * RFLAGS, RSP, SS) and return with the iret hypercall.
 *
 * Expected faults: wrap the instruction in GUARDED_ASM-style fixup entries
 * (FIXUP_ENTRY below) or use the probe_* helpers.  When a trap hits an
 * address covered by a fixup entry, the handler records the frame in
 * trap_last and resumes at the entry's continuation.  Any other trap is a
 * test failure: it is reported and the domain crashes, unless a recovery
 * point is armed (trap_recover_arm), in which case execution resumes there.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdint.h>

#define TRAP_DE  0
#define TRAP_DB  1
#define TRAP_NMI 2
#define TRAP_BP  3
#define TRAP_OF  4
#define TRAP_UD  6
#define TRAP_NM  7
#define TRAP_DF  8
#define TRAP_TS  10
#define TRAP_NP  11
#define TRAP_SS  12
#define TRAP_GP  13
#define TRAP_PF  14
#define TRAP_MF  16
#define TRAP_AC  17
#define TRAP_XM  19
#define TRAP_INT80 0x80
#define TRAP_UPCALL 0x100 /* pseudo vector of the event callback */

#define RFLAGS_IF (1UL << 9)

/* The frame the entry stubs build; the registers are the interrupted ones. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* as bounced by the hypervisor */
};

/* What the last fixed-up trap looked like. */
struct trap_record {
    unsigned int count;  /* fixed-up traps since trap_reset() */
    uint64_t vector, error, rip, cs, rflags, rsp, ss, rcx, r11, cr2;
    uint8_t mask_in_handler; /* evtchn_upcall_mask seen by the handler */
};
extern volatile struct trap_record trap_last;
extern volatile unsigned int traps_unexpected; /* recovered via trap_recover */

/* One fixup: a trap with RIP in [from, to] resumes at `to`. */
#define FIXUP_ENTRY(from, to)                                                \
    ".pushsection .fixup_table,\"a\"\n\t.balign 8\n\t.quad " from ", " to   \
    "\n\t.popsection\n\t"

long traps_init(void);
/* The traps_init() table as vcpu_guest_context.trap_ctxt (by vector). */
void traps_fill_context(struct trap_info ctxt[256]);
void trap_reset(void);

/* Returns the vector a guarded access trapped with, or -1 if it did not. */
int probe_read(const volatile void *p, uint64_t *val);
int probe_write(volatile void *p, uint64_t val);

/*
 * Hook for traps outside fixups; return 1 if handled (the frame may be
 * edited), 0 to fall through to recovery/abort.
 */
extern int (*trap_hook)(struct trap_frame *f);

/* setjmp-style recovery for unexpected traps (fuzz.c). */
struct recover_point {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
int recover_save(struct recover_point *rp) __attribute__((returns_twice));
void recover_jump(struct recover_point *rp, int value) __attribute__((noreturn));
extern struct recover_point *trap_recover;
/* Per vCPU (index smp_cpu_id()); for vCPU 0 trap_recover is used if unset. */
extern struct recover_point *trap_recover_cpu[];

/* The iret hypercall used by the stubs, callable for tests. */
void hypervisor_iret_to(const struct iret_context *ctx) __attribute__((noreturn));

/* Entry points (traps-entry.S). */
extern const uint64_t trap_stub_table[32];
void trap_stub_int80(void);
void event_callback_entry(void);
void failsafe_callback_entry(void);

extern volatile unsigned int failsafe_count;

#endif /* GUEST_TRAPS_H */
