/*
 * Known-bug exclusions: call shapes that crash or corrupt the current
 * hypervisor through bugs someone else is fixing.  While an entry is here
 * the fuzzer does not generate that shape (unless booted with fuzz_known=1,
 * which reproduces the bug).  Remove an entry once its fix is merged.
 *
 * One line per exclusion: what is avoided, and the audit item it waits for.
 */
#include "fuzz.h"

/* Empty: the issue-9 items (#1-#6) are fixed on main (seeds 3, 5, 7 and 9
 * with fuzz_known=1, 20,000-50,000 calls, clean), and the "vCPU blocked
 * for good after SCHEDOP_block" one was the fuzzer's own (fixed in
 * ops.c/gen.c).  Add { KB_..., "what (issue)" } lines here as needed. */
static const struct {
    enum known_bug bug;
    const char *what;
} known[] = {
    { KB_COUNT, NULL },         /* terminator, never excluded */
};

int known_excluded(enum known_bug b)
{
    unsigned int i;

    if (fuzz_cfg.known)
        return 0;
    for (i = 0; i < ARRAY_SIZE(known); i++)
        if (known[i].what != NULL && known[i].bug == b)
            return 1;
    return 0;
}

void known_print(void)
{
    unsigned int i;

    printf("fuzz: known-bug exclusions %s (fuzz_known=1 lifts them):\n",
           fuzz_cfg.known ? "LIFTED" : "active");
    for (i = 0; i < ARRAY_SIZE(known); i++)
        if (known[i].what != NULL)
            printf("fuzz:   - %s\n", known[i].what);
}
