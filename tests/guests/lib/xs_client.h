/*
 * A test kernel's xenstore client on top of its ring (xs_ring.h): one
 * request at a time and its reply (watch events in between are
 * skipped), the writes and the "wait until a node says X" poll that a
 * split-driver frontend's handshake needs.  Used by the hostile
 * frontends (hostblk, hostnet); the reply of the last request stays in
 * xs_reply.
 */
#ifndef GUEST_LIB_XS_CLIENT_H
#define GUEST_LIB_XS_CLIENT_H

#include <stdint.h>
#include "public/io/xs_wire.h"
#include "xs_ring.h"

struct xs_reply {
    struct xsd_sockmsg hdr;
    char body[XENSTORE_PAYLOAD_MAX + 1];    /* NUL-terminated */
};
extern struct xs_reply xs_reply;

/* Map the store page start_info names and remember its port; aborts the
 * test if there is none. */
void xs_client_init(void);
/* One request with one or two strings (B may be NULL); the reply's type
 * (XS_ERROR on a refusal), -1 if the store did not answer in time. */
int xs_request(uint32_t type, const char *a, const char *b);
int xs_write_str(const char *key, const char *val);
int xs_write_uint(const char *key, unsigned long v);
/* Poll KEY until it reads WANT, or with WANT NULL until it exists (its
 * value left in xs_reply.body); 1 when it did within XS_WAIT_NS. */
int xs_wait_value(const char *key, const char *want);

#define XS_WAIT_NS (60ull * 1000 * 1000 * 1000)

#endif /* GUEST_LIB_XS_CLIENT_H */
