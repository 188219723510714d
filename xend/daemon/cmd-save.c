/*
 * cmd-save.c: "save": a domain's state into a file, with xend's record of
 * it (the save blob, see save_blob below) so restore can bring back
 * the same name and config; then the domain is destroyed, as with xl.
 * The file format is libxc's (docs/save-restore.md).  Writing the file
 * is slow, so it runs as a job (job.h); the domain is marked busy
 * meanwhile so no other command changes it under the save.
 */
#include <stdlib.h>

#include "xmalloc.h"

#include "cmd.h"
#include "job.h"

static const struct cmd_arg save_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "path", ARG_STRING, 1 },
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ NULL, 0, 0 },
};

/*
 * What xend stores in a save file next to the domain's state, so restore
 * brings back the same name and config: "NAME\nMEM_KIB\nCONFIG_PATH\n"
 * then the config text.  The first two lines are for the backend.
 */
static char *
save_blob(const struct domain *d)
{
	char *blob;

	xasprintf(&blob, "%s\n%llu\n%s\n%s", d->rec.name,
	    (unsigned long long)(d->info.mem_kib),
	    d->rec.config_path != NULL ? d->rec.config_path : d->rec.name,
	    d->rec.config);
	return blob;
}

struct save_job {
	int64_t		 rec;		/* the domain's record */
	uint32_t	 domid;
	char		*path;
	char		*blob;
};

/* Worker thread: only the job's own handle and state. */
static int
save_work(struct job *j)
{
	struct save_job *sj = j->arg;
	int rc;

	if ((rc = hv_save_domain(j->hv, sj->domid, sj->path, sj->blob)) != 0)
		xerr_from(&j->err, j->hv, rc, "save");
	return rc;
}

static void
save_done(struct job *j)
{
	struct save_job *sj = j->arg;
	struct domain *d = domain_by_rec(sj->rec);

	if (d != NULL)
		d->busy = NULL;
	if (j->rc == 0 && d == NULL)
		xerr_set(&j->err, XE_NO_DOMAIN, "save: the domain vanished "
		    "while it was being saved");
	/* Like xl: once its state is safely in the file, the domain goes. */
	if (j->rc != 0 || d == NULL ||
	    domain_destroy(d, "saved", &j->err) != 0)
		job_fail(j, &j->err);
	else
		job_reply(j, json_object());
	free(sj->path);
	free(sj->blob);
	free(sj);
}

/*
 * Save d into path as a job answering request id of peer (NULL: no one;
 * the balloon deadline's on-miss save comes here too).  0, or -1 with e
 * set.
 */
int
save_start(struct domain *d, const char *path, struct peer *peer, int64_t id,
    int progress, struct xerr *e)
{
	struct save_job *sj;

	if (path[0] != '/')
		return xerr_set(e, XE_BAD_ARG, "save: path must be absolute");
	if (d->rec.domid == 0)
		return xerr_set(e, XE_DOM0, "save: Domain-0 cannot be saved");
	if (d->rec.config == NULL)
		return xerr_set(e, XE_BAD_ARG, "save: %s was not created by "
		    "xend (no config to restore it with)", d->rec.name);
	sj = xcalloc(1, sizeof *sj);
	sj->rec = d->rec.rec;
	sj->domid = d->rec.domid;
	sj->path = xstrdup(path);
	sj->blob = save_blob(d);
	if (job_start(peer, id, progress, "save", save_work, save_done, sj,
	    NULL, e) != 0) {
		free(sj->path);
		free(sj->blob);
		free(sj);
		return -1;
	}
	d->busy = "save";
	return 0;
}

static enum cmd_retval
cmd_save_exec(struct cmd_ctx *ctx)
{
	if (save_start(ctx->target, cmd_arg_string(ctx, "path"), ctx->peer,
	    ctx->id, cmd_arg_bool(ctx, "progress"), &ctx->err) != 0)
		return CMD_ERROR;
	return CMD_WAIT;
}

const struct cmd_entry cmd_save_entry = {
	.name = "save", .args = save_args, .flags = CMD_TARGET,
	.exec = cmd_save_exec,
};

