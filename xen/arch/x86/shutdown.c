/*
 * Leaving the machine.
 *
 * Under QEMU the test harness adds an isa-debug-exit device at port 0xf4:
 * a byte written there ends QEMU with status (byte << 1) | 1, so a test
 * sees pass and panic as distinct exit statuses instead of waiting for a
 * timeout.  The hypervisor only touches that port when booted with
 * "debug_exit", since on real hardware 0xf4 may be something else.
 * Otherwise power-off enters ACPI S5 (the FADT's PM1 control registers,
 * the DSDT's _S5_ values) and reset writes the FADT's reset register, then
 * the keyboard controller, then triple-faults.  Both stop the other CPUs
 * first.  Dom0 reaches these through XENPF_enter_acpi_sleep and
 * SCHEDOP_shutdown; it cannot write the registers itself (io-perm.c).
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/param.h>
#include <xen/shutdown.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/timer-trace.h>

#define DEBUG_EXIT_PORT 0xf4
#define KBC_CMD_PORT    0x64
#define KBC_CMD_RESET   0xfe            /* pulse the CPU reset line */

static bool debug_exit;
boolean_param("debug_exit", debug_exit);

/* Set by the CPU that powers off or resets; the others halt in their NMI
 * handler (traps.c), as for a panic. */
volatile bool machine_stopping;

void machine_halt_cpu(void)
{
    local_irq_disable();
    for ( ;; )
        halt();
}

/* Stop every other CPU before the machine goes away, so none is half-way
 * through a device or a page table when it does.  A second CPU arriving
 * here (a panic or a selftest's exit racing dom0's power-off) halts: the
 * first one finishes the job.  The console lock may have been
 * held by a stopped CPU, so it is released for the messages after. */
static void stop_other_cpus(void)
{
    local_irq_disable();
    if ( __atomic_exchange_n(&machine_stopping, true, __ATOMIC_SEQ_CST) &&
         !panic_in_progress )
        machine_halt_cpu();
    arch_stop_other_cpus();
    console_force_unlock();
}

void machine_exit(unsigned int code)
{
    if ( !panic_in_progress )
        stop_other_cpus();
    local_irq_disable();
    if ( opt_timer_trace )
        timer_trace_dump();
    /* Under test, the exit status says what happened: it wins. */
    if ( debug_exit )
        outb(DEBUG_EXIT_PORT, (uint8_t)code);
    if ( code == MACHINE_EXIT_PASS )
    {
        acpi_poweroff();
        /* The chipset takes a moment (QEMU: its main loop) to act on it;
         * a second without power-off means it will not come. */
        udelay(1000000);
    }
    printk("System halted.\n");
    machine_halt_cpu();
}

void machine_restart(void)
{
    stop_other_cpus();
    /* The harness's contract: a clean reboot ends QEMU with the pass
     * status, as a poweroff does (run-qemu.sh and the suites use
     * -no-reboot, so a real reset would end QEMU with status 0). */
    if ( debug_exit )
        outb(DEBUG_EXIT_PORT, MACHINE_EXIT_PASS);
    printk("Resetting the machine.\n");
    acpi_reset();
    udelay(100000);
    /* Then the keyboard controller's reset line (wait for its input
     * buffer to empty, bounded: a machine without one reads 0xff). */
    for ( unsigned int i = 0; i < 0x10000 && (inb(KBC_CMD_PORT) & 2); i++ )
        ;
    outb(KBC_CMD_PORT, KBC_CMD_RESET);
    udelay(1000000);
    /* Last: a triple fault, with an empty IDT so the next exception has
     * nowhere to go. */
    {
        static const struct __packed { uint16_t limit; uint64_t base; }
            no_idt = { 0, 0 };

        asm volatile ( "lidt %0; int3" :: "m" (no_idt) );
    }
    printk("Reset failed.  System halted.\n");
    machine_halt_cpu();
}
