/*
 * cmd-vcpu.c: "vcpu-set", vCPU hotplug (docs/scheduler.md "vCPU
 * hotplug").  A domain is built with maxvcpus vCPUs; how many of them
 * are online is the guest's to carry out: xend asks through xenstore
 * (cpu/N/availability, hv_vcpu_set) and the guest's kernel takes vCPUs
 * down or brings them up with VCPUOP_down/up.  So the command checks the
 * count here (at least 1, at most what the domain was built with), asks,
 * records the count with the domain's CPU settings, and then waits on
 * the worker (job.h) until the hypervisor shows that many vCPUs up, or
 * says plainly that the guest has not done it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "job.h"
#include "log.h"
#include "xmalloc.h"

#define VCPU_SET_WAIT_DEFAULT	30	/* seconds */
#define VCPU_SET_WAIT_MAX	600

static const struct cmd_arg vcpu_set_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "vcpus", ARG_UINT, 1 },
	{ "wait", ARG_UINT, 0 },	/* seconds; 0: ask, do not wait */
	{ NULL, 0, 0 },
};

struct vcpu_set_job {
	int64_t		 rec;		/* the domain's record: it may go */
	uint32_t	 domid;
	char		 name[64];
	uint32_t	 want, max, was;
	uint64_t	 wait_ms;
	/* filled by the worker */
	uint32_t	 online;
	uint64_t	 took_ms;
};

/* Worker: poll the hypervisor (its own handle) until want are up. */
static int
vcpu_set_work(struct job *j)
{
	struct vcpu_set_job *vj = j->arg;
	struct timespec ts = { 0, 100 * 1000000 };
	struct hv_dominfo di;
	int rc;

	for (vj->took_ms = 0;; vj->took_ms += 100) {
		if ((rc = hv_info(j->hv, vj->domid, &di)) != 0) {
			xerr_from_hv(&j->err, rc, "reading its vCPUs");
			return rc;
		}
		vj->online = di.online_vcpus;
		if (vj->online == vj->want || vj->took_ms >= vj->wait_ms)
			return 0;
		nanosleep(&ts, NULL);
	}
}

static json_t *
vcpu_set_result(const struct vcpu_set_job *vj)
{
	json_t *o = json_object();

	json_object_set_new(o, "domid", json_integer(vj->domid));
	json_object_set_new(o, "name", json_string(vj->name));
	json_object_set_new(o, "vcpus", json_integer(vj->want));
	json_object_set_new(o, "maxvcpus", json_integer(vj->max));
	json_object_set_new(o, "was", json_integer(vj->was));
	json_object_set_new(o, "online", json_integer(vj->online));
	json_object_set_new(o, "ms", json_integer((json_int_t)vj->took_ms));
	return o;
}

static void
vcpu_set_done(struct job *j)
{
	struct vcpu_set_job *vj = j->arg;
	struct domain *d = domain_by_rec(vj->rec);
	struct xerr e;

	if (j->rc != 0)
		job_fail(j, &j->err);
	else if (vj->online != vj->want) {
		xerr_set(&e, XE_STATE, "%s was asked for %u vCPUs and has %u "
		    "online after %" PRIu64 " s: its kernel has not acted on "
		    "xenstore cpu/N/availability (CPU hotplug support? for a "
		    "vCPU brought up, userspace must online it)", vj->name,
		    vj->want, vj->online, vj->took_ms / 1000);
		if (d != NULL)
			domain_event(d, "vcpu-set", "%u vCPUs asked, %u online "
			    "after %" PRIu64 " ms", vj->want, vj->online,
			    vj->took_ms);
		job_fail(j, &e);
	} else {
		if (d != NULL)
			domain_event(d, "vcpu-set", "%u vCPUs online (was %u) "
			    "in %" PRIu64 " ms", vj->want, vj->was,
			    vj->took_ms);
		job_reply(j, vcpu_set_result(vj));
	}
	free(vj);
}

static enum cmd_retval
cmd_vcpu_set_exec(struct cmd_ctx *ctx)
{
	struct domain *d = ctx->target;
	struct vcpu_set_job *vj;
	struct hv_dominfo di;
	uint64_t want = 0, wait = VCPU_SET_WAIT_DEFAULT;
	int rc;

	cmd_arg_uint(ctx, "vcpus", &want);
	cmd_arg_uint(ctx, "wait", &wait);
	if (d->rec.domid == 0)
		return cmd_fail(ctx, XE_DOM0, "Domain-0's vCPUs are set from "
		    "inside it (/sys/devices/system/cpu/cpuN/online)");
	if (d->info.state == HV_DYING || d->info.state == HV_SHUTDOWN)
		return cmd_fail(ctx, XE_STATE, "%s is %s", d->rec.name,
		    hv_state_name(d->info.state));
	if ((rc = hv_info(xend->hv, d->rec.domid, &di)) != 0) {
		xerr_from_hv(&ctx->err, rc, "reading its vCPUs");
		return CMD_ERROR;
	}
	d->info = di;
	if (want == 0)
		return cmd_fail(ctx, XE_BAD_ARG, "a domain needs at least one "
		    "vCPU online: 1..%u for %s", di.vcpus, d->rec.name);
	if (want > di.vcpus)
		return cmd_fail(ctx, XE_LIMIT, "%s was created with maxvcpus = "
		    "%u: at most %u vCPUs online (to allow more, raise "
		    "maxvcpus in its config and create it again)",
		    d->rec.name, di.vcpus, di.vcpus);
	if (wait > VCPU_SET_WAIT_MAX)
		return cmd_fail(ctx, XE_BAD_ARG, "wait %" PRIu64 " s is more "
		    "than %u s", wait, VCPU_SET_WAIT_MAX);
	if ((rc = hv_vcpu_set(xend->hv, d->rec.domid, (uint32_t)want)) != 0) {
		xerr_from_hv(&ctx->err, rc, "asking the guest for its vCPUs");
		return CMD_ERROR;
	}
	d->vcpus_asked = (uint32_t)want;
	domain_sched_record(d);
	vj = xcalloc(1, sizeof *vj);
	vj->rec = d->rec.rec;
	vj->domid = d->rec.domid;
	snprintf(vj->name, sizeof vj->name, "%s", d->rec.name);
	vj->want = (uint32_t)want;
	vj->max = di.vcpus;
	vj->was = di.online_vcpus;
	vj->wait_ms = wait * 1000;
	vj->online = di.online_vcpus;
	log_info("%s: vcpu-set %u (was %u of %u)", d->rec.name, vj->want,
	    vj->was, vj->max);
	if (wait == 0) {
		ctx->result = vcpu_set_result(vj);
		free(vj);
		return CMD_DONE;
	}
	if (job_start(ctx->peer, ctx->id, 0, "vcpu-set", vcpu_set_work,
	    vcpu_set_done, vj, NULL, &ctx->err) != 0) {
		free(vj);
		return CMD_ERROR;
	}
	return CMD_WAIT;
}

const struct cmd_entry cmd_vcpu_set_entry = {
	.name = "vcpu-set", .args = vcpu_set_args, .flags = CMD_TARGET,
	.exec = cmd_vcpu_set_exec,
};
