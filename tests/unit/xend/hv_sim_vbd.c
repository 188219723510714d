/*
 * hv_sim_vbd.c: the simulated hypervisor's domain disks (block-attach,
 * -detach, -list).  Like the xc backend it checks the entry and that the
 * target exists and is the right kind of file, refuses a vdev twice, and
 * forgets a domain's disks when it is destroyed; instead of a loop
 * device and xenstore nodes it invents "/dev/loopN" and reports the
 * backend as Connected (4).  Not kept across a restart of xend-sim.
 * Detach models the guest's frontend: the first request asks it to close
 * (backend Closing, 5) and the next finds it closed and removes the disk,
 * except for a target whose file name starts with "busy": that guest
 * never closes it, so only a forced detach removes it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "hv_sim.h"

#define SIM_VBDS_MAX	64

static struct {
	uint32_t	domid;
	struct hv_vbd	v;
} vbds[SIM_VBDS_MAX];
static size_t nvbds;
static unsigned next_loop;

static int
find(uint32_t domid, uint32_t devid)
{
	size_t i;

	for (i = 0; i < nvbds; i++)
		if (vbds[i].domid == domid && vbds[i].v.devid == devid)
			return (int)i;
	return -1;
}

int
sim_block_attach(struct hv *hv, uint32_t domid, const char *spec)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	struct diskcfg dc;
	struct stat st;
	struct hv_vbd *v;
	char err[1200];
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		goto out;
	if (diskcfg_parse(spec, &dc, err, sizeof err) != 0)
		rc = hv_fail(hv, EINVAL, "disk: %s", err);
	else if (stat(dc.target, &st) != 0)
		rc = hv_fail(hv, EINVAL, "disk: %s: %s", dc.target,
		    strerror(errno));
	else if (dc.phy ? !S_ISBLK(st.st_mode) : !S_ISREG(st.st_mode))
		rc = hv_fail(hv, EINVAL, "disk: %s is not a %s", dc.target,
		    dc.phy ? "block device" : "regular file (use phy: for a "
		    "device)");
	else if (access(dc.target, dc.writable ? R_OK | W_OK : R_OK) != 0)
		rc = hv_fail(hv, EINVAL, "disk: %s: %s", dc.target,
		    strerror(errno));
	else if (find(domid, dc.devid) >= 0)
		rc = hv_fail(hv, EINVAL, "disk: domain %u already has %s",
		    domid, dc.vdev);
	else if (nvbds == SIM_VBDS_MAX)
		rc = hv_fail(hv, ENOSPC, "disk: too many disks (%d) in use",
		    SIM_VBDS_MAX);
	if (rc != 0)
		goto out;
	vbds[nvbds].domid = domid;
	v = &vbds[nvbds++].v;
	memset(v, 0, sizeof *v);
	memcpy(v->vdev, dc.vdev, sizeof v->vdev);
	v->devid = dc.devid;
	memcpy(v->target, dc.target, sizeof v->target);
	if (dc.phy)
		snprintf(v->node, sizeof v->node, "%s", "/dev/phy");
	else
		snprintf(v->node, sizeof v->node, "/dev/loop%u", next_loop++);
	v->writable = dc.writable;
	v->cdrom = dc.cdrom;
	v->phy = dc.phy;
	v->state = 4;
	sim_log(s, "domain %u: %s is %s", domid, v->vdev, v->target);
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Does the simulated guest hold on to this disk (see the top)? */
static int
held(const struct hv_vbd *v)
{
	const char *base = strrchr(v->target, '/');

	return strncmp(base != NULL ? base + 1 : v->target, "busy", 4) == 0;
}

int
sim_block_detach(struct hv *hv, uint32_t domid, const char *vdev, int force,
    int *waiting)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	uint32_t devid;
	int rc, i;

	*waiting = 0;
	pthread_mutex_lock(&s->lock);
	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		goto out;
	if (diskcfg_vdev_id(vdev, &devid) != 0)
		rc = hv_fail(hv, EINVAL, "vdev '%s' is not xvda..xvdz", vdev);
	else if ((i = find(domid, devid)) < 0)
		rc = hv_fail(hv, ENOENT, "domain %u has no disk %s", domid,
		    vdev);
	else if (!force && (vbds[i].v.state != 5 || held(&vbds[i].v))) {
		if (vbds[i].v.state != 5)
			sim_log(s, "domain %u: %s: asked the guest to close it",
			    domid, vdev);
		vbds[i].v.state = 5;
		*waiting = 4;		/* its frontend: still Connected */
	} else {
		sim_log(s, "domain %u: %s detached%s", domid, vdev,
		    force ? " by force" : "");
		vbds[i] = vbds[--nvbds];
	}
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_block_list(struct hv *hv, uint32_t domid, struct hv_vbd *out, size_t max,
    size_t *n)
{
	struct sim *s = hv->priv;
	size_t i;

	pthread_mutex_lock(&s->lock);
	*n = 0;
	for (i = 0; i < nvbds; i++)
		if (vbds[i].domid == domid) {
			if (*n < max)
				out[*n] = vbds[i].v;
			(*n)++;
		}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* The domain is gone: so are its disks (the caller holds s->lock). */
void
sim_block_forget(uint32_t domid)
{
	size_t i;

	for (i = 0; i < nvbds; )
		if (vbds[i].domid == domid)
			vbds[i] = vbds[--nvbds];
		else
			i++;
}
