/*
 * No code.  xen/include/xen/arch-hooks.h lists what generic code calls in
 * the x86 part; some of those hooks are also declared next to their
 * subsystem.  Including both here makes the compiler check that the two
 * declarations agree (a conflicting redeclaration is an error).  Hooks
 * with no other declaration (arch_vcpu_create, context_switch, max_mfn)
 * are checked where they are defined, which includes xen/arch-hooks.h.
 */
#include <xen/arch-hooks.h>
#include <xen/console.h>
#include <xen/event.h>
#include <xen/mm.h>
#include <xen/shutdown.h>
#include <xen/timer.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/pv-mm.h>
#include <asm/time.h>
#include <asm/irq-pirq.h>
#include <asm/io-perm.h>
#include <asm/timer-trace.h>
