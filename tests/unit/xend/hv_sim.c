/*
 * hv_sim.c: a simulated hypervisor for host testing.
 *
 * It behaves like a real one where xend can observe it: domain ids are
 * handed out in increasing order, memory is a fixed pool that refuses
 * over-commit, states follow pause/unpause/shutdown/destroy, CPU time
 * grows with wall-clock time while a domain runs, and the hypervisor log
 * is a byte-bounded ring with sequence numbers that wraps and loses its
 * oldest lines.  The state lives in a small text file, rewritten after
 * every change, so that like a real hypervisor it outlives xend: a
 * restarted xend finds the same domains and the same log.
 *
 * It is a test double: linked into the unit tests and the test daemon
 * xend-sim, never into the shipped xend.  Like the real builder it refuses
 * a kernel or ramdisk it cannot read.  Save writes a small file of its own
 * (the domain's shape and xend's blob) and restore reads it back
 * (hv_sim_save.c).
 *
 * Threads: slow operations run on xend's worker thread on a job handle
 * sharing this state, so every operation holds the simulator's lock.
 * XEND_SIM_DELAY_MS in the environment makes create, save and restore
 * take that long (in ten steps, reporting progress, outside the lock),
 * so tests can show xend stays responsive meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "hv.h"
#include "hv_sim.h"
#include "xmalloc.h"

int64_t
sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t
dom_cpu_ns(const struct sim_dom *d, int64_t now)
{
	uint64_t ns = d->cpu_ns_base;

	if (d->run_since != 0 && now > d->run_since)
		ns += (uint64_t)(now - d->run_since) * d->vcpus * d->load / 1000;
	return ns;
}

/* Stop or start the CPU clock of d as its state changes. */
void
sim_dom_set_state(struct sim_dom *d, enum hv_state st)
{
	int64_t now = sim_now_ns();

	if (d->run_since != 0) {
		d->cpu_ns_base = dom_cpu_ns(d, now);
		d->run_since = 0;
	}
	d->state = st;
	if (st == HV_RUNNING)
		d->run_since = now;
}

void
sim_log(struct sim *s, const char *fmt, ...)
{
	char body[512], *text;
	va_list ap;
	int64_t up = sim_now_ns() - s->boot_ns;

	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	xasprintf(&text, "(XEN) [%6" PRId64 ".%06" PRId64 "] %s",
	    up / 1000000000, (up / 1000) % 1000000, body);
	s->log = xreallocarray(s->log, s->nlog + 1, sizeof *s->log);
	s->log[s->nlog].seq = s->next_seq++;
	s->log[s->nlog].text = text;
	s->nlog++;
	s->log_bytes += strlen(text) + 1;
	/* Drop the oldest lines, as a real console ring overwrites them. */
	while (s->log_bytes > s->log_cap && s->nlog > 1) {
		s->log_bytes -= strlen(s->log[0].text) + 1;
		free(s->log[0].text);
		memmove(s->log, s->log + 1, (s->nlog - 1) * sizeof *s->log);
		s->nlog--;
	}
}

static uint64_t
used_kib(const struct sim *s)
{
	uint64_t u = SIM_HV_RESERVED_KIB;
	size_t i;

	for (i = 0; i < s->ndoms; i++)
		u += s->doms[i].mem_kib;
	return u;
}

#define find_dom sim_find_dom

struct sim_dom *
sim_find_dom(struct sim *s, uint32_t domid)
{
	size_t i;

	for (i = 0; i < s->ndoms; i++)
		if (s->doms[i].domid == domid)
			return &s->doms[i];
	return NULL;
}

/*
 * The guest's balloon driver, run lazily: move d towards its target at
 * its rate for the time since the last step, while it runs.  Growth
 * takes only free memory, and never past maxmem (the hypervisor's
 * limit, which a deadline may have lowered).
 */
/*
 * XEND_SIM_BALLOON_HOLD=PATH: while PATH exists, a guest with a finite
 * balloon rate does not move at all (and no time accrues for it), so a
 * test can look at a guest that has not reached its target without
 * racing the clock: it creates the file before mem-set and removes it
 * when the guest may go on.  Instant and refusing guests ignore it.
 */
static int
balloon_held(const struct sim_dom *d)
{
	const char *hold = getenv("XEND_SIM_BALLOON_HOLD");

	return d->balloon_kibps != SIM_BALLOON_INSTANT && hold != NULL &&
	    hold[0] != '\0' && access(hold, F_OK) == 0;
}

