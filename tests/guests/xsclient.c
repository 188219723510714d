/*
 * xsclient: a domU test kernel that talks xenstore (xs_wire) to xend over
 * the store ring page and event channel the domain builder names in
 * start_info.  Run by tests/domu (dom0_test=domu) with xend's xenstore
 * on; it only makes sense as a domU, so it is not in ENABLED.
 *
 * It reads its home's keys, writes and reads back a key of its own,
 * lists its home, watches control/shutdown, says "xsclient: ready", and
 * then waits for dom0 (`xenctl shutdown`) to write "poweroff" there.
 * Meanwhile it watches memory/target and balloons to it (gives frames
 * back from the top of its p2m with decrease_reservation; frames still
 * referenced, like the mapped store ring, are refused by the hypervisor
 * and skipped), or with "balloon=refuse" on its command line ignores it:
 * the two guests of xend's balloon deadline tests (tests/domu).
 * Results go to console_io ("(dN) PASS: ..."); the runtime then powers
 * the domain off when every case passed.
 *
 * Waiting is SCHEDOP_poll on the store port with a short timeout, so a
 * lost notification costs a few milliseconds, never the test.
 */
#include "guest.h"
#include "public/io/xs_wire.h"
#include "xs_ring.h"

#define POLL_SLICE_NS   (50ull * 1000 * 1000)
#define REPLY_WAIT_NS   (20ull * 1000 * 1000 * 1000)
#define SHUTDOWN_WAIT_NS (240ull * 1000 * 1000 * 1000)
#define WATCH_TOKEN     "xsc-token"

