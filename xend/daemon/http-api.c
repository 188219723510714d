/*
 * http-api.c: the JSON API behind the pages.  Every route checks its
 * input strictly (names, digits, lengths, the set of fields) before
 * anything runs, then runs the command through http-bridge.c, i.e. the
 * UNIX-socket protocol's command table.
 *
 *   GET  /api/session                      {"csrf": TOKEN}
 *   GET  /api/domains                      the "list" command's result
 *   GET  /api/series?domain=N&since=S&until=U[&points=P]
 *                                          the "series" command's result
 *   POST /api/action  (X-CSRF-Token, application/json)
 *        {"cmd":"pause"|"unpause"|"shutdown", "domain":N}
 *        {"cmd":"save", "domain":N, "file":F}   into save/web/F beside
 *                                          the database, never elsewhere
 *        {"cmd":"mem-set", "domain":N, "memory_mib":M
 *         [, "deadline_s":D [, "on_miss":"log"|"pause"|"save"|"destroy"]]}
 *
 * GET routes only read; the one route that changes anything is POST and
 * needs the session's CSRF token.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/keyvalq_struct.h>

#include "http.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

/* A request waiting for its command; req is NULL once the browser has
 * gone (evhttp frees it then). */
struct api_wait {
	struct evhttp_request *req;
	struct evhttp_connection *conn;
};

static void
api_conn_closed(struct evhttp_connection *conn, void *arg)
{
	struct api_wait *w = arg;

	(void)conn;
	w->req = NULL;
}

static int
http_status(int code)
{
	switch (code) {
	case XE_BAD_REQUEST: case XE_BAD_ARG: case XE_CONFIG:
		return 400;
	case XE_DENIED: case XE_DOM0:
		return 403;
	case XE_NO_DOMAIN:
		return 404;
	case XE_EXISTS: case XE_STATE: case XE_NO_MEMORY: case XE_LIMIT:
		return 409;
	default:
		return 500;
	}
}

static void
api_answer(void *arg, json_t *result, int code, const char *message)
{
	struct api_wait *w = arg;

	if (w->req != NULL) {
		evhttp_connection_set_closecb(w->conn, NULL, NULL);
		if (result != NULL)
			http_send_json(w->req, 200, json_incref(result));
		else
			http_send_error(w->req, http_status(code), code, "%s",
			    message);
	}
	free(w);
}

static void
api_run(struct evhttp_request *req, const char *cmd, json_t *args)
{
	struct api_wait *w = xcalloc(1, sizeof *w);

	w->req = req;
	w->conn = evhttp_request_get_connection(req);
	evhttp_connection_set_closecb(w->conn, api_conn_closed, w);
	if (http_bridge_call(cmd, args, api_answer, w) != 0) {
		evhttp_connection_set_closecb(w->conn, NULL, NULL);
		free(w);
		http_send_error(req, 500, XE_INTERNAL, "cannot run %s", cmd);
	}
}

/* Decimal digits only, at most 12 of them (Unix seconds to year 33658). */
static int
digits(const char *s, uint64_t *out)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 12 || strspn(s, "0123456789") != n)
		return -1;
	*out = strtoull(s, NULL, 10);
	return 0;
}

/* A domain name as xenctl would accept it (or Domain-0). */
static int
name_ok(const char *s)
{
	return s != NULL && strlen(s) <= 64 && (strcmp(s, "Domain-0") == 0 ||
	    domcfg_check_name(s) == NULL);
}

static void
api_series(struct evhttp_request *req)
{
	struct evkeyvalq q;
	const char *query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(
	    req)), *name, *pts;
	uint64_t since, until, points = 600;

	TAILQ_INIT(&q);
	if (query == NULL || strlen(query) > 512 ||
	    evhttp_parse_query_str(query, &q) != 0) {
		http_send_error(req, 400, XE_BAD_ARG, "series: want ?domain=NAME"
		    "&since=SECONDS&until=SECONDS");
		goto out;
	}
	name = evhttp_find_header(&q, "domain");
	pts = evhttp_find_header(&q, "points");
	if (!name_ok(name)) {
		http_send_error(req, 400, XE_BAD_ARG, "series: domain must be "
		    "a domain name");
		goto out;
	}
	if (digits(evhttp_find_header(&q, "since"), &since) != 0 ||
	    digits(evhttp_find_header(&q, "until"), &until) != 0 ||
	    (pts != NULL && digits(pts, &points) != 0)) {
		http_send_error(req, 400, XE_BAD_ARG, "series: since, until "
		    "and points must be whole numbers");
		goto out;
	}
	api_run(req, "series", json_pack("{s:s, s:I, s:I, s:I}", "domain",
	    name, "since", (json_int_t)since, "until", (json_int_t)until,
	    "points", (json_int_t)points));
out:
	evhttp_clear_headers(&q);
}

