/*
 * db-hostsave.c: the host_saves table.  When dom0 goes down with
 * on_host_shutdown = "save", each domU saved is a row ("saved"); the next
 * xend restores them and ends each row "restored" or "failed", so a
 * domain is brought back once, never twice.  A handful of rows per host
 * shutdown: statements are prepared per call.
 */
#include <stdint.h>

#include "db-priv.h"

int64_t
db_hostsave_add(struct db *db, const char *name, const char *path, int64_t t)
{
	sqlite3 *h = db_sqlite(db);
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h, "INSERT INTO host_saves (name, path, t,"
	    " state) VALUES (?, ?, ?, 'saved')", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "host_saves insert");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, t);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, "host_saves insert");
	return sqlite3_last_insert_rowid(h);
}

int
db_hostsave_pending(struct db *db, void (*fn)(void *, int64_t, const char *,
    const char *), void *arg)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_sqlite(db), "SELECT id, name, path FROM"
	    " host_saves WHERE state = 'saved' ORDER BY id", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "host_saves query");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "host_saves query");
}

int
db_hostsave_end(struct db *db, int64_t id, const char *state, int64_t t,
    const char *message)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db_sqlite(db), "UPDATE host_saves SET state = ?,"
	    " ended = ?, message = ? WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(db, "host_saves update");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, t);
	if (message != NULL)
		sqlite3_bind_text(st, 3, message, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "host_saves update");
}
