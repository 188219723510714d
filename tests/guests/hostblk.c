/*
 * hostblk: a domU test kernel that is a hostile blkfront.  Created by
 * tests/linux-domu/linux-blk (suite 88-linux-blk) with a disk (xvda) as a
 * Linux guest would be, it connects to dom0's xen-blkback the proper way
 * (xenstore handshake, a granted ring, an event channel) and then sends
 * what a broken or malicious frontend would:
 *   - a grant reference it never granted, and one whose grant it took
 *     back before sending;
 *   - more segments than a request can hold, a segment ending past its
 *     page, a segment ending before it starts, a sector past the disk;
 *   - a write whose grant it revokes while blkback has it mapped;
 *   - a request producer index far past what the ring holds.
 * Each bad request must come back as an error response (or, for the
 * ring overflow, make blkback stop serving this guest); one good read
 * before and after the bad ones proves the backend still serves it.
 * dom0's kernel, the hypervisor and the other guests must not notice:
 * the suite checks that, and the frame audit at this domain's end.
 * Only makes sense as a domU with xenstore, so it is not in ENABLED.
 * Results go to console_io ("(dN) PASS: ..."), then it powers off.
 */
#include "guest.h"
#include "pt.h"
#include "frontend_gnt.h"
#include "public/io/blkif.h"
#include "xs_client.h"

#define VBD             "device/vbd/51712"
#define REF_RING        8
#define REF_DATA        9
#define REF_TAKEN_BACK  10      /* granted, then revoked before use */
#define REF_NEVER       200     /* inside the table, never granted */
#define POLL_SLICE_NS   (50ull * 1000 * 1000)
#define WAIT_NS         XS_WAIT_NS

static evtchn_port_t blk_port;
static volatile struct blkif_sring *sring;
static volatile uint8_t *data;
static blkif_ring_idx_t rsp_cons;
static uint16_t vdev_handle = 51712;

/* ---- the block ring ---------------------------------------------------- */

/* Put one request in the next slot and tell blkback; its id. */
static uint64_t submit(const struct blkif_request *rq)
{
    blkif_ring_idx_t i = sring->req_prod;

    memcpy((void *)&sring->ring[i % BLKIF_RING_SIZE].req, rq, sizeof(*rq));
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    sring->req_prod = i + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_send(blk_port);
    return rq->id;
}

/* The status of the next response (it must answer id), or 99 if none
 * came within WAIT_NS, 98 if it answered another id. */
