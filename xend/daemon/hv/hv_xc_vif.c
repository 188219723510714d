/*
 * hv_xc_vif.c: a domU's network interfaces (xl.cfg `vif =`, `xenctl
 * network-attach`), served by dom0's own xen-netback and a Linux bridge.
 * For each vif xend
 *   - makes sure its bridge (default xenbr0) exists and is up;
 *   - writes the frontend directory the guest owns,
 *     /local/domain/D/device/vif/N/{backend,backend-id,handle,mac,state},
 *     and the backend directory dom0's kernel watches,
 *     /local/domain/0/backend/vif/D/N/{frontend,frontend-id,online,
 *     handle,mac,bridge,script,type,state} ("state" last on each side:
 *     xenbus probes a device only when it reads state 1);
 *   - does what Xen's vif-bridge hotplug script does once netback has
 *     made the interface vifD.N: enslaves it to the bridge, brings it
 *     up and writes hotplug-status = connected, which netback waits for
 *     before it tells the guest Connected.  The interface appears some
 *     time after the nodes (netback probes asynchronously), so pending
 *     vifs are polled from the event loop until it is there;
 * and on destroy removes the backend directory, so netback drops the
 * interface (and with it its bridge port) and the guest's grants.  The
 * store is the record: `network-list` and a restarted xend read the
 * backend nodes, nothing is kept only in memory.
 * docs/devices.md follows one vif end to end.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_bridge.h>
#include <linux/sockios.h>

#include <event2/event.h>

#include "config.h"
#include "hv.h"
#include "hv_xc_xsnode.h"
#include "hv_xc_vif.h"
#include "log.h"
#include "xs.h"

#define MAX_PENDING	64
#define POLL_MS		200
#define HOTPLUG_SECS	120	/* netback never made the interface */
#define CLOSE_SECS	20	/* a detach the guest does not answer */

/* A vif waiting for its interface (hotplug) or for the guest to close
 * it (detach). */
static struct vif_pending {
	uint32_t	domid, devid;
	int		closing;
	time_t		deadline;
	char		bridge[16];
} pend[MAX_PENDING];
static size_t npend;
static struct event *poll_ev;

static void
be_path(uint32_t domid, uint32_t devid, char *out, size_t len)
{
	snprintf(out, len, "/local/domain/0/backend/vif/%u/%u", domid, devid);
}

static void
fe_path(uint32_t domid, uint32_t devid, char *out, size_t len)
{
	snprintf(out, len, "/local/domain/%u/device/vif/%u", domid, devid);
}

static int
if_up(int s, const char *name, char *err, size_t len)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		goto fail;
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0)
		return 0;
fail:
	snprintf(err, len, "bringing %s up: %s", name, strerror(errno));
	return -1;
}

