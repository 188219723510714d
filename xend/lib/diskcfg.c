/*
 * diskcfg.c: one entry of an xl.cfg `disk = [ ... ]` list (also what
 * `xenctl block-attach` takes).  The forms xl documents, as far as xend
 * supports them:
 *
 *   'file:/path/img,xvda,w'        positional: [file:|phy:]TARGET,VDEV,ACCESS
 *   '/path/img,raw,xvda,w'         positional: TARGET,FORMAT,VDEV,ACCESS
 *   '/path/cd.iso,xvdc:cdrom,r'    a CD-ROM by its vdev suffix
 *   'target=/path,vdev=xvda,access=rw,format=raw,devtype=disk'
 *   'vdev=xvdc,devtype=cdrom,target=/cd.iso'   (or the bare flag 'cdrom')
 *
 * A bare path is a file.  Access: r/ro read-only, w/rw writable (a
 * CD-ROM is read-only, and writable is refused).  Virtual devices are
 * xvda..xvdz; their xenbus id is 202 << 8 | index << 4 (xvda is 51712),
 * the encoding Linux's blkfront decodes.  The two forms do not mix, a
 * key comes once, no field is empty.  Anything else is an error that
 * names the entry: a disk silently missing or read-only would surface
 * much later inside the guest.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

#define MAXFIELDS	8

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

int
diskcfg_vdev_id(const char *v, uint32_t *devid)
{
	if (strlen(v) != 4 || strncmp(v, "xvd", 3) != 0 || v[3] < 'a' ||
	    v[3] > 'z')
		return -1;
	*devid = 202u << 8 | (uint32_t)(v[3] - 'a') << 4;
	return 0;
}

/* VDEV, or in the positional form VDEV:cdrom (xl's legacy spelling). */
static int
set_vdev(struct diskcfg *d, const char *v, int suffix_ok, char *err,
    size_t len)
{
	char name[16];
	const char *colon = strchr(v, ':');
	size_t n = colon != NULL ? (size_t)(colon - v) : strlen(v);

	if (colon != NULL && (!suffix_ok || strcmp(colon, ":cdrom") != 0)) {
		snprintf(err, len, "vdev '%s': the only suffix is ':cdrom' "
		    "(positional form)", v);
		return -1;
	}
	if (n >= sizeof name) {
		snprintf(err, len, "vdev '%s' is not xvda..xvdz", v);
		return -1;
	}
	memcpy(name, v, n);
	name[n] = '\0';
	if (diskcfg_vdev_id(name, &d->devid) != 0) {
		snprintf(err, len, "vdev '%s' is not xvda..xvdz", name);
		return -1;
	}
	memcpy(d->vdev, name, 5);	/* "xvdX" and its NUL, checked above */
	if (colon != NULL)
		d->cdrom = 1;
	return 0;
}

static int
set_format(const char *f, char *err, size_t len)
{
	if (strcmp(f, "raw") != 0) {
		snprintf(err, len, "format '%s': only raw images are "
		    "supported", f);
		return -1;
	}
	return 0;
}

static int
set_devtype(struct diskcfg *d, const char *t, char *err, size_t len)
{
	if (strcmp(t, "cdrom") == 0)
		d->cdrom = 1;
	else if (strcmp(t, "disk") != 0) {
		snprintf(err, len, "devtype '%s' is neither disk nor cdrom",
		    t);
		return -1;
	}
	return 0;
}

static int
positional(struct diskcfg *d, char **f, size_t n, const char *spec,
    char *err, size_t len)
{
	if (n == 3)
		return set_target(d, f[0], err, len) ||
		    set_vdev(d, f[1], 1, err, len) ||
		    set_mode(d, f[2], err, len) ? -1 : 0;
	if (n == 4)
		return set_target(d, f[0], err, len) ||
		    set_format(f[1], err, len) ||
		    set_vdev(d, f[2], 1, err, len) ||
		    set_mode(d, f[3], err, len) ? -1 : 0;
	snprintf(err, len, "disk entry '%s': expected TARGET,VDEV,ACCESS or "
	    "TARGET,FORMAT,VDEV,ACCESS", spec);
	return -1;
}

