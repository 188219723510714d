/*
 * cmd-save.c: "save": a domain's state into a file, with xend's record of
 * it (the save blob, see save_blob below) so restore can bring back
 * the same name and config; then the domain is destroyed, as with xl.
 * The file format is libxc's (docs/save-restore.md).  Writing the file
 * is slow, so it runs as a job (job.h); the domain is marked busy
 * meanwhile so no other command changes it under the save.
 *
 * A guest that advertises suspend support (xenstore, control/feature-
 * suspend) is asked to suspend itself (control/shutdown = suspend) here
 * on the loop; the job waits for it (suspend_timeout in xend.conf) and
 * saves it.  Others are paused and saved without their help.  With
 * "checkpoint" the domain runs on after the save instead of being
 * destroyed.  The reply says which path was taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "xmalloc.h"

#include "cmd.h"
#include "job.h"

static int save_start_full(struct domain *, const char *, int, int,
    struct peer *, int64_t, int, save_then_fn, void *, struct xerr *);

static const struct cmd_arg save_args[] = {
	{ "domain", ARG_STRING, 1 },
	{ "path", ARG_STRING, 1 },
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ "checkpoint", ARG_BOOL, 0 },	/* the domain runs on afterwards */
	{ "compress", ARG_STRING, 0 },	/* none, lz4, zstd (xend.conf) */
	{ NULL, 0, 0 },
};

/*
 * What xend stores in a save file next to the domain's state, so restore
 * brings back the same name and config: "NAME\nMEM_KIB\nCONFIG_PATH\n"
 * then the config text, then the disks and vifs hot-attached to it
 * (hotblob.c), which the backend sets up again with the config's and
 * restore records as hot-attached.  The first two lines are for the
 * backend.
 */
static char *
save_blob(const struct domain *d)
{
	struct db_hot *hot;
	char *blob;
	size_t n, i;

	xasprintf(&blob, "%s\n%llu\n%s\n%s", d->rec.name,
	    (unsigned long long)(d->info.mem_kib),
	    d->rec.config_path != NULL ? d->rec.config_path : d->rec.name,
	    d->rec.config);
	if (db_hot_list(xend->db, d->rec.rec, &hot, &n) != 0) {
		log_warnx("save: %s's hot-attached devices are not saved with "
		    "it: %s", d->rec.name, db_errmsg(xend->db));
		return blob;
	}
	for (i = 0; i < n; i++)
		blob = hotblob_append(blob, hot[i].kind, hot[i].spec);
	db_hot_free(hot, n);
	return blob;
}

