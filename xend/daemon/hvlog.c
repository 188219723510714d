/*
 * hvlog.c: copy new hypervisor log lines into the database and on to
 * clients following the log.
 *
 * Log lines are keyed by (hypervisor boot id, sequence number) and stored
 * with INSERT OR IGNORE, so re-reading lines after a restart never
 * duplicates them; a gap in sequence numbers means the ring wrapped
 * before xend read it, and is recorded as an event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "xend.h"

/* Who gets new lines (peer.c's followers); set once by main, so this
 * file does not depend on the client side. */
static void (*listener)(json_t *lines);

void
hvlog_listen(void (*fn)(json_t *lines))
{
	listener = fn;
}

struct ingest {
	int64_t	 t;
	json_t	*lines;
	int	 failed;
};

static void
ingest_line(void *arg, uint64_t seq, const char *line)
{
	struct ingest *in = arg;
	json_t *l;

	if (db_hvlog_add(xend->db, xend->boot_id, seq, in->t, line) != 0) {
		in->failed = 1;
		return;
	}
	l = json_object();
	json_object_set_new(l, "seq", json_integer((json_int_t)seq));
	json_object_set_new(l, "t", json_integer(in->t));
	json_object_set_new(l, "line", json_string(line));
	json_array_append_new(in->lines, l);
}

int
hvlog_ingest(void)
{
	struct hv_physinfo pi;
	struct ingest in;
	uint64_t next, lost;
	int rc;

	if (hv_physinfo(xend->hv, &pi) != 0)
		return -1;
	if (strcmp(pi.boot_id, xend->boot_id) != 0) {
		/* The hypervisor rebooted: its sequence numbers restarted. */
		snprintf(xend->boot_id, sizeof xend->boot_id, "%s", pi.boot_id);
		if (db_hvlog_next(xend->db, xend->boot_id, &xend->log_next) != 0)
			return -1;
	}
	in.t = now_seconds();
	in.lines = json_array();
	in.failed = 0;
	if (db_begin(xend->db) != 0) {
		json_decref(in.lines);
		return -1;
	}
	rc = hv_log_read(xend->hv, xend->log_next, ingest_line, &in, &next,
	    &lost);
	if (rc != 0 || in.failed) {
		db_rollback(xend->db);
		json_decref(in.lines);
		if (rc != 0)
			log_warnx("reading hypervisor log: %s",
			    hv_errmsg(xend->hv));
		return -1;
	}
	if (lost > 0)
		db_event_add(xend->db, in.t, 0, 0, "hvlog-lost", lost == 1 ?
		    "1 hypervisor log line was overwritten before xend read "
		    "it" : "hypervisor log lines were overwritten before xend "
		    "read them");
	if (db_commit(xend->db) != 0) {
		json_decref(in.lines);
		return -1;
	}
	if (lost > 0)
		log_warnx("hypervisor log: %" PRIu64 " lines lost to ring "
		    "wrap-around", lost);
	xend->log_next = next;
	if (json_array_size(in.lines) > 0 && listener != NULL)
		listener(in.lines);
	json_decref(in.lines);
	return 0;
}

