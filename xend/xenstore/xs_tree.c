/*
 * xs_tree.c: the xenstore tree itself.  Nodes are kept in one flat list
 * keyed by absolute path; a store for a handful of domains holds a few
 * hundred nodes at most, so linear scans are simpler than a real tree and
 * fast enough.  Every change is reported to the linked connections so
 * their watches can fire.
 *
 * Permissions (xs_perms.c), as xenstored checks them: each node has a
 * list; reading, listing and GET_PERMS need read, writing, making,
 * removing need write, SET_PERMS the owner.  A missing node is judged by
 * its nearest existing ancestor: ENOENT if the caller may read that,
 * else EACCES (existence does not leak), and only a writable ancestor
 * lets a domain create below it (stricter than xenstored, which asks
 * for read there: a guest must not grow nodes in dom0's directories).
 * A new node gets its parent's list, owned by its creator unless that
 * is domain 0.  Watch events go only to those who may read the node.
 *
 * Quotas (xs.h): each domain's nodes and bytes are counted as nodes
 * come and go under its home, so a check is one lookup, not a scan;
 * a domain at its quota gets ENOSPC and nothing is changed.
 *
 * Generations: every node carries the store's change counter as it was
 * when the node last changed (its value, or its list of children: adding
 * or removing a child moves the parent too).  Transactions (xs_txn.c)
 * record the generations they saw and compare them at commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "public/io/xs_wire.h"
#include "xmalloc.h"
#include "xs.h"

struct xs_node {
	char	*path;
	char	*val;
	size_t	 len;
	char	*perms;			/* wire form, xs_perms.c */
	size_t	 plen;
	unsigned long long gen;		/* s->seq when it last changed */
};

/* What one domain's home holds. */
struct xs_acct {
	uint32_t	 domid;
	unsigned	 nodes;
	size_t		 bytes;
	unsigned long	 gen;		/* moves on every change */
};

struct xs_store {
	struct xs_node	*nodes;
	size_t		 n, cap;
	struct xs_conn	**conns;
	size_t		 nconns, conncap;
	struct xs_quota	 quota;
	struct xs_acct	*acct;
	size_t		 nacct;
	unsigned long long seq;		/* moves on every change */
};

static struct xs_quota default_quota = XS_QUOTA_DEFAULT;

void
xs_quota_set_default(const struct xs_quota *q)
{
	default_quota = *q;
}

void
xs_store_set_quota(struct xs_store *s, const struct xs_quota *q)
{
	s->quota = *q;
	if (s->quota.watches > XS_WATCHES_MAX)
		s->quota.watches = XS_WATCHES_MAX;
}

const struct xs_quota *
xs_store_quota(const struct xs_store *s)
{
	return &s->quota;
}

/* The domain whose home holds path, if any. */
static int
owner(const char *path, uint32_t *domid)
{
	unsigned long id;
	char *end;

	if (strncmp(path, "/local/domain/", 14) != 0 || path[14] < '0' ||
	    path[14] > '9')
		return 0;
	id = strtoul(path + 14, &end, 10);
	if ((*end != '\0' && *end != '/') || id > UINT32_MAX)
		return 0;
	*domid = (uint32_t)id;
	return 1;
}

static struct xs_acct *
acct_of(struct xs_store *s, const char *path)
{
	uint32_t domid;
	size_t i;

	if (!owner(path, &domid))
		return NULL;
	for (i = 0; i < s->nacct; i++)
		if (s->acct[i].domid == domid)
			return &s->acct[i];
	s->acct = xreallocarray(s->acct, s->nacct + 1, sizeof *s->acct);
	memset(&s->acct[s->nacct], 0, sizeof *s->acct);
	s->acct[s->nacct].domid = domid;
	return &s->acct[s->nacct++];
}

/* Account a node of path appearing (sign 1) or going (-1), and a change
 * of its value's size. */
static void
account(struct xs_store *s, const char *path, int sign, size_t oldlen,
    size_t newlen)
{
	struct xs_acct *a = acct_of(s, path);

	if (a == NULL)
		return;
	a->gen++;
	if (sign > 0) {
		a->nodes++;
		a->bytes += strlen(path) + 1;
	} else if (sign < 0) {
		a->nodes--;
		a->bytes -= strlen(path) + 1;
	}
	a->bytes = a->bytes - oldlen + newlen;
}

static int find(const struct xs_store *, const char *);

