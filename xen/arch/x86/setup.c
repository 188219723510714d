/*
 * start_xen: the boot CPU's path from head.S to the idle loop.
 *
 * Each step below is one call; the order matters and the comment on each
 * says why it comes where it does.  docs/boot.md walks through the same
 * sequence.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/console.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <xen/shutdown.h>
#include <xen/version.h>
#include <asm/bootinfo.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/time.h>

/* The boot CPU's stack block (asm/percpu.h explains the layout). */
char cpu0_stack[STACK_SIZE] __aligned(STACK_SIZE);
void *cpu_stack_block[NR_CPUS];

void console_input_start(void);
void nmi_stress_start(void);

void __noreturn start_xen(unsigned long mbi_pa)
{
    boot_tsc = rdtsc();                 /* system time 0 */

    /* Exceptions first, so anything below that faults is reported. */
    cpu_stack_block[0] = cpu0_stack;
    idt_init();
    desc_init_cpu(0, cpu0_stack);

    serial_init();
    printk(XENLOG_INFO "%s %d.%d%s (x86_64) booting\n", XEN_PRODUCT,
           XEN_VERSION_MAJOR, XEN_VERSION_MINOR, XEN_EXTRAVERSION);
    time_calibrate();                   /* real timestamps from here on */

    /* The multiboot information lives in memory the heap will reuse. */
    if ( multiboot2_parse(mbi_pa) )
        panic("cannot read the boot loader's information");
    printk("Loader: %s\n", boot_info.loader[0] ? boot_info.loader : "unknown");
    printk("Command line: %s\n", boot_info.cmdline);
    if ( cmdline_parse(boot_info.cmdline) )
        printk(XENLOG_WARNING "Some boot options were not understood (see "
               "above); continuing with defaults for those\n");

    mm_setup();
    stack_guards_install(0);            /* needs the final page tables */
    gdt_window_activate(0);

    arch_init_late();
    m2p_init();
    wallclock_init();

    boot_selftests();
    nmi_stress_start();

    if ( boot_info.nr_modules == 0 )
        printk("No dom0 kernel was given (no multiboot2 module); "
               "nothing to run.  Idling.\n");
    else if ( dom0_build() )
        panic("Could not build dom0 (reasons above)");
    else
        console_input_start();
    printk("Boot complete.\n");
    reset_stack_and_idle();
}
