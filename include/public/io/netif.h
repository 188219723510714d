/*
 * The network rings between a netfront and a netback (x86_64 layout):
 * two shared pages, tx (frontend -> backend: frames the guest sends) and
 * rx (frontend -> backend: empty buffers the backend copies received
 * frames into), each four indexes, padding to 64 bytes, then a
 * power-of-two array of slots holding a request or, once served, its
 * response.  Indexes are free-running; a slot is the index masked by the
 * ring size.  Sizes and offsets are upstream facts (Linux's netback reads
 * them); append only.  Our test kernels use it (tests/guests/hostnet.c);
 * the drivers are Linux's own.
 */
#ifndef XEN_PUBLIC_IO_NETIF_H
#define XEN_PUBLIC_IO_NETIF_H

#include <stdint.h>

/* tx request flags */
#define NETTXF_csum_blank               (1u << 0)
#define NETTXF_data_validated           (1u << 1)
#define NETTXF_more_data                (1u << 2)   /* the frame goes on in the next slot */
#define NETTXF_extra_info               (1u << 3)   /* a netif_extra_info slot follows */

/* response status (tx and rx) */
#define NETIF_RSP_DROPPED               (-2)
#define NETIF_RSP_ERROR                 (-1)
#define NETIF_RSP_OKAY                  0
#define NETIF_RSP_NULL                  1           /* the slot of an extra_info */

typedef uint32_t netif_ring_idx_t;

/* One slot of a frame the guest sends: SIZE bytes at OFFSET of the
 * granted page GREF (the first slot's size is the whole frame's). */
struct netif_tx_request {
    uint32_t gref;
    uint16_t offset;
    uint16_t flags;                 /* NETTXF_* */
    uint16_t id;                    /* echoed in the response */
    uint16_t size;
};

struct netif_tx_response {
    uint16_t id;
    int16_t status;                 /* NETIF_RSP_* */
};

/* An empty buffer (a granted, writable page) for one received frame. */
struct netif_rx_request {
    uint16_t id;
    uint16_t _pad;
    uint32_t gref;
};

struct netif_rx_response {
    uint16_t id;
    uint16_t offset;
    uint16_t flags;
    int16_t status;                 /* > 0: bytes received; < 0: NETIF_RSP_* or a GNTST_* */
};

union netif_tx_sring_entry {
    struct netif_tx_request req;
    struct netif_tx_response rsp;
};

union netif_rx_sring_entry {
    struct netif_rx_request req;
    struct netif_rx_response rsp;
};

#define NETIF_TX_RING_SIZE              256     /* (4096 - 64) / 12, rounded down to 2^n */
#define NETIF_RX_RING_SIZE              256     /* (4096 - 64) / 8, rounded down to 2^n */

struct netif_tx_sring {
    netif_ring_idx_t req_prod, req_event;
    netif_ring_idx_t rsp_prod, rsp_event;
    uint8_t _pad[48];
    union netif_tx_sring_entry ring[NETIF_TX_RING_SIZE];
};

struct netif_rx_sring {
    netif_ring_idx_t req_prod, req_event;
    netif_ring_idx_t rsp_prod, rsp_event;
    uint8_t _pad[48];
    union netif_rx_sring_entry ring[NETIF_RX_RING_SIZE];
};

_Static_assert(sizeof(struct netif_tx_request) == 12, "netif tx request size");
_Static_assert(sizeof(struct netif_tx_response) == 4, "netif tx response size");
_Static_assert(sizeof(struct netif_rx_request) == 8, "netif rx request size");
_Static_assert(sizeof(struct netif_rx_response) == 8, "netif rx response size");
_Static_assert(__builtin_offsetof(struct netif_tx_sring, ring) == 64, "tx ring offset");
_Static_assert(__builtin_offsetof(struct netif_rx_sring, ring) == 64, "rx ring offset");
_Static_assert(sizeof(struct netif_tx_sring) <= 4096, "tx: one page");
_Static_assert(sizeof(struct netif_rx_sring) <= 4096, "rx: one page");

#endif /* XEN_PUBLIC_IO_NETIF_H */
