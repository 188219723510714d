/*
 * hv_xc_console.c: the console service for domains the xc backend built.
 *
 * Each domU gets a console ring page (struct xencons_interface) and an
 * event channel from the domain builder.  xend maps the page, binds the
 * channel through /dev/xen/evtchn, and copies whatever the guest wrote to
 * the ring's "out" half into LOG_DIR/console-DOMID.log, so the output
 * survives the domain and any number of readers, until xend has taken
 * all of a gone domain's output into its console/NAME.log and releases
 * the file (hvcons_release).  Copying happens at
 * every console read and every domain refresh (each command and each
 * sampler tick), so a guest that writes more than a ring (2 KiB) between
 * two refreshes waits for space.  After consuming, the guest is notified:
 * a guest that filled the ring is waiting for that.
 *
 * Input goes the other way through the "in" half (hvcons_write).
 *
 * A restarted xend attaches again (resume) from what hv_xc_persist.c
 * kept: the guest's port waits unbound for dom0 to bind it again (the
 * hypervisor leaves it so when our end closed), the ring's indices are
 * in the page, and the log is appended to, not truncated.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenctrl.h>

#include "hv_xc_console.h"
#include "public/io/console.h"
#include "xmalloc.h"

#define MAX_CONSOLES	256

struct hvcons {
	uint32_t	 domid;
	uint32_t	 local_port;
	struct xencons_interface *ring;
	int		 log_fd;
	uint64_t	 written;
};

static struct {
	xc_interface	*xch;
	xc_evtchn	*xce;
	char		*log_dir;
	struct hvcons	 cons[MAX_CONSOLES];
	size_t		 n;
} cs;

static struct hvcons *
find(uint32_t domid)
{
	size_t i;

	for (i = 0; i < cs.n; i++)
		if (cs.cons[i].domid == domid)
			return &cs.cons[i];
	return NULL;
}

/* Move the guest's output from the ring to the log; notify if we took
 * anything.  Indices are free-running; only their difference matters, and
 * a guest that claims more than the ring holds is clamped. */
static void
drain(struct hvcons *c)
{
	volatile struct xencons_interface *r = c->ring;
	XENCONS_RING_IDX cons = r->out_cons, prod = r->out_prod;
	char buf[sizeof r->out];
	size_t n = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - cons > sizeof r->out)
		cons = prod - sizeof r->out;
	while (cons != prod && n < sizeof buf)
		buf[n++] = r->out[cons++ % sizeof r->out];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->out_cons = cons;
	if (n == 0)
		return;
	if (c->log_fd >= 0 && write(c->log_fd, buf, n) == (ssize_t)n)
		c->written += n;
	xc_evtchn_notify(cs.xce, c->local_port);
}

int
hvcons_pump(void)
{
	size_t i;
	int port, broken;

	if (cs.xce == NULL)
		return -1;
	/* Acknowledge what fired; the rings are drained either way. */
	while ((port = xc_evtchn_pending(cs.xce)) >= 0)
		xc_evtchn_unmask(cs.xce, (uint32_t)port);
	broken = errno != EAGAIN;
	for (i = 0; i < cs.n; i++)
		drain(&cs.cons[i]);
	return broken ? -1 : 0;
}

int
hvcons_fd(void)
{
	return cs.xce != NULL ? xc_evtchn_fd(cs.xce) : -1;
}

int
hvcons_init(xc_interface *xch, const char *log_dir, char *err, size_t len)
{
	int fd, fl;

	cs.xch = xch;
	free(cs.log_dir);
	cs.log_dir = xstrdup(log_dir != NULL ? log_dir : "/var/log/xend");
	/* The first guest's log is opened here, maybe before anything else
	 * of xend has made the directory (a fresh /var/log under systemd). */
	(void)mkdir(cs.log_dir, 0700);
	if ((cs.xce = xc_evtchn_open(xch)) == NULL) {
		snprintf(err, len, "cannot open /dev/xen/evtchn: %s",
		    xc_last_error(xch));
		return -1;
	}
	/* Never block the event loop waiting for a port. */
	fd = xc_evtchn_fd(cs.xce);
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	return 0;
}

static void
log_path(uint32_t domid, char *out, size_t len)
{
	snprintf(out, len, "%s/console-%u.log", cs.log_dir, domid);
}

