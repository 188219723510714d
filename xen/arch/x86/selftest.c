/*
 * boot_test=<name>: run a named check at the end of boot and leave QEMU
 * with the pass/fail status (needs debug_exit).  The boot tests in
 * tests/boot/ use these; nothing here runs unless asked.
 *
 *   pass       exit with the pass status once boot is complete
 *   fault-ud   execute an invalid opcode in the hypervisor (must panic with
 *              a register dump naming selftest_fault_ud)
 *   fault-pf   read an unmapped hypervisor address (likewise)
 *   fault-de   divide by zero (likewise)
 *   panic      call panic() directly
 *   smap       a ring-0 read of a user page must fault without stac and
 *              work with it (needs a CPU with SMAP: QEMU -cpu max)
 *   stack-guard recurse until the primary stack runs into its guard page
 *              (must panic with "stack overflow on CPU 0")
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/shutdown.h>
#include <xen/smp.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/setup.h>

static char boot_test[32];
string_param("boot_test", boot_test);

/* noinline + a visible name: the test checks the dump names them. */
static void __attribute__((noinline)) selftest_fault_ud(void)
{
    __asm__ __volatile__("ud2");
}

static void __attribute__((noinline)) selftest_fault_pf(void)
{
    volatile unsigned long *p = (unsigned long *)0xffff8100deadb000UL;
    (void)*p;
}

static void __attribute__((noinline)) selftest_fault_de(void)
{
    volatile unsigned int zero = 0;
    volatile unsigned int r = 100 / zero;
    (void)r;
}

/* Each level keeps a page-sized buffer live across the next call, so the
 * recursion eats the stack a page at a time.  The depth bound is far past
 * any stack; it only keeps the compiler from calling the loop infinite. */
static unsigned long __attribute__((noinline)) selftest_recurse(unsigned long n)
{
    volatile char pad[PAGE_SIZE];

    pad[0] = (char)n;
    if ( n == 0 )
        return pad[0];
    return selftest_recurse(n - 1) + pad[0];
}

/* Extra checks registered by other files (e.g. timer accuracy). */
extern bool selftest_timer_rate(void);
extern bool selftest_smap(void);

void boot_selftests(void)
{
    if ( !boot_test[0] )
        return;
    printk("Running boot test '%s'\n", boot_test);
    if ( !strcmp(boot_test, "pass") )
        machine_exit(MACHINE_EXIT_PASS);
    else if ( !strcmp(boot_test, "fault-ud") )
        selftest_fault_ud();
    else if ( !strcmp(boot_test, "fault-pf") )
        selftest_fault_pf();
    else if ( !strcmp(boot_test, "fault-de") )
        selftest_fault_de();
    else if ( !strcmp(boot_test, "stack-guard") )
    {
        /* Every online CPU's guards are unmapped, then CPU 0 overflows. */
        unsigned int bad = 0;

        for ( unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++ )
            if ( cpu_online(cpu) )
                for ( unsigned int g = 0; g < 2 * STACK_GUARD_PAGES; g += 2 )
                    bad += va_is_mapped((unsigned long)cpu_stack_block[cpu] +
                                        g * PAGE_SIZE);
        printk("stack-guard: %u CPU(s) checked, %u guard page(s) mapped\n",
               num_online_cpus(), bad);
        if ( bad )
            machine_exit(MACHINE_EXIT_FAIL);
        printk("stack-guard: recursion returned %lu\n",
               selftest_recurse(1UL << 20));
    }
    else if ( !strcmp(boot_test, "panic") )
        panic("boot test requested a panic");
    else if ( !strcmp(boot_test, "smap") )
        machine_exit(selftest_smap() ? MACHINE_EXIT_PASS : MACHINE_EXIT_FAIL);
    else if ( !strcmp(boot_test, "timer") )
        machine_exit(selftest_timer_rate() ? MACHINE_EXIT_PASS
                                           : MACHINE_EXIT_FAIL);
    else
    {
        printk(XENLOG_ERR "unknown boot test '%s'\n", boot_test);
        machine_exit(MACHINE_EXIT_FAIL);
    }
    printk(XENLOG_ERR "boot test '%s' returned; it should not have\n",
           boot_test);
    machine_exit(MACHINE_EXIT_FAIL);
}
