/* xenstore request/reply for test kernels (xs_client.h). */
#include "guest.h"
#include "pt.h"
#include "xs_client.h"

#define POLL_SLICE_NS   (50ull * 1000 * 1000)

struct xs_reply xs_reply;
static uint8_t store_va[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct xs_ring ring;
static uint32_t next_req_id = 1;

void xs_client_init(void)
{
    if (start_info->store_mfn == 0 || start_info->store_evtchn == 0)
        test_abort("start_info names a store page and port", "none");
    if (hv_update_va_mapping((unsigned long)store_va,
                             (start_info->store_mfn << PAGE_SHIFT) | PTE_P | PTE_RW |
                             PTE_A | PTE_D, UVMF_INVLPG) != 0)
        test_abort("map the store ring", "update_va_mapping failed");
    ring.intf = (volatile struct xenstore_domain_interface *)store_va;
    ring.port = start_info->store_evtchn;
    ring.slice_ns = POLL_SLICE_NS;
}

int xs_request(uint32_t type, const char *a, const char *b)
{
    unsigned int la = (unsigned int)strlen(a) + 1, lb = b ? (unsigned int)strlen(b) : 0;
    struct xsd_sockmsg hdr = { .type = type, .req_id = next_req_id++,
                               .len = la + lb };
    uint64_t deadline = pvclock_now() + XS_WAIT_NS;

    if (!xs_ring_put(&ring, &hdr, sizeof(hdr), deadline) ||
        !xs_ring_put(&ring, a, la, deadline) || (lb && !xs_ring_put(&ring, b, lb, deadline)))
        return -1;
    for (;;) {
        if (!xs_ring_get(&ring, &xs_reply.hdr, sizeof(xs_reply.hdr), deadline) ||
            xs_reply.hdr.len > XENSTORE_PAYLOAD_MAX ||
            !xs_ring_get(&ring, xs_reply.body, xs_reply.hdr.len, deadline))
            return -1;
        xs_reply.body[xs_reply.hdr.len] = '\0';
        if (xs_reply.hdr.type != XS_WATCH_EVENT && xs_reply.hdr.req_id == hdr.req_id)
            return (int)xs_reply.hdr.type;
    }
}

int xs_write_str(const char *key, const char *val)
{
    return xs_request(XS_WRITE, key, val) == XS_WRITE ? 0 : -1;
}

int xs_write_uint(const char *key, unsigned long v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%lu", v);
    return xs_write_str(key, buf);
}

int xs_wait_value(const char *key, const char *want)
{
    uint64_t deadline = pvclock_now() + XS_WAIT_NS;
    struct sched_poll p = { .nr_ports = 0, .timeout = 0 };

    while (pvclock_now() < deadline) {
        if (xs_request(XS_READ, key, NULL) == XS_READ &&
            (want == NULL || strcmp(xs_reply.body, want) == 0))
            return 1;
        p.timeout = pvclock_now() + 20ull * 1000 * 1000;
        hv_sched_op(SCHEDOP_poll, &p);
    }
    return 0;
}
