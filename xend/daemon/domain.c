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

static void
uuid_format(const uint8_t h[16], char out[37])
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

static void
domain_forget(struct domain *d)
{
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
	uuid_format(hi->handle, rec.uuid);
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
 * no one; job.c logs a failure). */
static void
domain_restart_from(const char *config, const char *path)
{
	struct xerr e;

	if (domain_create_job(config, path, NULL, -1, 0, NULL, &e) != 0)
		log_warnx("restart from %s failed: %s", path ? path : "config",
		    e.msg);
}

static void
domain_handle_shutdown(struct domain *d)
{
	enum dom_action act;
	const char *which, *reason = hv_reason_name(d->info.shutdown_reason);
	char *config, *path, newname[DOM_NAME_MAX + 1];
	struct xerr e;

	d->handled_shutdown = 1;
	db_domain_handled(xend->db, d->rec.rec);
	if (d->info.shutdown_reason == HV_SHUTDOWN_SUSPEND)
		return;		/* a save in progress owns it */
	if (!d->has_cfg) {
		domain_event(d, "shutdown", "shut down (%s); no config, so it "
		    "is preserved", reason);
		return;
	}
	act = action_for(d, &which);
	domain_event(d, "shutdown", "shut down (%s); %s=%s", reason, which,
	    domcfg_action_name(act));
	config = xstrdup(d->rec.config);
	path = d->rec.config_path ? xstrdup(d->rec.config_path) : NULL;
	switch (act) {
	case ACT_PRESERVE:
		break;
	case ACT_DESTROY:
		if (domain_destroy(d, which, &e) != 0)
			log_warnx("%s: %s", which, e.msg);
		break;
	case ACT_RESTART:
		if (domain_destroy(d, which, &e) != 0)
			log_warnx("%s: %s", which, e.msg);
		else
			domain_restart_from(config, path);
		break;
	case ACT_RENAME_RESTART:
		snprintf(newname, sizeof newname, "%.50s-old-%u", d->rec.name,
		    d->rec.domid);
		if (db_domain_set(xend->db, d->rec.rec, newname,
		    d->rec.domid) == 0) {
			free(d->rec.name);
			d->rec.name = xstrdup(newname);
			domain_event(d, "renamed", "kept as %s", newname);
			domain_restart_from(config, path);
		}
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
			uuid_format(list[i].handle, uuid);
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
	return domain_refresh(e);
}

/*
 * Creating a domain is three steps so the slow middle one runs as a job
 * (domain_create_job below): prepare (parse, check) and record
 * (database, table) on the loop, hv_create on the worker in between.
 */
int
domain_build_prepare(const char *text, const char *path,
    struct domain_build *db, struct cfg_warnings *warn, struct xerr *e)
{
	char *err = NULL;

	memset(db, 0, sizeof *db);
	if (domcfg_parse(path, text, strlen(text), &db->dc, warn,
	    &err) != 0) {
		xerr_set(e, XE_CONFIG, "%s", err);
		free(err);
		return -1;
	}
	if (domain_by_name(db->dc.name) != NULL) {
		xerr_set(e, XE_EXISTS, "a domain named \"%s\" already exists "
		    "(destroy it first, or change name in %s)", db->dc.name,
		    path);
		domcfg_free(&db->dc);
		return -1;
	}
	db->text = xstrdup(text);
	db->path = xstrdup(path);
	uuid_new(db->b.handle);
	db->b.mem_kib = db->dc.memory_mib * 1024;
	db->b.maxmem_kib = db->dc.maxmem_mib * 1024;
	db->b.vcpus = db->dc.vcpus;
	db->b.kernel = db->dc.kernel;
	db->b.ramdisk = db->dc.ramdisk;
	db->b.cmdline = db->dc.cmdline;
	db->b.name = db->dc.name;
	db->b.disks = db->dc.disks;
	db->b.ndisks = db->dc.ndisks;
	return 0;
}

void
domain_build_free(struct domain_build *db)
{
	domcfg_free(&db->dc);
	free(db->text);
	free(db->path);
	memset(db, 0, sizeof *db);
}

/* db->domid was just created: record it, or destroy it and say why. */
int
domain_build_record(struct domain_build *db, struct domain **out,
    struct xerr *e)
{
	struct db_domain rec;
	struct domain *d;

	/* Another create of the same name may have finished meanwhile. */
	if (domain_by_name(db->dc.name) != NULL) {
		hv_destroy(xend->hv, db->domid);
		return xerr_set(e, XE_EXISTS, "a domain named \"%s\" was "
		    "created meanwhile; this one was destroyed", db->dc.name);
	}
	memset(&rec, 0, sizeof rec);
	rec.name = xstrdup(db->dc.name);
	rec.domid = db->domid;
	uuid_format(db->b.handle, rec.uuid);
	rec.config = xstrdup(db->text);
	rec.config_path = xstrdup(db->path);
	rec.created = now_seconds();
	if (db_domain_add(xend->db, &rec) != 0) {
		xerr_set(e, XE_DATABASE, "recording the domain: %s",
		    db_errmsg(xend->db));
		db_domain_free(&rec);
		hv_destroy(xend->hv, db->domid);
		return -1;
	}
	d = domain_new(&rec);
	hv_info(xend->hv, db->domid, &d->info);
	domain_event(d, "created", "created from %s: %" PRIu64 " MiB, %u "
	    "vCPUs", db->path, d->info.mem_kib / 1024, d->info.vcpus);
	hvlog_ingest();
	if (out != NULL)
		*out = d;
	return 0;
}

/* A create job: the build runs on the worker (job.h). */
struct create_job {
	struct domain_build	 build;
	json_t			*warnings;
	uint64_t		 wait_ms;	/* for memory to be freed */
};

/* Worker thread: only the job's own handle and state. */
static int
create_work(struct job *j)
{
	struct create_job *cj = j->arg;
	struct hv_physinfo pi;
	struct timespec ts = { 0, 100 * 1000000 };
	uint64_t waited = 0;
	int rc;

	/* Autoballoon asked Domain-0 for room: wait (bounded) for it. */
	while (hv_physinfo(j->hv, &pi) == 0 && pi.free_kib <
	    cj->build.b.mem_kib && waited < cj->wait_ms) {
		nanosleep(&ts, NULL);
		waited += 100;
	}
	if (waited > 0 && waited >= cj->wait_ms && hv_physinfo(j->hv, &pi)
	    == 0 && pi.free_kib < cj->build.b.mem_kib) {
		xerr_set(&j->err, XE_NO_MEMORY, "not enough memory for %s: "
		    "free %" PRIu64 " MiB, asked %" PRIu64 " MiB after "
		    "waiting %" PRIu64 " ms for Domain-0 to balloon down: "
		    "lower memory= or mem-set a guest down", cj->build.b.name,
		    pi.free_kib / 1024, cj->build.b.mem_kib / 1024, waited);
		return -ENOMEM;
	}
	if ((rc = hv_create(j->hv, &cj->build.b, &cj->build.domid)) == 0)
		return 0;
	if (rc == -ENOMEM && hv_physinfo(j->hv, &pi) == 0)
		xerr_set(&j->err, XE_NO_MEMORY, "not enough memory for %s: "
		    "free %" PRIu64 " MiB, asked %" PRIu64 " MiB: lower "
		    "memory= or mem-set a guest down, or enable autoballoon "
		    "(%s)", cj->build.b.name, pi.free_kib / 1024,
		    cj->build.b.mem_kib / 1024, hv_errmsg(j->hv));
	else
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

/*
 * Create a domain from config text as a job: checked here, built on the
 * worker, recorded and answered (to peer, if any) when done.  xenctl
 * create and the restart of a rebooted domain both come here, so neither
 * builds inside the event loop.
 */
int
domain_create_job(const char *text, const char *path, struct peer *peer,
    int64_t id, int progress, struct cfg_warnings *warn, struct xerr *e)
{
	struct create_job *cj = xcalloc(1, sizeof *cj);
	size_t i;

	if (domain_build_prepare(text, path, &cj->build, warn, e) != 0) {
		free(cj);
		return -1;
	}
	if (balloon_make_room(cj->build.b.name, cj->build.b.mem_kib, e)
	    != 0) {
		domain_build_free(&cj->build);
		free(cj);
		return -1;
	}
	cj->wait_ms = xend->conf.autoballoon ? xend->conf.balloon_wait_ms :
	    0;
	cj->warnings = json_array();
	for (i = 0; warn != NULL && i < warn->n; i++)
		json_array_append_new(cj->warnings, json_string(warn->msgs[i]));
	if (job_start(peer, id, progress, "create", create_work, create_done,
	    cj, cj->build.b.handle, e) != 0) {
		json_decref(cj->warnings);
		domain_build_free(&cj->build);
		free(cj);
		return -1;
	}
	return 0;
}

/*
 * A domain `xenctl restore` just brought back: record it under the name
 * and config it was saved with.  On failure the new domain is destroyed,
 * so a restore either yields a recorded domain or nothing.
 */
int
domain_record_restored(uint32_t domid, const uint8_t handle[16],
    const char *text, const char *path, struct domain **out, struct xerr *e)
{
	struct domcfg dc;
	struct db_domain rec;
	struct domain *d;
	char *err = NULL;

	if (domcfg_parse(path, text, strlen(text), &dc, NULL, &err) != 0) {
		xerr_set(e, XE_CONFIG, "the saved config no longer parses: %s",
		    err);
		free(err);
		hv_destroy(xend->hv, domid);
		return -1;
	}
	if (domain_by_name(dc.name) != NULL) {
		xerr_set(e, XE_EXISTS, "a domain named \"%s\" already exists "
		    "(destroy it first); the restored copy was destroyed",
		    dc.name);
		domcfg_free(&dc);
		hv_destroy(xend->hv, domid);
		return -1;
	}
	memset(&rec, 0, sizeof rec);
	rec.name = xstrdup(dc.name);
	rec.domid = domid;
	uuid_format(handle, rec.uuid);
	rec.config = xstrdup(text);
	rec.config_path = xstrdup(path);
	rec.created = now_seconds();
	domcfg_free(&dc);
	if (db_domain_add(xend->db, &rec) != 0) {
		xerr_set(e, XE_DATABASE, "recording the domain: %s",
		    db_errmsg(xend->db));
		db_domain_free(&rec);
		hv_destroy(xend->hv, domid);
		return -1;
	}
	d = domain_new(&rec);
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
	int rc;

	if (d->rec.domid == 0)
		return xerr_set(e, XE_DOM0, "Domain-0 cannot be destroyed");
	rc = hv_destroy(xend->hv, d->rec.domid);
	if (rc != 0 && rc != -ESRCH)
		return xerr_from_hv(e, rc, "destroying the domain");
	domain_event(d, "destroyed", "destroyed (%s)", why);
	if (db_domain_gone(xend->db, d->rec.rec, now_seconds()) != 0)
		log_warnx("destroyed %s but could not record it",
		    d->rec.name);
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
