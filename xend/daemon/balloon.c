/*
 * balloon.c: memory that moves.  Two jobs:
 *
 * Deadlines.  "mem-set NAME SIZE --deadline D" parks the client and
 * watches the domain's page count (read from the hypervisor every
 * BALLOON_POLL_MS, not the sampler's interval), sending progress items,
 * until the domain reaches its target (met) or the deadline passes
 * (missed: the on_miss policy is carried out: log, pause, save or
 * destroy).  Either way the hypervisor then holds a shrunk domain at its
 * target (maxmem lowered) so it cannot grow back by itself.  Every
 * request and its outcome is in the balloon table (db.c).
 *
 * Autoballoon.  Before a create, make room by lowering Domain-0's target
 * (never below dom0_min_memory); after a destroy, give back what was
 * taken.  The create job waits (bounded) for the memory to appear.
 */
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "xmalloc.h"

#include "cmd.h"
#include "balloon.h"

#define BALLOON_POLL_MS	100
#define BALLOON_SLACK_KIB (4 * 1024)

struct balloon_req {
	TAILQ_ENTRY(balloon_req) entry;
	int64_t		 rec;
	uint32_t	 domid;
	uint64_t	 from_kib, target_kib;
	int64_t		 start_ms, end_ms;
	uint64_t	 deadline_ms;
	enum balloon_miss policy;
	int64_t		 row;		/* balloon table id */
	struct peer	*peer;		/* NULL once gone */
	int64_t		 id;
	int		 progress;
	struct event	*timer;
};
static TAILQ_HEAD(, balloon_req) reqs = TAILQ_HEAD_INITIALIZER(reqs);

/* What autoballoon took from Domain-0 and may give back. */
static uint64_t dom0_lent_kib;

static const char *const miss_names[] = { "log", "pause", "save",
    "destroy" };

int
balloon_miss_parse(const char *s, enum balloon_miss *m)
{
	size_t i;

	for (i = 0; i < sizeof miss_names / sizeof miss_names[0]; i++)
		if (strcmp(s, miss_names[i]) == 0) {
			*m = (enum balloon_miss)i;
			return 0;
		}
	return -1;
}

static void
req_free(struct balloon_req *r)
{
	TAILQ_REMOVE(&reqs, r, entry);
	event_free(r->timer);
	free(r);
}

static void
req_answer(struct balloon_req *r, json_t *result, const struct xerr *e)
{
	if (r->peer != NULL)
		peer_job_reply(r->peer, r->id, result, e);
	else
		json_decref(result);
}

/*
 * Hold a shrunk domain at its target: it cannot grow back by itself.
 * Only domains with a config, whose maxmem xend knows to raise again;
 * not Domain-0 or adopted domains.
 */
static void
hold(struct domain *d, uint64_t target_kib)
{
	if (!d->has_cfg || target_kib >= d->info.maxmem_kib)
		return;
	if (hv_set_maxmem(xend->hv, d->rec.domid, target_kib) != 0) {
		log_warnx("holding %s at %" PRIu64 " KiB: %s", d->rec.name,
		    target_kib, hv_errmsg(xend->hv));
		return;
	}
	d->info.maxmem_kib = target_kib;
}

static json_t *
result_json(struct domain *d, struct balloon_req *r, const char *outcome)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(d->rec.name));
	json_object_set_new(o, "from_kib", json_integer((json_int_t)
	    r->from_kib));
	json_object_set_new(o, "target_kib", json_integer((json_int_t)
	    r->target_kib));
	json_object_set_new(o, "mem_kib", json_integer((json_int_t)
	    d->info.mem_kib));
	json_object_set_new(o, "outcome", json_string(outcome));
	json_object_set_new(o, "comply_ms", json_integer(now_ms() -
	    r->start_ms));
	return o;
}

