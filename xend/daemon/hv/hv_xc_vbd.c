/*
 * hv_xc_vbd.c: a domU's disks (xl.cfg `disk =`), served by dom0's own
 * xen-blkback.  For each disk xend
 *   - backs a file target with a free loop device (a `phy:` target is
 *     used as it is), since blkback opens a block device by number;
 *   - writes the frontend directory the guest owns,
 *     /local/domain/D/device/vbd/ID/{backend,backend-id,virtual-device,
 *     device-type,state}, and the backend directory dom0's kernel
 *     watches, /local/domain/0/backend/vbd/D/ID/{frontend,frontend-id,
 *     online,params,mode,type,dev,physical-device,state};
 * and on destroy (or block-detach) removes both and releases the loop
 * device.
 * "state" goes last on each side: xenbus probes a device only when it
 * reads state 1 (Initialising), so neither kernel sees half a device.
 * The backend directory also gets xend-owner, a random token kept in
 * the record: teardown removes the nodes only while that token is
 * still there, so a late or repeated teardown of a dead domain's disk
 * never touches the directory of a newer domain that got the same id
 * and device (docs/devices.md, "Teardown").
 * The guest reads (never writes) its backend directory: xs_tree.c's
 * read rule.  docs/devices.md follows one disk end to end.
 */
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/loop.h>

#include "config.h"
#include "hv.h"
#include "hv_xc_xsnode.h"
#include "hv_xc_vbd.h"
#include "hv_xc_vbd_keep.h"
#include "log.h"
#include "xmalloc.h"
#include "xs.h"

#define MAX_VBDS	256

/* What destroy and block-detach must undo, and what block-list shows.
 * Kept on disk too (hv_xc_vbd_keep.c), so a restarted xend still knows
 * which loop devices and backend directories are its guests'. */
static struct vbd_rec vbds[MAX_VBDS];
static size_t nvbds;

/* Bind a free loop device to the image; its number, or -1 with err. */
static int
loop_attach(const char *path, int writable, char *err, size_t len)
{
	struct loop_info64 info;
	char dev[32];
	int ctl, n, fd, lfd;

	if ((fd = open(path, writable ? O_RDWR : O_RDONLY)) < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((ctl = open("/dev/loop-control", O_RDWR)) < 0) {
		snprintf(err, len, "/dev/loop-control: %s (is the loop "
		    "module loaded?)", strerror(errno));
		close(fd);
		return -1;
	}
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0) {
		snprintf(err, len, "no free loop device: %s", strerror(errno));
		close(fd);
		return -1;
	}
	snprintf(dev, sizeof dev, "/dev/loop%d", n);
	if ((lfd = open(dev, writable ? O_RDWR : O_RDONLY)) < 0 ||
	    ioctl(lfd, LOOP_SET_FD, fd) != 0) {
		snprintf(err, len, "%s: %s", dev, strerror(errno));
		if (lfd >= 0)
			close(lfd);
		close(fd);
		return -1;
	}
	memset(&info, 0, sizeof info);
	/* The kernel shows it in sysfs; a long path is cut, as losetup
	 * does. */
	memcpy(info.lo_file_name, path, strnlen(path,
	    sizeof info.lo_file_name - 1));
	if (!writable)
		info.lo_flags = LO_FLAGS_READ_ONLY;
	(void)ioctl(lfd, LOOP_SET_STATUS64, &info);	/* cosmetic */
	close(lfd);
	close(fd);
	return n;
}

/* Unbind; while blkback still holds it the kernel unbinds at its last
 * close instead (autoclear), so this never has to wait. */
