/*
 * cmd-create.c: "create": start a domain from config text.  xenctl has
 * already parsed the file, but xend parses it again itself: a client is
 * never trusted to have done so, and the stored text is what a later
 * restart uses.
 */
#include <string.h>

#include "cmd.h"

static const struct cmd_arg create_args[] = {
	{ "config", ARG_STRING, 1 },	/* the file's text */
	{ "path", ARG_STRING, 1 },	/* for messages and the record */
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_create_exec(struct cmd_ctx *ctx)
{
	const char *text = cmd_arg_string(ctx, "config");
	const char *path = cmd_arg_string(ctx, "path");
	struct cfg_warnings warn = { NULL, 0 };
	struct domain *d;
	json_t *w;
	size_t i;

	if (strlen(path) == 0 || strlen(path) > 4096)
		return cmd_fail(ctx, XE_BAD_ARG, "create: \"path\" must be 1 "
		    "to 4096 bytes");
	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	if (domain_create(text, path, &d, &warn, &ctx->err) != 0) {
		cfg_warnings_free(&warn);
		return CMD_ERROR;
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "uuid", json_string(d->rec.uuid));
	w = json_array();
	for (i = 0; i < warn.n; i++)
		json_array_append_new(w, json_string(warn.msgs[i]));
	json_object_set_new(ctx->result, "warnings", w);
	cfg_warnings_free(&warn);
	return CMD_DONE;
}

const struct cmd_entry cmd_create_entry = {
	.name = "create", .args = create_args, .exec = cmd_create_exec,
};