/* The deadline passed: carry out the policy; returns what was done. */
static const char *
carry_out(struct balloon_req *r, struct domain *d, struct xerr *e)
{
	char path[1400], dir[1024], *copy;
	int rc;

	switch (r->policy) {
	case MISS_LOG:
		hold(d, r->target_kib);
		return "logged";
	case MISS_PAUSE:
		if (d->info.state == HV_RUNNING &&
		    (rc = hv_pause(xend->hv, d->rec.domid)) != 0) {
			xerr_from_hv(e, rc, "pausing");
			return NULL;
		}
		hv_info(xend->hv, d->rec.domid, &d->info);
		domain_event(d, "paused", "balloon deadline missed");
		hold(d, r->target_kib);
		return "paused";
	case MISS_SAVE:
		/* Next to the database: /var/lib/xend/save/NAME-balloon.save */
		copy = xstrdup(xend->conf.db_path);
		snprintf(dir, sizeof dir, "%s/save", dirname(copy));
		free(copy);
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			xerr_set(e, XE_INTERNAL, "creating %s: %s", dir,
			    strerror(errno));
			return NULL;
		}
		snprintf(path, sizeof path, "%s/%s-balloon.save", dir,
		    d->rec.name);
		if (save_start(d, path, 0, NULL, 0, 0, e) != 0)
			return NULL;
		return "saving";
	case MISS_DESTROY:
		if (domain_destroy(d, "balloon deadline missed", e) != 0)
			return NULL;
		return "destroyed";
	}
	return NULL;
}

static void
tick(evutil_socket_t fd, short events, void *arg)
{
	struct balloon_req *r = arg;
	struct domain *d = domain_by_rec(r->rec);
	struct xerr e;
	char missed[sizeof e.msg], why[sizeof e.msg];
	const char *did;
	uint64_t have, moved, total;
	int64_t now = now_ms();
	json_t *item;
	int met;

	(void)fd;
	(void)events;
	memset(&e, 0, sizeof e);
	if (d == NULL || hv_info(xend->hv, r->domid, &d->info) != 0) {
		xerr_set(&e, XE_NO_DOMAIN, "the domain went away while "
		    "ballooning");
		db_balloon_end(xend->db, r->row, "missed", -1, e.msg);
		req_answer(r, NULL, &e);
		req_free(r);
		return;
	}
	have = d->info.mem_kib;
	met = r->target_kib <= r->from_kib ? have <= r->target_kib :
	    have >= r->target_kib;
	if (met) {
		db_balloon_end(xend->db, r->row, "met", now - r->start_ms,
		    NULL);
		domain_event(d, "mem-set", "balloon target %" PRIu64 " KiB "
		    "met in %" PRId64 " ms", r->target_kib, now - r->start_ms);
		hold(d, r->target_kib);
		req_answer(r, result_json(d, r, "met"), NULL);
		req_free(r);
		return;
	}
	if (now >= r->end_ms) {
		xerr_set(&e, XE_LIMIT, "%s missed its balloon deadline of %"
		    PRIu64 " ms: it has %" PRIu64 " MiB, target %" PRIu64
		    " MiB", d->rec.name, r->deadline_ms, have / 1024,
		    r->target_kib / 1024);
		domain_event(d, "balloon-missed", "%s", e.msg);
		snprintf(missed, sizeof missed, "%s", e.msg);
		if ((did = carry_out(r, d, &e)) != NULL)
			xerr_set(&e, XE_LIMIT, "%s; %s (on-miss %s)", missed,
			    did, miss_names[r->policy]);
		else {
			snprintf(why, sizeof why, "%s", e.msg);
			xerr_set(&e, XE_LIMIT, "%s; on-miss %s failed: %s",
			    missed, miss_names[r->policy], why);
		}
		db_balloon_end(xend->db, r->row, "missed", -1, e.msg);
		hvlog_ingest();
		req_answer(r, NULL, &e);
		req_free(r);
		return;
	}
	if (r->peer != NULL && r->progress) {
		total = r->from_kib > r->target_kib ?
		    r->from_kib - r->target_kib : r->target_kib - r->from_kib;
		moved = r->from_kib > r->target_kib ?
		    (have < r->from_kib ? r->from_kib - have : 0) :
		    (have > r->from_kib ? have - r->from_kib : 0);
		item = json_object();
		json_object_set_new(item, "what", json_string("balloon"));
		json_object_set_new(item, "done", json_integer((json_int_t)
		    (moved > total ? total : moved)));
		json_object_set_new(item, "total", json_integer((json_int_t)
		    total));
		peer_progress(r->peer, r->id, item);
	}
}

int
balloon_pending(const struct domain *d)
{
	struct balloon_req *r;

	TAILQ_FOREACH(r, &reqs, entry)
		if (r->rec == d->rec.rec)
			return 1;
	return 0;
}

