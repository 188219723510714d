/*
 * Known-bug exclusions: call shapes that crash or corrupt the current
 * hypervisor through bugs someone else is fixing.  While an entry is here
 * the fuzzer does not generate that shape (unless booted with fuzz_known=1,
 * which reproduces the bug).  Remove an entry once its fix is merged.
 *
 * One line per exclusion: what is avoided, and the audit item it waits for.
 */
#include "fuzz.h"

static const struct {
    enum known_bug bug;
    const char *what;
} known[] = {
    { KB_VCPU_INFO_FRAME_RETYPED,  "register_vcpu_info only on frames no op retypes afterwards (issue 9 #1, h1)" },
    { KB_UNVALIDATED_GDT_FRAMES,   "VCPUOP_initialise/setvcpucontext with gdt_ents 0 (issue 9 #2, h1)" },
    { KB_MULTICALL_WIDE_OP,        "multicall entries with op >= 2^32 (op 0x10000000d nests; issue 9 #3, h2)" },
    { KB_INITIALISE_NOT_IN_KERNEL, "VCPUOP_initialise/setvcpucontext always with VGCF_in_kernel (issue 9 #4, h1)" },
    { KB_CONCURRENT_DECREASE,      "decrease_reservation only of the calling vCPU's own frames (issue 9 #5, h3)" },
    { KB_UNBOUNDED_MMU_BATCH,      "mmu_update/mmuext_op counts <= 4096 (issue 9 #6, h2)" },
    { KB_BLOCK_NO_WAKEUP,          "no SCHEDOP_block (found by this fuzzer: a vCPU can stay blocked with its VIRQ_TIMER bound, unmasked and armed; open, unassigned)" },
};

int known_excluded(enum known_bug b)
{
    (void)b;
    return !fuzz_cfg.known;
}

void known_print(void)
{
    unsigned int i;

    printf("fuzz: known-bug exclusions %s (fuzz_known=1 lifts them):\n",
           fuzz_cfg.known ? "LIFTED" : "active");
    for (i = 0; i < ARRAY_SIZE(known); i++)
        printf("fuzz:   - %s\n", known[i].what);
}
