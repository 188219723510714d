/*
 * xs_ring.c: the transport between xend's xenstore and domUs: one shared
 * ring page (struct xenstore_domain_interface) and one event channel per
 * domain, as the domain builder set them up (xc_dom_config.with_store).
 *
 * The guest produces requests into req[] and consumes replies from
 * rsp[]; we do the opposite.  Indices are free-running; a guest whose
 * indices claim more than a ring's worth is broken and is cut off (its
 * connection dropped, XENSTORE_ERROR_RINGIDX set), never trusted.
 *
 * Linux notifies only when a ring goes from empty to non-empty (req) or
 * from full to not full (rsp), so after every pass we keep going until
 * nothing moves, and notify after producing anything.
 *
 * The event channel handle is our own (not the console's), so its fd can
 * sit in the event loop: a guest waiting for a reply gets it at once.
 *
 * Restart: each domain's home and watches are kept in a state file
 * (xs_persist.c), saved when they changed, at most every SAVE_MS (a
 * flood of writes costs one save per SAVE_MS, not one per write), so a
 * kill -9 loses at most the last SAVE_MS of changes; a restarted xend
 * attaches with resume and the guest carries on at its ring indices.
 * A request xend had taken off the ring but not yet answered when it was
 * killed is lost (the guest waits for that reply).
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <xenctrl.h>

#include "log.h"
#include "public/io/xs_wire.h"
#include "xs.h"

#define MAX_RINGS	256
#define SAVE_MS		100

struct xs_ring {
	uint32_t	 domid;
	uint32_t	 local_port;
	struct xenstore_domain_interface *page;
	struct xs_conn	*conn;		/* NULL once dropped */
	unsigned long	 saved_home, saved_watches;	/* gens on disk */
	int		 own;		/* dom0's page: mmap'd, not foreign */
};

static struct {
	xc_interface	*xch;
	xc_evtchn	*xce;
	struct xs_store	*store;
	struct event	*ev;
	struct event	*ev_save;	/* a deferred save */
	char		*prefix;	/* state files: PREFIX.xs-DOMID */
	int64_t		 last_save_ms;
	struct xs_ring	 rings[MAX_RINGS];
	size_t		 n;
} xr;

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
state_path(uint32_t domid, char *buf, size_t len)
{
	snprintf(buf, len, "%s.xs-%u", xr.prefix, domid);
}

void
xs_ring_state_prefix(const char *prefix)
{
	free(xr.prefix);
	xr.prefix = prefix != NULL ? strdup(prefix) : NULL;
}

/* Save every ring whose home or watches moved since its last save. */
static void
save_all(void)
{
	char path[4200];
	unsigned long h, w;
	size_t i;
	int e;

	for (i = 0; i < xr.n; i++) {
		struct xs_ring *r = &xr.rings[i];

		if (r->conn == NULL)
			continue;
		h = xs_store_home_gen(xr.store, r->domid);
		w = xs_conn_gen(r->conn);
		if (h == r->saved_home && w == r->saved_watches)
			continue;
		state_path(r->domid, path, sizeof path);
		if ((e = xs_persist_save(xr.store, r->conn, r->domid, path))
		    != 0)
			log_warnx("xenstore: saving %s: %s", path,
			    strerror(e));
		r->saved_home = h;
		r->saved_watches = w;
	}
	xr.last_save_ms = mono_ms();
}

static void
on_save(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	save_all();
}

/* After changes: save now, or once SAVE_MS after the last save. */
static void
save_soon(void)
{
	int64_t wait = xr.last_save_ms + SAVE_MS - mono_ms();
	struct timeval tv;

	if (xr.prefix == NULL)
		return;
	if (wait <= 0 || xr.ev_save == NULL) {
		save_all();
		return;
	}
	if (evtimer_pending(xr.ev_save, NULL))
		return;
	tv.tv_sec = 0;
	tv.tv_usec = (suseconds_t)wait * 1000;
	evtimer_add(xr.ev_save, &tv);
}

static struct xs_ring *
find(uint32_t domid)
{
	size_t i;

	for (i = 0; i < xr.n; i++)
		if (xr.rings[i].domid == domid)
			return &xr.rings[i];
	return NULL;
}

static void
drop(struct xs_ring *r, uint32_t why)
{
	log_warnx("xenstore: dropping domain %u's connection (ring error "
	    "%u)", r->domid, why);
	r->page->error = why;
	xs_conn_free(r->conn);
	r->conn = NULL;
}

/* One pass over a ring: take requests, give replies.  Returns whether
 * anything moved. */
