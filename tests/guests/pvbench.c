/*
 * pvbench: not a test but a benchmark (tests/bench/pv-bench.sh runs it):
 * the cost of the basic PV transitions, measured from inside a guest
 * kernel with the guest's own clock (pvclock) and the TSC.
 *
 *   null hypercall     xen_version(XENVER_version): SYSCALL in, dispatch, out
 *   update_va_mapping  unmap a page of ours (val 0, UVMF_NONE: what Linux's
 *                      balloon does for every frame it gives back), and
 *                      map it again
 *
 * Each prints the mean (pvclock, ns) and the fastest single call in TSC
 * cycles.  Under TCG the TSC follows the host clock, and on a shared host
 * the mean moves with the load (a call that the host preempted counts in
 * full) while the minimum barely does: compare minimums before and after
 * a change to the entry/exit path.
 */
#include "guest.h"
#include "pt.h"

#define N 20000

static uint8_t scratch[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static uint64_t elapsed_ns(uint64_t t0)
{
    return pvclock_now() - t0;
}

static void null_hypercall(void)
{
    hv_xen_version(XENVER_version, NULL);
}

static void unmap_scratch(void)
{
    if ( hv_update_va_mapping((unsigned long)scratch, 0, UVMF_NONE) )
        test_fail("update_va_mapping", "unmap refused");
}

static void map_scratch(void)
{
    if ( hv_update_va_mapping((unsigned long)scratch,
                              pte_for(scratch, PTE_KERNEL_RW), UVMF_NONE) )
        test_fail("update_va_mapping", "map refused");
}

/* Runs first() and then() N / 2 times each; the mean is over both, the
 * minimums are each one's own. */
static void measure(const char *what, void (*first)(void), void (*then)(void))
{
    uint64_t min1 = ~0UL, min2 = ~0UL, t0 = pvclock_now(), ns;

    for ( unsigned int i = 0; i < N / 2; i++ )
    {
        uint64_t a = rdtsc(), b, c;

        first();
        b = rdtsc();
        then();
        c = rdtsc();
        if ( b - a < min1 )
            min1 = b - a;
        if ( c - b < min2 )
            min2 = c - b;
    }
    ns = elapsed_ns(t0);
    printf("BENCH: %s: %lu ns (%u calls), fastest %lu / %lu TSC cycles\n",
           what, ns / N, N, min1, min2);
}

void test_main(void)
{
    uint64_t t0, ns;

    if ( shared_info_map() )
    {
        test_fail("map shared_info", "cannot map it");
        return;
    }
    measure("null hypercall", null_hypercall, null_hypercall);

    t0 = pvclock_now();
    for ( unsigned int i = 0; i < N / 10; i++ )
        hv_console_write("", 0);
    ns = elapsed_ns(t0);
    printf("BENCH: console_io(0 bytes): %lu ns (%u calls)\n", ns / (N / 10),
           N / 10);

    /* The same entry each time, so every call is validated in full. */
    scratch[0] = 1;
    measure("update_va_mapping (unmap / map)", unmap_scratch, map_scratch);
    set_rw(scratch);                    /* with the flush this time */

    test_pass("benchmark ran");
}
