/*
 * panic(): the hypervisor cannot continue.
 *
 * Stops the other CPUs first so their output cannot bury the message,
 * takes the console by force (the dying CPU may hold its lock), prints,
 * and leaves the machine with the "panic" status the test harness knows.
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <xen/shutdown.h>
#include <xen/smp.h>
#include <xen/arch-hooks.h>

volatile bool panic_in_progress;

void panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    local_irq_disable();
    if ( __atomic_exchange_n(&panic_in_progress, true, __ATOMIC_SEQ_CST) )
        machine_halt_cpu();     /* another CPU is already panicking */

    arch_stop_other_cpus();
    console_force_unlock();

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    printk(XENLOG_ERR "\n****************************************\n");
    printk(XENLOG_ERR "Panic on CPU %u:\n", smp_processor_id());
    printk(XENLOG_ERR "%s\n", msg);
    printk(XENLOG_ERR "****************************************\n");
    show_backtrace((unsigned long)__builtin_frame_address(0));
    machine_exit(MACHINE_EXIT_PANIC);
}
