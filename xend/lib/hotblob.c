/*
 * hotblob.c: the hot-attached devices in a save file's blob (cmd-save.c
 * writes "NAME\nMEM\nPATH\nCONFIG"; see docs/save-restore.md).  They
 * follow the config text as lines "#xend-hot disk SPEC" and "#xend-hot
 * vif SPEC": comments to the config parser, so an older xend restoring
 * the file still reads its config and only leaves those devices out.
 * Only a run of such lines at the very end counts, and each must parse
 * as its kind's entry; the caller checks the spec again before use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xmalloc.h"

#define HOT_TAG	"#xend-hot "

int
hotblob_spec_ok(const char *spec)
{
	const unsigned char *p;

	/* One line each: a newline or other control character would end
	 * or bend the line it is kept in. */
	for (p = (const unsigned char *)spec; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

char *
hotblob_append(char *blob, const char *kind, const char *spec)
{
	char *out;
	size_t n = strlen(blob);

	xasprintf(&out, "%s%s" HOT_TAG "%s %s\n", blob,
	    n > 0 && blob[n - 1] != '\n' ? "\n" : "", kind, spec);
	free(blob);
	return out;
}

/* Is line (up to its newline) one trailer entry?  kind and spec out. */
static int
trailer_line(const char *line, size_t len, char *kind, size_t klen,
    char *spec, size_t slen)
{
	const char *k = line + strlen(HOT_TAG), *sp;
	char why[300];
	struct diskcfg dc;
	struct vifcfg vc;

	if (len <= strlen(HOT_TAG) || strncmp(line, HOT_TAG,
	    strlen(HOT_TAG)) != 0)
		return 0;
	if ((sp = memchr(k, ' ', len - (size_t)(k - line))) == NULL ||
	    (size_t)(sp - k) >= klen ||
	    (size_t)(line + len - sp - 1) >= slen)
		return 0;
	memcpy(kind, k, (size_t)(sp - k));
	kind[sp - k] = '\0';
	memcpy(spec, sp + 1, (size_t)(line + len - sp - 1));
	spec[line + len - sp - 1] = '\0';
	if (strcmp(kind, "disk") == 0)
		return diskcfg_parse(spec, &dc, why, sizeof why) == 0;
	if (strcmp(kind, "vif") == 0)
		return vifcfg_parse(spec, &vc, why, sizeof why) == 0;
	return 0;
}

size_t
hotblob_split(char *text, hotblob_fn fn, void *arg)
{
	char kind[8], spec[DISKCFG_SPEC_MAX + 1];
	char *line, *end, *start = NULL;
	size_t n = 0;

	/* The trailer starts after the last line that is not an entry. */
	for (line = text; *line != '\0'; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (!trailer_line(line, (size_t)(end - line), kind,
		    sizeof kind, spec, sizeof spec))
			start = NULL;
		else if (start == NULL)
			start = line;
	}
	if (start == NULL)
		return 0;
	for (line = start; *line != '\0'; line = *end ? end + 1 : end) {
		if ((end = strchr(line, '\n')) == NULL)
			end = line + strlen(line);
		if (trailer_line(line, (size_t)(end - line), kind,
		    sizeof kind, spec, sizeof spec)) {
			if (fn != NULL)
				fn(arg, kind, spec);
			n++;
		}
	}
	*start = '\0';
	return n;
}

int
hotblob_devices(const char *blob, hotblob_fn fn, void *arg, char **error)
{
	const char *cfg = blob;
	struct domcfg dc;
	char *text;
	size_t i;
	int k;

	*error = NULL;
	for (k = 0; k < 3 && cfg != NULL; k++)
		if ((cfg = strchr(cfg, '\n')) != NULL)
			cfg++;
	if (cfg == NULL)
		return 0;               /* no config: no devices */
	text = xstrdup(cfg);
	if (domcfg_parse("(saved config)", text, strlen(text), &dc, NULL,
	    error) != 0) {
		free(text);
		return -1;
	}
	for (i = 0; i < dc.ndisks; i++)
		fn(arg, "disk", dc.disks[i]);
	for (i = 0; i < dc.nvifs; i++)
		fn(arg, "vif", dc.vifs[i]);
	domcfg_free(&dc);
	hotblob_split(text, fn, arg);
	free(text);
	return 0;
}
