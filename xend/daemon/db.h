/*
 * db.h: xend's database.  All SQL lives in db.c; callers see only these
 * functions.  Times are Unix seconds for records and events, Unix
 * milliseconds for samples; memory is KiB.
 */
#ifndef XEND_DB_H
#define XEND_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct db_domain {
	int64_t		 rec;		/* record id, never reused */
	char		*name;
	uint32_t	 domid;
	char		 uuid[37];
	char		*config;	/* config text; NULL if discovered */
	char		*config_path;
	int64_t		 created;
	int64_t		 destroyed;	/* 0 while the domain exists */
	int		 shutdown_handled;	/* on_* action was taken */
};

struct db_sample {
	int64_t		 rec;
	uint32_t	 domid;
	int64_t		 t_ms;
	uint64_t	 cpu_ns;
	uint64_t	 mem_kib;
	uint64_t	 hypercalls, events, page_faults;
};

struct db_report_row {
	int64_t		 rec;
	const char	*name;
	uint32_t	 domid;
	int		 alive;
	uint64_t	 samples;
	double		 cpu_seconds;
	double		 mem_avg_kib;
	uint64_t	 mem_peak_kib;
	int64_t		 first_ms, last_ms;
};

typedef void (*db_log_cb)(void *, uint64_t seq, int64_t t, const char *line);
typedef void (*db_report_cb)(void *, const struct db_report_row *);

#define DB_SCHEMA_VERSION	8

struct db *db_open(const char *path, char **cause);
/* Open and migrate only up to schema version upto (for upgrade tests);
 * below DB_SCHEMA_VERSION only db_schema_version and db_close work. */
struct db *db_open_upto(const char *path, int upto, char **cause);
void	 db_close(struct db *);
const char *db_errmsg(struct db *);
int	 db_schema_version(struct db *);
/* The journal mode in force ("wal"), into buf. */
int	 db_synchronous(struct db *);	/* 2: FULL */
int	 db_journal_mode(struct db *, char *buf, size_t len);
int	 db_begin(struct db *);
int	 db_commit(struct db *);
int	 db_rollback(struct db *);

int	 db_domain_add(struct db *, struct db_domain *);	/* sets rec */
int	 db_domain_gone(struct db *, int64_t rec, int64_t t);
int	 db_domain_set(struct db *, int64_t rec, const char *name,
	     uint32_t domid);
int	 db_domain_handled(struct db *, int64_t rec);
/* The domain's scheduler settings as changed by xenctl (text). */
int	 db_domain_sched(struct db *, int64_t rec, const char *sched);
int	 db_domains_alive(struct db *, struct db_domain **, size_t *);
void	 db_domain_free(struct db_domain *);
void	 db_domains_free(struct db_domain *, size_t);

int	 db_sample_add(struct db *, const struct db_sample *);
/* Delete raw samples older than before_ms; hourly roll-ups stay.
 * Returns the number deleted, or -1. */
int64_t	 db_samples_prune(struct db *, int64_t before_ms);
int	 db_report(struct db *, int64_t since_ms, int64_t until_ms,
	     db_report_cb, void *);

int	 db_hvlog_add(struct db *, const char *boot, uint64_t seq, int64_t t,
	     const char *line);
/* The seq after the newest stored line of this boot (0 if none). */
int	 db_hvlog_next(struct db *, const char *boot, uint64_t *);
/* Lines with seq >= from, oldest first, at most limit; or, if tail,
 * the newest limit lines. */
int	 db_hvlog_query(struct db *, const char *boot, uint64_t from,
	     int tail, uint64_t limit, db_log_cb, void *);

int	 db_balloon_add(struct db *, int64_t rec, uint32_t domid, int64_t t,
	     uint64_t from_kib, uint64_t target_kib, const char *outcome,
	     const char *message);
/* The id of the row db_balloon_add just wrote. */
int64_t	 db_balloon_last_id(struct db *);
int	 db_balloon_deadline(struct db *, int64_t id, uint64_t deadline_ms,
	     const char *on_miss);
