/*
 * ctl-console.c: `xenctl console`: print a domain's console log
 * (--log), or attach to it: the terminal goes raw, what is typed goes to
 * the guest as "input" requests, its output streams back, and Ctrl-]
 * detaches.  When input is not a terminal and ends, it detaches once
 * the output has been quiet for a second.  The terminal is put back on
 * every way out: detach, the domain going away, xend closing, and
 * SIGTERM, SIGHUP, SIGINT, SIGQUIT.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctl.h"
#include "protocol.h"

#define DETACH_KEY	0x1d	/* Ctrl-] */
/* After the end of (piped) input: detach after this long without output. */
#define QUIET_MS	1000

static struct termios saved;
static int raw_on;

static void
tty_restore(void)
{
	if (raw_on) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		raw_on = 0;
	}
}

static void
on_signal(int sig)
{
	tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tty_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
		return;
	t = saved;
	cfmakeraw(&t);
	/* Keep "\n" -> "\r\n" on output: not every guest sends "\r". */
	t.c_oflag |= OPOST | ONLCR;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) != 0)
		return;
	raw_on = 1;
	atexit(tty_restore);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGQUIT, on_signal);
}

/* Typed bytes as a JSON string: UTF-8 kept, NUL and stray bytes left
 * out (xend takes only valid UTF-8 without NUL). */
static json_t *
input_text(const char *buf, size_t n)
{
	char out[1024];
	size_t i, o = 0, k;

	for (i = 0; i < n && o < sizeof out;) {
		unsigned char ch = (unsigned char)buf[i];
		k = ch < 0x80 ? 1 : ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 :
		    ch >= 0xc2 ? 2 : 0;
		if (k == 0 || i + k > n || o + k > sizeof out ||
		    !proto_utf8_valid(buf + i, k) || ch == 0) {
			i++;
			continue;
		}
		memcpy(out + o, buf + i, k);
		o += k;
		i += k;
	}
	return json_stringn(out, o);
}

static void
put_out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

int
ctl_console_attach(struct ctl *c, const char *domain, int history)
{
	struct proto_reply rep;
	struct pollfd pfd[2];
	json_t *args, *res, *v;
	int64_t aid;
	char buf[1024], *key;
	const char *name;
	ssize_t n;
	int rc = EXIT_OK, in_open = 1, r;

	args = json_object();
	json_object_set_new(args, "domain", json_string(domain));
	json_object_set_new(args, "attach", json_true());
	if (!history)
		json_object_set_new(args, "history", json_false());
	res = ctl_call(c, "console", args);
	aid = c->next_id;
	name = json_string_value(json_object_get(res, "name"));
	tty_raw();
	fprintf(stderr, "[attached to %s (domain %" JSON_INTEGER_FORMAT
	    "); Ctrl-] detaches]\r\n", name != NULL ? name : domain,
	    json_integer_value(json_object_get(res, "domid")));
	for (;;) {
		while (ctl_buffered_reply(c, &rep)) {
			if (rep.kind == PROTO_ERROR) {
				fprintf(stderr, "\r\nxenctl: %s\r\n",
				    rep.message);
				if (rep.id == aid || rep.id < 0) {
					proto_reply_free(&rep);
					rc = EXIT_DAEMON;
					goto out;
				}
			} else if (rep.kind == PROTO_STREAM && rep.id == aid) {
				v = json_object_get(rep.body, "output");
				if (json_is_string(v))
					put_out(json_string_value(v),
					    json_string_length(v));
				if (json_is_true(json_object_get(rep.body,
				    "closed"))) {
					fprintf(stderr, "\r\n[%s: console "
					    "closed: %s]\r\n", name,
					    json_string_value(json_object_get(
					    rep.body, "why")));
					proto_reply_free(&rep);
					goto out;
				}
			}
			proto_reply_free(&rep);
		}
		pfd[0].fd = in_open ? STDIN_FILENO : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = c->fd;
		pfd[1].events = POLLIN;
		/* Input ended (a pipe, not a person): show what is still
		 * coming, then detach once the output is quiet. */
		r = poll(pfd, 2, in_open ? -1 : QUIET_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = EXIT_PROTOCOL;
			goto out;
		}
		if (r == 0)
			goto detach;
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = ctl_fill(c)) == 0) {
				fprintf(stderr, "\r\nxenctl: xend closed the "
				    "connection\r\n");
				rc = EXIT_PROTOCOL;
				goto out;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(STDIN_FILENO, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				in_open = 0;
				continue;
			}
			key = memchr(buf, DETACH_KEY, (size_t)n);
			if (key != buf) {
				size_t len = key != NULL ?
				    (size_t)(key - buf) : (size_t)n;

				args = json_object();
				json_object_set_new(args, "domain",
				    json_string(name));
				json_object_set_new(args, "data",
				    input_text(buf, len));
				ctl_send(c, "input", args);
			}
			if (key != NULL)
				goto detach;
		}
	}
detach:
	fprintf(stderr, "\r\n[detached from %s]\r\n", name);
out:
	tty_restore();
	json_decref(res);
	return rc;
}

int
ctl_console_run(struct ctl *c, int argc, char **argv)
{
	const struct ctl_cmd *self = ctl_find("console", NULL);
	const char *domain;
	json_t *args, *res, *v;
	int i, npos = 0, log = 0, history = 1, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--log") == 0)
			log = 1;
		else if (strcmp(argv[i], "--no-history") == 0)
			history = 0;
		else if ((rc = ctl_arg_positional(self, argv[i], &domain,
		    &npos, 1)) != EXIT_OK)
			return rc;
	}
	if ((rc = ctl_args_complete(self, npos, 1)) != EXIT_OK)
		return rc;
	if (log && !history)
		return ctl_usage_error(self, "--log and --no-history do not "
		    "go together");
	ctl_connect(c);
	if (!log)
		return ctl_console_attach(c, domain, history);
	args = json_object();
	json_object_set_new(args, "domain", json_string(domain));
	res = ctl_call(c, "console", args);
	v = json_object_get(res, "output");
	if (json_is_string(v))
		fwrite(json_string_value(v), 1, json_string_length(v), stdout);
	json_decref(res);
	return EXIT_OK;
}
