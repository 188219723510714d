/*
 * cmd-console.c: the commands that depend on backend features that are
 * not there yet: console (domain console output), save and restore.
 * They go through the backend so that the day a backend implements them
 * the commands work; until then the client gets the backend's own
 * "not supported" sentence with code XE_UNSUPPORTED, never a fake success.
 */
#include <string.h>

#include "cmd.h"

static const struct cmd_arg console_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "follow", ARG_BOOL, 0 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg save_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "path", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg restore_args[] = {
	{ "path", ARG_STRING, 1 },
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

static enum cmd_retval
cmd_save_exec(struct cmd_ctx *ctx)
{
	const char *path = cmd_arg_string(ctx, "path");
	int rc;

	if (path[0] != '/')
		return cmd_fail(ctx, XE_BAD_ARG, "save: path must be absolute");
	if ((rc = hv_save(xend->hv, ctx->target->rec.domid, path)) != 0) {
		xerr_from_hv(&ctx->err, rc, "save");
		return CMD_ERROR;
	}
	ctx->result = json_object();
	return CMD_DONE;
}

static enum cmd_retval
cmd_restore_exec(struct cmd_ctx *ctx)
{
	const char *path = cmd_arg_string(ctx, "path");
	uint32_t domid;
	int rc;

	if (path[0] != '/')
		return cmd_fail(ctx, XE_BAD_ARG, "restore: path must be "
		    "absolute");
	if ((rc = hv_restore(xend->hv, path, &domid)) != 0) {
		xerr_from_hv(&ctx->err, rc, "restore");
		return CMD_ERROR;
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(domid));
	return CMD_DONE;
}

const struct cmd_entry cmd_console_entry = {
	.name = "console", .args = console_args, .flags = CMD_TARGET,
	.exec = cmd_console_exec,
};

const struct cmd_entry cmd_save_entry = {
	.name = "save", .args = save_args, .flags = CMD_TARGET,
	.exec = cmd_save_exec,
};

const struct cmd_entry cmd_restore_entry = {
	.name = "restore", .args = restore_args, .exec = cmd_restore_exec,
};
