/*
 * job.c: one worker thread for slow commands, with completion back into
 * the event loop through a pipe (see job.h for who owns what).
 *
 * Why a thread and not a forked worker: the sim backend's state and the
 * xc backend's console and xenstore services live in xend's memory, and a
 * child would see a copy that diverges the moment it creates a domain;
 * a thread sees the real thing, and the ownership rules keep it honest.
 * Why one thread: create, save and restore compete for the same host
 * memory and I/O, so running them one at a time is what an operator
 * expects (and it keeps the backends' bookkeeping single-writer).
 *
 * The worker writes fixed-size messages to the pipe: progress reports
 * and, last, "finished".  Each is smaller than PIPE_BUF, so writes never
 * interleave; the loop reads them in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job.h"
#include "log.h"
#include "xmalloc.h"

TAILQ_HEAD(jobs, job);

struct job_msg {
	struct job	*job;
	int		 finished;
	uint64_t	 done, total;
};

static struct jobs	 queue = TAILQ_HEAD_INITIALIZER(queue);
static unsigned		 njobs;
static struct job	*running;	/* handed to the worker, not done */
static int		 pipe_fd[2] = { -1, -1 };
static struct event	*ev_pipe;
static pthread_t	 worker;
static int		 worker_started;
/* Where answers go (peer.c), given by main: job.c knows no clients. */
static job_reply_fn	 reply_to;
static job_progress_fn	 progress_to;

/* Handoff to the worker: `next` under `lock`, signalled by `cond`. */
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cond = PTHREAD_COND_INITIALIZER;
static struct job	*next;
static int		 quit;

static void
post(const struct job_msg *m)
{
	ssize_t n;

	do
		n = write(pipe_fd[1], m, sizeof *m);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof *m)
		fatal("job pipe write");
}

/* hv_progress from the backend, on the worker thread. */
static void
job_progress(void *arg, uint64_t done, uint64_t total)
{
	struct job_msg m = { arg, 0, done, total };

	post(&m);
}

static void *
worker_main(void *arg)
{
	struct job_msg m;
	struct job *j;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (next == NULL && !quit)
			pthread_cond_wait(&cond, &lock);
		j = next;
		next = NULL;
		pthread_mutex_unlock(&lock);
		if (j == NULL)
			return NULL;
		j->rc = j->work(j);
		memset(&m, 0, sizeof m);
		m.job = j;
		m.finished = 1;
		post(&m);
	}
}