/* A child came or went: the parent's list of children changed. */
static void
touch_parent(struct xs_store *s, const char *path)
{
	char *parent;
	int i;

	if (strcmp(path, "/") == 0)
		return;
	parent = xstrdup(path);
	*strrchr(parent, '/') = '\0';
	if ((i = find(s, parent[0] ? parent : "/")) >= 0)
		s->nodes[i].gen = ++s->seq;
	free(parent);
}

static int
add_node(struct xs_store *s, const char *path, const char *perms,
    size_t plen)
{
	account(s, path, 1, 0, 0);
	touch_parent(s, path);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->nodes = xreallocarray(s->nodes, s->cap, sizeof *s->nodes);
	}
	s->nodes[s->n].path = xstrdup(path);
	s->nodes[s->n].val = xstrdup("");
	s->nodes[s->n].len = 0;
	s->nodes[s->n].perms = xmalloc(plen);
	memcpy(s->nodes[s->n].perms, perms, plen);
	s->nodes[s->n].plen = plen;
	s->nodes[s->n].gen = ++s->seq;
	return (int)s->n++;
}

struct xs_store *
xs_store_new(void)
{
	struct xs_store *s = xcalloc(1, sizeof *s);

	xs_store_set_quota(s, &default_quota);
	/* Everything is domain 0's unless a list says otherwise. */
	add_node(s, "/", "n0", 3);
	return s;
}

void
xs_store_free(struct xs_store *s)
{
	size_t i;

	if (s == NULL)
		return;
	while (s->nconns > 0)
		xs_conn_free(s->conns[0]);
	for (i = 0; i < s->n; i++) {
		free(s->nodes[i].path);
		free(s->nodes[i].val);
		free(s->nodes[i].perms);
	}
	free(s->nodes);
	free(s->conns);
	free(s->acct);
	free(s);
}

void
xs_store_link(struct xs_store *s, struct xs_conn *c)
{
	if (s->nconns == s->conncap) {
		s->conncap = s->conncap ? s->conncap * 2 : 8;
		s->conns = xreallocarray(s->conns, s->conncap,
		    sizeof *s->conns);
	}
	s->conns[s->nconns++] = c;
}

void
xs_store_unlink(struct xs_store *s, struct xs_conn *c)
{
	size_t i;

	for (i = 0; i < s->nconns; i++)
		if (s->conns[i] == c) {
			s->conns[i] = s->conns[--s->nconns];
			return;
		}
}

static int
find(const struct xs_store *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->nodes[i].path, path) == 0)
			return (int)i;
	return -1;
}

int
xs_tree_exists(struct xs_store *s, const char *path)
{
	return find(s, path) >= 0;
}

/* Is path equal to or below dir?  dir has no trailing '/' unless "/". */
static int
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' ||
	    path[n] == '/');
}

int
xs_tree_path_ok(const char *path)
{
	size_t len = strlen(path), i;

	if (len == 0 || path[0] != '/' || len > XENSTORE_ABS_PATH_MAX)
		return EINVAL;
	if (len > 1 && path[len - 1] == '/')
		return EINVAL;
	for (i = 0; i < len; i++) {
		char ch = path[i];

		if (ch == '/' && path[i + 1] == '/')
			return EINVAL;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '/' || ch == '-' ||
		    ch == '_' || ch == '@'))
			return EINVAL;
	}
	return 0;
}

void
xs_node_perms(struct xs_store *s, const char *path, const char **perms,
    size_t *len, int *exists)
{
	char *p = xstrdup(path);
	int i;

	*exists = 1;
	/* The root is never removed, so the walk ends there at the latest. */
	while ((i = find(s, p)) < 0) {
		*exists = 0;
		*strrchr(p, '/') = '\0';
		if (p[0] == '\0')
			strcpy(p, "/");
	}
	free(p);
	*perms = s->nodes[i].perms;
	*len = s->nodes[i].plen;
}

/* What caller may do at path: by its list, or for a missing node by the
 * nearest existing ancestor's (*exists tells which). */
static unsigned
rights(struct xs_store *s, uint32_t caller, const char *path, int *exists)
{
	const char *p;
	size_t len;

	xs_node_perms(s, path, &p, &len, exists);
	return xs_perms_for(p, len, caller);
}

static void
fire(struct xs_store *s, const char *changed, const char *old,
    size_t oldlen)
{
	size_t i;

	for (i = 0; i < s->nconns; i++)
		if (xs_perms_may_see(s, xs_conn_domid(s->conns[i]), changed,
		    old, oldlen))
			xs_conn_fire(s->conns[i], changed);
}

/*
 * Would creating path (and its missing parents) and giving it a value
 * of len bytes keep caller within its quotas?  0 or ENOSPC.
 */
