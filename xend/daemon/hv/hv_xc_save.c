/*
 * hv_xc_save.c: the xc backend's save side: where each domain's
 * start_info lives (the builder reports it, hv_xc.c notes it here),
 * plain and cooperative saves through libxc's xc_domain_save (run in a
 * save job on a worker thread), asking a guest to suspend first and
 * resuming it after a checkpoint or a failure.  Restore is in hv_xc.c,
 * beside create: both attach the new domain's devices the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

#include "hv.h"
#include "hv_xc_features.h"
#include "hv_xc_priv.h"
#include "log.h"
#include "xs.h"

/*
 * Save needs the VA of a domain's start_info (the way into its p2m, see
 * libxc/xc_save.c).  The builder reports it; it is kept per domain,
 * here and on disk (hv_xc_persist.c), so a restarted xend can save the
 * domains it attached again; one it never knew (built without this
 * file) cannot be saved (said plainly).
 */
#define XC_SI_SLOTS	64
static struct { uint32_t domid; uint64_t va; } xc_si[XC_SI_SLOTS];

void
xc_si_remember(uint32_t domid, uint64_t va)
{
	int i, free_slot = -1;

	for (i = 0; i < XC_SI_SLOTS; i++) {
		if (xc_si[i].va != 0 && xc_si[i].domid == domid)
			break;
		if (xc_si[i].va == 0 && free_slot < 0)
			free_slot = i;
	}
	if (i == XC_SI_SLOTS)
		i = free_slot;
	if (i >= 0) {
		xc_si[i].domid = domid;
		xc_si[i].va = va;
	}
}

static uint64_t
xc_si_lookup(uint32_t domid)
{
	int i;

	for (i = 0; i < XC_SI_SLOTS; i++)
		if (xc_si[i].va != 0 && xc_si[i].domid == domid)
			return xc_si[i].va;
	return 0;
}

/* libxc's save/restore messages already name the operation ("save: ..."),
 * as xend's reply will: pass them on without repeating it. */
