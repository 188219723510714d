/*
 * http.h: xend's web console (docs/web-console.md), one block per file:
 *
 *   http-server.c  the evhttp listener, security headers on every
 *                  answer, and routing: nothing but /login is served
 *                  without a session
 *   http-auth.c    the login token (or password hash), sessions in
 *                  HttpOnly SameSite=Strict cookies, CSRF tokens
 *   http-api.c     the JSON API the pages poll and post to
 *   http-bridge.c  runs a command through the UNIX-socket protocol's own
 *                  command table, as a client on a socketpair, so the web
 *                  has no second implementation of any command
 *   http-assets.c  the pages and the vendored chart library, from a fixed
 *                  list of file names under http_root
 */
#ifndef XEND_HTTP_H
#define XEND_HTTP_H

#include <stddef.h>

#include <event2/http.h>
#include <jansson.h>

/* Longest request body the console accepts (an action is a few dozen
 * bytes; the login form a token). */
#define HTTP_BODY_MAX		4096

/* http-server.c */
int	 http_start(char **cause);	/* if http = yes; 0 when off */
void	 http_stop(void);
/* Answer with the security headers; body copied. */
void	 http_send(struct evhttp_request *, int code, const char *type,
	     const void *body, size_t len);
void	 http_send_json(struct evhttp_request *, int code, json_t *); /* steals */
/* {"error":{"code":..., "message":...}} with the HTTP status. */
void	 http_send_error(struct evhttp_request *, int status, int code,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The request body as a NUL-terminated string (at most HTTP_BODY_MAX
 * bytes), or NULL. */
char	*http_body(struct evhttp_request *);

/* http-auth.c */
struct http_session;
int	 http_auth_init(char **cause);
void	 http_auth_free(void);
/* The request's live session (from its cookie), or NULL. */
struct http_session *http_auth_session(struct evhttp_request *);
const char *http_auth_csrf(const struct http_session *);
/* Does the request carry the session's CSRF token (X-CSRF-Token)? */
int	 http_auth_csrf_ok(struct evhttp_request *, const struct http_session *);
void	 http_auth_login(struct evhttp_request *);	/* POST /login */
void	 http_auth_logout(struct evhttp_request *, struct http_session *);

/* http-api.c: path starts "/api/". */
void	 http_api(struct evhttp_request *, struct http_session *,
	     const char *path);

/* http-bridge.c: run cmd with args (stolen) as a protocol client; cb
 * gets the final result or error (both borrowed) and arg. */
typedef void (*http_bridge_cb)(void *arg, json_t *result, int code,
	    const char *message);
int	 http_bridge_call(const char *cmd, json_t *args, http_bridge_cb,
	     void *arg);

/* http-assets.c: serve one of the known files, or 404. */
void	 http_assets_serve(struct evhttp_request *, const char *name);
/* The login page (no script: it is the one page served unauthenticated). */
void	 http_assets_login(struct evhttp_request *, int status,
	     const char *message);

#endif
