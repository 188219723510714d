/*
 * fuzz-protocol.c: libFuzzer harness for the protocol decoder.  Every
 * input is decoded both as a request (xend's view) and as a reply
 * (xenctl's view); whatever decodes is re-encoded and must decode again
 * to the same id and command, so encoder and decoder agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_request req, again;
	struct proto_reply rep;
	struct proto_error err;
	char *line;

	if (proto_decode_request((const char *)data, size, &req, &err) == 0) {
		line = proto_encode_request(req.id, req.cmd,
		    json_incref(req.args));
		if (line == NULL || proto_decode_request(line,
		    strlen(line) - 1, &again, &err) != 0 ||
		    again.id != req.id || strcmp(again.cmd, req.cmd) != 0)
			abort();
		proto_request_free(&again);
		free(line);
		proto_request_free(&req);
	} else if (err.code < 100 || err.code > 299 || err.message[0] == '\0')
		abort();	/* every refusal has a documented code */
	if (proto_decode_reply((const char *)data, size, &rep, &err) == 0)
		proto_reply_free(&rep);
	return 0;
}
