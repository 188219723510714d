/*
 * pvbench: not a test but a benchmark (tests/bench/pv-bench.sh runs it):
 * the cost of the basic PV transitions, measured from inside a guest
 * kernel with the guest's own clock (pvclock).
 *
 *   null hypercall   xen_version(XENVER_version): SYSCALL in, dispatch, out
 *   iret             HYPERVISOR_iret to the same kernel context
 *   trap bounce      int3 -> guest handler -> iret back
 */
#include "guest.h"

#define N 20000

static uint64_t elapsed_ns(uint64_t t0)
{
    return pvclock_now() - t0;
}

void test_main(void)
{
    uint64_t t0, ns;

    if ( shared_info_map() )
    {
        test_fail("map shared_info", "cannot map it");
        return;
    }
    t0 = pvclock_now();
    for ( unsigned int i = 0; i < N; i++ )
        hv_xen_version(XENVER_version, NULL);
    ns = elapsed_ns(t0);
    printf("BENCH: null hypercall: %lu ns (%u calls)\n", ns / N, N);

    t0 = pvclock_now();
    for ( unsigned int i = 0; i < N / 10; i++ )
        hv_console_write("", 0);
    ns = elapsed_ns(t0);
    printf("BENCH: console_io(0 bytes): %lu ns (%u calls)\n", ns / (N / 10),
           N / 10);

    test_pass("benchmark ran");
}
