/*
 * suspender: a domU that suspends itself the way a PV Linux guest does,
 * for tests/domu's cooperative save/restore and checkpoint cases.  Only
 * a domU with xend's xenstore, so it is not in ENABLED.
 *
 * At start it publishes its p2m through shared_info (arch.max_pfn and a
 * 3-level pfn_to_mfn_frame_list_list, as Linux does), connects to
 * xenstore over the ring in start_info and writes control/feature-
 * suspend = 1.  Then it ticks every ~50 ms, printing
 *   "suspender: tick N uptime_ms U wall S checks ok|BAD"
 * and reading control/shutdown on each tick.  On "suspend" it clears the
 * key, turns start_info's store and console frames into PFNs and calls
 * SCHEDOP_shutdown(SHUTDOWN_suspend) with its start_info frame in rdx.
 * The call returns 1 when the toolstack let it run on (checkpoint): the
 * frames go back to MFNs through its p2m.  It returns 0 in a restored
 * domain: start_info names the new frames, shared_info, event channels;
 * it maps the new shared_info, republishes the p2m and reconnects to
 * xenstore.  Each prints "suspender: resumed rc R ...".  With
 * "ignore-suspend" on its command line it advertises suspend but never
 * answers (xend's timeout path).
 */
#include "guest.h"
#include "public/io/xs_wire.h"
#include "xs_ring.h"

#define TICK_NS         (50ull * 1000 * 1000)
/* ~33 min of ticks: tests/domu destroys it when done (about 600 ticks on
 * a quiet host); only a guest left behind reaches this. */
#define MAX_TICKS       40000
#define REPLY_WAIT_NS   (5ull * 1000 * 1000 * 1000)

