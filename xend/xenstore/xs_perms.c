/*
 * xs_perms.c: xenstore permission lists, as the xenstore protocol has
 * them (Xen's docs/misc/xenstore.txt).  A list is kept in its wire form,
 * the one GET_PERMS answers and SET_PERMS sends: entries of one letter
 * and a domain id, each NUL-terminated ("n5\0r0\0").  The first entry
 * names the owner and, by its letter, what every domain not listed
 * after it may do; the further entries give one domain its own rights.
 * Letters: n none, r read, w write, b both.
 *
 * The owner and domain 0 may do everything, changing the list included;
 * no one else may change it.  Lists are short (a quota bounds what a
 * guest may set), so the rights are found by parsing the list each time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "xs.h"

/* Xen's first reserved id (DOMID_FIRST_RESERVED): no domain has it. */
#define DOMID_LIMIT	0x7ff0u

static unsigned
letter_rights(char l)
{
	switch (l) {
	case 'r': return XS_PERM_READ;
	case 'w': return XS_PERM_WRITE;
	case 'b': return XS_PERM_READ | XS_PERM_WRITE;
	default:  return 0;
	}
}

/* One entry "<letter><domid>" (no NUL): 0 or EINVAL. */
static int
parse_entry(const char *p, size_t len, char *letter, uint32_t *domid)
{
	unsigned long id = 0;
	size_t i;

	if (len < 2 || len > 6 || strchr("nrwb", p[0]) == NULL ||
	    p[0] == '\0')
		return EINVAL;
	for (i = 1; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return EINVAL;
		id = id * 10 + (unsigned long)(p[i] - '0');
	}
	if (id >= DOMID_LIMIT)
		return EINVAL;
	*letter = p[0];
	*domid = (uint32_t)id;
	return 0;
}

int
xs_perms_parse(const char *buf, size_t len, char **out, size_t *outlen,
    unsigned *count)
{
	const char *p = buf, *nul;
	char *canon, letter;
	size_t rest = len, n = 0, clen = 0;
	uint32_t domid;
	int e;

	/* Every entry, the last included, ends with its NUL. */
	if (len == 0 || buf[len - 1] != '\0')
		return EINVAL;
	canon = xmalloc(len + 1);
	while (rest > 0) {
		nul = memchr(p, '\0', rest);
		if ((e = parse_entry(p, (size_t)(nul - p), &letter, &domid))
		    != 0) {
			free(canon);
			return e;
		}
		/* Canonical: no leading zeros ("r007" is "r7"). */
		clen += (size_t)snprintf(canon + clen, len + 1 - clen,
		    "%c%u", letter, domid) + 1;
		n++;
		rest -= (size_t)(nul - p) + 1;
		p = nul + 1;
	}
	*out = canon;
	*outlen = clen;
	*count = (unsigned)n;
	return 0;
}

unsigned
xs_perms_for(const char *p, size_t len, uint32_t caller)
{
	unsigned first = 0;
	size_t off = 0;
	uint32_t domid;
	char letter;
	int i;

	if (caller == 0)
		return XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
	for (i = 0; off < len; i++) {
		size_t n = strlen(p + off);

		if (parse_entry(p + off, n, &letter, &domid) != 0)
			return 0;	/* never stored: parse checks */
		if (i == 0) {
			if (domid == caller)
				return XS_PERM_READ | XS_PERM_WRITE |
				    XS_PERM_OWNER;
			first = letter_rights(letter);
		} else if (domid == caller)
			return letter_rights(letter);
		off += n + 1;
	}
	return first;
}

uint32_t
xs_perms_owner(const char *p, size_t len)
{
	char letter;
	uint32_t domid;

	if (len == 0 || parse_entry(p, strlen(p), &letter, &domid) != 0)
		return 0;
	return domid;
}

void
xs_perms_inherit(const char *p, size_t len, uint32_t caller, char **out,
    size_t *outlen)
{
	size_t first = strlen(p) + 1;
	char head[16];
	int n;

	/* As xenstored: a new node gets its parent's list; one an
	 * unprivileged domain makes is owned by that domain. */
	if (caller == 0 || len == 0) {
		*out = xmalloc(len ? len : 1);
		memcpy(*out, p, len);
		*outlen = len;
		return;
	}
	n = snprintf(head, sizeof head, "%c%u", p[0], caller) + 1;
	*outlen = (size_t)n + len - first;
	*out = xmalloc(*outlen);
	memcpy(*out, head, (size_t)n);
	memcpy(*out + n, p + first, len - first);
}

size_t
xs_perms_from_text(const char *text, char *buf, size_t cap)
{
	size_t n = strlen(text), i;

	if (n + 1 > cap)
		return 0;
	for (i = 0; i < n; i++)
		buf[i] = text[i] == ' ' ? '\0' : text[i];
	buf[n] = '\0';
	return n + 1;
}

/*
 * May the domain hear of a change of path?  As xenstored decides: if the
 * node's list before the change (old: for a removal the removed node's,
 * for SET_PERMS the previous one) or now, or its parent's, lets it read.
 * Domain events (@introduceDomain, @releaseDomain) go to domain 0 only.
 */
int
xs_perms_may_see(struct xs_store *s, uint32_t domid, const char *path,
    const char *old, size_t oldlen)
{
	const char *p;
	char *parent;
	size_t len;
	int exists, ok;

	if (domid == 0)
		return 1;
	if (path[0] == '@')
		return 0;
	if (old != NULL && (xs_perms_for(old, oldlen, domid) & XS_PERM_READ))
		return 1;
	xs_node_perms(s, path, &p, &len, &exists);
	if (!exists)
		return 0;
	if (xs_perms_for(p, len, domid) & XS_PERM_READ)
		return 1;
	if (strcmp(path, "/") == 0)
		return 0;
	parent = xstrdup(path);
	*strrchr(parent, '/') = '\0';
	xs_node_perms(s, parent[0] ? parent : "/", &p, &len, &exists);
	free(parent);
	ok = exists && (xs_perms_for(p, len, domid) & XS_PERM_READ);
	return ok;
}