static void
balloon_step(struct sim *s, struct sim_dom *d, int64_t now)
{
	uint64_t step, free_kib, limit;
	int64_t dt = now - d->balloon_since;

	d->balloon_since = now;
	if (d->state != HV_RUNNING || d->mem_kib == d->target_kib ||
	    d->balloon_kibps == 0 || dt <= 0 || balloon_held(d))
		return;
	step = d->balloon_kibps == SIM_BALLOON_INSTANT ? UINT64_MAX :
	    d->balloon_kibps * (uint64_t)dt / 1000000000;
	if (d->mem_kib > d->target_kib) {
		if (step > d->mem_kib - d->target_kib)
			step = d->mem_kib - d->target_kib;
		d->mem_kib -= step;
		return;
	}
	free_kib = s->total_kib - used_kib(s);
	limit = d->target_kib < d->maxmem_kib ? d->target_kib :
	    d->maxmem_kib;
	if (d->mem_kib >= limit)
		return;
	if (step > limit - d->mem_kib)
		step = limit - d->mem_kib;
	if (step > free_kib)
		step = free_kib;
	d->mem_kib += step;
}

static void
balloon_all(struct sim *s, int64_t now)
{
	size_t i;

	for (i = 0; i < s->ndoms; i++)
		balloon_step(s, &s->doms[i], now);
}

static void
make_boot_id(char *out, size_t len)
{
	unsigned char r[16];
	int fd, k;
	size_t off = 0;

	memset(r, 0, sizeof r);
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, r, sizeof r) != (ssize_t)sizeof r)
			memset(r, 0, sizeof r);
		close(fd);
	}
	if (r[0] == 0 && r[1] == 0) {
		uint64_t t = (uint64_t)sim_now_ns() ^ (uint64_t)getpid();
		memcpy(r, &t, sizeof t);
	}
	for (k = 0; k < 16 && off + 3 <= len; k++)
		off += (size_t)snprintf(out + off, len - off, "%02x", r[k]);
}

static int
sim_open(struct hv *hv, const struct xend_conf *conf)
{
	struct sim *s = xcalloc(1, sizeof *s);
	struct sim_dom dom0;
	FILE *f;
	int rc;

	hv->priv = s;
	pthread_mutex_init(&s->lock, NULL);
	if (getenv("XEND_SIM_DELAY_MS") != NULL)
		s->delay_ms = (unsigned)strtoul(getenv("XEND_SIM_DELAY_MS"),
		    NULL, 10);
	if (conf->sim_state != NULL)
		s->state_path = xstrdup(conf->sim_state);
	else
		xasprintf(&s->state_path, "%s.sim-state", conf->db_path);
	s->total_kib = conf->sim_memory_mib * 1024;
	s->cpus = (uint32_t)conf->sim_cpus;
	s->log_cap = conf->sim_log_size;

	if ((f = fopen(s->state_path, "r")) != NULL) {
		rc = sim_load_state(hv, f);
		fclose(f);
		return rc;
	}
	if (errno != ENOENT)
		return hv_fail(hv, errno, "cannot read %s: %s", s->state_path,
		    strerror(errno));

	/* A fresh "boot": the hypervisor and Domain-0 come up together. */
	make_boot_id(s->boot_id, sizeof s->boot_id);
	s->boot_ns = sim_now_ns();
	s->next_domid = 1;
	sim_log(s, "Xen-compatible simulated hypervisor, boot %s", s->boot_id);
	sim_log(s, "%" PRIu64 " MiB memory, %u CPUs", s->total_kib / 1024,
	    s->cpus);
	memset(&dom0, 0, sizeof dom0);
	dom0.domid = 0;
	dom0.mem_kib = dom0.maxmem_kib = dom0.target_kib =
	    conf->sim_dom0_memory_mib * 1024;
	dom0.vcpus = dom0.online = s->cpus;
	dom0.load = 50;
	dom0.weight = SIM_WEIGHT_DEFAULT;
	dom0.balloon_kibps = SIM_BALLOON_INSTANT;
	s->doms = xcalloc(1, sizeof *s->doms);
	s->doms[0] = dom0;
	s->ndoms = 1;
	sim_dom_set_state(&s->doms[0], HV_RUNNING);
	sim_log(s, "dom0: %" PRIu64 " MiB, %u vCPUs, running",
	    dom0.mem_kib / 1024, dom0.vcpus);
	return sim_save_state(hv);
}