static uint8_t ring_va[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;
static struct { struct xsd_sockmsg hdr; char body[XENSTORE_PAYLOAD_MAX + 1]; } reply;

/* The frame lists of the published p2m: one list-of-lists page, one
 * list page (enough for 512 * 512 pages). */
static unsigned long fll[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
static unsigned long fl[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));

/* State a save must carry: a page of pattern and its checksum. */
static uint64_t data[PAGE_SIZE / 8] __attribute__((aligned(PAGE_SIZE)));
static uint64_t data_sum;

static uint64_t sum_data(void)
{
    uint64_t s = 0;

    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        s = (s << 3 | s >> 61) ^ data[i];
    return s;
}

static void publish_p2m(void)
{
    unsigned long n = start_info->nr_pages, leaves = (n + 511) / 512;

    for (unsigned long i = 0; i < leaves && i < 512; i++)
        fl[i] = virt_to_mfn((uint8_t *)p2m + i * PAGE_SIZE);
    fll[0] = virt_to_mfn(fl);
    shared_info->arch.max_pfn = n;
    barrier();
    shared_info->arch.pfn_to_mfn_frame_list_list = virt_to_mfn(fll);
}

/* One request, its reply in `reply` (watch events are not used). */
/* The store ring, polled 10 ms at a time. */
static int put(const void *src, unsigned int len, uint64_t deadline)
{
    struct xs_ring r = { ring, port, 10ull * 1000 * 1000 };

    return xs_ring_put(&r, src, len, deadline);
}

static int get(void *dst, unsigned int len, uint64_t deadline)
{
    struct xs_ring r = { ring, port, 10ull * 1000 * 1000 };

    return xs_ring_get(&r, dst, len, deadline);
}

static int request(uint32_t type, const char *p1, unsigned int l1,
                   const char *p2, unsigned int l2)
{
    struct xsd_sockmsg hdr = {
        .type = type, .req_id = next_req_id++, .len = l1 + l2,
    };
    uint64_t deadline = pvclock_now() + REPLY_WAIT_NS;

    if (!put(&hdr, sizeof(hdr), deadline) || (l1 && !put(p1, l1, deadline)) ||
        (l2 && !put(p2, l2, deadline)))
        return -1;
    if (!get(&reply.hdr, sizeof(reply.hdr), deadline) ||
        reply.hdr.len > XENSTORE_PAYLOAD_MAX ||
        !get(reply.body, reply.hdr.len, deadline))
        return -1;
    reply.body[reply.hdr.len] = '\0';
    return reply.hdr.req_id == hdr.req_id ? (int)reply.hdr.type : -1;
}

static long store_connect(void)
{
    unsigned long mfn = start_info->store_mfn;
    uint64_t pte = (mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;

    port = start_info->store_evtchn;
    ring = (volatile struct xenstore_domain_interface *)ring_va;
    return hv_update_va_mapping((unsigned long)ring_va, pte, UVMF_INVLPG);
}

/* Wall-clock seconds: shared_info's boot time plus system time. */
static uint64_t wall_seconds(void)
{
    uint32_t v;
    uint64_t sec;

    do {
        v = shared_info->wc.version;
        barrier();
        sec = shared_info->wc.sec | (uint64_t)shared_info->wc_sec_hi << 32;
        barrier();
    } while ((v & 1) || v != shared_info->wc.version);
    return sec + pvclock_now() / 1000000000ull;
}

/* The suspend: start_info's frames as PFNs, SCHEDOP_shutdown(suspend)
 * with start_info's frame in rdx.  Returns the hypercall's value. */
static long suspend(void)
{
    struct sched_shutdown sd = { .reason = SHUTDOWN_suspend };
    unsigned long si_mfn = virt_to_mfn(start_info);
    long rc;

    start_info->store_mfn = m2p[start_info->store_mfn];
    if (start_info->console.domU.mfn)
        start_info->console.domU.mfn = m2p[start_info->console.domU.mfn];
    rc = hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, HC_PTR(&sd),
                    si_mfn);
    if (rc == 0) {
        /* A new domain: the toolstack wrote the new frames, channels
         * and shared_info into start_info. */
        if (shared_info_map() != 0)
            test_abort("resume: map the new shared_info", "failed");
        publish_p2m();
        if (store_connect() != 0)
            test_abort("resume: map the store ring", "failed");
    } else {
        start_info->store_mfn = p2m[start_info->store_mfn];
        if (start_info->console.domU.mfn)
            start_info->console.domU.mfn = p2m[start_info->console.domU.mfn];
    }
    return rc;
}

void test_main(void)
{
    unsigned int tick;
    int t, told = 0;
    const int ignore = strstr((const char *)start_info->cmd_line,
                              "ignore-suspend") != NULL;

    setup(SETUP_SHARED_INFO);
    events_disable();   /* the store port is polled */
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        data[i] = (uint64_t)i * 0x9E3779B97F4A7C15ull ^ 0xABCDull;
    data_sum = sum_data();
    publish_p2m();
    test_pass("p2m published through shared_info");
    if (start_info->store_mfn == 0 || store_connect() != 0)
        test_abort("store ring", "none in start_info, or cannot map it");
    t = request(XS_WRITE, "control/feature-suspend", 24, "1", 1);
    CHECK(t == XS_WRITE, "control/feature-suspend = 1 written");
    printf("suspender: ready\n");
    console_flush();

    for (tick = 1; tick <= MAX_TICKS; tick++) {
        int ok;

        delay_ns(TICK_NS);
        ok = sum_data() == data_sum && p2m[virt_to_pfn(data)] ==
             virt_to_mfn(data) && m2p[virt_to_mfn(data)] == virt_to_pfn(data);
        printf("suspender: tick %u uptime_ms %llu wall %llu checks %s\n",
               tick, (unsigned long long)(pvclock_now() / 1000000),
               (unsigned long long)wall_seconds(), ok ? "ok" : "BAD");
        console_flush();
        if (!ok)
            test_fail("suspender state", "tick %u", tick);
        t = request(XS_READ, "control/shutdown", 17, NULL, 0);
        if (t == XS_READ && strcmp(reply.body, "suspend") == 0 &&
            ignore) {
            if (!told)
                printf("suspender: ignoring the suspend request\n");
            told = 1;
        } else if (t == XS_READ && strcmp(reply.body, "suspend") == 0) {
            uint64_t before = pvclock_now();
            long rc;

            request(XS_WRITE, "control/shutdown", 17, "", 0);
            rc = suspend();
            printf("suspender: resumed rc %ld after tick %u uptime_ms %llu "
                   "(was %llu) %s\n", rc, tick,
                   (unsigned long long)(pvclock_now() / 1000000),
                   (unsigned long long)(before / 1000000),
                   rc == 0 ? "in a new domain" : "in place (cancelled)");
            console_flush();
            if (rc != 0 && rc != 1)
                test_fail("suspend hypercall", "returned %ld", rc);
            /* The store is reachable again either way. */
            t = request(XS_WRITE, "control/feature-suspend", 24, "1", 1);
            if (t != XS_WRITE)
                test_fail("xenstore after resume", "write returned %d", t);
        } else if (t == XS_READ && strcmp(reply.body, "poweroff") == 0) {
            break;
        }
    }
    test_pass("suspender ran to its end");
}
