/*
 * hostdown.c: dom0 is going down with guests running ("host-shutdown",
 * which dom0's /sbin/poweroff asks for before it powers off).
 *
 * As on_host_shutdown in xend.conf says, every domU is either
 *   - shut down cleanly: asked through xenstore (control/shutdown =
 *     poweroff, as `xenctl shutdown`), a paused one unpaused first so it
 *     can answer; one that has not stopped after host_shutdown_timeout is
 *     destroyed, and the message says so.  A guest that does not listen
 *     (no control/feature-poweroff, as Linux writes once its watch is
 *     set) is destroyed at once, as xl refuses a PV shutdown then; or
 *   - saved to SAVE_DIR/host-shutdown/NAME (next to the database; libxc
 *     writes NAME.tmp and renames it, so a file there is whole) and
 *     recorded in the host_saves table; the next xend restores those
 *     (hostdown_restore_saved) and marks each row restored or failed.  A
 *     paused guest is unpaused first (its save is then cooperative); a
 *     guest whose save fails is shut down instead.
 * The client gets one progress item per guest ("shutting down linux1 ...
 * done in 2.1 s": xenctl prints it on dom0's console), then a result with
 * every guest's outcome.  One run at a time; while it runs, create and
 * restore are refused and no on_reboot restart happens (domain.c), so
 * nothing new starts on a host that is going away.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "xmalloc.h"

#define HD_POLL_MS	100

enum hd_state { HD_STOPPING, HD_SAVING, HD_DONE };

struct hd_guest {
	int64_t		 rec;
	uint32_t	 domid;
	char		 name[DOM_NAME_MAX + 1];
	enum hd_state	 state;
	int64_t		 start_ms, end_ms;	/* of its current step */
	char		*path;		/* save file (save mode) */
	const char	*outcome;	/* "shut down", "saved", "destroyed" */
	double		 seconds;
};

struct hd_run {
	struct peer	*peer;		/* NULL once gone */
	int64_t		 id;
	struct hd_guest	*g;
	size_t		 n;
	struct event	*timer;
};

static struct hd_run *run;

int
hostdown_active(void)
{
	return run != NULL;
}

void
hostdown_forget_peer(struct peer *p)
{
	if (run != NULL && run->peer == p)
		run->peer = NULL;
}

/* One line for the operator: to the client (dom0's console) and the log. */
static void
say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	json_t *item;
	size_t i, done = 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	log_info("host shutdown: %s", line);
	if (run == NULL || run->peer == NULL)
		return;
	for (i = 0; i < run->n; i++)
		done += run->g[i].state == HD_DONE;
	item = json_object();
	json_object_set_new(item, "what", json_string("host-shutdown"));
	json_object_set_new(item, "done", json_integer((json_int_t)done));
	json_object_set_new(item, "total", json_integer((json_int_t)run->n));
	json_object_set_new(item, "message", json_string(line));
	peer_progress(run->peer, run->id, item);
}

/* SAVE_DIR/host-shutdown, next to the database; created if missing. */
static int
save_dir(char *buf, size_t len, struct xerr *e)
{
	char *copy = xstrdup(xend->conf.db_path);

	snprintf(buf, len, "%s/save", dirname(copy));
	free(copy);
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return xerr_set(e, XE_INTERNAL, "creating %s: %s", buf,
		    strerror(errno));
	strncat(buf, "/host-shutdown", len - strlen(buf) - 1);
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return xerr_set(e, XE_INTERNAL, "creating %s: %s", buf,
		    strerror(errno));
	return 0;
}

static void
finish(struct hd_guest *g, const char *outcome)
{
	g->state = HD_DONE;
	g->outcome = outcome;
	g->seconds = (double)(now_ms() - g->start_ms) / 1000.0;
}

/* Ask g's guest to power off; if it cannot be asked, destroy it. */
static void
stop_guest(struct hd_guest *g)
{
	struct domain *d = domain_by_rec(g->rec);
	struct xerr e;
	int rc;

	g->state = HD_STOPPING;
	g->start_ms = now_ms();
	g->end_ms = g->start_ms + (int64_t)xend->conf.host_shutdown_timeout_ms;
	if (d == NULL) {
		finish(g, "shut down");
		return;
	}
	if (d->info.state == HV_SHUTDOWN)
		return;		/* already stopped: the next poll sees it */
	if (!hv_poweroff_ready(xend->hv, g->domid)) {
		/* As xl: no PV control interface, nothing would hear us. */
		say("shutting down %s ... it does not listen for shutdown "
		    "requests (no xenstore control/feature-poweroff): "
		    "destroyed", g->name);
		if (domain_destroy(d, "host shutdown", &e) != 0)
			say("destroying %s failed: %s", g->name, e.msg);
		finish(g, "destroyed");
		return;
	}
	if (d->info.state == HV_PAUSED &&
	    (rc = hv_unpause(xend->hv, g->domid)) != 0)
		log_warnx("host shutdown: unpausing %s: %s", g->name,
		    hv_errmsg(xend->hv));
	if ((rc = hv_shutdown(xend->hv, g->domid, HV_SHUTDOWN_POWEROFF)) ==
	    0)
		return;
	xerr_from_hv(&e, rc, "asking it to shut down");
	say("shutting down %s ... cannot ask it (%s): destroying it", g->name,
	    e.msg);
	if (domain_destroy(d, "host shutdown", &e) != 0)
		say("destroying %s failed: %s", g->name, e.msg);
	finish(g, "destroyed");
}

