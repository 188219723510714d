/*
 * http-server.c: the web console's listener (evhttp) and its routing.
 *
 * Off unless xend.conf says http = "yes"; bound to http_listen, loopback
 * by default.  Every answer carries the same security headers (no
 * framing, a strict Content-Security-Policy, no sniffing, no caching, no
 * referrer).  Only the login page is served without a session: pages
 * and assets without one get 401 and the login form, the API a 401 JSON
 * error.  Only GET, HEAD and POST are accepted, and a GET never changes
 * anything: every action is a POST with the session's CSRF token.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

static struct evhttp *http;

/* Scripts, styles and data only from this origin; no inline script or
 * style, no plugins, no framing by anyone, forms post only here. */
#define HTTP_CSP	"default-src 'none'; script-src 'self'; " \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; " \
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

static void
add_security_headers(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Content-Security-Policy", HTTP_CSP);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "Cross-Origin-Opener-Policy", "same-origin");
	evhttp_add_header(h, "Cross-Origin-Resource-Policy", "same-origin");
}

void
http_send(struct evhttp_request *req, int code, const char *type,
    const void *body, size_t len)
{
	struct evbuffer *b = evbuffer_new();
	const char *reason;

	add_security_headers(req);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", type);
	if (b != NULL && len > 0)
		evbuffer_add(b, body, len);
	switch (code) {
	case 200: reason = "OK"; break;
	case 303: reason = "See Other"; break;
	case 400: reason = "Bad Request"; break;
	case 401: reason = "Unauthorized"; break;
	case 403: reason = "Forbidden"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 409: reason = "Conflict"; break;
	case 413: reason = "Payload Too Large"; break;
	case 415: reason = "Unsupported Media Type"; break;
	case 429: reason = "Too Many Requests"; break;
	default: reason = code < 500 ? "Refused" : "Internal Server Error";
	}
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

void
http_send_json(struct evhttp_request *req, int code, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (s == NULL) {
		http_send(req, 500, "text/plain", "encoding failed\n", 16);
		return;
	}
	http_send(req, code, "application/json", s, strlen(s));
	free(s);
}

void
http_send_error(struct evhttp_request *req, int status, int code,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	http_send_json(req, status, json_pack("{s:{s:i, s:s}}", "error",
	    "code", code, "message", msg));
}

char *
http_body(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char *s;

	if (len > HTTP_BODY_MAX)
		return NULL;
	s = xmalloc(len + 1);
	evbuffer_copyout(in, s, len);
	s[len] = '\0';
	if (strlen(s) != len) {		/* a NUL inside */
		free(s);
		return NULL;
	}
	return s;
}

static void
http_route(struct evhttp_request *req, void *arg)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const char *uri = evhttp_request_get_uri(req), *path;
	struct evhttp_uri *u;
	struct http_session *s;

	(void)arg;
	if ((u = evhttp_uri_parse_with_flags(uri, 0)) == NULL ||
	    (path = evhttp_uri_get_path(u)) == NULL || strlen(path) > 64) {
		if (u != NULL)
			evhttp_uri_free(u);
		http_send_error(req, 400, XE_BAD_REQUEST, "bad URI");
		return;
	}
	s = http_auth_session(req);
	if (strcmp(path, "/login") == 0) {
		if (m == EVHTTP_REQ_POST)
			http_auth_login(req);
		else
			http_assets_login(req, 200, NULL);
	} else if (strncmp(path, "/api/", 5) == 0) {
		if (s == NULL)
			http_send_error(req, 401, XE_DENIED, "not logged in");
		else
			http_api(req, s, path);
	} else if (s == NULL) {
		/* The login form, so that a browser lands there. */
		http_assets_login(req, 401, NULL);
	} else if (strcmp(path, "/logout") == 0 && m == EVHTTP_REQ_POST) {
		if (!http_auth_csrf_ok(req, s))
			http_send(req, 403, "text/plain", "bad CSRF token\n",
			    15);
		else
			http_auth_logout(req, s);
	} else if (m == EVHTTP_REQ_POST) {
		http_send(req, 405, "text/plain", "", 0);
	} else if (strcmp(path, "/") == 0) {
		http_assets_serve(req, "index.html");
	} else if (strcmp(path, "/domain") == 0) {
		http_assets_serve(req, "domain.html");
	} else if (strncmp(path, "/static/", 8) == 0) {
		http_assets_serve(req, path + 8);
	} else
		http_send(req, 404, "text/plain", "not found\n", 10);
	evhttp_uri_free(u);
}

int
http_start(char **cause)
{
	char addr[32], *colon;
	unsigned port;

	if (!xend->conf.http)
		return 0;
	snprintf(addr, sizeof addr, "%s", xend->conf.http_listen);
	if ((colon = strrchr(addr, ':')) == NULL ||
	    sscanf(colon + 1, "%5u", &port) != 1) {
		xasprintf(cause, "http_listen \"%s\": want ADDRESS:PORT",
		    xend->conf.http_listen);
		return -1;
	}
	*colon = '\0';
	if (http_auth_init(cause) != 0)
		return -1;
	if ((http = evhttp_new(xend->base)) == NULL) {
		xasprintf(cause, "cannot create the HTTP server");
		return -1;
	}
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST);
	evhttp_set_max_body_size(http, HTTP_BODY_MAX);
	evhttp_set_max_headers_size(http, 16384);
	evhttp_set_timeout(http, 60);
	evhttp_set_gencb(http, http_route, NULL);
	if (evhttp_bind_socket(http, addr, (uint16_t)port) != 0) {
		xasprintf(cause, "web console: cannot listen on %s",
		    xend->conf.http_listen);
		evhttp_free(http);
		http = NULL;
		return -1;
	}
	log_info("web console on http://%s/", xend->conf.http_listen);
	return 0;
}

void
http_stop(void)
{
	if (http != NULL)
		evhttp_free(http);
	http = NULL;
	http_auth_free();
}
