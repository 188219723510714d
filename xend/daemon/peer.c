/*
 * peer.c: one connected client: credentials, framing, replies, streams.
 *
 * Framing is one request per '\n'-terminated line of at most
 * XEND_REQUEST_MAX bytes.  A line that breaks the framing or the byte-level
 * rules (too long, NUL, bad UTF-8, not JSON, wrong version) gets one error
 * reply and then the connection is closed, because nothing after it can
 * be trusted to be aligned.  A well-formed request that is refused (unknown
 * command, bad argument) gets an error reply and the connection stays.
 * Whatever a client sends, only that client is affected.
 *
 * Peers are never freed while a callback may still be using them: killing
 * a peer marks it and schedules the free from the event loop.
 *
 * A peer whose command runs as a job (job.c) is parked: nothing more is
 * read from it until the job's final reply, so its requests are answered
 * in order.  Progress items may be sent to it meanwhile.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "balloon.h"
#include "cmd.h"
#include "job.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

struct peer {
	TAILQ_ENTRY(peer) entry;
	struct bufferevent *bev;
	unsigned	 serial;	/* for log messages */
	uid_t		 uid;
	pid_t		 pid;
	int		 closing;	/* no more input; free once flushed */
	int		 freeing;	/* free already scheduled */
	int		 got_eof;	/* the client closed its side */
	int		 lingering;	/* discarding input before close */
	int		 throttled;	/* reading paused: client not reading */
	int		 parked;	/* waiting for a job's final reply */
	int64_t		 follow_id;	/* request id of log follow, or -1 */
	uint64_t	 follow_next;	/* next log seq the follower wants */
	int64_t		 cons_id;	/* request id of console attach, or -1 */
	uint32_t	 cons_domid;	/* the attached console's domain */
};

/* End p's console attachment, if any (console.c polls slower then). */
static void
peer_console_detach(struct peer *p)
{
	if (p->cons_id < 0)
		return;
	p->cons_id = -1;
	console_attached(-1);
}

static unsigned peer_serial;

static void
peer_free_now(evutil_socket_t fd, short events, void *arg)
{
	struct peer *p = arg;

	(void)fd;
	(void)events;
	log_debug("peer %u: closed", p->serial);
	job_forget_peer(p);
	balloon_forget_peer(p);
	hostdown_forget_peer(p);
	TAILQ_REMOVE(&xend->peers, p, entry);
	xend->npeers--;
	bufferevent_free(p->bev);
	free(p);
}

/* Free p from the event loop, after the current callback returns. */
static void
peer_kill(struct peer *p)
{
	if (p->freeing)
		return;
	p->freeing = 1;
	p->closing = 1;
	p->follow_id = -1;
	peer_console_detach(p);
	bufferevent_disable(p->bev, EV_READ | EV_WRITE);
	event_base_once(xend->base, -1, EV_TIMEOUT, peer_free_now, p, NULL);
}

static void
peer_discard(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);

	(void)arg;
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void peer_event(struct bufferevent *, short, void *);

/*
 * The reply is out; now close.  If the client may still be sending,
 * closing at once would make the kernel answer with a reset that can
 * destroy our error reply before the client reads it, so first shut our
 * side and discard input until the client closes (at most a second).
 */
static void
peer_finish(struct peer *p)
{
	struct timeval one_second = { 1, 0 };

	if (p->got_eof || p->lingering) {
		peer_kill(p);
		return;
	}
	p->lingering = 1;
	shutdown(bufferevent_getfd(p->bev), SHUT_WR);
	bufferevent_setwatermark(p->bev, EV_READ, 0, 0);
	bufferevent_setcb(p->bev, peer_discard, NULL, peer_event, p);
	bufferevent_set_timeouts(p->bev, &one_second, NULL);
	bufferevent_enable(p->bev, EV_READ);
}

/* Stop reading; close once everything queued has been written. */
static void
peer_close_after_flush(struct peer *p)
{
	p->closing = 1;
	p->follow_id = -1;
	peer_console_detach(p);
	bufferevent_disable(p->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(p->bev)) == 0)
		peer_finish(p);
}