static int
quota_check(struct xs_store *s, uint32_t caller, const char *path,
    size_t len)
{
	struct xs_acct *a;
	unsigned need = 0;
	size_t bytes = len;
	char *tmp, *p;
	int i;

	if (caller == 0 || (a = acct_of(s, path)) == NULL)
		return 0;
	if (len > s->quota.value_size)
		return ENOSPC;
	if ((i = find(s, path)) >= 0)
		bytes = len > s->nodes[i].len ? len - s->nodes[i].len : 0;
	else {
		tmp = xstrdup(path);
		for (p = tmp + 1; (p = strchr(p, '/')) != NULL; p++) {
			*p = '\0';
			if (find(s, tmp) < 0) {
				need++;
				bytes += strlen(tmp) + 1;
			}
			*p = '/';
		}
		free(tmp);
		need++;
		bytes += strlen(path) + 1;
	}
	if (a->nodes + need > s->quota.nodes ||
	    a->bytes + bytes > s->quota.bytes)
		return ENOSPC;
	return 0;
}

/*
 * Index of path's node, creating it and missing parents if asked, each
 * with the list its parent has (owned by caller unless that is 0).
 */
static int
lookup(struct xs_store *s, const char *path, int create, int *created,
    uint32_t caller)
{
	char *tmp, *p, *perms;
	const char *up;
	size_t plen, uplen;
	int i, exists;

	if ((i = find(s, path)) >= 0 || !create)
		return i;
	/* All the missing ones inherit from the nearest existing node. */
	xs_node_perms(s, path, &up, &uplen, &exists);
	xs_perms_inherit(up, uplen, caller, &perms, &plen);
	tmp = xstrdup(path);
	for (p = tmp + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (find(s, tmp) < 0)
			add_node(s, tmp, perms, plen);
		*p = '/';
	}
	free(tmp);
	*created = 1;
	i = add_node(s, path, perms, plen);
	free(perms);
	return i;
}

/* May caller change path (or create it, and its missing parents)? */
static int
check_write(struct xs_store *s, uint32_t caller, const char *path)
{
	int e, exists;

	if ((e = xs_tree_path_ok(path)) != 0)
		return e;
	return (rights(s, caller, path, &exists) & XS_PERM_WRITE) ? 0 :
	    EACCES;
}

/* May caller read path?  0, EACCES, or ENOENT for a missing node whose
 * nearest ancestor it may read. */
static int
check_read(struct xs_store *s, uint32_t caller, const char *path)
{
	int e, exists;

	if ((e = xs_tree_path_ok(path)) != 0)
		return e;
	if (!(rights(s, caller, path, &exists) & XS_PERM_READ))
		return EACCES;
	return exists ? 0 : ENOENT;
}

int
xs_tree_write(struct xs_store *s, uint32_t caller, const char *path,
    const char *val, size_t len)
{
	int e, i, created = 0;

	if ((e = check_write(s, caller, path)) != 0)
		return e;
	if (len > XENSTORE_PAYLOAD_MAX)
		return E2BIG;
	if ((e = quota_check(s, caller, path, len)) != 0)
		return e;
	i = lookup(s, path, 1, &created, caller);
	account(s, path, 0, s->nodes[i].len, len);
	free(s->nodes[i].val);
	s->nodes[i].val = xmalloc(len + 1);
	memcpy(s->nodes[i].val, val, len);
	s->nodes[i].val[len] = '\0';
	s->nodes[i].len = len;
	s->nodes[i].gen = ++s->seq;
	fire(s, path, NULL, 0);
	return 0;
}

int
xs_tree_mkdir(struct xs_store *s, uint32_t caller, const char *path)
{
	int e, created = 0;

	if ((e = check_write(s, caller, path)) != 0)
		return e;
	if ((e = quota_check(s, caller, path, 0)) != 0)
		return e;
	lookup(s, path, 1, &created, caller);
	if (created)
		fire(s, path, NULL, 0);
	return 0;
}

static void
remove_subtree(struct xs_store *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n;) {
		if (under(s->nodes[i].path, path)) {
			account(s, s->nodes[i].path, -1, s->nodes[i].len, 0);
			free(s->nodes[i].path);
			free(s->nodes[i].val);
			free(s->nodes[i].perms);
			s->nodes[i] = s->nodes[--s->n];
		} else
			i++;
	}
	touch_parent(s, path);
}

