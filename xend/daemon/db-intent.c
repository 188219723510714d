/*
 * db-intent.c: the intents table (db.h, struct db_intent) and the few
 * other statements the intent log needs.  Intents are rare (one per
 * command that changes a domain), so statements are prepared per call
 * rather than cached as db.c's are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db-priv.h"
#include "xmalloc.h"

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
db_intent_add(struct db *db, struct db_intent *in)
{
	sqlite3_stmt *st = db_prep(db, "INSERT INTO intents (op, step, rec,"
	    " domid, uuid, name, config, config_path, path, arg, t)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "preparing an intent statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, in->op, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->step, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, in->rec);
	sqlite3_bind_int64(st, 4, in->domid);
	sqlite3_bind_text(st, 5, in->uuid, -1, SQLITE_STATIC);
	bind_opt(st, 6, in->name);
	bind_opt(st, 7, in->config);
	bind_opt(st, 8, in->config_path);
	bind_opt(st, 9, in->path);
	sqlite3_bind_int64(st, 10, in->arg);
	sqlite3_bind_int64(st, 11, in->t);
	if (db_run(db, st, "recording an intent") != 0)
		return -1;
	in->id = sqlite3_last_insert_rowid(db_sqlite(db));
	return 0;
}

int
db_intent_step(struct db *db, int64_t id, const char *step)
{
	sqlite3_stmt *st = db_prep(db, "UPDATE intents SET step = ?"
	    " WHERE id = ?",
	    "preparing an intent statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, step, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	return db_run(db, st, "recording an intent's step");
}

int
db_intent_end(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_prep(db, "DELETE FROM intents WHERE id = ?",
	    "preparing an intent statement");

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_run(db, st, "ending an intent");
}

static char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

int
db_intents(struct db *db, struct db_intent **out, size_t *n)
{
	sqlite3_stmt *st = db_prep(db, "SELECT id, op, step, rec, domid, uuid,"
	    " name, config, config_path, path, arg, t FROM intents"
	    " ORDER BY id",
	    "preparing an intent statement");
	struct db_intent *v = NULL, *in;
	const unsigned char *u;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, k + 1, sizeof *v);
		in = &v[k++];
		memset(in, 0, sizeof *in);
		in->id = sqlite3_column_int64(st, 0);
		in->op = col(st, 1);
		in->step = col(st, 2);
		in->rec = sqlite3_column_int64(st, 3);
		in->domid = (uint32_t)sqlite3_column_int64(st, 4);
		if ((u = sqlite3_column_text(st, 5)) != NULL)
			snprintf(in->uuid, sizeof in->uuid, "%s",
			    (const char *)u);
		in->name = col(st, 6);
		in->config = col(st, 7);
		in->config_path = col(st, 8);
		in->path = col(st, 9);
		in->arg = sqlite3_column_int64(st, 10);
		in->t = sqlite3_column_int64(st, 11);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_intents_free(v, k);
		return db_fail(db, "reading intents");
	}
	*out = v;
	*n = k;
	return 0;
}

void
db_intents_free(struct db_intent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].op);
		free(v[i].step);
		free(v[i].name);
		free(v[i].config);
		free(v[i].config_path);
		free(v[i].path);
	}
	free(v);
}

int
db_synchronous(struct db *db)
{
	sqlite3_stmt *st = db_prep(db, "PRAGMA synchronous",
	    "preparing an intent statement");
	int v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}