int
balloon_track(struct domain *d, uint64_t from_kib, uint64_t target_kib,
    uint64_t deadline_ms, enum balloon_miss policy, struct peer *peer,
    int64_t id, int progress)
{
	struct balloon_req *r = xcalloc(1, sizeof *r);
	struct timeval tv = { 0, BALLOON_POLL_MS * 1000 };

	r->rec = d->rec.rec;
	r->domid = d->rec.domid;
	r->from_kib = from_kib;
	r->target_kib = target_kib;
	r->deadline_ms = deadline_ms;
	r->start_ms = now_ms();
	r->end_ms = r->start_ms + (int64_t)deadline_ms;
	r->policy = policy;
	r->row = db_balloon_last_id(xend->db);
	r->peer = peer;
	r->id = id;
	r->progress = progress;
	db_balloon_deadline(xend->db, r->row, deadline_ms,
	    miss_names[policy]);
	r->timer = event_new(xend->base, -1, EV_PERSIST, tick, r);
	TAILQ_INSERT_TAIL(&reqs, r, entry);
	event_add(r->timer, &tv);
	return 0;
}

void
balloon_forget_peer(struct peer *p)
{
	struct balloon_req *r;

	TAILQ_FOREACH(r, &reqs, entry)
		if (r->peer == p)
			r->peer = NULL;
}

/* xend stops: requests still pending are recorded as abandoned. */
void
balloon_free_all(void)
{
	struct balloon_req *r;

	while ((r = TAILQ_FIRST(&reqs)) != NULL) {
		db_balloon_end(xend->db, r->row, "abandoned", -1,
		    "xend stopped before the deadline");
		req_free(r);
	}
}

/*
 * Make room for need_kib: if less is free, lower Domain-0's target by the
 * difference (not below dom0_min_memory).  0 if enough is free or was
 * asked of Domain-0 (the create job then waits for it), else -1 with e
 * set to what the operator can do.
 */
int
balloon_make_room(const char *name, uint64_t need_kib, struct xerr *e)
{
	struct hv_physinfo pi;
	struct domain *d0 = domain_by_name("Domain-0");
	uint64_t short_kib, min_kib = xend->conf.dom0_min_mib * 1024;
	int rc;

	if ((rc = hv_physinfo(xend->hv, &pi)) != 0)
		return xerr_from_hv(e, rc, "reading free memory");
	if (pi.free_kib >= need_kib)
		return 0;
	/* A little more than the gap: the builder's own pages (store and
	 * console rings, rounding) must not make the create fail after all. */
	short_kib = need_kib + BALLOON_SLACK_KIB - pi.free_kib;
	if (xend->conf.autoballoon && d0 != NULL &&
	    hv_info(xend->hv, 0, &d0->info) == 0 &&
	    d0->info.mem_kib >= min_kib + short_kib) {
		if (hv_set_target(xend->hv, 0, d0->info.mem_kib - short_kib)
		    == 0) {
			dom0_lent_kib += short_kib;
			domain_event(d0, "mem-set", "autoballoon: %" PRIu64
			    " KiB to Domain-0 for %s", d0->info.mem_kib -
			    short_kib, name);
			return 0;
		}
		log_warnx("autoballoon: %s", hv_errmsg(xend->hv));
	}
	xerr_set(e, XE_NO_MEMORY, "not enough memory for %s: free %" PRIu64
	    " MiB, asked %" PRIu64 " MiB: lower memory= or mem-set a guest "
	    "down%s", name, pi.free_kib / 1024, need_kib / 1024,
	    xend->conf.autoballoon ? " (autoballoon cannot take Domain-0 "
	    "below dom0_min_memory)" : ", or enable autoballoon");
	return -1;
}

/* After a destroy: give Domain-0 back what autoballoon took, as free
 * memory allows. */
void
balloon_give_back(void)
{
	struct hv_physinfo pi;
	struct domain *d0 = domain_by_name("Domain-0");
	uint64_t give;

	if (dom0_lent_kib == 0 || d0 == NULL ||
	    hv_physinfo(xend->hv, &pi) != 0 ||
	    hv_info(xend->hv, 0, &d0->info) != 0)
		return;
	give = dom0_lent_kib < pi.free_kib ? dom0_lent_kib : pi.free_kib;
	if (give == 0 || d0->info.mem_kib + give > d0->info.maxmem_kib)
		return;
	if (hv_set_target(xend->hv, 0, d0->info.mem_kib + give) != 0) {
		log_warnx("autoballoon: %s", hv_errmsg(xend->hv));
		return;
	}
	dom0_lent_kib -= give;
	domain_event(d0, "mem-set", "autoballoon: %" PRIu64 " KiB back to "
	    "Domain-0", give);
}
