/* Boot steps called from start_xen (arch/x86/setup.c), one per file. */
#ifndef X86_SETUP_H
#define X86_SETUP_H

#include <xen/compiler.h>

void serial_init(void);                 /* serial.c */
void mm_setup(void);                    /* mm-setup.c */
void gdt_window_activate(unsigned int cpu); /* desc.c */
void arch_init_late(void);              /* init-late.c: ACPI, APIC, time, SMP */
void boot_selftests(void);              /* selftest.c: boot_test= option */
void __noreturn idle_loop(void);        /* idle.c */
/* What brought this CPU out of HLT (the interrupt handlers say). */
#define IDLE_WOKE_IPI   1u              /* the wake-up IPI (cpu_kick) */
#define IDLE_WOKE_TIMER 2u              /* its APIC timer */
void idle_note_wake(unsigned int why);
void __noreturn reset_stack_and_idle(void);
void syscall_init_cpu(unsigned int cpu);    /* pv/syscall-stub.c */
void cpu_init_guest_features(void);     /* domain.c: CR0/CR4 for guests */
void pat_init_cpu(void);                /* pv/emul-priv.c */
int dom0_build(void);                   /* pv/dom0_build.c */
void m2p_init(void);                    /* mm.c */
void wallclock_init(void);              /* guest time */

extern unsigned long ram_pages_found;

#endif /* X86_SETUP_H */