struct save_job {
	int64_t		 rec;		/* the domain's record */
	uint32_t	 domid;
	char		*path;
	char		*blob;
	char		*guest_id;
	unsigned	 flags;		/* HV_SAVE_* */
	unsigned	 timeout_s;
	int64_t		 intent;	/* intent.c */
	double		 seconds;	/* the job's wall time */
	int64_t		 bytes;		/* the file's size */
	save_then_fn	 then;		/* told the outcome, if set */
	void		*then_arg;
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Worker thread: only the job's own handle and state. */
static int
save_work(struct job *j)
{
	struct save_job *sj = j->arg;
	double t0 = now_mono();
	struct stat st;
	int rc;

	if ((rc = hv_save_ext(j->hv, sj->domid, sj->path, sj->blob,
	    sj->flags, sj->timeout_s, sj->guest_id)) != 0)
		xerr_from(&j->err, j->hv, rc, "save");
	sj->seconds = now_mono() - t0;
	sj->bytes = rc == 0 && stat(sj->path, &st) == 0 ? st.st_size : -1;
	return rc;
}

static void
save_done(struct job *j)
{
	struct save_job *sj = j->arg;
	struct domain *d = domain_by_rec(sj->rec);

	struct hv_dominfo info;
	json_t *o;

	if (d != NULL)
		d->busy = NULL;
	if (j->rc == 0) {
		/* The file is complete (written, synced, renamed): from now
		 * a crash finishes the save rather than roll it back. */
		crash_point("save.written");
		if (db_intent_step(xend->db, sj->intent, "written") != 0)
			log_warnx("save: %s", db_errmsg(xend->db));
		crash_point("save.marked");
	}
	if (j->rc == 0 && d == NULL)
		xerr_set(&j->err, XE_NO_DOMAIN, "save: the domain vanished "
		    "while it was being saved");
	if (j->rc != 0 && d != NULL && (sj->flags & HV_SAVE_SUSPEND)) {
		/* Take the request back; a guest that suspended after the
		 * timeout runs on (its suspend returns "cancelled"). */
		(void)hv_suspend_request(xend->hv, sj->domid, 1);
		if (hv_info(xend->hv, sj->domid, &info) == 0 &&
		    info.state == HV_SHUTDOWN &&
		    info.shutdown_reason == HV_SHUTDOWN_SUSPEND)
			(void)hv_resume(xend->hv, sj->domid);
	}
	if (j->rc == 0 && d != NULL && (sj->flags & HV_SAVE_SUSPEND))
		d->handled_shutdown = 0;	/* its suspend was ours */
	/* Like xl: once its state is safely in the file, the domain goes
	 * (its record closed and the intent ended together).  Timed: the
	 * client waits for it (docs/benchmarks.md). */
	if (j->rc == 0 && d != NULL && !(sj->flags & HV_SAVE_CHECKPOINT)) {
		double t = now_mono();

		if (domain_destroy_as(d, "saved", sj->intent, NULL,
		    &j->err) != 0)
			j->rc = -1;
		else
			log_info("saved domain %u destroyed in %.2f s (the "
			    "save job took %.2f s)", sj->domid,
			    now_mono() - t, sj->seconds);
	} else if (j->rc != 0 || d == NULL || (sj->flags & HV_SAVE_CHECKPOINT))
		db_intent_end(xend->db, sj->intent);
	if (j->rc != 0 || d == NULL) {
		if (sj->then != NULL)
			sj->then(sj->then_arg, &j->err, sj->seconds);
		job_fail(j, &j->err);
	} else {
		if (sj->then != NULL)
			sj->then(sj->then_arg, NULL, sj->seconds);
		o = json_object();
		json_object_set_new(o, "method", json_string(
		    (sj->flags & HV_SAVE_SUSPEND) ? "cooperative" :
		    "non-cooperative"));
		json_object_set_new(o, "checkpoint", json_boolean(
		    sj->flags & HV_SAVE_CHECKPOINT));
		json_object_set_new(o, "seconds", json_real(sj->seconds));
		json_object_set_new(o, "bytes", json_integer(sj->bytes));
		job_reply(j, o);
	}
	free(sj->path);
	free(sj->blob);
	free(sj->guest_id);
	free(sj);
}

/*
 * Save d into path as a job answering request id of peer (NULL: no one;
 * the balloon deadline's on-miss save comes here too); with checkpoint
 * the domain runs on afterwards.  0, or -1 with e set.
 */
int
save_start(struct domain *d, const char *path, int checkpoint,
    struct peer *peer, int64_t id, int progress, struct xerr *e)
{
	return save_start_full(d, path, checkpoint, xend_compress_code(
	    xend->conf.save_compress), peer, id, progress, NULL, NULL, e);
}

int
save_start_then(struct domain *d, const char *path, int checkpoint,
    struct peer *peer, int64_t id, int progress, save_then_fn then,
    void *then_arg, struct xerr *e)
{
	return save_start_full(d, path, checkpoint, xend_compress_code(
	    xend->conf.save_compress), peer, id, progress, then, then_arg, e);
}

/* save_start_then with the page codec (xend_compress_code) given. */
static int
save_start_full(struct domain *d, const char *path, int checkpoint,
    int codec, struct peer *peer, int64_t id, int progress,
    save_then_fn then, void *then_arg, struct xerr *e)
{
	struct save_job *sj;
	struct db_intent in;
	struct stat st;

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
	xasprintf(&sj->guest_id, "kernel=%s vcpus=%u",
	    d->has_cfg && d->cfg.kernel != NULL ? d->cfg.kernel : "?",
	    d->has_cfg ? d->cfg.vcpus : 0);
	sj->timeout_s = (unsigned)xend->conf.suspend_timeout;
	sj->then = then;
	sj->then_arg = then_arg;
	if (checkpoint)
		sj->flags |= HV_SAVE_CHECKPOINT;
	sj->flags |= HV_SAVE_CODEC(codec > 0 ? codec : 0);
	/* The intent first: the suspend request below already changes the
	 * guest (step "suspending" then tells a rollback to take it back). */
	memset(&in, 0, sizeof in);
	in.op = "save";
	in.name = d->rec.name;
	in.path = sj->path;
	in.arg = sj->flags |
	    (stat(path, &st) == 0 ? SAVE_INTENT_EXISTED : 0) |
	    (d->info.state == HV_PAUSED ? SAVE_INTENT_PAUSED : 0);
	if (intent_add(&in, d, e) != 0) {
		free(sj->path);
		free(sj->blob);
		free(sj->guest_id);
		free(sj);
		return -1;
	}
	sj->intent = in.id;
	crash_point("save.intent");
	/* Cooperative when the guest says it can suspend itself. */
	if (hv_suspend_request(xend->hv, d->rec.domid, 0) == 0) {
		sj->flags |= HV_SAVE_SUSPEND;
		db_intent_step(xend->db, sj->intent, "suspending");
	}
	if (job_start(peer, id, progress, "save", save_work, save_done, sj,
	    NULL, e) != 0) {
		db_intent_end(xend->db, sj->intent);
		if (sj->flags & HV_SAVE_SUSPEND)
			(void)hv_suspend_request(xend->hv, sj->domid, 1);
		free(sj->path);
		free(sj->blob);
		free(sj->guest_id);
		free(sj);
		return -1;
	}
	d->busy = "save";
	return 0;
}

static enum cmd_retval
cmd_save_exec(struct cmd_ctx *ctx)
{
	const char *comp = cmd_arg_string(ctx, "compress");
	int code = xend_compress_code(comp != NULL ? comp :
	    xend->conf.save_compress);

	if (code < 0) {
		xerr_set(&ctx->err, XE_BAD_ARG, "save: compress must be none, "
		    "lz4 or zstd");
		return CMD_ERROR;
	}
	if (save_start_full(ctx->target, cmd_arg_string(ctx, "path"),
	    cmd_arg_bool(ctx, "checkpoint"), code, ctx->peer, ctx->id,
	    cmd_arg_bool(ctx, "progress"), NULL, NULL, &ctx->err) != 0)
		return CMD_ERROR;
	return CMD_WAIT;
}

const struct cmd_entry cmd_save_entry = {
	.name = "save", .args = save_args, .flags = CMD_TARGET,
	.exec = cmd_save_exec,
};

