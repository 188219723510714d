/*
 * 16550 UART on COM1, polled: the hypervisor's console device.
 *
 * Polled output keeps the early boot and panic paths free of interrupts;
 * console input (for guests' console_io read) will add an interrupt later.
 * Options: com1=<baud> (default 115200); console=com1|none.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/console.h>
#include <asm/io.h>

#define COM1        0x3f8
#define UART_THR    0       /* transmit holding */
#define UART_RBR    0       /* receive buffer */
#define UART_IER    1
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define UART_DLL    0
#define UART_DLM    1
#define LSR_THRE    0x20
#define LSR_DR      0x01

static unsigned int com1_baud = 115200;
integer_param("com1", com1_baud);

static bool uart_present;

static void uart_putc(char c)
{
    unsigned int spins = 0;

    /* Bounded wait: a missing UART must not hang the hypervisor. */
    while ( !(inb(COM1 + UART_LSR) & LSR_THRE) && ++spins < 100000 )
        ;
    outb(COM1 + UART_THR, (uint8_t)c);
}

static void uart_write(const char *s, size_t len)
{
    if ( !uart_present )
        return;
    for ( size_t i = 0; i < len; i++ )
    {
        if ( s[i] == '\n' )
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

int arch_console_getc(void)
{
    if ( !uart_present || !(inb(COM1 + UART_LSR) & LSR_DR) )
        return -1;
    return inb(COM1 + UART_RBR);
}

static const struct console_sink uart_sink = {
    .name = "com1",
    .write = uart_write,
};

void serial_init(void)
{
    unsigned int div = 115200 / (com1_baud ? com1_baud : 115200);

    /* Scratch register test: no UART, no output (and no hang). */
    outb(COM1 + 7, 0x5a);
    if ( inb(COM1 + 7) != 0x5a )
        return;

    outb(COM1 + UART_IER, 0);           /* no interrupts */
    outb(COM1 + UART_LCR, 0x80);        /* DLAB on */
    outb(COM1 + UART_DLL, div & 0xff);
    outb(COM1 + UART_DLM, (div >> 8) & 0xff);
    outb(COM1 + UART_LCR, 0x03);        /* 8N1, DLAB off */
    outb(COM1 + UART_FCR, 0x07);        /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03);        /* DTR | RTS */
    uart_present = true;
    console_register_sink(&uart_sink);
}