static void
sim_close(struct hv *hv)
{
	struct sim *s = hv->priv;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nlog; i++)
		free(s->log[i].text);
	free(s->log);
	free(s->doms);
	free(s->state_path);
	pthread_mutex_destroy(&s->lock);
	free(s);
	hv->priv = NULL;
}

static int
sim_physinfo_locked(struct hv *hv, struct hv_physinfo *pi)
{
	struct sim *s = hv->priv;

	memset(pi, 0, sizeof *pi);
	balloon_all(s, sim_now_ns());
	pi->total_kib = s->total_kib;
	pi->free_kib = s->total_kib - used_kib(s);
	pi->cpus = s->cpus;
	snprintf(pi->version, sizeof pi->version, "sim-1.0");
	snprintf(pi->boot_id, sizeof pi->boot_id, "%s", s->boot_id);
	return 0;
}

static void
fill_info(const struct sim_dom *d, struct hv_dominfo *di, int64_t now)
{
	memset(di, 0, sizeof *di);
	di->domid = d->domid;
	di->state = d->state;
	di->shutdown_reason = d->reason;
	memcpy(di->handle, d->handle, sizeof di->handle);
	di->mem_kib = d->mem_kib;
	di->maxmem_kib = d->maxmem_kib;
	di->target_kib = d->target_kib;
	di->vcpus = d->vcpus;
	di->online_vcpus = d->online;
	di->cpu_ns = dom_cpu_ns(d, now);
	/* Activity counters that grow with CPU use, as a busy guest's do. */
	di->counters.hypercalls = di->cpu_ns / 20000;
	di->counters.events = di->cpu_ns / 100000;
	di->counters.page_faults = di->cpu_ns / 250000 + d->mem_kib / 4;
}

static int
sim_list_locked(struct hv *hv, struct hv_dominfo *out, size_t max, size_t *n)
{
	struct sim *s = hv->priv;
	int64_t now = sim_now_ns();
	size_t i;

	balloon_all(s, now);
	for (i = 0; i < s->ndoms && i < max; i++)
		fill_info(&s->doms[i], &out[i], now);
	*n = s->ndoms;
	return 0;
}

static int
sim_info_locked(struct hv *hv, uint32_t domid, struct hv_dominfo *di)
{
	struct sim_dom *d = find_dom(hv->priv, domid);

	if (d == NULL)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	balloon_all(hv->priv, sim_now_ns());
	fill_info(d, di, sim_now_ns());
	return 0;
}

