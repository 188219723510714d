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
#include <asm/extable.h>
#include <asm/flushtlb.h>
#include <asm/fpu.h>
#include <asm/domain.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/io-bitmap.h>
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
    fpu_save_image(v->arch.fpu_area);
    v->arch.fpu_initialised = true;
}

static void fpu_restore(struct vcpu *v)
{
    __asm__ __volatile__("clts");
    if ( !v->arch.fpu_initialised )
        __asm__ __volatile__("fninit");
    else if ( !fpu_load_image(v->arch.fpu_area) )
    {
        /* Every accepted image was sanitised, so this is a hole in that:
         * correct the guest (fresh FPU state) rather than fault here. */
        printk(XENLOG_WARNING "d%u v%u: the CPU refused the saved FPU image "
               "(fxrstor faulted); FPU state reset\n",
               v->domain->domain_id, v->vcpu_id);
        fpu_load_default();
        v->arch.fpu_initialised = false;
    }
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

/*
 * A selector load that faults (the guest's descriptor is bad, absent or
 * beyond its GDT) loads the null selector instead; evaluates to false then.
 */
#define load_selector(seg, val)                                             \
    ({                                                                      \
        unsigned int sel_ = (val);                                          \
        bool ok_ = true;                                                    \
        __asm__ __volatile__(                                               \
            "1: mov %k1, %%" #seg "\n"                                      \
            "2:\n"                                                          \
            ".pushsection .fixup, \"ax\"\n"                                 \
            "3: xorl %k1, %k1\n"                                            \
            "   mov %k1, %%" #seg "\n"                                      \
            "   movb $0, %0\n"                                              \
            "   jmp 2b\n"                                                   \
            ".popsection\n"                                                 \
            EXTABLE_ENTRY(1b, 3b)                                           \
            : "+qm"(ok_), "+r"(sel_));                                      \
        ok_;                                                                \
    })

/* Each value is guest-controlled (setvcpucontext, restore, set_segment_base
 * paths).  A value the CPU refuses is corrected, in the vCPU too so the
 * next switch does not meet it again, and logged. */
static void refused_segment(const struct vcpu *v, const char *what,
                            unsigned long val)
{
    printk(XENLOG_WARNING "d%u v%u: the CPU refused %s %#lx on context "
           "switch; loaded 0 instead\n", v->domain->domain_id, v->vcpu_id,
           what, val);
}

static void load_base(struct vcpu *v, uint32_t msr, uint64_t *base,
                      const char *what)
{
    if ( wrmsr_safe(msr, *base) )
    {
        refused_segment(v, what, *base);
        *base = 0;
        wrmsr(msr, 0);
    }
}

static void load_segments(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    if ( !load_selector(ds, a->ds) )
        refused_segment(v, "DS selector", a->ds), a->ds = 0;
    if ( !load_selector(es, a->es) )
        refused_segment(v, "ES selector", a->es), a->es = 0;
    if ( !load_selector(fs, a->fs) )
        refused_segment(v, "FS selector", a->fs), a->fs = 0;
    if ( !load_selector(gs, a->gs) )
        refused_segment(v, "GS selector", a->gs), a->gs = 0;
    /* Bases after selectors: a selector load resets the base. */
    load_base(v, MSR_FS_BASE, &a->fs_base, "FS base");
    load_base(v, a->kernel_mode ? MSR_GS_BASE : MSR_KERNEL_GS_BASE,
              &a->gs_base_kernel, "kernel GS base");
    load_base(v, a->kernel_mode ? MSR_KERNEL_GS_BASE : MSR_GS_BASE,
              &a->gs_base_user, "user GS base");
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

    /* From here on this CPU no longer uses prev's page tables (the CR3
     * write flushes its TLB entries), and prev's registers, segments, FPU
     * image and debug registers are in prev->arch: the scheduler may move
     * prev to another CPU (sched_context_saved). */
    if ( next->is_idle )
    {
        write_cr3_idle(__pa_image(idle_pg_table));
        sched_context_saved(prev);
        __asm__ __volatile__("mov %0, %%rsp; jmp idle_loop" :: "r"(frame));
        __builtin_unreachable();
    }

    write_cr3_flush(vcpu_cr3(next));
    sched_context_saved(prev);
    gdt_window_load(cpu, next);
    io_bitmap_switch_to(next);
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
    /* Guest user mode shares ring 3 with the kernel: no bitmap there. */
    io_bitmap_sync(v);
}

/* CPU features the guests rely on, for every CPU. */
void cpu_init_guest_features(void)
{
    write_cr0((read_cr0() | X86_CR0_MP | X86_CR0_NE) & ~X86_CR0_EM);
    write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}
