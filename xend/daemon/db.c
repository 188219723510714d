/*
 * db.c: the SQL statements xend runs (migrations in db-schema.c).
 *
 * The database is SQLite in WAL mode, so report queries never block the
 * sampler's writes.  schema_version holds one row; migrations[] is an
 * ordered list and db_open applies the ones past the stored version, each
 * in its own transaction, so a crash mid-upgrade leaves a consistent,
 * older schema that the next start finishes upgrading.  Statements are
 * prepared once and cached.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"
#include "db-priv.h"
#include "log.h"
#include "xmalloc.h"


enum stmt_id {
	S_DOM_ADD, S_DOM_GONE, S_DOM_SET, S_DOM_HANDLED, S_DOM_SCHED, S_DOM_ALIVE,
	S_SAMPLE_ADD, S_HOURLY_ADD, S_PRUNE, S_REPORT,
	S_LOG_ADD, S_LOG_NEXT, S_LOG_FROM, S_LOG_TAIL, S_BALLOON_ADD,
	S_EVENT_ADD, S_BALLOON_DEADLINE, S_BALLOON_END, S_BALLOON_STATS,
	S_BALLOON_TIMES, S_COUNT
};

static const char *stmt_sql[S_COUNT] = {
	[S_DOM_ADD] = "INSERT INTO domains (name, domid, uuid, config,"
	    " config_path, created) VALUES (?, ?, ?, ?, ?, ?)",
	[S_DOM_GONE] = "UPDATE domains SET destroyed = ? WHERE rec = ?"
	    " AND destroyed IS NULL",
	[S_DOM_SET] = "UPDATE domains SET name = ?, domid = ? WHERE rec = ?",
	[S_DOM_HANDLED] = "UPDATE domains SET shutdown_handled = 1"
	    " WHERE rec = ?",
	[S_DOM_SCHED] = "UPDATE domains SET sched = ? WHERE rec = ?",
	[S_DOM_ALIVE] = "SELECT rec, name, domid, uuid, config, config_path,"
	    " created, shutdown_handled FROM domains WHERE destroyed IS NULL ORDER BY domid",
	[S_SAMPLE_ADD] = "INSERT OR IGNORE INTO samples (rec, t, domid,"
	    " cpu_ns, mem_kib, hypercalls, events, page_faults)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[S_PRUNE] = "DELETE FROM samples WHERE t < ?",
	[S_HOURLY_ADD] = "INSERT INTO samples_hourly (rec, hour, n, mem_sum,"
	    " mem_max, cpu_min, cpu_max, t_min, t_max)"
	    " VALUES (?1, ?2 / 3600000, 1, ?3, ?3, ?4, ?4, ?2, ?2)"
	    " ON CONFLICT (rec, hour) DO UPDATE SET n = n + 1,"
	    " mem_sum = mem_sum + excluded.mem_sum,"
	    " mem_max = MAX(mem_max, excluded.mem_max),"
	    " cpu_min = MIN(cpu_min, excluded.cpu_min),"
	    " cpu_max = MAX(cpu_max, excluded.cpu_max),"
	    " t_min = MIN(t_min, excluded.t_min),"
	    " t_max = MAX(t_max, excluded.t_max)",
	/*
	 * ?1..?2: the range; ?3..?4: the whole hours inside it (in hours);
	 * ?5..?6: the same in ms.  Whole hours come from the roll-up, the
	 * ragged ends from raw samples.
	 */
	[S_REPORT] = "WITH parts AS ("
	    " SELECT rec, n, mem_sum, mem_max, cpu_min, cpu_max, t_min, t_max"
	    "  FROM samples_hourly WHERE hour >= ?3 AND hour < ?4"
	    " UNION ALL"
	    " SELECT rec, 1, mem_kib, mem_kib, cpu_ns, cpu_ns, t, t"
	    "  FROM samples WHERE t >= ?1 AND t < ?5"
	    " UNION ALL"
	    " SELECT rec, 1, mem_kib, mem_kib, cpu_ns, cpu_ns, t, t"
	    "  FROM samples WHERE t >= ?6 AND t < ?2)"
	    " SELECT d.rec, d.name, d.domid, d.destroyed IS NULL, SUM(p.n),"
	    "  MIN(p.cpu_min), MAX(p.cpu_max), SUM(p.mem_sum) * 1.0 / SUM(p.n),"
	    "  MAX(p.mem_max), MIN(p.t_min), MAX(p.t_max)"
	    " FROM parts p JOIN domains d ON d.rec = p.rec"
	    " GROUP BY p.rec ORDER BY d.domid, d.rec",
	[S_LOG_ADD] = "INSERT OR IGNORE INTO hvlog (boot, seq, t, line)"
	    " VALUES (?, ?, ?, ?)",
	[S_LOG_NEXT] = "SELECT MAX(seq) FROM hvlog WHERE boot = ?",
	[S_LOG_FROM] = "SELECT seq, t, line FROM hvlog WHERE boot = ?"
	    " AND seq >= ? ORDER BY seq LIMIT ?",
	[S_LOG_TAIL] = "SELECT seq, t, line FROM (SELECT seq, t, line FROM"
	    " hvlog WHERE boot = ? AND seq >= ? ORDER BY seq DESC LIMIT ?)"
	    " ORDER BY seq",
	[S_BALLOON_ADD] = "INSERT INTO balloon (rec, domid, t, from_kib,"
	    " target_kib, outcome, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_EVENT_ADD] = "INSERT INTO events (t, rec, domid, kind, message)"
	    " VALUES (?, ?, ?, ?, ?)",
	[S_BALLOON_DEADLINE] = "UPDATE balloon SET deadline_ms = ?,"
	    " on_miss = ? WHERE id = ?",
	[S_BALLOON_END] = "UPDATE balloon SET outcome = ?, comply_ms = ?,"
	    " message = ? WHERE id = ?",
	[S_BALLOON_STATS] = "SELECT COUNT(*), SUM(outcome = 'met'),"
	    " SUM(outcome = 'missed') FROM balloon WHERE rec = ?"
	    " AND t * 1000 >= ? AND t * 1000 < ?",
	[S_BALLOON_TIMES] = "SELECT comply_ms FROM balloon WHERE rec = ?"
	    " AND t * 1000 >= ? AND t * 1000 < ? AND outcome = 'met'"
	    " ORDER BY comply_ms",
};