static int
serve(struct xs_ring *r)
{
	volatile struct xenstore_domain_interface *p = r->page;
	XENSTORE_RING_IDX cons, prod;
	char buf[XENSTORE_RING_SIZE];
	const char *out;
	size_t n = 0, avail, i;
	int moved = 0;

	if (r->conn == NULL)
		return 0;
	cons = p->req_cons;
	prod = p->req_prod;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - cons > XENSTORE_RING_SIZE) {
		drop(r, XENSTORE_ERROR_RINGIDX);
		return 0;
	}
	while (cons != prod)
		buf[n++] = p->req[MASK_XENSTORE_IDX(cons++)];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	p->req_cons = cons;
	if (n > 0) {
		moved = 1;
		if (xs_conn_input(r->conn, buf, n) != 0) {
			drop(r, XENSTORE_ERROR_PROTO);
			return 1;
		}
	}

	out = xs_conn_output(r->conn, &avail);
	cons = p->rsp_cons;
	prod = p->rsp_prod;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - cons > XENSTORE_RING_SIZE) {
		drop(r, XENSTORE_ERROR_RINGIDX);
		return 1;
	}
	for (i = 0; i < avail && prod - cons < XENSTORE_RING_SIZE; i++)
		p->rsp[MASK_XENSTORE_IDX(prod++)] = out[i];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	p->rsp_prod = prod;
	if (i > 0) {
		xs_conn_consume(r->conn, i);
		moved = 1;
	}
	if (xs_conn_broken(r->conn))
		drop(r, XENSTORE_ERROR_COMM);
	if (moved)
		xc_evtchn_notify(xr.xce, r->local_port);
	return moved;
}

void
xs_ring_pump(void)
{
	int port, moved;
	size_t i;

	if (xr.xce == NULL)
		return;
	while ((port = xc_evtchn_pending(xr.xce)) >= 0)
		xc_evtchn_unmask(xr.xce, (uint32_t)port);
	/* Watch events queued for one domain may come from another's
	 * write, so every ring is served until none moves; bounded so a
	 * busy guest cannot hold the loop forever. */
	for (i = 0, moved = 1; moved && i < 64; i++) {
		size_t k;

		moved = 0;
		for (k = 0; k < xr.n; k++)
			moved |= serve(&xr.rings[k]);
	}
	save_soon();
}

static void
on_event(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what; (void)arg;
	xs_ring_pump();
}

int
xs_ring_init(xc_interface *xch, char *err, size_t len)
{
	int fd, fl;

	xr.xch = xch;
	if ((xr.xce = xc_evtchn_open(xch)) == NULL) {
		snprintf(err, len, "cannot open /dev/xen/evtchn: %s",
		    xc_last_error(xch));
		return -1;
	}
	fd = xc_evtchn_fd(xr.xce);
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	xr.store = xs_store_new();
	return 0;
}

int
xs_ring_start_events(struct event_base *base)
{
	if (xr.xce == NULL || xr.ev != NULL)
		return 0;
	xr.ev = event_new(base, xc_evtchn_fd(xr.xce), EV_READ | EV_PERSIST,
	    on_event, NULL);
	if (xr.ev == NULL || event_add(xr.ev, NULL) != 0)
		return -1;
	xr.ev_save = evtimer_new(base, on_save, NULL);
	return 0;
}

int
xs_ring_has(uint32_t domid)
{
	struct xs_ring *r = find(domid);

	return r != NULL && r->conn != NULL;
}

int
xs_ring_attach(uint32_t domid, uint32_t remote_port, uint64_t mfn,
    const char *name, uint64_t target_kib, int resume, char *err, size_t len)
{
	struct xs_ring *r;
	char path[4200];
	int port, e;

	if (xr.xce == NULL) {
		snprintf(err, len, "the xenstore service is not running");
		return -ENODEV;
	}
	if (xr.n == MAX_RINGS) {
		snprintf(err, len, "too many xenstore rings (%d)", MAX_RINGS);
		return -ENOSPC;
	}
	r = &xr.rings[xr.n];
	memset(r, 0, sizeof *r);
	r->domid = domid;
	r->page = xc_map_foreign_pages(xr.xch, domid, PROT_READ | PROT_WRITE,
	    &mfn, 1);
	if (r->page == NULL) {
		snprintf(err, len, "mapping the xenstore ring (frame %#llx): "
		    "%s", (unsigned long long)mfn, xc_last_error(xr.xch));
		return -EIO;
	}
	port = xc_evtchn_bind_interdomain(xr.xce, domid, remote_port);
	if (port < 0) {
		snprintf(err, len, "binding the xenstore event channel "
		    "(domain %u port %u): %s", domid, remote_port,
		    xc_last_error(xr.xch));
		xc_unmap_foreign(xr.xch, r->page, 1);
		return -EIO;
	}
	r->local_port = (uint32_t)port;
	if (xs_domain_introduce(xr.store, domid, name, target_kib) != 0) {
		snprintf(err, len, "cannot create the domain's xenstore home "
		    "(name \"%s\")", name);
		xc_evtchn_unbind(xr.xce, r->local_port);
		xc_unmap_foreign(xr.xch, r->page, 1);
		return -EINVAL;
	}
	r->conn = xs_conn_new(xr.store, domid);
	xr.n++;
	/* Attached again after a restart: its home and watches as they
	 * were (over what introduce wrote), then the ring where it was. */
	if (resume && xr.prefix != NULL) {
		state_path(domid, path, sizeof path);
		if ((e = xs_persist_load(xr.store, r->conn, path)) != 0)
			log_warnx("xenstore: domain %u: %s: %s; its store "
			    "starts afresh", domid, path, strerror(e));
		else
			log_info("xenstore: domain %u: home and watches "
			    "restored from %s", domid, path);
	}
	xs_ring_pump();
	return 0;
}

