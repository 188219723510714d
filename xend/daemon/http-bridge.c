/*
 * http-bridge.c: the web console's way to run a command.
 *
 * Rather than call handlers itself, the console is one more client of
 * the protocol: it makes a socketpair, hands one end to peer_accept as
 * if a client had connected to the UNIX socket, and writes the request
 * line on the other.  So a web action goes through exactly what xenctl's
 * goes through (framing, argument checks, the command table, the busy
 * rule, jobs for save and mem-set with a deadline) and there is no
 * second implementation of any command.  Progress items are skipped; the
 * final result or error goes to the callback and the pair is closed.
 * Reads are capped, like xenctl's, at XEND_REPLY_MAX.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "http.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

struct bridge_call {
	struct bufferevent *bev;
	http_bridge_cb	 cb;
	void		*arg;
};

static void
bridge_end(struct bridge_call *c, json_t *result, int code,
    const char *message)
{
	c->cb(c->arg, result, code, message);
	bufferevent_free(c->bev);
	free(c);
}

static void
bridge_read(struct bufferevent *bev, void *arg)
{
	struct bridge_call *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct proto_reply r;
	struct proto_error pe;
	size_t len;
	char *line;

	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) != NULL) {
		if (proto_decode_reply(line, len, &r, &pe) != 0) {
			free(line);
			bridge_end(c, NULL, pe.code, pe.message);
			return;
		}
		free(line);
		if (r.kind == PROTO_RESULT) {
			bridge_end(c, r.body, 0, NULL);
			proto_reply_free(&r);
			return;
		}
		if (r.kind == PROTO_ERROR) {
			bridge_end(c, NULL, r.code, r.message);
			proto_reply_free(&r);
			return;
		}
		proto_reply_free(&r);	/* progress: not shown */
	}
	if (evbuffer_get_length(in) > XEND_REPLY_MAX)
		bridge_end(c, NULL, XE_FRAMING, "reply too long");
}

static void
bridge_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bridge_end(arg, NULL, XE_INTERNAL, "xend closed the command "
		    "connection");
}

int
http_bridge_call(const char *cmd, json_t *args, http_bridge_cb cb, void *arg)
{
	struct bridge_call *c;
	char *line;
	int fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    fds) != 0) {
		log_warn("web console: socketpair");
		json_decref(args);
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->cb = cb;
	c->arg = arg;
	c->bev = bufferevent_socket_new(xend->base, fds[1],
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(fds[0]);
		close(fds[1]);
		free(c);
		json_decref(args);
		return -1;
	}
	/* The daemon's end: a client like any other (same uid). */
	peer_accept(fds[0]);
	line = proto_encode_request(1, cmd, args);
	if (line == NULL) {
		bufferevent_free(c->bev);
		free(c);
		return -1;
	}
	bufferevent_write(c->bev, line, strlen(line));
	free(line);
	bufferevent_setcb(c->bev, bridge_read, NULL, bridge_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	return 0;
}
