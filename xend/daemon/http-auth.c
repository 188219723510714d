/*
 * http-auth.c: who may use the web console.
 *
 * The secret is a token xend makes at its first start with web console
 * on: 32 random bytes as hex in a file (http_token_file, default
 * "http-token" beside the database) created mode 0600, so only root (the
 * user xend runs as) can read it.  A looser mode makes xend refuse to
 * start rather than accept a secret others may have read.  xend.conf may
 * instead give http_password_hash, a crypt(3) hash; the login form then
 * takes the password (the token still works).
 *
 * Logging in exchanges the secret for a session: a random id in a cookie
 * the page's scripts cannot read (HttpOnly) and the browser never sends
 * from another site (SameSite=Strict), and a second random value, the
 * CSRF token, which the page fetches from /api/session and sends back in
 * an X-CSRF-Token header with every POST.  Sessions live in memory only
 * (a restart of xend logs everyone out), end after an hour unused or
 * twelve hours in all, and at most HTTP_SESSIONS exist: the oldest goes.
 * Secrets are compared in constant time.  A wrong secret is answered
 * only after LOGIN_DELAY_MS, and at most LOGIN_SLOW_MAX such answers wait
 * at once (more get 429 at once), so guessing a password runs at a few
 * tries a second however many connections the guesser opens.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

#define HTTP_SESSIONS		32
#define HTTP_SECRET_HEX		64	/* 32 random bytes */
#define SESSION_IDLE_MS		(3600 * 1000LL)
#define SESSION_MAX_MS		(12 * 3600 * 1000LL)
#define HTTP_COOKIE		"xend_session"
#define LOGIN_DELAY_MS		1000
#define LOGIN_SLOW_MAX		4

struct http_session {
	char		 id[HTTP_SECRET_HEX + 1];	/* "" when unused */
	char		 csrf[HTTP_SECRET_HEX + 1];
	int64_t		 created_ms, used_ms;
};

static struct http_session sessions[HTTP_SESSIONS];
static unsigned login_slow;	/* refusals waiting for their delay */

/* A refused login waiting out its delay; req NULL once the browser has
 * gone (evhttp frees it then). */
struct login_refusal {
	struct evhttp_request *req;
	struct evhttp_connection *conn;
};
static char token[HTTP_SECRET_HEX + 1];

static int
random_hex(char out[HTTP_SECRET_HEX + 1])
{
	unsigned char b[HTTP_SECRET_HEX / 2];
	size_t i;

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		return -1;
	for (i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* Equal strings, in time that depends only on their lengths. */
static int
same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

static int
is_hex_secret(const char *s)
{
	size_t i;

	for (i = 0; i < HTTP_SECRET_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return s[i] == '\0' || s[i] == '\n';
}

static char *
token_path(void)
{
	char *dir, *p;

	if (xend->conf.http_token_file != NULL)
		return xstrdup(xend->conf.http_token_file);
	dir = xstrdup(xend->conf.db_path);
	xasprintf(&p, "%s/http-token", dirname(dir));
	free(dir);
	return p;
}

int
http_auth_init(char **cause)
{
	char *path = token_path(), buf[HTTP_SECRET_HEX + 2];
	struct stat st;
	ssize_t n;
	int fd;

	memset(sessions, 0, sizeof sessions);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd >= 0) {
		if (random_hex(token) != 0 ||
		    write(fd, token, HTTP_SECRET_HEX) != HTTP_SECRET_HEX ||
		    write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
			xasprintf(cause, "web console: writing %s: %s", path,
			    strerror(errno));
			close(fd);
			unlink(path);
			free(path);
			return -1;
		}
		close(fd);
		log_info("web console: login token created in %s", path);
		free(path);
		return 0;
	}
	if (errno != EEXIST ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		xasprintf(cause, "web console: token %s: %s", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
		xasprintf(cause, "web console: token %s must be a regular "
		    "file of xend's user with mode 0600 (it has %04o): others "
		    "may have read it; remove it and a new one is made",
		    path, (unsigned)(st.st_mode & 07777));
		close(fd);
		free(path);
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n < HTTP_SECRET_HEX || !is_hex_secret(buf)) {
		xasprintf(cause, "web console: token %s is damaged (want 64 "
		    "hex digits); remove it and a new one is made", path);
		free(path);
		return -1;
	}
	memcpy(token, buf, HTTP_SECRET_HEX);
	token[HTTP_SECRET_HEX] = '\0';
	free(path);
	return 0;
}

void
http_auth_free(void)
{
	explicit_bzero(token, sizeof token);
	explicit_bzero(sessions, sizeof sessions);
}

/* The value of cookie HTTP_COOKIE if it has the right shape, or NULL. */
static const char *
cookie_value(struct evhttp_request *req, char out[HTTP_SECRET_HEX + 1])
{
	const char *c = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Cookie"), *p;
	size_t klen = strlen(HTTP_COOKIE);

	for (p = c; p != NULL && *p != '\0'; ) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, HTTP_COOKIE "=", klen + 1) == 0) {
			p += klen + 1;
			if (strspn(p, "0123456789abcdef") != HTTP_SECRET_HEX ||
			    (p[HTTP_SECRET_HEX] != '\0' &&
			    p[HTTP_SECRET_HEX] != ';'))
				return NULL;
			memcpy(out, p, HTTP_SECRET_HEX);
			out[HTTP_SECRET_HEX] = '\0';
			return out;
		}
		p = strchr(p, ';');
	}
	return NULL;
}

