/*
 * xend.h: xend's internal interfaces, one block per source file.
 * The shared pieces have their own headers: protocol.h (wire format),
 * config.h (config language), hv.h (hypervisor backends), db.h (SQL).
 */
#ifndef XEND_XEND_H
#define XEND_XEND_H

#include <sys/queue.h>
#include <stdint.h>

/* glibc's sys/queue.h lacks the BSD removal-safe iterator. */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

#include <event2/event.h>
#include <event2/bufferevent.h>
#include <jansson.h>

#include "config.h"
#include "db.h"
#include "hv.h"
#include "protocol.h"

/* Pending output beyond which a streaming (follow) client is dropped. */
#define PEER_OUTPUT_MAX		(4 * 1024 * 1024)
/* Domains a backend may report; beyond this xend refuses to track more. */
#define XEND_DOMAINS_MAX	4096

/* xerr.c: an error for a client: a protocol code and a sentence. */
struct xerr {
	int	code;
	char	msg[512];
};
int	xerr_set(struct xerr *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Map a backend failure (negative errno + hv_errmsg) to a client error. */
int	xerr_from_hv(struct xerr *, int rc, const char *what);
/* The same for a failure on a given handle (a job's, on the worker). */
int	xerr_from(struct xerr *, const struct hv *, int rc, const char *what);

/* A domain as xend knows it: its database record and latest hv state. */
struct domain {
	TAILQ_ENTRY(domain) entry;
	struct db_domain rec;
	struct domcfg	 cfg;		/* parsed config, if rec.config */
	int		 has_cfg;
	struct hv_dominfo info;		/* as of the last refresh */
	int		 handled_shutdown;	/* on_* action already taken */
	const char	*busy;		/* a job works on it ("save") */
	uint32_t	 vcpus_asked;	/* last `vcpu-set`; 0: none yet */
};
TAILQ_HEAD(domains, domain);

struct peer;
TAILQ_HEAD(peers, peer);

/* The daemon's global state; there is exactly one. */
struct xend {
	struct event_base *base;
	struct xend_conf conf;
	struct hv	*hv;
	struct db	*db;
	char		 boot_id[40];
	uint64_t	 log_next;	/* next hv log seq to ingest */
	struct domains	 domains;
	struct peers	 peers;
	unsigned	 npeers;
	int64_t		 started;
	int		 stopping;	/* the loop has ended: no new work */
};
extern struct xend *xend;

/* clock.c */
int64_t	 now_seconds(void);
int64_t	 now_ms(void);

/* server.c: the listening socket and the event loop. */
int	 server_listen(const char *path, char **cause);
void	 server_loop(void);
void	 server_shutdown(void);

/* peer.c: one connected client. */
void	 peer_accept(int fd);
void	 peer_send(struct peer *, char *line);	/* takes the line */
void	 peer_reply(struct peer *, int64_t id, json_t *result);
void	 peer_error(struct peer *, int64_t id, const struct xerr *);
void	 peer_progress(struct peer *, int64_t id, json_t *item); /* steals */
/* A job's final answer (result stolen, or e): sent, and reading resumes. */
void	 peer_job_reply(struct peer *, int64_t id, json_t *result,
	     const struct xerr *e);
void	 peer_broadcast_log(json_t *lines);	/* borrows lines */
/* Stream domain d's console to p under request id (history first if
 * asked), until p closes or the console goes away. */
void	 peer_console_attach(struct peer *, int64_t id,
	     const struct domain *d, int history);
void	 peer_flush_all(void);	/* after the loop: send what is queued */
void	 peer_free_all(void);

/* cmd.c: the command table and dispatch.  Returns what to send (see
 * enum cmd_retval in cmd.h): *result or *err; the caller sends it. */
int	 cmd_dispatch(struct peer *, struct proto_request *, json_t **result,
	     struct xerr *err);

/* domain.c: the domain table and lifecycle. */
int	 domain_init(struct xerr *);
void	 domain_free_all(void);
int	 domain_refresh(struct xerr *);
struct domain *domain_lookup(const char *name_or_id, struct xerr *);
struct domain *domain_by_name(const char *);
/* Create from config text as a job (job.h) answering peer's request id
 * (peer NULL: no one); 0, or -1 with e set.  warn may be NULL.  parent:
 * the intent of a restart this carries out (0: none), replaced by the
 * create's own intent in one transaction.  hot_from: the record whose
 * hot-attached disks and vifs (db-hot.c) the new domain gets besides its
 * config's (a reboot's restart: the old domain's; 0: none). */
int	 domain_create_job(const char *text, const char *path, struct peer *,
	     int64_t id, int progress, struct cfg_warnings *warn,
	     int64_t parent, int64_t hot_from, struct xerr *e);
/* The steps of creating a domain (domain_create_job's). */
struct domain_build {
	struct domcfg	 dc;
	struct hv_build	 b;		/* points into dc */
	char		*text, *path;
	uint32_t	 domid;		/* set by hv_create */
	int64_t		 intent;	/* the create's (intent.c) */
	/* The hot-attached devices it is built with (domain_build_hot),
	 * recorded for the new domain with it; b.disks and b.vifs then
	 * point at disks and vifs: the config's entries, then these. */
	int64_t		 hot_from;
	struct db_hot	*hot;
	size_t		 nhot;
	char		**disks, **vifs;
};
/* Add record rec's hot-attached devices to the build (see above). */
void	 domain_build_hot(struct domain_build *, int64_t rec);
int	 domain_build_prepare(const char *text, const char *path,
	     struct domain_build *, struct cfg_warnings *, struct xerr *);
/* cmd-sched.c: put a new domain's cpu_weight, cap and cpus in force. */
int	 domain_sched_apply(struct domain *, const struct domcfg *,
	     struct xerr *);
/* ... and record what is in force now (also vcpu-set's vCPU count). */
void	 domain_sched_record(struct domain *);
int	 domain_build_record(struct domain_build *, struct domain **,
	     struct xerr *);
void	 domain_build_free(struct domain_build *);
struct domain *domain_by_rec(int64_t rec);
int	 domain_destroy(struct domain *, const char *why, struct xerr *);
/* Under intent parent (0: its own), then step next (NULL: ended). */
int	 domain_destroy_as(struct domain *, const char *why, int64_t parent,
	     const char *next, struct xerr *);
void	 uuid_new(uint8_t h[16]);
void	 domain_uuid_str(const uint8_t h[16], char out[37]);
/* text: the saved config, with the blob's hot-attached trailer
 * (hotblob.c), which is recorded as such and cut off. */
int	 domain_record_restored(uint32_t domid, const uint8_t handle[16],
	     char *text, const char *path, int64_t intent,
	     struct domain **, struct xerr *);
/* Add rec (taken) to the database, with its hot-attached devices hot (n
 * of them), ending intent id in the same transaction, and to the table;
 * NULL with e set (rec freed). */
struct domain *domain_record_commit(struct db_domain *rec, int64_t id,
	     const struct db_hot *hot, size_t nhot, struct xerr *e);
struct domain *domain_insert(struct db_domain *rec);	/* takes rec */
void	 domain_forget(struct domain *);	/* from the table only */
/* A failed create or restore: destroy any domain left with its handle. */
void	 domain_destroy_handle(const uint8_t handle[16]);
int	 domain_adopt_intent(const struct db_intent *,
	     const struct hv_dominfo *);
json_t	*domain_json(const struct domain *);
void	 domain_event(const struct domain *, const char *kind,
	     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* intent.c: intent first, then act, then reconcile (docs/xend.md). */
/* XEND_CRASH_AT=step: SIGKILL xend here (crash-injection tests). */
void	 crash_point(const char *step);
/* Record in (op and its fields set; rec, domid, uuid from d if given);
 * 0, or -1 with e set and nothing to be done. */
int	 intent_add(struct db_intent *in, const struct domain *d,
	     struct xerr *e);
/* Close record rec (0: none) and end intent id or move it to step next,
 * in one transaction. */
int	 intent_commit_gone(int64_t rec, int64_t id, const char *next);
/* At start-up: finish or roll back every unfinished intent. */
int	 intent_reconcile(struct xerr *);
/* A save intent's arg: HV_SAVE_* flags (codec in bits 8-11), and what to
 * restore on rollback above them. */
#define SAVE_INTENT_FLAGS	0xfff
#define SAVE_INTENT_EXISTED	0x10000	/* the file existed before */
#define SAVE_INTENT_PAUSED	0x20000	/* the domain was paused before */

/* cmd-save.c: save d into path as a job answering peer (may be NULL);
 * checkpoint: the domain runs on. */
int	 save_start(struct domain *, const char *path, int checkpoint,
	     struct peer *, int64_t id, int progress, struct xerr *);
/* The same, and then tells then(arg, NULL or the error, seconds) on the
 * loop before the client is answered (host shutdown follows its saves). */
typedef void (*save_then_fn)(void *, const struct xerr *, double seconds);
int	 save_start_then(struct domain *, const char *path, int checkpoint,
	     struct peer *, int64_t id, int progress, save_then_fn, void *,
	     struct xerr *);

/* cmd-restore.c: restore path as a job answering peer (may be NULL),
 * then tells then(arg, NULL or the error, the new domain's name). */
typedef void (*restore_then_fn)(void *, const struct xerr *,
	    const char *name);
int	 restore_start(const char *path, struct peer *, int64_t id,
	     int progress, restore_then_fn, void *, struct xerr *);

/* hostdown.c: dom0 is going down ("host-shutdown"), and restoring at
 * start-up the domains that were saved for it. */
int	 hostdown_active(void);
void	 hostdown_forget_peer(struct peer *);
void	 hostdown_restore_saved(void);
void	 hostdown_free(void);

/* sampler.c: periodic accounting samples. */
void	 sampler_start(void);
void	 sampler_stop(void);
int	 sampler_tick(void);

/* console.c: domU console logs (LOG_DIR/console/NAME.log) and output
 * to attached clients. */
#define CONS_LOG_MAX		(1024 * 1024)	/* then NAME.log -> .log.1 */
/* New output of a domain (text borrowed), or NULL: its console is gone. */
typedef void (*console_sink_fn)(uint32_t domid, json_t *text);
void	 console_start(console_sink_fn);
void	 console_stop(void);
void	 console_pump(void);
void	 console_attached(int delta);	/* +1 / -1: poll fast while > 0 */
/* The log so far, in pieces; fn steals each text. */
int	 console_history(const struct domain *, void (*fn)(void *, json_t *),
	     void *);
int	 console_has(const struct domain *);
/* d was just restored from path: its log goes on from its saved self's,
 * after a line saying so (before the loop sees d: call on recording). */
void	 console_restored(const struct domain *d, const char *path);
/* d leaves the domain table: its output so far into its log. */
void	 console_forget(const struct domain *d);
const char *console_log_path(const char *name);
/* UTF-8-safe text of buf; *used < len when a split character is held
 * back (never when final). */
json_t	*console_text(const char *buf, size_t len, int final, size_t *used);
void	 peer_console_output(uint32_t domid, json_t *text);

/* hvlog.c: new hypervisor log lines into the database and to followers. */
int	 hvlog_ingest(void);
void	 hvlog_listen(void (*)(json_t *lines));	/* lines are borrowed */

#endif