static int response(uint64_t id)
{
    uint64_t deadline = pvclock_now() + WAIT_NS;
    evtchn_port_t port = blk_port;
    struct sched_poll p = { .nr_ports = 1 };
    struct blkif_response rsp;

    p.ports.p = &port;
    while (sring->rsp_prod == rsp_cons) {
        if (pvclock_now() >= deadline)
            return 99;
        p.timeout = pvclock_now() + POLL_SLICE_NS;
        hv_sched_op(SCHEDOP_poll, &p);
        evtchn_clear_pending(blk_port);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    memcpy(&rsp, (const void *)&sring->ring[rsp_cons % BLKIF_RING_SIZE].rsp, sizeof(rsp));
    rsp_cons++;
    sring->rsp_event = rsp_cons + 1;
    return rsp.id == id ? rsp.status : 98;
}

static struct blkif_request one_seg(uint8_t op, uint64_t id, uint64_t sector,
                                    uint32_t gref, uint8_t first, uint8_t last)
{
    struct blkif_request rq;

    memset(&rq, 0, sizeof(rq));
    rq.operation = op;
    rq.nr_segments = 1;
    rq.handle = vdev_handle;
    rq.id = id;
    rq.sector_number = sector;
    rq.seg[0].gref = gref;
    rq.seg[0].first_sect = first;
    rq.seg[0].last_sect = last;
    return rq;
}

static void expect(const char *name, struct blkif_request rq, int want)
{
    int st = response(submit(&rq));

    if (st == want)
        test_pass(name);
    else
        test_fail(name, "status %d, expected %d", st, want);
}

/* ---- the handshake ------------------------------------------------------ */

static void connect(void)
{
    char be[128], key[160];

    frontend_gnt_setup();
    /* xend writes our device nodes just after attaching our store:
     * we may be asking before they are there (Linux's xenbus watches). */
    if (!xs_wait_value(VBD "/backend", NULL) ||
        xs_reply.hdr.len == 0 || xs_reply.hdr.len >= sizeof(be) - 16)
        test_abort("xenstore: " VBD "/backend", "not there (is a disk configured?)");
    memcpy(be, xs_reply.body, xs_reply.hdr.len + 1);
    printf("hostblk: backend %s\n", be);
    snprintf(key, sizeof(key), "%s/state", be);
    CHECK(xs_wait_value(key, "2"), "blkback waits for us (InitWait)");

    sring = page_alloc();
    data = page_alloc();
    memset((void *)sring, 0, PAGE_SIZE);
    sring->req_event = 1;
    sring->rsp_event = 1;
    frontend_grant(REF_RING, sring, 0);
    frontend_grant(REF_DATA, data, 0);
    frontend_grant(REF_TAKEN_BACK, data, 0);
    if (evtchn_alloc_unbound(0, &blk_port) != 0)
        test_abort("event channel", "alloc_unbound for dom0 failed");
    if (xs_write_uint(VBD "/ring-ref", REF_RING) != 0 ||
        xs_write_uint(VBD "/event-channel", blk_port) != 0 ||
        xs_write_str(VBD "/protocol", "x86_64-abi") != 0 ||
        xs_write_str(VBD "/state", "3") != 0)
        test_abort("xenstore: our frontend nodes", "a write failed");
    CHECK(xs_wait_value(key, "4"), "blkback connected to our ring");
    if (xs_write_str(VBD "/state", "4") != 0)
        test_abort("xenstore: state 4", "write failed");
}

void test_main(void)
{
    struct blkif_request rq;
    uint64_t deadline;
    int st, seen_inuse = 0;

    setup(SETUP_SHARED_INFO);
    events_disable();       /* no upcalls: ports are polled */
    xs_client_init();
    connect();

    expect("a good read of sector 0 is served",
           one_seg(BLKIF_OP_READ, 1, 0, REF_DATA, 0, 7), BLKIF_RSP_OKAY);

    expect("a grant reference never granted: error response",
           one_seg(BLKIF_OP_READ, 2, 0, REF_NEVER, 0, 7), BLKIF_RSP_ERROR);
    expect("a grant reference past the table: error response",
           one_seg(BLKIF_OP_READ, 3, 0, 0xfffffff0u, 0, 7), BLKIF_RSP_ERROR);
    frontend_gnt[REF_TAKEN_BACK].flags = 0;
    expect("a grant taken back before the request: error response",
           one_seg(BLKIF_OP_WRITE, 4, 8, REF_TAKEN_BACK, 0, 7), BLKIF_RSP_ERROR);

    rq = one_seg(BLKIF_OP_READ, 5, 0, REF_DATA, 0, 7);
    rq.nr_segments = BLKIF_MAX_SEGMENTS_PER_REQUEST + 1;
    expect("12 segments (more than a request holds): error response", rq, BLKIF_RSP_ERROR);
    rq.nr_segments = 0;
    rq.id = 6;
    expect("0 segments for a read: error response", rq, BLKIF_RSP_ERROR);
    expect("a segment ending past its page (last_sect 8): error response",
           one_seg(BLKIF_OP_READ, 7, 0, REF_DATA, 0, 8), BLKIF_RSP_ERROR);
    expect("a segment ending before it starts: error response",
           one_seg(BLKIF_OP_READ, 8, 0, REF_DATA, 5, 2), BLKIF_RSP_ERROR);
    expect("a sector far past the disk's end: error response",
           one_seg(BLKIF_OP_READ, 9, 1ull << 40, REF_DATA, 0, 7), BLKIF_RSP_ERROR);

    /* Revoke while mapped: watch our grant entry for blkback's mapping
     * (the hypervisor sets GTF_writing/reading) and clear it under it. */
    rq = one_seg(BLKIF_OP_WRITE, 10, 16, REF_DATA, 0, 7);
    submit(&rq);
    deadline = pvclock_now() + WAIT_NS;
    while (sring->rsp_prod == rsp_cons && pvclock_now() < deadline) {
        if (__atomic_load_n(&frontend_gnt[REF_DATA].flags, __ATOMIC_ACQUIRE) &
            (GTF_reading | GTF_writing)) {
            frontend_gnt[REF_DATA].flags = 0;
            seen_inuse = 1;
            break;
        }
    }
    st = response(10);
    printf("hostblk: revoke while mapped: %s, status %d\n",
           seen_inuse ? "revoked under the mapping" : "not caught in flight", st);
    CHECK(st == BLKIF_RSP_OKAY || st == BLKIF_RSP_ERROR,
          "a grant revoked while mapped: the request still gets an answer");
    frontend_grant(REF_DATA, data, 0);
    expect("after all that, a good read is still served",
           one_seg(BLKIF_OP_READ, 11, 0, REF_DATA, 0, 7), BLKIF_RSP_OKAY);

    /* Last: a producer index far past the ring.  Linux's blkback stops
     * serving this ring (and says so in dom0's log); nothing to wait for. */
    sring->req_prod = rsp_cons + 1000;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_send(blk_port);
    printf("hostblk: ring index overflow sent (req_prod %u, rsp_cons %u)\n",
           sring->req_prod, rsp_cons);
    test_pass("ring index overflow sent");
    printf("hostblk: done\n");
}