static void
loop_detach(int n)
{
	char dev[32];
	int fd;

	snprintf(dev, sizeof dev, "/dev/loop%d", n);
	if ((fd = open(dev, O_RDONLY)) < 0 || ioctl(fd, LOOP_CLR_FD) != 0)
		log_warnx("releasing %s: %s", dev, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* A token no other disk record has (0 means "unknown"). */
static uint64_t
new_owner(void)
{
	static uint64_t fallback;
	uint64_t t = 0;

	if (getrandom(&t, sizeof t, GRND_NONBLOCK) != (ssize_t)sizeof t)
		t = ((uint64_t)time(NULL) << 20) ^ ((uint64_t)getpid() << 40) ^
		    ++fallback;
	return t != 0 ? t : 1;
}

static int
vbd_add(uint32_t domid, const struct diskcfg *d, char *err, size_t len)
{
	char fe[128], be[128], pdev[32], src[940], tok[24];
	struct stat st;
	int loop = -1, e = 0;
	uint64_t owner = new_owner();

	if (d->phy) {
		if (stat(d->target, &st) != 0 || !S_ISBLK(st.st_mode)) {
			snprintf(err, len, "phy:%s is not a block device",
			    d->target);
			return -1;
		}
		snprintf(src, sizeof src, "%s", d->target);
	} else {
		if ((loop = loop_attach(d->target, d->writable, err, len)) < 0)
			return -1;
		snprintf(src, sizeof src, "/dev/loop%d", loop);
		if (stat(src, &st) != 0) {
			snprintf(err, len, "%s: %s", src, strerror(errno));
			loop_detach(loop);
			return -1;
		}
	}
	/* As Xen's hotplug script writes it: major:minor in hex. */
	snprintf(pdev, sizeof pdev, "%x:%x", major(st.st_rdev),
	    minor(st.st_rdev));
	snprintf(fe, sizeof fe, "/local/domain/%u/device/vbd/%u", domid,
	    d->devid);
	snprintf(be, sizeof be, "/local/domain/0/backend/vbd/%u/%u", domid,
	    d->devid);
	/* Who may read and write them (docs/xenstore.md), first: the
	 * nodes below inherit the directories' lists. */
	e |= xs_ring_device_dirs(domid, fe, be);
	e |= xsnode_put(fe, "backend", be);
	e |= xsnode_put_u(fe, "backend-id", 0);
	e |= xsnode_put_u(fe, "virtual-device", d->devid);
	e |= xsnode_put(fe, "device-type", d->cdrom ? "cdrom" : "disk");
	e |= xsnode_put(be, "frontend", fe);
	e |= xsnode_put_u(be, "frontend-id", domid);
	e |= xsnode_put_u(be, "online", 1);
	e |= xsnode_put(be, "params", d->target);
	e |= xsnode_put(be, "mode", d->writable ? "w" : "r");
	e |= xsnode_put(be, "type", d->phy ? "phy" : "file");
	e |= xsnode_put(be, "dev", d->vdev);
	e |= xsnode_put(be, "node", src);
	e |= xsnode_put(be, "physical-device", pdev);
	snprintf(tok, sizeof tok, "%016llx", (unsigned long long)owner);
	e |= xsnode_put(be, "xend-owner", tok);
	e |= xsnode_put_u(be, "state", 1);
	e |= xsnode_put_u(fe, "state", 1);
	if (e != 0) {
		snprintf(err, len, "writing %s's xenstore nodes failed "
		    "(is xenstore = 1?)", d->vdev);
		xs_ring_rm(fe);
		xs_ring_rm(be);
		if (loop >= 0)
			loop_detach(loop);
		return -1;
	}
	memset(&vbds[nvbds], 0, sizeof vbds[nvbds]);
	vbds[nvbds].domid = domid;
	vbds[nvbds].cfg = *d;
	vbds[nvbds].loop = loop;
	vbds[nvbds].owner = owner;
	if (loop >= 0)
		snprintf(vbds[nvbds].node, sizeof vbds[nvbds].node,
		    "/dev/loop%d", loop);
	nvbds++;
	vbd_keep_save(vbds, nvbds);
	log_info("domain %u: %s is %s (%s, %s) through xen-blkback", domid,
	    d->vdev, d->target, src, d->writable ? "read-write" : "read-only");
	return 0;
}

int
vbd_check(const char *spec, char *err, size_t len)
{
	struct diskcfg d;
	struct stat st;

	if (diskcfg_parse(spec, &d, err, len) != 0)
		return -1;
	if (stat(d.target, &st) != 0) {
		snprintf(err, len, "%s: %s", d.target, strerror(errno));
		return -1;
	}
	if (d.phy ? !S_ISBLK(st.st_mode) : !S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s is not a %s", d.target, d.phy ?
		    "block device" : "regular file (use phy: for a device)");
		return -1;
	}
	if (access(d.target, d.writable ? R_OK | W_OK : R_OK) != 0) {
		snprintf(err, len, "%s: %s", d.target, strerror(errno));
		return -1;
	}
	return 0;
}

static struct vbd_rec *
vbd_find(uint32_t domid, uint32_t devid)
{
	size_t i;

	for (i = 0; i < nvbds; i++)
		if (vbds[i].domid == domid && vbds[i].cfg.devid == devid)
			return &vbds[i];
	return NULL;
}

/* One disk of a domain that has its store ring: the entry checked, the
 * vdev free.  0, or -1 with err and nothing left behind. */
int
vbd_attach_one(uint32_t domid, const char *spec, char *err, size_t len)
{
	struct diskcfg d;

	if (diskcfg_parse(spec, &d, err, len) != 0)
		return -1;
	if (vbd_find(domid, d.devid) != NULL) {
		snprintf(err, len, "domain %u already has %s", domid, d.vdev);
		return -1;
	}
	if (nvbds == MAX_VBDS) {
		snprintf(err, len, "too many disks (%d) in use", MAX_VBDS);
		return -1;
	}
	if (!xs_ring_has(domid)) {
		snprintf(err, len, "disks need xenstore (xenstore = 1 in "
		    "xend.conf)");
		return -1;
	}
	return vbd_add(domid, &d, err, len);
}

int
vbd_attach_all(uint32_t domid, char *const *specs, size_t n, char *err,
    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vbd_attach_one(domid, specs[i], err, len) != 0) {
			vbd_detach_all(domid);
			return -1;
		}
	return 0;
}

