/*
 * dom0op/log.c: the log and counter commands of the dom0op test kernel:
 * incremental and resumed readlog, and the performance counters.
 */
#include "guest.h"
#include "public/dom0_op.h"
#include "dom0op.h"

/* ---- Log ---------------------------------------------------------------- */

static char logbuf[64 * 1024], logbuf2[64 * 1024];

static long readlog(uint64_t start, char *buf, uint32_t size)
{
    clear();
    op.u.readlog.start_seq = start;
    op.u.readlog.buffer = HC_PTR(buf);
    op.u.readlog.size = size;
    return call(XEN_DOM0_readlog);
}

static unsigned int count_lines(const char *b, uint32_t n)
{
    unsigned int lines = 0;

    for ( uint32_t i = 0; i < n; i++ )
        lines += b[i] == '\n';
    return lines;
}

static int contains(const char *b, uint32_t n, const char *s)
{
    size_t l = strlen(s);

    for ( uint32_t i = 0; i + l <= n; i++ )
        if ( !memcmp(b + i, s, l) )
            return 1;
    return 0;
}

void test_readlog(void)
{
    uint64_t head, next, start, lost;
    uint32_t n, total = 0, pieces = 0;
    unsigned int lines;
    long rc, rc_small, rc_cut;
    int drained = 1, found_marker, found_audit;
    char cut;

    /* Error paths first (they log nothing). */
    CHECK_EQ(readlog(0, logbuf, 0), -EINVAL, "readlog size 0 is -EINVAL");
    CHECK_EQ(readlog(0, logbuf, XEN_DOM0_READLOG_MAX + 1), -EINVAL, "readlog size > 1 MiB is -EINVAL");
    CHECK_EQ(readlog(0, (char *)BAD_PTR_HV, 100), -EFAULT, "readlog into a hypervisor buffer is -EFAULT");
    clear();
    op.u.readlog.size = 100;
    op.u.readlog.buffer = HC_PTR(logbuf);
    op.u.readlog.flags = 1;
    CHECK_EQ(call(XEN_DOM0_readlog), -EINVAL, "readlog flags 1 is -EINVAL");

    /* From the start: the boot log, whole lines. */
    rc = readlog(0, logbuf, sizeof(logbuf));
    n = op.u.readlog.nr_bytes;
    next = op.u.readlog.next_seq;
    head = op.u.readlog.head_seq;
    lost = op.u.readlog.lost;
    lines = count_lines(logbuf, n);
    CHECK_EQ(rc, 0, "readlog from 0");
    CHECK(n > 0 && logbuf[n - 1] == '\n', "readlog returns whole lines");
    CHECK(contains(logbuf, n, "(XEN)"), "the log holds hypervisor lines");
    CHECK_EQ(lines, next - lost, "next_seq - lost = lines delivered");
    CHECK(next <= head, "next_seq <= head_seq");
    CHECK_EQ(readlog(head + 1000, logbuf2, 100), -EINVAL, "readlog beyond head is -EINVAL");

    /* Drain, then log one marker line and read exactly it. */
    start = next;
    while ( next < head && drained < 100 )
    {
        readlog(next, logbuf, sizeof(logbuf));
        next = op.u.readlog.next_seq;
        head = op.u.readlog.head_seq;
        drained++;
    }
    /* Now the failing cases above have printed PASS lines: catch up. */
    readlog(next, logbuf, sizeof(logbuf));
    next = op.u.readlog.next_seq;
    printf("dom0op-log-marker-%u\n", 4242);
    rc = readlog(next, logbuf, sizeof(logbuf));
    n = op.u.readlog.nr_bytes;
    found_marker = contains(logbuf, n, "dom0op-log-marker-4242");
    CHECK_EQ(rc, 0, "incremental readlog after a marker");
    CHECK(found_marker, "the marker line is read");
    CHECK_EQ(op.u.readlog.lost, 0, "nothing lost on an incremental read");
    CHECK_EQ(op.u.readlog.next_seq, op.u.readlog.head_seq, "caught up after reading it");

    /* Resume with small buffers: the same bytes as one big read of the
     * same range.  Nothing is printed in between. */
    start = head > 40 ? head - 40 : 0;
    rc = readlog(start, logbuf, sizeof(logbuf));
    n = op.u.readlog.nr_bytes;
    head = op.u.readlog.next_seq;
    rc_small = 0;
    for ( next = start; next < head && pieces < 10000; pieces++ )
    {
        rc_small |= readlog(next, logbuf2 + total, 600);
        if ( op.u.readlog.nr_bytes == 0 )
            break;
        total += op.u.readlog.nr_bytes;
        next = op.u.readlog.next_seq;
    }
    /* A buffer of 1 byte still makes progress (the line is cut). */
    rc_cut = readlog(start, &cut, 1);
    CHECK_EQ(rc, 0, "readlog of the last 40 lines");
    CHECK_EQ(rc_small, 0, "readlog in 600-byte pieces");
    CHECK(pieces > 1, "small pieces took several calls");
    CHECK(total == n && !memcmp(logbuf, logbuf2, n), "pieces join up to the big read exactly");
    CHECK(rc_cut == 0 && op.u.readlog.nr_bytes == 1 && op.u.readlog.next_seq == start + 1 &&
          cut == logbuf[0], "a 1-byte buffer gets the first byte of the line and moves on");

    /* The destroys earlier ran the frame audit (booted with mm_audit). */
    found_audit = 0;
    for ( next = 0, drained = 0; drained < 200; drained++ )
    {
        readlog(next, logbuf, sizeof(logbuf));
        found_audit |= contains(logbuf, op.u.readlog.nr_bytes, "mm_audit: d1: 0 mismatches");
        if ( contains(logbuf, op.u.readlog.nr_bytes, "mm_audit: d1: ") &&
             !contains(logbuf, op.u.readlog.nr_bytes, "mm_audit: d1: 0 mismatches") )
            found_audit = -100;
        if ( op.u.readlog.nr_bytes == 0 || op.u.readlog.next_seq >= op.u.readlog.head_seq )
            break;
        next = op.u.readlog.next_seq;
    }
    CHECK(found_audit > 0, "frame audit after destroying d1: 0 mismatches");
}