/* outcome "met" (comply_ms >= 0) or "missed" (comply_ms -1). */
int	 db_balloon_end(struct db *, int64_t id, const char *outcome,
	     int64_t comply_ms, const char *message);
struct db_balloon_stats {
	uint64_t	 requests, met, missed;
	int64_t		 median_ms;	/* of met requests; -1 if none */
};
int	 db_balloon_stats(struct db *, int64_t rec, int64_t since_ms,
	     int64_t until_ms, struct db_balloon_stats *);
int	 db_event_add(struct db *, int64_t t, int64_t rec, uint32_t domid,
	     const char *kind, const char *message);
/* db-series.c: one domain's (by name, every incarnation) samples in
 * [since, until), thinned to one point per bucket_ms, oldest first; and
 * its balloon requests in that range. */
struct db_series_point {
	int64_t		 rec, t_ms;
	uint64_t	 cpu_ns;
	double		 mem_kib;
};
struct db_balloon_row {
	int64_t		 t;		/* Unix seconds */
	uint64_t	 from_kib, target_kib;
	const char	*outcome;	/* pending, met, missed, ... */
	int64_t		 deadline_ms, comply_ms;	/* -1: none */
};
typedef void (*db_series_cb)(void *, const struct db_series_point *);
typedef void (*db_balloon_cb)(void *, const struct db_balloon_row *);
int	 db_series(struct db *, const char *name, int64_t since_ms,
	     int64_t until_ms, int64_t bucket_ms, db_series_cb, void *);
int	 db_balloon_list(struct db *, const char *name, int64_t since_ms,
	     int64_t until_ms, db_balloon_cb, void *);
/* db-hostsave.c: domains saved when dom0 went down (on_host_shutdown). */
int64_t	 db_hostsave_add(struct db *, const char *name, const char *path,
	     int64_t t);
/* Each row still "saved", oldest first: fn(arg, id, name, path). */
int	 db_hostsave_pending(struct db *, void (*fn)(void *, int64_t,
	     const char *, const char *), void *arg);
/* state "restored" or "failed" (message says why). */
int	 db_hostsave_end(struct db *, int64_t id, const char *state,
	     int64_t t, const char *message);
/*
 * An intent (db-intent.c): an operation on a domain, recorded before it
 * touches the hypervisor.  op and step are names intent.c knows; uuid is
 * the domain's (create and restore: the handle it is built with).
 */
struct db_intent {
	int64_t		 id;
	char		*op;
	char		*step;
	int64_t		 rec;		/* the domain's record, 0 if none yet */
	uint32_t	 domid;
	char		 uuid[37];
	char		*name, *config, *config_path;
	char		*path;		/* save and restore: the file */
	int64_t		 arg;		/* op's own: flags, KiB, action */
	int64_t		 t;
};
int	 db_intent_add(struct db *, struct db_intent *);	/* sets id */
int	 db_intent_step(struct db *, int64_t id, const char *step);
int	 db_intent_end(struct db *, int64_t id);
/* Every unfinished intent, oldest first. */
int	 db_intents(struct db *, struct db_intent **, size_t *);
void	 db_intents_free(struct db_intent *, size_t);

/*
 * Devices attached to a running domain (db-hot.c): kind "disk" (key the
 * vdev) or "vif" (key the MAC), spec the entry as attached.  Added on
 * attach, deleted on detach, copied to the new record when a reboot's
 * restart or a restore rebuilds the domain.
 */
struct db_hot {
	char		*kind, *key, *spec;
};
int	 db_hot_add(struct db *, int64_t rec, const char *kind,
	     const char *key, const char *spec, int64_t t);
int	 db_hot_del(struct db *, int64_t rec, const char *kind,
	     const char *key);
/* Every device of rec, oldest first (*out malloc'd). */
int	 db_hot_list(struct db *, int64_t rec, struct db_hot **out, size_t *n);
void	 db_hot_free(struct db_hot *, size_t);
int	 db_hot_copy(struct db *, int64_t from, int64_t to);

/* Rows in a table, for tests and the status command. */
int64_t	 db_count(struct db *, const char *table);

#endif
