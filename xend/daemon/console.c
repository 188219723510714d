/*
 * console.c: domain consoles as xend keeps them.
 *
 * Every domU's console output is pulled from the backend
 * (hv_console_read, by offset) into a log file per domain name,
 * LOG_DIR/console/NAME.log, and handed to attached clients (peer.c) as
 * it arrives.  A log that reaches CONS_LOG_MAX bytes is rotated to
 * NAME.log.1 (the older one is dropped), so a domain's console costs at
 * most twice that on disk, and attaching replays both files in order.
 *
 * Output is pulled from the event loop: as soon as a guest signals it
 * wrote (when the backend offers a descriptor for that, hv_console_fd:
 * the xc backend's console event channels), and in any case every
 * CONS_IDLE_MS, and every CONS_ATTACHED_MS while at least one client is
 * attached.  So the log is current within moments of the guest's write,
 * as xenconsoled's is on Xen (the benchmark's create -> prompt figure
 * reads it, docs/benchmarks.md), without the loop polling fast for
 * nobody.
 *
 * A created domain's log starts afresh.  A restored one goes on with its
 * saved self's log: the history from before the save, one line marking
 * the restore (RESTORE_MARK, with the new domain id, the file and the
 * time), then what it prints from then on, as a guest's console on xl
 * keeps one file per name.  A domain found at xend's start-up has its
 * log rebuilt from the backend, which keeps everything the domain
 * printed (as a domain: since its create or its restore): so only what
 * follows its restore line, if the log has one for it, is cut and read
 * again, and the history before the save stays.
 *
 * Text sent to clients must be JSON strings, hence valid UTF-8: bytes
 * that are not become '?', NUL is dropped, and a multibyte character
 * split between two reads is held back until its end arrives.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xend.h"
#include "xmalloc.h"

#define CONS_IDLE_MS		1000
#define CONS_ATTACHED_MS	50
/* Per backend read, and reads per domain per turn (bounded work). */
#define CONS_READ		65536
#define CONS_READS_MAX		16
/* A restore's line in the log: RESTORE_MARK "5 from FILE at TIME ---". */
#define RESTORE_MARK		"--- xend: restored as domain "

struct conslog {
	TAILQ_ENTRY(conslog) entry;
	uint32_t	 domid;
	char		*name;
	uint64_t	 hvoff;		/* backend output consumed so far */
	int		 fd;		/* NAME.log, or -1 */
	uint64_t	 size;		/* bytes in NAME.log */
	int		 none;		/* the backend had no console for it */
	char		 carry[4];	/* start of a split UTF-8 character */
	size_t		 ncarry;
};
static TAILQ_HEAD(, conslog) logs = TAILQ_HEAD_INITIALIZER(logs);
static struct event *ev_pump;
static struct event *ev_ready;	/* the backend's console descriptor */
static unsigned nattached;
static console_sink_fn sink;
static int starting;		/* console_start's pass: found domains */

/* Length of the UTF-8 sequence a lead byte starts, 0 if none. */
static size_t
seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

json_t *
console_text(const char *buf, size_t len, int final, size_t *used)
{
	char *out = xmalloc(len + 1);
	size_t i = 0, o = 0, n;
	json_t *j;

	while (i < len) {
		n = seq_len((unsigned char)buf[i]);
		if (n > 1 && i + n > len && !final) {
			/* Maybe the start of a character cut by the read. */
			size_t k;
			int cut = 1;

			for (k = 1; i + k < len; k++)
				if (((unsigned char)buf[i + k] & 0xc0) != 0x80)
					cut = 0;
			if (cut)
				break;
		}
		if (n == 0 || i + n > len || !proto_utf8_valid(buf + i, n)) {
			out[o++] = '?';
			i++;
			continue;
		}
		if (buf[i] != '\0') {
			memcpy(out + o, buf + i, n);
			o += n;
		}
		i += n;
	}
	*used = i;
	j = json_stringn(out, o);
	free(out);
	return j != NULL ? j : json_string("");
}

static void
log_path(const char *name, int old, char *out, size_t len)
{
	snprintf(out, len, "%s/console/%s.log%s", xend->conf.log_dir, name,
	    old ? ".1" : "");
}

const char *
console_log_path(const char *name)
{
	static char path[1024];

	log_path(name, 0, path, sizeof path);
	return path;
}

