/*
 * x86 vCPU state and the context switch.
 *
 * The hypervisor itself never uses FS, GS, the FPU or the LDT, so a guest's
 * values stay loaded while it is in the hypervisor and are saved and
 * restored only when the CPU switches to another vCPU.  Guest general
 * registers live in the frame at the top of the CPU's stack while the vCPU
 * runs (guest_cpu_regs()) and in v->arch.regs while it does not.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/perfc.h>
#include <xen/arch-hooks.h>
#include <asm/desc.h>
#include <asm/flushtlb.h>
#include <asm/domain.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/processor.h>
#include <asm/setup.h>

void __noreturn ret_to_guest(void);
void update_vcpu_system_time(struct vcpu *v);
void vcpu_runstate_publish(struct vcpu *v);
void vcpu_time_area_publish(struct vcpu *v);

int arch_vcpu_create(struct vcpu *v)
{
    struct cpu_regs *r = &v->arch.regs;

    memset(r, 0, sizeof(*r));
    r->cs = FLAT_RING3_CS64;
    r->ss = FLAT_RING3_DS32;
    r->rflags = X86_EFLAGS_IF | 0x2;
    v->arch.kernel_mode = true;
    return 0;
}

static void fpu_save(struct vcpu *v)
{
    __asm__ __volatile__("clts; fxsaveq %0" : "=m"(v->arch.fpu_area));
    v->arch.fpu_initialised = true;
}

static void fpu_restore(struct vcpu *v)
{
    __asm__ __volatile__("clts");
    if ( v->arch.fpu_initialised )
        __asm__ __volatile__("fxrstorq %0" :: "m"(v->arch.fpu_area));
    else
        __asm__ __volatile__("fninit");
    if ( v->arch.fpu_ts )
        write_cr0(read_cr0() | X86_CR0_TS);
}

static void save_segments(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    __asm__ __volatile__("mov %%ds, %0" : "=m"(a->ds));
    __asm__ __volatile__("mov %%es, %0" : "=m"(a->es));
    __asm__ __volatile__("mov %%fs, %0" : "=m"(a->fs));
    __asm__ __volatile__("mov %%gs, %0" : "=m"(a->gs));
    a->fs_base = rdmsr(MSR_FS_BASE);
    if ( a->kernel_mode )
    {
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
        a->gs_base_user = rdmsr(MSR_KERNEL_GS_BASE);
    }
    else
    {
        a->gs_base_user = rdmsr(MSR_GS_BASE);
        a->gs_base_kernel = rdmsr(MSR_KERNEL_GS_BASE);
    }
}

/* A selector load that faults (bad guest descriptor) loads 0 instead. */
#define load_selector(seg, val)                                             \
    __asm__ __volatile__(                                                   \
        "1: mov %0, %%" #seg "\n"                                           \
        "2:\n"                                                              \
        ".pushsection .fixup, \"ax\"\n"                                     \
        "3: xorl %k0, %k0\n"                                                \
        "   mov %k0, %%" #seg "\n"                                          \
        "   jmp 2b\n"                                                       \
        ".popsection\n"                                                     \
        ".pushsection .ex_table, \"a\"\n"                                   \
        ".balign 8\n"                                                       \
        ".quad 1b, 3b\n"                                                    \
        ".popsection\n"                                                     \
        :: "r"((unsigned int)(val)))

static void load_segments(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    load_selector(ds, a->ds);
    load_selector(es, a->es);
    load_selector(fs, a->fs);
    load_selector(gs, a->gs);
    /* Bases after selectors: a selector load resets the base. */
    wrmsr(MSR_FS_BASE, a->fs_base);
    wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
    wrmsr(MSR_KERNEL_GS_BASE,
          a->kernel_mode ? a->gs_base_user : a->gs_base_kernel);
}

/* Point this CPU's GDT window pages 0-13 at v's GDT frames (or the zero
 * page beyond them). */
void gdt_window_load(unsigned int cpu, const struct vcpu *v);

/* The CR3 value for v's current mode. */
unsigned long vcpu_cr3(const struct vcpu *v)
{
    mfn_t m = v->arch.kernel_mode ? v->arch.guest_table
                                  : v->arch.guest_table_user;
    return (unsigned long)m << PAGE_SHIFT;
}

void __noreturn context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct cpu_regs *frame = guest_cpu_regs();
    unsigned int cpu = smp_processor_id();

    local_irq_disable();
    perfc_incr(PERFC_context_switches);
    if ( !prev->is_idle )
    {
        prev->arch.regs = *frame;
        save_segments(prev);
        fpu_save(prev);
        pv_debugregs_switch_from(prev);
    }
    get_cpu_info()->current_vcpu = next;

    if ( next->is_idle )
    {
        write_cr3_flush(__pa_image(idle_pg_table));
        __asm__ __volatile__("mov %0, %%rsp; jmp idle_loop" :: "r"(frame));
        __builtin_unreachable();
    }

    write_cr3_flush(vcpu_cr3(next));
    gdt_window_load(cpu, next);
    load_segments(next);
    fpu_restore(next);
    pv_debugregs_switch_to(next);
    *frame = next->arch.regs;
    update_vcpu_system_time(next);
    /* The runstate area is a guest kernel address: publish it on the
     * kernel page tables. */
    if ( !next->arch.kernel_mode )
        write_cr3_flush((unsigned long)next->arch.guest_table << PAGE_SHIFT);
    vcpu_runstate_publish(next);
    vcpu_time_area_publish(next);
    if ( !next->arch.kernel_mode )
        write_cr3_flush(vcpu_cr3(next));
    __asm__ __volatile__("mov %0, %%rsp; jmp ret_to_guest" :: "r"(frame));
    __builtin_unreachable();
}

/* Guest kernel <-> guest user: page tables and the two GS bases. */
void toggle_guest_mode(struct vcpu *v)
{
    v->arch.kernel_mode = !v->arch.kernel_mode;
    __asm__ __volatile__("swapgs");
    write_cr3_flush(vcpu_cr3(v));
}

/* CPU features the guests rely on, for every CPU. */
void cpu_init_guest_features(void)
{
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE) & ~X86_CR0_EM);
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}
