/* Link map of the hypervisor image (see asm/config.h for the layout).
 * The small .boot part runs at its load (physical) address; everything
 * else is linked at XEN_VIRT_START + its load address. */
#include <asm/config.h>

OUTPUT_FORMAT("elf64-x86-64", "elf64-x86-64", "elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start32)

PHDRS
{
    boot PT_LOAD FLAGS(7);
    text PT_LOAD FLAGS(5);
    rodata PT_LOAD FLAGS(4);
    data PT_LOAD FLAGS(6);
}

SECTIONS
{
    . = XEN_LOAD_PADDR;
    __image_start_pa = .;
    .boot : {
        *(.multiboot2)
        *(.text.boot)
        *(.data.boot)
        . = ALIGN(4096);
        *(.bss.boot)
        . = ALIGN(4096);
    } :boot

    . += XEN_VIRT_START;
    .text : AT(ADDR(.text) - XEN_VIRT_START) {
        _stext = .;
        *(.text .text.*)
        *(.fixup)
        . = ALIGN(4096);
        _etext = .;
    } :text

    .rodata : AT(ADDR(.rodata) - XEN_VIRT_START) {
        _srodata = .;
        *(.rodata .rodata.*)
        . = ALIGN(8);
        __start_xen_params = .;
        KEEP(*(xen_params))
        __stop_xen_params = .;
        . = ALIGN(8);
        __initcalls_start = .;
        KEEP(*(.initcalls))
        __initcalls_end = .;
        . = ALIGN(8);
        __start_ex_table = .;
        KEEP(*(.ex_table))
        __stop_ex_table = .;
        . = ALIGN(4096);
        _erodata = .;
    } :rodata

    .data : AT(ADDR(.data) - XEN_VIRT_START) {
        _sdata = .;
        *(.data .data.*)
        . = ALIGN(4096);
        _edata = .;
    } :data

    .bss (NOLOAD) : AT(ADDR(.bss) - XEN_VIRT_START) {
        __bss_start = .;
        *(.bss .bss.*)
        *(COMMON)
        . = ALIGN(4096);
        __bss_end = .;
    } :data

    _end = .;
    __image_end_pa = . - XEN_VIRT_START;
    /* The image's first byte at its high address (C code is PC-relative
     * and cannot reach the low __image_start_pa). */
    __image_start = __image_start_pa + XEN_VIRT_START;

    /DISCARD/ : {
        *(.eh_frame)
        *(.note.*)
        *(.comment)
        *(.discard)
    }
}