static void
saved(void *arg, const struct xerr *err, double seconds)
{
	struct hd_guest *g = arg;

	if (run == NULL)
		return;		/* xend stopped meanwhile */
	if (err == NULL) {
		if (db_hostsave_add(xend->db, g->name, g->path,
		    now_seconds()) < 0)
			say("saving %s: recording it failed (%s); restore it "
			    "with `xenctl restore %s`", g->name,
			    db_errmsg(xend->db), g->path);
		finish(g, "saved");
		g->seconds = seconds;
		say("saving %s to %s ... done in %.1f s", g->name, g->path,
		    seconds);
		return;
	}
	say("saving %s ... failed (%s): shutting it down instead", g->name,
	    err->msg);
	stop_guest(g);
}

static void
answer(void)
{
	json_t *o = json_object(), *list = json_array(), *gj;
	size_t i;

	for (i = 0; i < run->n; i++) {
		gj = json_object();
		json_object_set_new(gj, "name", json_string(run->g[i].name));
		json_object_set_new(gj, "outcome",
		    json_string(run->g[i].outcome));
		json_object_set_new(gj, "seconds",
		    json_real(run->g[i].seconds));
		if (run->g[i].path != NULL)
			json_object_set_new(gj, "path",
			    json_string(run->g[i].path));
		json_array_append_new(list, gj);
	}
	json_object_set_new(o, "guests", list);
	json_object_set_new(o, "mode", json_string(
	    xend->conf.host_shutdown_save ? "save" : "shutdown"));
	if (run->peer != NULL)
		peer_job_reply(run->peer, run->id, o, NULL);
	else
		json_decref(o);
}

void
hostdown_free(void)
{
	size_t i;

	if (run == NULL)
		return;
	event_free(run->timer);
	for (i = 0; i < run->n; i++)
		free(run->g[i].path);
	free(run->g);
	free(run);
	run = NULL;
}

static void
tick(evutil_socket_t fd, short events, void *arg)
{
	struct hd_guest *g;
	struct domain *d;
	struct xerr e;
	size_t i, left = 0;
	int64_t now = now_ms();

	(void)fd;
	(void)events;
	(void)arg;
	/* Takes the on_poweroff actions (usually destroy) of stopped ones. */
	if (domain_refresh(&e) != 0)
		log_warnx("host shutdown: %s", e.msg);
	for (i = 0; i < run->n; i++) {
		g = &run->g[i];
		if (g->state != HD_STOPPING) {
			left += g->state != HD_DONE;
			continue;
		}
		d = domain_by_rec(g->rec);
		if (d == NULL || d->info.state == HV_SHUTDOWN) {
			/* on_poweroff = preserve keeps it: the host goes
			 * anyway, so free it. */
			if (d != NULL && domain_destroy(d, "host shutdown",
			    &e) != 0)
				log_warnx("host shutdown: %s", e.msg);
			finish(g, "shut down");
			say("shutting down %s ... done in %.1f s", g->name,
			    g->seconds);
		} else if (now >= g->end_ms) {
			if (domain_destroy(d, "host shutdown timeout", &e) !=
			    0)
				say("destroying %s failed: %s", g->name,
				    e.msg);
			finish(g, "destroyed");
			say("shutting down %s ... no answer in %.1f s: "
			    "destroyed", g->name, g->seconds);
		} else
			left++;
	}
	if (left > 0)
		return;
	/* The log only: the client prints the one summary line from the
	 * answer ("host-shutdown: 4 guests down (shutdown)"); sent as an
	 * item too, dom0's poweroff showed the summary twice. */
	if (run->n > 0)
		log_info("host shutdown: all guests are down");
	answer();
	hostdown_free();
}

static const struct cmd_arg host_shutdown_args[] = {
	{ "progress", ARG_BOOL, 0 },	/* accepted; items are always sent */
	{ NULL, 0, 0 },
};