/* As the real builder does: the images must be readable files. */
static int
check_image(struct hv *hv, const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return hv_fail(hv, errno, "domain builder: %s %s: %s", what,
		    path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hv_fail(hv, EINVAL, "domain builder: %s %s: not a "
		    "regular file", what, path);
	if (access(path, R_OK) != 0)
		return hv_fail(hv, errno, "domain builder: %s %s: %s", what,
		    path, strerror(errno));
	return 0;
}

/*
 * XEND_SIM_JOB_HOLD=PATH: while PATH exists, a slow operation stops after
 * its first progress step and waits for the file to go.  A test can then
 * look at xend with a job certainly still running, however slow the
 * host, instead of racing XEND_SIM_DELAY_MS with a sleep: it creates the
 * file first, waits for the job to show in `xenctl info`, and removes it.
 */
static void
sim_job_hold(void)
{
	const char *hold = getenv("XEND_SIM_JOB_HOLD");
	const struct timespec poll = { 0, 10 * 1000000 };

	while (hold != NULL && hold[0] != '\0' && access(hold, F_OK) == 0)
		nanosleep(&poll, NULL);
}

/* The injected delay of a slow operation, in ten steps with progress;
 * called without the lock, so the rest of the simulator goes on. */
void
sim_slow(struct hv *hv)
{
	struct sim *s = hv->priv;
	struct timespec ts;
	int i;

	if (s->delay_ms == 0)
		return;
	ts.tv_sec = s->delay_ms / 10 / 1000;
	ts.tv_nsec = (long)(s->delay_ms / 10 % 1000) * 1000000;
	for (i = 1; i <= 10; i++) {
		nanosleep(&ts, NULL);
		hv_progress(hv, (uint64_t)i, 10);
		if (i == 1)
			sim_job_hold();
	}
}

int
sim_create_locked(struct hv *hv, const struct hv_build *b, uint32_t *domid)
{
	struct sim *s = hv->priv;
	struct sim_dom d;
	uint64_t free_kib;
	const char *bal;

	balloon_all(s, sim_now_ns());
	free_kib = s->total_kib - used_kib(s);
	if (b->mem_kib > free_kib)
		return hv_fail(hv, ENOMEM, "not enough free memory: %" PRIu64
		    " MiB requested, %" PRIu64 " MiB free", b->mem_kib / 1024,
		    free_kib / 1024);
	if (b->vcpus == 0 || b->mem_kib == 0 || b->maxmem_kib < b->mem_kib)
		return hv_fail(hv, EINVAL, "invalid domain parameters");
	if (s->next_domid >= 0x7ff0)	/* DOMID_FIRST_RESERVED */
		return hv_fail(hv, ENOSPC, "domain ids exhausted");
	memset(&d, 0, sizeof d);
	d.domid = s->next_domid++;
	memcpy(d.handle, b->handle, sizeof d.handle);
	d.mem_kib = d.target_kib = b->mem_kib;
	d.maxmem_kib = b->maxmem_kib;
	d.vcpus = b->vcpus;
	d.online = b->online_vcpus > 0 && b->online_vcpus < b->vcpus ?
	    b->online_vcpus : b->vcpus;
	d.weight = SIM_WEIGHT_DEFAULT;
	d.balloon_kibps = SIM_BALLOON_INSTANT;
	if (b->cmdline != NULL && (bal = strstr(b->cmdline, "sim_balloon="))
	    != NULL) {
		bal += strlen("sim_balloon=");
		d.balloon_kibps = strncmp(bal, "refuse", 6) == 0 ? 0 :
		    strtoull(bal, NULL, 10);
	}
	d.balloon_since = sim_now_ns();
	if (b->cmdline != NULL && (bal = strstr(b->cmdline, "sim_min="))
	    != NULL)
		d.min_kib = strtoull(bal + strlen("sim_min="), NULL, 10);
	if (b->cmdline != NULL && strstr(b->cmdline, "sim_shutdown=ignore"))
		d.deaf = 1;
	/* Deterministic but varied load: 10% to 80% per vCPU. */
	d.load = 100 + (d.domid * 137) % 700;
	s->doms = xreallocarray(s->doms, s->ndoms + 1, sizeof *s->doms);
	s->doms[s->ndoms++] = d;
	sim_dom_set_state(&s->doms[s->ndoms - 1], HV_RUNNING);
	sim_log(s, "domain %u created: %" PRIu64 " MiB, %u vCPUs, kernel %s",
	    d.domid, d.mem_kib / 1024, d.vcpus, b->kernel);
	*domid = d.domid;
	return sim_save_state(hv);
}

int
sim_need_domu(struct hv *hv, uint32_t domid, struct sim_dom **dp)
{
	struct sim_dom *d = find_dom(hv->priv, domid);

	if (d == NULL)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	if (domid == 0)
		return hv_fail(hv, EPERM, "Domain-0 cannot do that to itself");
	*dp = d;
	return 0;
}

static int
sim_destroy_locked(struct hv *hv, uint32_t domid)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc;

	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		return rc;
	sim_log(s, "domain %u destroyed, %" PRIu64 " MiB released", domid,
	    d->mem_kib / 1024);
	memmove(d, d + 1, (size_t)(s->doms + s->ndoms - (d + 1)) * sizeof *d);
	s->ndoms--;
	sim_block_forget(domid);
	sim_vif_forget(domid);
	return sim_save_state(hv);
}

static int
sim_pause_locked(struct hv *hv, uint32_t domid)
{
	struct sim_dom *d;
	int rc;

	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		return rc;
	if (d->state != HV_RUNNING)
		return hv_fail(hv, EINVAL, "domain %u is %s, not running",
		    domid, hv_state_name(d->state));
	sim_dom_set_state(d, HV_PAUSED);
	sim_log(hv->priv, "domain %u paused", domid);
	return sim_save_state(hv);
}

static int
sim_unpause_locked(struct hv *hv, uint32_t domid)
{
	struct sim_dom *d;
	int rc;

	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		return rc;
	if (d->state != HV_PAUSED)
		return hv_fail(hv, EINVAL, "domain %u is %s, not paused",
		    domid, hv_state_name(d->state));
	sim_dom_set_state(d, HV_RUNNING);
	sim_log(hv->priv, "domain %u unpaused", domid);
	return sim_save_state(hv);
}

