/*
 * db-int.h: what db.c shares with the other files holding xend's SQL
 * (db-intent.c).  Nothing outside those files includes it: callers see
 * only db.h.
 */
#ifndef XEND_DB_INT_H
#define XEND_DB_INT_H

#include <sqlite3.h>

struct db;
sqlite3	*db_sqlite(struct db *);
/* Record sqlite's message for what (db_errmsg), log it, return -1. */
int	 db_fail(struct db *, const char *what);

#endif
