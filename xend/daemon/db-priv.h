/*
 * db-priv.h: for the db-*.c files beside db.c, which keep their own SQL
 * for rare statements (prepared per call, not cached) so db.c stays one
 * file's worth.  Nothing outside the database code includes this.
 */
#ifndef XEND_DB_PRIV_H
#define XEND_DB_PRIV_H

#include <stddef.h>
#include <sqlite3.h>

#include "db.h"

sqlite3	*db_sqlite(struct db *);
/* Record sqlite's message for what (db_errmsg) and log it; returns -1. */
int	 db_fail(struct db *, const char *what);
/* sql prepared, or NULL after db_fail(what). */
sqlite3_stmt *db_prep(struct db *, const char *sql, const char *what);
/* Step st once and finalize it: 0 when it is done, else db_fail(what). */
int	 db_run(struct db *, sqlite3_stmt *st, const char *what);

/* db-schema.c: db_migrations[i] upgrades schema version i to i + 1. */
extern const char *const db_migrations[];
extern const size_t db_migrations_count;

#endif
