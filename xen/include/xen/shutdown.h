/* Stopping the machine. */
#ifndef XEN_SHUTDOWN_H
#define XEN_SHUTDOWN_H

#include <xen/compiler.h>

/* Exit statuses for the test harness (QEMU isa-debug-exit, see
 * arch/x86/shutdown.c): QEMU's own exit status is (code << 1) | 1. */
#define MACHINE_EXIT_PASS   0x10    /* QEMU exits 33 */
#define MACHINE_EXIT_PANIC  0x11    /* QEMU exits 35 */
#define MACHINE_EXIT_FAIL   0x12    /* QEMU exits 37 */

extern volatile bool panic_in_progress;
/* A CPU is powering off or resetting the machine (the others halt). */
extern volatile bool machine_stopping;

/* Power off (or, under test, leave QEMU with 'code'); never returns. */
void __noreturn machine_exit(unsigned int code);
/* Reset the machine (under test: leave QEMU with the pass status). */
void __noreturn machine_restart(void);
/* Stop this CPU for good, interrupts off. */
void __noreturn machine_halt_cpu(void);
/* Arch: stop every other CPU (NMI), used by panic. */
void arch_stop_other_cpus(void);

#endif /* XEN_SHUTDOWN_H */
