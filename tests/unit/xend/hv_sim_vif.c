/*
 * hv_sim_vif.c: the simulated hypervisor's domain networks (network-
 * attach, -detach, -list).  Like the xc backend it checks the entry,
 * gives the lowest free vif-N, makes the default MAC from the domain's
 * handle, and forgets a domain's vifs when it is destroyed; instead of
 * xenstore nodes and netback it reports each vif connected on its
 * bridge as "vifD.N".  Detach models a guest that closes at once.  Not
 * kept across a restart of xend-sim.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hv_sim.h"
#include "xmalloc.h"

#define SIM_VIFS_MAX	64
#define SIM_VIF_IDS	8	/* per domain, as VIFCFG_MAX */

static struct {
	uint32_t	domid;
	struct hv_vif	v;
} vifs[SIM_VIFS_MAX];
static size_t nvifs;

static int
find(uint32_t domid, uint32_t devid)
{
	size_t i;

	for (i = 0; i < nvifs; i++)
		if (vifs[i].domid == domid && vifs[i].v.devid == devid)
			return (int)i;
	return -1;
}

int
sim_vif_attach(struct hv *hv, uint32_t domid, const uint8_t handle[16],
    const char *spec, uint32_t *devid, char *mac, size_t len)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	struct vifcfg c;
	struct hv_vif *v;
	char err[300];
	uint32_t id;
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	if ((rc = sim_need_domu(hv, domid, &d)) != 0)
		goto out;
	for (id = 0; id < SIM_VIF_IDS && find(domid, id) >= 0; id++)
		;
	if (vifcfg_parse(spec, &c, err, sizeof err) != 0)
		rc = hv_fail(hv, EINVAL, "vif: %s", err);
	else if (id == SIM_VIF_IDS)
		rc = hv_fail(hv, ENOSPC, "domain %u has %d vifs already",
		    domid, SIM_VIF_IDS);
	else if (nvifs == SIM_VIFS_MAX)
		rc = hv_fail(hv, ENOSPC, "too many vifs (%d) in use",
		    SIM_VIFS_MAX);
	if (rc != 0)
		goto out;
	if (!c.mac_set)
		vifcfg_default_mac(handle, id, c.mac);
	vifs[nvifs].domid = domid;
	v = &vifs[nvifs++].v;
	memset(v, 0, sizeof *v);
	v->devid = id;
	vifcfg_mac_str(c.mac, v->mac, sizeof v->mac);
	snprintf(v->bridge, sizeof v->bridge, "%s", c.bridge);
	snprintf(v->state, sizeof v->state, "4");
	snprintf(v->hotplug, sizeof v->hotplug, "connected");
	snprintf(v->ifname, sizeof v->ifname, "vif%u.%u", domid % 100000u,
	    id % 1000u);
	*devid = id;
	if (mac != NULL && len > 0)
		snprintf(mac, len, "%s", v->mac);
	sim_log(s, "domain %u: vif %u mac %s on %s", domid, id, v->mac,
	    v->bridge);
out:
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_vif_detach(struct hv *hv, uint32_t domid, uint32_t devid)
{
	struct sim *s = hv->priv;
	struct sim_dom *d;
	int rc, i;

	pthread_mutex_lock(&s->lock);
	if ((rc = sim_need_domu(hv, domid, &d)) == 0) {
		if ((i = find(domid, devid)) < 0)
			rc = hv_fail(hv, ENOENT, "domain %u has no vif %u",
			    domid, devid);
		else {
			sim_log(s, "domain %u: vif %u detached", domid, devid);
			vifs[i] = vifs[--nvifs];
		}
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
sim_vif_list(struct hv *hv, uint32_t domid, struct hv_vif *out, size_t max,
    size_t *n)
{
	struct sim *s = hv->priv;
	size_t i, j;
	struct hv_vif t;

	pthread_mutex_lock(&s->lock);
	*n = 0;
	for (i = 0; i < nvifs; i++)
		if (vifs[i].domid == domid) {
			if (*n < max)
				out[*n] = vifs[i].v;
			(*n)++;
		}
	pthread_mutex_unlock(&s->lock);
	/* By device id, as the xc backend lists them. */
	for (i = 1; i < *n && i < max; i++)
		for (j = i; j > 0 && out[j - 1].devid > out[j].devid; j--) {
			t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return 0;
}

/* The domain is gone: so are its vifs (the caller holds s->lock). */
void
sim_vif_forget(uint32_t domid)
{
	size_t i;

	for (i = 0; i < nvifs; )
		if (vifs[i].domid == domid)
			vifs[i] = vifs[--nvifs];
		else
			i++;
}

/*
 * A new or restored domain's disks and vifs (the config's, then those
 * hot-attached), set up as the xc backend's xc_attach does: one that
 * fails is left out and logged, the domain runs on without it.
 */
void
sim_devices_attach(struct hv *hv, uint32_t domid, const uint8_t handle[16],
    char *const *disks, size_t ndisks, char *const *vifv, size_t nvifv)
{
	struct sim *s = hv->priv;
	char mac[18];
	uint32_t id;
	size_t i;

	for (i = 0; i < ndisks; i++)
		if (sim_block_attach(hv, domid, disks[i]) != 0) {
			pthread_mutex_lock(&s->lock);
			sim_log(s, "domain %u runs without disk %s: %s", domid,
			    disks[i], hv_errmsg(hv));
			pthread_mutex_unlock(&s->lock);
		}
	for (i = 0; i < nvifv; i++)
		if (sim_vif_attach(hv, domid, handle, vifv[i], &id, mac,
		    sizeof mac) != 0) {
			pthread_mutex_lock(&s->lock);
			sim_log(s, "domain %u runs without vif %s: %s", domid,
			    vifv[i], hv_errmsg(hv));
			pthread_mutex_unlock(&s->lock);
		}
	hv->errmsg[0] = '\0';
}

struct sim_hot {
	char	*disks[DISKCFG_MAX * 2], *vifs[VIFCFG_MAX * 2];
	size_t	 nd, nv;
};

static void
sim_hot_add(void *arg, const char *kind, const char *spec)
{
	struct sim_hot *h = arg;

	if (strcmp(kind, "disk") == 0 && h->nd < DISKCFG_MAX * 2)
		h->disks[h->nd++] = xstrdup(spec);
	else if (strcmp(kind, "vif") == 0 && h->nv < VIFCFG_MAX * 2)
		h->vifs[h->nv++] = xstrdup(spec);
}

/* A restored domain's devices: its saved config's, then the blob's
 * hot-attached trailer (hotblob_devices), as the xc backend's restore. */
void
sim_restore_devices(struct hv *hv, uint32_t domid, const uint8_t handle[16],
    const char *blob)
{
	struct sim_hot h;
	char *err;
	size_t i;

	memset(&h, 0, sizeof h);
	if (hotblob_devices(blob, sim_hot_add, &h, &err) != 0) {
		free(err);
		return;
	}
	sim_devices_attach(hv, domid, handle, h.disks, h.nd, h.vifs, h.nv);
	for (i = 0; i < h.nd; i++)
		free(h.disks[i]);
	for (i = 0; i < h.nv; i++)
		free(h.vifs[i]);
}
