/*
 * sampler.c: the periodic work: refresh the domain table, record one
 * accounting sample per domain, and ingest new hypervisor log lines
 * (hvlog.c).
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