static int
open_log(struct conslog *c, int trunc)
{
	char path[1024], dir[1024];
	struct stat st;

	snprintf(dir, sizeof dir, "%s/console", xend->conf.log_dir);
	if (mkdir(xend->conf.log_dir, 0700) == -1 && errno != EEXIST)
		return -1;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -1;
	log_path(c->name, 0, path, sizeof path);
	c->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    (trunc ? O_TRUNC : 0), 0600);
	if (c->fd < 0) {
		log_warn("%s", path);
		return -1;
	}
	c->size = fstat(c->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

/*
 * The offset just past the last restore line for domid in the file at
 * path, or -1 if it has none (or cannot be read).  The file is at most
 * CONS_LOG_MAX and a bit: read whole.
 */
static off_t
restore_mark_end(const char *path, uint32_t domid)
{
	char want[64], *buf, *p, *hit = NULL, *nl;
	struct stat st;
	size_t len, got = 0;
	ssize_t n;
	off_t end = -1;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 ||
	    st.st_size > 2 * CONS_LOG_MAX) {
		close(fd);
		return -1;
	}
	len = (size_t)st.st_size;
	buf = xmalloc(len + 1);
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	snprintf(want, sizeof want, RESTORE_MARK "%u from ", domid);
	for (p = buf; (p = memmem(p, got - (size_t)(p - buf), want,
	    strlen(want))) != NULL; p++)
		if (p == buf || p[-1] == '\n')
			hit = p;
	if (hit != NULL && (nl = memchr(hit, '\n', got - (size_t)(hit -
	    buf))) != NULL)
		end = (off_t)(nl + 1 - buf);
	free(buf);
	return end;
}

/*
 * A domain found at start-up: keep its log up to its restore line, if it
 * has one (in NAME.log, or in NAME.log.1 with NAME.log then all after
 * it), since the backend gives it again only what followed.
 */
static void
open_log_found(struct conslog *c)
{
	char path[1024], old[1024];
	off_t end;

	log_path(c->name, 0, path, sizeof path);
	log_path(c->name, 1, old, sizeof old);
	if ((end = restore_mark_end(path, c->domid)) >= 0) {
		if (truncate(path, end) != 0)
			log_warn("%s", path);
		open_log(c, 0);
		return;
	}
	if ((end = restore_mark_end(old, c->domid)) >= 0) {
		if (truncate(old, end) != 0)
			log_warn("%s", old);
		open_log(c, 1);
		return;
	}
	open_log(c, 1);
}

static void
rotate(struct conslog *c)
{
	char path[1024], old[1024];

	log_path(c->name, 0, path, sizeof path);
	log_path(c->name, 1, old, sizeof old);
	close(c->fd);
	if (rename(path, old) == -1)
		log_warn("rotating %s", path);
	open_log(c, 1);
}

static struct conslog *
find(uint32_t domid)
{
	struct conslog *c;

	TAILQ_FOREACH(c, &logs, entry)
		if (c->domid == domid)
			return c;
	return NULL;
}

static void
drop(struct conslog *c)
{
	TAILQ_REMOVE(&logs, c, entry);
	if (c->fd >= 0)
		close(c->fd);
	if (sink != NULL)
		sink(c->domid, NULL);
	free(c->name);
	free(c);
}

/* Pull c's new output into its log and to the attached clients. */
static void
pump_one(struct conslog *c)
{
	char buf[CONS_READ + sizeof c->carry];
	size_t got, used;
	json_t *text;
	int i;

	for (i = 0; i < CONS_READS_MAX; i++) {
		memcpy(buf, c->carry, c->ncarry);
		/* Asked again each turn: the backend may attach a new
		 * domain's console just after xend first sees it. */
		if (hv_console_read(xend->hv, c->domid, c->hvoff,
		    buf + c->ncarry, CONS_READ, &got) != 0) {
			if (c->hvoff == 0 && !c->none)
				log_debug("domain %u: no console: %s",
				    c->domid, hv_errmsg(xend->hv));
			c->none = c->hvoff == 0;
			return;
		}
		c->none = 0;
		if (got == 0)
			return;
		c->hvoff += got;
		if (c->fd >= 0) {
			if (write(c->fd, buf + c->ncarry, got) != (ssize_t)got)
				log_warn("console log of %s", c->name);
			c->size += got;
			if (c->size >= CONS_LOG_MAX)
				rotate(c);
		}
		got += c->ncarry;
		text = console_text(buf, got, 0, &used);
		c->ncarry = got - used;
		memcpy(c->carry, buf + used, c->ncarry);
		if (sink != NULL && json_string_length(text) > 0)
			sink(c->domid, text);
		json_decref(text);
	}
}

/* d's log, made on first sight (for a domain found at start-up by
 * console_start's pass, created ones afterwards). */
static struct conslog *
track(const struct domain *d)
{
	struct conslog *c = find(d->rec.domid);

	if (c != NULL && strcmp(c->name, d->rec.name) != 0) {
		drop(c);
		c = NULL;
	}
	if (c == NULL) {
		c = xcalloc(1, sizeof *c);
		c->domid = d->rec.domid;
		c->name = xstrdup(d->rec.name);
		c->fd = -1;
		if (starting)
			open_log_found(c);
		else
			open_log(c, 1);
		TAILQ_INSERT_TAIL(&logs, c, entry);
	}
	return c;
}

/* Follow xend's domain table: new domains get a log, gone ones lose it
 * (restored ones have theirs from console_restored already). */