int
vif_bridge_ensure(const char *bridge, char *err, size_t len)
{
	int s, rc = -1;

	if ((s = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0) {
		snprintf(err, len, "socket: %s", strerror(errno));
		return -1;
	}
	if (if_nametoindex(bridge) == 0) {
		if (ioctl(s, SIOCBRADDBR, bridge) != 0 && errno != EEXIST) {
			snprintf(err, len, "creating bridge %s: %s (is the "
			    "bridge module loaded?)", bridge, strerror(errno));
			goto out;
		}
		log_info("network: created bridge %s", bridge);
	}
	rc = if_up(s, bridge, err, len);
out:
	close(s);
	return rc;
}

/* vif-bridge's "online": the interface onto the bridge, up. */
static int
hotplug_online(const struct vif_pending *p, char *err, size_t len)
{
	char name[IFNAMSIZ];
	struct ifreq ifr;
	int s, rc = -1;

	snprintf(name, sizeof name, "vif%u.%u", p->domid, p->devid);
	if (vif_bridge_ensure(p->bridge, err, len) != 0)
		return -1;
	if ((s = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0) {
		snprintf(err, len, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", p->bridge);
	ifr.ifr_ifindex = (int)if_nametoindex(name);
	if (ifr.ifr_ifindex == 0 || (ioctl(s, SIOCBRADDIF, &ifr) != 0 &&
	    errno != EBUSY)) {
		snprintf(err, len, "adding %s to %s: %s", name, p->bridge,
		    strerror(errno));
		goto out;
	}
	rc = if_up(s, name, err, len);
out:
	close(s);
	return rc;
}

static void arm(void);

static void
drop(size_t i)
{
	pend[i] = pend[--npend];
}

/* One round over the pending vifs (the event loop's timer). */
static void
on_poll(evutil_socket_t fd, short what, void *arg)
{
	char be[96], fe[96], name[IFNAMSIZ], st[16], err[200], ip[256];
	time_t now = time(NULL);
	size_t i;

	(void)fd;
	(void)what;
	(void)arg;
	for (i = 0; i < npend; ) {
		struct vif_pending *p = &pend[i];

		be_path(p->domid, p->devid, be, sizeof be);
		fe_path(p->domid, p->devid, fe, sizeof fe);
		snprintf(name, sizeof name, "vif%u.%u", p->domid, p->devid);
		if (xs_ring_read(be, st, sizeof st) == ENOENT) {
			drop(i);	/* destroyed meanwhile */
			continue;
		}
		if (p->closing) {
			snprintf(st, sizeof st, "?");
			(void)xs_ring_read(strcat(be, "/state"), st, sizeof st);
			be_path(p->domid, p->devid, be, sizeof be);
			if (strcmp(st, "6") != 0 && now < p->deadline) {
				i++;
				continue;
			}
			if (strcmp(st, "6") != 0)
				log_warnx("domain %u: vif %u did not close in "
				    "%d s; removed anyway", p->domid, p->devid,
				    CLOSE_SECS);
			xs_ring_rm(be);
			xs_ring_rm(fe);
			vif_fw_remove(p->domid, p->devid);
			log_info("domain %u: vif %u detached", p->domid,
			    p->devid);
			drop(i);
			continue;
		}
		if (if_nametoindex(name) != 0) {
			/* ip= filters before the port is up (hv_xc_vif_fw.c);
			 * a filter that cannot be installed fails the
			 * hotplug, so netback never connects the vif. */
			ip[0] = '\0';
			(void)xs_ring_read(strcat(be, "/ip"), ip, sizeof ip);
			be_path(p->domid, p->devid, be, sizeof be);
			if ((ip[0] != '\0' && vif_fw_apply(p->domid, p->devid,
			    ip, err, sizeof err) != 0) ||
			    hotplug_online(p, err, sizeof err) != 0) {
				log_warnx("domain %u: %s", p->domid, err);
				xsnode_put(be, "hotplug-error", err);
				xsnode_put(be, "hotplug-status", "error");
			} else {
				xsnode_put(be, "hotplug-status", "connected");
				log_info("domain %u: %s is on bridge %s",
				    p->domid, name, p->bridge);
			}
			drop(i);
			continue;
		}
		if (now >= p->deadline) {
			log_warnx("domain %u: netback made no %s in %d s (is "
			    "xen-netback loaded?)", p->domid, name,
			    HOTPLUG_SECS);
			drop(i);
			continue;
		}
		i++;
	}
	arm();
}

static void
arm(void)
{
	struct timeval tv = { 0, POLL_MS * 1000 };

	if (poll_ev != NULL && npend > 0)
		event_add(poll_ev, &tv);
}

static int
add_pending(uint32_t domid, uint32_t devid, const char *bridge, int closing)
{
	size_t i;

	for (i = 0; i < npend; i++)
		if (pend[i].domid == domid && pend[i].devid == devid) {
			pend[i].closing = closing;
			pend[i].deadline = time(NULL) + CLOSE_SECS;
			return 0;
		}
	if (npend == MAX_PENDING)
		return -1;
	pend[npend].domid = domid;
	pend[npend].devid = devid;
	pend[npend].closing = closing;
	pend[npend].deadline = time(NULL) + (closing ? CLOSE_SECS :
	    HOTPLUG_SECS);
	snprintf(pend[npend].bridge, sizeof pend[npend].bridge, "%s", bridge);
	npend++;
	arm();
	return 0;
}

int
vif_start_events(struct event_base *base)
{
	char *names = NULL, *d, *n, path[160], br[16], hs[32], *sub;
	size_t len = 0, slen;

	if (poll_ev == NULL &&
	    (poll_ev = evtimer_new(base, on_poll, NULL)) == NULL)
		return -1;
	/* A restarted xend: vifs whose interface was not yet on its
	 * bridge when the last one stopped get their hotplug now. */
	if (xs_ring_directory("/local/domain/0/backend/vif", &names, &len)
	    != 0)
		return 0;
	for (d = names; d < names + len; d += strlen(d) + 1) {
		snprintf(path, sizeof path, "/local/domain/0/backend/vif/%s",
		    d);
		if (xs_ring_directory(path, &sub, &slen) != 0)
			continue;
		for (n = sub; n < sub + slen; n += strlen(n) + 1) {
			snprintf(path, sizeof path, "/local/domain/0/backend/"
			    "vif/%s/%s/hotplug-status", d, n);
			if (xs_ring_read(path, hs, sizeof hs) == 0)
				continue;
			snprintf(path, sizeof path, "/local/domain/0/backend/"
			    "vif/%s/%s/bridge", d, n);
			if (xs_ring_read(path, br, sizeof br) != 0)
				snprintf(br, sizeof br, "%s",
				    VIFCFG_BRIDGE_DEFAULT);
			add_pending((uint32_t)strtoul(d, NULL, 10),
			    (uint32_t)strtoul(n, NULL, 10), br, 0);
		}
		free(sub);
	}
	free(names);
	return 0;
}

int
vif_exists(uint32_t domid, uint32_t devid)
{
	char be[96], st[16];

	be_path(domid, devid, be, sizeof be);
	strcat(be, "/state");
	return xs_ring_read(be, st, sizeof st) == 0;
}

int
vif_add(uint32_t domid, const uint8_t handle[16], uint32_t devid,
    const char *spec, char *mac_out, size_t mac_len, char *err, size_t len)
{
	char fe[96], be[96], mac[18], rate[64];
	struct vifcfg v;
	int e = 0;

	if (vifcfg_parse(spec, &v, err, len) != 0)
		return -1;
	if (!xs_ring_has(domid)) {
		snprintf(err, len, "networks need xenstore (xenstore = 1 in "
		    "xend.conf)");
		return -1;
	}
	if (vif_exists(domid, devid)) {
		snprintf(err, len, "vif %u exists", devid);
		return -1;
	}
	if (vif_bridge_ensure(v.bridge, err, len) != 0)
		return -1;
	if (!v.mac_set)
		vifcfg_default_mac(handle, devid, v.mac);
	vifcfg_mac_str(v.mac, mac, sizeof mac);
	fe_path(domid, devid, fe, sizeof fe);
	be_path(domid, devid, be, sizeof be);
	/* Who may read and write them (docs/xenstore.md), first: the
	 * nodes below inherit the directories' lists. */
	e |= xs_ring_device_dirs(domid, fe, be);
	e |= xsnode_put(fe, "backend", be);
	e |= xsnode_put_u(fe, "backend-id", 0);
	e |= xsnode_put_u(fe, "handle", devid);
	e |= xsnode_put(fe, "mac", mac);
	e |= xsnode_put(be, "frontend", fe);
	e |= xsnode_put_u(be, "frontend-id", domid);
	e |= xsnode_put_u(be, "online", 1);
	e |= xsnode_put_u(be, "handle", devid);
	e |= xsnode_put(be, "mac", mac);
	e |= xsnode_put(be, "bridge", v.bridge);
	/* netback refuses a device without one; xend itself is the
	 * script (the hotplug above). */
	e |= xsnode_put(be, "script", "xend");
	e |= xsnode_put(be, "type", "vif");
	if (v.ip[0] != '\0')
		e |= xsnode_put(be, "ip", v.ip);
	if (v.rate[0] != '\0') {
		/* netback's own form, bytes per interval in microseconds. */
		snprintf(rate, sizeof rate, "%llu,%llu",
		    (unsigned long long)v.rate_bytes,
		    (unsigned long long)v.rate_usec);
		e |= xsnode_put(be, "rate", rate);
	}
	if (e == 0 && add_pending(domid, devid, v.bridge, 0) != 0) {
		snprintf(err, len, "too many vifs waiting for their interface");
		xs_ring_rm(fe);
		xs_ring_rm(be);
		return -1;
	}
	e |= xsnode_put_u(be, "state", 1);
	e |= xsnode_put_u(fe, "state", 1);
	if (e != 0) {
		snprintf(err, len, "writing vif %u's xenstore nodes failed",
		    devid);
		xs_ring_rm(fe);
		xs_ring_rm(be);
		return -1;
	}
	if (mac_out != NULL)
		snprintf(mac_out, mac_len, "%s", mac);
	log_info("domain %u: vif %u (%s) on %s through xen-netback", domid,
	    devid, mac, v.bridge);
	return 0;
}

int
vif_attach_all(uint32_t domid, const uint8_t handle[16],
    char *const *specs, size_t n, char *err, size_t len)
{
	size_t i;

	/* A new domain: no filter of an earlier one with its id stays. */
	if (n > 0)
		vif_fw_forget(domid);
	for (i = 0; i < n; i++)
		if (vif_add(domid, handle, (uint32_t)i, specs[i], NULL, 0,
		    err, len) != 0) {
			vif_detach_all(domid);
			return -1;
		}
	return 0;
}

int
vif_detach(uint32_t domid, uint32_t devid, char *err, size_t len)
{
	char be[96];
	int e;

	if (!vif_exists(domid, devid)) {
		snprintf(err, len, "domain %u has no vif %u", domid, devid);
		return -1;
	}
	/* As Xen's toolstack: the backend offline and Closing; the guest's
	 * netfront closes, netback unregisters, then the nodes go (on_poll;
	 * a guest that does not answer loses them after CLOSE_SECS). */
	be_path(domid, devid, be, sizeof be);
	if ((e = xsnode_put_u(be, "online", 0)) != 0 ||
	    (e = xsnode_put_u(be, "state", 5)) != 0) {
		snprintf(err, len, "xenstore: %s", strerror(e));
		return -1;
	}
	if (add_pending(domid, devid, "", 1) != 0) {
		char fe[96];

		fe_path(domid, devid, fe, sizeof fe);
		xs_ring_rm(be);
		xs_ring_rm(fe);
	}
	return 0;
}

static int
read_key(const char *dir, const char *key, char *buf, size_t len)
{
	char path[160];

	snprintf(path, sizeof path, "%s/%s", dir, key);
	if (xs_ring_read(path, buf, len) != 0) {
		snprintf(buf, len, "-");
		return -1;
	}
	return 0;
}

int
vif_list(uint32_t domid, struct hv_vif *out, size_t max, size_t *n)
{
	char dir[96], be[128], *names = NULL, *d, *end;
	size_t len = 0;
	unsigned long id;

	*n = 0;
	snprintf(dir, sizeof dir, "/local/domain/0/backend/vif/%u", domid);
	if (xs_ring_directory(dir, &names, &len) != 0)
		return 0;
	for (d = names; d < names + len; d += strlen(d) + 1) {
		id = strtoul(d, &end, 10);
		if (*end != '\0' || id > 0xffff || *n == max)
			continue;
		snprintf(be, sizeof be, "%s/%s", dir, d);
		memset(&out[*n], 0, sizeof out[*n]);
		out[*n].devid = (uint32_t)id;
		read_key(be, "mac", out[*n].mac, sizeof out[*n].mac);
		read_key(be, "bridge", out[*n].bridge, sizeof out[*n].bridge);
		if (read_key(be, "state", out[*n].state, sizeof out[*n].state)
		    != 0)
			continue;
		read_key(be, "hotplug-status", out[*n].hotplug,
		    sizeof out[*n].hotplug);
		snprintf(out[*n].ifname, sizeof out[*n].ifname, "vif%u.%lu",
		    domid, id);
		(*n)++;
	}
	free(names);
	return 0;
}

int
vif_find_mac(uint32_t domid, const char *mac, uint32_t *devid)
{
	struct hv_vif v[VIF_LIST_MAX];
	size_t n, i;

	vif_list(domid, v, VIF_LIST_MAX, &n);
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].mac, mac) == 0) {
			*devid = v[i].devid;
			return 0;
		}
	return -1;
}

void
vif_detach_all(uint32_t domid)
{
	char be[96], st[8];
	size_t i;

	/* The guest is gone: the whole backend directory at once; dom0's
	 * xenbus sees it vanish and netback drops the interface (and its
	 * bridge port) and the guest's grants.  From the store, so a vif
	 * a previous xend attached goes too. */
	snprintf(be, sizeof be, "/local/domain/0/backend/vif/%u", domid);
	/* Its ip= filters go with it (a domain that had vifs only). */
	if (xs_ring_read(be, st, sizeof st) != ENOENT)
		vif_fw_forget(domid);
	xs_ring_rm(be);
	for (i = 0; i < npend; )
		if (pend[i].domid == domid)
			drop(i);
		else
			i++;
}
