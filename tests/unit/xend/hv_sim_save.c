/*
 * hv_sim_save.c: the simulator's save and restore (see hv_sim.c).  Its
 * save file is its own, not libxc's: the domain's shape and xend's blob.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv.h"
#include "hv_sim.h"
#include "xmalloc.h"

/*
 * Save: the domain is paused and its shape noted under the lock; the
 * file is written outside it (the slow part).  The file: the magic line,
 * "dom MEM_KIB MAXMEM_KIB VCPUS", "uuid HEX32" (the domain's handle, as
 * libxc's format 4 keeps it; not in version 1 files), "blob LEN", then
 * LEN bytes of blob.
 */
int
sim_save(struct hv *hv, uint32_t domid, const char *path, const char *blob)
{
	struct sim *s = hv->priv;
	struct sim_dom *d, shape;
	char tmp[4096 + 8];
	const char *at;
	FILE *f;
	int rc;

	pthread_mutex_lock(&s->lock);
	if ((rc = sim_need_domu(hv, domid, &d)) == 0) {
		if (d->state == HV_RUNNING)
			sim_dom_set_state(d, HV_PAUSED);
		shape = *d;
		sim_log(s, "domain %u paused for save", domid);
		rc = sim_save_state(hv);
	}
	pthread_mutex_unlock(&s->lock);
	if (rc != 0)
		return rc;
	sim_slow(hv);
	/* Like libxc: PATH.tmp, then renamed, so PATH is always whole. */
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "wx")) == NULL)
		return hv_fail(hv, errno, "cannot create %s: %s", tmp,
		    strerror(errno));
	fprintf(f, "%s\ndom %" PRIu64 " %" PRIu64 " %u\nuuid ", SIM_SAVE_MAGIC,
	    shape.mem_kib, shape.maxmem_kib, shape.vcpus);
	for (rc = 0; rc < 16; rc++)
		fprintf(f, "%02x", shape.handle[rc]);
	fputc('\n', f);
	fflush(f);
	/* Crash injection (XEND_CRASH_AT, xend's intent.c): die with the
	 * domain paused and half a file written, as a kill mid-save would. */
	if ((at = getenv("XEND_CRASH_AT")) != NULL) {
		fprintf(stderr, "xend: crash point sim.save.partial\n");
		if (strcmp(at, "sim.save.partial") == 0)
			kill(getpid(), SIGKILL);
	}
	fprintf(f, "blob %zu\n%s", strlen(blob), blob);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return hv_fail(hv, EIO, "cannot write %s", path);
	}
	return 0;
}

/* "uuid HEX32\n" into h: 0, or -1 if the line is not that. */
static int
parse_uuid(const char *line, uint8_t h[16])
{
	unsigned b;
	int i;

	if (strncmp(line, "uuid ", 5) != 0 || strlen(line) != 5 + 32 + 1)
		return -1;
	for (i = 0; i < 16; i++) {
		if (sscanf(line + 5 + 2 * i, "%2x", &b) != 1)
			return -1;
		h[i] = (uint8_t)b;
	}
	return 0;
}

/*
 * Open a save file and read its lines up to the blob's length: the
 * domain's shape, its uuid (*has_uuid 0 for a version 1 file).  f is
 * left at the blob.  0, or -errno with the reason.
 */
static int
read_head(struct hv *hv, const char *path, FILE **fp, struct sim_dom *d,
    int *has_uuid, size_t *len)
{
	char line[128];
	FILE *f;
	int v2;

	if ((f = fopen(path, "r")) == NULL)
		return hv_fail(hv, errno, "cannot open %s: %s", path,
		    strerror(errno));
	memset(d, 0, sizeof *d);
	*has_uuid = 0;
	if (fgets(line, sizeof line, f) == NULL ||
	    (!(v2 = strcmp(line, SIM_SAVE_MAGIC "\n") == 0) &&
	    strcmp(line, SIM_SAVE_MAGIC_V1 "\n") != 0) ||
	    fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "dom %" SCNu64 " %" SCNu64 " %u", &d->mem_kib,
	    &d->maxmem_kib, &d->vcpus) != 3 ||
	    (v2 && (fgets(line, sizeof line, f) == NULL ||
	    parse_uuid(line, d->handle) != 0)) ||
	    fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "blob %zu", len) != 1 || *len > SIM_BLOB_MAX) {
		fclose(f);
		return hv_fail(hv, EINVAL, "%s is not a sim save file", path);
	}
	*has_uuid = v2;
	*fp = f;
	return 0;
}

int
sim_save_file_uuid(struct hv *hv, const char *path, uint8_t uuid[16])
{
	struct sim_dom d;
	size_t len;
	FILE *f;
	int rc, has;

	if ((rc = read_head(hv, path, &f, &d, &has, &len)) != 0)
		return rc;
	fclose(f);
	if (has)
		memcpy(uuid, d.handle, 16);
	return has;
}

/* Read a save file strictly; *blob is malloc'd. */
static int
read_save(struct hv *hv, const char *path, struct sim_dom *d, char **blob)
{
	size_t len, got;
	FILE *f;
	int c, rc, has;

	if ((rc = read_head(hv, path, &f, d, &has, &len)) != 0)
		return rc;
	*blob = xmalloc(len + 1);
	got = fread(*blob, 1, len, f);
	c = fgetc(f);
	if (got != len || c != EOF) {
		fclose(f);
		free(*blob);
		*blob = NULL;
		return hv_fail(hv, EINVAL, "%s: blob %s", path,
		    got != len ? "truncated" : "followed by junk");
	}
	(*blob)[len] = '\0';
	fclose(f);
	return 0;
}

int
sim_restore(struct hv *hv, const char *path, const uint8_t handle[16],
    uint32_t *domid, char **blob)
{
	struct sim *s = hv->priv;
	struct sim_dom d;
	struct hv_build b;
	int rc;

	if ((rc = read_save(hv, path, &d, blob)) != 0)
		return rc;
	memset(&b, 0, sizeof b);
	memcpy(b.handle, handle, sizeof b.handle);
	b.mem_kib = d.mem_kib;
	/* A domain held below what it has (a missed balloon deadline)
	 * comes back with room for what it had, as a real restore does. */
	b.maxmem_kib = d.maxmem_kib > d.mem_kib ? d.maxmem_kib : d.mem_kib;
	b.vcpus = d.vcpus;
	b.kernel = path;
	pthread_mutex_lock(&s->lock);
	rc = sim_create_locked(hv, &b, domid);
	if (rc == 0)
		sim_console_resumed(s, *domid);
	pthread_mutex_unlock(&s->lock);
	if (rc != 0) {
		free(*blob);
		*blob = NULL;
		return rc;
	}
	sim_restore_devices(hv, *domid, handle, *blob);
	sim_slow(hv);
	return 0;
}
