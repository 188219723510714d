/*
 * xs_persist.c: one domain's part of the store on disk, so a restarted
 * xend gives a running guest back its xenstore as it left it: the nodes
 * under its home (values as written, memory/target included) and the
 * watches its connection had registered.  The guest's ring indices live
 * in the shared page and need no saving.
 *
 * One line each, strings in hex (values are bytes, paths and tokens may
 * hold anything a guest sent): "n PATH VALUE PERMS" (the node's
 * permission list, xs_perms.c; files written before lists were kept lack
 * it, and such a node inherits its parent's) and "w PATH TOKEN REL".
 * Written to PATH.tmp and renamed, so a kill -9 mid-write leaves the
 * previous whole file.  Not fsynced: the guests it describes do not
 * survive a power loss either.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "public/io/xs_wire.h"
#include "xmalloc.h"
#include "xs.h"

static void
hex(FILE *f, const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		fputc('-', f);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", (unsigned char)s[i]);
}

/* Decode a hex word in place; its length, or -1. */
static long
unhex(char *s)
{
	size_t i, n = strlen(s);
	unsigned b;

	if (strcmp(s, "-") == 0) {
		s[0] = '\0';
		return 0;
	}
	if (n % 2 != 0)
		return -1;
	for (i = 0; i < n / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return -1;
		s[i] = (char)b;
	}
	s[n / 2] = '\0';
	return (long)(n / 2);
}

static void
put_node(void *arg, const char *path, const char *val, size_t len,
    const char *perms, size_t plen)
{
	FILE *f = arg;

	fputs("n ", f);
	hex(f, path, strlen(path));
	fputc(' ', f);
	hex(f, val, len);
	fputc(' ', f);
	hex(f, perms, plen);
	fputc('\n', f);
}

static void
put_watch(void *arg, const char *path, const char *token, int relative)
{
	FILE *f = arg;

	fputs("w ", f);
	hex(f, path, strlen(path));
	fputc(' ', f);
	hex(f, token, strlen(token));
	fprintf(f, " %d\n", relative ? 1 : 0);
}

int
xs_persist_save(struct xs_store *s, const struct xs_conn *c, uint32_t domid,
    const char *path)
{
	char home[64], *tmp;
	FILE *f;
	int e = 0;

	xasprintf(&tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		e = errno;
		free(tmp);
		return e;
	}
	snprintf(home, sizeof home, "/local/domain/%u", domid);
	xs_tree_walk(s, home, put_node, f);
	if (c != NULL)
		xs_conn_watches(c, put_watch, f);
	if (fflush(f) != 0 || ferror(f))
		e = errno ? errno : EIO;
	if (fclose(f) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0)
		remove(tmp);
	free(tmp);
	return e;
}

int
xs_persist_load(struct xs_store *s, struct xs_conn *c, const char *path)
{
	/* A line holds at most a path, a value and a list, each in hex. */
	size_t cap = 2 * (XENSTORE_ABS_PATH_MAX + 2 * XENSTORE_PAYLOAD_MAX) +
	    64;
	char *line = xmalloc(cap), *a, *b, *r, *rel, *pm;
	long alen, blen, plen;
	FILE *f;
	int e = 0;

	if ((f = fopen(path, "r")) == NULL) {
		free(line);
		return errno;
	}
	while (e == 0 && fgets(line, (int)cap, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		a = strtok_r(line + 2, " ", &r);
		b = a != NULL ? strtok_r(NULL, " ", &r) : NULL;
		if (a == NULL || b == NULL || (alen = unhex(a)) <= 0 ||
		    (blen = unhex(b)) < 0 || (size_t)alen != strlen(a)) {
			e = EINVAL;
			break;
		}
		if (line[0] == 'n' && line[1] == ' ') {
			e = xs_tree_write(s, 0, a, b, (size_t)blen);
			/* unhex keeps the NULs inside a list: plen says. */
			if (e == 0 && (pm = strtok_r(NULL, " ", &r)) != NULL)
				e = (plen = unhex(pm)) <= 0 ? EINVAL :
				    xs_tree_set_perms(s, 0, a, pm,
				    (size_t)plen);
		}
		else if (line[0] == 'w' && line[1] == ' ' && c != NULL &&
		    (rel = strtok_r(NULL, " ", &r)) != NULL)
			e = xs_conn_watch_restore(c, a, b, atoi(rel));
		else
			e = EINVAL;
	}
	fclose(f);
	free(line);
	return e;
}
