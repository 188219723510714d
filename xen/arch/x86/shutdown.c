/*
 * Leaving the machine.
 *
 * Under QEMU the test harness adds an isa-debug-exit device at port 0xf4:
 * a byte written there ends QEMU with status (byte << 1) | 1, so a test
 * sees pass and panic as distinct exit statuses instead of waiting for a
 * timeout.  The hypervisor only touches that port when booted with
 * "debug_exit", since on real hardware 0xf4 may be something else.
 * Otherwise it tries the ACPI/keyboard-controller style exits QEMU knows
 * and finally halts.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/shutdown.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/processor.h>

#define DEBUG_EXIT_PORT 0xf4

static bool debug_exit;
boolean_param("debug_exit", debug_exit);

void machine_halt_cpu(void)
{
    local_irq_disable();
    for ( ;; )
        halt();
}

void machine_exit(unsigned int code)
{
    local_irq_disable();
    if ( code == MACHINE_EXIT_PASS && !debug_exit )
        acpi_poweroff();
    if ( debug_exit )
        outb(DEBUG_EXIT_PORT, (uint8_t)code);
    printk("System halted.\n");
    machine_halt_cpu();
}
