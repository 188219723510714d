/*
 * test-protocol.c: decoding of request and reply lines, good and bad.
 * Guards against: a malformed line being accepted, a fatal framing
 * problem being treated as a recoverable one (or the other way round),
 * and encoded messages that are not exactly one line.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "protocol.h"

static int
req_code(const char *line, size_t len, int *fatal)
{
	struct proto_request r;
	struct proto_error e;

	if (proto_decode_request(line, len, &r, &e) == 0) {
		proto_request_free(&r);
		return 0;
	}
	*fatal = e.fatal;
	return e.code;
}

#define REQ(s)	req_code((s), strlen(s), &fatal)

int
main(void)
{
	struct proto_request r;
	struct proto_reply rep;
	struct proto_error e;
	char *line;
	int fatal = -1;
	const char *good = "{\"v\":1,\"id\":7,\"cmd\":\"pause\","
	    "\"args\":{\"domain\":\"web\"}}";

	CHECK("protocol: good request decodes",
	    proto_decode_request(good, strlen(good), &r, &e) == 0 &&
	    r.id == 7 && strcmp(r.cmd, "pause") == 0 &&
	    strcmp(json_string_value(json_object_get(r.args, "domain")),
	    "web") == 0);
	proto_request_free(&r);
	line = "{\"v\":1,\"id\":0,\"cmd\":\"list\"}";
	CHECK("protocol: args may be omitted",
	    proto_decode_request(line, strlen(line), &r, &e) == 0 &&
	    json_is_object(r.args) && json_object_size(r.args) == 0);
	proto_request_free(&r);

	CHECK("protocol: NUL byte is fatal", req_code("{\"v\":1\0}", 8,
	    &fatal) == XE_NUL && fatal == 1);
	CHECK("protocol: overlong UTF-8 is fatal",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"list\",\"args\":{\"x\":\"\xc0\x80\"}}")
	    == XE_UTF8 && fatal == 1);
	CHECK("protocol: UTF-16 surrogate is fatal",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"\xed\xa0\x80\"}") == XE_UTF8);
	CHECK("protocol: truncated UTF-8 is fatal", REQ("{\"a\":\"\xe2\x82")
	    == XE_UTF8);
	CHECK("protocol: 4-byte UTF-8 is fine", proto_utf8_valid(
	    "\xf0\x9f\x98\x80", 4) == 1);
	CHECK("protocol: byte above U+10FFFF refused", proto_utf8_valid(
	    "\xf4\x90\x80\x80", 4) == 0);
	CHECK("protocol: not JSON is fatal", REQ("garbage") == XE_JSON &&
	    fatal == 1);
	CHECK("protocol: JSON array is fatal", REQ("[1,2]") == XE_JSON);
	CHECK("protocol: empty line is fatal", REQ("") == XE_JSON);
	CHECK("protocol: trailing junk after object is fatal",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"list\"} x") == XE_JSON);
	CHECK("protocol: duplicate keys are fatal",
	    REQ("{\"v\":1,\"v\":1,\"id\":1,\"cmd\":\"list\"}") == XE_JSON);
	CHECK("protocol: missing version is fatal",
	    REQ("{\"id\":1,\"cmd\":\"list\"}") == XE_VERSION && fatal == 1);
	CHECK("protocol: version 2 is fatal",
	    REQ("{\"v\":2,\"id\":1,\"cmd\":\"list\"}") == XE_VERSION);
	CHECK("protocol: version as string is fatal",
	    REQ("{\"v\":\"1\",\"id\":1,\"cmd\":\"list\"}") == XE_VERSION);
	CHECK("protocol: missing id is recoverable",
	    REQ("{\"v\":1,\"cmd\":\"list\"}") == XE_BAD_REQUEST && fatal == 0);
	CHECK("protocol: negative id refused",
	    REQ("{\"v\":1,\"id\":-1,\"cmd\":\"list\"}") == XE_BAD_REQUEST);
	CHECK("protocol: id above 2^53 refused",
	    REQ("{\"v\":1,\"id\":9007199254740992,\"cmd\":\"list\"}") ==
	    XE_BAD_REQUEST);
	CHECK("protocol: id as string refused",
	    REQ("{\"v\":1,\"id\":\"1\",\"cmd\":\"list\"}") == XE_BAD_REQUEST);
	CHECK("protocol: unknown member refused",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"list\",\"x\":1}") ==
	    XE_BAD_REQUEST && fatal == 0);
	CHECK("protocol: cmd with capitals refused",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"List\"}") == XE_BAD_REQUEST);
	CHECK("protocol: empty cmd refused",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"\"}") == XE_BAD_REQUEST);
	CHECK("protocol: overlong cmd refused",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}")
	    == XE_BAD_REQUEST);
	CHECK("protocol: args as array refused",
	    REQ("{\"v\":1,\"id\":1,\"cmd\":\"list\",\"args\":[]}") ==
	    XE_BAD_REQUEST);

	/* The id of a bad but readable request is kept for the reply. */
	line = "{\"v\":1,\"id\":42,\"cmd\":\"list\",\"zz\":0}";
	CHECK("protocol: id survives a refused request",
	    proto_decode_request(line, strlen(line), &r, &e) == -1 &&
	    r.id == 42);

	line = proto_encode_request(3, "list", NULL);
	CHECK("protocol: encoded request is one line",
	    line[strlen(line) - 1] == '\n' && strchr(line, '\n') ==
	    line + strlen(line) - 1);
	CHECK("protocol: encoded request decodes",
	    proto_decode_request(line, strlen(line) - 1, &r, &e) == 0 &&
	    r.id == 3);
	proto_request_free(&r);
	free(line);

	line = proto_encode_error(5, XE_NO_DOMAIN, "no domain \"x\"\nsecond");
	CHECK("protocol: newline in message stays escaped",
	    strchr(line, '\n') == line + strlen(line) - 1);
	CHECK("protocol: error reply decodes",
	    proto_decode_reply(line, strlen(line) - 1, &rep, &e) == 0 &&
	    rep.kind == PROTO_ERROR && rep.id == 5 &&
	    rep.code == XE_NO_DOMAIN &&
	    strcmp(rep.message, "no domain \"x\"\nsecond") == 0);
	proto_reply_free(&rep);
	free(line);

	line = proto_encode_error(-1, XE_JSON, "bad");
	CHECK("protocol: error with id null decodes",
	    proto_decode_reply(line, strlen(line) - 1, &rep, &e) == 0 &&
	    rep.id == -1 && rep.code == XE_JSON);
	proto_reply_free(&rep);
	free(line);

	line = proto_encode_stream(9, json_pack("{s:i}", "n", 1));
	CHECK("protocol: stream reply decodes",
	    proto_decode_reply(line, strlen(line) - 1, &rep, &e) == 0 &&
	    rep.kind == PROTO_STREAM && rep.id == 9);
	proto_reply_free(&rep);
	free(line);

	line = proto_encode_progress(9, json_pack("{s:s,s:i,s:i}", "what",
	    "save", "done", 3, "total", 10));
	CHECK("protocol: progress item decodes",
	    proto_decode_reply(line, strlen(line) - 1, &rep, &e) == 0 &&
	    rep.kind == PROTO_PROGRESS && rep.id == 9 &&
	    json_integer_value(json_object_get(rep.body, "done")) == 3);
	proto_reply_free(&rep);
	free(line);
	line = "{\"v\":1,\"id\":1,\"progress\":{\"what\":\"save\","
	    "\"done\":11,\"total\":10}}";
	CHECK("protocol: progress with done > total refused",
	    proto_decode_reply(line, strlen(line), &rep, &e) == -1);
	line = "{\"v\":1,\"id\":1,\"progress\":{\"done\":1,\"total\":2}}";
	CHECK("protocol: progress without what refused",
	    proto_decode_reply(line, strlen(line), &rep, &e) == -1);
	line = "{\"v\":1,\"id\":1,\"progress\":{\"what\":\"x\",\"done\":1,"
	    "\"total\":2},\"result\":{}}";
	CHECK("protocol: progress and result together refused",
	    proto_decode_reply(line, strlen(line), &rep, &e) == -1);

	line = "{\"v\":1,\"id\":1,\"result\":{},\"error\":{\"code\":1,"
	    "\"message\":\"m\"}}";
	CHECK("protocol: reply with result and error refused",
	    proto_decode_reply(line, strlen(line), &rep, &e) == -1);
	line = "{\"v\":1,\"id\":1,\"error\":{\"code\":\"x\",\"message\":\"m\"}}";
	CHECK("protocol: error code must be a number",
	    proto_decode_reply(line, strlen(line), &rep, &e) == -1);
	CHECK("protocol: every code has a name",
	    strcmp(proto_error_name(XE_UNSUPPORTED), "unsupported") == 0 &&
	    strcmp(proto_error_name(12345), "unknown") == 0);
	return check_exit();
}