/* The simulated guest obeys a shutdown request at once (unless deaf). */
static int
sim_shutdown_locked(struct hv *hv, uint32_t domid, enum hv_shutdown_reason why)
{
	struct sim_dom *d;
	int rc;

	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		return rc;
	if (d->state == HV_SHUTDOWN)
		return hv_fail(hv, EINVAL, "domain %u is already shut down",
		    domid);
	if (d->deaf) {
		/* As a guest with no xenbus watch: asked, never acts. */
		sim_log(hv->priv, "domain %u ignores the shutdown request",
		    domid);
		return 0;
	}
	sim_dom_set_state(d, HV_SHUTDOWN);
	d->reason = (int)why;
	sim_log(hv->priv, "domain %u shut down (%s)", domid,
	    hv_reason_name((int)why));
	return sim_save_state(hv);
}

static int
sim_set_maxmem_locked(struct hv *hv, uint32_t domid, uint64_t kib)
{
	struct sim_dom *d = find_dom(hv->priv, domid);

	if (d == NULL)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	/* As the real one: below what it has only stops it growing. */
	if (kib == 0)
		return hv_fail(hv, EINVAL, "maxmem 0 KiB");
	balloon_all(hv->priv, sim_now_ns());
	d->maxmem_kib = kib;
	sim_log(hv->priv, "domain %u maxmem %" PRIu64 " KiB", domid, kib);
	return sim_save_state(hv);
}

/*
 * The simulated guest's balloon driver gets the target; it moves there
 * at its own rate (balloon_step), at once by default.
 */
static int
sim_set_target_locked(struct hv *hv, uint32_t domid, uint64_t kib)
{
	struct sim *s = hv->priv;
	struct sim_dom *d = find_dom(s, domid);
	uint64_t free_kib;

	balloon_all(s, sim_now_ns());
	free_kib = s->total_kib - used_kib(s);
	if (d == NULL)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	if (kib > d->maxmem_kib)
		return hv_fail(hv, EINVAL, "target %" PRIu64 " MiB is above "
		    "the domain's maxmem of %" PRIu64 " MiB", kib / 1024,
		    d->maxmem_kib / 1024);
	if (kib > d->mem_kib && kib - d->mem_kib > free_kib)
		return hv_fail(hv, ENOMEM, "growing by %" PRIu64 " MiB needs "
		    "more than the %" PRIu64 " MiB free",
		    (kib - d->mem_kib) / 1024, free_kib / 1024);
	d->target_kib = kib;
	d->balloon_since = sim_now_ns();
	balloon_step(s, d, d->balloon_since + 1);
	if (d->balloon_kibps == SIM_BALLOON_INSTANT)
		sim_log(s, "domain %u memory now %" PRIu64 " KiB", domid,
		    d->mem_kib);
	else
		sim_log(s, "domain %u balloon target %" PRIu64 " KiB", domid,
		    kib);
	return sim_save_state(hv);
}

/* The guest's published minimum ("sim_min=KIB" on its command line). */
static int
sim_guest_min_locked(struct hv *hv, uint32_t domid, uint64_t *kib)
{
	struct sim_dom *d = find_dom(hv->priv, domid);

	if (d == NULL || d->min_kib == 0)
		return -ENOENT;
	*kib = d->min_kib;
	return 0;
}

static int
sim_log_read_locked(struct hv *hv, uint64_t from, hv_log_cb cb, void *arg,
    uint64_t *next, uint64_t *lost)
{
	struct sim *s = hv->priv;
	size_t i;

	*lost = 0;
	if (s->nlog > 0 && from < s->log[0].seq)
		*lost = s->log[0].seq - from;
	for (i = 0; i < s->nlog; i++)
		if (s->log[i].seq >= from)
			cb(arg, s->log[i].seq, s->log[i].text);
	*next = s->next_seq > from ? s->next_seq : from;
	return 0;
}

