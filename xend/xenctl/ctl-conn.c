/*
 * ctl-conn.c: xenctl's side of the protocol: connect, send one request,
 * read replies line by line until the one carrying our id.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "protocol.h"
#include "xmalloc.h"

/* How long to wait for a reply (or, for a slow command, for the next
 * progress item) to an ordinary (non-follow) request. */
#define CTL_REPLY_TIMEOUT_MS	60000
/* How long to wait for an xend that is starting (see starting()). */
#define CTL_START_WAIT_MS	5000

/*
 * Is an xend on its way?  Yes if the socket exists but nobody accepts yet
 * (ECONNREFUSED), or if xend.pid beside the socket (written by whoever
 * started it, e.g. dom0's /init) names a live process.
 */
static int
starting(const char *sock, int err)
{
	char path[sizeof ((struct sockaddr_un *)0)->sun_path + 16], buf[32];
	const char *slash;
	long pid;
	FILE *f;

	if (err == ECONNREFUSED)
		return 1;
	if (err != ENOENT || (slash = strrchr(sock, '/')) == NULL)
		return 0;
	snprintf(path, sizeof path, "%.*s/xend.pid", (int)(slash - sock),
	    sock);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	pid = 0;
	if (fgets(buf, sizeof buf, f) != NULL)
		pid = strtol(buf, NULL, 10);
	fclose(f);
	return pid > 1 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

void
ctl_connect(struct ctl *c)
{
	struct sockaddr_un sa;
	int waited;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(c->socket_path) >= sizeof sa.sun_path) {
		fprintf(stderr, "xenctl: socket path too long: %s\n",
		    c->socket_path);
		exit(EXIT_USAGE);
	}
	strcpy(sa.sun_path, c->socket_path);
	for (waited = 0;; waited += 100) {
		int err;

		if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC,
		    0)) == -1) {
			fprintf(stderr, "xenctl: socket: %s\n",
			    strerror(errno));
			exit(EXIT_NOCONN);
		}
		if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			break;
		err = errno;
		close(c->fd);
		if (waited < CTL_START_WAIT_MS &&
		    starting(c->socket_path, err)) {
			poll(NULL, 0, 100);
			continue;
		}
		fprintf(stderr, "xenctl: cannot connect to xend at %s: %s ",
		    c->socket_path, strerror(err));
		if (err == ENOENT || err == ECONNREFUSED)
			fprintf(stderr, "(is xend running? start it with "
			    "`xend`, or point --socket at its socket)\n");
		else if (err == EACCES)
			fprintf(stderr, "(xend accepts only root: try sudo)\n");
		else
			fprintf(stderr, "(check --socket)\n");
		exit(EXIT_NOCONN);
	}
}