void
peer_send(struct peer *p, char *line)
{
	if (line == NULL) {
		log_warnx("peer %u: reply could not be encoded", p->serial);
		peer_kill(p);
		return;
	}
	if (!p->freeing)
		bufferevent_write(p->bev, line, strlen(line));
	free(line);
}

void
peer_reply(struct peer *p, int64_t id, json_t *result)
{
	peer_send(p, proto_encode_result(id, result));
}

void
peer_error(struct peer *p, int64_t id, const struct xerr *e)
{
	log_debug("peer %u: request %lld failed: %d %s", p->serial,
	    (long long)id, e->code, e->msg);
	peer_send(p, proto_encode_error(id, e->code, e->msg));
}

static void
peer_protocol_error(struct peer *p, int64_t id, const struct proto_error *pe)
{
	struct xerr e;

	xerr_set(&e, pe->code, "%s", pe->message);
	if (pe->fatal)
		log_info("peer %u (pid %ld): %s; closing connection",
		    p->serial, (long)p->pid, pe->message);
	peer_error(p, id, &e);
	if (pe->fatal)
		peer_close_after_flush(p);
}

static void
peer_handle_line(struct peer *p, const char *line, size_t len)
{
	struct proto_request req;
	struct proto_error pe;
	struct xerr e;
	json_t *result = NULL;

	if (proto_decode_request(line, len, &req, &pe) != 0) {
		peer_protocol_error(p, req.id, &pe);
		return;
	}
	log_debug("peer %u: request %lld %s", p->serial, (long long)req.id,
	    req.cmd);
	switch (cmd_dispatch(p, &req, &result, &e)) {
	case CMD_DONE:
		peer_reply(p, req.id, result);
		break;
	case CMD_ERROR:
		peer_error(p, req.id, &e);
		break;
	case CMD_FOLLOW:
		/* The log from here on, after the reply with what was. */
		peer_reply(p, req.id, result);
		p->follow_id = req.id;
		p->follow_next = xend->log_next;
		break;
	case CMD_WAIT:
		/* A job answers through peer_job_reply. */
		p->parked = 1;
		break;
	case CMD_SENT:
		break;
	}
	proto_request_free(&req);
}

static void
peer_framing_error(struct peer *p, const char *msg)
{
	struct proto_error pe;

	pe.code = XE_FRAMING;
	pe.fatal = 1;
	snprintf(pe.message, sizeof pe.message, "%s", msg);
	peer_protocol_error(p, -1, &pe);
}

static void
peer_read(struct bufferevent *bev, void *arg)
{
	struct peer *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer_ptr eol;
	size_t eol_len;
	char *line;

	while (!p->closing && !p->parked) {
		/*
		 * A client that sends requests but does not read the replies
		 * would make us buffer without bound; stop reading from it
		 * until it has caught up (peer_write resumes).
		 */
		if (evbuffer_get_length(bufferevent_get_output(bev)) >
		    PEER_OUTPUT_MAX) {
			p->throttled = 1;
			bufferevent_disable(bev, EV_READ);
			bufferevent_setwatermark(bev, EV_WRITE,
			    PEER_OUTPUT_MAX / 2, 0);
			return;
		}
		eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			if (evbuffer_get_length(in) >= XEND_REQUEST_MAX)
				peer_framing_error(p, "request line longer "
				    "than 65536 bytes");
			return;
		}
		if ((size_t)eol.pos + 1 > XEND_REQUEST_MAX) {
			peer_framing_error(p, "request line longer than "
			    "65536 bytes");
			return;
		}
		line = xmalloc((size_t)eol.pos + 1);
		evbuffer_remove(in, line, (size_t)eol.pos + 1);
		peer_handle_line(p, line, (size_t)eol.pos);
		free(line);
	}
}

/*
 * The client closed its side: answer what it sent (a half-closed client
 * still gets its replies), then close.  If it is throttled, peer_write
 * calls this again once the replies have drained.
 */