/*
 * Is this the same dom0 kernel boot the state file PREFIX.xs-0 was
 * written in?  Each attach notes dom0's boot_id beside it; a restarted
 * xend finds the same id and gives the kernel back its watches (xenbus's
 * on "backend") and the backend directories, so removing a guest's
 * devices still reaches blkback.  After a reboot of dom0 the old file
 * describes devices of a previous life: ignored.
 */
static int
dom0_same_boot(void)
{
	char path[4200], now[64] = "", then[64] = "";
	FILE *f;
	int same;

	if ((f = fopen("/proc/sys/kernel/random/boot_id", "r")) != NULL) {
		if (fgets(now, sizeof now, f) == NULL)
			now[0] = '\0';
		fclose(f);
	}
	snprintf(path, sizeof path, "%s.xs-0.boot", xr.prefix);
	if ((f = fopen(path, "r")) != NULL) {
		if (fgets(then, sizeof then, f) == NULL)
			then[0] = '\0';
		fclose(f);
	}
	same = now[0] != '\0' && strcmp(now, then) == 0;
	if (!same && now[0] != '\0' && (f = fopen(path, "w")) != NULL) {
		fputs(now, f);
		fclose(f);
	}
	return same;
}

/*
 * Domain 0's kernel is a xenstore client too: its xenbus drives the
 * backends (xen-blkback) and, with no store_evtchn in its start_info,
 * it runs as the "local" store's client: it allocates the ring page and
 * an unbound port for itself and offers both through xenfs, waiting for
 * a store daemon to bind the port and notify it (then it probes its
 * busses).  That daemon is us.
 */
