/*
 * cmd-report.c: "report": accounting per domain record over a time range
 * [since, until) in Unix seconds: CPU seconds used (growth of the CPU
 * counter between the first and last sample in the range), average and
 * peak memory, and the number of samples.  A domain that was restarted
 * appears once per incarnation, since each has its own record.
 */
#include "cmd.h"

static const struct cmd_arg report_args[] = {
	{ "since", ARG_UINT, 1 },
	{ "until", ARG_UINT, 1 },
	{ NULL, 0, 0 },
};

struct report_acc {
	json_t		*rows;
	int64_t		 since_ms, until_ms;
};

static void
add_row(void *arg, const struct db_report_row *r)
{
	struct report_acc *acc = arg;
	struct db_balloon_stats bs;
	json_t *o = json_object();

	json_object_set_new(o, "rec", json_integer(r->rec));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "domid", json_integer(r->domid));
	json_object_set_new(o, "alive", json_boolean(r->alive));
	json_object_set_new(o, "samples", json_integer((json_int_t)r->samples));
	json_object_set_new(o, "cpu_seconds", json_real(r->cpu_seconds));
	json_object_set_new(o, "mem_avg_kib", json_real(r->mem_avg_kib));
	json_object_set_new(o, "mem_peak_kib", json_integer((json_int_t)
	    r->mem_peak_kib));
	json_object_set_new(o, "first_ms", json_integer(r->first_ms));
	json_object_set_new(o, "last_ms", json_integer(r->last_ms));
	/* Balloon requests: how many, met or missed their deadline, and the
	 * median time to comply of those met (-1: none). */
	if (db_balloon_stats(xend->db, r->rec, acc->since_ms, acc->until_ms,
	    &bs) == 0) {
		json_object_set_new(o, "balloon_requests", json_integer(
		    (json_int_t)bs.requests));
		json_object_set_new(o, "balloon_met", json_integer(
		    (json_int_t)bs.met));
		json_object_set_new(o, "balloon_missed", json_integer(
		    (json_int_t)bs.missed));
		json_object_set_new(o, "balloon_median_ms", json_integer(
		    bs.median_ms));
	}
	json_array_append_new(acc->rows, o);
}

static enum cmd_retval
cmd_report_exec(struct cmd_ctx *ctx)
{
	uint64_t since = 0, until = 0;
	struct report_acc acc;
	json_t *rows;

	cmd_arg_uint(ctx, "since", &since);
	cmd_arg_uint(ctx, "until", &until);
	if (until <= since)
		return cmd_fail(ctx, XE_BAD_ARG, "report: until must be after "
		    "since");
	if (until > (uint64_t)INT64_MAX / 1000)
		return cmd_fail(ctx, XE_BAD_ARG, "report: until out of range");
	rows = json_array();
	acc.rows = rows;
	acc.since_ms = (int64_t)since * 1000;
	acc.until_ms = (int64_t)until * 1000;
	if (db_report(xend->db, acc.since_ms, acc.until_ms, add_row, &acc)
	    != 0) {
		json_decref(rows);
		return cmd_fail(ctx, XE_DATABASE, "building the report: %s",
		    db_errmsg(xend->db));
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "since", json_integer((json_int_t)
	    since));
	json_object_set_new(ctx->result, "until", json_integer((json_int_t)
	    until));
	json_object_set_new(ctx->result, "domains", rows);
	return CMD_DONE;
}

const struct cmd_entry cmd_report_entry = {
	.name = "report", .args = report_args, .exec = cmd_report_exec,
};
