/* Local APIC (xAPIC, memory-mapped) and the IPIs built on it. */
#ifndef X86_APIC_H
#define X86_APIC_H

#include <xen/types.h>

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_LDR       0x0d0
#define APIC_DFR       0x0e0
#define APIC_SVR       0x0f0
#define APIC_ESR       0x280
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMR_INIT  0x380
#define APIC_TMR_CUR   0x390
#define APIC_TMR_DIV   0x3e0

#define APIC_LVT_MASKED    (1u << 16)
#define APIC_DM_NMI        (4u << 8)
#define APIC_DM_INIT       (5u << 8)
#define APIC_DM_STARTUP    (6u << 8)
#define APIC_ICR_BUSY      (1u << 12)
#define APIC_ICR_ASSERT    (1u << 14)
#define APIC_ICR_LEVEL     (1u << 15)
#define APIC_DEST_SELF     (1u << 18)
#define APIC_DEST_ALLBUT   (3u << 18)

extern paddr_t lapic_phys;

uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
static inline void apic_eoi(void) { apic_write(APIC_EOI, 0); }
/* The initial APIC id from CPUID, usable before the APIC is mapped. */
unsigned int apic_read_id_early(void);

/* Map the local APIC and enable it on the calling CPU. */
void lapic_map(void);
void lapic_init_cpu(void);
/* Send vector (or a delivery mode such as APIC_DM_NMI) to one APIC id. */
void apic_send_ipi(unsigned int apic_id, uint32_t icr_lo);
void apic_send_ipi_allbutself(uint32_t icr_lo);
/* Wake/kick another CPU so it re-reads its timer heap. */
void cpu_kick(unsigned int cpu);

/* CPUs found in the ACPI MADT (acpi.c). */
extern unsigned int cpu_apic_id[];

#endif /* X86_APIC_H */
