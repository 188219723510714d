/*
 * domain-create.c: creating a domain, and the restart of a rebooted one,
 * as a job (job.h), with its intent (intent.c): recorded before the
 * build, ended in the transaction that records the domain, so a crash
 * anywhere leaves either a recorded domain or an intent the next start
 * resolves.  The client's reply is sent only after that commit; a domain
 * built by a create that then fails is destroyed before the error is
 * sent, so what a client is told and what happened never disagree.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "balloon.h"
#include "job.h"
#include "log.h"
#include "xend.h"
#include "xmalloc.h"

/*
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
	db->b.vcpus = db->dc.maxvcpus;
	db->b.online_vcpus = db->dc.vcpus;
	db->b.kernel = db->dc.kernel;
	db->b.ramdisk = db->dc.ramdisk;
	db->b.cmdline = db->dc.cmdline;
	db->b.name = db->dc.name;
	db->b.disks = db->dc.disks;
	db->b.ndisks = db->dc.ndisks;
	db->b.vifs = db->dc.vifs;
	db->b.nvifs = db->dc.nvifs;
	return 0;
}

/* Is an entry already among the config's (the same vdev or MAC)? */
static int
in_config(const struct domain_build *db, const struct db_hot *h)
{
	struct diskcfg a, b;
	struct vifcfg va, vb;
	char why[300];
	size_t i;

	if (strcmp(h->kind, "disk") == 0) {
		if (diskcfg_parse(h->spec, &a, why, sizeof why) != 0)
			return 1;	/* unusable: left out too */
		for (i = 0; i < db->dc.ndisks; i++)
			if (diskcfg_parse(db->dc.disks[i], &b, why,
			    sizeof why) == 0 && a.devid == b.devid)
				return 1;
		return 0;
	}
	if (vifcfg_parse(h->spec, &va, why, sizeof why) != 0)
		return 1;
	for (i = 0; i < db->dc.nvifs; i++)
		if (vifcfg_parse(db->dc.vifs[i], &vb, why, sizeof why) == 0 &&
		    vb.mac_set && memcmp(va.mac, vb.mac, 6) == 0)
			return 1;
	return 0;
}

void
domain_build_hot(struct domain_build *db, int64_t rec)
{
	struct db_hot *h;
	size_t i, k, nd, nv;

	if (rec <= 0)
		return;
	if (db_hot_list(xend->db, rec, &h, &k) != 0) {
		log_warnx("%s comes back without its hot-attached devices: %s",
		    db->dc.name, db_errmsg(xend->db));
		return;
	}
	db->hot_from = rec;
	db->disks = xcalloc(db->dc.ndisks + k + 1, sizeof *db->disks);
	db->vifs = xcalloc(db->dc.nvifs + k + 1, sizeof *db->vifs);
	for (nd = 0; nd < db->dc.ndisks; nd++)
		db->disks[nd] = db->dc.disks[nd];
	for (nv = 0; nv < db->dc.nvifs; nv++)
		db->vifs[nv] = db->dc.vifs[nv];
	db->hot = xcalloc(k + 1, sizeof *db->hot);
	for (i = 0; i < k; i++) {
		/* The config may have gained the same device meanwhile
		 * (edited, then rebooted): the config's wins. */
		if (in_config(db, &h[i])) {
			log_warnx("%s: hot-attached %s %s left out: the config "
			    "has it (or it no longer parses)", db->dc.name,
			    h[i].kind, h[i].key);
			continue;
		}
		if (strcmp(h[i].kind, "disk") == 0)
			db->disks[nd++] = h[i].spec;
		else
			db->vifs[nv++] = h[i].spec;
		db->hot[db->nhot++] = h[i];
		memset(&h[i], 0, sizeof h[i]);
	}
	db_hot_free(h, k);
	db->b.disks = db->disks;
	db->b.ndisks = nd;
	db->b.vifs = db->vifs;
	db->b.nvifs = nv;
}

void
domain_build_free(struct domain_build *db)
{
	db_hot_free(db->hot, db->nhot);
	free(db->disks);
	free(db->vifs);
	domcfg_free(&db->dc);
	free(db->text);
	free(db->path);
	memset(db, 0, sizeof *db);
}

/* Record a domain in the table and database, ending intent id (if any)
 * in the same transaction. */
