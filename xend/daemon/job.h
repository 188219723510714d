/*
 * job.h: slow commands (create, save, restore) off the event loop.
 *
 * A command handler that starts a job returns CMD_WAIT: its client's
 * connection stays parked (no further requests are read from it) until
 * the job's done callback has sent the final reply, as with tmux's
 * CMD_RETURN_WAIT.  Answers and progress go through two functions main
 * gives job_init (peer.c's), so this file knows nothing of clients.  Meanwhile every other client, console and the sampler
 * are served as usual.
 *
 * Ownership, which is the point of the design:
 *   - work() runs on the worker thread and may use only its job: its
 *     fields, its arg, and job->hv, a job handle on the hypervisor
 *     (hv_job_open: its own libxc handle).  Never xend->hv, the database,
 *     the domain table or a peer: those belong to the loop.
 *   - prepare (the handler) and done() run on the loop and may use all of
 *     them, but not job->hv, which is closed before done() runs.
 * Jobs run one at a time, in order; the next is handed to the worker only
 * after the previous one's done() ran.
 */
#ifndef XEND_JOB_H
#define XEND_JOB_H

#include <stdint.h>

#include "xend.h"

struct job {
	TAILQ_ENTRY(job) entry;
	const char	*what;		/* "save": progress items, messages */
	struct peer	*peer;		/* NULL once the client has gone */
	int64_t		 id;		/* the request's */
	int		 progress;	/* the client asked for progress */
	uint8_t		 handle[16];	/* of the domain it creates, if any */
	int		 has_handle;
	struct hv	*hv;		/* job handle; the worker's only way in */
	int		(*work)(struct job *);	/* worker thread */
	void		(*done)(struct job *);	/* loop: reply via job_reply */
	void		*arg;		/* the command's own state */
	int		 rc;		/* what work() returned */
	struct xerr	 err;		/* filled by work() on failure */
};

/* Where a job's final answer (result stolen, or an error) and its
 * progress items (stolen) go. */
typedef void (*job_reply_fn)(struct peer *, int64_t id, json_t *result,
	    const struct xerr *);
typedef void (*job_progress_fn)(struct peer *, int64_t id, json_t *item);

/* Start the worker (after the event loop exists) and stop it (waits for
 * a running job to finish, so a save file is never left half-written). */
int	 job_init(job_reply_fn, job_progress_fn, char **cause);
void	 job_shutdown(void);

/*
 * Queue a job answering request id of peer (progress: it asked for
 * progress items), after opening its job handle.  0, or -1 with err set
 * (arg is then the caller's to free).  The handler then returns CMD_WAIT.
 */
int	 job_start(struct peer *, int64_t id, int progress, const char *what,
	     int (*work)(struct job *), void (*done)(struct job *), void *arg,
	     const uint8_t *handle, struct xerr *err);
/* From done(): the final answer (result stolen); the client reads on. */
void	 job_reply(struct job *, json_t *result);
void	 job_fail(struct job *, const struct xerr *);
/* Is a job creating the domain with this handle?  (The domain table must
 * not adopt it as a stranger before the job records it.) */
int	 job_owns_handle(const uint8_t handle[16]);
/* The peer is going away: its jobs carry on but answer no one. */
void	 job_forget_peer(struct peer *);
/* How many jobs are queued or running ("info"). */
unsigned job_count(void);

#endif
