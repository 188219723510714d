/*
 * The idle loop: what a CPU does when it has nothing to run.
 * It sleeps in HLT with interrupts on; timer interrupts run expired
 * timers from the interrupt handler (arch/x86/apic-timer.c).
 */
#include <xen/lib.h>
#include <asm/processor.h>
#include <asm/setup.h>

void idle_loop(void)
{
    for ( ;; )
        safe_halt();
}
