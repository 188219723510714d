/*
 * intent.c: intent first, then act, then reconcile.
 *
 * Every operation that changes a domain (create and the restart of a
 * rebooted domain, destroy, an on_* action, save, restore, mem-set)
 * writes an intent row (db-intent.c) before it touches the hypervisor,
 * and removes it in the same transaction that records the outcome.  So
 * after a crash at any moment the database holds, for each operation
 * that was under way, what it meant to do and how far it had got
 * (step), and intent_reconcile() at the next start finishes or rolls
 * back each one before anything else looks at the domain table:
 *
 *   create   step "begun": a domain built with the intent's handle may
 *            be half-built, so it is destroyed; step "built" (the build
 *            returned): it is adopted under its name with its config.
 *            A restart's create that built nothing is started again.
 *   destroy  the domain is destroyed if it still exists; record closed.
 *   shutdown (an on_* action) not yet acted on while the domain still
 *            exists: dropped, and domain_refresh takes the action anew
 *            (shutdown_handled was never committed); the domain gone:
 *            the record is closed and a restart is carried out.
 *   save     the file not known complete: rolled back (the domain
 *            resumed or unpaused, the .tmp and a file that did not exist
 *            before removed); known complete: finished (the domain
 *            destroyed unless it was a checkpoint).
 *   restore  the new domain was never recorded: destroyed; the file
 *            stays, so the restore can simply be repeated.
 *   mem-set  the target is set again (setting it is idempotent).
 *
 * crash_point() is the crash-injection hook: XEND_CRASH_AT=STEP makes
 * xend SIGKILL itself when it reaches that step boundary, and with the
 * variable set every boundary passed is logged, so a test can list them
 * (tests/suites/32-xend-crash.sh walks every one).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "balloon.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

void
crash_point(const char *step)
{
	const char *at = getenv("XEND_CRASH_AT");

	if (at == NULL)
		return;
	log_info("crash point %s", step);
	if (strcmp(at, step) == 0) {
		log_warnx("XEND_CRASH_AT=%s: killing xend here", step);
		kill(getpid(), SIGKILL);
	}
}

int
intent_add(struct db_intent *in, const struct domain *d, struct xerr *e)
{
	in->step = in->step != NULL ? in->step : (char *)"begun";
	in->t = now_seconds();
	if (d != NULL) {
		in->rec = d->rec.rec;
		in->domid = d->rec.domid;
		memcpy(in->uuid, d->rec.uuid, sizeof in->uuid);
	}
	if (db_intent_add(xend->db, in) != 0)
		return xerr_set(e, XE_DATABASE, "recording the intent to %s: "
		    "%s (nothing was done)", in->op, db_errmsg(xend->db));
	return 0;
}

/* One transaction: close record rec, and end intent id (or move it to
 * step next).  The outcome and the intent's end are never apart. */
int
intent_commit_gone(int64_t rec, int64_t id, const char *next)
{
	int rc;

	if (db_begin(xend->db) != 0)
		return -1;
	rc = rec > 0 ? db_domain_gone(xend->db, rec, now_seconds()) : 0;
	if (rc == 0 && id > 0)
		rc = next != NULL ? db_intent_step(xend->db, id, next) :
		    db_intent_end(xend->db, id);
	if (rc != 0 || db_commit(xend->db) != 0) {
		db_rollback(xend->db);
		return -1;
	}
	return 0;
}

static const struct hv_dominfo *
find(const struct hv_dominfo *list, size_t n, const char *uuid)
{
	char u[37];
	size_t i;

	for (i = 0; i < n; i++) {
		domain_uuid_str(list[i].handle, u);
		if (strcmp(u, uuid) == 0)
			return &list[i];
	}
	return NULL;
}

static void
forget_rec(int64_t rec, const char *why)
{
	struct domain *d = domain_by_rec(rec);

	if (d == NULL)
		return;
	domain_event(d, "destroyed", "destroyed (%s)", why);
	domain_forget(d);
}

static void
recon_create(const struct db_intent *in, const struct hv_dominfo *hi)
{
	struct xerr e;

	if (hi != NULL && strcmp(in->step, "built") == 0 &&
	    domain_adopt_intent(in, hi) == 0)
		return;
	if (hi != NULL) {
		log_info("intent %lld: %s of %s was interrupted mid-build: "
		    "destroying domain %u", (long long)in->id, in->op,
		    in->name, hi->domid);
		hv_destroy(xend->hv, hi->domid);
	}
	/* A restart that did not happen is carried out now, once: the new
	 * create's intent replaces this one in one transaction. */
	if (strcmp(in->op, "restart") == 0) {
		if (domain_create_job(in->config, in->config_path, NULL, -1, 0,
		    NULL, in->id, in->rec, &e) == 0)
			return;
		log_warnx("intent %lld: restarting %s: %s", (long long)in->id,
		    in->name, e.msg);
	}
	db_intent_end(xend->db, in->id);
}

