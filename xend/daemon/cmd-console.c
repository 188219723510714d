/*
 * cmd-console.c: "console": a domain's console output so far.  A backend
 * without consoles (sim) gives its own sentence with XE_UNSUPPORTED.
 */
#include "cmd.h"

static const struct cmd_arg console_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_console_exec(struct cmd_ctx *ctx)
{
	char buf[16384];
	size_t got = 0;
	int rc;

	rc = hv_console_read(xend->hv, ctx->target->rec.domid, 0, buf,
	    sizeof buf - 1, &got);
	if (rc != 0) {
		xerr_from_hv(&ctx->err, rc, "console");
		return CMD_ERROR;
	}
	buf[got] = '\0';
	ctx->result = json_object();
	json_object_set_new(ctx->result, "output", json_stringn(buf, got));
	return CMD_DONE;
}

const struct cmd_entry cmd_console_entry = {
	.name = "console", .args = console_args,
	.flags = CMD_TARGET | CMD_BUSY_OK,
	.exec = cmd_console_exec,
};

