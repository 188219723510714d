/*
 * hv.c: backend selection and the thin dispatch into the chosen backend.
 * Which backends exist is decided at link time: the program links one
 * table, hv_backends[] (backends.c for the shipped xend: xc when libxc
 * was available; the test daemon xend-sim links one that adds the
 * simulator).  The choice between them is made at run time by
 * xend.conf/--backend.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hv.h"
#include "xmalloc.h"

struct hv *
hv_open(const struct xend_conf *conf, char **cause)
{
	struct hv *hv;
	size_t i;

	for (i = 0; hv_backends[i] != NULL; i++)
		if (strcmp(hv_backends[i]->name, conf->backend) == 0)
			break;
	if (hv_backends[i] == NULL) {
		if (strcmp(conf->backend, "xc") == 0)
			xasprintf(cause, "this xend was built without libxc, so "
			    "the xc backend is unavailable (the test daemon "
			    "xend-sim runs on a simulated hypervisor: "
			    "--backend=sim)");
		else if (strcmp(conf->backend, "sim") == 0)
			xasprintf(cause, "this xend has no sim backend: the "
			    "simulated hypervisor is a test double, built only "
			    "into the test daemon xend-sim");
		else
			xasprintf(cause, "unknown backend \"%s\" (use xc or "
			    "sim)", conf->backend);
		return NULL;
	}
	hv = xcalloc(1, sizeof *hv);
	hv->ops = hv_backends[i];
	if (hv->ops->open(hv, conf) != 0) {
		xasprintf(cause, "%s backend: %s", hv->ops->name, hv->errmsg);
		hv->ops->close(hv);
		free(hv);
		return NULL;
	}
	return hv;
}

void
hv_close(struct hv *hv)
{
	if (hv == NULL)
		return;
	hv->ops->close(hv);
	free(hv);
}

const char *
hv_name(const struct hv *hv)
{
	return hv->ops->name;
}

const char *
hv_errmsg(const struct hv *hv)
{
	return hv->errmsg;
}

int
hv_fail(struct hv *hv, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hv->errmsg, sizeof hv->errmsg, fmt, ap);
	va_end(ap);
	return -err;
}

const char *
hv_state_name(enum hv_state s)
{
	switch (s) {
	case HV_RUNNING:	return "running";
	case HV_PAUSED:		return "paused";
	case HV_SHUTDOWN:	return "shutdown";
	case HV_DYING:		return "dying";
	}
	return "unknown";
}

const char *
hv_reason_name(int r)
{
	switch (r) {
	case HV_SHUTDOWN_POWEROFF:	return "poweroff";
	case HV_SHUTDOWN_REBOOT:	return "reboot";
	case HV_SHUTDOWN_SUSPEND:	return "suspend";
	case HV_SHUTDOWN_CRASH:		return "crash";
	case HV_SHUTDOWN_WATCHDOG:	return "watchdog";
	}
	return "unknown";
}

/* A backend without an operation says so plainly instead of pretending. */
#define HV_CALL(hv, op, ...)						\
	((hv)->ops->op == NULL ?					\
	    hv_fail((hv), ENOTSUP, "%s is not supported by the %s backend",\
	    #op, (hv)->ops->name) : (hv)->ops->op((hv), __VA_ARGS__))

int hv_physinfo(struct hv *hv, struct hv_physinfo *pi)
{ return HV_CALL(hv, physinfo, pi); }
int hv_list(struct hv *hv, struct hv_dominfo *d, size_t max, size_t *n)
{ return HV_CALL(hv, list, d, max, n); }
int hv_info(struct hv *hv, uint32_t domid, struct hv_dominfo *d)
{ return HV_CALL(hv, info, domid, d); }
int hv_create(struct hv *hv, const struct hv_build *b, uint32_t *domid)
{ return HV_CALL(hv, create, b, domid); }
int hv_destroy(struct hv *hv, uint32_t domid)
{ return HV_CALL(hv, destroy, domid); }
int hv_pause(struct hv *hv, uint32_t domid)
{ return HV_CALL(hv, pause, domid); }
int hv_unpause(struct hv *hv, uint32_t domid)
{ return HV_CALL(hv, unpause, domid); }
int hv_shutdown(struct hv *hv, uint32_t domid, enum hv_shutdown_reason r)
{ return HV_CALL(hv, shutdown, domid, r); }
int hv_set_maxmem(struct hv *hv, uint32_t domid, uint64_t kib)
{ return HV_CALL(hv, set_maxmem, domid, kib); }
int hv_set_target(struct hv *hv, uint32_t domid, uint64_t kib)
{ return HV_CALL(hv, set_target, domid, kib); }
int hv_sched_get(struct hv *hv, uint32_t domid, uint32_t *weight,
    uint32_t *cap)
{ return HV_CALL(hv, sched_get, domid, weight, cap); }
int hv_sched_set(struct hv *hv, uint32_t domid, uint32_t weight, uint32_t cap)
{ return HV_CALL(hv, sched_set, domid, weight, cap); }
int hv_vcpu_affinity_get(struct hv *hv, uint32_t domid, uint32_t vcpu,
    uint64_t *mask)
{ return HV_CALL(hv, vcpu_affinity_get, domid, vcpu, mask); }
int hv_vcpu_affinity_set(struct hv *hv, uint32_t domid, uint32_t vcpu,
    uint64_t mask)
{ return HV_CALL(hv, vcpu_affinity_set, domid, vcpu, mask); }
int hv_vif_attach(struct hv *hv, uint32_t domid, const uint8_t handle[16],
    const char *spec, uint32_t *devid, char *mac, size_t len)
{ return HV_CALL(hv, vif_attach, domid, handle, spec, devid, mac, len); }
int hv_vif_detach(struct hv *hv, uint32_t domid, uint32_t devid)
{ return HV_CALL(hv, vif_detach, domid, devid); }
int hv_vif_list(struct hv *hv, uint32_t domid, struct hv_vif *v, size_t max,
    size_t *n)
{ return HV_CALL(hv, vif_list, domid, v, max, n); }
int hv_block_attach(struct hv *hv, uint32_t domid, const char *spec)
{ return HV_CALL(hv, block_attach, domid, spec); }
int hv_block_detach(struct hv *hv, uint32_t domid, const char *vdev, int force,
    int *waiting)
{ return HV_CALL(hv, block_detach, domid, vdev, force, waiting); }
int hv_block_list(struct hv *hv, uint32_t domid, struct hv_vbd *v, size_t max,
    size_t *n)
{ return HV_CALL(hv, block_list, domid, v, max, n); }
int hv_guest_min(struct hv *hv, uint32_t domid, uint64_t *kib)
{
	if (hv->ops->guest_min == NULL)
		return -ENOENT;
	return hv->ops->guest_min(hv, domid, kib);
}
int hv_poweroff_ready(struct hv *hv, uint32_t domid)
{
	if (hv->ops->poweroff_ready == NULL)
		return 1;
	return hv->ops->poweroff_ready(hv, domid);
}
int hv_log_read(struct hv *hv, uint64_t from, hv_log_cb cb, void *arg,
    uint64_t *next, uint64_t *lost)
{ return HV_CALL(hv, log_read, from, cb, arg, next, lost); }
int hv_console_read(struct hv *hv, uint32_t domid, uint64_t off, char *buf,
    size_t len, size_t *got)
{ return HV_CALL(hv, console_read, domid, off, buf, len, got); }
int hv_console_write(struct hv *hv, uint32_t domid, const char *data,
    size_t len, size_t *put)
{ return HV_CALL(hv, console_write, domid, data, len, put); }
int hv_console_fd(struct hv *hv)
{ return hv->ops->console_fd != NULL ? hv->ops->console_fd(hv) : -1; }
void hv_console_release(struct hv *hv, uint32_t domid)
{
	if (hv->ops->console_release != NULL)
		hv->ops->console_release(hv, domid);
}
int hv_console_poll(struct hv *hv)
{
	return hv->ops->console_poll != NULL ? hv->ops->console_poll(hv) : -1;
}
int hv_save_domain(struct hv *hv, uint32_t domid, const char *path,
    const char *blob)
{ return HV_CALL(hv, save_domain, domid, path, blob); }
int hv_save_ext(struct hv *hv, uint32_t domid, const char *path,
    const char *blob, unsigned flags, unsigned timeout_s, const char *guest_id)
{
	int rc;

	if (hv->ops->save_ext != NULL)
		return hv->ops->save_ext(hv, domid, path, blob, flags,
		    timeout_s, guest_id);
	if (flags & HV_SAVE_SUSPEND)
		return hv_fail(hv, ENOTSUP, "a cooperative suspend is not "
		    "supported by the %s backend", hv->ops->name);
	if ((rc = HV_CALL(hv, save_domain, domid, path, blob)) == 0 &&
	    (flags & HV_SAVE_CHECKPOINT))
		rc = HV_CALL(hv, unpause, domid);
	return rc;
}
int hv_vcpu_set(struct hv *hv, uint32_t domid, uint32_t online)
{ return HV_CALL(hv, vcpu_set, domid, online); }
int hv_resume(struct hv *hv, uint32_t domid)
{ return HV_CALL(hv, resume, domid); }
int hv_suspend_request(struct hv *hv, uint32_t domid, int cancel)
{ return HV_CALL(hv, suspend_request, domid, cancel); }
int hv_restore_domain(struct hv *hv, const char *path,
    const uint8_t handle[16], uint32_t *domid, char **blob)
{ return HV_CALL(hv, restore_domain, path, handle, domid, blob); }
int hv_save_file_uuid(struct hv *hv, const char *path, uint8_t uuid[16])
{
	return hv->ops->save_file_uuid == NULL ? 0 :
	    hv->ops->save_file_uuid(hv, path, uuid);
}

struct hv *
hv_job_open(struct hv *main, hv_progress_cb cb, void *arg, char **cause)
{
	struct hv *job = xcalloc(1, sizeof *job);

	job->ops = main->ops;
	job->progress = cb;
	job->progress_arg = arg;
	if (main->ops->job_open == NULL)
		hv_fail(job, ENOTSUP, "the %s backend cannot run jobs",
		    main->ops->name);
	else if (main->ops->job_open(job, main) == 0)
		return job;
	xasprintf(cause, "%s backend: %s", main->ops->name, job->errmsg);
	free(job);
	return NULL;
}

void
hv_job_close(struct hv *main, struct hv *job)
{
	if (job == NULL)
		return;
	main->ops->job_close(main, job);
	free(job);
}

void
hv_progress(struct hv *hv, uint64_t done, uint64_t total)
{
	if (hv->progress != NULL)
		hv->progress(hv->progress_arg, done, total);
}
