/*
 * cmd-create.c: "create": start a domain from config text.  xenctl has
 * already parsed the file, but xend parses it again itself: a client is
 * never trusted to have done so, and the stored text is what a later
 * restart uses.  Building the domain (loading its kernel) is slow, so it
 * runs as a job (domain_create_job in domain-create.c, job.h).
 */
#include <string.h>

#include "cmd.h"

static const struct cmd_arg create_args[] = {
	{ "config", ARG_STRING, 1 },	/* the file's text */
	{ "path", ARG_STRING, 1 },	/* for messages and the record */
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_create_exec(struct cmd_ctx *ctx)
{
	const char *text = cmd_arg_string(ctx, "config");
	const char *path = cmd_arg_string(ctx, "path");
	struct cfg_warnings warn = { NULL, 0 };
	int rc;

	if (strlen(path) == 0 || strlen(path) > 4096)
		return cmd_fail(ctx, XE_BAD_ARG, "create: \"path\" must be 1 "
		    "to 4096 bytes");
	if (hostdown_active())
		return cmd_fail(ctx, XE_STATE, "create: the host is shutting "
		    "down");
	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	rc = domain_create_job(text, path, ctx->peer, ctx->id,
	    cmd_arg_bool(ctx, "progress"), &warn, 0, 0, &ctx->err);
	cfg_warnings_free(&warn);
	return rc == 0 ? CMD_WAIT : CMD_ERROR;
}

const struct cmd_entry cmd_create_entry = {
	.name = "create", .args = create_args, .exec = cmd_create_exec,
};
