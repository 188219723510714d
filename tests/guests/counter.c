/*
 * counter: a domU that ticks every ~50 ms and checks, on every tick, state
 * that a save/restore must carry over (tests/domu/domu saves it to a file
 * and restores it into a new domain): a three-page array and its checksum,
 * and an alias mapping it made itself with update_va_mapping, whose L1
 * entry must follow the array page to its new machine frame.  Each tick
 * prints "counter: tick N uptime_ms U checks ok" (or "checks BAD ...")
 * with console_io; after MAX_TICKS it finishes like every test kernel.
 */
#include "guest.h"

#define ARRAY_PAGES  3
#define TICK_NS      (50ull * 1000 * 1000)
/* ~25 min of ticks: the test destroys it when done (190 ticks on a quiet
 * host), so this only ends one left behind; a bound near the test's need
 * would stop the count on a busy host and fail "count continues". */
#define MAX_TICKS    30000

static uint64_t array[ARRAY_PAGES][PAGE_SIZE / 8]
    __attribute__((aligned(PAGE_SIZE)));
static uint64_t array_sum;
static volatile uint64_t *alias;   /* a second VA of array[1] */
static volatile unsigned int tick;

static uint64_t pattern(unsigned int i)
{
    return (uint64_t)i * 0x9E3779B97F4A7C15ull ^ 0xC0FFEEull;
}

static uint64_t checksum(void)
{
    uint64_t s = 0;
    unsigned int p, i;

    for (p = 0; p < ARRAY_PAGES; p++)
        for (i = 0; i < PAGE_SIZE / 8; i++)
            s = (s << 1 | s >> 63) ^ array[p][i];
    return s;
}

/* A page of the initial mapping nobody uses: inside the padding the
 * builder leaves after the boot stack (docs/domain-builder.md). */
static unsigned long spare_va(void)
{
    return start_info->pt_base + (start_info->nr_pt_frames + 1) * PAGE_SIZE +
           256 * 1024;
}

/* Empty string when all state is intact, else what broke. */
static const char *verify(void)
{
    unsigned long pfn = virt_to_pfn(array[1]);
    uint64_t *l1e = pte_lookup((unsigned long)alias, 1, NULL);

    if (checksum() != array_sum)
        return "array checksum";
    if (m2p[p2m[pfn]] != pfn)
        return "p2m/m2p of the array page";
    if (!l1e || ((*l1e & PTE_ADDR_MASK) >> PAGE_SHIFT) != p2m[pfn])
        return "alias L1 entry does not point at the array page";
    if (alias[7] != array[1][7])
        return "alias reads differ";
    alias[8] = tick;                 /* write through one, read the other */
    barrier();
    if (array[1][8] != tick)
        return "alias write not seen";
    array[1][8] = pattern(PAGE_SIZE / 8 + 8);
    return "";
}

void test_main(void)
{
    unsigned int p, i;
    uint64_t pte;
    long rc;

    CHECK(shared_info_map() == 0, "shared_info mapped");
    for (p = 0; p < ARRAY_PAGES; p++)
        for (i = 0; i < PAGE_SIZE / 8; i++)
            array[p][i] = pattern(p * (PAGE_SIZE / 8) + i);
    array_sum = checksum();

    alias = (volatile uint64_t *)spare_va();
    pte = ((uint64_t)virt_to_mfn(array[1]) << PAGE_SHIFT) | PTE_P | PTE_RW |
          PTE_A | PTE_D;
    rc = hv_update_va_mapping((unsigned long)alias, pte, UVMF_INVLPG);
    CHECK_EQ(rc, 0, "alias mapping of the array made");
    CHECK(verify()[0] == '\0', "state checks pass at start");
    console_flush();

    for (tick = 1; tick <= MAX_TICKS; tick++) {
        const char *bad;

        delay_ns(TICK_NS);
        bad = verify();
        printf("counter: tick %u uptime_ms %llu checks %s%s\n", tick,
               (unsigned long long)(pvclock_now() / 1000000),
               bad[0] ? "BAD " : "ok", bad);
        console_flush();
        if (bad[0])
            test_fail("counter state", "tick %u: %s", tick, bad);
    }
    test_pass("counter ran to the end");
}
