/*
 * The boundary between generic and x86 code.
 *
 * Everything the architecture-neutral hypervisor (xen/common/) uses from
 * the x86/PV part (xen/arch/x86/) is listed here, grouped by subsystem,
 * with what the caller must guarantee.  A .c file in xen/common/ includes
 * xen/ and public/ headers only; the asm/ headers it needs for inline code
 * and constants are reached through this one, and the list below says
 * which of their names it may use.  Implementations are in
 * xen/arch/x86/ (file named per group).
 *
 * Some of these are also declared next to their subsystem (xen/console.h,
 * xen/event.h, xen/shutdown.h, xen/timer.h, asm/pv-mm.h); the declarations
 * must agree, and xen/arch/x86/arch-hooks.c makes the compiler check that.
 * The other direction, what arch code calls in common code, is the normal
 * xen/ headers.  docs/boot.md ("The generic/arch boundary") has the map.
 *
 * To add a hook: implement it in arch/x86, declare it here with its
 * precondition, include its arch declaration in arch-hooks.c.
 */
#ifndef XEN_ARCH_HOOKS_H
#define XEN_ARCH_HOOKS_H

#include <xen/types.h>
#include <xen/compiler.h>

/* Inline code and constants generic code may use, and only these:
 *   asm/time.h      NOW(), cpu_khz (TSC frequency, kHz; dom0 physinfo)
 *   asm/tlbclock.h  tlbflush_now(), tlbflush_filter() (the TLB-flush
 *                   clock: stamp a freed frame, flush only CPUs that have
 *                   not flushed since)
 *   asm/pv-types.h  PGT_* type_info encoding, page_type(),
 *                   page_type_count(), pgt_table_level(), M2P_INVALID_ENTRY
 *   asm/bootinfo.h  boot_info (the multiboot memory map, modules and
 *                   command line; read-only after boot), E820_*,
 *                   BOOT_MAX_*
 *   asm/processor.h local_irq_disable() (panic); common/dom0_op_vcpu.c,
 *                   which reads and writes the x86 vCPU context, also
 *                   uses its MSR_* and X86_CR0_* names */
#include <asm/time.h>
#include <asm/tlbclock.h>
#include <asm/pv-types.h>
#include <asm/bootinfo.h>
#include <asm/processor.h>

struct domain;
struct vcpu;
struct page_info;
struct vcpu_guest_context;

/* ---- Physical IRQs (arch/x86/irq-pirq.c) ---- */

/* EVTCHNOP_bind_pirq: connect d's mapped pirq to its port.  d's event
 * lock held.  0, -EINVAL (pirq not mapped or out of range), -EEXIST
 * (already bound). */
int arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port);
/* The pirq's port is being closed; d's event lock held. */
void arch_pirq_unbind(struct domain *d, unsigned int pirq);
/* Domain teardown, after its event channels are gone: silence its
 * devices' interrupts and free its pirqs. */
void arch_pirqs_release(struct domain *d);

/* ---- I/O permissions (arch/x86/io-perm.c) ---- */

/* Domain teardown, no vCPU of d running: free what its port and I/O
 * memory permissions hold (the TSS I/O bitmap). */
void arch_io_perm_release(struct domain *d);

/* ---- Domains and vCPUs (arch/x86/domain.c, pv/vcpu-context.c,
 *      guest-time.c) ---- */

/* Architectural set-up of a new vCPU (its initial register frame and
 * mode).  Called once, from vcpu_create, with v zeroed but for the generic
 * fields, before v is visible to the scheduler.  0 or -errno; on failure
 * v is freed without any other arch call. */
int arch_vcpu_create(struct vcpu *v);

/* Leave prev and run next on this CPU; never returns (next's saved frame
 * is resumed).  Called from schedule() (softirq context) after the
 * run-queue lock is dropped; next is this CPU's, and both vCPUs' state
 * and runstate are already updated.  Must call sched_context_saved(prev)
 * once all of prev's state is in prev->arch and this CPU has stopped
 * using prev's page tables: from then on prev may run on another CPU. */
void __noreturn context_switch(struct vcpu *prev, struct vcpu *next);

/* Load a vcpu_guest_context (VCPUOP_initialise, dom0_op setvcpucontext)
 * into v, which must be paused or not yet started and have no context
 * yet.  vcpu_context_check() has already passed.  0 or -errno; on success
 * v->arch.guest_table holds the kernel L4 (that marks v as initialised). */
int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c);

/* Rewrite v's pvclock record (vcpu_info->time) under the version
 * protocol.  When v is created, registers a new vcpu_info, and whenever
 * it is scheduled in; not concurrently for the same v. */
void update_vcpu_system_time(struct vcpu *v);

/* ---- Guest page tables (arch/x86/mm.c, pv/mm-audit.c) ---- */

/* Pin d's frame mfn as a page table of 'level' (1..4): one general and one
 * type reference, kept until pv_unpin_table.  -EINVAL if the frame is not
 * d's, has another type, fails validation or is already pinned. */
int pv_pin_table(struct domain *d, mfn_t mfn, unsigned int level);
int pv_unpin_table(struct domain *d, mfn_t mfn);

/* Drop the references v's kernel and user page-table bases hold.  v must
 * not run (vCPU or domain teardown). */
void pv_release_guest_tables(struct vcpu *v);

/* Domain teardown: unpin everything d pinned, so no page-table type
 * reference of d is left.  Every vCPU's tables must be released first. */
void pv_relinquish_page_tables(struct domain *d);

/* Take a general reference and a type reference of 'type' (PGT_*) on a
 * frame d owns: -EINVAL if d does not own it or it holds another type
 * (e.g. PGT_writable_page on a page table).  Balanced by
 * put_page_and_type. */