int
xs_tree_rm(struct xs_store *s, uint32_t caller, const char *path)
{
	char *parent, *old;
	size_t oldlen;
	int e, i, exists;

	if ((e = xs_tree_path_ok(path)) != 0)
		return e;
	if (strcmp(path, "/") == 0)
		return EINVAL;
	/* The node's own write right; a missing one's ancestor's read. */
	if (!(rights(s, caller, path, &exists) &
	    (exists ? XS_PERM_WRITE : XS_PERM_READ)))
		return EACCES;
	if ((i = find(s, path)) < 0) {
		/* Like xenstored: removing a missing child of an existing
		 * node succeeds. */
		parent = xstrdup(path);
		*strrchr(parent, '/') = '\0';
		e = find(s, parent[0] ? parent : "/") >= 0 ? 0 : ENOENT;
		free(parent);
		return e;
	}
	/* Its list goes with it, yet decides who hears of the removal. */
	oldlen = s->nodes[i].plen;
	old = xmalloc(oldlen);
	memcpy(old, s->nodes[i].perms, oldlen);
	remove_subtree(s, path);
	fire(s, path, old, oldlen);
	free(old);
	return 0;
}

int
xs_tree_read(struct xs_store *s, uint32_t caller, const char *path,
    const char **val, size_t *len)
{
	int e, i;

	if ((e = check_read(s, caller, path)) != 0)
		return e;
	i = find(s, path);
	*val = s->nodes[i].val;
	*len = s->nodes[i].len;
	return 0;
}

int
xs_tree_directory(struct xs_store *s, uint32_t caller, const char *path,
    char **names, size_t *len)
{
	size_t i, plen = strlen(path), total = 0, nlen;
	const char *rest;
	char *out;
	int e;

	if ((e = check_read(s, caller, path)) != 0)
		return e;
	if (strcmp(path, "/") == 0)
		plen = 0;
	out = xmalloc(1);
	for (i = 0; i < s->n; i++) {
		const char *p = s->nodes[i].path;

		if (strcmp(p, "/") == 0 || !under(p, path) ||
		    strcmp(p, path) == 0)
			continue;
		rest = p + plen + 1;
		if (strchr(rest, '/') != NULL)
			continue;	/* a grandchild */
		nlen = strlen(rest) + 1;
		out = xreallocarray(out, total + nlen, 1);
		memcpy(out + total, rest, nlen);
		total += nlen;
	}
	*names = out;
	*len = total;
	return 0;
}

int
xs_tree_get_perms(struct xs_store *s, uint32_t caller, const char *path,
    const char **perms, size_t *len)
{
	int e, i;

	if ((e = check_read(s, caller, path)) != 0)
		return e;
	i = find(s, path);
	*perms = s->nodes[i].perms;
	*len = s->nodes[i].plen;
	return 0;
}

int
xs_tree_set_perms(struct xs_store *s, uint32_t caller, const char *path,
    const char *perms, size_t len)
{
	char *canon, *old;
	size_t clen, oldlen;
	unsigned count;
	int e, i, exists;

	if ((e = xs_tree_path_ok(path)) != 0)
		return e;
	if (!(rights(s, caller, path, &exists) &
	    (exists ? XS_PERM_OWNER : XS_PERM_READ)))
		return EACCES;
	if (!exists)
		return ENOENT;
	if ((e = xs_perms_parse(perms, len, &canon, &clen, &count)) != 0)
		return e;
	i = find(s, path);
	if (caller != 0 && count > s->quota.perms)
		e = ENOSPC;
	else if (caller != 0 && xs_perms_owner(canon, clen) !=
	    xs_perms_owner(s->nodes[i].perms, s->nodes[i].plen))
		e = EACCES;	/* only dom0 gives a node away (xenstored:
				 * EPERM, which xs_wire has no name for) */
	if (e != 0) {
		free(canon);
		return e;
	}
	old = s->nodes[i].perms;
	oldlen = s->nodes[i].plen;
	s->nodes[i].perms = canon;
	s->nodes[i].plen = clen;
	s->nodes[i].gen = ++s->seq;
	account(s, path, 0, 0, 0);	/* moves the home's save counter */
	fire(s, path, old, oldlen);
	free(old);
	return 0;
}

/* Write a node of the home as domain 0, with a list ("n0 r5"). */
static int
put_home(struct xs_store *s, uint32_t domid, const char *key,
    const char *val, const char *perms)
{
	char path[96], wire[64];
	size_t plen;
	int e;

	snprintf(path, sizeof path, "/local/domain/%u%s%s", domid,
	    key[0] ? "/" : "", key);
	if (val != NULL)
		e = xs_tree_write(s, 0, path, val, strlen(val));
	else
		e = xs_tree_mkdir(s, 0, path);
	if (e == 0 && perms != NULL) {
		plen = xs_perms_from_text(perms, wire, sizeof wire);
		e = xs_tree_set_perms(s, 0, path, wire, plen);
	}
	return e;
}