struct domain *
domain_record_commit(struct db_domain *rec, int64_t id,
    const struct db_hot *hot, size_t nhot, struct xerr *e)
{
	size_t i;
	int bad = 0;

	if (db_begin(xend->db) == 0 && db_domain_add(xend->db, rec) == 0)
		for (i = 0; i < nhot && !bad; i++)
			bad = db_hot_add(xend->db, rec->rec, hot[i].kind,
			    hot[i].key, hot[i].spec, rec->created) != 0;
	else
		bad = 1;
	if (bad || (id > 0 && db_intent_end(xend->db, id) != 0) ||
	    db_commit(xend->db) != 0) {
		xerr_set(e, XE_DATABASE, "recording the domain: %s",
		    db_errmsg(xend->db));
		db_rollback(xend->db);
		db_domain_free(rec);
		return NULL;
	}
	return domain_insert(rec);
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
		db_intent_end(xend->db, db->intent);
		return xerr_set(e, XE_EXISTS, "a domain named \"%s\" was "
		    "created meanwhile; this one was destroyed", db->dc.name);
	}
	memset(&rec, 0, sizeof rec);
	rec.name = xstrdup(db->dc.name);
	rec.domid = db->domid;
	domain_uuid_str(db->b.handle, rec.uuid);
	rec.config = xstrdup(db->text);
	rec.config_path = xstrdup(db->path);
	rec.created = now_seconds();
	if ((d = domain_record_commit(&rec, db->intent, db->hot, db->nhot,
	    e)) == NULL) {
		/* Destroyed before the error is told, then the intent. */
		hv_destroy(xend->hv, db->domid);
		db_intent_end(xend->db, db->intent);
		return -1;
	}
	crash_point("create.recorded");
	hv_info(xend->hv, db->domid, &d->info);
	/* Its config's scheduler settings, or no domain at all. */
	if (domain_sched_apply(d, &db->dc, e) != 0) {
		struct xerr e2;

		domain_destroy(d, "its cpu_weight, cap or cpus could not be "
		    "applied", &e2);
		return -1;
	}
	domain_event(d, "created", "created from %s: %" PRIu64 " MiB, %u "
	    "vCPUs", db->path, d->info.mem_kib / 1024, d->info.vcpus);
	hvlog_ingest();
	if (out != NULL)
		*out = d;
	return 0;
}

/*
 * At start-up (intent.c): a create that had built its domain (step
 * "built") when xend stopped.  Record it under the intent's name and
 * config, ending the intent; -1 if that cannot be done (the caller
 * then destroys it).
 */
int
domain_adopt_intent(const struct db_intent *in, const struct hv_dominfo *hi)
{
	struct db_domain rec;
	struct domain *d;
	struct db_hot *hot = NULL;
	size_t nhot = 0;
	struct xerr e;

	if (in->name == NULL || in->config == NULL ||
	    domain_by_name(in->name) != NULL)
		return -1;
	/* A restart's intent names the old record: it was built with that
	 * record's hot-attached devices, so they stay recorded. */
	if (strcmp(in->op, "restart") == 0 && in->rec > 0 &&
	    db_hot_list(xend->db, in->rec, &hot, &nhot) != 0)
		log_warnx("adopting %s: its hot-attached devices are not "
		    "carried over: %s", in->name, db_errmsg(xend->db));
	memset(&rec, 0, sizeof rec);
	rec.name = xstrdup(in->name);
	rec.domid = hi->domid;
	memcpy(rec.uuid, in->uuid, sizeof rec.uuid);
	rec.config = xstrdup(in->config);
	rec.config_path = in->config_path ? xstrdup(in->config_path) : NULL;
	rec.created = in->t;
	d = domain_record_commit(&rec, in->id, hot, nhot, &e);
	db_hot_free(hot, nhot);
	if (d == NULL) {
		log_warnx("adopting %s: %s", in->name, e.msg);
		return -1;
	}
	d->info = *hi;
	domain_event(d, "created", "built by a %s interrupted by a crash of "
	    "xend; recorded at restart with its config", in->op);
	return 0;
}

/* The create failed: make sure no domain with its handle is left (a
 * build that failed late may have left one) before the error is told. */