static void
peer_read_to_eof(struct peer *p)
{
	peer_read(p->bev, p);
	if (p->throttled || p->closing) {
		if (p->closing && !p->throttled)
			peer_close_after_flush(p);
		return;
	}
	if (evbuffer_get_length(bufferevent_get_input(p->bev)) > 0)
		peer_framing_error(p, "last request has no newline");
	peer_close_after_flush(p);
}

static void
peer_write(struct bufferevent *bev, void *arg)
{
	struct peer *p = arg;

	if (p->closing && !p->lingering) {
		peer_finish(p);
		return;
	}
	if (p->throttled && !p->closing) {
		p->throttled = 0;
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		if (p->got_eof)
			peer_read_to_eof(p);
		else {
			bufferevent_enable(bev, EV_READ);
			peer_read(bev, p);	/* requests already buffered */
		}
	}
}

static void
peer_event(struct bufferevent *bev, short what, void *arg)
{
	struct peer *p = arg;

	(void)bev;
	if (p->lingering) {
		peer_kill(p);
		return;
	}
	if (what & BEV_EVENT_EOF) {
		p->got_eof = 1;
		/* A parked client gets its reply first (peer_unpark). */
		if (p->parked)
			bufferevent_disable(p->bev, EV_READ);
		else
			peer_read_to_eof(p);
		return;
	}
	if (what & BEV_EVENT_ERROR)
		log_debug("peer %u: %s", p->serial, strerror(errno));
	peer_kill(p);
}

/* Answer a refused client directly: it has no peer and never will. */
static void
peer_refuse(int fd, const char *why)
{
	char *line = proto_encode_error(-1, XE_DENIED, why);

	if (line != NULL) {
		if (write(fd, line, strlen(line)) < 0)
			log_debug("refused peer: write: %s", strerror(errno));
		free(line);
	}
	close(fd);
}