static void
recon_shutdown(const struct db_intent *in, const struct hv_dominfo *hi)
{
	enum dom_action act = (enum dom_action)in->arg;
	struct xerr e;

	if (strcmp(in->step, "begun") == 0) {
		if (hi != NULL) {
			/* Nothing done yet: domain_refresh acts anew. */
			db_intent_end(xend->db, in->id);
			return;
		}
		/* Destroyed, but not recorded: record it. */
		if (intent_commit_gone(in->rec, in->id, act == ACT_DESTROY ?
		    NULL : "destroyed") != 0)
			return;
		forget_rec(in->rec, "on_* action, finished after a restart");
		if (act == ACT_DESTROY)
			return;
	}
	if (act != ACT_RESTART && act != ACT_RENAME_RESTART) {
		db_intent_end(xend->db, in->id);
		return;
	}
	if (domain_create_job(in->config, in->config_path, NULL, -1, 0, NULL,
	    in->id, in->rec, &e) != 0) {
		log_warnx("intent %lld: restarting %s: %s", (long long)in->id,
		    in->name, e.msg);
		db_intent_end(xend->db, in->id);
	}
}

static void
recon_save(const struct db_intent *in, const struct hv_dominfo *hi)
{
	unsigned flags = (unsigned)(in->arg & SAVE_INTENT_FLAGS);
	char *tmp;

	xasprintf(&tmp, "%s.tmp", in->path);
	if (unlink(tmp) == 0)
		log_info("intent %lld: removed the stale %s", (long long)in->id,
		    tmp);
	free(tmp);
	if (strcmp(in->step, "written") == 0 &&
	    !(flags & HV_SAVE_CHECKPOINT)) {
		/* The file is complete: finish, as the save meant to. */
		if (hi != NULL)
			hv_destroy(xend->hv, hi->domid);
		if (intent_commit_gone(in->rec, in->id, NULL) == 0)
			forget_rec(in->rec, "saved; finished after a restart");
		return;
	}
	if (strcmp(in->step, "written") != 0 &&
	    !(in->arg & SAVE_INTENT_EXISTED) && unlink(in->path) == 0)
		log_info("intent %lld: removed %s, a save not known complete",
		    (long long)in->id, in->path);
	if (hi != NULL) {
		if (strcmp(in->step, "suspending") == 0)
			(void)hv_suspend_request(xend->hv, hi->domid, 1);
		if (hi->state == HV_SHUTDOWN &&
		    hi->shutdown_reason == HV_SHUTDOWN_SUSPEND)
			(void)hv_resume(xend->hv, hi->domid);
		else if (hi->state == HV_PAUSED &&
		    !(in->arg & SAVE_INTENT_PAUSED))
			(void)hv_unpause(xend->hv, hi->domid);
		log_info("intent %lld: save of %s rolled back; it runs on",
		    (long long)in->id, in->name);
	}
	db_intent_end(xend->db, in->id);
}

static void
recon_memset(const struct db_intent *in, const struct hv_dominfo *hi)
{
	if (hi != NULL) {
		if ((uint64_t)in->arg > hi->maxmem_kib)
			(void)hv_set_maxmem(xend->hv, hi->domid,
			    (uint64_t)in->arg);
		if (hv_set_target(xend->hv, hi->domid, (uint64_t)in->arg)
		    == 0)
			db_balloon_add(xend->db, in->rec, hi->domid,
			    now_seconds(), hi->mem_kib, (uint64_t)in->arg,
			    "done", "finished after a restart of xend");
	}
	db_intent_end(xend->db, in->id);
}

int
intent_reconcile(struct xerr *e)
{
	struct db_intent *v;
	struct hv_dominfo *list;
	const struct hv_dominfo *hi;
	size_t n, k, i;
	int rc;

	if (db_intents(xend->db, &v, &k) != 0)
		return xerr_set(e, XE_DATABASE, "%s", db_errmsg(xend->db));
	if (k == 0)
		return 0;
	list = xcalloc(XEND_DOMAINS_MAX, sizeof *list);
	if ((rc = hv_list(xend->hv, list, XEND_DOMAINS_MAX, &n)) != 0) {
		free(list);
		db_intents_free(v, k);
		return xerr_from_hv(e, rc, "listing domains");
	}
	if (n > XEND_DOMAINS_MAX)
		n = XEND_DOMAINS_MAX;
	for (i = 0; i < k; i++) {
		hi = find(list, n, v[i].uuid);
		log_info("intent %lld: %s of %s (record %lld) was at step %s "
		    "when xend stopped", (long long)v[i].id, v[i].op,
		    v[i].name ? v[i].name : "?", (long long)v[i].rec,
		    v[i].step);
		if (strcmp(v[i].op, "create") == 0 ||
		    strcmp(v[i].op, "restart") == 0)
			recon_create(&v[i], hi);
		else if (strcmp(v[i].op, "shutdown") == 0)
			recon_shutdown(&v[i], hi);
		else if (strcmp(v[i].op, "save") == 0)
			recon_save(&v[i], hi);
		else if (strcmp(v[i].op, "mem-set") == 0)
			recon_memset(&v[i], hi);
		else {
			/* destroy, restore: the domain must not exist. */
			if (hi != NULL)
				hv_destroy(xend->hv, hi->domid);
			if (intent_commit_gone(strcmp(v[i].op, "destroy") ==
			    0 ? v[i].rec : 0, v[i].id, NULL) == 0 &&
			    strcmp(v[i].op, "destroy") == 0)
				forget_rec(v[i].rec, "finished after a "
				    "restart");
		}
	}
	free(list);
	db_intents_free(v, k);
	return 0;
}
