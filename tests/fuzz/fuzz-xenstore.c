/*
 * fuzz-xenstore.c: libFuzzer harness for the guest-facing side of xend's
 * xenstore: the bytes a domU writes into its ring, as xs_conn_input sees
 * them (message framing, the strict request checks, the tree and the
 * watches behind them).  The first byte picks the caller (a domU, or
 * dom0 which may touch everything) and how the rest is split into
 * chunks, since a ring delivers a message in arbitrary pieces.  Queued
 * output is drained as the ring transport would; a second connection
 * with a watch on everything receives the events the first one causes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xs.h"
#include "public/io/xs_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
drain(struct xs_conn *c)
{
	const char *out;
	size_t len;

	for (;;) {
		len = 4096;
		out = xs_conn_output(c, &len);
		if (out == NULL || len == 0)
			return;
		/* Every reply starts with a whole header. */
		if (len >= sizeof(struct xsd_sockmsg)) {
			struct xsd_sockmsg h;
			memcpy(&h, out, sizeof h);
			(void)h;
		}
		xs_conn_consume(c, len);
	}
}

static void
watch_all(struct xs_conn *c)
{
	static const char body[] = "/\0tok";
	struct xsd_sockmsg h;
	char msg[sizeof h + sizeof body];

	memset(&h, 0, sizeof h);
	h.type = XS_WATCH;
	h.len = sizeof body;
	memcpy(msg, &h, sizeof h);
	memcpy(msg + sizeof h, body, sizeof body);
	xs_conn_input(c, msg, sizeof msg);
	drain(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xs_store *st;
	struct xs_conn *c, *w;
	size_t off, chunk;
	uint32_t domid;

	if (size < 1)
		return 0;
	domid = (data[0] & 1) ? 0 : 7;
	chunk = (size_t)(data[0] >> 1) + 1;
	data++;
	size--;
	st = xs_store_new();
	xs_domain_introduce(st, 7, "guest", 65536);
	w = xs_conn_new(st, 0);
	watch_all(w);
	c = xs_conn_new(st, domid);
	for (off = 0; off < size && !xs_conn_broken(c); off += chunk) {
		if (xs_conn_input(c, data + off, size - off < chunk ?
		    size - off : chunk) != 0)
			break;
		drain(c);
		drain(w);
	}
	xs_conn_free(c);
	xs_conn_free(w);
	xs_domain_forget(st, 7);
	xs_store_free(st);
	return 0;
}
