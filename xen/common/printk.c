/*
 * printk: formatted messages to the console sinks and the log ring.
 *
 * Each output line carries "(XEN) [   s.micros] " so serial logs from
 * different boots line up and tests can read boot-relative times.  The
 * log ring (see console.h) keeps whole lines; partial printk() calls are
 * assembled into one line before they are stored.
 *
 * Options: loglvl=err|warning|info|debug (or 0-3; default info),
 *          console=com1|none (comma-separated),
 *          guest_loglvl=quiet|all: messages tagged XENLOG_GUEST that a
 *          domU caused go to the log ring only (quiet, the default: they
 *          would land in the middle of dom0's shell; `xenctl log` shows
 *          them) or also to the console (all).  Either way at most
 *          GUEST_RATE such lines per second per domain are kept; the rest
 *          are counted and reported by one line when the next one passes.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/console.h>
#include <xen/spinlock.h>
#include <xen/sched.h>

#define MAX_SINKS       4
#define LINE_MAX        512

static const struct console_sink *sinks[MAX_SINKS];
static unsigned int nr_sinks;
static bool console_muted;
static DEFINE_SPINLOCK(console_lock);
s_time_t (*console_time_source)(void);

static unsigned int loglvl = 2;

static int parse_loglvl(const char *v)
{
    static const char *const names[] = { "err", "warning", "info", "debug" };
    unsigned long n;

    if ( !v )
        return -1;
    for ( unsigned int i = 0; i < ARRAY_SIZE(names); i++ )
        if ( !strcmp(v, names[i]) )
        {
            loglvl = i;
            return 0;
        }
    if ( parse_ulong(v, 10, &n, NULL) == 0 && n <= 3 )
    {
        loglvl = n;
        return 0;
    }
    return -1;
}
custom_param("loglvl", parse_loglvl);

static int parse_console(const char *v)
{
    if ( !v )
        return -1;
    /* com1 is the only device so far; "none" silences the serial line but
     * keeps the log ring. */
    if ( !strcmp(v, "none") )
        console_muted = true;
    else if ( strcmp(v, "com1") )
        return -1;
    return 0;
}
custom_param("console", parse_console);

static bool guest_to_console;

static int parse_guest_loglvl(const char *v)
{
    if ( !v )
        return -1;
    if ( !strcmp(v, "all") )
        guest_to_console = true;
    else if ( !strcmp(v, "quiet") )
        guest_to_console = false;
    else
        return -1;
    return 0;
}
custom_param("guest_loglvl", parse_guest_loglvl);

/* Per-domain budget for guest-caused lines: a small table, reused
 * oldest-first; a domain that lost its slot just starts a new window. */
#define GUEST_RATE      20              /* lines per second per domain */
#define GUEST_SLOTS     8
static struct {
    domid_t domid;
    bool used;
    s_time_t window;                    /* start of the current second */
    unsigned int lines;
    unsigned long dropped;
} guest_slots[GUEST_SLOTS];

void console_register_sink(const struct console_sink *sink)
{
    if ( nr_sinks < MAX_SINKS )
        sinks[nr_sinks++] = sink;
}

void console_force_unlock(void)
{
    spin_lock_init(&console_lock);
}

/* ---- log ring --------------------------------------------------------- */

/* Records: [u64 seq][u16 len][len bytes], packed end to end, wrapping. */
#define REC_HDR 10
static uint8_t log_ring[LOG_RING_SIZE];
static size_t ring_head, ring_used;     /* oldest record; bytes in use */
static uint64_t ring_first_seq, ring_next_seq;

static void ring_copy_in(size_t pos, const void *src, size_t n)
{
    const uint8_t *s = src;
    for ( size_t i = 0; i < n; i++ )
        log_ring[(pos + i) % LOG_RING_SIZE] = s[i];
}

static void ring_copy_out(void *dst, size_t pos, size_t n)
{
    uint8_t *d = dst;
    for ( size_t i = 0; i < n; i++ )
        d[i] = log_ring[(pos + i) % LOG_RING_SIZE];
}

static size_t ring_rec_size(size_t pos)
{
    uint16_t len;
    ring_copy_out(&len, pos + 8, 2);
    return REC_HDR + len;
}

static void ring_store(const char *line, size_t len)
{
    size_t need = REC_HDR + len;
    uint16_t l16 = len;

    while ( ring_used + need > LOG_RING_SIZE )
    {
        size_t sz = ring_rec_size(ring_head);
        ring_head = (ring_head + sz) % LOG_RING_SIZE;
        ring_used -= sz;
        ring_first_seq++;
    }
    size_t pos = (ring_head + ring_used) % LOG_RING_SIZE;
    ring_copy_in(pos, &ring_next_seq, 8);
    ring_copy_in(pos + 8, &l16, 2);
    ring_copy_in(pos + REC_HDR, line, len);
    ring_used += need;
    ring_next_seq++;
}

