/*
 * cmd-sched.c: the scheduler settings of a domain (docs/scheduler.md).
 * "sched" reads or sets its weight and cap, "vcpu-pin" one vCPU's hard
 * affinity (vCPU hotplug, "vcpu-set", is cmd-vcpu.c).  Both check what they can here (ranges, the vCPU exists, the
 * CPUs exist) so the user gets "the host has 2 CPUs" rather than an
 * errno; what they set is recorded in the domain's database record
 * (domains.sched), next to the config it was created with, whose
 * cpu_weight, cap and cpus domain_sched_apply puts in force at creation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "strnum.h"

static const struct cmd_arg sched_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "weight", ARG_UINT, 0 },	/* 1..65535 */
	{ "cap", ARG_UINT, 0 },		/* percent of one CPU, 0 = none */
	{ NULL, 0, 0 },
};

static const struct cmd_arg pin_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "vcpu", ARG_UINT, 1 },
	{ "cpus", ARG_STRING, 1 },	/* xl syntax: "0", "0-1", "all" */
	{ NULL, 0, 0 },
};

static uint64_t
host_mask(uint32_t cpus)
{
	return cpus >= 64 ? UINT64_MAX : (UINT64_C(1) << cpus) - 1;
}

static int
host_cpus(uint32_t *cpus, struct xerr *e)
{
	struct hv_physinfo pi;
	int rc;

	if ((rc = hv_physinfo(xend->hv, &pi)) != 0)
		return xerr_from_hv(e, rc, "reading the host's CPUs");
	*cpus = pi.cpus;
	return 0;
}

/* The settings in force, as a JSON object and as the record's text. */
static int
sched_state(const struct domain *d, json_t **out, char *text, size_t len,
    struct xerr *e)
{
	uint32_t weight, cap, cpus = 0, v;
	uint64_t mask;
	json_t *o, *pins;
	char buf[200];
	size_t n;
	int rc;

	if (host_cpus(&cpus, e) != 0)
		return -1;
	if ((rc = hv_sched_get(xend->hv, d->rec.domid, &weight, &cap)) != 0)
		return xerr_from_hv(e, rc, "reading the scheduler settings");
	o = json_object();
	json_object_set_new(o, "domid", json_integer(d->rec.domid));
	json_object_set_new(o, "name", json_string(d->rec.name));
	json_object_set_new(o, "weight", json_integer(weight));
	json_object_set_new(o, "cap", json_integer(cap));
	pins = json_array();
	n = (size_t)snprintf(text, len, "weight=%u cap=%u", weight, cap);
	/* vcpu-set's count lives here too: the domain's CPU settings. */
	if (d->vcpus_asked != 0 && n < len)
		n += (size_t)snprintf(text + n, len - n, " vcpus=%u",
		    d->vcpus_asked);
	for (v = 0; v < d->info.vcpus; v++) {
		json_t *p;

		if ((rc = hv_vcpu_affinity_get(xend->hv, d->rec.domid, v,
		    &mask)) != 0) {
			json_decref(o);
			json_decref(pins);
			return xerr_from_hv(e, rc, "reading a vCPU's affinity");
		}
		strnum_cpus_format(mask, host_mask(cpus), buf, sizeof buf);
		p = json_object();
		json_object_set_new(p, "vcpu", json_integer(v));
		json_object_set_new(p, "cpus", json_string(buf));
		json_array_append_new(pins, p);
		if (strcmp(buf, "all") != 0 && n < len)
			n += (size_t)snprintf(text + n, len - n, " vcpu%u=%s", v,
			    buf);
	}
	json_object_set_new(o, "vcpus", pins);
	*out = o;
	return 0;
}

/* Record what is in force now in the domain's database record. */
void
domain_sched_record(struct domain *d)
{
	struct xerr e;
	json_t *o;
	char text[1024];

	if (sched_state(d, &o, text, sizeof text, &e) != 0) {
		log_warnx("%s: scheduler settings not recorded: %s",
		    d->rec.name, e.msg);
		return;
	}
	json_decref(o);
	if (db_domain_sched(xend->db, d->rec.rec, text) != 0)
		log_warnx("%s: scheduler settings not recorded: %s",
		    d->rec.name, db_errmsg(xend->db));
}

static int
check_params(uint64_t weight, uint64_t cap, uint32_t cpus, struct xerr *e)
{
	if (weight < 1 || weight > 65535)
		return xerr_set(e, XE_BAD_ARG, "weight %" PRIu64 " is not in "
		    "1..65535 (the default is 256)", weight);
	if (cap > (uint64_t)cpus * 100)
		return xerr_set(e, XE_LIMIT, "cap %" PRIu64 "%% is more than "
		    "the host's %u CPUs (at most %u%%; 0 = no cap)", cap, cpus,
		    cpus * 100);
	return 0;
}

static int
check_cpus(uint64_t mask, uint32_t cpus, struct xerr *e)
{
	if ((mask & host_mask(cpus)) == 0)
		return xerr_set(e, XE_LIMIT, "none of those CPUs exists: the "
		    "host has %u CPU%s (0%s%u)", cpus, cpus == 1 ? "" : "s",
		    cpus > 1 ? "-" : "", cpus > 1 ? cpus - 1 : 0);
	if (mask != UINT64_MAX && (mask & ~host_mask(cpus)) != 0)
		return xerr_set(e, XE_LIMIT, "the host has only %u CPU%s: "
		    "use CPUs 0-%u or \"all\"", cpus, cpus == 1 ? "" : "s",
		    cpus - 1);
	return 0;
}