struct http_session *
http_auth_session(struct evhttp_request *req)
{
	char id[HTTP_SECRET_HEX + 1];
	int64_t now = now_ms();
	struct http_session *s;
	size_t i;

	if (cookie_value(req, id) == NULL)
		return NULL;
	for (i = 0; i < HTTP_SESSIONS; i++) {
		s = &sessions[i];
		if (s->id[0] == '\0' || !same_secret(s->id, id))
			continue;
		if (now - s->used_ms > SESSION_IDLE_MS ||
		    now - s->created_ms > SESSION_MAX_MS) {
			explicit_bzero(s, sizeof *s);
			return NULL;
		}
		s->used_ms = now;
		return s;
	}
	return NULL;
}

const char *
http_auth_csrf(const struct http_session *s)
{
	return s->csrf;
}

int
http_auth_csrf_ok(struct evhttp_request *req, const struct http_session *s)
{
	const char *t = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "X-CSRF-Token");

	return t != NULL && strlen(t) == HTTP_SECRET_HEX &&
	    same_secret(t, s->csrf);
}

static int
secret_ok(const char *secret)
{
	struct crypt_data cd;
	const char *h = xend->conf.http_password_hash, *c;

	if (same_secret(secret, token))
		return 1;
	if (h == NULL)
		return 0;
	memset(&cd, 0, sizeof cd);
	c = crypt_r(secret, h, &cd);
	return c != NULL && c[0] != '*' && same_secret(c, h);
}

static struct http_session *
session_new(void)
{
	struct http_session *s = &sessions[0];
	size_t i;

	/* A free slot, else the least recently used one. */
	for (i = 0; i < HTTP_SESSIONS; i++) {
		if (sessions[i].id[0] == '\0') {
			s = &sessions[i];
			break;
		}
		if (sessions[i].used_ms < s->used_ms)
			s = &sessions[i];
	}
	if (random_hex(s->id) != 0 || random_hex(s->csrf) != 0) {
		explicit_bzero(s, sizeof *s);
		return NULL;
	}
	s->created_ms = s->used_ms = now_ms();
	return s;
}

static void
login_conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct login_refusal *r = arg;

	(void)conn;
	r->req = NULL;
}

static void
login_refuse_now(evutil_socket_t fd, short what, void *arg)
{
	struct login_refusal *r = arg;

	(void)fd;
	(void)what;
	if (r->req != NULL) {
		evhttp_connection_set_closecb(r->conn, NULL, NULL);
		http_assets_login(r->req, 403, "Wrong token or password.");
	}
	login_slow--;
	free(r);
}

/* Answer a wrong secret after LOGIN_DELAY_MS. */
static void
login_refuse(struct evhttp_request *req)
{
	struct timeval tv = { LOGIN_DELAY_MS / 1000, 0 };
	struct login_refusal *r;

	if (login_slow >= LOGIN_SLOW_MAX) {
		http_assets_login(req, 429, "Too many tries; wait a moment.");
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->req = req;
	r->conn = evhttp_request_get_connection(req);
	if (event_base_once(xend->base, -1, EV_TIMEOUT, login_refuse_now, r,
	    &tv) != 0) {
		free(r);
		http_assets_login(req, 403, "Wrong token or password.");
		return;
	}
	evhttp_connection_set_closecb(r->conn, login_conn_closed, r);
	login_slow++;
}

void
http_auth_login(struct evhttp_request *req)
{
	struct evkeyvalq q;
	const char *type = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Content-Type"), *secret;
	char *body = http_body(req), *cookie;
	struct http_session *s;

	TAILQ_INIT(&q);
	if (body == NULL || type == NULL || strncmp(type,
	    "application/x-www-form-urlencoded", 33) != 0 ||
	    evhttp_parse_query_str(body, &q) != 0 ||
	    (secret = evhttp_find_header(&q, "secret")) == NULL ||
	    strlen(secret) > 256) {
		http_assets_login(req, 400, "The form was not understood.");
		goto out;
	}
	if (!secret_ok(secret)) {
		log_info("web console: login refused (wrong secret)");
		login_refuse(req);
		goto out;
	}
	if ((s = session_new()) == NULL) {
		http_assets_login(req, 500, "No randomness for a session.");
		goto out;
	}
	log_info("web console: logged in");
	xasprintf(&cookie, HTTP_COOKIE "=%s; Path=/; HttpOnly; "
	    "SameSite=Strict", s->id);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Set-Cookie", cookie);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Location", "/");
	free(cookie);
	http_send(req, 303, "text/plain", "", 0);
out:
	evhttp_clear_headers(&q);
	if (body != NULL)
		explicit_bzero(body, strlen(body));
	free(body);
}

void
http_auth_logout(struct evhttp_request *req, struct http_session *s)
{
	explicit_bzero(s, sizeof *s);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Set-Cookie", HTTP_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=0");
	http_send_json(req, 200, json_pack("{s:b}", "ok", 1));
}