int
xs_domain_introduce(struct xs_store *s, uint32_t domid, const char *name,
    uint64_t target_kib)
{
	char own[24], ro[24], val[32];
	int e = 0;

	/* The guest owns its home (what dom0 writes there inherits that,
	 * control/shutdown included, which the guest clears); what it
	 * must not change, as xl has it, is dom0's and readable by it. */
	snprintf(own, sizeof own, "n%u", domid);
	snprintf(ro, sizeof ro, "n0 r%u", domid);
	e |= put_home(s, domid, "", NULL, own);
	e |= put_home(s, domid, "name", name, ro);
	snprintf(val, sizeof val, "%u", domid);
	e |= put_home(s, domid, "domid", val, ro);
	snprintf(val, sizeof val, "%llu", (unsigned long long)target_kib);
	e |= put_home(s, domid, "memory/target", val, ro);
	e |= put_home(s, domid, "control", NULL, NULL);
	e |= put_home(s, domid, "device", NULL, ro);
	/* cpu/N/availability: xend brings vCPUs up and down, not the guest. */
	e |= put_home(s, domid, "cpu", NULL, ro);
	if (e == 0)
		fire(s, "@introduceDomain", NULL, 0);
	return e ? EINVAL : 0;
}

void
xs_domain_forget(struct xs_store *s, uint32_t domid)
{
	char path[64];
	struct xs_acct *a;

	snprintf(path, sizeof path, "/local/domain/%u", domid);
	xs_tree_rm(s, 0, path);
	/* Its account is empty now: drop it, so ids never reused do not
	 * pile up. */
	if ((a = acct_of(s, path)) != NULL)
		*a = s->acct[--s->nacct];
	fire(s, "@releaseDomain", NULL, 0);
}

void
xs_tree_walk(struct xs_store *s, const char *prefix, xs_node_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (under(s->nodes[i].path, prefix))
			fn(arg, s->nodes[i].path, s->nodes[i].val,
			    s->nodes[i].len, s->nodes[i].perms,
			    s->nodes[i].plen);
}

unsigned long
xs_store_home_gen(struct xs_store *s, uint32_t domid)
{
	size_t i;

	for (i = 0; i < s->nacct; i++)
		if (s->acct[i].domid == domid)
			return s->acct[i].gen;
	return 0;
}

/*
 * For transactions (xs_txn.c): a node as it is now, with its generation;
 * the caller's home's usage against its quotas; and applying a commit
 * whose checks were all made before (no access or quota check here, no
 * watch events: the commit fires them once the whole of it is in).
 */
unsigned long long
xs_store_seq(const struct xs_store *s)
{
	return s->seq;
}

int
xs_node_peek(struct xs_store *s, const char *path, const char **val,
    size_t *len, unsigned long long *gen)
{
	int i;

	if ((i = find(s, path)) < 0)
		return 0;
	*val = s->nodes[i].val;
	*len = s->nodes[i].len;
	*gen = s->nodes[i].gen;
	return 1;
}

void
xs_store_usage(struct xs_store *s, uint32_t domid, unsigned *nodes,
    size_t *bytes)
{
	size_t i;

	*nodes = 0;
	*bytes = 0;
	for (i = 0; i < s->nacct; i++)
		if (s->acct[i].domid == domid) {
			*nodes = s->acct[i].nodes;
			*bytes = s->acct[i].bytes;
		}
}

void
xs_node_set(struct xs_store *s, const char *path, const char *val,
    size_t len, const char *perms, size_t plen)
{
	int i, created = 0;

	i = lookup(s, path, 1, &created, 0);
	if (perms != NULL) {
		free(s->nodes[i].perms);
		s->nodes[i].perms = xmalloc(plen);
		memcpy(s->nodes[i].perms, perms, plen);
		s->nodes[i].plen = plen;
	}
	account(s, path, 0, s->nodes[i].len, len);
	free(s->nodes[i].val);
	s->nodes[i].val = xmalloc(len + 1);
	memcpy(s->nodes[i].val, val, len);
	s->nodes[i].val[len] = '\0';
	s->nodes[i].len = len;
	s->nodes[i].gen = ++s->seq;
}

void
xs_node_remove(struct xs_store *s, const char *path)
{
	if (strcmp(path, "/") != 0 && find(s, path) >= 0)
		remove_subtree(s, path);
}

void
xs_store_fire(struct xs_store *s, const char *path, const char *old,
    size_t oldlen)
{
	fire(s, path, old, oldlen);
}
