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
    if ( debug_exit )
        outb(DEBUG_EXIT_PORT, (uint8_t)code);
    if ( code == MACHINE_EXIT_PASS )
    {
        /* QEMU's PIIX4/ICH9 ACPI poweroff: PM1a_CNT SLP_TYP=0|SLP_EN. */
        outw(0x604, 0x2000);    /* QEMU: PM base 0x600 on pc and q35 */
    }
    printk("System halted.\n");
    machine_halt_cpu();
}
