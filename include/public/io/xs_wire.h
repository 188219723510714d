/*
 * The xenstore wire protocol: message header, message types, error names
 * and the shared ring page a domain talks to xenstored through.
 *
 * Every message is a struct xsd_sockmsg followed by len payload bytes,
 * normally NUL-terminated strings.  A reply carries the request's type
 * and req_id, or type XS_ERROR with an errno name as payload.  Numbers and
 * layouts are upstream facts as Linux 6.1 uses them; append only.
 */
#ifndef XEN_PUBLIC_IO_XS_WIRE_H
#define XEN_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>

#define XS_CONTROL              0
#define XS_DEBUG                XS_CONTROL
#define XS_DIRECTORY            1
#define XS_READ                 2
#define XS_GET_PERMS            3
#define XS_WATCH                4
#define XS_UNWATCH              5
#define XS_TRANSACTION_START    6
#define XS_TRANSACTION_END      7
#define XS_INTRODUCE            8
#define XS_RELEASE              9
#define XS_GET_DOMAIN_PATH     10
#define XS_WRITE               11
#define XS_MKDIR               12
#define XS_RM                  13
#define XS_SET_PERMS           14
#define XS_WATCH_EVENT         15 /* server -> client only */
#define XS_ERROR               16 /* reply only */
#define XS_IS_DOMAIN_INTRODUCED 17
#define XS_RESUME              18
#define XS_SET_TARGET          19
/*                             20    retired (XS_RESTRICT) */
#define XS_RESET_WATCHES       21
#define XS_DIRECTORY_PART      22
#define XS_TYPE_COUNT          23 /* one past the last type Linux 6.1 knows */
#define XS_INVALID         0xFFFF /* never a valid type */

/* Write modes understood by some xenstored implementations. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * The errno names a client recognises in an XS_ERROR payload; anything
 * else reads as EINVAL.  Expand with a macro taking the bare name, e.g.
 * #define ONE(e) { e, #e },  with <errno.h> in scope.
 */
#define XSD_ERROR_LIST(X)                                                    \
    X(EINVAL) X(EACCES) X(EEXIST) X(EISDIR) X(ENOENT) X(ENOMEM) X(ENOSPC)    \
    X(EIO) X(ENOTEMPTY) X(ENOSYS) X(EROFS) X(EBUSY) X(EAGAIN) X(EISCONN)     \
    X(E2BIG)

struct xsd_sockmsg {
    uint32_t type;   /* XS_* */
    uint32_t req_id; /* chosen by the client, echoed in the reply */
    uint32_t tx_id;  /* transaction id, 0 for none */
    uint32_t len;    /* payload bytes that follow */
};

/* Field order of an XS_WATCH_EVENT payload. */
#define XS_WATCH_PATH  0
#define XS_WATCH_TOKEN 1

/* ---- The shared ring page ---- */

#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

/* Indexes are free-running; the guest produces req and consumes rsp. */
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
    uint32_t connection;      /* XENSTORE_CONNECTED / _RECONNECT */
    uint32_t error;           /* XENSTORE_ERROR_* */
};

#define XENSTORE_PAYLOAD_MAX  4096 /* longer messages break the protocol */
#define XENSTORE_ABS_PATH_MAX 3072 /* longer paths get an error */
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1
#define XENSTORE_SERVER_FEATURE_ERROR        2

#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1
#define XENSTORE_ERROR_RINGIDX 2
#define XENSTORE_ERROR_PROTO   3

#endif /* XEN_PUBLIC_IO_XS_WIRE_H */
