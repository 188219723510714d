/*
 * cmd-restore.c: "restore": a new domain from a file written by save,
 * recorded under the name and config stored in the file's blob, with the
 * saved domain's UUID (so the MACs derived from it come back too).
 * Reading the file and rebuilding the domain is slow, so it runs as a
 * job (job.h); restore_done records the result on the loop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "job.h"
#include "xmalloc.h"

static const struct cmd_arg restore_args[] = {
	{ "path", ARG_STRING, 1 },
	{ "progress", ARG_BOOL, 0 },	/* send progress items */
	{ NULL, 0, 0 },
};

struct restore_job {
	char		*path;
	uint8_t		 handle[16];
	int64_t		 intent;	/* intent.c */
	uint32_t	 domid;		/* set by the worker */
	char		*blob;		/* set by the worker */
	char		*warning;	/* set by the worker, or NULL */
	restore_then_fn	 then;		/* told the outcome, if set */
	void		*then_arg;
};

/* Worker thread: only the job's own handle and state. */
static int
restore_work(struct job *j)
{
	struct restore_job *rj = j->arg;
	int rc;

	if ((rc = hv_restore_domain(j->hv, rj->path, rj->handle, &rj->domid,
	    &rj->blob)) != 0)
		xerr_from(&j->err, j->hv, rc, "restore");
	else if (j->hv->warnmsg[0] != '\0')
		rj->warning = xstrdup(j->hv->warnmsg);
	return rc;
}

/* Record the new domain under the blob's name and config. */
static int
restore_record(struct restore_job *rj, struct domain **d, struct xerr *e)
{
	const char *cfg_path;
	char *nl;
	int i;

	/* Skip name and memory; then the config path and the text. */
	for (nl = rj->blob, i = 0; i < 2 && nl != NULL; i++)
		if ((nl = strchr(nl, '\n')) != NULL)
			nl++;
	cfg_path = nl;
	if (nl == NULL || (nl = strchr(nl, '\n')) == NULL) {
		hv_destroy(xend->hv, rj->domid);
		return xerr_set(e, XE_BAD_ARG, "restore: %s holds no xend "
		    "record (not written by xenctl save); the domain was "
		    "destroyed", rj->path);
	}
	*nl = '\0';
	return domain_record_restored(rj->domid, rj->handle, nl + 1,
	    cfg_path, rj->intent, d, e);
}

static void
restore_done(struct job *j)
{
	struct restore_job *rj = j->arg;
	struct domain *d;
	json_t *result;

	if (j->rc == 0)
		crash_point("restore.built");
	/* A failure destroyed what was built; then the intent ends. */
	if (j->rc != 0)
		domain_destroy_handle(rj->handle);
	if (j->rc != 0 || restore_record(rj, &d, &j->err) != 0) {
		db_intent_end(xend->db, rj->intent);
		if (rj->then != NULL)
			rj->then(rj->then_arg, &j->err, NULL);
		job_fail(j, &j->err);
	} else {
		console_restored(d, rj->path);
		crash_point("restore.recorded");
		if (rj->then != NULL)
			rj->then(rj->then_arg, NULL, d->rec.name);
		result = json_object();
		json_object_set_new(result, "domid", json_integer(rj->domid));
		json_object_set_new(result, "name", json_string(d->rec.name));
		if (rj->warning != NULL)
			json_object_set_new(result, "warning",
			    json_string(rj->warning));
		job_reply(j, result);
	}
	free(rj->warning);
	free(rj->blob);
	free(rj->path);
	free(rj);
}

/*
 * The UUID the restored domain gets: the saved domain's, which the file
 * carries (libxc format 4, the simulator's version 2), so it keeps its
 * identity and its default MACs; a file without one (older formats) or
 * one the quick look cannot read gets a new UUID (the job then checks
 * the whole file and says what is wrong with it).  A domain with that
 * UUID must not exist: restoring a checkpoint while the original runs
 * would give two domains one identity (and one MAC), and a failed
 * restore destroys what carries its UUID.  Refused, saying how to go
 * on, before anything is built.
 */
static int
restore_uuid(const char *path, uint8_t handle[16], struct xerr *e)
{
	struct hv_dominfo *list;
	struct domain *d;
	struct xerr none;
	char uuid[37], id[16];
	size_t n, i;
	int rc;

	if ((rc = hv_save_file_uuid(xend->hv, path, handle)) <= 0) {
		uuid_new(handle);
		return 0;
	}
	domain_uuid_str(handle, uuid);
	list = xcalloc(XEND_DOMAINS_MAX, sizeof *list);
	rc = 0;
	if (hv_list(xend->hv, list, XEND_DOMAINS_MAX, &n) == 0)
		for (i = 0; i < n && i < XEND_DOMAINS_MAX; i++) {
			if (memcmp(list[i].handle, handle, 16) != 0)
				continue;
			snprintf(id, sizeof id, "%u", list[i].domid);
			d = domain_lookup(id, &none);
			rc = xerr_set(e, XE_EXISTS, "restore: %s holds domain "
			    "%s, which already exists as domain %u (\"%s\"): "
			    "two domains may not share one identity; destroy "
			    "it first (`xenctl destroy %u`) and restore again; "
			    "nothing was restored", path, uuid, list[i].domid,
			    d != NULL ? d->rec.name : "?", list[i].domid);
			break;
		}
	free(list);
	if (rc == 0 && job_owns_handle(handle))
		rc = xerr_set(e, XE_EXISTS, "restore: %s holds domain %s, "
		    "which a restore or create in progress already brings "
		    "back; wait for it; nothing was restored", path, uuid);
	return rc;
}

int
restore_start(const char *path, struct peer *peer, int64_t id, int progress,
    restore_then_fn then, void *then_arg, struct xerr *e)
{
	struct restore_job *rj;
	struct db_intent in;

	if (path[0] != '/')
		return xerr_set(e, XE_BAD_ARG, "restore: path must be "
		    "absolute");
	rj = xcalloc(1, sizeof *rj);
	if (restore_uuid(path, rj->handle, e) != 0) {
		free(rj);
		return -1;
	}
	rj->path = xstrdup(path);
	rj->then = then;
	rj->then_arg = then_arg;
	memset(&in, 0, sizeof in);
	in.op = "restore";
	domain_uuid_str(rj->handle, in.uuid);
	in.path = rj->path;
	if (intent_add(&in, NULL, e) != 0) {
		free(rj->path);
		free(rj);
		return -1;
	}
	rj->intent = in.id;
	crash_point("restore.intent");
	if (job_start(peer, id, progress, "restore", restore_work,
	    restore_done, rj, rj->handle, e) != 0) {
		db_intent_end(xend->db, rj->intent);
		free(rj->path);
		free(rj);
		return -1;
	}
	return 0;
}

static enum cmd_retval
cmd_restore_exec(struct cmd_ctx *ctx)
{
	if (hostdown_active())
		return cmd_fail(ctx, XE_STATE, "restore: the host is shutting "
		    "down");
	if (restore_start(cmd_arg_string(ctx, "path"), ctx->peer, ctx->id,
	    cmd_arg_bool(ctx, "progress"), NULL, NULL, &ctx->err) != 0)
		return CMD_ERROR;
	return CMD_WAIT;
}

const struct cmd_entry cmd_restore_entry = {
	.name = "restore", .args = restore_args, .exec = cmd_restore_exec,
};
