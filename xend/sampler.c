/*
 * sampler.c: the periodic work: refresh the domain table, record one
 * accounting sample per domain, and copy new hypervisor log lines into
 * the database (and on to clients following the log).
 *
 * Log lines are keyed by (hypervisor boot id, sequence number) and stored
 * with INSERT OR IGNORE, so re-reading lines after a restart never
 * duplicates them; a gap in sequence numbers means the ring wrapped
 * before xend read it, and is recorded as an event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "xend.h"

static struct event *ev_sample;
static int64_t last_prune_ms;

/* At most hourly: drop raw samples past the retention period. */
static void
prune(void)
{
	int64_t now = now_ms(), n;

	if (xend->conf.sample_retention_ms == 0 ||
	    now - last_prune_ms < 3600000)
		return;
	last_prune_ms = now;
	n = db_samples_prune(xend->db, now -
	    (int64_t)xend->conf.sample_retention_ms);
	if (n > 0)
		log_info("pruned %lld raw samples older than the retention "
		    "period (hourly roll-ups kept)", (long long)n);
}

struct ingest {
	int64_t	 t;
	json_t	*lines;
	int	 failed;
};

static void
ingest_line(void *arg, uint64_t seq, const char *line)
{
	struct ingest *in = arg;
	json_t *l;

	if (db_hvlog_add(xend->db, xend->boot_id, seq, in->t, line) != 0) {
		in->failed = 1;
		return;
	}
	l = json_object();
	json_object_set_new(l, "seq", json_integer((json_int_t)seq));
	json_object_set_new(l, "t", json_integer(in->t));
	json_object_set_new(l, "line", json_string(line));
	json_array_append_new(in->lines, l);
}

int
hvlog_ingest(void)
{
	struct hv_physinfo pi;
	struct ingest in;
	uint64_t next, lost;
	int rc;

	if (hv_physinfo(xend->hv, &pi) != 0)
		return -1;
	if (strcmp(pi.boot_id, xend->boot_id) != 0) {
		/* The hypervisor rebooted: its sequence numbers restarted. */
		snprintf(xend->boot_id, sizeof xend->boot_id, "%s", pi.boot_id);
		if (db_hvlog_next(xend->db, xend->boot_id, &xend->log_next) != 0)
			return -1;
	}
	in.t = now_seconds();
	in.lines = json_array();
	in.failed = 0;
	if (db_begin(xend->db) != 0) {
		json_decref(in.lines);
		return -1;
	}
	rc = hv_log_read(xend->hv, xend->log_next, ingest_line, &in, &next,
	    &lost);
	if (rc != 0 || in.failed) {
		db_rollback(xend->db);
		json_decref(in.lines);
		if (rc != 0)
			log_warnx("reading hypervisor log: %s",
			    hv_errmsg(xend->hv));
		return -1;
	}
	if (lost > 0)
		db_event_add(xend->db, in.t, 0, 0, "hvlog-lost", lost == 1 ?
		    "1 hypervisor log line was overwritten before xend read "
		    "it" : "hypervisor log lines were overwritten before xend "
		    "read them");
	if (db_commit(xend->db) != 0) {
		json_decref(in.lines);
		return -1;
	}
	if (lost > 0)
		log_warnx("hypervisor log: %" PRIu64 " lines lost to ring "
		    "wrap-around", lost);
	xend->log_next = next;
	if (json_array_size(in.lines) > 0)
		peer_broadcast_log(in.lines);
	json_decref(in.lines);
	return 0;
}

static int
sample_all(void)
{
	struct domain *d;
	struct db_sample s;
	int64_t t = now_ms();

	if (db_begin(xend->db) != 0)
		return -1;
	TAILQ_FOREACH(d, &xend->domains, entry) {
		memset(&s, 0, sizeof s);
		s.rec = d->rec.rec;
		s.domid = d->rec.domid;
		s.t_ms = t;
		s.cpu_ns = d->info.cpu_ns;
		s.mem_kib = d->info.mem_kib;
		s.hypercalls = d->info.counters.hypercalls;
		s.events = d->info.counters.events;
		s.page_faults = d->info.counters.page_faults;
		if (db_sample_add(xend->db, &s) != 0) {
			db_rollback(xend->db);
			return -1;
		}
	}
	return db_commit(xend->db);
}

int
sampler_tick(void)
{
	struct xerr e;
	int rc = 0;

	if (domain_refresh(&e) != 0) {
		log_warnx("sampler: %s", e.msg);
		rc = -1;
	} else if (sample_all() != 0)
		rc = -1;
	if (hvlog_ingest() != 0)
		rc = -1;
	prune();
	return rc;
}

static void
sampler_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	sampler_tick();
}

void
sampler_start(void)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(xend->conf.sample_interval_ms / 1000);
	tv.tv_usec = (suseconds_t)(xend->conf.sample_interval_ms % 1000) * 1000;
	ev_sample = event_new(xend->base, -1, EV_PERSIST, sampler_cb, NULL);
	event_add(ev_sample, &tv);
}

void
sampler_stop(void)
{
	if (ev_sample != NULL)
		event_free(ev_sample);
	ev_sample = NULL;
}
