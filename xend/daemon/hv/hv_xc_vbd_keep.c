/*
 * hv_xc_vbd_keep.c: the disks xend set up for its guests, on disk.
 *
 * A guest's loop device and dom0's backend directory are xend's to
 * release when the guest dies.  Kept only in memory they were forgotten
 * by a restarted xend, and a domain destroyed (or dead) after that kept
 * its loop device bound to the image forever.  So every attach and
 * detach rewrites a small file beside the database (to .tmp, fsynced,
 * renamed: whole or old, never half); at start hv_xc_vbd.c reads it
 * back and releases what belongs to domains no longer running.
 *
 * One line a disk, "vbd DOMID LOOP NODE FLAGS VDEV TARGET OWNER" (NODE
 * /dev/loopLOOP, or "-" and LOOP -1 for a phy: target) with FLAGS
 * three digits (writable, cdrom, phy), TARGET in hex (a path may hold
 * spaces) and OWNER the backend directory's xend-owner token in hex
 * (lines of an older xend end before it: owner 0, unknown).  The file
 * is xend's own, but it is read as untrusted: a line that does not
 * parse, or names something that is not a loop device or an absolute
 * path, is skipped with a warning rather than acted on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv_xc_vbd_keep.h"
#include "log.h"
#include "xmalloc.h"

static char *keep_path;

void
vbd_keep_init(const char *db_path)
{
	free(keep_path);
	keep_path = NULL;
	if (db_path != NULL)
		xasprintf(&keep_path, "%s.xc-vbds", db_path);
}

void
vbd_keep_save(const struct vbd_rec *v, size_t n)
{
	char tmp[4200];
	const char *t;
	FILE *f;
	size_t i;

	if (keep_path == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", keep_path);
	if ((f = fopen(tmp, "w")) == NULL) {
		log_warnx("%s: %s: a restarted xend will not release these "
		    "disks", tmp, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		fprintf(f, "vbd %u %d %s %d%d%d %s ", v[i].domid, v[i].loop,
		    v[i].node[0] != '\0' ? v[i].node : "-", v[i].cfg.writable != 0, v[i].cfg.cdrom != 0,
		    v[i].cfg.phy != 0, v[i].cfg.vdev);
		for (t = v[i].cfg.target; *t != '\0'; t++)
			fprintf(f, "%02x", (unsigned char)*t);
		fprintf(f, " %016llx\n", (unsigned long long)v[i].owner);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 ||
	    rename(tmp, keep_path) != 0)
		log_warnx("%s: %s", keep_path, strerror(errno));
}

/* One line into v; 0, or -1 if anything in it is off. */
static int
parse(const char *line, struct vbd_rec *v)
{
	char node[64], flags[8], vdev[16], hex[2 * sizeof v->cfg.target + 2];
	char want[32], owner[24] = "", extra[2];
	unsigned long long o = 0;
	size_t i, n;
	unsigned b;
	int loop, k;

	memset(v, 0, sizeof *v);
	k = sscanf(line, "vbd %u %d %63s %7s %15s %1801s %23s %1s", &v->domid,
	    &loop, node, flags, vdev, hex, owner, extra);
	if (k != 6 && k != 7)
		return -1;
	if (k == 7 && (strlen(owner) != 16 || strspn(owner,
	    "0123456789abcdef") != 16 || sscanf(owner, "%llx", &o) != 1))
		return -1;
	v->owner = o;
	if (loop < -1 || strlen(node) >= sizeof v->node || strlen(flags) != 3 ||
	    strspn(flags, "01") != 3 ||
	    diskcfg_vdev_id(vdev, &v->cfg.devid) != 0)
		return -1;
	n = strlen(hex);
	if (n % 2 != 0 || n / 2 >= sizeof v->cfg.target || n == 0)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(hex + 2 * i, "%2x", &b) != 1 || b == 0)
			return -1;
		v->cfg.target[i] = (char)b;
	}
	if (v->cfg.target[0] != '/')
		return -1;
	/* A file target is served by a loop device, a phy: one is not. */
	if ((flags[2] == '1') != (loop == -1))
		return -1;
	/* ...and it is the loop device it was bound to, nothing else. */
	snprintf(want, sizeof want, "/dev/loop%d", loop);
	if (strcmp(node, loop >= 0 ? want : "-") != 0)
		return -1;
	v->loop = loop;
	if (loop >= 0)
		snprintf(v->node, sizeof v->node, "%s", want);
	memcpy(v->cfg.vdev, vdev, 5);
	v->cfg.writable = flags[0] == '1';
	v->cfg.cdrom = flags[1] == '1';
	v->cfg.phy = flags[2] == '1';
	return 0;
}

size_t
vbd_keep_load(struct vbd_rec *v, size_t max)
{
	char line[2048];
	size_t n = 0, lineno = 0;
	FILE *f;

	if (keep_path == NULL || (f = fopen(keep_path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (n == max) {
			log_warnx("%s: more than %zu disks; the rest are not "
			    "released", keep_path, max);
			break;
		}
		if (strchr(line, '\n') == NULL || parse(line, &v[n]) != 0) {
			log_warnx("%s:%zu: damaged line skipped", keep_path,
			    lineno);
			/* The rest of an over-long line is not a line. */
			while (strchr(line, '\n') == NULL &&
			    fgets(line, sizeof line, f) != NULL)
				;
			continue;
		}
		n++;
	}
	fclose(f);
	return n;
}

enum vbd_owner
vbd_owner_of(int has_dir, int has_token, uint64_t token, uint64_t owner)
{
	if (has_token)
		/* A token not the record's (or any, for a record that
		 * predates tokens) was written by a later attach. */
		return owner != 0 && token == owner ? VBD_OWNER_OURS :
		    VBD_OWNER_OTHER;
	if (!has_dir)
		return VBD_OWNER_GONE;
	/* A directory without a token: an older xend's, which only a
	 * record of that xend (owner 0) can be about. */
	return owner == 0 ? VBD_OWNER_OURS : VBD_OWNER_OTHER;
}
