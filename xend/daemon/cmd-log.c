/*
 * cmd-log.c: "log": the hypervisor log as stored by xend, oldest first.
 * By default the newest "lines" lines; with "from", the lines from that
 * sequence number on.  With "follow", the reply is followed by stream
 * items carrying each new line as xend ingests it, until the client
 * disconnects.
 */
#include "cmd.h"

#define LOG_LINES_DEFAULT	100
#define LOG_LINES_MAX		100000

static const struct cmd_arg log_args[] = {
	{ "lines", ARG_UINT, 0 },
	{ "from", ARG_UINT, 0 },
	{ "follow", ARG_BOOL, 0 },
	{ NULL, 0, 0 },
};

static void
add_line(void *arg, uint64_t seq, int64_t t, const char *line)
{
	json_t *l = json_object();

	json_object_set_new(l, "seq", json_integer((json_int_t)seq));
	json_object_set_new(l, "t", json_integer(t));
	json_object_set_new(l, "line", json_string(line));
	json_array_append_new(arg, l);
}

static enum cmd_retval
cmd_log_exec(struct cmd_ctx *ctx)
{
	uint64_t lines = LOG_LINES_DEFAULT, from = 0;
	int have_from, follow = cmd_arg_bool(ctx, "follow");
	json_t *arr;

	cmd_arg_uint(ctx, "lines", &lines);
	have_from = cmd_arg_uint(ctx, "from", &from);
	if (lines == 0 || lines > LOG_LINES_MAX)
		return cmd_fail(ctx, XE_BAD_ARG, "log: lines must be 1 to %d",
		    LOG_LINES_MAX);
	/* Pick up what the hypervisor logged since the last tick. */
	hvlog_ingest();
	arr = json_array();
	if (db_hvlog_query(xend->db, xend->boot_id, from, !have_from, lines,
	    add_line, arr) != 0) {
		json_decref(arr);
		return cmd_fail(ctx, XE_DATABASE, "reading the log: %s",
		    db_errmsg(xend->db));
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "boot_id", json_string(xend->boot_id));
	json_object_set_new(ctx->result, "next", json_integer((json_int_t)
	    xend->log_next));
	json_object_set_new(ctx->result, "lines", arr);
	if (!follow)
		return CMD_DONE;
	json_object_set_new(ctx->result, "following", json_true());
	return CMD_FOLLOW;
}

const struct cmd_entry cmd_log_entry = {
	.name = "log", .args = log_args, .exec = cmd_log_exec,
};
