/*
 * protocol.h: the xend wire protocol, shared by xend and xenctl.
 *
 * Messages are single lines of UTF-8 JSON ended by '\n' over a UNIX stream
 * socket.  docs/xend-protocol.md is the full description; this header is
 * the authority on the numbers.
 *
 * Request (client to xend), exactly these members, "args" optional:
 *     {"v":1,"id":7,"cmd":"pause","args":{"domain":"web"}}
 * Replies (xend to client) carry the request's id and one of:
 *     "result":{...}                 final success answer
 *     "error":{"code":N,"message":S} final failure answer
 *     "stream":{...}                 one of many items of a streaming
 *                                    request (log follow, console
 *                                    attach); the stream ends when the
 *                                    client closes the connection (or,
 *                                    console, with {"closed":true})
 *     "progress":{"what":S,"done":N,"total":N}
 *                                    how far a slow command (create,
 *                                    save, restore, with "progress":true
 *                                    in its args) has got; any number
 *                                    of them come before its final
 *                                    result or error
 *
 * Bump XEND_PROTO_VERSION on any incompatible change: a member removed or
 * renamed, a meaning changed.  Adding a command, an optional argument or a
 * reply member is compatible and does not bump it.  Error codes below are
 * append-only; a retired code stays listed as unused.
 */
#ifndef XEND_PROTOCOL_H
#define XEND_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define XEND_PROTO_VERSION	1
/* The release of xend and xenctl (both print it with -V). */
#define XEND_VERSION		"0.1"

#define XEND_SOCKET_DEFAULT	"/run/xend/xend.sock"

/* Longest request line, newline included.  Configs are the big ones. */
#define XEND_REQUEST_MAX	65536
/* Longest reply line xenctl accepts (reports and logs can be large). */
#define XEND_REPLY_MAX		(16 * 1024 * 1024)
/* Longest command name. */
#define XEND_CMD_NAME_MAX	32
/* Request ids are 0 .. 2^53-1, so they survive any JSON implementation. */
#define XEND_ID_MAX		((INT64_C(1) << 53) - 1)

/*
 * Error codes.  1xx: the line itself was unusable; xend answers with id
 * null (or the id, if it could be read) and closes the connection.
 * 2xx and above: the request was understood but refused; the connection
 * stays open.
 */
enum xend_error {
	XE_FRAMING = 100,	/* line too long / no newline before limit */
	XE_NUL = 101,		/* NUL byte in the line */
	XE_UTF8 = 102,		/* not valid UTF-8 */
	XE_JSON = 103,		/* not JSON, or not a JSON object */
	XE_VERSION = 104,	/* "v" missing or not XEND_PROTO_VERSION */
	XE_DENIED = 105,	/* peer credentials not allowed */

	XE_BAD_REQUEST = 200,	/* missing/extra/mistyped top-level member */
	XE_UNKNOWN_CMD = 201,	/* no such command */
	XE_BAD_ARG = 202,	/* an argument is missing, unknown or invalid */

	XE_NO_DOMAIN = 300,	/* named domain does not exist */
	XE_EXISTS = 301,	/* a domain with that name already runs */
	XE_STATE = 302,		/* domain in the wrong state for this */
	XE_NO_MEMORY = 303,	/* not enough free host memory */
	XE_CONFIG = 304,	/* domain config rejected (file:line:col) */
	XE_LIMIT = 305,		/* request exceeds a limit (maxmem, ...) */
	XE_DOM0 = 306,		/* operation not allowed on Domain-0 */

	XE_UNSUPPORTED = 400,	/* backend cannot do this (yet) */
	XE_BACKEND = 401,	/* backend call failed */

	XE_INTERNAL = 500,	/* xend bug or resource exhaustion */
	XE_DATABASE = 501,	/* database error */
};

/* A decoded request.  args is a borrowed reference into root. */
struct proto_request {
	json_t		*root;
	int64_t		 id;		/* -1 when unknown */
	char		 cmd[XEND_CMD_NAME_MAX + 1];
	json_t		*args;		/* always an object (maybe empty) */
};

/* Why a line could not be decoded. */
struct proto_error {
	int		 code;		/* enum xend_error */
	int		 fatal;		/* close the connection after replying */
	char		 message[256];
};

enum proto_reply_kind { PROTO_RESULT, PROTO_ERROR, PROTO_STREAM, PROTO_PROGRESS };

struct proto_reply {
	json_t		*root;
	int64_t		 id;
	enum proto_reply_kind kind;
	json_t		*body;		/* result/stream/progress, borrowed */
	int		 code;		/* for PROTO_ERROR */
	const char	*message;	/* for PROTO_ERROR, borrowed */
};

/* Does this byte string hold only valid UTF-8 (no overlongs/surrogates)? */
int	 proto_utf8_valid(const char *, size_t);

/*
 * Decode one request line (without its '\n').  Returns 0 and fills req
 * (free with proto_request_free), or -1 and fills err.
 */
int	 proto_decode_request(const char *, size_t, struct proto_request *,
	     struct proto_error *);
void	 proto_request_free(struct proto_request *);

/* Decode one reply line (without its '\n'); same conventions. */
int	 proto_decode_reply(const char *, size_t, struct proto_reply *,
	     struct proto_error *);
void	 proto_reply_free(struct proto_reply *);

/* Build messages.  Each steals body and returns a line with '\n'. */
char	*proto_encode_request(int64_t id, const char *cmd, json_t *args);
char	*proto_encode_result(int64_t id, json_t *result);
char	*proto_encode_stream(int64_t id, json_t *item);
char	*proto_encode_progress(int64_t id, json_t *item);
char	*proto_encode_error(int64_t id, int code, const char *message);

/* A short name for an error code ("no-domain"), for messages and docs. */
const char *proto_error_name(int);

#endif
