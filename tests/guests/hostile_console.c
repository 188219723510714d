/*
 * hostile_console: a guest flooding console_io is rate limited.
 *
 * Booted with console_rate_dom0 console_rate=50 console_burst=40 (see
 * ENABLED): dom0 is normally exempt, the option puts this dom0 test kernel
 * under the limit every other domain has.  We write FLOOD_LINES lines as
 * fast as we can, wait for the bucket to refill, print a marker, and read
 * the hypervisor log back (dom0_op readlog): at most a burst's worth of
 * the flood (plus what the rate allows during it) was printed, a
 * "console rate limit: N lines suppressed" line accounts for exactly the
 * rest, and the marker after it came through.  (How long the flood took
 * is printed, not checked: a loaded host stretches it.)
 */
#include "guest.h"
#include "public/dom0_op.h"

#define MS 1000000ULL
#define FLOOD_LINES 3000
#define LINES_PER_CALL 100
#define RATE 50
#define BURST 40

static struct xen_dom0_op op;
static char logbuf[64 * 1024];
static char batch[LINES_PER_CALL * 16];

static long readlog(uint64_t start)
{
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_readlog;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.readlog.start_seq = start;
    op.u.readlog.buffer = HC_PTR(logbuf);
    op.u.readlog.size = sizeof(logbuf);
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static const char *find(const char *b, const char *end, const char *s)
{
    size_t l = strlen(s);

    for (; b + l <= end; b++)
        if (!memcmp(b, s, l))
            return b;
    return NULL;
}

static unsigned long parse_ulong(const char *p)
{
    unsigned long v = 0;

    while (*p >= '0' && *p <= '9')
        v = v * 10 + (unsigned long)(*p++ - '0');
    return v;
}

void test_main(void)
{
    uint64_t head, seq, t0, t1, elapsed_ms;
    unsigned int logged = 0;
    unsigned long suppressed = 0;
    int seen_suppressed = 0, seen_marker = 0, marker_after_report = 0;
    size_t n = 0;

    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    if (readlog(0) != 0)
        test_abort("readlog", "dom0_op readlog failed");
    head = op.u.readlog.head_seq;

    for (unsigned int i = 0; i < LINES_PER_CALL; i++)
        n += snprintf(batch + n, sizeof(batch) - n, "flood %04u\n", i);
    /* Nothing else may be printed until the flood is over. */
    t0 = pvclock_now();
    for (unsigned int i = 0; i < FLOOD_LINES / LINES_PER_CALL; i++)
        hv_console_write(batch, n);
    t1 = pvclock_now();
    elapsed_ms = (t1 - t0) / MS;

    /* Let the bucket refill, then a line that must get through. */
    while (pvclock_now() < t1 + (BURST * 1000 / RATE + 200) * MS)
        hv_sched_op(SCHEDOP_yield, NULL);
    printf("console-marker after the flood\n");
    console_flush();

    /* Read everything logged since the flood began. */
    for (seq = head;;) {
        const char *b = logbuf, *end;

        if (readlog(seq) != 0)
            break;
        end = logbuf + op.u.readlog.nr_bytes;
        while (b < end) {
            const char *nl = find(b, end, "\n");
            const char *p;

            if (nl == NULL)
                nl = end;
            if (find(b, nl, "flood ") && !find(b, nl, "suppressed"))
                logged++;
            if ((p = find(b, nl, "console rate limit: ")) != NULL) {
                seen_suppressed++;
                suppressed += parse_ulong(p + strlen("console rate limit: "));
            }
            if (find(b, nl, "console-marker")) {
                seen_marker = 1;
                marker_after_report = seen_suppressed > 0;
            }
            b = nl + 1;
        }
        if (op.u.readlog.next_seq == seq || op.u.readlog.next_seq >= op.u.readlog.head_seq)
            break;
        seq = op.u.readlog.next_seq;
    }

    printf("flood: %u of %u lines logged, %lu reported suppressed, %lu ms\n", logged, FLOOD_LINES,
           suppressed, (unsigned long)elapsed_ms);
    CHECK(logged >= BURST / 2, "the start of the flood was printed");
    CHECK(logged <= BURST + RATE * (elapsed_ms + 1000) / 1000 + 5,
          "the rest of the flood was dropped (at most a burst plus the rate)");
    /* One report normally; a host that stalls this vCPU mid-flood lets
     * the bucket refill, which starts a second episode and a second
     * report.  The sum below is what must hold either way. */
    CHECK(seen_suppressed >= 1, "a 'lines suppressed' report");
    CHECK_EQ(suppressed + logged, FLOOD_LINES, "the report accounts for every dropped line");
    CHECK(seen_marker && marker_after_report, "a line after the refill gets through, after the report");
    CHECK(hv_xen_version(XENVER_version, NULL) > 0, "the hypervisor answers after the flood");
}
