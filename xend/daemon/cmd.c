/*
 * cmd.c: the command table and the generic layer in front of handlers.
 * It finds the command, checks every argument against the command's
 * argument list (unknown names, wrong types and missing required ones are
 * refused here), resolves the target domain, runs the handler and routes
 * its result or error back to the client.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

static const struct cmd_entry *cmd_table[] = {
	&cmd_list_entry,
	&cmd_info_entry,
	&cmd_create_entry,
	&cmd_destroy_entry,
	&cmd_pause_entry,
	&cmd_unpause_entry,
	&cmd_shutdown_entry,
	&cmd_mem_set_entry,
	&cmd_sched_entry,
	&cmd_vcpu_pin_entry,
	&cmd_vcpu_set_entry,
	&cmd_log_entry,
	&cmd_report_entry,
	&cmd_series_entry,
	&cmd_console_entry,
	&cmd_input_entry,
	&cmd_save_entry,
	&cmd_restore_entry,
	&cmd_host_shutdown_entry,
	&cmd_network_attach_entry,
	&cmd_network_detach_entry,
	&cmd_network_list_entry,
	&cmd_block_attach_entry,
	&cmd_block_detach_entry,
	&cmd_block_list_entry,
};

enum cmd_retval
cmd_fail(struct cmd_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	ctx->err.code = code;
	va_start(ap, fmt);
	vsnprintf(ctx->err.msg, sizeof ctx->err.msg, fmt, ap);
	va_end(ap);
	return CMD_ERROR;
}

const char *
cmd_arg_string(struct cmd_ctx *ctx, const char *name)
{
	return json_string_value(json_object_get(ctx->args, name));
}

int
cmd_arg_uint(struct cmd_ctx *ctx, const char *name, uint64_t *out)
{
	json_t *v = json_object_get(ctx->args, name);

	if (v == NULL)
		return 0;
	*out = (uint64_t)json_integer_value(v);
	return 1;
}

int
cmd_arg_bool(struct cmd_ctx *ctx, const char *name)
{
	return json_is_true(json_object_get(ctx->args, name));
}

static const char *
type_name(enum arg_type t)
{
	switch (t) {
	case ARG_STRING:	return "a string";
	case ARG_UINT:		return "a non-negative integer";
	case ARG_BOOL:		return "true or false";
	}
	return "?";
}

static int
check_args(const struct cmd_entry *ce, json_t *args, struct xerr *e)
{
	const struct cmd_arg *a;
	const char *key;
	json_t *v;
	int ok;

	json_object_foreach(args, key, v) {
		for (a = ce->args; a->name != NULL; a++)
			if (strcmp(a->name, key) == 0)
				break;
		if (a->name == NULL)
			return xerr_set(e, XE_BAD_ARG, "%s: unknown argument "
			    "\"%.64s\"", ce->name, key);
		switch (a->type) {
		case ARG_STRING:
			ok = json_is_string(v) &&
			    json_string_length(v) == strlen(json_string_value(v));
			break;
		case ARG_UINT:
			ok = json_is_integer(v) && json_integer_value(v) >= 0;
			break;
		case ARG_BOOL:
			ok = json_is_boolean(v);
			break;
		default:
			ok = 0;
		}
		if (!ok)
			return xerr_set(e, XE_BAD_ARG, "%s: argument \"%s\" "
			    "must be %s", ce->name, key, type_name(a->type));
	}
	for (a = ce->args; a->name != NULL; a++)
		if (a->required && json_object_get(args, a->name) == NULL)
			return xerr_set(e, XE_BAD_ARG, "%s: missing argument "
			    "\"%s\"", ce->name, a->name);
	return 0;
}

int
cmd_dispatch(struct peer *p, struct proto_request *req, json_t **result,
    struct xerr *err)
{
	const struct cmd_entry *ce = NULL;
	struct cmd_ctx ctx;
	enum cmd_retval rv;
	size_t i;

	memset(&ctx, 0, sizeof ctx);
	ctx.peer = p;
	ctx.id = req->id;
	ctx.args = req->args;
	for (i = 0; i < sizeof cmd_table / sizeof cmd_table[0]; i++)
		if (strcmp(cmd_table[i]->name, req->cmd) == 0)
			ce = cmd_table[i];
	if (ce == NULL) {
		xerr_set(err, XE_UNKNOWN_CMD, "unknown command \"%s\"",
		    req->cmd);
		return CMD_ERROR;
	}
	if (check_args(ce, req->args, err) != 0)
		return CMD_ERROR;
	if (ce->flags & CMD_TARGET) {
		if (domain_refresh(err) != 0 ||
		    (ctx.target = domain_lookup(cmd_arg_string(&ctx, "domain"),
		    err)) == NULL)
			return CMD_ERROR;
		if (ctx.target->busy != NULL && !(ce->flags & CMD_BUSY_OK)) {
			xerr_set(err, XE_STATE, "%s: %s is busy (%s in "
			    "progress)", ce->name, ctx.target->rec.name,
			    ctx.target->busy);
			return CMD_ERROR;
		}
	}
	rv = ce->exec(&ctx);
	if (rv == CMD_ERROR) {
		json_decref(ctx.result);
		*err = ctx.err;
		return CMD_ERROR;
	}
	*result = ctx.result;
	return rv;
}