/* vbd_owner_of for the directory BE as it is now. */
static enum vbd_owner
vbd_owner_here(const char *be, uint64_t owner)
{
	char path[192], buf[32], *end;
	unsigned long long t = 0;
	int has_token;

	snprintf(path, sizeof path, "%s/xend-owner", be);
	has_token = xs_ring_read(path, buf, sizeof buf) == 0;
	if (has_token) {
		errno = 0;
		t = strtoull(buf, &end, 16);
		if (errno != 0 || end == buf || *end != '\0')
			t = 0;		/* not a token of ours: not ours */
	}
	snprintf(path, sizeof path, "%s/state", be);
	return vbd_owner_of(xs_ring_read(path, buf, sizeof buf) == 0,
	    has_token, t, owner);
}

/*
 * Take one record's devices away.  The backend goes to Closing first
 * (what a running guest's blkfront watches: it closes its side), then
 * the frontend directory (the guest's xenbus unregisters the device),
 * then the backend directory (dom0's xenbus unregisters blkback's, which
 * lets go of the device and the guest's grants), then the loop device.
 */
static void
vbd_teardown(const struct vbd_rec *v)
{
	char fe[128], be[128], st[160];

	snprintf(fe, sizeof fe, "/local/domain/%u/device/vbd/%u", v->domid,
	    v->cfg.devid);
	snprintf(be, sizeof be, "/local/domain/0/backend/vbd/%u/%u", v->domid,
	    v->cfg.devid);
	switch (vbd_owner_here(be, v->owner)) {
	case VBD_OWNER_OTHER:
		/* A newer domain's disk (same id and device): its nodes
		 * are not ours to take; our loop device still is. */
		log_warnx("domain %u: %s: %s belongs to a newer device; "
		    "left alone", v->domid, v->cfg.vdev, be);
		break;
	case VBD_OWNER_GONE:
		/* Removed already (a teardown repeated): writing online
		 * and state would make a stub directory; the frontend
		 * directory, if any, has no backend now. */
		(void)xs_ring_rm(fe);
		break;
	case VBD_OWNER_OURS:
		snprintf(st, sizeof st, "%s/online", be);
		(void)xs_ring_write(st, "0");
		snprintf(st, sizeof st, "%s/state", be);
		(void)xs_ring_write(st, "5");
		(void)xs_ring_rm(fe);
		(void)xs_ring_rm(be);
		break;
	}
	if (v->loop >= 0)
		loop_detach(v->loop);
}

/* The xenbus state in DIR/state; 0 when the node is not there. */
static int
xb_state(const char *dir)
{
	char path[192], st[16];

	snprintf(path, sizeof path, "%s/state", dir);
	return xs_ring_read(path, st, sizeof st) == 0 ? atoi(st) : 0;
}

int
vbd_detach_one(uint32_t domid, const char *vdev, int force, int *waiting,
    char *err, size_t len)
{
	char fe[128], be[128], path[160];
	struct vbd_rec *v;
	uint32_t devid;
	int fst;

	if (diskcfg_vdev_id(vdev, &devid) != 0) {
		snprintf(err, len, "vdev '%s' is not xvda..xvdz", vdev);
		return -1;
	}
	if ((v = vbd_find(domid, devid)) == NULL) {
		snprintf(err, len, "domain %u has no disk %s", domid, vdev);
		return -1;
	}
	*waiting = 0;
	snprintf(fe, sizeof fe, "/local/domain/%u/device/vbd/%u", domid,
	    devid);
	snprintf(be, sizeof be, "/local/domain/0/backend/vbd/%u/%u", domid,
	    devid);
	/* Removing the nodes under a connected blkfront yanks the disk from
	 * under whatever the guest has on it: first ask it to close (what
	 * Xen's toolstack does), and remove only once it has.  A frontend
	 * that never got past Initialising (no blkfront) has nothing to
	 * close. */
	fst = xb_state(fe);
	if (!force && fst != 0 && fst != 1 && fst != 6 && xb_state(be) != 6) {
		if (!v->closing) {
			snprintf(path, sizeof path, "%s/online", be);
			(void)xs_ring_write(path, "0");
			snprintf(path, sizeof path, "%s/state", be);
			(void)xs_ring_write(path, "5");
			v->closing = 1;
			log_info("domain %u: %s: asked the guest to close it "
			    "(its frontend is in state %d)", domid, vdev, fst);
		}
		*waiting = fst;
		return 0;
	}
	vbd_teardown(v);
	log_info("domain %u: %s (%s) detached%s", domid, vdev,
	    v->loop >= 0 ? v->node : v->cfg.target, force && fst != 0 &&
	    fst != 1 && fst != 6 ? " by force, the guest had not closed it" :
	    "");
	*v = vbds[--nvbds];
	vbd_keep_save(vbds, nvbds);
	return 0;
}