struct db {
	sqlite3		*h;
	sqlite3_stmt	*stmt[S_COUNT];
	char		 err[512];
};

int
db_fail(struct db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what, sqlite3_errmsg(db->h));
	log_warnx("database: %s", db->err);
	return -1;
}

/* For db-*.c, whose rare statements are prepared per call (db-priv.h). */
sqlite3 *
db_sqlite(struct db *db)
{
	return db->h;
}

sqlite3_stmt *
db_prep(struct db *db, const char *sql, const char *what)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, what);
		return NULL;
	}
	return st;
}

int
db_run(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

const char *
db_errmsg(struct db *db)
{
	return db->err;
}

static int
exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_schema_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->h, "SELECT version FROM schema_version",
	    -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
migrate(struct db *db, int target)
{
	int v, latest = (int)db_migrations_count;
	char sql[128];

	if (exec(db, "CREATE TABLE IF NOT EXISTS schema_version"
	    " (version INTEGER NOT NULL);"
	    "INSERT INTO schema_version SELECT 0"
	    " WHERE NOT EXISTS (SELECT 1 FROM schema_version);") != 0)
		return -1;
	if ((v = db_schema_version(db)) < 0)
		return -1;
	if (v > latest) {
		snprintf(db->err, sizeof db->err, "database schema version %d "
		    "is newer than this xend understands (%d); use a newer "
		    "xend", v, latest);
		return -1;
	}
	for (; v < target; v++) {
		if (exec(db, "BEGIN IMMEDIATE") != 0)
			return -1;
		snprintf(sql, sizeof sql, "UPDATE schema_version SET "
		    "version = %d", v + 1);
		if (exec(db, db_migrations[v]) != 0 || exec(db, sql) != 0) {
			char keep[512];
			memcpy(keep, db->err, sizeof keep);
			exec(db, "ROLLBACK");
			snprintf(db->err, sizeof db->err, "migration to schema "
			    "%d failed: %.400s", v + 1, keep);
			return -1;
		}
		if (exec(db, "COMMIT") != 0)
			return -1;
		log_debug("database: migrated to schema %d", v + 1);
	}
	return 0;
}

struct db *
db_open(const char *path, char **cause)
{
	return db_open_upto(path, DB_SCHEMA_VERSION, cause);
}

struct db *
db_open_upto(const char *path, int upto, char **cause)
{
	struct db *db = xcalloc(1, sizeof *db);
	char mode[16];
	int i;

	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot open database %s: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if (exec(db, "PRAGMA journal_mode = WAL") != 0 ||
	    db_journal_mode(db, mode, sizeof mode) != 0 ||
	    strcmp(mode, "wal") != 0) {
		xasprintf(cause, "database %s: cannot enable WAL mode", path);
		goto fail;
	}
	/* FULL: COMMIT returns after the WAL is fsynced, so what xend
	 * committed (and told a client) survives power loss, not only a
	 * crash; one fsync a transaction (docs/xend.md "Durability"). */
	if (exec(db, "PRAGMA synchronous = FULL") != 0 ||
	    exec(db, "PRAGMA foreign_keys = ON") != 0 ||
	    migrate(db, upto) != 0) {
		xasprintf(cause, "database %s: %s", path, db->err);
		goto fail;
	}
	/* An older schema is for upgrade tests: no statements fit it. */
	if (upto < DB_SCHEMA_VERSION)
		return db;
	for (i = 0; i < S_COUNT; i++) {
		if (sqlite3_prepare_v3(db->h, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &db->stmt[i], NULL) !=
		    SQLITE_OK) {
			xasprintf(cause, "database %s: preparing statement %d: "
			    "%s", path, i, sqlite3_errmsg(db->h));
			goto fail;
		}
	}
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(db->stmt[i]);
	sqlite3_close(db->h);
	free(db);
}

int
db_journal_mode(struct db *db, char *buf, size_t len)
{
	sqlite3_stmt *st;
	int rc = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA journal_mode", -1, &st, NULL)
	    != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
db_begin(struct db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

int
db_commit(struct db *db)
{
	return exec(db, "COMMIT");
}

int
db_rollback(struct db *db)
{
	return exec(db, "ROLLBACK");
}

/* Reset a cached statement before binding it again. */
static sqlite3_stmt *
use(struct db *db, enum stmt_id id)
{
	sqlite3_stmt *st = db->stmt[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int
step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, what);
	return 0;
}

int
db_domain_add(struct db *db, struct db_domain *d)
{
	sqlite3_stmt *st = use(db, S_DOM_ADD);

	sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, d->domid);
	sqlite3_bind_text(st, 3, d->uuid, -1, SQLITE_STATIC);
	if (d->config != NULL)
		sqlite3_bind_text(st, 4, d->config, -1, SQLITE_STATIC);
	if (d->config_path != NULL)
		sqlite3_bind_text(st, 5, d->config_path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, d->created);
	if (step_done(db, st, "adding domain record") != 0)
		return -1;
	d->rec = sqlite3_last_insert_rowid(db->h);
	return 0;
}

int
db_domain_gone(struct db *db, int64_t rec, int64_t t)
{
	sqlite3_stmt *st = use(db, S_DOM_GONE);

	sqlite3_bind_int64(st, 1, t);
	sqlite3_bind_int64(st, 2, rec);
	return step_done(db, st, "marking domain destroyed");
}

int
db_domain_set(struct db *db, int64_t rec, const char *name, uint32_t domid)
{
	sqlite3_stmt *st = use(db, S_DOM_SET);

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, domid);
	sqlite3_bind_int64(st, 3, rec);
	return step_done(db, st, "updating domain record");
}

int
db_domain_handled(struct db *db, int64_t rec)
{
	sqlite3_stmt *st = use(db, S_DOM_HANDLED);

	sqlite3_bind_int64(st, 1, rec);
	return step_done(db, st, "marking shutdown handled");
}

int
db_domain_sched(struct db *db, int64_t rec, const char *sched)
{
	sqlite3_stmt *st = use(db, S_DOM_SCHED);

	sqlite3_bind_text(st, 1, sched, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rec);
	return step_done(db, st, "recording scheduler settings");
}

static char *
column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

int
db_domains_alive(struct db *db, struct db_domain **out, size_t *n)
{
	sqlite3_stmt *st = use(db, S_DOM_ALIVE);
	struct db_domain *v = NULL, *d;
	size_t k = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, k + 1, sizeof *v);
		d = &v[k++];
		memset(d, 0, sizeof *d);
		d->rec = sqlite3_column_int64(st, 0);
		d->name = column_dup(st, 1);
		d->domid = (uint32_t)sqlite3_column_int64(st, 2);
		snprintf(d->uuid, sizeof d->uuid, "%s",
		    (const char *)sqlite3_column_text(st, 3));
		d->config = column_dup(st, 4);
		d->config_path = column_dup(st, 5);
		d->created = sqlite3_column_int64(st, 6);
		d->shutdown_handled = sqlite3_column_int(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_domains_free(v, k);
		return db_fail(db, "listing domain records");
	}
	*out = v;
	*n = k;
	return 0;
}

