/*
 * protocol.c: encoding and strict decoding of xend protocol lines.
 *
 * xend treats every byte from a client as hostile: the decoder checks NUL
 * bytes and UTF-8 before the JSON parser sees the line, rejects duplicate
 * keys, and accepts exactly the documented top-level members with exactly
 * the documented types.  xenctl uses the same decoder for replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "xmalloc.h"

static int
proto_fail(struct proto_error *err, int code, int fatal, const char *msg)
{
	err->code = code;
	err->fatal = fatal;
	snprintf(err->message, sizeof err->message, "%s", msg);
	return -1;
}

int
proto_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		unsigned char c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Checks shared by both directions: bytes, JSON, object, version, id. */
static json_t *
decode_common(const char *line, size_t len, int64_t *id,
    struct proto_error *err)
{
	json_t *root, *v, *jid;
	json_error_t jerr;
	char msg[256];

	*id = -1;
	if (memchr(line, '\0', len) != NULL) {
		proto_fail(err, XE_NUL, 1, "NUL byte in message");
		return NULL;
	}
	if (!proto_utf8_valid(line, len)) {
		proto_fail(err, XE_UTF8, 1, "message is not valid UTF-8");
		return NULL;
	}
	root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(msg, sizeof msg, "invalid JSON at column %d: %s",
		    jerr.column, jerr.text);
		proto_fail(err, XE_JSON, 1, msg);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		proto_fail(err, XE_JSON, 1, "message is not a JSON object");
		return NULL;
	}
	jid = json_object_get(root, "id");
	if (jid != NULL && json_is_integer(jid) && json_integer_value(jid) >= 0
	    && json_integer_value(jid) <= XEND_ID_MAX)
		*id = json_integer_value(jid);
	v = json_object_get(root, "v");
	if (v == NULL || !json_is_integer(v)) {
		json_decref(root);
		proto_fail(err, XE_VERSION, 1,
		    "missing protocol version \"v\"");
		return NULL;
	}
	if (json_integer_value(v) != XEND_PROTO_VERSION) {
		snprintf(msg, sizeof msg, "protocol version %lld not supported "
		    "(this side speaks %d; upgrade xenctl and xend together)",
		    (long long)json_integer_value(v), XEND_PROTO_VERSION);
		json_decref(root);
		proto_fail(err, XE_VERSION, 1, msg);
		return NULL;
	}
	if (*id < 0) {
		json_decref(root);
		proto_fail(err, XE_BAD_REQUEST, 0,
		    "\"id\" must be an integer from 0 to 2^53-1");
		return NULL;
	}
	return root;
}

static int
valid_cmd_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > XEND_CMD_NAME_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '-'))
			return 0;
	return 1;
}

int
proto_decode_request(const char *line, size_t len, struct proto_request *req,
    struct proto_error *err)
{
	json_t *root, *cmd, *args;
	const char *key;
	json_t *val;

	memset(req, 0, sizeof *req);
	req->id = -1;
	if ((root = decode_common(line, len, &req->id, err)) == NULL)
		return -1;
	json_object_foreach(root, key, val) {
		if (strcmp(key, "v") != 0 && strcmp(key, "id") != 0 &&
		    strcmp(key, "cmd") != 0 && strcmp(key, "args") != 0) {
			char msg[160];
			snprintf(msg, sizeof msg, "unknown request member "
			    "\"%.64s\"", key);
			json_decref(root);
			return proto_fail(err, XE_BAD_REQUEST, 0, msg);
		}
	}
	cmd = json_object_get(root, "cmd");
	if (cmd == NULL || !json_is_string(cmd) ||
	    !valid_cmd_name(json_string_value(cmd))) {
		json_decref(root);
		return proto_fail(err, XE_BAD_REQUEST, 0,
		    "\"cmd\" must be a command name (lower-case letters and -)");
	}
	args = json_object_get(root, "args");
	if (args != NULL && !json_is_object(args)) {
		json_decref(root);
		return proto_fail(err, XE_BAD_REQUEST, 0,
		    "\"args\" must be an object");
	}
	if (args == NULL) {
		args = json_object();
		json_object_set_new(root, "args", args);
	}
	snprintf(req->cmd, sizeof req->cmd, "%s", json_string_value(cmd));
	req->root = root;
	req->args = args;
	return 0;
}

void
proto_request_free(struct proto_request *req)
{
	if (req->root != NULL)
		json_decref(req->root);
	req->root = NULL;
	req->args = NULL;
}

/* A progress item: {"what":S,"done":N,"total":N}, done <= total. */
static int
progress_valid(json_t *pg)
{
	json_t *done = json_object_get(pg, "done");
	json_t *total = json_object_get(pg, "total");
	json_t *msg = json_object_get(pg, "message");

	/* "message", a line for the operator, is the one optional member. */
	return json_object_size(pg) == 3 + (msg != NULL) &&
	    (msg == NULL || json_is_string(msg)) &&
	    json_is_string(json_object_get(pg, "what")) &&
	    json_is_integer(done) && json_is_integer(total) &&
	    json_integer_value(done) >= 0 &&
	    json_integer_value(done) <= json_integer_value(total);
}

