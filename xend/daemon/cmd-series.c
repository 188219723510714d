/*
 * cmd-series.c: "series": what the charts draw, for one domain by name
 * over [since, until) in Unix seconds: CPU use in percent of one CPU and
 * memory in MiB at each (thinned) sample time, and its balloon requests
 * with their outcome.  The web console and `xenctl report --chart` both
 * ask this, so both draw the same numbers.
 *
 * CPU percent comes from the growth of the CPU counter between two
 * points of the same incarnation; the first point of each incarnation
 * has none (null), since the counter starts again there.
 */
#include <string.h>

#include "cmd.h"

/* Points per chart: the default and the most a client may ask for. */
#define SERIES_POINTS_DEFAULT	600
#define SERIES_POINTS_MAX	5000

static const struct cmd_arg series_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "since", ARG_UINT, 1 },
	{ "until", ARG_UINT, 1 },
	{ "points", ARG_UINT, 0 },
	{ NULL, 0, 0 },
};

struct series_acc {
	json_t		*t, *cpu, *mem;
	int64_t		 prev_rec, prev_t_ms;
	uint64_t	 prev_cpu;
};

static void
add_point(void *arg, const struct db_series_point *p)
{
	struct series_acc *a = arg;
	double dt_ns;

	json_array_append_new(a->t, json_real((double)p->t_ms / 1000.0));
	json_array_append_new(a->mem, json_real(p->mem_kib / 1024.0));
	dt_ns = (double)(p->t_ms - a->prev_t_ms) * 1e6;
	if (p->rec == a->prev_rec && dt_ns > 0 && p->cpu_ns >= a->prev_cpu)
		json_array_append_new(a->cpu, json_real(
		    (double)(p->cpu_ns - a->prev_cpu) * 100.0 / dt_ns));
	else
		json_array_append_new(a->cpu, json_null());
	a->prev_rec = p->rec;
	a->prev_t_ms = p->t_ms;
	a->prev_cpu = p->cpu_ns;
}

static void
add_balloon(void *arg, const struct db_balloon_row *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "t", json_integer(r->t));
	json_object_set_new(o, "from_mib", json_real(r->from_kib / 1024.0));
	json_object_set_new(o, "target_mib", json_real(r->target_kib /
	    1024.0));
	json_object_set_new(o, "outcome", json_string(r->outcome != NULL ?
	    r->outcome : "?"));
	json_object_set_new(o, "deadline_ms", r->deadline_ms < 0 ?
	    json_null() : json_integer(r->deadline_ms));
	json_object_set_new(o, "comply_ms", r->comply_ms < 0 ? json_null() :
	    json_integer(r->comply_ms));
	json_array_append_new(arg, o);
}

static enum cmd_retval
cmd_series_exec(struct cmd_ctx *ctx)
{
	const char *name = cmd_arg_string(ctx, "domain"), *why;
	uint64_t since = 0, until = 0, points = SERIES_POINTS_DEFAULT;
	struct series_acc a;
	json_t *balloon;
	int64_t bucket_ms;

	cmd_arg_uint(ctx, "since", &since);
	cmd_arg_uint(ctx, "until", &until);
	cmd_arg_uint(ctx, "points", &points);
	/* Gone domains have charts too, so the name is checked, not
	 * looked up among the living. */
	if (strcmp(name, "Domain-0") != 0 &&
	    (why = domcfg_check_name(name)) != NULL)
		return cmd_fail(ctx, XE_BAD_ARG, "series: domain: %s", why);
	if (until <= since)
		return cmd_fail(ctx, XE_BAD_ARG, "series: until must be after "
		    "since");
	if (until > (uint64_t)INT64_MAX / 1000)
		return cmd_fail(ctx, XE_BAD_ARG, "series: until out of range");
	if (points < 2 || points > SERIES_POINTS_MAX)
		return cmd_fail(ctx, XE_BAD_ARG, "series: points must be 2 to "
		    "%d", SERIES_POINTS_MAX);
	bucket_ms = (int64_t)((until - since) * 1000 / points);
	memset(&a, 0, sizeof a);
	a.prev_rec = -1;
	a.t = json_array();
	a.cpu = json_array();
	a.mem = json_array();
	balloon = json_array();
	if (db_series(xend->db, name, (int64_t)since * 1000, (int64_t)until *
	    1000, bucket_ms, add_point, &a) != 0 ||
	    db_balloon_list(xend->db, name, (int64_t)since * 1000,
	    (int64_t)until * 1000, add_balloon, balloon) != 0) {
		json_decref(a.t);
		json_decref(a.cpu);
		json_decref(a.mem);
		json_decref(balloon);
		return cmd_fail(ctx, XE_DATABASE, "series: %s",
		    db_errmsg(xend->db));
	}
	ctx->result = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o}",
	    "domain", name, "since", (json_int_t)since, "until",
	    (json_int_t)until, "t", a.t, "cpu_pct", a.cpu, "mem_mib", a.mem,
	    "balloon", balloon);
	return CMD_DONE;
}

const struct cmd_entry cmd_series_entry = {
	.name = "series", .args = series_args, .exec = cmd_series_exec,
};