/* ---- Performance counters ----------------------------------------------- */

static struct xen_dom0_perfc_name names[64];
static struct xen_dom0_perfc_value vals[64], vals2[64];

static long perfc(uint32_t query, uint32_t flags, uint32_t first, uint32_t max, void *buf)
{
    clear();
    op.u.getperfcounters.query = query;
    op.u.getperfcounters.flags = flags;
    op.u.getperfcounters.first = first;
    op.u.getperfcounters.max_entries = max;
    op.u.getperfcounters.buffer = HC_PTR(buf);
    return call(XEN_DOM0_getperfcounters);
}

void test_perfc(void)
{
    uint32_t total, got, hc = ~0u, i;
    long rc;

    rc = perfc(XEN_DOM0_PERFC_QUERY_NAMES, 0, 0, 0, NULL);
    total = op.u.getperfcounters.nr_total;
    CHECK(rc == 0 && total >= 5 && total <= 64 && op.u.getperfcounters.nr_entries == 0,
          "perf counter count only");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_NAMES, 0, 0, 64, names), 0, "perf counter names");
    got = op.u.getperfcounters.nr_entries;
    CHECK_EQ(got, total, "every name returned");
    for ( i = 0; i < got; i++ )
        if ( !strcmp(names[i].name, "hypercalls") )
            hc = i;
    CHECK(hc != ~0u && names[hc].id == hc, "a 'hypercalls' counter exists, id = index");
    if ( hc == ~0u )
        return;
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, 0, 64, vals), 0, "perf counter values");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, hc, 1, vals2), 0, "one value from index first");
    CHECK(vals2[0].id == hc && vals2[0].value > vals[hc].value,
          "the hypercall counter grows between two reads");
    CHECK(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, total, 4, vals2) == 0 &&
          op.u.getperfcounters.nr_entries == 0, "first beyond the last counter: no entries");

    CHECK_EQ(perfc(2, 0, 0, 1, vals2), -EINVAL, "query 2 is -EINVAL");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_NAMES, XEN_DOM0_PERFC_RESET, 0, 1, names), -EINVAL,
             "RESET with NAMES is -EINVAL");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 2, 0, 1, vals2), -EINVAL, "unknown flag is -EINVAL");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, 0, XEN_DOM0_PERFC_MAX + 1, vals2), -EINVAL,
             "max_entries 1025 is -EINVAL");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, 0, 2, NULL), -EINVAL,
             "no buffer with max_entries 2 is -EINVAL");
    CHECK_EQ(perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, 0, 2, (void *)BAD_PTR_HV), -EFAULT,
             "values into a hypervisor buffer are -EFAULT");

    perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, hc, 1, vals);
    rc = perfc(XEN_DOM0_PERFC_QUERY_VALUES, XEN_DOM0_PERFC_RESET, 0, 0, NULL);
    perfc(XEN_DOM0_PERFC_QUERY_VALUES, 0, hc, 1, vals2);
    CHECK_EQ(rc, 0, "RESET with no buffer");
    CHECK(vals[0].value > 100 && vals2[0].value < 10, "RESET zeroes the counters");
}