int
domain_sched_apply(struct domain *d, const struct domcfg *dc, struct xerr *e)
{
	uint32_t cpus = 0, v;
	int rc;

	if (dc->cpu_weight == 256 && dc->cap == 0 && dc->cpus == UINT64_MAX)
		return 0;			/* the hypervisor's defaults */
	if (host_cpus(&cpus, e) != 0 ||
	    check_params(dc->cpu_weight, dc->cap, cpus, e) != 0 ||
	    check_cpus(dc->cpus, cpus, e) != 0)
		return -1;
	if ((rc = hv_sched_set(xend->hv, d->rec.domid, dc->cpu_weight,
	    dc->cap)) != 0)
		return xerr_from_hv(e, rc, "setting cpu_weight and cap");
	for (v = 0; dc->cpus != UINT64_MAX && v < d->info.vcpus; v++)
		if ((rc = hv_vcpu_affinity_set(xend->hv, d->rec.domid, v,
		    dc->cpus)) != 0)
			return xerr_from_hv(e, rc, "pinning its vCPUs (cpus)");
	domain_sched_record(d);
	return 0;
}

static enum cmd_retval
cmd_sched_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	uint64_t weight, cap;
	uint32_t cur_w, cur_c, cpus = 0;
	char text[1024];
	int has_w = json_object_get(ctx->args, "weight") != NULL;
	int has_c = json_object_get(ctx->args, "cap") != NULL;
	int rc;

	if (d->info.state == HV_DYING)
		return cmd_fail(ctx, XE_STATE, "%s is being destroyed",
		    d->rec.name);
	if (has_w || has_c) {
		if (host_cpus(&cpus, &ctx->err) != 0)
			return CMD_ERROR;
		if ((rc = hv_sched_get(xend->hv, d->rec.domid, &cur_w,
		    &cur_c)) != 0) {
			xerr_from_hv(&ctx->err, rc, "reading the scheduler "
			    "settings");
			return CMD_ERROR;
		}
		weight = cur_w;
		cap = cur_c;
		cmd_arg_uint(ctx, "weight", &weight);
		cmd_arg_uint(ctx, "cap", &cap);
		if (check_params(weight, cap, cpus, &ctx->err) != 0)
			return CMD_ERROR;
		if ((rc = hv_sched_set(xend->hv, d->rec.domid,
		    (uint32_t)weight, (uint32_t)cap)) != 0) {
			xerr_from_hv(&ctx->err, rc, "setting weight and cap");
			return CMD_ERROR;
		}
		domain_event(d, "sched", "weight %" PRIu64 " cap %" PRIu64
		    " (was %u, %u)", weight, cap, cur_w, cur_c);
		domain_sched_record(d);
	}
	if (sched_state(d, &ctx->result, text, sizeof text, &ctx->err) != 0)
		return CMD_ERROR;
	return CMD_DONE;
}

static enum cmd_retval
cmd_vcpu_pin_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	const char *spec = cmd_arg_string(ctx, "cpus"), *cause;
	uint64_t vcpu = 0, mask;
	uint32_t cpus = 0;
	char text[1024], shown[200];
	int rc;

	cmd_arg_uint(ctx, "vcpu", &vcpu);
	if (d->info.state == HV_DYING)
		return cmd_fail(ctx, XE_STATE, "%s is being destroyed",
		    d->rec.name);
	if (vcpu >= d->info.vcpus)
		return cmd_fail(ctx, XE_BAD_ARG, "%s has no vCPU %" PRIu64
		    " (it has %u: 0-%u)", d->rec.name, vcpu, d->info.vcpus,
		    d->info.vcpus - 1);
	if (strnum_cpus(spec, &mask, &cause) != 0)
		return cmd_fail(ctx, XE_BAD_ARG, "cpus \"%s\": %s", spec,
		    cause);
	if (host_cpus(&cpus, &ctx->err) != 0 ||
	    check_cpus(mask, cpus, &ctx->err) != 0)
		return CMD_ERROR;
	if ((rc = hv_vcpu_affinity_set(xend->hv, d->rec.domid,
	    (uint32_t)vcpu, mask)) != 0) {
		xerr_from_hv(&ctx->err, rc, "pinning the vCPU");
		return CMD_ERROR;
	}
	strnum_cpus_format(mask, host_mask(cpus), shown, sizeof shown);
	domain_event(d, "vcpu-pin", "vCPU %" PRIu64 " on CPUs %s", vcpu,
	    shown);
	domain_sched_record(d);
	if (sched_state(d, &ctx->result, text, sizeof text, &ctx->err) != 0)
		return CMD_ERROR;
	return CMD_DONE;
}

const struct cmd_entry cmd_sched_entry = {
	.name = "sched", .args = sched_args, .flags = CMD_TARGET,
	.exec = cmd_sched_exec,
};

const struct cmd_entry cmd_vcpu_pin_entry = {
	.name = "vcpu-pin", .args = pin_args, .flags = CMD_TARGET,
	.exec = cmd_vcpu_pin_exec,
};
