/*
 * Starting the secondary CPUs.
 *
 * For each CPU the MADT listed, one at a time: give it a stack block, put
 * the trampoline's parameters in place, send INIT then two STARTUPs (the
 * Intel MP protocol), and wait for the CPU to say it is online.  A CPU
 * that does not answer within a second is reported and left out.
 */
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/timer.h>
#include <xen/spinlock.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smpboot.h>
#include <asm/time.h>
#include <asm/tlbclock.h>

unsigned int nr_cpu_ids = 1;
volatile uint64_t cpu_online_mask = 1;

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

/* Where the running AP says it got to (for the timeout message). */
static volatile unsigned int ap_stage;

void cpu_init_percpu(unsigned int cpu);

void __noreturn start_secondary(unsigned int cpu)
{
    ap_stage = 1;
    desc_init_cpu(cpu, cpu_stack_block[cpu]);
    gdt_window_activate(cpu);
    lapic_init_cpu();
    apic_timer_init_cpu();
    cpu_init_percpu(cpu);
    ap_stage = 2;
    /* On the hypervisor's tables, never a guest's: nothing to flush here
     * for a frame any guest gives back (asm/tlbclock.h). */
    __atomic_store_n(&tlbflush_time[cpu], TLBFLUSH_TIME_IDLE, __ATOMIC_RELEASE);
    __atomic_or_fetch(&cpu_online_mask, 1UL << cpu, __ATOMIC_SEQ_CST);
    reset_stack_and_idle();
}

static bool boot_one_cpu(unsigned int cpu)
{
    struct trampoline_params *tp = maddr_to_virt(
        TRAMPOLINE_PA + (trampoline_params - trampoline_start));
    void *block = alloc_xenheap_pages(STACK_ORDER);
    struct cpu_info *ci;
    uint64_t deadline;
    unsigned int apic_id = cpu_apic_id[cpu];

    if ( !block )
    {
        printk(XENLOG_ERR "CPU %u: no memory for its stack\n", cpu);
        return false;
    }
    memset(block, 0, STACK_SIZE);
    ci = (struct cpu_info *)((char *)block + STACK_SIZE) - 1;
    ci->cpu_id = cpu;
    ci->apic_id = apic_id;
    cpu_stack_block[cpu] = block;
    stack_guards_install(cpu);          /* after the memset above */

    tp->cr3 = (uint32_t)read_cr3();
    tp->cr4 = (uint32_t)read_cr4();
    tp->efer = (uint32_t)rdmsr(MSR_EFER);
    tp->cpu = cpu;
    tp->stack = (unsigned long)ci & ~15UL;
    tp->entry = (unsigned long)start_secondary;
    ap_stage = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    apic_send_ipi(apic_id, APIC_DM_INIT | APIC_ICR_LEVEL | APIC_ICR_ASSERT);
    udelay(10000);
    for ( unsigned int i = 0; i < 2; i++ )
    {
        apic_send_ipi(apic_id, APIC_DM_STARTUP | (TRAMPOLINE_PA >> 12));
        udelay(200);
    }

    deadline = rdtsc() + cpu_khz * 1000;        /* one second */
    while ( !cpu_online(cpu) )
    {
        if ( (int64_t)(rdtsc() - deadline) > 0 )
        {
            printk(XENLOG_ERR "CPU %u (APIC id %u) did not come online "
                   "(reached stage %u)\n", cpu, apic_id, ap_stage);
            return false;
        }
        cpu_relax();
    }
    return true;
}

void smp_boot_cpus(void)
{
    size_t len = trampoline_end - trampoline_start;

    BUG_ON(len > PAGE_SIZE);
    memcpy(maddr_to_virt(TRAMPOLINE_PA), trampoline_start, len);

    for ( unsigned int cpu = 1; cpu < nr_cpu_ids; cpu++ )
        boot_one_cpu(cpu);

    /* The 1:1 map of low memory was only for the trampoline. */
    idle_pg_table[0] = 0;
    flush_tlb_local();
    printk("SMP: %u of %u CPU(s) online\n", num_online_cpus(), nr_cpu_ids);
}
