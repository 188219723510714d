/*
 * ringcons: a domU test kernel that talks through its console RING, the
 * page and event channel the domain builder puts in start_info, instead
 * of console_io.  Run by tests/domu (dom0_test=domu): xend copies the ring
 * into the domain's console log and the dom0 script looks for the lines
 * written here.  Results still go to console_io ("(dN) PASS: ...") so a
 * broken ring cannot hide them.
 *
 * It writes more than the ring holds, so it also checks that dom0 drains
 * the ring and notifies: the writer waits for space, bounded in time.
 * Then it reads one line of input from the ring's "in" half (what
 * `xenctl console` sends) and echoes it as "RINGCONS-ECHO: LINE".
 */
#include "guest.h"
#include "public/io/console.h"

#define LINES        40          /* ~40 * 60 bytes: more than 2 KiB */
#define WAIT_CYCLES  (120ull * 1000 * 1000 * 1000)   /* >= 40 s at 3 GHz */

static volatile struct xencons_interface *ring;
static evtchn_port_t port;

/* Wait until the ring has room for n bytes; 0 on timeout. */
static int wait_space(unsigned int n)
{
    uint64_t t0 = rdtsc();

    while (sizeof(ring->out) - (ring->out_prod - ring->out_cons) < n) {
        if (rdtsc() - t0 > WAIT_CYCLES)
            return 0;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
    return 1;
}

static int ring_write(const char *s, unsigned int n)
{
    XENCONS_RING_IDX prod;

    if (!wait_space(n))
        return 0;
    prod = ring->out_prod;
    for (unsigned int i = 0; i < n; i++)
        ring->out[(prod + i) % sizeof(ring->out)] = s[i];
    __atomic_thread_fence(__ATOMIC_RELEASE);
    ring->out_prod = prod + n;
    evtchn_send(port);
    return 1;
}

/* One line of input (ended by '\r' or '\n'), bounded in time; its
 * length, or -1 on timeout. */
static int ring_read_line(char *buf, unsigned int max)
{
    uint64_t t0 = rdtsc();
    unsigned int n = 0;
    XENCONS_RING_IDX cons;
    char c;

    for (;;) {
        cons = ring->in_cons;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        while (cons != ring->in_prod) {
            c = ring->in[cons++ % sizeof(ring->in)];
            if (c == '\r' || c == '\n') {
                ring->in_cons = cons;
                evtchn_send(port);
                buf[n] = '\0';
                return (int)n;
            }
            if (n + 1 < max)
                buf[n++] = c;
        }
        ring->in_cons = cons;
        evtchn_send(port);
        if (rdtsc() - t0 > WAIT_CYCLES)
            return -1;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
}

void test_main(void)
{
    unsigned long mfn = start_info->console.domU.mfn, pfn;
    char line[96];
    int ok = 1;

    /* A sub-op we lack: the hypervisor's note about it is for its log
     * ring (`xenctl log`), not dom0's console (checked by 80-domu). */
    CHECK_EQ(hv_sched_op(77, NULL), -ENOSYS,
             "an unsupported sched_op sub-op is -ENOSYS");
    port = start_info->console.domU.evtchn;
    CHECK(!(start_info->flags & SIF_INITDOMAIN), "start_info: not dom0");
    CHECK(mfn != 0 && port != 0, "start_info names a console page and port");
    if (mfn == 0 || port == 0)
        return;
    for (pfn = 0; pfn < start_info->nr_pages && p2m[pfn] != mfn; pfn++)
        ;
    CHECK(pfn < start_info->nr_pages, "the console page is one of ours (p2m)");
    if (pfn == start_info->nr_pages)
        return;
    CHECK(m2p[mfn] == pfn, "the M2P agrees with the p2m for the console page");
    ring = pfn_to_virt(pfn);
    CHECK(ring->out_prod == ring->out_cons && ring->in_prod == ring->in_cons,
          "the console ring starts empty");

    for (unsigned int i = 0; i < LINES && ok; i++) {
        int n = snprintf(line, sizeof(line),
                         "RINGCONS: line %02u of %u, padding to sixty bytes\n",
                         i + 1, LINES);
        ok = ring_write(line, (unsigned int)n);
    }
    CHECK(ok, "dom0 drained the ring: all lines written (more than a ring)");
    ok = ok && ring_write("RINGCONS-END\n", 13);
    CHECK(ok, "end marker written");
    CHECK(wait_space(sizeof(ring->out)), "dom0 consumed everything");

    ok = ok && ring_write("RINGCONS-INPUT?\n", 16);
    {
        char in[64];
        int n = ring_read_line(in, sizeof(in));

        CHECK(n > 0, "a line of input arrived through the ring");
        if (n > 0) {
            int m = snprintf(line, sizeof(line), "RINGCONS-ECHO: %s\n", in);
            CHECK(ring_write(line, (unsigned int)m), "input echoed");
            CHECK(wait_space(sizeof(ring->out)), "echo consumed");
        }
    }
}