static int
send_all(struct ctl *c, const char *line)
{
	size_t off = 0, len = strlen(line);
	ssize_t n;

	while (off < len) {
		n = send(c->fd, line + off, len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Next line from xend (without '\n'), or NULL at EOF. */
static char *
read_line(struct ctl *c, int timeout_ms, size_t *lenp)
{
	struct pollfd pfd;
	char *nl, *line;
	ssize_t n;
	size_t len;

	for (;;) {
		if (c->len > 0 && (nl = memchr(c->buf, '\n', c->len)) != NULL) {
			len = (size_t)(nl - c->buf);
			line = xmalloc(len + 1);
			memcpy(line, c->buf, len);
			line[len] = '\0';
			memmove(c->buf, nl + 1, c->len - len - 1);
			c->len -= len + 1;
			*lenp = len;
			return line;
		}
		if (c->len >= XEND_REPLY_MAX) {
			fprintf(stderr, "xenctl: reply from xend longer than "
			    "%d bytes\n", XEND_REPLY_MAX);
			exit(EXIT_PROTOCOL);
		}
		if (c->cap - c->len < 65536) {
			c->cap = c->cap ? c->cap * 2 : 131072;
			c->buf = xreallocarray(c->buf, c->cap, 1);
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		n = poll(&pfd, 1, timeout_ms);
		if (n == 0) {
			fprintf(stderr, "xenctl: no reply from xend within %d "
			    "seconds\n", timeout_ms / 1000);
			exit(EXIT_PROTOCOL);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "xenctl: poll: %s\n", strerror(errno));
			exit(EXIT_PROTOCOL);
		}
		n = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		c->len += (size_t)n;
	}
}

static json_t *
read_reply(struct ctl *c, int64_t id, int want_stream, int timeout_ms)
{
	struct proto_reply rep;
	struct proto_error pe;
	json_t *body;
	char *line;
	size_t len;

	for (;;) {
		if ((line = read_line(c, timeout_ms, &len)) == NULL)
			return NULL;
		if (proto_decode_reply(line, len, &rep, &pe) != 0) {
			fprintf(stderr, "xenctl: bad reply from xend: %s\n",
			    pe.message);
			exit(EXIT_PROTOCOL);
		}
		free(line);
		if (rep.kind == PROTO_PROGRESS && rep.id == id) {
			ctl_progress_show(c, rep.body);
			proto_reply_free(&rep);
			continue;
		}
		if (rep.kind != PROTO_PROGRESS)
			ctl_progress_end(c);
		if (rep.kind == PROTO_ERROR && (rep.id == id || rep.id < 0)) {
			fprintf(stderr, "xenctl: %s\n", rep.message);
			exit(rep.code == XE_VERSION ? EXIT_PROTOCOL :
			    EXIT_DAEMON);
		}
		if (rep.id != id || (rep.kind == PROTO_STREAM) != want_stream) {
			proto_reply_free(&rep);
			continue;	/* not ours: skip */
		}
		body = json_incref(rep.body);
		proto_reply_free(&rep);
		return body;
	}
}

json_t *
ctl_call(struct ctl *c, const char *cmd, json_t *args)
{
	int64_t id = ++c->next_id;
	char *line = proto_encode_request(id, cmd, args);
	json_t *result;

	if (line == NULL) {
		fprintf(stderr, "xenctl: cannot encode request\n");
		exit(EXIT_USAGE);
	}
	if (strlen(line) > XEND_REQUEST_MAX) {
		fprintf(stderr, "xenctl: request too large (%zu bytes, limit "
		    "%d)\n", strlen(line), XEND_REQUEST_MAX);
		exit(EXIT_USAGE);
	}
	if (send_all(c, line) != 0) {
		/*
		 * xend may have refused us before reading anything (peer
		 * credentials); its reason is then waiting to be read, and
		 * read_reply prints it and exits.
		 */
		int err = errno;
		read_reply(c, id, 0, 1000);
		fprintf(stderr, "xenctl: lost connection to xend: %s\n",
		    strerror(err));
		exit(EXIT_PROTOCOL);
	}
	free(line);
	/* A slow command's job may wait behind others: no time limit (if
	 * xend dies, the connection closes and ends the wait). */
	if ((result = read_reply(c, id, 0, c->slow ? -1 :
	    CTL_REPLY_TIMEOUT_MS)) == NULL) {
		fprintf(stderr, "xenctl: xend closed the connection without "
		    "answering (see its log)\n");
		exit(EXIT_PROTOCOL);
	}
	return result;
}

json_t *
ctl_next_stream(struct ctl *c)
{
	return read_reply(c, c->next_id, 1, -1);
}

/* One compact line, as the --json progress items of slow commands are. */
void
ctl_print_json_line(json_t *v)
{
	json_dumpf(v, stdout, JSON_COMPACT | JSON_SORT_KEYS);
	fputc('\n', stdout);
}

void
ctl_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', stdout);
}

/* Send a request without waiting for its answer; returns its id. */
int64_t
ctl_send(struct ctl *c, const char *cmd, json_t *args)
{
	int64_t id = ++c->next_id;
	char *line = proto_encode_request(id, cmd, args);

	if (line == NULL || strlen(line) > XEND_REQUEST_MAX) {
		fprintf(stderr, "xenctl: cannot encode request\n");
		exit(EXIT_USAGE);
	}
	if (send_all(c, line) != 0) {
		fprintf(stderr, "xenctl: lost connection to xend: %s\n",
		    strerror(errno));
		exit(EXIT_PROTOCOL);
	}
	free(line);
	return id;
}

/* One read of what the socket has; 0 when xend closed, -1 on EINTR. */
int
ctl_fill(struct ctl *c)
{
	ssize_t n;

	if (c->len >= XEND_REPLY_MAX) {
		fprintf(stderr, "xenctl: reply from xend longer than %d "
		    "bytes\n", XEND_REPLY_MAX);
		exit(EXIT_PROTOCOL);
	}
	if (c->cap - c->len < 65536) {
		c->cap = c->cap ? c->cap * 2 : 131072;
		c->buf = xreallocarray(c->buf, c->cap, 1);
	}
	n = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? -1 : 0;
	c->len += (size_t)n;
	return n > 0;
}

/* The next complete buffered reply (1), or 0 if none is buffered yet;
 * a reply that does not decode ends xenctl. */
int
ctl_buffered_reply(struct ctl *c, struct proto_reply *rep)
{
	struct proto_error pe;
	char *nl;
	size_t len;
	int rc;

	if (c->len == 0 || (nl = memchr(c->buf, '\n', c->len)) == NULL)
		return 0;
	len = (size_t)(nl - c->buf);
	rc = proto_decode_reply(c->buf, len, rep, &pe);
	memmove(c->buf, nl + 1, c->len - len - 1);
	c->len -= len + 1;
	if (rc != 0) {
		fprintf(stderr, "xenctl: bad reply from xend: %s\n",
		    pe.message);
		exit(EXIT_PROTOCOL);
	}
	return 1;
}
