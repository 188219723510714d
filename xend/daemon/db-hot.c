/*
 * db-hot.c: the hot_devices table (db.h, struct db_hot): the disks and
 * vifs attached to a running domain, so a reboot's restart and a restore
 * give the new domain what the old one had, not only its config's.
 * Attaches are rare, so statements are prepared per call.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db-priv.h"
#include "xmalloc.h"

int
db_hot_add(struct db *db, int64_t rec, const char *kind, const char *key,
    const char *spec, int64_t t)
{
	/* REPLACE: an entry for the same vdev or MAC left by a forced
	 * detach that could not be recorded is superseded, not an error. */
	sqlite3_stmt *st = db_prep(db, "INSERT OR REPLACE INTO hot_devices"
	    " (rec, kind, key, spec, t) VALUES (?, ?, ?, ?, ?)",
	    "preparing a hot_devices statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, spec, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, t);
	return db_run(db, st, "recording a hot-attached device");
}

int
db_hot_del(struct db *db, int64_t rec, const char *kind, const char *key)
{
	/* MACs are compared without case: xenctl may name one in either. */
	sqlite3_stmt *st = db_prep(db, "DELETE FROM hot_devices WHERE rec = ?"
	    " AND kind = ? AND key = ? COLLATE NOCASE",
	    "preparing a hot_devices statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rec);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
	return db_run(db, st, "forgetting a hot-attached device");
}

int
db_hot_list(struct db *db, int64_t rec, struct db_hot **out, size_t *n)
{
	sqlite3_stmt *st = db_prep(db, "SELECT kind, key, spec FROM hot_devices"
	    " WHERE rec = ? ORDER BY t, kind, key",
	    "preparing a hot_devices statement");
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		(*out)[*n].kind = xstrdup((const char *)
		    sqlite3_column_text(st, 0));
		(*out)[*n].key = xstrdup((const char *)
		    sqlite3_column_text(st, 1));
		(*out)[*n].spec = xstrdup((const char *)
		    sqlite3_column_text(st, 2));
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_hot_free(*out, *n);
		*out = NULL;
		*n = 0;
		return db_fail(db, "reading hot-attached devices");
	}
	return 0;
}

void
db_hot_free(struct db_hot *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(h[i].kind);
		free(h[i].key);
		free(h[i].spec);
	}
	free(h);
}

int
db_hot_copy(struct db *db, int64_t from, int64_t to)
{
	sqlite3_stmt *st = db_prep(db, "INSERT OR REPLACE INTO hot_devices"
	    " (rec, kind, key, spec, t) SELECT ?, kind, key, spec, t"
	    " FROM hot_devices WHERE rec = ?",
	    "preparing a hot_devices statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, from);
	return db_run(db, st, "carrying hot-attached devices over");
}
