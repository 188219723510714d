/*
 * cmd-create.c: "create": start a domain from config text.  xenctl has
 * already parsed the file, but xend parses it again itself: a client is
 * never trusted to have done so, and the stored text is what a later
 * restart uses.  Building the domain (loading its kernel) is slow, so it
 * runs as a job (job.h): parse and check here, build on the worker,
 * record and answer in create_done.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "job.h"
#include "xmalloc.h"

static const struct cmd_arg create_args[] = {
	{ "config", ARG_STRING, 1 },	/* the file's text */
	{ "path", ARG_STRING, 1 },	/* for messages and the record */
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ NULL, 0, 0 },
};

struct create_job {
	struct domain_build	 build;
	json_t			*warnings;
};

/* Worker thread: only the job's own handle and state. */
static int
create_work(struct job *j)
{
	struct create_job *cj = j->arg;
	int rc;

	if ((rc = hv_create(j->hv, &cj->build.b, &cj->build.domid)) != 0)
		xerr_from(&j->err, j->hv, rc, "creating the domain");
	return rc;
}

static void
create_done(struct job *j)
{
	struct create_job *cj = j->arg;
	struct domain *d;
	json_t *result;

	if (j->rc != 0 ||
	    domain_build_record(&cj->build, &d, &j->err) != 0) {
		job_fail(j, &j->err);
		json_decref(cj->warnings);
	} else {
		result = json_object();
		json_object_set_new(result, "domid", json_integer(
		    d->rec.domid));
		json_object_set_new(result, "name", json_string(d->rec.name));
		json_object_set_new(result, "uuid", json_string(d->rec.uuid));
		json_object_set_new(result, "warnings", cj->warnings);
		job_reply(j, result);
	}
	domain_build_free(&cj->build);
	free(cj);
}

static enum cmd_retval
cmd_create_exec(struct cmd_ctx *ctx)
{
	const char *text = cmd_arg_string(ctx, "config");
	const char *path = cmd_arg_string(ctx, "path");
	struct cfg_warnings warn = { NULL, 0 };
	struct create_job *cj;
	size_t i;

	if (strlen(path) == 0 || strlen(path) > 4096)
		return cmd_fail(ctx, XE_BAD_ARG, "create: \"path\" must be 1 "
		    "to 4096 bytes");
	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	cj = xcalloc(1, sizeof *cj);
	if (domain_build_prepare(text, path, &cj->build, &warn,
	    &ctx->err) != 0) {
		cfg_warnings_free(&warn);
		free(cj);
		return CMD_ERROR;
	}
	cj->warnings = json_array();
	for (i = 0; i < warn.n; i++)
		json_array_append_new(cj->warnings, json_string(warn.msgs[i]));
	cfg_warnings_free(&warn);
	if (job_start(ctx->peer, ctx->id, cmd_arg_bool(ctx, "progress"),
	    "create", create_work, create_done, cj, cj->build.b.handle,
	    &ctx->err) != 0) {
		json_decref(cj->warnings);
		domain_build_free(&cj->build);
		free(cj);
		return CMD_ERROR;
	}
	return CMD_WAIT;
}

const struct cmd_entry cmd_create_entry = {
	.name = "create", .args = create_args, .exec = cmd_create_exec,
};
