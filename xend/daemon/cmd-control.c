/*
 * cmd-control.c: the lifecycle commands on one domain: destroy, pause,
 * unpause and shutdown.  State is checked here first so the client gets
 * "web is already paused" rather than a backend errno.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "xmalloc.h"

static const struct cmd_arg domain_only_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ NULL, 0, 0 },
};

static const struct cmd_arg shutdown_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "reason", ARG_STRING, 0 },	/* "poweroff" (default) or "reboot" */
	{ NULL, 0, 0 },
};

static enum cmd_retval
done(struct cmd_ctx *ctx, const struct domain *d, const char *state)
{
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(d->rec.domid));
	json_object_set_new(ctx->result, "name", json_string(d->rec.name));
	json_object_set_new(ctx->result, "state", json_string(state));
	return CMD_DONE;
}

static enum cmd_retval
not_dom0(struct cmd_ctx *ctx, const char *verb)
{
	return cmd_fail(ctx, XE_DOM0, "Domain-0 cannot be %s: it is the "
	    "domain xend itself runs in", verb);
}

static enum cmd_retval
cmd_destroy_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	uint32_t domid = d->rec.domid;
	char *name;

	if (domid == 0)
		return not_dom0(ctx, "destroyed");
	name = xstrdup(d->rec.name);
	if (domain_destroy(d, "destroy command", &ctx->err) != 0) {
		free(name);
		return CMD_ERROR;
	}
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(domid));
	json_object_set_new(ctx->result, "name", json_string(name));
	json_object_set_new(ctx->result, "state", json_string("destroyed"));
	free(name);
	return CMD_DONE;
}

static enum cmd_retval
cmd_pause_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	int rc;

	if (d->rec.domid == 0)
		return not_dom0(ctx, "paused");
	if (d->info.state == HV_PAUSED)
		return cmd_fail(ctx, XE_STATE, "%s is already paused",
		    d->rec.name);
	if (d->info.state != HV_RUNNING)
		return cmd_fail(ctx, XE_STATE, "%s is %s; only a running "
		    "domain can be paused", d->rec.name,
		    hv_state_name(d->info.state));
	if ((rc = hv_pause(xend->hv, d->rec.domid)) != 0) {
		xerr_from_hv(&ctx->err, rc, "pausing");
		return CMD_ERROR;
	}
	hv_info(xend->hv, d->rec.domid, &d->info);
	domain_event(d, "paused", "paused");
	hvlog_ingest();
	return done(ctx, d, hv_state_name(d->info.state));
}

static enum cmd_retval
cmd_unpause_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	int rc;

	if (d->rec.domid == 0)
		return not_dom0(ctx, "unpaused");
	if (d->info.state != HV_PAUSED)
		return cmd_fail(ctx, XE_STATE, "%s is %s, not paused",
		    d->rec.name, hv_state_name(d->info.state));
	if ((rc = hv_unpause(xend->hv, d->rec.domid)) != 0) {
		xerr_from_hv(&ctx->err, rc, "unpausing");
		return CMD_ERROR;
	}
	hv_info(xend->hv, d->rec.domid, &d->info);
	domain_event(d, "unpaused", "unpaused");
	hvlog_ingest();
	return done(ctx, d, hv_state_name(d->info.state));
}

static enum cmd_retval
cmd_shutdown_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	const char *reason = cmd_arg_string(ctx, "reason");
	enum hv_shutdown_reason why = HV_SHUTDOWN_POWEROFF;
	struct xerr e;
	uint32_t domid = d->rec.domid;
	char name[DOM_NAME_MAX + 16];
	int rc;

	if (reason != NULL && strcmp(reason, "reboot") == 0)
		why = HV_SHUTDOWN_REBOOT;
	else if (reason != NULL && strcmp(reason, "poweroff") != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "shutdown: reason must be "
		    "\"poweroff\" or \"reboot\"");
	if (domid == 0)
		return not_dom0(ctx, "shut down from xend");
	if (d->info.state == HV_SHUTDOWN)
		return cmd_fail(ctx, XE_STATE, "%s has already shut down",
		    d->rec.name);
	if ((rc = hv_shutdown(xend->hv, domid, why)) != 0) {
		xerr_from_hv(&ctx->err, rc, "shutting down");
		return CMD_ERROR;
	}
	snprintf(name, sizeof name, "%s", d->rec.name);
	/* Taking the on_* action may destroy d; report by id and name. */
	if (domain_refresh(&e) != 0)
		log_warnx("after shutdown: %s", e.msg);
	hvlog_ingest();
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domid", json_integer(domid));
	json_object_set_new(ctx->result, "name", json_string(name));
	json_object_set_new(ctx->result, "reason",
	    json_string(hv_reason_name((int)why)));
	return CMD_DONE;
}

const struct cmd_entry cmd_destroy_entry = {
	.name = "destroy", .args = domain_only_args, .flags = CMD_TARGET,
	.exec = cmd_destroy_exec,
};

const struct cmd_entry cmd_pause_entry = {
	.name = "pause", .args = domain_only_args, .flags = CMD_TARGET,
	.exec = cmd_pause_exec,
};

const struct cmd_entry cmd_unpause_entry = {
	.name = "unpause", .args = domain_only_args, .flags = CMD_TARGET,
	.exec = cmd_unpause_exec,
};

const struct cmd_entry cmd_shutdown_entry = {
	.name = "shutdown", .args = shutdown_args, .flags = CMD_TARGET,
	.exec = cmd_shutdown_exec,
};