static int
sim_create(struct hv *hv, const struct hv_build *b, uint32_t *domid)
{
	struct sim *s = hv->priv;
	int rc;

	if (b->kernel == NULL)
		return hv_fail(hv, EINVAL, "domain builder: no kernel file "
		    "given");
	if ((rc = check_image(hv, "kernel", b->kernel)) != 0 ||
	    (b->ramdisk != NULL &&
	    (rc = check_image(hv, "ramdisk", b->ramdisk)) != 0))
		return rc;
	/* As a real builder: the domain exists while it is being built. */
	pthread_mutex_lock(&s->lock);
	rc = sim_create_locked(hv, b, domid);
	if (rc == 0) {
		sim_console_boot(s, *domid, b);
		/* As a guest's probe would make the real one say. */
		sim_log(s, "d%u: hypercall 29 sub-op 77 is not supported "
		    "(-ENOSYS)", *domid);
	}
	pthread_mutex_unlock(&s->lock);
	if (rc == 0)
		sim_devices_attach(hv, *domid, b->handle, b->disks, b->ndisks,
		    b->vifs, b->nvifs);
	if (rc == 0)
		sim_slow(hv);
	/* A builder that fails after the domain exists (a late error, as
	 * under load): xend must destroy it before reporting the failure. */
	if (rc == 0 && b->cmdline != NULL &&
	    strstr(b->cmdline, "sim_fail_late") != NULL)
		return hv_fail(hv, EIO, "domain builder: simulated late "
		    "failure (sim_fail_late)");
	return rc;
}

/* A job handle shares the simulator (under its lock). */
static int
sim_job_open(struct hv *job, struct hv *main)
{
	job->priv = main->priv;
	return 0;
}

static void
sim_job_close(struct hv *main, struct hv *job)
{
	(void)main;
	job->priv = NULL;
}

/* Every other operation: the body under the simulator's lock. */
#define SIM_LOCKED(op, params, args)					\
static int								\
sim_##op params								\
{									\
	struct sim *s = hv->priv;					\
	int rc;								\
									\
	pthread_mutex_lock(&s->lock);					\
	rc = sim_##op##_locked args;					\
	pthread_mutex_unlock(&s->lock);					\
	return rc;							\
}
SIM_LOCKED(physinfo, (struct hv *hv, struct hv_physinfo *pi), (hv, pi))
SIM_LOCKED(list, (struct hv *hv, struct hv_dominfo *o, size_t max,
    size_t *n), (hv, o, max, n))
SIM_LOCKED(info, (struct hv *hv, uint32_t id, struct hv_dominfo *di),
    (hv, id, di))
SIM_LOCKED(destroy, (struct hv *hv, uint32_t id), (hv, id))
SIM_LOCKED(pause, (struct hv *hv, uint32_t id), (hv, id))
SIM_LOCKED(unpause, (struct hv *hv, uint32_t id), (hv, id))
SIM_LOCKED(shutdown, (struct hv *hv, uint32_t id,
    enum hv_shutdown_reason why), (hv, id, why))
SIM_LOCKED(set_maxmem, (struct hv *hv, uint32_t id, uint64_t kib),
    (hv, id, kib))
SIM_LOCKED(set_target, (struct hv *hv, uint32_t id, uint64_t kib),
    (hv, id, kib))
SIM_LOCKED(guest_min, (struct hv *hv, uint32_t id, uint64_t *kib),
    (hv, id, kib))
SIM_LOCKED(log_read, (struct hv *hv, uint64_t from, hv_log_cb cb,
    void *arg, uint64_t *next, uint64_t *lost),
    (hv, from, cb, arg, next, lost))

const struct hv_ops hv_sim_ops = {
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
	.physinfo = sim_physinfo,
	.list = sim_list,
	.info = sim_info,
	.create = sim_create,
	.destroy = sim_destroy,
	.pause = sim_pause,
	.unpause = sim_unpause,
	.shutdown = sim_shutdown,
	.set_maxmem = sim_set_maxmem,
	.set_target = sim_set_target,
	.guest_min = sim_guest_min,
	.log_read = sim_log_read,
	.console_read = sim_console_read,
	.console_write = sim_console_write,
	.console_release = sim_console_release,
	.save_domain = sim_save,
	.restore_domain = sim_restore,
	.save_file_uuid = sim_save_file_uuid,
	.block_attach = sim_block_attach,
	.block_detach = sim_block_detach,
	.block_list = sim_block_list,
	.vif_attach = sim_vif_attach,
	.vif_detach = sim_vif_detach,
	.vif_list = sim_vif_list,
	.sched_get = sim_sched_get,
	.sched_set = sim_sched_set,
	.vcpu_affinity_get = sim_affinity_get,
	.vcpu_affinity_set = sim_affinity_set,
	.job_open = sim_job_open,
	.job_close = sim_job_close,
};
