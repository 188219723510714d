/* The parts of ACPI the hypervisor reads: the MADT (CPUs, local APIC and
 * IO-APIC addresses) and the FADT/DSDT (how to power off). */
#ifndef X86_ACPI_H
#define X86_ACPI_H

#include <xen/types.h>

struct acpi_info {
    paddr_t lapic_addr;
    unsigned int nr_cpus;               /* enabled CPUs in the MADT */
    unsigned int nr_ioapics;
    paddr_t ioapic_addr[8];
    uint16_t pm1a_cnt, pm1b_cnt;        /* PM1 control ports (0: none) */
    bool s5_valid;
    uint8_t s5_typa, s5_typb;
    /* The FADT's reset register, when it is a port (RESET_REG_SUP and
     * System I/O space; 0: none). */
    uint16_t reset_port;
    uint8_t reset_value;
    char oem_id[7];
};

extern struct acpi_info acpi_info;

/* Find and parse the tables.  Returns 0, or -ENOENT when there is no
 * usable ACPI (then the boot CPU runs alone). */
int acpi_init(void);
/* Enter S5 if the tables said how; returns if it could not. */
void acpi_poweroff(void);
/* S5's SLP_TYP values from dom0, if the DSDT scan found none. */
void acpi_s5_fallback(uint8_t typa, uint8_t typb);
/* Write the FADT's reset value to its reset register if there is one;
 * returns if the machine did not reset. */
void acpi_reset(void);

#endif /* X86_ACPI_H */