static void
job_run_next(void)
{
	if (quit || running != NULL ||
	    (running = TAILQ_FIRST(&queue)) == NULL)
		return;
	TAILQ_REMOVE(&queue, running, entry);
	pthread_mutex_lock(&lock);
	next = running;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void
job_free(struct job *j)
{
	njobs--;
	free(j);
}

static void
job_finished(struct job *j)
{
	/* The backend's loop-side part first (xc: consoles, xenstore), so
	 * done() sees a complete domain, or can destroy it cleanly. */
	hv_job_close(xend->hv, j->hv);
	j->hv = NULL;
	j->done(j);
	running = NULL;
	job_free(j);
	job_run_next();
}

static void
job_pipe_cb(evutil_socket_t fd, short events, void *arg)
{
	struct job_msg m;
	json_t *item;
	ssize_t n;

	(void)events;
	(void)arg;
	while ((n = read(fd, &m, sizeof m)) == (ssize_t)sizeof m) {
		if (m.finished) {
			job_finished(m.job);
			continue;
		}
		if (m.job->peer == NULL || !m.job->progress)
			continue;
		item = json_object();
		json_object_set_new(item, "what", json_string(m.job->what));
		json_object_set_new(item, "done", json_integer(
		    (json_int_t)m.done));
		json_object_set_new(item, "total", json_integer(
		    (json_int_t)m.total));
		progress_to(m.job->peer, m.job->id, item);
	}
	if (n != -1 || (errno != EAGAIN && errno != EINTR))
		fatal("job pipe read");
}

int
job_init(job_reply_fn reply, job_progress_fn progress, char **cause)
{
	sigset_t all, old;
	int rc;

	reply_to = reply;
	progress_to = progress;
	if (pipe2(pipe_fd, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return -1;
	}
	/* Only the reading end is non-blocking: the worker may wait. */
	fcntl(pipe_fd[0], F_SETFL, O_NONBLOCK);
	ev_pipe = event_new(xend->base, pipe_fd[0], EV_READ | EV_PERSIST,
	    job_pipe_cb, NULL);
	event_add(ev_pipe, NULL);
	/* Signals are the loop's business: the worker blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&worker, NULL, worker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		xasprintf(cause, "cannot start the worker thread: %s",
		    strerror(rc));
		return -1;
	}
	worker_started = 1;
	return 0;
}

void
job_shutdown(void)
{
	struct job *j;

	if (worker_started) {
		if (running != NULL)
			log_info("waiting for the running %s to finish",
			    running->what);
		pthread_mutex_lock(&lock);
		quit = 1;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&lock);
		pthread_join(worker, NULL);
		worker_started = 0;
		/* Record what the worker finished (quit keeps the queue). */
		job_pipe_cb(pipe_fd[0], EV_READ, NULL);
	}
	while ((j = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, j, entry);
		j->rc = -ECANCELED;
		xerr_set(&j->err, XE_INTERNAL, "%s: xend is stopping; not "
		    "started", j->what);
		hv_job_close(xend->hv, j->hv);
		j->hv = NULL;
		j->done(j);
		job_free(j);
	}
	if (ev_pipe != NULL)
		event_free(ev_pipe);
	ev_pipe = NULL;
	if (pipe_fd[0] != -1) {
		close(pipe_fd[0]);
		close(pipe_fd[1]);
	}
	pipe_fd[0] = pipe_fd[1] = -1;
}

int
job_start(struct peer *peer, int64_t id, int progress, const char *what,
    int (*work)(struct job *), void (*done)(struct job *), void *arg,
    const uint8_t *handle, struct xerr *err)
{
	struct job *j = xcalloc(1, sizeof *j);
	char *cause = NULL;

	j->what = what;
	j->peer = peer;
	j->id = id;
	j->progress = progress;
	j->work = work;
	j->done = done;
	j->arg = arg;
	if (handle != NULL) {
		memcpy(j->handle, handle, sizeof j->handle);
		j->has_handle = 1;
	}
	if ((j->hv = hv_job_open(xend->hv, job_progress, j, &cause)) == NULL) {
		xerr_set(err, XE_BACKEND, "%s: %s", what, cause);
		free(cause);
		free(j);
		return -1;
	}
	njobs++;
	TAILQ_INSERT_TAIL(&queue, j, entry);
	log_debug("%s job queued (%u jobs)", what, njobs);
	job_run_next();
	return 0;
}

void
job_reply(struct job *j, json_t *result)
{
	if (j->peer == NULL) {
		json_decref(result);
		return;
	}
	reply_to(j->peer, j->id, result, NULL);
}

void
job_fail(struct job *j, const struct xerr *e)
{
	log_info("%s failed: %s", j->what, e->msg);
	if (j->peer != NULL)
		reply_to(j->peer, j->id, NULL, e);
}

int
job_owns_handle(const uint8_t handle[16])
{
	struct job *j;

	if (running != NULL && running->has_handle &&
	    memcmp(running->handle, handle, 16) == 0)
		return 1;
	TAILQ_FOREACH(j, &queue, entry)
		if (j->has_handle && memcmp(j->handle, handle, 16) == 0)
			return 1;
	return 0;
}

void
job_forget_peer(struct peer *p)
{
	struct job *j;

	if (running != NULL && running->peer == p)
		running->peer = NULL;
	TAILQ_FOREACH(j, &queue, entry)
		if (j->peer == p)
			j->peer = NULL;
}

unsigned
job_count(void)
{
	return njobs;
}
