/*
 * test-db.c: the database layer against a real sqlite file in a private
 * temporary directory: migrations from empty and from an older schema,
 * WAL mode, data surviving a close and reopen, log lines not duplicated,
 * and report arithmetic.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db.h"
#include "xmalloc.h"

static char dir[] = "/tmp/xend-test-db.XXXXXX";

static void
count_line(void *arg, uint64_t seq, int64_t t, const char *line)
{
	(void)seq;
	(void)t;
	(void)line;
	(*(int *)arg)++;
}

static void
last_seq(void *arg, uint64_t seq, int64_t t, const char *line)
{
	(void)t;
	(void)line;
	*(uint64_t *)arg = seq;
}

struct rep {
	int n;
	double cpu;
	double avg;
	uint64_t peak, samples;
	int alive;
};

static void
report_row(void *arg, const struct db_report_row *r)
{
	struct rep *rp = arg;

	rp->n++;
	if (strcmp(r->name, "web") == 0) {
		rp->cpu = r->cpu_seconds;
		rp->avg = r->mem_avg_kib;
		rp->peak = r->mem_peak_kib;
		rp->samples = r->samples;
		rp->alive = r->alive;
	}
}

static void
report_long(void *arg, const struct db_report_row *r)
{
	struct rep *rp = arg;

	if (strcmp(r->name, "long") != 0)
		return;
	rp->n++;
	rp->cpu = r->cpu_seconds;
	rp->avg = r->mem_avg_kib;
	rp->peak = r->mem_peak_kib;
	rp->samples = r->samples;
}

int
main(void)
{
	char path[256], mode[16], *cause = NULL;
	struct db *db;
	struct db_domain d, *alive;
	struct db_sample s;
	struct rep rp;
	size_t n;
	uint64_t next, seq;
	int lines, i;

	if (mkdtemp(dir) == NULL) {
		printf("FAIL: db: mkdtemp\n");
		return 1;
	}
	snprintf(path, sizeof path, "%s/xend.db", dir);

	/* An older schema first, then the upgrade to the current one. */
	db = db_open_upto(path, 1, &cause);
	CHECK("db: create at schema 1", db != NULL && db_schema_version(db)
	    == 1);
	db_close(db);
	db = db_open(path, &cause);
	CHECK("db: migrates schema 1 to current", db != NULL &&
	    db_schema_version(db) == DB_SCHEMA_VERSION);
	if (db == NULL) {
		printf("# %s\n", cause);
		return 1;
	}
	CHECK("db: WAL journal mode", db_journal_mode(db, mode, sizeof mode)
	    == 0 && strcmp(mode, "wal") == 0);
	/* 2 is FULL: a commit is on disk before it returns (docs/xend.md). */
	CHECK("db: synchronous = FULL", db_synchronous(db) == 2);
	{
		struct db_intent in, *v;
		size_t k;

		memset(&in, 0, sizeof in);
		in.op = "save";
		in.step = "begun";
		in.rec = 7;
		snprintf(in.uuid, sizeof in.uuid, "u");
		in.path = "/tmp/x";
		in.arg = 3;
		CHECK("db: intent recorded", db_intent_add(db, &in) == 0 &&
		    in.id > 0);
		CHECK("db: intent step", db_intent_step(db, in.id, "written")
		    == 0);
		CHECK("db: intent read back", db_intents(db, &v, &k) == 0 &&
		    k == 1 && strcmp(v[0].op, "save") == 0 &&
		    strcmp(v[0].step, "written") == 0 && v[0].rec == 7 &&
		    strcmp(v[0].path, "/tmp/x") == 0 && v[0].arg == 3 &&
		    v[0].name == NULL);
		db_intents_free(v, k);
		CHECK("db: intent ended", db_intent_end(db, in.id) == 0 &&
		    db_intents(db, &v, &k) == 0 && k == 0);
		db_intents_free(v, k);
	}

	memset(&d, 0, sizeof d);
	d.name = "web";
	d.domid = 3;
	strcpy(d.uuid, "11111111-2222-4333-8444-555555555555");
	d.config = "name = \"web\"\n";
	d.config_path = "/etc/xen/web.cfg";
	d.created = 1000;
	CHECK("db: add domain record", db_domain_add(db, &d) == 0 && d.rec > 0);
	CHECK("db: second live domain with same name refused",
	    db_domain_add(db, &d) == -1);

	for (i = 0; i < 10; i++) {
		memset(&s, 0, sizeof s);
		s.rec = d.rec;
		s.domid = 3;
		s.t_ms = 1000000 + i * 1000;
		s.cpu_ns = (uint64_t)i * 500000000;	/* 0.5 s per sample */
		s.mem_kib = i < 5 ? 1000 : 3000;
		CHECK(i == 0 ? "db: add sample" : "db: add more samples",
		    db_sample_add(db, &s) == 0);
	}
	CHECK("db: hvlog add", db_hvlog_add(db, "boot1", 0, 1, "zero") == 0 &&
	    db_hvlog_add(db, "boot1", 1, 1, "one") == 0 &&
	    db_hvlog_add(db, "boot1", 2, 1, "two") == 0);
	CHECK("db: hvlog duplicate is ignored", db_hvlog_add(db, "boot1", 1,
	    1, "one again") == 0 && db_count(db, "hvlog") == 3);
	CHECK("db: balloon request recorded", db_balloon_add(db, d.rec, 3, 5,
	    1024, 2048, "done", NULL) == 0 && db_count(db, "balloon") == 1);
	CHECK("db: event recorded", db_event_add(db, 5, d.rec, 3, "created",
	    "created") == 0 && db_count(db, "events") == 1);
	db_close(db);

	/* Restart: everything must still be there. */
	db = db_open(path, &cause);
	CHECK("db: reopens", db != NULL);
	if (db == NULL)
		return 1;
	CHECK("db: schema not re-migrated", db_schema_version(db) ==
	    DB_SCHEMA_VERSION);
	CHECK("db: live record survives restart", db_domains_alive(db, &alive,
	    &n) == 0 && n == 1 && strcmp(alive[0].name, "web") == 0 &&
	    alive[0].domid == 3 && strcmp(alive[0].config, d.config) == 0 &&
	    strcmp(alive[0].uuid, d.uuid) == 0);
	db_domains_free(alive, n);
	CHECK("db: samples survive restart", db_count(db, "samples") == 10);
	CHECK("db: hvlog next after restart", db_hvlog_next(db, "boot1",
	    &next) == 0 && next == 3);
	CHECK("db: hvlog next of unknown boot is 0", db_hvlog_next(db,
	    "other", &next) == 0 && next == 0);
	lines = 0;
	CHECK("db: hvlog from seq 1", db_hvlog_query(db, "boot1", 1, 0, 100,
	    count_line, &lines) == 0 && lines == 2);
	seq = 99;
	lines = 0;
	CHECK("db: hvlog tail 1 is the newest", db_hvlog_query(db, "boot1", 0,
	    1, 1, last_seq, &seq) == 0 && seq == 2);

	memset(&rp, 0, sizeof rp);
	CHECK("db: report runs", db_report(db, 1000000, 1010000, report_row,
	    &rp) == 0 && rp.n == 1);
	CHECK("db: report CPU seconds", rp.cpu > 4.49 && rp.cpu < 4.51);
	CHECK("db: report average memory", rp.avg > 1999.9 && rp.avg < 2000.1);
	CHECK("db: report peak memory", rp.peak == 3000);
	CHECK("db: report sample count", rp.samples == 10 && rp.alive == 1);
	memset(&rp, 0, sizeof rp);
	CHECK("db: report range excludes samples", db_report(db, 1005000,
	    1007000, report_row, &rp) == 0 && rp.samples == 2 &&
	    rp.cpu > 0.49 && rp.cpu < 0.51);
	memset(&rp, 0, sizeof rp);
	CHECK("db: empty range has no rows", db_report(db, 0, 1000, report_row,
	    &rp) == 0 && rp.n == 0);

	/*
	 * A range with whole hours (from the roll-up) and ragged ends (from
	 * raw samples) must give what the raw samples alone would.
	 */
	{
		struct db_domain l;
		int64_t t0 = INT64_C(3600000) * 500;
		memset(&l, 0, sizeof l);
		l.name = "long";
		l.domid = 9;
		strcpy(l.uuid, "x");
		l.created = 1;
		db_domain_add(db, &l);
		for (i = 0; i < 30; i++) {
			memset(&s, 0, sizeof s);
			s.rec = l.rec;
			s.domid = 9;
			s.t_ms = t0 + (int64_t)i * 600000;	/* every 10 min */
			s.cpu_ns = (uint64_t)i * 1000000000;
			s.mem_kib = 1000 + (uint64_t)i;
			db_sample_add(db, &s);
		}
		CHECK("db: roll-up has one row per hour", db_count(db,
		    "samples_hourly") == 1 + 5);
		memset(&rp, 0, sizeof rp);
		/* [t0+15min, t0+4h35min): samples 2..27 */
		CHECK("db: report across whole hours runs", db_report(db,
		    t0 + 15 * 60000, t0 + 275 * 60000, report_long, &rp) == 0);
		CHECK("db: roll-up report sample count", rp.samples == 26);
		CHECK("db: roll-up report CPU seconds", rp.cpu > 24.99 &&
		    rp.cpu < 25.01);
		CHECK("db: roll-up report average memory", rp.avg > 1014.49 &&
		    rp.avg < 1014.51);
		CHECK("db: roll-up report peak memory", rp.peak == 1027);
		memset(&rp, 0, sizeof rp);
		CHECK("db: report inside one hour", db_report(db, t0 + 60000,
		    t0 + 25 * 60000, report_long, &rp) == 0 &&
		    rp.samples == 2 && rp.peak == 1002);
		CHECK("db: duplicate sample instant ignored", db_sample_add(db,
		    &s) == 0 && db_count(db, "samples_hourly") == 6);

		/* Retention: raw samples go, roll-ups stay. */
		int64_t before = db_count(db, "samples");
		CHECK("db: prune removes only older raw samples (18 + web's 10)",
		    db_samples_prune(db, t0 + 3 * 3600000) == 18 + 10 &&
		    db_count(db, "samples") == before - 28);
		CHECK("db: prune keeps the hourly roll-ups",
		    db_count(db, "samples_hourly") == 6);
		memset(&rp, 0, sizeof rp);
		CHECK("db: whole hours still reported after prune",
		    db_report(db, t0, t0 + 3 * 3600000, report_long, &rp) == 0
		    && rp.samples == 18 && rp.peak == 1017);
	}

	CHECK("db: mark domain gone", db_domain_gone(db, d.rec, 2000) == 0 &&
	    db_domains_alive(db, &alive, &n) == 0 && n == 1 &&
	    strcmp(alive[0].name, "long") == 0);
	db_domains_free(alive, n);
	CHECK("db: name reusable after destroy", db_domain_add(db, &d) == 0);
	CHECK("db: unknown table count refused", db_count(db, "sqlite_master")
	    == -1);
	db_close(db);

	/* A database from the future is refused, not damaged. */
	{
		char cmd[512];
		snprintf(cmd, sizeof cmd, "sqlite3 %s 'UPDATE schema_version "
		    "SET version = 99' 2>/dev/null", path);
		if (system(cmd) == 0) {
			db = db_open(path, &cause);
			CHECK("db: newer schema refused", db == NULL &&
			    strstr(cause, "newer") != NULL);
			free(cause);
			db_close(db);
		}
	}
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		printf("# could not remove %s\n", dir);
	return check_exit();
}
