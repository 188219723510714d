/*
 * tool-dbinit.c: a benchmark helper, not a test.  Creates (or upgrades)
 * an xend database at PATH to schema VERSION, so a benchmark can load
 * bulk data into an older schema and let xend's own migration do the
 * rest.
 *
 * usage: tool-dbinit PATH VERSION
 */
#include <stdio.h>
#include <stdlib.h>

#include "db.h"

int
main(int argc, char **argv)
{
	struct db *db;
	char *cause = NULL;
	int v;

	if (argc != 3 || (v = atoi(argv[2])) < 1 || v > DB_SCHEMA_VERSION) {
		fprintf(stderr, "usage: tool-dbinit PATH VERSION (1..%d)\n",
		    DB_SCHEMA_VERSION);
		return 2;
	}
	if ((db = db_open_upto(argv[1], v, &cause)) == NULL) {
		fprintf(stderr, "tool-dbinit: %s\n", cause);
		return 1;
	}
	db_close(db);
	return 0;
}