int
xc_sr_fail(struct hv *hv, const char *what)
{
	xc_interface *xch = hv->priv;
	const char *msg = xc_last_error(xch);
	size_t n = strlen(what);
	int err = xc_last_errno(xch);

	if (strncmp(msg, what, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
		msg += n + 2;
	return hv_fail(hv, err != 0 ? err : EIO, "%s", msg);
}

int
xc_save_domain_hv(struct hv *hv, uint32_t domid, const char *path,
    const char *blob)
{
	uint64_t va = xc_si_lookup(domid);

	if (va == 0)
		return hv_fail(hv, ENOTSUP, "domain %u was not built by this "
		    "xend, so where its start_info lives is unknown; it "
		    "cannot be saved", domid);
	if (xc_domain_save(hv->priv, domid, va, blob, strlen(blob), path) != 0)
		return xc_sr_fail(hv, "save");
	log_info("saved domain %u to %s", domid, path);
	return 0;
}

/*
 * Wait (on the worker) until the domain stopped itself with SHUTDOWN_
 * suspend.  The hypervisor raises VIRQ_DOM_EXC for the loop; the worker
 * has no event channel of its own, so it looks every 10 ms.
 */
static int
xc_wait_suspended(struct hv *hv, uint32_t domid, unsigned timeout_s)
{
	xc_dominfo_t info;
	struct timespec t0, t;
	uint64_t waited_ms = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (xc_domain_getinfo(hv->priv, domid, &info) != 0)
			return xc_fail_hv(hv, NULL);
		if (info.shutdown && info.shutdown_reason == HV_SHUTDOWN_SUSPEND)
			return 0;
		if (info.shutdown || info.dying)
			return hv_fail(hv, EIO, "domain %u shut down (reason "
			    "%u) instead of suspending", domid,
			    info.shutdown_reason);
		if (waited_ms >= (uint64_t)timeout_s * 1000)
			return hv_fail(hv, ETIMEDOUT, "domain %u did not "
			    "suspend within %u s of control/shutdown = "
			    "suspend (suspend_timeout in xend.conf); it keeps "
			    "running", domid, timeout_s);
		usleep(10000);
		/* Real time: under load a 10 ms sleep takes longer. */
		clock_gettime(CLOCK_MONOTONIC, &t);
		waited_ms = (uint64_t)(t.tv_sec - t0.tv_sec) * 1000 +
		    (uint64_t)((t.tv_nsec - t0.tv_nsec) / 1000000);
	}
}

int
xc_save_ext_hv(struct hv *hv, uint32_t domid, const char *path,
    const char *blob, unsigned flags, unsigned timeout_s, const char *guest_id)
{
	uint64_t va = xc_si_lookup(domid);
	int coop = (flags & HV_SAVE_SUSPEND) != 0, rc;
	struct timespec t0, t1;
	char *wrapped;

	if (!coop && va == 0)
		return hv_fail(hv, ENOTSUP, "domain %u was not built by this "
		    "xend, so where its start_info lives is unknown; it "
		    "cannot be saved without its cooperation", domid);
	/* How long the guest took to suspend goes into the log line: it is
	 * part of what a save costs (docs/benchmarks.md). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (coop && (rc = xc_wait_suspended(hv, domid, timeout_s)) != 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	(void)xc_save_set_codec(hv->priv, HV_SAVE_CODEC_OF(flags));
	wrapped = xcf_wrap_blob(domid, blob);
	rc = xc_domain_save_ext(hv->priv, domid, va, coop, guest_id, wrapped,
	    strlen(wrapped), path);
	free(wrapped);
	if (rc != 0) {
		rc = xc_sr_fail(hv, "save");
		/* The guest waits in its suspend: let it run on. */
		if (coop && xc_domain_resume(hv->priv, domid) != 0)
			log_warnx("domain %u stays suspended: %s", domid,
			    xc_last_error(hv->priv));
		return rc;
	}
	log_info("saved domain %u to %s (%s, suspended after %.2f s): %s",
	    domid, path, coop ? "cooperative suspend" : "non-cooperative",
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    xc_save_timing(hv->priv));
	if (flags & HV_SAVE_CHECKPOINT) {
		if (coop ? xc_domain_resume(hv->priv, domid) :
		    xc_domain_unpause(hv->priv, domid))
			return xc_fail_hv(hv, "checkpoint: resuming the domain");
	}
	return 0;
}

/*
 * On the loop, before a save job: ask the guest to suspend if it says it
 * can (a xenstore connection and control/feature-suspend = 1, which
 * Linux writes at boot).  0: asked; ENOTSUP: it cannot, save without it.
 * cancel: take the request back (after a timeout).
 */
int
xc_suspend_request_hv(struct hv *hv, uint32_t domid, int cancel)
{
	char path[80], val[16];

	if (!xs_ring_has(domid))
		return hv_fail(hv, ENOTSUP, "domain %u has no xenstore "
		    "connection", domid);
	snprintf(path, sizeof path, "/local/domain/%u/control/shutdown",
	    domid);
	if (cancel)
		return -xs_ring_write(path, "");
	snprintf(path, sizeof path,
	    "/local/domain/%u/control/feature-suspend", domid);
	if (xs_ring_read(path, val, sizeof val) != 0 || strcmp(val, "1") != 0)
		return hv_fail(hv, ENOTSUP, "domain %u does not advertise "
		    "control/feature-suspend", domid);
	/* What it advertises goes into the file (hv_xc_features.c). */
	xcf_snapshot(domid);
	return xc_shutdown_hv(hv, domid, HV_SHUTDOWN_SUSPEND);
}

int
xc_resume_hv(struct hv *hv, uint32_t domid)
{
	if (xc_domain_resume(hv->priv, domid) != 0)
		return xc_fail_hv(hv, "resume");
	return 0;
}
