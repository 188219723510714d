/*
 * cmd-console.c: "console": a domain's console log (console.c keeps it
 * in LOG_DIR/console/NAME.log), whole, or with "attach" as a stream:
 * the reply, then the log so far ("history", default true), then new
 * output as it comes, as stream items {"output": TEXT}; a last item
 * {"closed": true, "why": S} when the domain goes away.
 *
 * "input": text for a domain's console (what a client attached to it
 * types), at most CONS_INPUT_MAX bytes a request.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

#define CONS_INPUT_MAX	4096

static const struct cmd_arg console_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "attach", ARG_BOOL, 0 },
	{ "history", ARG_BOOL, 0 },
	{ NULL, 0, 0 },
};

struct gather {
	char	*buf;
	size_t	 len;
};

static void
gather_text(void *arg, json_t *text)
{
	struct gather *g = arg;
	size_t n = json_string_length(text);

	g->buf = xreallocarray(g->buf, g->len + n + 1, 1);
	memcpy(g->buf + g->len, json_string_value(text), n);
	g->len += n;
	json_decref(text);
}

/* 0 if d has a console here; else the backend's reason in ctx->err. */
static int
need_console(struct cmd_ctx *ctx)
{
	char c;
	size_t got;
	int rc;

	if (ctx->target->rec.domid == 0) {
		cmd_fail(ctx, XE_DOM0, "console: Domain-0's console is the "
		    "one you are on (see `xenctl log --source dom0`)");
		return -1;
	}
	console_pump();
	if (console_has(ctx->target))
		return 0;
	rc = hv_console_read(xend->hv, ctx->target->rec.domid, 0, &c, 1, &got);
	if (rc == 0)
		cmd_fail(ctx, XE_BACKEND, "console: %s has no console log",
		    ctx->target->rec.name);
	else
		xerr_from_hv(&ctx->err, rc, "console");
	return -1;
}

static enum cmd_retval
cmd_console_exec(struct cmd_ctx *ctx)
{
	struct gather g = { NULL, 0 };
	json_t *r;
	int history = 1;

	if (need_console(ctx) != 0)
		return CMD_ERROR;
	if (json_object_get(ctx->args, "history") != NULL)
		history = cmd_arg_bool(ctx, "history");
	r = json_object();
	json_object_set_new(r, "domid", json_integer(ctx->target->rec.domid));
	json_object_set_new(r, "name", json_string(ctx->target->rec.name));
	json_object_set_new(r, "log", json_string(console_log_path(
	    ctx->target->rec.name)));
	if (cmd_arg_bool(ctx, "attach")) {
		if (ctx->peer == NULL) {
			json_decref(r);
			return cmd_fail(ctx, XE_INTERNAL, "console: attach "
			    "needs a client connection");
		}
		json_object_set_new(r, "attached", json_true());
		peer_reply(ctx->peer, ctx->id, r);
		peer_console_attach(ctx->peer, ctx->id, ctx->target, history);
		return CMD_SENT;
	}
	console_history(ctx->target, gather_text, &g);
	json_object_set_new(r, "output", json_stringn(g.buf != NULL ? g.buf :
	    "", g.len));
	free(g.buf);
	ctx->result = r;
	return CMD_DONE;
}

const struct cmd_entry cmd_console_entry = {
	.name = "console", .args = console_args,
	.flags = CMD_TARGET | CMD_BUSY_OK,
	.exec = cmd_console_exec,
};

static const struct cmd_arg input_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "data", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_input_exec(struct cmd_ctx *ctx)
{
	json_t *data = json_object_get(ctx->args, "data");
	size_t len = json_string_length(data), put = 0;
	int rc;

	if (ctx->target->rec.domid == 0)
		return cmd_fail(ctx, XE_DOM0, "input: not for Domain-0");
	if (len > CONS_INPUT_MAX)
		return cmd_fail(ctx, XE_BAD_ARG, "input: data is %zu bytes, "
		    "at most %d a request", len, CONS_INPUT_MAX);
	rc = hv_console_write(xend->hv, ctx->target->rec.domid,
	    json_string_value(data), len, &put);
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "input");
		return CMD_ERROR;
	}
	console_pump();		/* an echo goes out at once */
	ctx->result = json_object();
	json_object_set_new(ctx->result, "put", json_integer((json_int_t)put));
	return CMD_DONE;
}

const struct cmd_entry cmd_input_entry = {
	.name = "input", .args = input_args,
	.flags = CMD_TARGET | CMD_BUSY_OK,
	.exec = cmd_input_exec,
};
