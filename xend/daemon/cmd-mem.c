/*
 * cmd-mem.c: "mem-set": move a domain's balloon target.  xend checks the
 * request against the floor (mem_floor in xend.conf; below it only with
 * force), the domain's maxmem (its config's: a deadline may have held
 * the hypervisor's lower) and the host's free memory itself, so the
 * refusal names the limit; every request and its outcome (done,
 * rejected, failed; with a deadline met or missed, balloon.c) is
 * recorded in the balloon table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "balloon.h"
#include "cmd.h"

static const struct cmd_arg mem_set_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "memory_kib", ARG_UINT, 1 },
	{ "force", ARG_BOOL, 0 },	/* below the floor */
	{ "deadline_ms", ARG_UINT, 0 },	/* wait until met or this late */
	{ "on_miss", ARG_STRING, 0 },	/* log, pause, save, destroy */
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ NULL, 0, 0 },
};

static enum cmd_retval
record(struct cmd_ctx *ctx, struct domain *d, uint64_t from, uint64_t to,
    const char *outcome, enum cmd_retval rv)
{
	db_balloon_add(xend->db, d->rec.rec, d->rec.domid, now_seconds(),
	    from, to, outcome, rv == CMD_ERROR ? ctx->err.msg : NULL);
	return rv;
}

static enum cmd_retval
cmd_mem_set_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	struct hv_physinfo pi;
	uint64_t want = 0, from = d->info.mem_kib, deadline = 0, limit;
	uint64_t floor = xend->conf.mem_floor_mib * 1024, gmin;
	enum balloon_miss policy = MISS_LOG;
	struct db_intent in;
	const char *on_miss = cmd_arg_string(ctx, "on_miss");
	int rc, has_deadline;

	cmd_arg_uint(ctx, "memory_kib", &want);
	has_deadline = json_object_get(ctx->args, "deadline_ms") != NULL;
	cmd_arg_uint(ctx, "deadline_ms", &deadline);
	if (on_miss != NULL && balloon_miss_parse(on_miss, &policy) != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "on_miss must be log, pause, "
		    "save or destroy");
	if (on_miss != NULL && !has_deadline)
		return cmd_fail(ctx, XE_BAD_ARG, "on_miss needs a deadline");
	if (has_deadline && (deadline == 0 || deadline > 86400000))
		return cmd_fail(ctx, XE_BAD_ARG, "deadline must be 1 ms to "
		    "1 day");
	if (d->rec.domid == 0 && has_deadline && policy != MISS_LOG)
		return cmd_fail(ctx, XE_DOM0, "Domain-0 can only be given "
		    "on-miss log");
	if (balloon_pending(d))
		return cmd_fail(ctx, XE_STATE, "%s has a balloon request "
		    "with a deadline pending; wait for it", d->rec.name);
	if (want < 1024) {
		cmd_fail(ctx, XE_LIMIT, "%" PRIu64 " KiB is too little; a "
		    "domain needs at least 1 MiB", want);
		return record(ctx, d, from, want, "rejected", CMD_ERROR);
	}
	/* The guest's own published minimum, if it has one, else ours. */
	if (hv_guest_min(xend->hv, d->rec.domid, &gmin) == 0 && gmin > 0)
		floor = gmin;
	if (want < floor && !cmd_arg_bool(ctx, "force")) {
		cmd_fail(ctx, XE_LIMIT, "%" PRIu64 " MiB is below the floor of "
		    "%" PRIu64 " MiB (%s): a guest that small may kill its own "
		    "processes; use --force to set it anyway", want / 1024,
		    floor / 1024, floor == xend->conf.mem_floor_mib * 1024 ?
		    "mem_floor in xend.conf" : "its memory/min_kib");
		return record(ctx, d, from, want, "rejected", CMD_ERROR);
	}
	if (d->info.state == HV_SHUTDOWN || d->info.state == HV_DYING) {
		cmd_fail(ctx, XE_STATE, "%s is %s; its memory cannot change",
		    d->rec.name, hv_state_name(d->info.state));
		return record(ctx, d, from, want, "rejected", CMD_ERROR);
	}
	limit = d->has_cfg ? d->cfg.maxmem_mib * 1024 : d->info.maxmem_kib;
	if (want > limit) {
		cmd_fail(ctx, XE_LIMIT, "%" PRIu64 " MiB is above %s's maxmem "
		    "of %" PRIu64 " MiB (raise maxmem in its config and "
		    "recreate it)", want / 1024, d->rec.name, limit / 1024);
		return record(ctx, d, from, want, "rejected", CMD_ERROR);
	}
	if ((rc = hv_physinfo(xend->hv, &pi)) != 0) {
		xerr_from_hv(&ctx->err, rc, "reading free memory");
		return record(ctx, d, from, want, "failed", CMD_ERROR);
	}
	if (want > from && want - from > pi.free_kib) {
		cmd_fail(ctx, XE_NO_MEMORY, "growing %s by %" PRIu64 " MiB "
		    "needs more than the %" PRIu64 " MiB free on the host",
		    d->rec.name, (want - from) / 1024, pi.free_kib / 1024);
		return record(ctx, d, from, want, "rejected", CMD_ERROR);
	}
	/* The intent first (intent.c: a restart sets the target again). */
	memset(&in, 0, sizeof in);
	in.op = "mem-set";
	in.name = d->rec.name;
	in.arg = (int64_t)want;
	if (intent_add(&in, d, &ctx->err) != 0)
		return CMD_ERROR;
	crash_point("mem-set.intent");
	/* A deadline held it lower: let it grow to what its config allows. */
	if (want > d->info.maxmem_kib && (rc = hv_set_maxmem(xend->hv,
	    d->rec.domid, want)) != 0) {
		xerr_from_hv(&ctx->err, rc, "raising maxmem");
		db_intent_end(xend->db, in.id);
		return record(ctx, d, from, want, "failed", CMD_ERROR);
	}
	if ((rc = hv_set_target(xend->hv, d->rec.domid, want)) != 0) {
		xerr_from_hv(&ctx->err, rc, "setting the memory target");
		db_intent_end(xend->db, in.id);
		return record(ctx, d, from, want, "failed", CMD_ERROR);
	}
	crash_point("mem-set.set");
	/* The outcome is the hypervisor's target itself: the intent is
	 * done (the history row below is for reports). */
	db_intent_end(xend->db, in.id);
	hv_info(xend->hv, d->rec.domid, &d->info);
	domain_event(d, "mem-set", "memory target %" PRIu64 " KiB (was %"
	    PRIu64 ")", want, from);
	hvlog_ingest();
	if (has_deadline) {
		record(ctx, d, from, want, "pending", CMD_DONE);
		balloon_track(d, from, want, deadline, policy, ctx->peer,
		    ctx->id, cmd_arg_bool(ctx, "progress"));
		return CMD_WAIT;
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "from_kib", json_integer(
	    (json_int_t)from));
	json_object_set_new(ctx->result, "target_kib", json_integer(
	    (json_int_t)want));
	json_object_set_new(ctx->result, "mem_kib", json_integer(
	    (json_int_t)d->info.mem_kib));
	return record(ctx, d, from, want, "done", CMD_DONE);
}

const struct cmd_entry cmd_mem_set_entry = {
	.name = "mem-set", .args = mem_set_args, .flags = CMD_TARGET,
	.exec = cmd_mem_set_exec,
};
