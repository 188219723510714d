/*
 * db-series.c: time series for charts (the "series" command, the web
 * console and `xenctl report --chart`): one domain's samples and balloon
 * requests over a time range, looked up by name so that every
 * incarnation of the domain (restarts, restores) is on one chart.  A
 * range holding more samples than the chart has points is thinned in SQL
 * into equal time buckets, so a month's chart does not ship every
 * sample.  Statements are prepared per call: charts are drawn rarely.
 */
#include <stdint.h>

#include "db-priv.h"

int
db_series(struct db *db, const char *name, int64_t since_ms,
    int64_t until_ms, int64_t bucket_ms, db_series_cb cb, void *arg)
{
	sqlite3_stmt *st;
	struct db_series_point p;
	int rc;

	if (bucket_ms < 1)
		bucket_ms = 1;
	/* Per bucket: its last time and CPU counter (the counter only
	 * grows within a record) and its mean memory. */
	if (sqlite3_prepare_v2(db_sqlite(db), "SELECT s.rec, MAX(s.t),"
	    " MAX(s.cpu_ns), AVG(s.mem_kib) FROM samples s"
	    " JOIN domains d ON d.rec = s.rec"
	    " WHERE d.name = ? AND s.t >= ? AND s.t < ?"
	    " GROUP BY s.rec, (s.t - ?) / ? ORDER BY MAX(s.t)", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(db, "series query");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int64(st, 3, until_ms);
	sqlite3_bind_int64(st, 4, since_ms);
	sqlite3_bind_int64(st, 5, bucket_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p.rec = sqlite3_column_int64(st, 0);
		p.t_ms = sqlite3_column_int64(st, 1);
		p.cpu_ns = (uint64_t)sqlite3_column_int64(st, 2);
		p.mem_kib = sqlite3_column_double(st, 3);
		cb(arg, &p);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "series query");
}

int
db_balloon_list(struct db *db, const char *name, int64_t since_ms,
    int64_t until_ms, db_balloon_cb cb, void *arg)
{
	sqlite3_stmt *st;
	struct db_balloon_row r;
	int rc;

	/* Balloon times are Unix seconds (db_balloon_add). */
	if (sqlite3_prepare_v2(db_sqlite(db), "SELECT b.t, b.from_kib,"
	    " b.target_kib, b.outcome, b.deadline_ms, b.comply_ms"
	    " FROM balloon b JOIN domains d ON d.rec = b.rec"
	    " WHERE d.name = ? AND b.t * 1000 >= ? AND b.t * 1000 < ?"
	    " ORDER BY b.t, b.id LIMIT 10000", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "balloon query");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, since_ms);
	sqlite3_bind_int64(st, 3, until_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.t = sqlite3_column_int64(st, 0);
		r.from_kib = (uint64_t)sqlite3_column_int64(st, 1);
		r.target_kib = (uint64_t)sqlite3_column_int64(st, 2);
		r.outcome = (const char *)sqlite3_column_text(st, 3);
		r.deadline_ms = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 4);
		r.comply_ms = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 5);
		cb(arg, &r);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "balloon query");
}
