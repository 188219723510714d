/*
 * hv_sim_console.c: the simulated hypervisor's domain consoles.  Each
 * domain's output is a file beside the state file, STATE.console-DOMID,
 * so that like a real guest's it outlives xend.  A new domain prints a
 * banner and, with "sim_console_lines=N" on its command line, N numbered
 * boot lines; a restored one says it resumed; input is echoed back as
 * output, as a shell would.  A gone domain's file is removed once xend
 * has its output (console_release), as the xc backend's is.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hv_sim.h"

static void
console_path(const struct sim *s, uint32_t domid, char *out, size_t len)
{
	snprintf(out, len, "%s.console-%u", s->state_path, domid);
}

void
sim_console_boot(struct sim *s, uint32_t domid, const struct hv_build *b)
{
	char path[4200];
	const char *p;
	unsigned long n = 0, i;
	FILE *f;

	if (b->cmdline != NULL &&
	    (p = strstr(b->cmdline, "sim_console_lines=")) != NULL)
		n = strtoul(p + strlen("sim_console_lines="), NULL, 10);
	if (n > 1000000)
		n = 1000000;
	console_path(s, domid, path, sizeof path);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "sim: domain %u (%s) booting\n", domid,
	    b->name != NULL ? b->name : "?");
	/* Not every guest writes UTF-8: two stray bytes, then an e-acute. */
	fprintf(f, "sim: bytes \xff\xfe and caf\xc3\xa9\n");
	for (i = 1; i <= n; i++)
		fprintf(f, "sim boot line %06lu of %06lu: "
		    "..........................................\n", i, n);
	fprintf(f, "sim login: ");
	fclose(f);
}

/* A restored guest's console goes on (a real one keeps its ring): it
 * says it resumed and prompts again. */
void
sim_console_resumed(struct sim *s, uint32_t domid)
{
	char path[4200];
	FILE *f;

	console_path(s, domid, path, sizeof path);
	if ((f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "sim: domain %u resumed\nsim login: ", domid);
	fclose(f);
}

int
sim_console_read(struct hv *hv, uint32_t domid, uint64_t off, char *buf,
    size_t len, size_t *got)
{
	struct sim *s = hv->priv;
	char path[4200];
	ssize_t n;
	int fd;

	*got = 0;
	console_path(s, domid, path, sizeof path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return hv_fail(hv, ENOENT, "domain %u has no console", domid);
	n = pread(fd, buf, len, (off_t)off);
	close(fd);
	if (n < 0)
		return hv_fail(hv, errno, "%s: %s", path, strerror(errno));
	*got = (size_t)n;
	return 0;
}

int
sim_console_write(struct hv *hv, uint32_t domid, const char *data,
    size_t len, size_t *put)
{
	struct sim *s = hv->priv;
	char path[4200];
	ssize_t n;
	int fd;

	*put = 0;
	pthread_mutex_lock(&s->lock);
	fd = sim_find_dom(s, domid) != NULL && domid != 0;
	pthread_mutex_unlock(&s->lock);
	if (!fd)
		return hv_fail(hv, ESRCH, "no domain with id %u", domid);
	console_path(s, domid, path, sizeof path);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
		return hv_fail(hv, ENOENT, "domain %u has no console", domid);
	n = write(fd, data, len);
	close(fd);
	if (n < 0)
		return hv_fail(hv, errno, "%s: %s", path, strerror(errno));
	*put = (size_t)n;
	return 0;
}

/* As the xc backend: a gone domain's console file goes once xend has
 * its output (not while the domain exists). */
void
sim_console_release(struct hv *hv, uint32_t domid)
{
	struct sim *s = hv->priv;
	char path[4200];
	int gone;

	pthread_mutex_lock(&s->lock);
	gone = sim_find_dom(s, domid) == NULL;
	pthread_mutex_unlock(&s->lock);
	if (!gone)
		return;
	console_path(s, domid, path, sizeof path);
	unlink(path);
}