void
console_pump(void)
{
	struct conslog *c, *tc;
	struct domain *d;

	TAILQ_FOREACH(d, &xend->domains, entry)
		if (d->rec.domid != 0)
			pump_one(track(d));
	TAILQ_FOREACH_SAFE(c, &logs, entry, tc) {
		TAILQ_FOREACH(d, &xend->domains, entry)
			if (d->rec.domid == c->domid)
				break;
		if (d == NULL) {
			pump_one(c);	/* its last words */
			/* All it printed is in NAME.log: the backend's copy
			 * (a file per domain id) may go. */
			hv_console_release(xend->hv, c->domid);
			drop(c);
		}
	}
}

/* d leaves xend's table (saved, destroyed, gone): take in what it
 * printed now, even if no pass has met it yet (a create followed at
 * once by a save), so its log has it for a later restore.  Not once
 * the console has stopped (xend's own exit frees the table). */
void
console_forget(const struct domain *d)
{
	if (ev_pump == NULL || d->rec.domid == 0)
		return;
	pump_one(track(d));
}

void
console_restored(const struct domain *d, const char *path)
{
	struct conslog *c;
	char line[1400], when[64], last = '\n';
	struct tm tm;
	time_t now = time(NULL);
	int n, rfd;

	if ((c = find(d->rec.domid)) != NULL)
		drop(c);
	c = xcalloc(1, sizeof *c);
	c->domid = d->rec.domid;
	c->name = xstrdup(d->rec.name);
	c->fd = -1;
	TAILQ_INSERT_TAIL(&logs, c, entry);
	if (open_log(c, 0) != 0)
		return;
	/* The line starts a line of its own even after a prompt (the log
	 * is open append-only: its last byte is read through another). */
	if (c->size > 0 && (rfd = open(console_log_path(c->name), O_RDONLY |
	    O_CLOEXEC)) >= 0) {
		if (pread(rfd, &last, 1, (off_t)c->size - 1) != 1)
			last = '\n';
		close(rfd);
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
	n = snprintf(line, sizeof line, "%s" RESTORE_MARK "%u from %s at %s "
	    "---\n", last == '\n' ? "" : "\n", d->rec.domid, path, when);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	if (write(c->fd, line, (size_t)n) != n)
		log_warn("console log of %s", c->name);
	else
		c->size += (uint64_t)n;
}

static void
arm(void)
{
	struct timeval tv;
	int ms = nattached > 0 ? CONS_ATTACHED_MS : CONS_IDLE_MS;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(ev_pump, &tv);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	console_pump();
	arm();
}

/* A guest wrote: take it in (which quiets the descriptor), then pull.
 * A descriptor that failed may stay readable: rather than spin on it,
 * stop watching it and go on with the timer alone. */
static void
on_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (hv_console_poll(xend->hv) != 0) {
		log_warnx("console notifications failed (%s); consoles are "
		    "pulled every %d ms from now on", strerror(errno),
		    CONS_IDLE_MS);
		event_del(ev_ready);
	}
	console_pump();
}

void
console_start(console_sink_fn fn)
{
	int fd;

	sink = fn;
	ev_pump = evtimer_new(xend->base, on_timer, NULL);
	if (ev_pump == NULL)
		fatalx("cannot create the console timer");
	arm();
	if ((fd = hv_console_fd(xend->hv)) >= 0) {
		ev_ready = event_new(xend->base, fd, EV_READ | EV_PERSIST,
		    on_ready, NULL);
		if (ev_ready == NULL || event_add(ev_ready, NULL) != 0)
			fatalx("cannot watch the console descriptor");
	}
	starting = 1;
	console_pump();
	starting = 0;
}

void
console_stop(void)
{
	struct conslog *c;

	if (ev_pump != NULL)
		event_free(ev_pump);
	ev_pump = NULL;
	if (ev_ready != NULL)
		event_free(ev_ready);
	ev_ready = NULL;
	sink = NULL;
	while ((c = TAILQ_FIRST(&logs)) != NULL)
		drop(c);
}

void
console_attached(int delta)
{
	nattached += delta;
	if (ev_pump != NULL) {
		evtimer_del(ev_pump);
		arm();
	}
}

/* Send the log so far (NAME.log.1 then NAME.log) in pieces to fn. */
int
console_history(const struct domain *d, void (*fn)(void *, json_t *),
    void *arg)
{
	char path[1024], buf[CONS_READ];
	size_t have = 0, used;
	ssize_t n;
	json_t *text;
	int fd, old;

	console_pump();
	for (old = 1; old >= 0; old--) {
		log_path(d->rec.name, old, path, sizeof path);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		while ((n = read(fd, buf + have, sizeof buf - have)) > 0) {
			have += (size_t)n;
			text = console_text(buf, have, 0, &used);
			fn(arg, text);
			memmove(buf, buf + used, have - used);
			have -= used;
		}
		close(fd);
	}
	if (have > 0) {
		text = console_text(buf, have, 1, &used);
		fn(arg, text);
	}
	return 0;
}

int
console_has(const struct domain *d)
{
	struct conslog *c = find(d->rec.domid);

	return c != NULL && !c->none;
}
