/*
 * printf for test kernels: our own small formatter and a line buffer that
 * leaves through console_io(CONSOLEIO_write), one hypercall per line.
 */
#include "guest.h"

long console_last_rc;

static char line[512];
static size_t line_len;

/*
 * One line buffer for every vCPU: whole printf()s are serialised.  The
 * owner may take it again (a trap handler printing on the vCPU that was
 * interrupted in printf); its text then lands inside the other line.
 */
static volatile unsigned int console_owner = ~0u;
static unsigned int console_depth;

static void console_lock(void)
{
    unsigned int me = smp_cpu_id(), spins = 0;

    if (__atomic_load_n(&console_owner, __ATOMIC_ACQUIRE) == me) {
        console_depth++;
        return;
    }
    for (;;) {
        unsigned int free = ~0u;

        if (__atomic_compare_exchange_n(&console_owner, &free, me, 0,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
        if (++spins % 1024 == 0)
            hv_sched_op(SCHEDOP_yield, NULL);
        else
            cpu_relax();
    }
    console_depth = 1;
}

static void console_unlock(void)
{
    if (--console_depth == 0)
        __atomic_store_n(&console_owner, ~0u, __ATOMIC_RELEASE);
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_number(struct out *o, uint64_t v, unsigned int base, int neg,
                       int width, char pad, int alt)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (alt && base == 16) {
        digits[n++] = 'x';
        digits[n++] = '0';
    }
    if (neg)
        digits[n++] = '-';
    for (; width > n; width--)
        put(o, pad);
    while (n)
        put(o, digits[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        int lng = 0, width = 0, alt = 0;
        char pad = ' ';
        uint64_t u;
        int64_t s;
        const char *str;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        if (*fmt == '#') {
            alt = 1;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i':
            s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_number(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10, s < 0,
                       width, pad, 0);
            break;
        case 'u':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_number(&o, u, 10, 0, width, pad, 0);
            break;
        case 'x':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_number(&o, u, 16, 0, width, pad, alt);
            break;
        case 'p':
            put_number(&o, (uint64_t)va_arg(ap, void *), 16, 0, 0, ' ', 1);
            break;
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 's':
            str = va_arg(ap, const char *);
            if (!str)
                str = "(null)";
            while (*str)
                put(&o, *str++);
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            fmt--;
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void console_flush_locked(void)
{
    if (line_len) {
        console_last_rc = hv_console_write(line, line_len);
        line_len = 0;
    }
}

void console_flush(void)
{
    console_lock();
    console_flush_locked();
    console_unlock();
}

static void console_putc(char c)
{
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof(line))
        console_flush_locked();
}

void console_puts(const char *s)
{
    console_lock();
    while (*s)
        console_putc(*s++);
    console_unlock();
}

int printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_puts(buf);
    return n;
}