static int
keyed(struct diskcfg *d, char **f, size_t n, const char *spec, int *access,
    char *err, size_t len)
{
	static const char *const keys[] = { "target", "vdev", "access",
	    "format", "devtype" };
	unsigned seen = 0, k;
	char *eq;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (strcmp(f[i], "cdrom") == 0) {	/* xl's bare flag */
			d->cdrom = 1;
			continue;
		}
		if ((eq = strchr(f[i], '=')) == NULL) {
			snprintf(err, len, "disk entry '%s': '%s' is not "
			    "KEY=VALUE (the positional and KEY=VALUE forms "
			    "do not mix)", spec, f[i]);
			return -1;
		}
		*eq++ = '\0';
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (strcmp(f[i], keys[k]) == 0)
				break;
		if (k == sizeof keys / sizeof keys[0]) {
			snprintf(err, len, "disk entry '%s': unknown key "
			    "'%s'", spec, f[i]);
			return -1;
		}
		if (seen & 1u << k) {
			snprintf(err, len, "disk entry '%s': '%s' given twice",
			    spec, f[i]);
			return -1;
		}
		seen |= 1u << k;
		if (*eq == '\0') {
			snprintf(err, len, "disk entry '%s': '%s' is empty",
			    spec, f[i]);
			return -1;
		}
		switch (k) {
		case 0: r = set_target(d, eq, err, len); break;
		case 1: r = set_vdev(d, eq, 0, err, len); break;
		case 2: r = set_mode(d, eq, err, len); *access = 1; break;
		case 3: r = set_format(eq, err, len); break;
		default: r = set_devtype(d, eq, err, len); break;
		}
		if (r != 0)
			return -1;
	}
	if (d->target[0] == '\0' || d->vdev[0] == '\0') {
		snprintf(err, len, "disk entry '%s' needs target= and vdev=%s",
		    spec, d->cdrom && d->target[0] == '\0' ? " (an empty "
		    "CD-ROM drive is not supported)" : "");
		return -1;
	}
	return 0;
}

int
diskcfg_parse(const char *spec, struct diskcfg *d, char *err, size_t len)
{
	char buf[DISKCFG_SPEC_MAX], *f[MAXFIELDS], *p;
	size_t n = 0, i;
	int access = 0;

	memset(d, 0, sizeof *d);
	d->writable = 1;
	if (strlen(spec) >= sizeof buf) {
		snprintf(err, len, "disk entry longer than %d bytes",
		    DISKCFG_SPEC_MAX - 1);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", spec);
	for (p = buf; n < MAXFIELDS; ) {
		f[n++] = p;
		if ((p = strchr(p, ',')) == NULL)
			break;
		*p++ = '\0';
	}
	if (p != NULL) {
		snprintf(err, len, "disk entry '%s' has too many fields", spec);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (f[i][0] == '\0') {
			snprintf(err, len, "disk entry '%s': field %zu is "
			    "empty", spec, i + 1);
			return -1;
		}
	if (strchr(f[0], '=') != NULL || strcmp(f[0], "cdrom") == 0) {
		if (keyed(d, f, n, spec, &access, err, len) != 0)
			return -1;
	} else {
		for (i = 0; i < n; i++)
			if (strchr(f[i], '=') != NULL) {
				snprintf(err, len, "disk entry '%s': '%s' "
				    "after a positional field (the two forms "
				    "do not mix)", spec, f[i]);
				return -1;
			}
		if (positional(d, f, n, spec, err, len) != 0)
			return -1;
		access = 1;
	}
	if (d->cdrom) {
		if (access && d->writable) {
			snprintf(err, len, "disk entry '%s': a CD-ROM is "
			    "read-only (access r)", spec);
			return -1;
		}
		d->writable = 0;
	}
	return 0;
}