void
peer_accept(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct peer *p;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("SO_PEERCRED");
		close(fd);
		return;
	}
	if (cred.uid != 0 && cred.uid != geteuid()) {
		log_info("refusing connection from uid %ld (pid %ld)",
		    (long)cred.uid, (long)cred.pid);
		peer_refuse(fd, "permission denied: only root may use xend");
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->serial = ++peer_serial;
	p->uid = cred.uid;
	p->pid = cred.pid;
	p->follow_id = -1;
	p->cons_id = -1;
	p->bev = bufferevent_socket_new(xend->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (p->bev == NULL) {
		log_warnx("cannot set up connection");
		close(fd);
		free(p);
		return;
	}
	/* Stop reading at one full request; the framing check then fires. */
	bufferevent_setwatermark(p->bev, EV_READ, 0, XEND_REQUEST_MAX + 1);
	bufferevent_setcb(p->bev, peer_read, peer_write, peer_event, p);
	bufferevent_enable(p->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&xend->peers, p, entry);
	xend->npeers++;
	log_debug("peer %u: connected, uid %ld pid %ld", p->serial,
	    (long)cred.uid, (long)cred.pid);
}

void
peer_progress(struct peer *p, int64_t id, json_t *item)
{
	if (p->closing) {
		json_decref(item);
		return;
	}
	peer_send(p, proto_encode_progress(id, item));
}

/* The job's final reply: send it, then read on (or finish an EOF'd peer). */
void
peer_job_reply(struct peer *p, int64_t id, json_t *result,
    const struct xerr *e)
{
	if (e != NULL)
		peer_error(p, id, e);
	else
		peer_reply(p, id, result);
	/* At shutdown (job_shutdown) answer, but start nothing new. */
	if (!p->parked || xend->stopping)
		return;
	p->parked = 0;
	if (p->closing || p->freeing || p->throttled)
		return;
	if (p->got_eof)
		peer_read_to_eof(p);
	else
		peer_read(p->bev, p);
}

void
peer_broadcast_log(json_t *lines)
{
	struct peer *p;
	json_t *mine, *l, *item;
	size_t i;

	TAILQ_FOREACH(p, &xend->peers, entry) {
		if (p->follow_id < 0 || p->closing)
			continue;
		mine = json_array();
		json_array_foreach(lines, i, l) {
			uint64_t seq = (uint64_t)json_integer_value(
			    json_object_get(l, "seq"));
			if (seq >= p->follow_next) {
				json_array_append(mine, l);
				p->follow_next = seq + 1;
			}
		}
		if (json_array_size(mine) == 0) {
			json_decref(mine);
			continue;
		}
		item = json_object();
		json_object_set_new(item, "lines", mine);
		peer_send(p, proto_encode_stream(p->follow_id, item));
		/* A follower that stops reading must not eat our memory. */
		if (evbuffer_get_length(bufferevent_get_output(p->bev)) >
		    PEER_OUTPUT_MAX) {
			log_warnx("peer %u: log follower not reading; "
			    "dropping it", p->serial);
			peer_kill(p);
		}
	}
}

/*
 * After the loop has ended: replies queued since (jobs finishing in
 * job_shutdown) get a few non-blocking turns of the loop to go out.
 * Nothing more is read.
 */
void
peer_flush_all(void)
{
	struct peer *p;
	int i, pending;

	TAILQ_FOREACH(p, &xend->peers, entry)
		if (!p->freeing)
			bufferevent_disable(p->bev, EV_READ);
	for (i = 0; i < 10; i++) {
		pending = 0;
		TAILQ_FOREACH(p, &xend->peers, entry)
			if (!p->freeing && evbuffer_get_length(
			    bufferevent_get_output(p->bev)) > 0)
				pending = 1;
		if (!pending)
			break;
		event_base_loop(xend->base, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	}
}

void
peer_free_all(void)
{
	struct peer *p;

	while ((p = TAILQ_FIRST(&xend->peers)) != NULL) {
		job_forget_peer(p);
		balloon_forget_peer(p);
	hostdown_forget_peer(p);
		TAILQ_REMOVE(&xend->peers, p, entry);
		bufferevent_free(p->bev);
		free(p);
	}
	xend->npeers = 0;
}

/*
 * Too much queued for a console client: it is not reading; drop it.  The
 * limit leaves room for a whole history (two 1 MiB logs, which JSON
 * escaping of control characters can make several times larger).
 */
#define PEER_CONSOLE_MAX	(4 * PEER_OUTPUT_MAX)

static int
peer_overflow(struct peer *p, const char *what)
{
	if (evbuffer_get_length(bufferevent_get_output(p->bev)) <=
	    PEER_CONSOLE_MAX)
		return 0;
	log_warnx("peer %u: %s not reading; dropping it", p->serial, what);
	peer_kill(p);
	return 1;
}

struct console_replay {
	struct peer	*p;
	int64_t		 id;
};

static void
peer_console_item(void *arg, json_t *text)
{
	struct console_replay *r = arg;
	json_t *item = json_object();

	json_object_set_new(item, "output", text);
	peer_send(r->p, proto_encode_stream(r->id, item));
}

/* History (console_history pumps first, while p is not yet attached, so
 * nothing comes twice), then live output. */
void
peer_console_attach(struct peer *p, int64_t id, const struct domain *d,
    int history)
{
	struct console_replay r = { p, id };

	peer_console_detach(p);
	if (history)
		console_history(d, peer_console_item, &r);
	else
		console_pump();
	p->cons_id = id;
	p->cons_domid = d->rec.domid;
	console_attached(1);
}

/* New console output of domid (NULL: the console is gone). */
void
peer_console_output(uint32_t domid, json_t *text)
{
	struct peer *p, *tp;
	json_t *item;

	TAILQ_FOREACH_SAFE(p, &xend->peers, entry, tp) {
		if (p->cons_id < 0 || p->closing || p->cons_domid != domid)
			continue;
		item = json_object();
		if (text != NULL)
			json_object_set(item, "output", text);
		else {
			json_object_set_new(item, "closed", json_true());
			json_object_set_new(item, "why", json_string(
			    "the domain is gone"));
		}
		peer_send(p, proto_encode_stream(p->cons_id, item));
		if (text == NULL)
			peer_console_detach(p);
		else
			peer_overflow(p, "console client");
	}
}