int get_page_and_type(struct page_info *pg, struct domain *d,
                      unsigned long type);
/* Drop a type reference and then a general one (e.g. a GDT frame). */
void put_page_and_type(struct page_info *pg);

/* ---- Grant mappings (pv/grant-pte.c) ---- */

/* Point the entry host_addr names (a VA in v's current tables, or with
 * contains_pte the machine address of an L1 entry of v's domain) at
 * granter's frame mfn, read-only if flags has GNTMAP_readonly.  0 or
 * -errno (no such L1, unaligned, not the caller's L1 table). */
int arch_grant_map_host(struct vcpu *v, uint64_t addr, bool contains_pte,
                        mfn_t mfn, struct domain *granter, uint32_t flags);
/* Clear that entry (or, new_addr != 0, move the entry at VA new_addr
 * there) if it still maps mfn, then flush v's domain's TLBs.  0 or
 * -errno with nothing changed. */
int arch_grant_unmap_host(struct vcpu *v, uint64_t addr, bool contains_pte,
                          mfn_t mfn, uint64_t new_addr);

/* Audit d's reference counts if booted with mm_audit (domain shutdown
 * and destruction paths; d must not run). */
void mm_audit_at_shutdown(struct domain *d);

/* ---- The M2P table (pv/mm-m2p.c) ---- */

/* Record that machine frame mfn is d's pseudo-physical frame pfn
 * (M2P_INVALID_ENTRY: no longer any domain's).  mfn < max_mfn. */
void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);
/* Frames the table covers, the end of its guest-visible range, and the
 * machine frame backing its 2 MiB chunk i (INVALID_MFN past the end). */
unsigned long m2p_nr_frames(void);
unsigned long m2p_guest_va_end(void);
mfn_t m2p_chunk_mfn(unsigned long i);

/* ---- TLB (pv/mm-flush.c) ---- */

/* Flush all non-global TLB entries on the CPUs of cpumask (the caller's
 * included when its bit is set); returns once all have done so.  The
 * other CPUs answer an IPI, so the caller must not hold a lock they may
 * be spinning on with interrupts off. */
void flush_tlb_mask(uint64_t cpumask);
/* Every online CPU, as a mask for flush_tlb_mask. */
uint64_t pv_all_cpus(void);

/* ---- CPUs, time and the machine (apic.c, apic-timer.c, traps.c,
 *      shutdown.c, serial.c, mm-setup.c) ---- */

/* Make cpu re-check its softirqs and timers soon: a wake-up IPI if cpu is
 * online (the caller's own CPU included).  Any context. */
void cpu_kick(unsigned int cpu);

/* Program cpu's one-shot timer for 'deadline' (system time, ns;
 * STIME_MAX: none).  Called by the timer heap whenever cpu's earliest
 * deadline changes, from any CPU, with cpu's queue lock held and
 * interrupts off. */
void arch_timer_program(unsigned int cpu, s_time_t deadline);

/* Panic path: send every other CPU an NMI that stops it; does not wait.
 * Interrupts off. */
void arch_stop_other_cpus(void);
/* Power off (under test: leave QEMU with 'code'); never returns. */
void __noreturn machine_exit(unsigned int code);
/* Stop this CPU for good, interrupts off. */
void __noreturn machine_halt_cpu(void);
/* Print the call chain from frame pointer rbp (panic, BUG). */
void show_backtrace(unsigned long rbp);

/* One character of console input, or -1 if none is waiting.  Polled from
 * a timer callback. */
int arch_console_getc(void);

/* One past the highest machine frame (frames 0..max_mfn-1 have a struct
 * page_info).  Set at boot, constant after. */
extern mfn_t max_mfn;

/* Hypercall continuations (pv/continuation.c) are arch code too, declared
 * with their rules in xen/hypercall.h: hypercall_preempt_check() between
 * units of a long batch (after at least one), then
 * hypercall_create_continuation() with the progress encoded in the
 * arguments as the ABI prescribes.  Only from a hypercall of current. */

/* ---- The timer trace's scheduling steps (arch/x86/timer-trace.c) ----
 * With the boot option timer_trace, generic code records the steps of an
 * event notification on this CPU's trace ring (docs/events-and-time.md,
 * "Timer trace"); without it a trace point costs one test of a flag.  Any
 * context.  DV packs a vCPU as domain id << 16 | vCPU id. */
enum path_trace_event {
    PT_WAKE = 16,       /* a: DV woken, b: its CPU | PT_WAKE_* */
    PT_KICK,            /* a: DV an event was raised for, b: state | cpu << 8 */
    PT_SWITCH,          /* a: DV switched to, b: DV switched from | PT_BY_SLICE */
    PT_BLOCK,           /* a: DV that blocked (SCHEDOP_block) */
    PT_DESTROY,         /* a domain is destroyed (a: its id): with the
                           option timer_trace_freeze the rings stop here */
};
#define PT_WAKE_FROM_BLOCKED  0x100     /* a: was blocked (else: started) */
#define PT_BY_SLICE           (1UL << 40)
#define PT_DV(v) ((uint64_t)(v)->domain->domain_id << 16 | (v)->vcpu_id)
extern bool opt_timer_trace;
void timer_trace_record(unsigned int e, uint64_t a, uint64_t b);
static inline void path_trace(unsigned int e, uint64_t a, uint64_t b)
{
    if ( __builtin_expect(opt_timer_trace, 0) )
        timer_trace_record(e, a, b);
}

/* Guest memory access (copy_from_guest, copy_to_guest, their _index forms
 * and guest_range_ok) is arch code too, declared with its rules in
 * xen/guest_access.h. */

#endif /* XEN_ARCH_HOOKS_H */