int
proto_decode_reply(const char *line, size_t len, struct proto_reply *rep,
    struct proto_error *err)
{
	json_t *root, *r, *e, *s, *pg, *code, *msg;
	int present;

	memset(rep, 0, sizeof *rep);
	if ((root = decode_common(line, len, &rep->id, err)) == NULL) {
		/* A reply to an unreadable request legitimately has id null. */
		if (err->code != XE_BAD_REQUEST)
			return -1;
		root = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
		if (root == NULL || !json_is_null(json_object_get(root, "id"))) {
			json_decref(root);
			return -1;
		}
	}
	r = json_object_get(root, "result");
	e = json_object_get(root, "error");
	s = json_object_get(root, "stream");
	pg = json_object_get(root, "progress");
	present = (r != NULL) + (e != NULL) + (s != NULL) + (pg != NULL);
	if (present != 1) {
		json_decref(root);
		return proto_fail(err, XE_BAD_REQUEST, 1,
		    "reply needs exactly one of result, error, stream, "
		    "progress");
	}
	rep->root = root;
	if (e != NULL) {
		code = json_object_get(e, "code");
		msg = json_object_get(e, "message");
		if (!json_is_object(e) || !json_is_integer(code) ||
		    !json_is_string(msg)) {
			json_decref(root);
			rep->root = NULL;
			return proto_fail(err, XE_BAD_REQUEST, 1,
			    "malformed error object in reply");
		}
		rep->kind = PROTO_ERROR;
		rep->code = (int)json_integer_value(code);
		rep->message = json_string_value(msg);
		return 0;
	}
	rep->kind = r != NULL ? PROTO_RESULT : s != NULL ? PROTO_STREAM :
	    PROTO_PROGRESS;
	rep->body = r != NULL ? r : s != NULL ? s : pg;
	if (!json_is_object(rep->body)) {
		json_decref(root);
		rep->root = NULL;
		return proto_fail(err, XE_BAD_REQUEST, 1,
		    "result/stream/progress in reply is not an object");
	}
	if (pg != NULL && !progress_valid(pg)) {
		json_decref(root);
		rep->root = NULL;
		return proto_fail(err, XE_BAD_REQUEST, 1,
		    "progress needs \"what\" (string) and \"done\" <= "
		    "\"total\" (non-negative integers)");
	}
	return 0;
}

void
proto_reply_free(struct proto_reply *rep)
{
	if (rep->root != NULL)
		json_decref(rep->root);
	rep->root = NULL;
}

/* Serialise msg (stolen) as one line; compact, so no embedded newlines. */
static char *
encode_line(json_t *msg)
{
	char *s, *line;
	size_t n;

	s = json_dumps(msg, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(msg);
	if (s == NULL)
		return NULL;
	n = strlen(s);
	line = xmalloc(n + 2);
	memcpy(line, s, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(s);
	return line;
}

static json_t *
envelope(int64_t id)
{
	json_t *m = json_object();

	json_object_set_new(m, "v", json_integer(XEND_PROTO_VERSION));
	json_object_set_new(m, "id", id < 0 ? json_null() : json_integer(id));
	return m;
}

char *
proto_encode_request(int64_t id, const char *cmd, json_t *args)
{
	json_t *m = envelope(id);

	json_object_set_new(m, "cmd", json_string(cmd));
	json_object_set_new(m, "args", args != NULL ? args : json_object());
	return encode_line(m);
}

char *
proto_encode_result(int64_t id, json_t *result)
{
	json_t *m = envelope(id);

	json_object_set_new(m, "result", result != NULL ? result : json_object());
	return encode_line(m);
}

char *
proto_encode_stream(int64_t id, json_t *item)
{
	json_t *m = envelope(id);

	json_object_set_new(m, "stream", item);
	return encode_line(m);
}

char *
proto_encode_progress(int64_t id, json_t *item)
{
	json_t *m = envelope(id);

	json_object_set_new(m, "progress", item);
	return encode_line(m);
}

char *
proto_encode_error(int64_t id, int code, const char *message)
{
	json_t *m = envelope(id), *e = json_object();

	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(m, "error", e);
	return encode_line(m);
}

const char *
proto_error_name(int code)
{
	switch (code) {
	case XE_FRAMING:	return "framing";
	case XE_NUL:		return "nul-byte";
	case XE_UTF8:		return "bad-utf8";
	case XE_JSON:		return "bad-json";
	case XE_VERSION:	return "version";
	case XE_DENIED:		return "denied";
	case XE_BAD_REQUEST:	return "bad-request";
	case XE_UNKNOWN_CMD:	return "unknown-command";
	case XE_BAD_ARG:	return "bad-argument";
	case XE_NO_DOMAIN:	return "no-domain";
	case XE_EXISTS:		return "exists";
	case XE_STATE:		return "state";
	case XE_NO_MEMORY:	return "no-memory";
	case XE_CONFIG:		return "config";
	case XE_LIMIT:		return "limit";
	case XE_DOM0:		return "dom0";
	case XE_UNSUPPORTED:	return "unsupported";
	case XE_BACKEND:	return "backend";
	case XE_INTERNAL:	return "internal";
	case XE_DATABASE:	return "database";
	}
	return "unknown";
}