size_t console_log_read(uint64_t *seq, char *buf, size_t len, uint64_t *lost)
{
    unsigned long flags;
    size_t copied = 0, pos;
    uint64_t s;

    spin_lock_irqsave(&console_lock, flags);
    *lost = 0;
    if ( *seq < ring_first_seq )
    {
        *lost = ring_first_seq - *seq;
        *seq = ring_first_seq;
    }
    pos = ring_head;
    for ( s = ring_first_seq; s < ring_next_seq; s++ )
    {
        size_t sz = ring_rec_size(pos);
        if ( s >= *seq )
        {
            size_t n = sz - REC_HDR;
            if ( copied + n > len )
                break;
            ring_copy_out(buf + copied, pos + REC_HDR, n);
            copied += n;
            *seq = s + 1;
        }
        pos = (pos + sz) % LOG_RING_SIZE;
    }
    spin_unlock_irqrestore(&console_lock, flags);
    return copied;
}

uint64_t console_log_next_seq(void)
{
    return ring_next_seq;
}

/* ---- output ----------------------------------------------------------- */

static char cur_line[LINE_MAX];
static size_t cur_len;

static void sinks_write(const char *s, size_t n)
{
    if ( console_muted )
        return;
    for ( unsigned int i = 0; i < nr_sinks; i++ )
        sinks[i]->write(s, n);
}

static void line_start(void)
{
    s_time_t now = console_time_source ? console_time_source() : 0;
    unsigned long us = (unsigned long)(now / 1000);

    cur_len = snprintf(cur_line, sizeof(cur_line), "(XEN) [%5lu.%06lu] ",
                       us / 1000000, us % 1000000);
}

/* Append text; each completed line goes to the ring and (unless
 * ring_only) the sinks. */
static void emit(const char *s, bool ring_only)
{
    for ( ; *s; s++ )
    {
        if ( cur_len == 0 )
            line_start();
        if ( *s == '\n' || cur_len == sizeof(cur_line) - 1 )
        {
            cur_line[cur_len++] = '\n';
            ring_store(cur_line, cur_len);
            if ( !ring_only )
                sinks_write(cur_line, cur_len);
            cur_len = 0;
            if ( *s != '\n' )
                s--;            /* line was full: reprocess this char */
            continue;
        }
        cur_line[cur_len++] = *s;
    }
}

/* Text that is not a hypervisor message (dom0's console): straight to the
 * devices, no prefix, no line assembly.  A pending partial hypervisor line
 * is finished first so the two never share a line. */
void console_write_raw(const char *s, size_t n)
{
    unsigned long flags;

    spin_lock_irqsave(&console_lock, flags);
    sinks_write(s, n);
    spin_unlock_irqrestore(&console_lock, flags);
}

/* Store a finished line in the log ring without printing it. */
void console_log_line(const char *s, size_t n)
{
    unsigned long flags;

    spin_lock_irqsave(&console_lock, flags);
    ring_store(s, n);
    spin_unlock_irqrestore(&console_lock, flags);
}

/*
 * A guest-caused line from domain id: may it be kept?  Called with
 * console_lock held; reports what an earlier window dropped first.
 */
static bool guest_line_allowed(domid_t id, bool ring_only)
{
    s_time_t now = console_time_source ? console_time_source() : 0;
    unsigned int i, victim = 0;
    char note[96];

    for ( i = 0; i < GUEST_SLOTS; i++ )
    {
        if ( guest_slots[i].used && guest_slots[i].domid == id )
            break;
        if ( guest_slots[i].window < guest_slots[victim].window ||
             !guest_slots[i].used )
            victim = i;
    }
    if ( i == GUEST_SLOTS )
    {
        i = victim;
        guest_slots[i].used = true;
        guest_slots[i].domid = id;
        guest_slots[i].window = now;
        guest_slots[i].lines = 0;
        guest_slots[i].dropped = 0;
    }
    if ( now - guest_slots[i].window >= 1000000000L )
    {
        guest_slots[i].window = now;
        guest_slots[i].lines = 0;
        if ( guest_slots[i].dropped )
        {
            snprintf(note, sizeof(note), "d%u: %lu more messages about "
                     "this domain suppressed (rate limit)\n", id,
                     guest_slots[i].dropped);
            guest_slots[i].dropped = 0;
            emit(note, ring_only);
        }
    }
    if ( guest_slots[i].lines >= GUEST_RATE )
    {
        guest_slots[i].dropped++;
        return false;
    }
    guest_slots[i].lines++;
    return true;
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[LINE_MAX];
    const char *p = buf;
    unsigned int level = 2;
    unsigned long flags;
    bool guest = false, ring_only = false;
    const struct domain *d = NULL;
    int n;

    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if ( p[0] == '<' && p[1] == 'G' && p[2] == '>' )
    {
        guest = true;
        p += 3;
    }
    if ( p[0] == '<' && p[1] >= '0' && p[1] <= '3' && p[2] == '>' )
    {
        level = p[1] - '0';
        p += 3;
    }
    if ( level > loglvl )
        return n;
    /* Caused by a domU (not dom0, whose console this is): log ring only. */
    if ( guest )
    {
        d = current ? current->domain : NULL;
        if ( d == NULL || d == hardware_domain )
            guest = false;
        else
            ring_only = !guest_to_console;
    }

    spin_lock_irqsave(&console_lock, flags);
    if ( !guest || guest_line_allowed(d->domain_id, ring_only) )
        emit(p, ring_only);
    spin_unlock_irqrestore(&console_lock, flags);
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
