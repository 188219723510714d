/*
 * hostnet: a domU test kernel that is a hostile netfront.  Created by
 * tests/linux-domu/linux-net (suite 87-linux-net) with two vifs on
 * xenbr0, beside two Linux guests using theirs, it connects each vif to
 * dom0's xen-netback the proper way (xenstore handshake, granted tx and
 * rx rings, an event channel) and then does what a broken or malicious
 * netfront would:
 *   - tx frames naming a grant reference never granted, one past the
 *     table, one whose grant was taken back; a frame shorter than an
 *     Ethernet header: each must come back as an error response;
 *   - a frame whose grant it revokes while netback has it mapped: it
 *     must still get an answer, and a good frame after it is served;
 *   - rx buffers that are not granted or granted read-only: netback's
 *     copy into them must fail (an error status), a good buffer beside
 *     them gets a frame; then an rx producer index far past the ring;
 *   - vif-0: a tx request whose data runs past its page (oversized);
 *     vif-1: a tx producer index 1000 past the ring.  Netback treats
 *     both as fatal and disables that vif only (the suite reads dom0's
 *     log and the vif's carrier).
 * dom0's kernel, the hypervisor and the Linux guests on the bridge must
 * not notice: the suite checks that, and the frame audit at our end.
 * It then waits for `xenctl shutdown` (control/shutdown), so dom0 can
 * look at the disabled vifs while they exist.  Only makes sense as a
 * domU with xenstore and vifs, so it is not in ENABLED.  Results go to
 * console_io ("(dN) PASS: ..."), then it powers off.
 */
#include "guest.h"
#include "pt.h"
#include "frontend_gnt.h"
#include "public/io/netif.h"
#include "xs_client.h"

#define NVIFS           2
#define REF_NEVER       300     /* inside the table, never granted */
#define REF_PAST_TABLE  0xfffffff0u
#define POLL_SLICE_NS   (50ull * 1000 * 1000)
#define WAIT_NS         XS_WAIT_NS
#define ETH_HLEN        14
#define FRAME_MIN       60
#define FRAME_MAPPED    1000    /* past netback's 128-byte copy: the rest is mapped */

/* Per vif, its grant references are ref_base + one of these. */
enum { R_TX_RING, R_RX_RING, R_TX_DATA, R_TAKEN_BACK, R_RX_BUF, R_RX_RO, R_COUNT };

struct nic {
    unsigned int idx;
    unsigned int ref_base;
    char fe[32];                        /* device/vif/N */
    char be[128];                       /* netback's directory */
    evtchn_port_t port;
    volatile struct netif_tx_sring *tx;
    volatile struct netif_rx_sring *rx;
    volatile uint8_t *data;             /* the frames we send */
    volatile uint8_t *rxbuf, *rxro;     /* buffers we offer */
    netif_ring_idx_t tx_cons, rx_cons;  /* next response to read */
};

static struct nic nics[NVIFS];
static uint16_t next_tx_id = 1;

/* Sleep on the vif's port for a slice (its events are not delivered:
 * upcalls are off, the port is polled). */
static void nic_wait(struct nic *n)
{
    evtchn_port_t port = n->port;
    struct sched_poll p = { .nr_ports = 1 };

    p.ports.p = &port;
    p.timeout = pvclock_now() + POLL_SLICE_NS;
    hv_sched_op(SCHEDOP_poll, &p);
    evtchn_clear_pending(n->port);
}

/* ---- the handshake ------------------------------------------------------ */

