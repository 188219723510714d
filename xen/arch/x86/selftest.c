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
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/shutdown.h>
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

/* Extra checks registered by other files (e.g. timer accuracy). */
extern bool selftest_timer_rate(void);

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
    else if ( !strcmp(boot_test, "panic") )
        panic("boot test requested a panic");
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
