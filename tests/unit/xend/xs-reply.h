/* xs-reply.h: reading xenstore replies and events back from a
 * connection's output queue, for the xenstore unit tests (test-xs,
 * test-xs-tx, test-xs-perm).  Include after xs_wire.h and xs.h. */
#ifndef XS_REPLY_H
#define XS_REPLY_H

#include <stdint.h>
#include <string.h>

struct reply {
	uint32_t type, req_id, tx_id, len;
	char	 body[XENSTORE_PAYLOAD_MAX + 1];
};

/* Pop the next queued message; 0 if there is none. */
static int
next_msg(struct xs_conn *c, struct reply *r)
{
	struct xsd_sockmsg h;
	const char *out;
	size_t len;

	out = xs_conn_output(c, &len);
	if (len < sizeof h)
		return 0;
	memcpy(&h, out, sizeof h);
	if (len < sizeof h + h.len || h.len > XENSTORE_PAYLOAD_MAX)
		return 0;
	r->type = h.type;
	r->req_id = h.req_id;
	r->tx_id = h.tx_id;
	r->len = h.len;
	memcpy(r->body, out + sizeof h, h.len);
	r->body[h.len] = '\0';
	xs_conn_consume(c, sizeof h + h.len);
	return 1;
}

#endif