void
domain_destroy_handle(const uint8_t handle[16])
{
	struct hv_dominfo *list = xcalloc(XEND_DOMAINS_MAX, sizeof *list);
	size_t n, i;

	if (hv_list(xend->hv, list, XEND_DOMAINS_MAX, &n) == 0)
		for (i = 0; i < n && i < XEND_DOMAINS_MAX; i++)
			if (memcmp(list[i].handle, handle, 16) == 0) {
				log_warnx("a failed create left domain %u: "
				    "destroying it", list[i].domid);
				hv_destroy(xend->hv, list[i].domid);
			}
	free(list);
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
	else {
		/* "creating NAME": libxc's builder has a step "creating the
		 * domain" of its own, which this must not echo. */
		char what[96];

		snprintf(what, sizeof what, "creating %s", cj->build.b.name);
		xerr_from(&j->err, j->hv, rc, what);
	}
	return rc;
}

static void
create_done(struct job *j)
{
	struct create_job *cj = j->arg;
	struct domain *d;
	json_t *result;

	if (j->rc != 0) {
		domain_destroy_handle(cj->build.b.handle);
		db_intent_end(xend->db, cj->build.intent);
	} else {
		crash_point("create.built");
		/* Built: from here a crash adopts it rather than destroy it. */
		if (db_intent_step(xend->db, cj->build.intent, "built") == 0)
			crash_point("create.marked");
	}
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
 * The create's intent, written before anything is built; a restart's
 * (parent: the shutdown or restart intent it carries out) replaces its
 * parent in the same transaction, so the restart happens exactly once.
 */
static int
create_intent(struct domain_build *b, int64_t parent, struct xerr *e)
{
	struct db_intent in;

	memset(&in, 0, sizeof in);
	in.op = parent > 0 ? "restart" : "create";
	/* A restart carries the old record's hot-attached devices; a crash
	 * before it is recorded finds them through this. */
	in.rec = b->hot_from;
	domain_uuid_str(b->b.handle, in.uuid);
	in.name = b->dc.name;
	in.config = b->text;
	in.config_path = b->path;
	if (db_begin(xend->db) != 0)
		return xerr_set(e, XE_DATABASE, "%s", db_errmsg(xend->db));
	if (intent_add(&in, NULL, e) != 0 || (parent > 0 &&
	    db_intent_end(xend->db, parent) != 0) ||
	    db_commit(xend->db) != 0) {
		db_rollback(xend->db);
		return xerr_set(e, XE_DATABASE, "recording the intent to "
		    "create %s: %s", b->dc.name, db_errmsg(xend->db));
	}
	b->intent = in.id;
	return 0;
}

/*
 * Create a domain from config text as a job: checked here, built on the
 * worker, recorded and answered (to peer, if any) when done.  xenctl
 * create and the restart of a rebooted domain both come here, so neither
 * builds inside the event loop.
 */
int
domain_create_job(const char *text, const char *path, struct peer *peer,
    int64_t id, int progress, struct cfg_warnings *warn, int64_t parent,
    int64_t hot_from, struct xerr *e)
{
	struct create_job *cj = xcalloc(1, sizeof *cj);
	size_t i;

	if (domain_build_prepare(text, path, &cj->build, warn, e) != 0) {
		free(cj);
		return -1;
	}
	domain_build_hot(&cj->build, hot_from);
	if (balloon_make_room(cj->build.b.name, cj->build.b.mem_kib, e)
	    != 0) {
		domain_build_free(&cj->build);
		free(cj);
		return -1;
	}
	cj->wait_ms = xend->conf.autoballoon ? xend->conf.balloon_wait_ms :
	    0;
	if (create_intent(&cj->build, parent, e) != 0) {
		domain_build_free(&cj->build);
		free(cj);
		return -1;
	}
	crash_point("create.intent");
	cj->warnings = json_array();
	for (i = 0; warn != NULL && i < warn->n; i++)
		json_array_append_new(cj->warnings, json_string(warn->msgs[i]));
	if (job_start(peer, id, progress, "create", create_work, create_done,
	    cj, cj->build.b.handle, e) != 0) {
		db_intent_end(xend->db, cj->build.intent);
		json_decref(cj->warnings);
		domain_build_free(&cj->build);
		free(cj);
		return -1;
	}
	return 0;
}