static void nic_connect(struct nic *n)
{
    char key[160];
    int ok;

    snprintf(n->fe, sizeof(n->fe), "device/vif/%u", n->idx);
    n->ref_base = 16 + 16 * n->idx;
    snprintf(key, sizeof(key), "%s/backend", n->fe);
    /* xend writes our device nodes just after attaching our store. */
    if (!xs_wait_value(key, NULL) || xs_reply.hdr.len == 0 ||
        xs_reply.hdr.len >= sizeof(n->be) - 16)
        test_abort(casename("xenstore: %s", key), "not there (is a vif configured?)");
    memcpy(n->be, xs_reply.body, xs_reply.hdr.len + 1);
    printf("hostnet: vif-%u backend %s\n", n->idx, n->be);
    snprintf(key, sizeof(key), "%s/state", n->be);
    CHECK(xs_wait_value(key, "2"), casename("vif-%u: netback waits for us (InitWait)", n->idx));

    n->tx = page_alloc();
    n->rx = page_alloc();
    n->data = page_alloc();
    n->rxbuf = page_alloc();
    n->rxro = page_alloc();
    memset((void *)n->tx, 0, PAGE_SIZE);
    memset((void *)n->rx, 0, PAGE_SIZE);
    n->tx->req_event = n->tx->rsp_event = 1;
    n->rx->req_event = n->rx->rsp_event = 1;
    frontend_grant(n->ref_base + R_TX_RING, n->tx, 0);
    frontend_grant(n->ref_base + R_RX_RING, n->rx, 0);
    frontend_grant(n->ref_base + R_TX_DATA, n->data, 1);
    frontend_grant(n->ref_base + R_TAKEN_BACK, n->data, 1);
    frontend_grant(n->ref_base + R_RX_BUF, n->rxbuf, 0);
    frontend_grant(n->ref_base + R_RX_RO, n->rxro, 1);
    if (evtchn_alloc_unbound(0, &n->port) != 0)
        test_abort("event channel", "alloc_unbound for dom0 failed");
#define FE_WRITE(k, v) (snprintf(key, sizeof(key), "%s/" k, n->fe), xs_write_uint(key, v) == 0)
    /* Netback refuses a frontend without rx copy and rx notify. */
    ok = FE_WRITE("tx-ring-ref", n->ref_base + R_TX_RING) &&
         FE_WRITE("rx-ring-ref", n->ref_base + R_RX_RING) &&
         FE_WRITE("event-channel", n->port) &&
         FE_WRITE("request-rx-copy", 1) && FE_WRITE("feature-rx-notify", 1) &&
         FE_WRITE("feature-sg", 0) && FE_WRITE("state", 4);
#undef FE_WRITE
    if (!ok)
        test_abort(casename("vif-%u: our frontend nodes", n->idx), "a write failed");
    snprintf(key, sizeof(key), "%s/state", n->be);
    CHECK(xs_wait_value(key, "4"), casename("vif-%u: netback connected to our rings", n->idx));
}

/* ---- tx ------------------------------------------------------------------ */

/* A broadcast frame of LEN bytes at the start of the data page. */
static void make_frame(struct nic *n, unsigned int len)
{
    volatile uint8_t *f = n->data;
    unsigned int i;

    for (i = 0; i < 6; i++)
        f[i] = 0xff;
    f[6] = 0x02; f[7] = 0; f[8] = 0; f[9] = 0x87; f[10] = 0xbe; f[11] = (uint8_t)n->idx;
    f[12] = 0x88; f[13] = 0xb5;         /* the local experimental ethertype */
    for (i = ETH_HLEN; i < len; i++)
        f[i] = (uint8_t)i;
}

static uint16_t tx_submit(struct nic *n, uint32_t gref, uint16_t offset, uint16_t size)
{
    netif_ring_idx_t i = n->tx->req_prod;
    volatile struct netif_tx_request *rq = &n->tx->ring[i % NETIF_TX_RING_SIZE].req;
    uint16_t id = next_tx_id++;

    rq->gref = gref;
    rq->offset = offset;
    rq->flags = 0;
    rq->id = id;
    rq->size = size;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    n->tx->req_prod = i + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_send(n->port);
    return id;
}

/* The status of the next tx response (it must answer id), or 99 if none
 * came within WAIT_NS, 98 if it answered another id. */