void
db_domain_free(struct db_domain *d)
{
	free(d->name);
	free(d->config);
	free(d->config_path);
	memset(d, 0, sizeof *d);
}

void
db_domains_free(struct db_domain *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		db_domain_free(&v[i]);
	free(v);
}

int
db_sample_add(struct db *db, const struct db_sample *s)
{
	sqlite3_stmt *st = use(db, S_SAMPLE_ADD);

	sqlite3_bind_int64(st, 1, s->rec);
	sqlite3_bind_int64(st, 2, s->t_ms);
	sqlite3_bind_int64(st, 3, s->domid);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->cpu_ns);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)s->mem_kib);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)s->hypercalls);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)s->events);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)s->page_faults);
	if (step_done(db, st, "adding sample") != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;	/* same instant twice: keep the roll-up exact */
	st = use(db, S_HOURLY_ADD);
	sqlite3_bind_int64(st, 1, s->rec);
	sqlite3_bind_int64(st, 2, s->t_ms);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)s->mem_kib);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->cpu_ns);
	return step_done(db, st, "rolling up sample");
}

int64_t
db_samples_prune(struct db *db, int64_t before_ms)
{
	sqlite3_stmt *st = use(db, S_PRUNE);

	sqlite3_bind_int64(st, 1, before_ms);
	if (step_done(db, st, "pruning old samples") != 0)
		return -1;
	return sqlite3_changes64(db->h);
}