static uint8_t ring_va[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static volatile struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;

/* One whole message off the rsp ring. */
struct msg {
    struct xsd_sockmsg hdr;
    char body[XENSTORE_PAYLOAD_MAX + 1];   /* always NUL-terminated */
};
static struct msg reply;

/* Watch events that arrived while a reply was awaited. */
static unsigned int watch_events;
static char last_event[256];

static int ring_put(const void *data, unsigned int len, uint64_t deadline)
{
    struct xs_ring r = { ring, port, POLL_SLICE_NS };

    return xs_ring_put(&r, data, len, deadline);
}

static int ring_get(void *data, unsigned int len, uint64_t deadline)
{
    struct xs_ring r = { ring, port, POLL_SLICE_NS };

    return xs_ring_get(&r, data, len, deadline);
}

/* Read the next message into `reply`; 0 on timeout or a bad length. */
static int read_msg(uint64_t deadline)
{
    if (!ring_get(&reply.hdr, sizeof(reply.hdr), deadline))
        return 0;
    if (reply.hdr.len > XENSTORE_PAYLOAD_MAX)
        return 0;
    if (!ring_get(reply.body, reply.hdr.len, deadline))
        return 0;
    reply.body[reply.hdr.len] = '\0';
    return 1;
}

static void note_watch_event(void)
{
    unsigned int n = reply.hdr.len < sizeof(last_event) - 1 ?
                     reply.hdr.len : sizeof(last_event) - 1;

    memcpy(last_event, reply.body, n);
    last_event[n] = '\0';
    /* The payload is "path\0token\0": show it with a separator. */
    for (unsigned int i = 0; i + 1 < n; i++)
        if (last_event[i] == '\0')
            last_event[i] = '|';
    watch_events++;
}

/*
 * Send one request (the parts concatenated as the payload) and wait for
 * its reply, setting watch events aside.  Returns the reply type, or -1
 * on a timeout / broken stream (the reason printed).
 */
static int request(uint32_t type, const char *p1, unsigned int l1,
                   const char *p2, unsigned int l2)
{
    struct xsd_sockmsg hdr = {
        .type = type, .req_id = next_req_id++, .tx_id = 0, .len = l1 + l2,
    };
    uint64_t deadline = pvclock_now() + REPLY_WAIT_NS;

    if (!ring_put(&hdr, sizeof(hdr), deadline) ||
        (l1 && !ring_put(p1, l1, deadline)) || (l2 && !ring_put(p2, l2, deadline))) {
        printf("xsclient: request %u: the request ring stayed full\n", type);
        return -1;
    }
    for (;;) {
        if (!read_msg(deadline)) {
            printf("xsclient: request %u: no (whole) reply in time (ring "
                   "error %u)\n", type, ring->error);
            return -1;
        }
        if (reply.hdr.type == XS_WATCH_EVENT) {
            note_watch_event();
            continue;
        }
        if (reply.hdr.req_id != hdr.req_id) {
            printf("xsclient: reply req_id %u, expected %u\n",
                   reply.hdr.req_id, hdr.req_id);
            return -1;
        }
        return (int)reply.hdr.type;
    }
}

/* A request whose payload is one NUL-terminated string. */
static int request_str(uint32_t type, const char *s)
{
    return request(type, s, (unsigned int)strlen(s) + 1, NULL, 0);
}

/* The value of domu-test= on the command line, or "". */
static const char *cmdline_name(char *buf, unsigned int size)
{
    const char *key = "domu-test=", *p = (const char *)start_info->cmd_line;
    unsigned int i, klen = (unsigned int)strlen(key);

    buf[0] = '\0';
    for (; *p; p++) {
        if (strncmp(p, key, klen) != 0)
            continue;
        p += klen;
        for (i = 0; i + 1 < size && p[i] && p[i] != ' '; i++)
            buf[i] = p[i];
        buf[i] = '\0';
        break;
    }
    return buf;
}

/* Does the NUL-separated list in reply.body hold name? */
static int listed(const char *name)
{
    unsigned int i = 0;

    while (i < reply.hdr.len) {
        if (strcmp(&reply.body[i], name) == 0)
            return 1;
        i += (unsigned int)strlen(&reply.body[i]) + 1;
    }
    return 0;
}

static long map_ring(void)
{
    unsigned long mfn = start_info->store_mfn, pfn = m2p[mfn];
    uint64_t pte = (mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D;

    CHECK(pfn < start_info->nr_pages && p2m[pfn] == mfn,
          "the store frame is one of ours (M2P and p2m agree)");
    return hv_update_va_mapping((unsigned long)ring_va, pte, UVMF_INVLPG);
}

#define MEM_TOKEN       "xsc-mem"

static unsigned long balloon_pfn;      /* the next frame to give back + 1 */

/* Give frames back until we hold no more than target_kib; our holding. */
static long balloon_to(unsigned long long target_kib)
{
    domid_t self = DOMID_SELF;
    long cur = hv_memory_op(XENMEM_current_reservation, &self);

    while (cur > 0 && (unsigned long long)cur * 4 > target_kib &&
           balloon_pfn > 0) {
        xen_pfn_t f = p2m[--balloon_pfn];
        struct xen_memory_reservation r = {
            .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF,
        };

        /* Never the rings dom0 maps (the hypervisor would refuse them
         * anyway while they are referenced). */
        if (f == start_info->store_mfn || f == start_info->console.domU.mfn)
            continue;
        r.extent_start.p = &f;
        if (hv_memory_op(XENMEM_decrease_reservation, &r) == 1)
            cur--;
    }
    return cur;
}

/* memory/target changed: balloon to it, unless told to refuse. */
static void memory_target(void)
{
    unsigned long long kib = 0;
    const char *p;

    if (request_str(XS_READ, "memory/target") != XS_READ)
        return;
    for (p = reply.body; *p >= '0' && *p <= '9'; p++)
        kib = kib * 10 + (unsigned long long)(*p - '0');
    if (strstr((const char *)start_info->cmd_line, "balloon=refuse")) {
        printf("xsclient: memory/target %llu KiB: ignored\n", kib);
        return;
    }
    printf("xsclient: memory/target %llu KiB: now %ld KiB\n", kib,
           balloon_to(kib) * 4);
}

/* Wait for a watch event on control/shutdown, then read the key;
 * returns 1 once it reads "poweroff", 2 for "reboot" (xend's on_reboot
 * tests).  memory/target events balloon. */
static int wait_for_poweroff(void)
{
    uint64_t deadline = pvclock_now() + SHUTDOWN_WAIT_NS;
    unsigned int seen = watch_events;

    while ((int64_t)(pvclock_now() - deadline) < 0) {
        if (watch_events == seen) {
            if (!read_msg(deadline))
                break;
            if (reply.hdr.type != XS_WATCH_EVENT) {
                printf("xsclient: unexpected message type %u while idle\n",
                       reply.hdr.type);
                continue;
            }
            note_watch_event();
        }
        seen = watch_events;
        printf("xsclient: watch event %s\n", last_event);
        if (strncmp(last_event, "memory/target|", 14) == 0) {
            memory_target();
            continue;
        }
        if (request_str(XS_READ, "control/shutdown") == XS_READ) {
            printf("xsclient: control/shutdown = \"%s\"\n", reply.body);
            if (strcmp(reply.body, "poweroff") == 0)
                return 1;
            if (strcmp(reply.body, "reboot") == 0)
                return 2;
        }
    }
    return 0;
}

/*
 * With "flood" on the command line: act as a hostile guest and fill
 * xend's store past each per-domain quota (docs/xenstore.md): nodes
 * until ENOSPC, watches until E2BIG, open transactions until ENOSPC.
 * Every refusal must be the quota's, and the connection must live on
 * (dom0 then shuts us down through it, as usual).
 */
static void flood(void)
{
    char path[32], tok[16];
    unsigned int nodes = 0, watches = 0, txs = 0;
    int i, n, t = -1;

    for (i = 0; i < 5000; i++) {
        n = snprintf(path, sizeof(path), "flood/n%d", i);
        if ((t = request(XS_WRITE, path, (unsigned int)n + 1, "12345678", 8)) != XS_WRITE)
            break;
        nodes++;
    }
    printf("xsclient: flood: %u nodes, then %s\n", nodes, t == XS_ERROR ? reply.body : "?");
    CHECK(t == XS_ERROR && strcmp(reply.body, "ENOSPC") == 0 && nodes > 500,
          "node flood: ENOSPC at the node quota");
    for (i = 0; i < 1000; i++) {
        n = snprintf(tok, sizeof(tok), "f%d", i);
        if ((t = request(XS_WATCH, "flood", 6, tok, (unsigned int)n + 1)) != XS_WATCH)
            break;
        watches++;
    }
    printf("xsclient: flood: %u watches, then %s\n", watches, t == XS_ERROR ? reply.body : "?");
    CHECK(t == XS_ERROR && strcmp(reply.body, "E2BIG") == 0 && watches > 50,
          "watch flood: E2BIG at the watch quota");
    for (i = 0; i < 1000; i++) {
        if ((t = request_str(XS_TRANSACTION_START, "")) != XS_TRANSACTION_START)
            break;
        txs++;
    }
    printf("xsclient: flood: %u transactions, then %s\n", txs, t == XS_ERROR ? reply.body : "?");
    CHECK(t == XS_ERROR && strcmp(reply.body, "ENOSPC") == 0 && txs >= 1,
          "transaction flood: ENOSPC at the transaction quota");
    t = request_str(XS_READ, "name");
    CHECK(t == XS_READ, "still served after the floods");
    printf("xsclient: flood: done\n");
}

void test_main(void)
{
    char name[64], home[64], domid[16];
    int t;

    setup(SETUP_SHARED_INFO);
    events_disable();   /* no upcalls: the store port is polled */
    port = start_info->store_evtchn;
    CHECK(!(start_info->flags & SIF_INITDOMAIN), "start_info: not dom0");
    if (start_info->store_mfn == 0 || port == 0)
        test_abort("start_info names a store page and port",
                   "store_mfn %#lx, store_evtchn %u",
                   (unsigned long)start_info->store_mfn, port);
    test_pass("start_info names a store page and port");
    t = (int)map_ring();
    if (t != 0)
        test_abort("map the store ring", "update_va_mapping = %d", t);
    ring = (volatile struct xenstore_domain_interface *)ring_va;
    test_pass("map the store ring");
    CHECK(ring->error == 0 && ring->rsp_prod - ring->rsp_cons <= XENSTORE_RING_SIZE,
          "the store ring is sane at start");

    cmdline_name(name, sizeof(name));
    t = request_str(XS_READ, "name");
    if (t == XS_READ && strcmp(reply.body, name) == 0)
        test_pass("XS_READ name (relative) is our name");
    else
        test_fail("XS_READ name (relative) is our name", "type %d, \"%s\", "
                  "expected \"%s\"", t, t >= 0 ? reply.body : "", name);

    t = request_str(XS_READ, "domid");
    if (t == XS_READ && reply.body[0] >= '1' && reply.body[0] <= '9' &&
        reply.hdr.len < sizeof(domid)) {
        memcpy(domid, reply.body, reply.hdr.len + 1);
        test_pass("XS_READ domid is a domain number");
        printf("xsclient: domid %s\n", domid);
    } else {
        test_fail("XS_READ domid", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");
        test_abort("XS_READ domid", "nothing after this can work");
    }

    t = request_str(XS_GET_DOMAIN_PATH, domid);
    snprintf(home, sizeof(home), "/local/domain/%s", domid);
    if (t == XS_GET_DOMAIN_PATH && strcmp(reply.body, home) == 0)
        test_pass("XS_GET_DOMAIN_PATH is /local/domain/<domid>");
    else
        test_fail("XS_GET_DOMAIN_PATH", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");

    t = request_str(XS_READ, "memory/target");
    CHECK(t == XS_READ && reply.body[0] >= '1' && reply.body[0] <= '9',
          "XS_READ memory/target is a number");

    /* XS_WRITE: "path\0" then the value, not NUL-terminated. */
    t = request(XS_WRITE, "data/hello", 11, "world", 5);
    if (t == XS_WRITE && strcmp(reply.body, "OK") == 0)
        test_pass("XS_WRITE data/hello = world");
    else
        test_fail("XS_WRITE data/hello", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");
    t = request_str(XS_READ, "data/hello");
    if (t == XS_READ && reply.hdr.len == 5 && strcmp(reply.body, "world") == 0)
        test_pass("XS_READ data/hello reads back world");
    else
        test_fail("XS_READ data/hello", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");

    t = request_str(XS_DIRECTORY, home);
    CHECK(t == XS_DIRECTORY && listed("name") && listed("domid") && listed("memory") &&
          listed("control") && listed("device") && listed("data"),
          "XS_DIRECTORY of our home lists name domid memory control device data");

    /* Outside our home: refused, not answered. */
    t = request_str(XS_READ, "/local/domain/0/name");
    if (t == XS_ERROR && strcmp(reply.body, "EACCES") == 0)
        test_pass("XS_READ of dom0's node is refused with EACCES");
    else
        test_fail("XS_READ of dom0's node", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");

    /* Our name is dom0's node, readable by us (docs/xenstore.md, "What
     * xend sets"): we may not rename ourselves, and the name stays. */
    t = request(XS_WRITE, "name", 5, "evil", 4);
    CHECK(t == XS_ERROR && strcmp(reply.body, "EACCES") == 0,
          "XS_WRITE of our own name is refused with EACCES");
    t = request_str(XS_READ, "name");
    CHECK(t == XS_READ && strcmp(reply.body, name) == 0, "our name is unchanged");
    /* What we made in our home is ours: GET_PERMS answers "n<domid>". */
    t = request_str(XS_GET_PERMS, "data/hello");
    CHECK(t == XS_GET_PERMS && reply.body[0] == 'n' && strcmp(reply.body + 1, domid) == 0,
          "XS_GET_PERMS of our own node: we own it, no one else has a right");

    /* Registering fires once at once (before or after the OK). */
    t = request(XS_WATCH, "control/shutdown", 17, WATCH_TOKEN, sizeof(WATCH_TOKEN));
    if (t == XS_WATCH && strcmp(reply.body, "OK") == 0)
        test_pass("XS_WATCH control/shutdown");
    else
        test_fail("XS_WATCH control/shutdown", "type %d, \"%s\"", t, t >= 0 ? reply.body : "");
    if (watch_events == 0) {
        uint64_t deadline = pvclock_now() + REPLY_WAIT_NS;

        if (read_msg(deadline) && reply.hdr.type == XS_WATCH_EVENT)
            note_watch_event();
    }
    if (watch_events == 1 && strcmp(last_event, "control/shutdown|" WATCH_TOKEN) == 0)
        test_pass("the watch fires once at once with its path and token");
    else
        test_fail("the first watch event", "%u events, last \"%s\"", watch_events,
                  last_event);
    /* Nothing there yet: the guest's first read is ENOENT. */
    t = request_str(XS_READ, "control/shutdown");
    CHECK(t == XS_ERROR && strcmp(reply.body, "ENOENT") == 0,
          "control/shutdown is not there before dom0 writes it");

    balloon_pfn = start_info->nr_pages;
    t = request(XS_WATCH, "memory/target", 14, MEM_TOKEN, sizeof(MEM_TOKEN));
    CHECK(t == XS_WATCH && strcmp(reply.body, "OK") == 0, "XS_WATCH memory/target");
    if (strstr((const char *)start_info->cmd_line, "flood"))
        flood();
    printf("xsclient: ready\n");
    t = wait_for_poweroff();
    if (t == 2) {
        printf("xsclient: rebooting as asked\n");
        guest_shutdown(SHUTDOWN_reboot);
    }
    CHECK(t == 1, "dom0's write of control/shutdown = poweroff arrived by watch");
}
