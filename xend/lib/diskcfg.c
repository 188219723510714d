/*
 * diskcfg.c: one entry of an xl.cfg `disk = [ ... ]` list.  Both forms xl
 * documents are taken, as far as xend supports them:
 *
 *   'file:/path/img,xvda,w'      positional: [file:|phy:]TARGET,VDEV,MODE
 *   'target=/path,vdev=xvda,access=rw,format=raw'
 *
 * A bare path is a file.  Modes: r/ro read-only, w/rw writable.  Virtual
 * devices are xvda..xvdz; their xenbus id is 202 << 8 | index << 4 (xvda
 * is 51712), the encoding Linux's blkfront decodes.  Anything else is an
 * error that names the entry: a disk silently missing or read-only would
 * surface much later inside the guest.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

static int
set_mode(struct diskcfg *d, const char *m, char *err, size_t len)
{
	if (strcmp(m, "w") == 0 || strcmp(m, "rw") == 0)
		d->writable = 1;
	else if (strcmp(m, "r") == 0 || strcmp(m, "ro") == 0)
		d->writable = 0;
	else {
		snprintf(err, len, "access '%s' is neither r(o) nor (r)w", m);
		return -1;
	}
	return 0;
}

static int
set_target(struct diskcfg *d, const char *t, char *err, size_t len)
{
	d->phy = 0;
	if (strncmp(t, "file:", 5) == 0)
		t += 5;
	else if (strncmp(t, "phy:", 4) == 0) {
		t += 4;
		d->phy = 1;
	}
	if (t[0] != '/' || strlen(t) >= sizeof d->target) {
		snprintf(err, len, "target '%s' is not an absolute path", t);
		return -1;
	}
	snprintf(d->target, sizeof d->target, "%s", t);
	return 0;
}

static int
set_vdev(struct diskcfg *d, const char *v, char *err, size_t len)
{
	if (strlen(v) != 4 || strncmp(v, "xvd", 3) != 0 || v[3] < 'a' ||
	    v[3] > 'z') {
		snprintf(err, len, "vdev '%s' is not xvda..xvdz", v);
		return -1;
	}
	snprintf(d->vdev, sizeof d->vdev, "%s", v);
	d->devid = 202u << 8 | (uint32_t)(v[3] - 'a') << 4;
	return 0;
}

int
diskcfg_parse(const char *spec, struct diskcfg *d, char *err, size_t len)
{
	char buf[DISKCFG_SPEC_MAX], *f[8], *p, *eq;
	size_t n = 0, i;
	int keyed;

	memset(d, 0, sizeof *d);
	d->writable = 1;
	if (strlen(spec) >= sizeof buf) {
		snprintf(err, len, "disk entry longer than %d bytes",
		    DISKCFG_SPEC_MAX - 1);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", spec);
	for (p = buf; n < 8; ) {
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	if (p != NULL) {
		snprintf(err, len, "disk entry '%s' has too many fields", spec);
		return -1;
	}
	keyed = strchr(f[0], '=') != NULL;
	if (!keyed) {
		if (n != 3) {
			snprintf(err, len, "disk entry '%s': expected "
			    "TARGET,VDEV,ACCESS", spec);
			return -1;
		}
		return set_target(d, f[0], err, len) ||
		    set_vdev(d, f[1], err, len) || set_mode(d, f[2], err, len)
		    ? -1 : 0;
	}
	for (i = 0; i < n; i++) {
		if ((eq = strchr(f[i], '=')) == NULL) {
			snprintf(err, len, "disk entry '%s': '%s' is not "
			    "KEY=VALUE", spec, f[i]);
			return -1;
		}
		*eq++ = '\0';
		if (strcmp(f[i], "target") == 0) {
			if (set_target(d, eq, err, len) != 0)
				return -1;
		} else if (strcmp(f[i], "vdev") == 0) {
			if (set_vdev(d, eq, err, len) != 0)
				return -1;
		} else if (strcmp(f[i], "access") == 0) {
			if (set_mode(d, eq, err, len) != 0)
				return -1;
		} else if (strcmp(f[i], "format") == 0) {
			if (strcmp(eq, "raw") != 0) {
				snprintf(err, len, "format '%s': only raw "
				    "images are supported", eq);
				return -1;
			}
		} else if (strcmp(f[i], "devtype") == 0) {
			if (strcmp(eq, "disk") != 0) {
				snprintf(err, len, "devtype '%s': only disk "
				    "is supported", eq);
				return -1;
			}
		} else {
			snprintf(err, len, "disk entry '%s': unknown key '%s'",
			    spec, f[i]);
			return -1;
		}
	}
	if (d->target[0] == '\0' || d->vdev[0] == '\0') {
		snprintf(err, len, "disk entry '%s' needs target= and vdev=",
		    spec);
		return -1;
	}
	return 0;
}
