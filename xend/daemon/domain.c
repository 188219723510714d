/*
 * domain.c: the table of domains xend manages, kept in step with both the
 * hypervisor (the truth about what runs) and the database (names, configs
 * and history, which the hypervisor does not keep).
 *
 * domain_refresh() reconciles the two: a record whose domain is gone from
 * the hypervisor is closed, a domain the hypervisor has but xend never
 * recorded is adopted under a generated name, and a domain that has shut
 * down gets its on_poweroff / on_reboot / on_crash action, once.  It runs
 * at start-up (which is how a restarted xend rediscovers running domains),
 * on every sampler tick and before every command that names a domain.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "balloon.h"
#include "job.h"
#include "log.h"
#include "strnum.h"
#include "xend.h"
#include "xmalloc.h"

void
uuid_new(uint8_t h[16])
{
	int fd;
	ssize_t n = -1;
	uint64_t t;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, h, 16);
		close(fd);
	}
	if (n != 16) {
		t = (uint64_t)now_ms() * 2654435761u ^ (uint64_t)getpid();
		memcpy(h, &t, 8);
		memcpy(h + 8, &t, 8);
	}
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x40);	/* version 4 */
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
}

void
domain_uuid_str(const uint8_t h[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", h[0], h[1], h[2], h[3], h[4], h[5],
	    h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

void
domain_event(const struct domain *d, const char *kind, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_info("domain %s (id %u): %s", d->rec.name, d->rec.domid, msg);
	db_event_add(xend->db, now_seconds(), d->rec.rec, d->rec.domid, kind,
	    msg);
}

static struct domain *
domain_new(struct db_domain *rec)
{
	struct domain *d = xcalloc(1, sizeof *d);
	char *err = NULL;

	d->rec = *rec;
	d->handled_shutdown = rec->shutdown_handled;
	memset(rec, 0, sizeof *rec);
	if (d->rec.config != NULL) {
		if (domcfg_parse(d->rec.config_path ? d->rec.config_path :
		    d->rec.name, d->rec.config, strlen(d->rec.config), &d->cfg,
		    NULL, &err) == 0)
			d->has_cfg = 1;
		else {
			log_warnx("stored config of %s no longer parses: %s",
			    d->rec.name, err);
			free(err);
		}
	}
	TAILQ_INSERT_TAIL(&xend->domains, d, entry);
	return d;
}

struct domain *
domain_insert(struct db_domain *rec)
{
	return domain_new(rec);
}

void
domain_forget(struct domain *d)
{
	console_forget(d);
	TAILQ_REMOVE(&xend->domains, d, entry);
	db_domain_free(&d->rec);
	if (d->has_cfg)
		domcfg_free(&d->cfg);
	free(d);
}

void
domain_free_all(void)
{
	struct domain *d;

	while ((d = TAILQ_FIRST(&xend->domains)) != NULL)
		domain_forget(d);
}

struct domain *
domain_by_name(const char *name)
{
	struct domain *d;

	TAILQ_FOREACH(d, &xend->domains, entry)
		if (strcmp(d->rec.name, name) == 0)
			return d;
	return NULL;
}

struct domain *
domain_by_rec(int64_t rec)
{
	struct domain *d;

	TAILQ_FOREACH(d, &xend->domains, entry)
		if (d->rec.rec == rec)
			return d;
	return NULL;
}

static struct domain *
domain_by_domid(uint32_t domid)
{
	struct domain *d;

	TAILQ_FOREACH(d, &xend->domains, entry)
		if (d->rec.domid == domid)
			return d;
	return NULL;
}

struct domain *
domain_lookup(const char *s, struct xerr *e)
{
	struct domain *d;
	const char *cause;
	uint64_t id;

	if (s == NULL || *s == '\0') {
		xerr_set(e, XE_BAD_ARG, "no domain given");
		return NULL;
	}
	if (strnum_u64(s, 0, UINT32_MAX, &id, &cause) == 0) {
		if ((d = domain_by_domid((uint32_t)id)) == NULL)
			xerr_set(e, XE_NO_DOMAIN, "no domain with id %s (see "
			    "`xenctl list`)", s);
		return d;
	}
	if ((d = domain_by_name(s)) == NULL)
		xerr_set(e, XE_NO_DOMAIN, "no domain named \"%.64s\" (see "
		    "`xenctl list`)", s);
	return d;
}

/* Record a domain the hypervisor runs but xend never created. */
static void
domain_adopt(const struct hv_dominfo *hi)
{
	struct db_domain rec;
	struct domain *d;
	char name[64];

	memset(&rec, 0, sizeof rec);
	if (hi->domid == 0)
		snprintf(name, sizeof name, "Domain-0");
	else
		snprintf(name, sizeof name, "Domain-%u", hi->domid);
	if (domain_by_name(name) != NULL)
		snprintf(name, sizeof name, "Domain-%u-%" PRId64, hi->domid,
		    now_seconds());
	rec.name = xstrdup(name);
	rec.domid = hi->domid;
	domain_uuid_str(hi->handle, rec.uuid);
	rec.created = now_seconds();
	if (db_domain_add(xend->db, &rec) != 0) {
		db_domain_free(&rec);
		return;
	}
	d = domain_new(&rec);
	d->info = *hi;
	if (hi->domid == 0)
		domain_event(d, "discovered", "recorded");
	else
		domain_event(d, "discovered", "found running, not created by "
		    "this xend; recorded as %s", d->rec.name);
}

static enum dom_action
action_for(const struct domain *d, const char **which)
{
	switch (d->info.shutdown_reason) {
	case HV_SHUTDOWN_REBOOT:
		*which = "on_reboot";
		return d->cfg.on_reboot;
	case HV_SHUTDOWN_CRASH:
	case HV_SHUTDOWN_WATCHDOG:
		*which = "on_crash";
		return d->cfg.on_crash;
	default:
		*which = "on_poweroff";
		return d->cfg.on_poweroff;
	}
}

/* Start the domain again from its stored config (as a job, answering
 * no one; job.c logs a failure); its create intent replaces parent.
 * rec: the old domain's record. */
static void
domain_restart_from(const char *config, const char *path, int64_t parent,
    int64_t rec)
{
	struct xerr e;

	/* With what was hot-attached to it (rec's, db-hot.c). */
	if (domain_create_job(config, path, NULL, -1, 0, NULL, parent, rec,
	    &e)
	    != 0) {
		log_warnx("restart from %s failed: %s", path ? path : "config",
		    e.msg);
		db_intent_end(xend->db, parent);
	}
}

/*
 * Rename a shut-down domain out of the way (rename-restart), with its
 * shutdown marked handled and the intent moved on, in one transaction.
 */
static int
rename_kept(struct domain *d, int64_t id)
{
	char newname[DOM_NAME_MAX + 1];

	snprintf(newname, sizeof newname, "%.50s-old-%u", d->rec.name,
	    d->rec.domid);
	if (db_begin(xend->db) != 0)
		return -1;
	if (db_domain_set(xend->db, d->rec.rec, newname, d->rec.domid) != 0 ||
	    db_domain_handled(xend->db, d->rec.rec) != 0 ||
	    db_intent_step(xend->db, id, "renamed") != 0 ||
	    db_commit(xend->db) != 0) {
		db_rollback(xend->db);
		return -1;
	}
	free(d->rec.name);
	d->rec.name = xstrdup(newname);
	domain_event(d, "renamed", "kept as %s", newname);
	return 0;
}

/*
 * A domain shut down: take its on_* action.  "Handled" is committed
 * only with the action's outcome (for destroy and restart, when the
 * record is closed), and an intent covers the action, so a crash in
 * the middle neither repeats nor loses it (intent.c).
 */
static void
domain_handle_shutdown(struct domain *d)
{
	enum dom_action act;
	const char *which, *reason = hv_reason_name(d->info.shutdown_reason);
	char *config, *path;
	int64_t rec = d->rec.rec;
	struct db_intent in;
	struct xerr e;

	/* In memory at once: the refresh walk must not come back to it. */
	d->handled_shutdown = 1;
	if (d->info.shutdown_reason == HV_SHUTDOWN_SUSPEND)
		return;		/* a save in progress owns it */
	act = d->has_cfg ? action_for(d, &which) : ACT_PRESERVE;
	if (!d->has_cfg) {
		domain_event(d, "shutdown", "shut down (%s); no config, so it "
		    "is preserved", reason);
		db_domain_handled(xend->db, d->rec.rec);
		return;
	}
	/* The host is going down: nothing is started again. */
	if (hostdown_active() && (act == ACT_RESTART ||
	    act == ACT_RENAME_RESTART))
		act = ACT_DESTROY;
	domain_event(d, "shutdown", "shut down (%s); %s=%s", reason, which,
	    domcfg_action_name(act));
	if (act == ACT_PRESERVE) {
		db_domain_handled(xend->db, d->rec.rec);
		return;
	}
	memset(&in, 0, sizeof in);
	in.op = "shutdown";
	in.name = d->rec.name;
	in.config = d->rec.config;
	in.config_path = d->rec.config_path;
	in.arg = act;
	if (intent_add(&in, d, &e) != 0) {
		log_warnx("%s: %s", which, e.msg);
		return;
	}
	crash_point("shutdown.intent");
	config = xstrdup(d->rec.config);
	path = d->rec.config_path ? xstrdup(d->rec.config_path) : NULL;
	switch (act) {
	case ACT_PRESERVE:
		break;
	case ACT_DESTROY:
		if (domain_destroy_as(d, which, in.id, NULL, &e) != 0) {
			log_warnx("%s: %s", which, e.msg);
			db_intent_end(xend->db, in.id);
		}
		break;
	case ACT_RESTART:
		if (domain_destroy_as(d, which, in.id, "destroyed", &e) != 0) {
			log_warnx("%s: %s", which, e.msg);
			db_intent_end(xend->db, in.id);
			break;
		}
		crash_point("shutdown.destroyed");
		domain_restart_from(config, path, in.id, rec);
		break;
	case ACT_RENAME_RESTART:
		if (rename_kept(d, in.id) != 0) {
			log_warnx("%s: cannot rename %s", which, d->rec.name);
			db_intent_end(xend->db, in.id);
			break;
		}
		crash_point("shutdown.renamed");
		domain_restart_from(config, path, in.id, rec);
		break;
	}
	free(config);
	free(path);
}

int
domain_refresh(struct xerr *e)
{
	struct hv_dominfo *list;
	struct domain *d, *next;
	size_t n, i;
	int rc, again;

	list = xcalloc(XEND_DOMAINS_MAX, sizeof *list);
	if ((rc = hv_list(xend->hv, list, XEND_DOMAINS_MAX, &n)) != 0) {
		free(list);
		return xerr_from_hv(e, rc, "listing domains");
	}
	if (n > XEND_DOMAINS_MAX)
		n = XEND_DOMAINS_MAX;
	TAILQ_FOREACH_SAFE(d, &xend->domains, entry, next) {
		char uuid[37];
		for (i = 0; i < n; i++)
			if (list[i].domid == d->rec.domid)
				break;
		if (i < n)
			domain_uuid_str(list[i].handle, uuid);
		if (i == n || strcmp(uuid, d->rec.uuid) != 0) {
			domain_event(d, "vanished", "no longer known to the "
			    "hypervisor");
			db_domain_gone(xend->db, d->rec.rec, now_seconds());
			domain_forget(d);
			continue;
		}
		d->info = list[i];
	}
	/* A domain a job is still creating is the job's to record. */
	for (i = 0; i < n; i++)
		if (domain_by_domid(list[i].domid) == NULL &&
		    !job_owns_handle(list[i].handle))
			domain_adopt(&list[i]);
	free(list);

	/*
	 * Only a save asks a guest to suspend, and a save marks the domain
	 * busy until it has resumed or destroyed it.  A suspended domain no
	 * save owns is one whose save died with xend (kill -9 mid-save):
	 * it runs on where it stopped (its suspend returns "cancelled"), so
	 * a crash never costs a running guest.
	 */
	TAILQ_FOREACH(d, &xend->domains, entry)
		if (d->info.state == HV_SHUTDOWN &&
		    d->info.shutdown_reason == HV_SHUTDOWN_SUSPEND &&
		    d->busy == NULL && d->rec.domid != 0) {
			if (hv_resume(xend->hv, d->rec.domid) == 0) {
				/* The dead save's own pause (libxc pauses
				 * while it reads) goes too. */
				if (hv_info(xend->hv, d->rec.domid,
				    &d->info) == 0 &&
				    d->info.state == HV_PAUSED)
					(void)hv_unpause(xend->hv,
					    d->rec.domid);
				domain_event(d, "resumed", "suspended with no "
				    "save in progress (xend stopped during a "
				    "save?): resumed");
				d->handled_shutdown = 0;
				(void)hv_info(xend->hv, d->rec.domid, &d->info);
			} else
				log_warnx("domain %u stays suspended: %s",
				    d->rec.domid, hv_errmsg(xend->hv));
		}

	/* Actions may destroy and create domains, so restart the walk. */
	do {
		again = 0;
		TAILQ_FOREACH(d, &xend->domains, entry) {
			if (d->info.state == HV_SHUTDOWN &&
			    !d->handled_shutdown) {
				domain_handle_shutdown(d);
				again = 1;
				break;
			}
		}
	} while (again);
	return 0;
}

int
domain_init(struct xerr *e)
{
	struct db_domain *recs;
	size_t n, i;

	if (db_domains_alive(xend->db, &recs, &n) != 0)
		return xerr_set(e, XE_DATABASE, "%s", db_errmsg(xend->db));
	for (i = 0; i < n; i++)
		domain_new(&recs[i]);
	free(recs);
	/* Unfinished operations first, before anything adopts or acts. */
	if (intent_reconcile(e) != 0)
		return -1;
	return domain_refresh(e);
}

/*
 * A domain `xenctl restore` just brought back: record it under the name
 * and config it was saved with.  On failure the new domain is destroyed,
 * so a restore either yields a recorded domain or nothing.
 */
/* One hot-attached entry of a restored blob, keyed as db-hot.c keys it
 * (the disk's vdev, the vif's MAC); entries that name neither are left
 * out (the backend left them out too: hotblob.c checks each). */
struct restored_hot {
	struct db_hot	*v;
	size_t		 n;
};

static void
restored_hot_add(void *arg, const char *kind, const char *spec)
{
	struct restored_hot *rh = arg;
	struct diskcfg dc;
	struct vifcfg vc;
	char why[300], mac[18];
	const char *key;

	if (strcmp(kind, "disk") == 0 && diskcfg_parse(spec, &dc, why,
	    sizeof why) == 0)
		key = dc.vdev;
	else if (strcmp(kind, "vif") == 0 && vifcfg_parse(spec, &vc, why,
	    sizeof why) == 0 && vc.mac_set) {
		vifcfg_mac_str(vc.mac, mac, sizeof mac);
		key = mac;
	} else
		return;
	rh->v = xreallocarray(rh->v, rh->n + 1, sizeof *rh->v);
	rh->v[rh->n].kind = xstrdup(kind);
	rh->v[rh->n].key = xstrdup(key);
	rh->v[rh->n].spec = xstrdup(spec);
	rh->n++;
}

int
domain_record_restored(uint32_t domid, const uint8_t handle[16],
    char *text, const char *path, int64_t intent, struct domain **out,
    struct xerr *e)
{
	struct restored_hot rh = { NULL, 0 };
	struct domcfg dc;
	struct db_domain rec;
	struct domain *d;
	char *err = NULL;

	hotblob_split(text, restored_hot_add, &rh);
	if (domcfg_parse(path, text, strlen(text), &dc, NULL, &err) != 0) {
		xerr_set(e, XE_CONFIG, "the saved config no longer parses: %s",
		    err);
		free(err);
		db_hot_free(rh.v, rh.n);
		hv_destroy(xend->hv, domid);
		return -1;
	}
	if (domain_by_name(dc.name) != NULL) {
		xerr_set(e, XE_EXISTS, "a domain named \"%s\" already exists "
		    "(destroy it first); the restored copy was destroyed",
		    dc.name);
		db_hot_free(rh.v, rh.n);
		domcfg_free(&dc);
		hv_destroy(xend->hv, domid);
		return -1;
	}
	memset(&rec, 0, sizeof rec);
	rec.name = xstrdup(dc.name);
	rec.domid = domid;
	domain_uuid_str(handle, rec.uuid);
	rec.config = xstrdup(text);
	rec.config_path = xstrdup(path);
	rec.created = now_seconds();
	domcfg_free(&dc);
	d = domain_record_commit(&rec, intent, rh.v, rh.n, e);
	db_hot_free(rh.v, rh.n);
	if (d == NULL) {
		hv_destroy(xend->hv, domid);
		return -1;
	}
	hv_info(xend->hv, domid, &d->info);
	domain_event(d, "restored", "restored as domain %u", domid);
	hvlog_ingest();
	if (out != NULL)
		*out = d;
	return 0;
}

int
domain_destroy(struct domain *d, const char *why, struct xerr *e)
{
	return domain_destroy_as(d, why, 0, NULL, e);
}

/*
 * Destroy d under intent parent (0: its own "destroy" intent), then
 * close its record and end the intent, or move it to step next, in one
 * transaction.
 */
int
domain_destroy_as(struct domain *d, const char *why, int64_t parent,
    const char *next, struct xerr *e)
{
	struct db_intent in;
	int rc;

	if (d->rec.domid == 0)
		return xerr_set(e, XE_DOM0, "Domain-0 cannot be destroyed");
	memset(&in, 0, sizeof in);
	in.id = parent;
	if (parent == 0) {
		in.op = "destroy";
		in.name = d->rec.name;
		if (intent_add(&in, d, e) != 0)
			return -1;
		crash_point("destroy.intent");
	}
	rc = hv_destroy(xend->hv, d->rec.domid);
	if (rc != 0 && rc != -ESRCH) {
		if (parent == 0)
			db_intent_end(xend->db, in.id);
		return xerr_from_hv(e, rc, "destroying the domain");
	}
	crash_point("destroy.hv");
	domain_event(d, "destroyed", "destroyed (%s)", why);
	if (intent_commit_gone(d->rec.rec, in.id, next) != 0)
		log_warnx("destroyed %s but could not record it: %s",
		    d->rec.name, db_errmsg(xend->db));
	crash_point("destroy.recorded");
	domain_forget(d);
	balloon_give_back();
	hvlog_ingest();
	return 0;
}

json_t *
domain_json(const struct domain *d)
{
	json_t *o = json_object(), *c = json_object();

	json_object_set_new(o, "domid", json_integer(d->rec.domid));
	json_object_set_new(o, "name", json_string(d->rec.name));
	json_object_set_new(o, "uuid", json_string(d->rec.uuid));
	json_object_set_new(o, "state",
	    json_string(hv_state_name(d->info.state)));
	if (d->info.state == HV_SHUTDOWN)
		json_object_set_new(o, "shutdown_reason",
		    json_string(hv_reason_name(d->info.shutdown_reason)));
	json_object_set_new(o, "mem_kib", json_integer((json_int_t)
	    d->info.mem_kib));
	json_object_set_new(o, "maxmem_kib", json_integer((json_int_t)
	    d->info.maxmem_kib));
	json_object_set_new(o, "target_kib", json_integer((json_int_t)
	    d->info.target_kib));
	json_object_set_new(o, "vcpus", json_integer(d->info.vcpus));
	json_object_set_new(o, "online_vcpus", json_integer(
	    d->info.online_vcpus));
	json_object_set_new(o, "cpu_ns", json_integer((json_int_t)
	    d->info.cpu_ns));
	json_object_set_new(c, "hypercalls", json_integer((json_int_t)
	    d->info.counters.hypercalls));
	json_object_set_new(c, "events", json_integer((json_int_t)
	    d->info.counters.events));
	json_object_set_new(c, "page_faults", json_integer((json_int_t)
	    d->info.counters.page_faults));
	json_object_set_new(o, "counters", c);
	json_object_set_new(o, "created", json_integer(d->rec.created));
	if (d->rec.config_path != NULL)
		json_object_set_new(o, "config_path",
		    json_string(d->rec.config_path));
	return o;
}
