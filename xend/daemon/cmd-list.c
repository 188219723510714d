/*
 * cmd-list.c: the read-only views: "list" (every domain) and "info"
 * (the host and hypervisor, or with a domain argument one domain in
 * detail, including its stored config).
 */
#include <string.h>

#include "cmd.h"
#include "job.h"

static const struct cmd_arg list_args[] = { { NULL, 0, 0 } };
static const struct cmd_arg info_args[] = {
	{ "domain", ARG_STRING, 0 },
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_list_exec(struct cmd_ctx *ctx)
{
	struct domain *d;
	json_t *arr;

	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	arr = json_array();
	TAILQ_FOREACH(d, &xend->domains, entry)
		json_array_append_new(arr, domain_json(d));
	ctx->result = json_object();
	json_object_set_new(ctx->result, "domains", arr);
	return CMD_DONE;
}

static json_t *
host_json(struct cmd_ctx *ctx)
{
	struct hv_physinfo pi;
	json_t *o;
	int rc;

	if ((rc = hv_physinfo(xend->hv, &pi)) != 0) {
		xerr_from_hv(&ctx->err, rc, "reading host information");
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "xend_version", json_string(XEND_VERSION));
	json_object_set_new(o, "protocol", json_integer(XEND_PROTO_VERSION));
	json_object_set_new(o, "backend", json_string(hv_name(xend->hv)));
	json_object_set_new(o, "hypervisor", json_string(pi.version));
	json_object_set_new(o, "boot_id", json_string(pi.boot_id));
	json_object_set_new(o, "cpus", json_integer(pi.cpus));
	json_object_set_new(o, "total_kib", json_integer((json_int_t)
	    pi.total_kib));
	json_object_set_new(o, "free_kib", json_integer((json_int_t)
	    pi.free_kib));
	json_object_set_new(o, "uptime_s", json_integer(now_seconds() -
	    xend->started));
	json_object_set_new(o, "clients", json_integer(xend->npeers));
	json_object_set_new(o, "jobs", json_integer(job_count()));
	json_object_set_new(o, "sample_interval_ms", json_integer(
	    (json_int_t)xend->conf.sample_interval_ms));
	json_object_set_new(o, "database", json_string(xend->conf.db_path));
	json_object_set_new(o, "samples", json_integer(db_count(xend->db,
	    "samples")));
	json_object_set_new(o, "log_lines", json_integer(db_count(xend->db,
	    "hvlog")));
	return o;
}

static enum cmd_retval
cmd_info_exec(struct cmd_ctx *ctx)
{
	const char *name = cmd_arg_string(ctx, "domain");
	struct domain *d;
	json_t *o;
	int n = 0;

	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	ctx->result = json_object();
	if (name == NULL) {
		if ((o = host_json(ctx)) == NULL)
			return CMD_ERROR;
		TAILQ_FOREACH(d, &xend->domains, entry)
			n++;
		json_object_set_new(o, "domains", json_integer(n));
		json_object_set_new(ctx->result, "host", o);
		return CMD_DONE;
	}
	if ((d = domain_lookup(name, &ctx->err)) == NULL)
		return CMD_ERROR;
	o = domain_json(d);
	if (d->rec.config != NULL)
		json_object_set_new(o, "config", json_string(d->rec.config));
	if (d->has_cfg) {
		json_object_set_new(o, "on_poweroff", json_string(
		    domcfg_action_name(d->cfg.on_poweroff)));
		json_object_set_new(o, "on_reboot", json_string(
		    domcfg_action_name(d->cfg.on_reboot)));
		json_object_set_new(o, "on_crash", json_string(
		    domcfg_action_name(d->cfg.on_crash)));
		json_object_set_new(o, "kernel", json_string(d->cfg.kernel));
		json_object_set_new(o, "cmdline", json_string(d->cfg.cmdline));
	}
	json_object_set_new(ctx->result, "domain", o);
	return CMD_DONE;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list", .args = list_args, .exec = cmd_list_exec,
};

const struct cmd_entry cmd_info_entry = {
	.name = "info", .args = info_args, .exec = cmd_info_exec,
};