size_t
vbd_list(uint32_t domid, struct vbd_rec *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < nvbds; i++)
		if (vbds[i].domid == domid) {
			if (n < max)
				out[n] = vbds[i];
			n++;
		}
	return n;
}

void
vbd_detach_all(uint32_t domid)
{
	size_t i, before = nvbds;

	for (i = 0; i < nvbds; ) {
		if (vbds[i].domid != domid) {
			i++;
			continue;
		}
		vbd_teardown(&vbds[i]);
		vbds[i] = vbds[--nvbds];
	}
	if (nvbds != before)
		vbd_keep_save(vbds, nvbds);
}

/*
 * After a restart: take back the records of the last xend.  Those of a
 * domain still running stay (destroy and block-detach find them); a
 * domain that died while xend was down gets its nodes and loop devices
 * released now, which nothing else would do.
 */
void
vbd_resume(const char *db_path, int (*alive)(uint32_t domid))
{
	struct vbd_rec *kept = xcalloc(MAX_VBDS, sizeof *kept);
	size_t n, i;

	vbd_keep_init(db_path);
	n = vbd_keep_load(kept, MAX_VBDS);
	nvbds = 0;
	for (i = 0; i < n; i++) {
		if (alive(kept[i].domid)) {
			vbds[nvbds++] = kept[i];
			continue;
		}
		log_info("domain %u died while xend was down: releasing its "
		    "%s (%s)", kept[i].domid, kept[i].cfg.vdev,
		    kept[i].loop >= 0 ? kept[i].node : kept[i].cfg.target);
		vbd_teardown(&kept[i]);
	}
	free(kept);
	vbd_keep_save(vbds, nvbds);
}

/* ---- The backend operations (hv.h): block-attach, -detach, -list ---- */

int
xc_block_attach_hv(struct hv *hv, uint32_t domid, const char *spec)
{
	char err[1200];

	if (domid == 0)
		return hv_fail(hv, EPERM, "Domain-0's disks are not xend's");
	if (vbd_check(spec, err, sizeof err) != 0 ||
	    vbd_attach_one(domid, spec, err, sizeof err) != 0)
		return hv_fail(hv, EINVAL, "disk: %s", err);
	return 0;
}

int
xc_block_detach_hv(struct hv *hv, uint32_t domid, const char *vdev, int force,
    int *waiting)
{
	char err[200];

	if (vbd_detach_one(domid, vdev, force, waiting, err, sizeof err) != 0)
		return hv_fail(hv, ENOENT, "%s", err);
	return 0;
}

int
xc_block_list_hv(struct hv *hv, uint32_t domid, struct hv_vbd *out,
    size_t max, size_t *n)
{
	struct vbd_rec *r;
	char path[160], st[16];
	size_t i;

	(void)hv;
	r = xcalloc(max > 0 ? max : 1, sizeof *r);
	*n = vbd_list(domid, r, max);
	for (i = 0; i < *n && i < max; i++) {
		memset(&out[i], 0, sizeof out[i]);
		memcpy(out[i].vdev, r[i].cfg.vdev, sizeof out[i].vdev);
		out[i].devid = r[i].cfg.devid;
		memcpy(out[i].target, r[i].cfg.target, sizeof out[i].target);
		snprintf(out[i].node, sizeof out[i].node, "%s",
		    r[i].node[0] != '\0' ? r[i].node : "-");
		out[i].writable = r[i].cfg.writable;
		out[i].cdrom = r[i].cfg.cdrom;
		out[i].phy = r[i].cfg.phy;
		snprintf(path, sizeof path,
		    "/local/domain/0/backend/vbd/%u/%u/state", domid,
		    r[i].cfg.devid);
		out[i].state = xs_ring_read(path, st, sizeof st) == 0 ?
		    atoi(st) : -1;
	}
	free(r);
	return 0;
}
