/* Host stand-in for asm/io.h: port I/O goes to the harness's emulated
 * CMOS (ports 0x70/0x71); anything else fails the test case. */
#ifndef X86_IO_H
#define X86_IO_H

#include <xen/types.h>

void outb(uint16_t port, uint8_t v);
uint8_t inb(uint16_t port);

#endif /* X86_IO_H */
