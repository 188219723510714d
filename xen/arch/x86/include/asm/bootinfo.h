/* What the boot loader told us, copied out of the multiboot2 information
 * before any memory is reused (arch/x86/multiboot.c). */
#ifndef X86_BOOTINFO_H
#define X86_BOOTINFO_H

#include <xen/types.h>

#define BOOT_MAX_MMAP     128
#define BOOT_MAX_MODULES  16
#define BOOT_CMDLINE_MAX  1024
#define BOOT_MODSTR_MAX   1024

/* E820 types, as multiboot2 reports them. */
#define E820_RAM          1
#define E820_RESERVED     2
#define E820_ACPI         3
#define E820_NVS          4
#define E820_UNUSABLE     5

struct boot_mmap_entry {
    paddr_t addr;
    uint64_t size;
    uint32_t type;
};

struct boot_module {
    paddr_t start;
    paddr_t end;                    /* exclusive */
    char cmdline[BOOT_MODSTR_MAX];
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[64];
    unsigned int nr_mmap;
    struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    uint8_t rsdp[64];               /* copy of the ACPI RSDP, if given */
    unsigned int rsdp_len;
};

extern struct boot_info boot_info;

/* Parse the multiboot2 information at physical address mbi_pa (reachable
 * through the boot direct map).  Returns 0 or a negative errno after
 * printing why. */
int multiboot2_parse(paddr_t mbi_pa);

#endif /* X86_BOOTINFO_H */
