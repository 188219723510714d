/*
 * console_io: guests writing to (and dom0 reading from) the hypervisor
 * console.
 *
 * dom0 owns the console, as with Xen: its output goes to the serial line
 * as it is written, unprefixed, so an interactive shell works (prompts
 * have no newline).  Other domains' output (and dom0's too, with the boot
 * option dom0_console=tagged, which the guest tests use) is cut into
 * lines printed as "(dN) text", so a guest cannot forge hypervisor lines;
 * control characters other than tab become '.'.  Either way every line
 * also goes into the hypervisor log ring, tagged.
 *
 * A domain other than dom0 may print console_rate lines per second on
 * average, in bursts of up to console_burst lines; lines beyond that are
 * dropped and counted, and the next line that gets through is preceded by
 * a hypervisor line saying how many were suppressed.  The serial line is
 * slow and every CPU waits for it, so an unlimited writer would slow down
 * the whole machine.  dom0 owns the console and is not limited (the boot
 * option console_rate_dom0 limits it too, for the tests).
 *
 * Input comes from the serial line, polled every 10 ms once dom0 exists:
 * characters are queued for CONSOLEIO_read and VIRQ_CONSOLE tells dom0.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/console.h>
#include <xen/spinlock.h>
#include <xen/timer.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/arch-hooks.h>
#include <public/xen.h>

#define INPUT_POLL_NS      10000000L

static char dom0_console_mode[8] = "raw";
string_param("dom0_console", dom0_console_mode);
static unsigned int console_rate = 50;          /* lines per second; 0: off */
integer_param("console_rate", console_rate);
static unsigned int console_burst = 200;        /* lines */
integer_param("console_burst", console_burst);
static bool console_rate_dom0;
boolean_param("console_rate_dom0", console_rate_dom0);

static char input_ring[CONSOLE_INPUT_RING];
static unsigned int input_head, input_tail;     /* head: next to read */
static DEFINE_SPINLOCK(input_lock);
static struct timer input_timer;

static bool console_is_raw(const struct domain *d)
{
    return d == hardware_domain && strcmp(dom0_console_mode, "tagged");
}

/*
 * May d print a line now?  Each line moves console_next_due on by one
 * interval (1/console_rate s); a line is allowed while that stays within
 * a burst of now.  d->lock held.
 */
static bool console_line_allowed(struct domain *d)
{
    s_time_t now, interval;

    if ( console_rate == 0 ||
         (d == hardware_domain && !console_rate_dom0) )
        return true;
    now = NOW();
    interval = 1000000000L / console_rate;
    if ( d->console_next_due < now )
        d->console_next_due = now;
    if ( d->console_next_due - now > (s_time_t)console_burst * interval )
        return false;
    d->console_next_due += interval;
    return true;
}

static void flush_line(struct domain *d)
{
    if ( !console_line_allowed(d) )
    {
        d->console_suppressed++;
        d->console_len = 0;
        return;
    }
    if ( d->console_suppressed )
    {
        printk(XENLOG_GUEST XENLOG_WARNING "d%u: console rate limit: %lu lines "
               "suppressed\n", d->domain_id, d->console_suppressed);
        d->console_suppressed = 0;
    }
    if ( console_is_raw(d) )
    {
        char line[sizeof(d->console_line) + 16];
        int n = snprintf(line, sizeof(line), "(d%u) %.*s\n", d->domain_id,
                         (int)d->console_len, d->console_line);

        console_log_line(line, min((size_t)n, sizeof(line) - 1));
    }
    else
        printk("(d%u) %.*s\n", d->domain_id, (int)d->console_len,
               d->console_line);
    d->console_len = 0;
}

static void guest_console_put(struct domain *d, const char *s, size_t n)
{
    if ( console_is_raw(d) )
        console_write_raw(s, n);
    for ( size_t i = 0; i < n; i++ )
    {
        char c = s[i];

        if ( c == '\n' )
        {
            flush_line(d);
            continue;
        }
        if ( c == '\r' )
            continue;
        if ( (unsigned char)c < 0x20 && c != '\t' )
            c = '.';
        if ( d->console_len == sizeof(d->console_line) )
            flush_line(d);
        d->console_line[d->console_len++] = c;
    }
}

static long console_write(uint64_t buf, unsigned long count)
{
    struct domain *d = current->domain;
    char chunk[256];
    unsigned long done = 0;

    if ( count > CONSOLE_WRITE_MAX )
        count = CONSOLE_WRITE_MAX;
    while ( done < count )
    {
        size_t n = min(count - done, (unsigned long)sizeof(chunk));

        if ( copy_from_guest(chunk, buf + done, n) )
            return -EFAULT;
        spin_lock(&d->lock);
        guest_console_put(d, chunk, n);
        spin_unlock(&d->lock);
        done += n;
    }
    return 0;
}

void console_input_put(char c)
{
    unsigned long flags;

    spin_lock_irqsave(&input_lock, flags);
    if ( input_tail - input_head < CONSOLE_INPUT_RING )
        input_ring[input_tail++ % CONSOLE_INPUT_RING] = c;
    spin_unlock_irqrestore(&input_lock, flags);
}

static void input_poll(void *data)
{
    bool got = false;
    int c;

    while ( (c = arch_console_getc()) >= 0 )
    {
        console_input_put((char)c);
        got = true;
    }
    if ( got && hardware_domain )
        send_guest_global_virq(hardware_domain, VIRQ_CONSOLE);
    set_timer(&input_timer, NOW() + INPUT_POLL_NS);
}

/* Called once dom0 exists: from now on serial input is dom0's. */
void console_input_start(void)
{
    init_timer(&input_timer, input_poll, NULL, 0);
    set_timer(&input_timer, NOW() + INPUT_POLL_NS);
}

static long console_read(uint64_t buf, unsigned long count)
{
    char chunk[CONSOLE_INPUT_RING];
    unsigned int n = 0;
    unsigned long flags;

    if ( !current->domain->is_privileged )
        return -EPERM;
    spin_lock_irqsave(&input_lock, flags);
    while ( n < count && n < sizeof(chunk) && input_head != input_tail )
        chunk[n++] = input_ring[input_head++ % CONSOLE_INPUT_RING];
    spin_unlock_irqrestore(&input_lock, flags);
    if ( n && copy_to_guest(buf, chunk, n) )
        return -EFAULT;
    return n;
}

HYPERCALL(console_io)
{
    switch ( a1 )
    {
    case CONSOLEIO_write:
        return console_write(a3, a2);
    case CONSOLEIO_read:
        return console_read(a3, a2);
    default:
        return -ENOSYS;
    }
}