/* Exactly these members of o, no others. */
static int
only_members(json_t *o, const char *const *allowed)
{
	const char *key, *const *a;
	json_t *v;

	json_object_foreach(o, key, v) {
		for (a = allowed; *a != NULL; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (*a == NULL)
			return 0;
	}
	return 1;
}

static int
uint_member(json_t *o, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* save/web/ beside the database, made 0700 when missing. */
static char *
web_save_path(const char *file)
{
	char *dir = xstrdup(xend->conf.db_path), *d, *p;

	xasprintf(&d, "%s/save", dirname(dir));
	free(dir);
	mkdir(d, 0700);
	xasprintf(&p, "%s/web", d);
	mkdir(p, 0700);
	free(p);
	xasprintf(&p, "%s/web/%s", d, file);
	free(d);
	return p;
}

static const char *
action_args(json_t *o, const char *cmd, json_t **args)
{
	static const char *const plain[] = { "cmd", "domain", NULL };
	static const char *const save[] = { "cmd", "domain", "file", NULL };
	static const char *const mem[] = { "cmd", "domain", "memory_mib",
	    "deadline_s", "on_miss", NULL };
	const char *dom = json_string_value(json_object_get(o, "domain"));
	const char *file, *miss;
	uint64_t mib, deadline;
	char *path;

	if (!name_ok(dom))
		return "domain must be a domain name";
	if (strcmp(cmd, "pause") == 0 || strcmp(cmd, "unpause") == 0 ||
	    strcmp(cmd, "shutdown") == 0) {
		if (!only_members(o, plain))
			return "unknown member";
		*args = json_pack("{s:s}", "domain", dom);
		return NULL;
	}
	if (strcmp(cmd, "save") == 0) {
		file = json_string_value(json_object_get(o, "file"));
		if (!only_members(o, save) || file == NULL ||
		    strlen(file) < 1 || strlen(file) > 64 || file[0] == '.' ||
		    strspn(file, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
		    "QRSTUVWXYZ0123456789._-") != strlen(file))
			return "save: file must be 1-64 of A-Z a-z 0-9 . _ - "
			    "(not starting with a dot)";
		path = web_save_path(file);
		*args = json_pack("{s:s, s:s}", "domain", dom, "path", path);
		free(path);
		return NULL;
	}
	if (strcmp(cmd, "mem-set") == 0) {
		if (!only_members(o, mem) || uint_member(o, "memory_mib",
		    DOM_MEMORY_MAX, &mib) != 0 || mib == 0)
			return "mem-set: memory_mib must be a positive number "
			    "of MiB";
		*args = json_pack("{s:s, s:I}", "domain", dom, "memory_kib",
		    (json_int_t)(mib * 1024));
		if (json_object_get(o, "deadline_s") != NULL) {
			if (uint_member(o, "deadline_s", 86400, &deadline) !=
			    0 || deadline == 0) {
				json_decref(*args);
				return "mem-set: deadline_s must be 1 to 86400";
			}
			json_object_set_new(*args, "deadline_ms", json_integer(
			    (json_int_t)deadline * 1000));
		}
		miss = json_string_value(json_object_get(o, "on_miss"));
		if (json_object_get(o, "on_miss") != NULL) {
			if (miss == NULL || json_object_get(*args,
			    "deadline_ms") == NULL || (strcmp(miss, "log") != 0
			    && strcmp(miss, "pause") != 0 && strcmp(miss,
			    "save") != 0 && strcmp(miss, "destroy") != 0)) {
				json_decref(*args);
				return "mem-set: on_miss must be log, pause, "
				    "save or destroy, with a deadline";
			}
			json_object_set_new(*args, "on_miss", json_string(
			    miss));
		}
		return NULL;
	}
	return "cmd must be pause, unpause, shutdown, save or mem-set";
}

static void
api_action(struct evhttp_request *req, struct http_session *s)
{
	const char *type = evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Content-Type"), *cmd, *why;
	json_t *o = NULL, *args = NULL;
	json_error_t je;
	char *body;

	if (!http_auth_csrf_ok(req, s)) {
		http_send_error(req, 403, XE_DENIED, "missing or wrong CSRF "
		    "token (X-CSRF-Token)");
		return;
	}
	if (type == NULL || strncmp(type, "application/json", 16) != 0) {
		http_send_error(req, 415, XE_BAD_REQUEST, "want "
		    "application/json");
		return;
	}
	if ((body = http_body(req)) == NULL ||
	    !proto_utf8_valid(body, strlen(body)) ||
	    (o = json_loads(body, JSON_REJECT_DUPLICATES, &je)) == NULL ||
	    !json_is_object(o) ||
	    (cmd = json_string_value(json_object_get(o, "cmd"))) == NULL) {
		http_send_error(req, 400, XE_BAD_REQUEST, "want a JSON object "
		    "with \"cmd\" and \"domain\"");
		goto out;
	}
	if ((why = action_args(o, cmd, &args)) != NULL) {
		http_send_error(req, 400, XE_BAD_ARG, "%s", why);
		goto out;
	}
	log_info("web console: %s %s", cmd, json_string_value(json_object_get(
	    o, "domain")));
	api_run(req, cmd, args);
out:
	json_decref(o);
	free(body);
}

void
http_api(struct evhttp_request *req, struct http_session *s,
    const char *path)
{
	int post = evhttp_request_get_command(req) == EVHTTP_REQ_POST;

	if (strcmp(path, "/api/action") == 0) {
		if (!post)
			http_send_error(req, 405, XE_BAD_REQUEST, "actions are "
			    "POST only");
		else
			api_action(req, s);
		return;
	}
	if (post) {
		http_send_error(req, 405, XE_BAD_REQUEST, "%s is GET only",
		    path);
		return;
	}
	if (strcmp(path, "/api/session") == 0)
		http_send_json(req, 200, json_pack("{s:s}", "csrf",
		    http_auth_csrf(s)));
	else if (strcmp(path, "/api/domains") == 0)
		api_run(req, "list", json_object());
	else if (strcmp(path, "/api/series") == 0)
		api_series(req);
	else
		http_send_error(req, 404, XE_BAD_REQUEST, "no such API");
}
