/*
 * db-schema.c: the schema's migrations, one per version, kept apart from
 * the queries in db.c so each file stays readable.  db.c runs them.
 */
#include <stddef.h>

#include "db.h"
#include "db-priv.h"

/* migrations[i] upgrades schema version i to i + 1.  Append only. */
const char *const db_migrations[] = {
	/* 0 -> 1: the initial schema. */
	"CREATE TABLE domains ("
	"  rec INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL,"
	"  domid INTEGER NOT NULL,"
	"  uuid TEXT NOT NULL,"
	"  config TEXT,"
	"  config_path TEXT,"
	"  created INTEGER NOT NULL,"
	"  destroyed INTEGER);"
	"CREATE UNIQUE INDEX domains_alive_name ON domains(name)"
	"  WHERE destroyed IS NULL;"
	"CREATE UNIQUE INDEX domains_alive_domid ON domains(domid)"
	"  WHERE destroyed IS NULL;"
	"CREATE TABLE samples ("
	"  rec INTEGER NOT NULL,"
	"  t INTEGER NOT NULL,"
	"  domid INTEGER NOT NULL,"
	"  cpu_ns INTEGER NOT NULL,"
	"  mem_kib INTEGER NOT NULL,"
	"  hypercalls INTEGER NOT NULL,"
	"  events INTEGER NOT NULL,"
	"  page_faults INTEGER NOT NULL,"
	"  PRIMARY KEY (rec, t)) WITHOUT ROWID;"
	"CREATE TABLE hvlog ("
	"  boot TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  t INTEGER NOT NULL,"
	"  line TEXT NOT NULL,"
	"  PRIMARY KEY (boot, seq)) WITHOUT ROWID;"
	"CREATE TABLE balloon ("
	"  id INTEGER PRIMARY KEY,"
	"  rec INTEGER NOT NULL,"
	"  domid INTEGER NOT NULL,"
	"  t INTEGER NOT NULL,"
	"  from_kib INTEGER NOT NULL,"
	"  target_kib INTEGER NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  message TEXT);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  t INTEGER NOT NULL,"
	"  rec INTEGER,"
	"  domid INTEGER,"
	"  kind TEXT NOT NULL,"
	"  message TEXT NOT NULL);",
	/*
	 * 1 -> 2: remember that a shut-down domain's on_* action was taken,
	 * so a restarted xend does not take it again; reports scan samples
	 * by time across all records.
	 */
	"ALTER TABLE domains ADD COLUMN shutdown_handled INTEGER NOT NULL"
	"  DEFAULT 0;"
	"CREATE INDEX samples_t ON samples(t);",
	/*
	 * 2 -> 3: hourly roll-ups of samples, so a report over months reads
	 * one row per domain-hour instead of every sample; only the partial
	 * hours at the ends of a range come from raw samples.  Filled from
	 * the samples already stored.
	 */
	"CREATE TABLE samples_hourly ("
	"  rec INTEGER NOT NULL,"
	"  hour INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  mem_sum INTEGER NOT NULL,"
	"  mem_max INTEGER NOT NULL,"
	"  cpu_min INTEGER NOT NULL,"
	"  cpu_max INTEGER NOT NULL,"
	"  t_min INTEGER NOT NULL,"
	"  t_max INTEGER NOT NULL,"
	"  PRIMARY KEY (rec, hour)) WITHOUT ROWID;"
	"INSERT INTO samples_hourly SELECT rec, t / 3600000, COUNT(*),"
	"  SUM(mem_kib), MAX(mem_kib), MIN(cpu_ns), MAX(cpu_ns), MIN(t), MAX(t)"
	"  FROM samples GROUP BY rec, t / 3600000;",
	/*
	 * 3 -> 4: balloon requests with a deadline: how long the guest was
	 * given, what to do if it missed, and how long it took (NULL if it
	 * did not comply); outcome "pending", then "met" or "missed".
	 */
	"ALTER TABLE balloon ADD COLUMN deadline_ms INTEGER;"
	"ALTER TABLE balloon ADD COLUMN on_miss TEXT;"
	"ALTER TABLE balloon ADD COLUMN comply_ms INTEGER;",
	/*
	 * 4 -> 5: domains saved because dom0 went down (on_host_shutdown =
	 * "save"); the next xend restores those still "saved" and marks
	 * them "restored" or "failed" (db-hostsave.c).
	 */
	"CREATE TABLE host_saves ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  t INTEGER NOT NULL,"
	"  state TEXT NOT NULL,"
	"  ended INTEGER,"
	"  message TEXT);",
	/* 5 -> 6: intents, operations under way (db-intent.c, intent.c). */
	"CREATE TABLE intents ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  op TEXT NOT NULL,"
	"  step TEXT NOT NULL,"
	"  rec INTEGER NOT NULL,"
	"  domid INTEGER NOT NULL,"
	"  uuid TEXT NOT NULL,"
	"  name TEXT,"
	"  config TEXT,"
	"  config_path TEXT,"
	"  path TEXT,"
	"  arg INTEGER NOT NULL,"
	"  t INTEGER NOT NULL);",
	/* 6 -> 7: scheduler settings set with xenctl sched / vcpu-pin
	 * ("weight=N cap=P vcpuN=CPUS ..."); NULL: as its config says. */
	"ALTER TABLE domains ADD COLUMN sched TEXT;",
	/*
	 * 7 -> 8: disks and vifs attached to a running domain (xenctl
	 * block-attach, network-attach), kind "disk" or "vif", key its vdev
	 * or MAC, spec the entry it was attached with; a reboot's restart
	 * and a restore carry them over to the new record (db-hot.c).
	 */
	"CREATE TABLE hot_devices ("
	"  rec INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  spec TEXT NOT NULL,"
	"  t INTEGER NOT NULL,"
	"  PRIMARY KEY (rec, kind, key)) WITHOUT ROWID;",
};

_Static_assert(sizeof db_migrations / sizeof db_migrations[0] == DB_SCHEMA_VERSION,
    "DB_SCHEMA_VERSION must equal the number of migrations");

const size_t db_migrations_count =
    sizeof db_migrations / sizeof db_migrations[0];