int
db_report(struct db *db, int64_t since_ms, int64_t until_ms, db_report_cb cb,
    void *arg)
{
	sqlite3_stmt *st = use(db, S_REPORT);
	struct db_report_row r;
	int64_t h_lo, h_hi, lo_ms, hi_ms;
	int rc;

	if (since_ms < 0 || until_ms <= since_ms)
		return 0;
	h_lo = (since_ms + 3599999) / 3600000;
	h_hi = until_ms / 3600000;
	if (h_lo < h_hi) {
		lo_ms = h_lo * 3600000;
		hi_ms = h_hi * 3600000;
	} else {
		/* No whole hour inside: everything from raw samples. */
		lo_ms = hi_ms = until_ms;
		h_lo = h_hi = 0;
	}
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	sqlite3_bind_int64(st, 3, h_lo);
	sqlite3_bind_int64(st, 4, h_hi);
	sqlite3_bind_int64(st, 5, lo_ms);
	sqlite3_bind_int64(st, 6, hi_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.rec = sqlite3_column_int64(st, 0);
		r.name = (const char *)sqlite3_column_text(st, 1);
		r.domid = (uint32_t)sqlite3_column_int64(st, 2);
		r.alive = sqlite3_column_int(st, 3);
		r.samples = (uint64_t)sqlite3_column_int64(st, 4);
		r.cpu_seconds = (double)(sqlite3_column_int64(st, 6) -
		    sqlite3_column_int64(st, 5)) / 1e9;
		r.mem_avg_kib = sqlite3_column_double(st, 7);
		r.mem_peak_kib = (uint64_t)sqlite3_column_int64(st, 8);
		r.first_ms = sqlite3_column_int64(st, 9);
		r.last_ms = sqlite3_column_int64(st, 10);
		cb(arg, &r);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "building report");
	return 0;
}

int
db_hvlog_add(struct db *db, const char *boot, uint64_t seq, int64_t t,
    const char *line)
{
	sqlite3_stmt *st = use(db, S_LOG_ADD);

	sqlite3_bind_text(st, 1, boot, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 3, t);
	sqlite3_bind_text(st, 4, line, -1, SQLITE_STATIC);
	return step_done(db, st, "storing hypervisor log line");
}

