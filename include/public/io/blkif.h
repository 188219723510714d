/*
 * The block device ring between a blkfront and a blkback (x86_64 layout,
 * the "x86_64-abi" protocol): one shared page holding four indexes,
 * padding to 64 bytes, then a power-of-two array of slots, each a request
 * (frontend -> backend) or, once served, its response.  Indexes are
 * free-running; a slot is the index masked by the ring size.  Sizes and
 * offsets are upstream facts (Linux's blkback checks them); append only.
 * Our test kernels use it (tests/guests/hostblk.c); the drivers are
 * Linux's own.
 */
#ifndef XEN_PUBLIC_IO_BLKIF_H
#define XEN_PUBLIC_IO_BLKIF_H

#include <stdint.h>

#define BLKIF_OP_READ                   0
#define BLKIF_OP_WRITE                  1
#define BLKIF_MAX_SEGMENTS_PER_REQUEST  11
#define BLKIF_SECTORS_PER_PAGE          8       /* 512-byte sectors */

#define BLKIF_RSP_EOPNOTSUPP            (-2)
#define BLKIF_RSP_ERROR                 (-1)
#define BLKIF_RSP_OKAY                  0

typedef uint32_t blkif_ring_idx_t;

/* One page of a request: grant gref, sectors first..last (0..7) of it. */
struct blkif_request_segment {
    uint32_t gref;
    uint8_t first_sect, last_sect;
    uint16_t _pad;
};

struct blkif_request {
    uint8_t operation;              /* BLKIF_OP_* */
    uint8_t nr_segments;            /* 1..BLKIF_MAX_SEGMENTS_PER_REQUEST */
    uint16_t handle;                /* the virtual device */
    uint32_t _pad;
    uint64_t id;                    /* echoed in the response */
    uint64_t sector_number;         /* first 512-byte sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};

struct blkif_response {
    uint64_t id;
    uint8_t operation;
    uint8_t _pad;
    int16_t status;                 /* BLKIF_RSP_* */
    uint32_t _pad2;
};

union blkif_sring_entry {
    struct blkif_request req;
    struct blkif_response rsp;
};

#define BLKIF_RING_SIZE                 32      /* (4096 - 64) / 112, rounded down to 2^n */

struct blkif_sring {
    blkif_ring_idx_t req_prod, req_event;
    blkif_ring_idx_t rsp_prod, rsp_event;
    uint8_t _pad[48];
    union blkif_sring_entry ring[BLKIF_RING_SIZE];
};

_Static_assert(sizeof(struct blkif_request) == 112, "blkif request size");
_Static_assert(sizeof(struct blkif_response) == 16, "blkif response size");
_Static_assert(__builtin_offsetof(struct blkif_sring, ring) == 64, "ring offset");
_Static_assert(sizeof(struct blkif_sring) <= 4096, "one page");

#endif /* XEN_PUBLIC_IO_BLKIF_H */