static enum cmd_retval
cmd_host_shutdown_exec(struct cmd_ctx *ctx)
{
	struct timeval tv = { 0, HD_POLL_MS * 1000 };
	char dir[1024];
	struct domain *d;
	struct hd_guest *g;
	size_t n = 0;
	int save = (int)xend->conf.host_shutdown_save;

	if (run != NULL)
		return cmd_fail(ctx, XE_STATE, "host-shutdown: already in "
		    "progress");
	if (domain_refresh(&ctx->err) != 0)
		return CMD_ERROR;
	if (save && save_dir(dir, sizeof dir, &ctx->err) != 0)
		return CMD_ERROR;
	run = xcalloc(1, sizeof *run);
	run->peer = ctx->peer;
	run->id = ctx->id;
	TAILQ_FOREACH(d, &xend->domains, entry)
		n += d->rec.domid != 0;
	run->g = xcalloc(n > 0 ? n : 1, sizeof *run->g);
	if (n == 0)	/* the log only, as above: xenctl says it */
		log_info("host shutdown: no guests running");
	else
		say("%s %zu guest%s (on_host_shutdown = %s, timeout %.0f s)",
		    save ? "saving" : "shutting down", n, n == 1 ? "" : "s",
		    save ? "save" : "shutdown",
		    (double)xend->conf.host_shutdown_timeout_ms / 1000.0);
	TAILQ_FOREACH(d, &xend->domains, entry) {
		if (d->rec.domid == 0)
			continue;
		g = &run->g[run->n++];
		g->rec = d->rec.rec;
		g->domid = d->rec.domid;
		snprintf(g->name, sizeof g->name, "%s", d->rec.name);
	}
	/* Saves queue as jobs; they and the stops go on together. */
	for (g = run->g; g < run->g + run->n; g++) {
		d = domain_by_rec(g->rec);
		if (!save || d == NULL || d->busy != NULL) {
			stop_guest(g);
			continue;
		}
		xasprintf(&g->path, "%s/%s", dir, g->name);
		/* A paused guest could not answer the suspend request: let
		 * it run so its save is cooperative (it comes back running). */
		if (d->info.state == HV_PAUSED &&
		    hv_unpause(xend->hv, g->domid) == 0)
			hv_info(xend->hv, g->domid, &d->info);
		g->state = HD_SAVING;
		g->start_ms = now_ms();
		if (save_start_then(d, g->path, 0, NULL, 0, 0, saved, g,
		    &ctx->err) != 0) {
			say("saving %s ... cannot (%s): shutting it down "
			    "instead", g->name, ctx->err.msg);
			stop_guest(g);
		}
	}
	run->timer = event_new(xend->base, -1, EV_PERSIST, tick, NULL);
	event_add(run->timer, &tv);
	return CMD_WAIT;
}

const struct cmd_entry cmd_host_shutdown_entry = {
	.name = "host-shutdown", .args = host_shutdown_args,
	.exec = cmd_host_shutdown_exec,
};

/* ---- at start-up: bring back what the last host shutdown saved ---- */

struct hd_restore {
	int64_t		 row;
	char		*name, *path;
};

static void
restored(void *arg, const struct xerr *err, const char *name)
{
	struct hd_restore *r = arg;

	if (err == NULL) {
		log_info("host shutdown: restored %s from %s", name, r->path);
		db_hostsave_end(xend->db, r->row, "restored", now_seconds(),
		    NULL);
		/* Its state now runs again; the file would only go stale. */
		if (unlink(r->path) != 0)
			log_warn("removing %s", r->path);
	} else {
		log_warnx("host shutdown: restoring %s from %s failed: %s",
		    r->name, r->path, err->msg);
		db_hostsave_end(xend->db, r->row, "failed", now_seconds(),
		    err->msg);
	}
	free(r->name);
	free(r->path);
	free(r);
}

static void
restore_one(void *arg, int64_t row, const char *name, const char *path)
{
	struct hd_restore *r;
	struct xerr e;

	(void)arg;
	if (domain_by_name(name) != NULL) {
		/* Never two of one guest: the row ends, the file stays. */
		log_warnx("host shutdown: %s is already running; not "
		    "restoring it from %s", name, path);
		db_hostsave_end(xend->db, row, "failed", now_seconds(),
		    "a domain of that name was already running");
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->row = row;
	r->name = xstrdup(name);
	r->path = xstrdup(path);
	if (restore_start(path, NULL, -1, 0, restored, r, &e) != 0)
		restored(r, &e, NULL);
}

void
hostdown_restore_saved(void)
{
	if (db_hostsave_pending(xend->db, restore_one, NULL) != 0)
		log_warnx("host shutdown: cannot read saved domains: %s",
		    db_errmsg(xend->db));
}