int
xs_ring_attach_dom0(char *err, size_t len)
{
	struct xs_ring *r;
	char buf[32], *end;
	unsigned long port;
	ssize_t n;
	int fd, lport;

	if (xr.xce == NULL || find(0) != NULL || xr.n == MAX_RINGS) {
		snprintf(err, len, "the xenstore service is not running");
		return -ENODEV;
	}
	if ((fd = open("/proc/xen/xsd_port", O_RDONLY)) < 0) {
		snprintf(err, len, "/proc/xen/xsd_port: %s (xenfs not "
		    "mounted on /proc/xen?)", strerror(errno));
		return -errno;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	errno = 0;
	port = strtoul(buf, &end, 10);
	if (n <= 0 || end == buf || errno != 0 || port == 0 ||
	    port > 0xffffff) {
		snprintf(err, len, "/proc/xen/xsd_port: no port (\"%s\")",
		    buf);
		return -EINVAL;
	}
	r = &xr.rings[xr.n];
	memset(r, 0, sizeof *r);
	r->own = 1;
	if ((fd = open("/proc/xen/xsd_kva", O_RDWR)) < 0) {
		snprintf(err, len, "/proc/xen/xsd_kva: %s", strerror(errno));
		return -errno;
	}
	r->page = mmap(NULL, XC_PAGE_SIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	close(fd);
	if (r->page == MAP_FAILED) {
		snprintf(err, len, "mapping /proc/xen/xsd_kva: %s",
		    strerror(errno));
		return -errno;
	}
	lport = xc_evtchn_bind_interdomain(xr.xce, 0, (uint32_t)port);
	if (lport < 0) {
		snprintf(err, len, "binding domain 0's xenstore port %lu: %s",
		    port, xc_last_error(xr.xch));
		munmap(r->page, XC_PAGE_SIZE);
		return -EIO;
	}
	r->domid = 0;
	r->local_port = (uint32_t)lport;
	r->conn = xs_conn_new(xr.store, 0);
	xr.n++;
	xs_tree_mkdir(xr.store, 0, "/local/domain/0/backend");
	if (xr.prefix != NULL && dom0_same_boot()) {
		char path[4200];
		int e;

		state_path(0, path, sizeof path);
		if ((e = xs_persist_load(xr.store, r->conn, path)) != 0)
			log_warnx("xenstore: Domain-0: %s: %s; its backend "
			    "nodes start afresh", path, strerror(e));
		else
			log_info("xenstore: Domain-0's backend nodes and "
			    "watches restored from %s", path);
	}
	/* The kernel waits for this first event before it probes. */
	xc_evtchn_notify(xr.xce, r->local_port);
	xs_ring_pump();
	return 0;
}

int
xs_ring_mkdir(const char *path)
{
	int e;

	if (xr.store == NULL)
		return ENODEV;
	if ((e = xs_tree_mkdir(xr.store, 0, path)) == 0)
		xs_ring_pump();
	return e;
}

int
xs_ring_rm(const char *path)
{
	int e;

	if (xr.store == NULL)
		return ENODEV;
	if ((e = xs_tree_rm(xr.store, 0, path)) == 0)
		xs_ring_pump();
	return e;
}

void
xs_ring_detach(uint32_t domid)
{
	struct xs_ring *r = find(domid);
	char path[4200];

	if (r == NULL)
		return;
	xs_conn_free(r->conn);
	xs_domain_forget(xr.store, domid);
	if (xr.prefix != NULL) {
		state_path(domid, path, sizeof path);
		unlink(path);
	}
	xc_evtchn_unbind(xr.xce, r->local_port);
	if (r->own)
		munmap(r->page, XC_PAGE_SIZE);
	else
		xc_unmap_foreign(xr.xch, r->page, 1);
	*r = xr.rings[--xr.n];
}

int
xs_ring_write(const char *path, const char *val)
{
	int e;

	if (xr.store == NULL)
		return ENODEV;
	if ((e = xs_tree_write(xr.store, 0, path, val, strlen(val))) == 0)
		xs_ring_pump();		/* and saves the change */
	return e;
}

/* Make dir as domain 0 and give it a list ("n5 r0"). */
static int
mkdir_perms(const char *dir, const char *text)
{
	char wire[64];
	size_t n;
	int e;

	n = xs_perms_from_text(text, wire, sizeof wire);
	if ((e = xs_tree_mkdir(xr.store, 0, dir)) != 0 ||
	    (e = xs_tree_set_perms(xr.store, 0, dir, wire, n)) != 0)
		return e;
	return 0;
}

int
xs_ring_device_dirs(uint32_t domid, const char *fe, const char *be)
{
	char text[32];
	int e;

	if (xr.store == NULL)
		return ENODEV;
	/* As xl: the guest owns its frontend, the backend (domain 0, with
	 * full rights anyway) may read it; the backend is domain 0's and
	 * the guest may read it, to follow its state, never change it. */
	snprintf(text, sizeof text, "n%u r0", domid);
	if ((e = mkdir_perms(fe, text)) != 0)
		return e;
	snprintf(text, sizeof text, "n0 r%u", domid);
	if ((e = mkdir_perms(be, text)) == 0)
		xs_ring_pump();
	return e;
}

int
xs_ring_read(const char *path, char *buf, size_t len)
{
	const char *val;
	size_t n;
	int e;

	if (xr.store == NULL)
		return ENODEV;
	if ((e = xs_tree_read(xr.store, 0, path, &val, &n)) != 0)
		return e;
	if (len == 0 || n >= len)
		return E2BIG;
	memcpy(buf, val, n);
	buf[n] = '\0';
	return 0;
}

int
xs_ring_directory(const char *path, char **names, size_t *len)
{
	if (xr.store == NULL)
		return ENODEV;
	return xs_tree_directory(xr.store, 0, path, names, len);
}

void
xs_ring_fini(void)
{
	/* An orderly stop keeps the state files: the domains run on and
	 * the next xend attaches again.  Only the in-memory side goes. */
	save_all();
	while (xr.n > 0) {
		struct xs_ring *r = &xr.rings[xr.n - 1];

		xs_conn_free(r->conn);
		xc_evtchn_unbind(xr.xce, r->local_port);
		xc_unmap_foreign(xr.xch, r->page, 1);
		xr.n--;
	}
	if (xr.ev != NULL)
		event_free(xr.ev);
	xr.ev = NULL;
	if (xr.ev_save != NULL)
		event_free(xr.ev_save);
	xr.ev_save = NULL;
	xs_store_free(xr.store);
	xr.store = NULL;
	if (xr.xce != NULL)
		xc_evtchn_close(xr.xce);
	xr.xce = NULL;
}
