/*
 * Local APIC: enable it on each CPU and send IPIs.
 *
 * xAPIC mode through its MMIO page, mapped uncached.  Every CPU sees its
 * own APIC at the same physical address, so one mapping serves all.
 */
#include <xen/lib.h>
#include <xen/smp.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/irq-pirq.h>
#include <asm/irq.h>
#include <asm/page.h>
#include <asm/processor.h>

paddr_t lapic_phys = 0xfee00000;
static volatile uint32_t *lapic;

uint32_t apic_read(unsigned int reg)
{
    return lapic[reg / 4];
}

void apic_write(unsigned int reg, uint32_t v)
{
    lapic[reg / 4] = v;
}

unsigned int apic_read_id_early(void)
{
    uint32_t a, b, c, d;

    cpuid(1, &a, &b, &c, &d);
    return b >> 24;
}

static void apic_spurious(struct cpu_regs *r)
{
    /* No EOI for spurious interrupts, by definition. */
}

static void apic_error(struct cpu_regs *r)
{
    uint32_t esr;

    apic_write(APIC_ESR, 0);
    esr = apic_read(APIC_ESR);
    apic_eoi();
    printk(XENLOG_WARNING "CPU %u: APIC error, ESR %#x\n",
           smp_processor_id(), esr);
}

void lapic_map(void)
{
    if ( acpi_info.lapic_addr )
        lapic_phys = acpi_info.lapic_addr;
    lapic = ioremap(lapic_phys, PAGE_SIZE);
    BUG_ON(!lapic);
    set_irq_handler(VECTOR_SPURIOUS, apic_spurious);
    set_irq_handler(VECTOR_APIC_ERROR, apic_error);
    pirq_init();                        /* device vectors (irq-pirq.c) */
}

void lapic_init_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    /* Global enable, xAPIC mode, at the address we mapped. */
    wrmsr(MSR_APIC_BASE, (base & 0xfffUL & ~(1UL << 10)) | (1UL << 11) |
                         lapic_phys);
    apic_write(APIC_TPR, 0);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT_LINT1, smp_processor_id() == 0 ? APIC_DM_NMI
                                                       : APIC_LVT_MASKED);
    apic_write(APIC_LVT_ERROR, VECTOR_APIC_ERROR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
    apic_eoi();
}

static void icr_wait(void)
{
    for ( unsigned int i = 0; i < 1000000; i++ )
        if ( !(apic_read(APIC_ICR_LO) & APIC_ICR_BUSY) )
            return;
    printk(XENLOG_WARNING "APIC: ICR stayed busy\n");
}

void apic_send_ipi(unsigned int apic_id, uint32_t icr_lo)
{
    unsigned long flags = local_irq_save();

    icr_wait();
    apic_write(APIC_ICR_HI, apic_id << 24);
    apic_write(APIC_ICR_LO, icr_lo);
    icr_wait();
    local_irq_restore(flags);
}

void apic_send_ipi_allbutself(uint32_t icr_lo)
{
    unsigned long flags = local_irq_save();

    icr_wait();
    apic_write(APIC_ICR_LO, APIC_DEST_ALLBUT | icr_lo);
    icr_wait();
    local_irq_restore(flags);
}

void cpu_kick(unsigned int cpu)
{
    if ( cpu_online(cpu) )
        apic_send_ipi(cpu_apic_id[cpu], VECTOR_IPI_WAKE);
}

/* Panic path: NMI every other CPU; their NMI handler halts them because
 * panic_in_progress is set. */
void arch_stop_other_cpus(void)
{
    if ( lapic && num_online_cpus() > 1 )
        apic_send_ipi_allbutself(APIC_DM_NMI);
}