int
db_hvlog_next(struct db *db, const char *boot, uint64_t *next)
{
	sqlite3_stmt *st = use(db, S_LOG_NEXT);
	int rc;

	sqlite3_bind_text(st, 1, boot, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, "reading log position");
	}
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		*next = 0;
	else
		*next = (uint64_t)sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	return 0;
}

int
db_hvlog_query(struct db *db, const char *boot, uint64_t from, int tail,
    uint64_t limit, db_log_cb cb, void *arg)
{
	sqlite3_stmt *st = use(db, tail ? S_LOG_TAIL : S_LOG_FROM);
	int rc;

	if (limit > INT64_MAX)
		limit = INT64_MAX;
	sqlite3_bind_text(st, 1, boot, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cb(arg, (uint64_t)sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "reading hypervisor log");
	return 0;
}

int
db_balloon_add(struct db *db, int64_t rec, uint32_t domid, int64_t t,
    uint64_t from_kib, uint64_t target_kib, const char *outcome,
    const char *message)
{
	sqlite3_stmt *st = use(db, S_BALLOON_ADD);

	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_int64(st, 2, domid);
	sqlite3_bind_int64(st, 3, t);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)from_kib);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)target_kib);
	sqlite3_bind_text(st, 6, outcome, -1, SQLITE_STATIC);
	if (message != NULL)
		sqlite3_bind_text(st, 7, message, -1, SQLITE_STATIC);
	return step_done(db, st, "recording balloon request");
}

int64_t
db_balloon_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int
db_balloon_deadline(struct db *db, int64_t id, uint64_t deadline_ms,
    const char *on_miss)
{
	sqlite3_stmt *st = use(db, S_BALLOON_DEADLINE);

	sqlite3_bind_int64(st, 1, (sqlite3_int64)deadline_ms);
	sqlite3_bind_text(st, 2, on_miss, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	return step_done(db, st, "recording balloon deadline");
}

int
db_balloon_end(struct db *db, int64_t id, const char *outcome,
    int64_t comply_ms, const char *message)
{
	sqlite3_stmt *st = use(db, S_BALLOON_END);

	sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
	if (comply_ms >= 0)
		sqlite3_bind_int64(st, 2, comply_ms);
	if (message != NULL)
		sqlite3_bind_text(st, 3, message, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, id);
	return step_done(db, st, "recording balloon outcome");
}

int
db_balloon_stats(struct db *db, int64_t rec, int64_t since_ms,
    int64_t until_ms, struct db_balloon_stats *bs)
{
	sqlite3_stmt *st = use(db, S_BALLOON_STATS);
	int64_t *times = NULL;
	size_t n = 0;
	int rc;

	memset(bs, 0, sizeof *bs);
	bs->median_ms = -1;
	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int64(st, 3, until_ms);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bs->requests = (uint64_t)sqlite3_column_int64(st, 0);
		bs->met = (uint64_t)sqlite3_column_int64(st, 1);
		bs->missed = (uint64_t)sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "counting balloon requests");
	st = use(db, S_BALLOON_TIMES);
	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int64(st, 3, until_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		times = xreallocarray(times, n + 1, sizeof *times);
		times[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(times);
		return db_fail(db, "reading balloon times");
	}
	/* The median of the sorted times (the lower middle if even). */
	if (n > 0)
		bs->median_ms = times[(n - 1) / 2];
	free(times);
	return 0;
}

int
db_event_add(struct db *db, int64_t t, int64_t rec, uint32_t domid,
    const char *kind, const char *message)
{
	sqlite3_stmt *st = use(db, S_EVENT_ADD);

	sqlite3_bind_int64(st, 1, t);
	if (rec > 0)
		sqlite3_bind_int64(st, 2, rec);
	sqlite3_bind_int64(st, 3, domid);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, message, -1, SQLITE_STATIC);
	return step_done(db, st, "recording event");
}

int64_t
db_count(struct db *db, const char *table)
{
	static const char *tables[] = { "domains", "samples", "hvlog",
	    "balloon", "events", "samples_hourly" };
	char sql[64];
	sqlite3_stmt *st;
	int64_t n = -1;
	size_t i;

	/* Only fixed names reach the SQL text. */
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (strcmp(table, tables[i]) == 0)
			break;
	if (i == sizeof tables / sizeof tables[0])
		return -1;
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", tables[i]);
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