static int tx_response(struct nic *n, uint16_t id)
{
    uint64_t deadline = pvclock_now() + WAIT_NS;
    struct netif_tx_response rsp;

    while (n->tx->rsp_prod == n->tx_cons) {
        if (pvclock_now() >= deadline)
            return 99;
        nic_wait(n);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    memcpy(&rsp, (const void *)&n->tx->ring[n->tx_cons % NETIF_TX_RING_SIZE].rsp, sizeof(rsp));
    n->tx_cons++;
    n->tx->rsp_event = n->tx_cons + 1;
    return rsp.id == id ? rsp.status : 98;
}

static void tx_expect(struct nic *n, const char *name, uint32_t gref, uint16_t size, int want_ok)
{
    int st = tx_response(n, tx_submit(n, gref, 0, size));

    if (want_ok ? st == NETIF_RSP_OKAY : st < 0)
        test_pass(casename("vif-%u: %s", n->idx, name));
    else
        test_fail(casename("vif-%u: %s", n->idx, name), "status %d, expected %s", st,
                  want_ok ? "OKAY (0)" : "an error (< 0)");
}

/* ---- rx ------------------------------------------------------------------ */

static void rx_post(struct nic *n, uint16_t id, uint32_t gref)
{
    netif_ring_idx_t i = n->rx->req_prod;

    n->rx->ring[i % NETIF_RX_RING_SIZE].req.id = id;
    n->rx->ring[i % NETIF_RX_RING_SIZE].req.gref = gref;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    n->rx->req_prod = i + 1;
}

/* The next rx response (id and status in *rsp); 0 if none came in time.
 * Frames arrive when dom0 sends broadcasts on the bridge. */
static int rx_response(struct nic *n, struct netif_rx_response *rsp)
{
    uint64_t deadline = pvclock_now() + 2 * WAIT_NS;

    while (n->rx->rsp_prod == n->rx_cons) {
        if (pvclock_now() >= deadline)
            return 0;
        nic_wait(n);
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    memcpy(rsp, (const void *)&n->rx->ring[n->rx_cons % NETIF_RX_RING_SIZE].rsp, sizeof(*rsp));
    n->rx_cons++;
    n->rx->rsp_event = n->rx_cons + 1;
    return 1;
}

static void rx_abuse(struct nic *n)
{
    struct netif_rx_response rsp;
    int i, got[3] = { 0, 0, 0 }, st[3] = { 0, 0, 0 };
    unsigned int k;

    rx_post(n, 1, REF_NEVER);
    rx_post(n, 2, n->ref_base + R_RX_RO);
    rx_post(n, 3, n->ref_base + R_RX_BUF);
    evtchn_send(n->port);
    printf("hostnet: vif-%u: rx buffers posted, waiting for frames\n", n->idx);
    for (i = 0; i < 3 && rx_response(n, &rsp); i++) {
        if (rsp.id >= 1 && rsp.id <= 3) {
            got[rsp.id - 1] = 1;
            st[rsp.id - 1] = rsp.status;
        }
    }
    printf("hostnet: vif-%u: rx statuses %d %d %d\n", n->idx, st[0], st[1], st[2]);
    CHECK(got[0] && st[0] < 0, "rx: a buffer never granted gets an error status");
    CHECK(got[1] && st[1] < 0, "rx: a buffer granted read-only gets an error status");
    CHECK(got[2] && st[2] >= ETH_HLEN, "rx: the good buffer beside them gets a frame");

    /* Fill every slot with a never-granted buffer, then claim a producer
     * index far past the ring: whatever netback does with it, it may copy
     * into none of our pages and must not stop the other guests. */
    for (k = 0; k < NETIF_RX_RING_SIZE; k++) {
        n->rx->ring[k].req.id = (uint16_t)(100 + k);
        n->rx->ring[k].req.gref = REF_NEVER;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    n->rx->req_prod = n->rx_cons + 100000;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_send(n->port);
    test_pass("rx ring index overflow sent");
}

/* ---- the cases ----------------------------------------------------------- */

static void tx_abuse(struct nic *n)
{
    uint32_t data = n->ref_base + R_TX_DATA;
    uint64_t deadline;
    uint16_t id;
    int st, seen_inuse = 0;

    make_frame(n, FRAME_MAPPED);
    tx_expect(n, "a good 60-byte frame is served", data, FRAME_MIN, 1);
    tx_expect(n, "a grant reference never granted: error response", REF_NEVER, FRAME_MIN, 0);
    tx_expect(n, "a grant reference past the table: error response", REF_PAST_TABLE, FRAME_MIN, 0);
    frontend_gnt[n->ref_base + R_TAKEN_BACK].flags = 0;
    tx_expect(n, "a grant taken back before the frame: error response",
              n->ref_base + R_TAKEN_BACK, FRAME_MIN, 0);
    tx_expect(n, "a frame shorter than an Ethernet header: error response", data, 8, 0);

    /* Revoke while mapped: netback copies the first 128 bytes and maps
     * the page for the rest; clear our entry under that mapping. */
    id = tx_submit(n, data, 0, FRAME_MAPPED);
    deadline = pvclock_now() + WAIT_NS;
    while (n->tx->rsp_prod == n->tx_cons && pvclock_now() < deadline) {
        if (__atomic_load_n(&frontend_gnt[data].flags, __ATOMIC_ACQUIRE) & (GTF_reading | GTF_writing)) {
            frontend_gnt[data].flags = 0;
            seen_inuse = 1;
            break;
        }
    }
    st = tx_response(n, id);
    printf("hostnet: revoke while mapped: %s, status %d\n",
           seen_inuse ? "revoked under the mapping" : "not caught in flight", st);
    CHECK(st == NETIF_RSP_OKAY || st == NETIF_RSP_ERROR,
          "tx: a grant revoked while mapped: the frame still gets an answer");
    frontend_grant(data, n->data, 1);
    tx_expect(n, "after all that, a good 1000-byte frame is served", data, FRAME_MAPPED, 1);
}

/* Wait (at most ~5 minutes) for dom0's `xenctl shutdown`. */
static void wait_for_shutdown(void)
{
    int i;

    for (i = 0; i < 5; i++)
        if (xs_wait_value("control/shutdown", NULL))
            break;
    printf("hostnet: control/shutdown %s\n", i < 5 ? xs_reply.body : "never came");
}

void test_main(void)
{
    unsigned int i;

    setup(SETUP_SHARED_INFO);
    events_disable();       /* no upcalls: ports are polled */
    xs_client_init();
    frontend_gnt_setup();
    for (i = 0; i < NVIFS; i++) {
        nics[i].idx = i;
        nic_connect(&nics[i]);
    }

    tx_abuse(&nics[0]);
    make_frame(&nics[1], FRAME_MIN);
    tx_expect(&nics[1], "a good frame is served", nics[1].ref_base + R_TX_DATA, FRAME_MIN, 1);
    rx_abuse(&nics[0]);

    /* Last, the fatal ones, one per vif (netback disables a vif at the
     * first): data past the end of its page on vif-0, a producer index
     * far past the ring on vif-1.  Nothing comes back to wait for. */
    make_frame(&nics[0], FRAME_MIN);
    tx_submit(&nics[0], nics[0].ref_base + R_TX_DATA, 100, PAGE_SIZE);
    test_pass("vif-0: a frame running past its page sent");
    nics[1].tx->req_prod = nics[1].tx_cons + 1000;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    evtchn_send(nics[1].port);
    printf("hostnet: vif-1: tx ring index overflow sent (req_prod %u, rsp_cons %u)\n",
           nics[1].tx->req_prod, nics[1].tx_cons);
    test_pass("vif-1: tx ring index overflow sent");
    printf("hostnet: done\n");
    wait_for_shutdown();
}