int
hvcons_attach(uint32_t domid, uint32_t remote_port, uint64_t mfn, int resume,
    char *err, size_t len)
{
	struct hvcons *c;
	char path[512];
	int port;

	if (cs.xce == NULL) {
		snprintf(err, len, "the console service is not running");
		return -ENODEV;
	}
	if (cs.n == MAX_CONSOLES) {
		snprintf(err, len, "too many consoles (%d)", MAX_CONSOLES);
		return -ENOSPC;
	}
	c = &cs.cons[cs.n];
	memset(c, 0, sizeof *c);
	c->domid = domid;
	c->ring = xc_map_foreign_pages(cs.xch, domid, PROT_READ | PROT_WRITE,
	    &mfn, 1);
	if (c->ring == NULL) {
		snprintf(err, len, "mapping the console ring (frame %#llx): %s",
		    (unsigned long long)mfn, xc_last_error(cs.xch));
		return -errno;
	}
	port = xc_evtchn_bind_interdomain(cs.xce, domid, remote_port);
	if (port < 0) {
		snprintf(err, len, "binding the console event channel (domain "
		    "%u port %u): %s", domid, remote_port,
		    xc_last_error(cs.xch));
		xc_unmap_foreign(cs.xch, c->ring, 1);
		return -EIO;
	}
	c->local_port = (uint32_t)port;
	log_path(domid, path, sizeof path);
	c->log_fd = open(path, O_WRONLY | O_CREAT | (resume ? 0 : O_TRUNC) |
	    O_APPEND | O_CLOEXEC, 0600);
	if (c->log_fd < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		xc_evtchn_unbind(cs.xce, c->local_port);
		xc_unmap_foreign(cs.xch, c->ring, 1);
		return -EIO;
	}
	cs.n++;
	drain(c);
	return 0;
}

void
hvcons_detach(uint32_t domid)
{
	struct hvcons *c = find(domid);

	if (c == NULL)
		return;
	drain(c);
	xc_evtchn_unbind(cs.xce, c->local_port);
	xc_unmap_foreign(cs.xch, c->ring, 1);
	close(c->log_fd);
	*c = cs.cons[--cs.n];
}

/* xend has all domid's output and the domain is gone: its file goes, or
 * console-DOMID.log files would pile up as domain ids go round (xend keeps
 * the output in console/NAME.log).  Not while the console is attached:
 * then the domain is still there. */
void
hvcons_release(uint32_t domid)
{
	char path[512];

	if (cs.log_dir == NULL || find(domid) != NULL)
		return;
	log_path(domid, path, sizeof path);
	unlink(path);
}

int
hvcons_read(uint32_t domid, uint64_t off, char *buf, size_t len,
    size_t *got, char *err, size_t errlen)
{
	char path[512];
	ssize_t n;
	int fd;

	hvcons_pump();
	*got = 0;
	if (cs.log_dir == NULL) {
		snprintf(err, errlen, "the console service is not running");
		return -ENOENT;
	}
	log_path(domid, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "domain %u has no console: xend did not "
		    "build it, or was restarted since", domid);
		return -ENOENT;
	}
	n = pread(fd, buf, len, (off_t)off);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -EIO;
	}
	*got = (size_t)n;
	return 0;
}

int
hvcons_write(uint32_t domid, const char *data, size_t len, size_t *put)
{
	struct hvcons *c = find(domid);
	volatile struct xencons_interface *r;
	XENCONS_RING_IDX cons, prod;

	*put = 0;
	if (c == NULL)
		return -ENOENT;
	r = c->ring;
	cons = r->in_cons;
	prod = r->in_prod;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (*put < len && prod - cons < sizeof r->in)
		r->in[prod++ % sizeof r->in] = data[(*put)++];
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->in_prod = prod;
	xc_evtchn_notify(cs.xce, c->local_port);
	return 0;
}

void
hvcons_fini(void)
{
	while (cs.n > 0)
		hvcons_detach(cs.cons[0].domid);
	if (cs.xce != NULL)
		xc_evtchn_close(cs.xce);
	cs.xce = NULL;
	free(cs.log_dir);
	cs.log_dir = NULL;
}
