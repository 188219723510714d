/*
 * xs_txn.c: xenstore transactions with isolation, as the xenstore
 * protocol defines them (Xen's docs/misc/xenstore.txt): the operations of
 * a transaction see the store plus their own changes, nobody else sees
 * those changes before TRANSACTION_END "T", and the commit fails with
 * EAGAIN, applying nothing, if the store moved under the transaction.
 *
 * How: optimistic concurrency over the node generations of xs_tree.c.
 * Each node the transaction touches (reads, lists, writes, removes, or
 * needs as the nearest existing parent of one it creates) gets an entry
 * that records whether the node was in the store and at which generation.
 * Changes live only in the entries (a copy-on-write overlay); reads of an
 * entry the transaction did not change go to the store.  A node that
 * changed after the transaction began (generation past its start) dooms
 * it: it may read a newer value, but it can never commit, so whatever it
 * commits is what it would have done on the store as it was at its start.
 * At commit every entry is checked again, then the changes are applied in
 * one go and the watches fire, each once.  A parent's generation moves
 * when a child comes or goes, so a directory listing is protected by its
 * node's entry, and a node removed since the start by its parent's.
 *
 * Permissions: every entry carries the node's list (the store's when it
 * was touched, and the transaction's own once changed), and the rights
 * are checked against the transaction's view, as the store checks them
 * (xs_tree.c).  A list that changed since the start moves the node's
 * generation, so the commit's check catches a right taken away meanwhile.
 *
 * Bounds: a domain's transaction holds at most its node quota of entries
 * and its byte quota of paths and values (ENOSPC past them), and the node
 * and byte quotas of its home are checked as each operation is made and
 * again at commit.  Domain 0 is not limited.  Lifetime: a transaction
 * belongs to its connection (xs_conn.c), which frees it at TRANSACTION_END
 * or when the connection goes (an implicit abort).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "public/io/xs_wire.h"
#include "xmalloc.h"
#include "xs.h"

/* One node the transaction touched. */
struct xs_txe {
	char			*path;
	int			 base_exists;	/* in the store when touched */
	unsigned long long	 base_gen;
	size_t			 base_len;
	char			*base_perms;	/* the store's list then */
	size_t			 base_plen;
	int			 changed;	/* written, made or removed */
	int			 exists;	/* if changed: the tx's view */
	char			*val;
	size_t			 len;
	char			*perms;		/* if changed and exists */
	size_t			 plen;
	int			 fire;		/* a watch event at commit */
};

struct xs_txn {
	struct xs_store		*store;
	uint32_t		 caller, id;
	unsigned long long	 start;		/* the store's seq at start */
	int			 doomed;	/* the store moved: EAGAIN */
	struct xs_txe		*e;
	size_t			 n, cap;
	size_t			 held;		/* bytes of paths and values */
	long			 dnodes;	/* change to the home's usage */
	long long		 dbytes;
};

struct xs_txn *
xs_txn_new(struct xs_store *s, uint32_t caller, uint32_t id)
{
	struct xs_txn *t = xcalloc(1, sizeof *t);

	t->store = s;
	t->caller = caller;
	t->id = id;
	t->start = xs_store_seq(s);
	return t;
}

void
xs_txn_free(struct xs_txn *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->e[i].path);
		free(t->e[i].val);
		free(t->e[i].perms);
		free(t->e[i].base_perms);
	}
	free(t->e);
	free(t);
}

uint32_t
xs_txn_id(const struct xs_txn *t)
{
	return t->id;
}

static int
find_entry(const struct xs_txn *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].path, path) == 0)
			return (int)i;
	return -1;
}

/* Would n more entries and bytes more bytes keep the transaction within
 * its caller's quotas? */
static int
room(const struct xs_txn *t, size_t n, size_t bytes)
{
	const struct xs_quota *q = xs_store_quota(t->store);

	if (t->caller == 0)
		return 1;
	return t->n + n <= q->nodes && t->held + bytes <= q->bytes;
}

static int
in_store(struct xs_txn *t, const char *path)
{
	unsigned long long gen;
	const char *val;
	size_t len;

	return xs_node_peek(t->store, path, &val, &len, &gen);
}

/* path's parent, in place ("/a" -> "/"). */
static void
to_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		path[1] = '\0';
	else
		*slash = '\0';
}

static void
add_entry(struct xs_txn *t, const char *path)
{
	struct xs_txe *x;
	const char *val, *perms;
	int exists;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->e = xreallocarray(t->e, t->cap, sizeof *t->e);
	}
	x = &t->e[t->n++];
	memset(x, 0, sizeof *x);
	x->path = xstrdup(path);
	x->base_exists = xs_node_peek(t->store, path, &val, &x->base_len,
	    &x->base_gen);
	if (x->base_exists && x->base_gen > t->start)
		t->doomed = 1;
	if (x->base_exists) {
		xs_node_perms(t->store, path, &perms, &x->base_plen, &exists);
		x->base_perms = xmalloc(x->base_plen);
		memcpy(x->base_perms, perms, x->base_plen);
	}
	t->held += strlen(path) + 1;
}

/*
 * The entry of path, made if new.  A path missing from the store brings
 * its parents up to the first one in the store (or already touched): a
 * removal since the start, or a creation by someone else before commit,
 * moves that parent's generation.  0 or ENOSPC.
 */
static int
touch(struct xs_txn *t, const char *path, int *idx)
{
	char *p = xstrdup(path);
	size_t n = 0, bytes = 0;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		strcpy(p, path);
		for (;;) {
			if (find_entry(t, p) >= 0)
				break;
			if (pass == 0) {
				n++;
				bytes += strlen(p) + 1;
			} else
				add_entry(t, p);
			if (strcmp(p, "/") == 0 || in_store(t, p))
				break;
			to_parent(p);
		}
		if (pass == 0 && !room(t, n, bytes)) {
			free(p);
			return ENOSPC;
		}
	}
	free(p);
	*idx = find_entry(t, path);
	return 0;
}

/* path as the transaction sees it.  0 or ENOSPC; *val, when it exists,
 * is valid until the next change of the store or the transaction. */
static int
view(struct xs_txn *t, const char *path, int *exists, const char **val,
    size_t *len)
{
	unsigned long long gen;
	struct xs_txe *x;
	int i, e;

	if ((e = touch(t, path, &i)) != 0)
		return e;
	x = &t->e[i];
	if (x->changed) {
		*exists = x->exists;
		*val = x->val;
		*len = x->len;
		return 0;
	}
	*exists = xs_node_peek(t->store, path, val, len, &gen);
	if (*exists != x->base_exists || (*exists && gen != x->base_gen))
		t->doomed = 1;
	return 0;
}

/* Set entry i's state in the transaction, keeping the home's usage and
 * the transaction's size up to date. */
static void
set_state(struct xs_txn *t, int i, int exists, const char *val, size_t len,
    const char *perms, size_t plen, int fire)
{
	struct xs_txe *x = &t->e[i];
	size_t pathlen = strlen(x->path) + 1;
	int was = x->changed ? x->exists : x->base_exists;
	size_t wlen = x->changed ? x->len : x->base_len;

	if (was)
		t->dbytes -= (long long)(pathlen + wlen);
	if (exists)
		t->dbytes += (long long)(pathlen + len);
	t->dnodes += (exists ? 1 : 0) - (was ? 1 : 0);
	t->held -= x->len + x->plen;
	free(x->val);
	free(x->perms);
	x->val = x->perms = NULL;
	x->len = x->plen = 0;
	if (exists) {
		x->val = xmalloc(len + 1);
		memcpy(x->val, val, len);
		x->val[len] = '\0';
		x->len = len;
		x->perms = xmalloc(plen);
		memcpy(x->perms, perms, plen);
		x->plen = plen;
		t->held += len + plen;
	}
	x->changed = 1;
	x->exists = exists;
	x->fire |= fire;
}

/* The list of entry i as the transaction sees it; the node exists. */
static void
entry_perms(struct xs_txn *t, int i, const char **perms, size_t *plen)
{
	int exists;

	if (t->e[i].changed) {
		*perms = t->e[i].perms;
		*plen = t->e[i].plen;
	} else
		xs_node_perms(t->store, t->e[i].path, perms, plen, &exists);
}

/*
 * The list that decides for path in the view: its own, or for a missing
 * node the nearest existing ancestor's (*exists says which).  The walk
 * touches only what touch() already brought in for a missing path, so
 * checking rights adds no conflicts beyond the ones the path has.
 */
static int
view_perms(struct xs_txn *t, const char *path, const char **perms,
    size_t *plen, int *exists)
{
	char *p = xstrdup(path);
	const char *val;
	size_t len;
	int ex, e;

	*exists = 1;
	while ((e = view(t, p, &ex, &val, &len)) == 0 && !ex &&
	    strcmp(p, "/") != 0) {
		*exists = 0;
		to_parent(p);
	}
	if (e == 0)
		entry_perms(t, find_entry(t, p), perms, plen);
	free(p);
	return e;
}

/* What the caller may do at path in the view: 0 and *rights, or ENOSPC
 * (the transaction is full) or EINVAL (a bad path). */
static int
rights(struct xs_txn *t, const char *path, unsigned *r, int *exists)
{
	const char *perms;
	size_t plen;
	int e;

	if ((e = xs_tree_path_ok(path)) != 0)
		return e;
	if ((e = view_perms(t, path, &perms, &plen, exists)) != 0)
		return e;
	*r = xs_perms_for(perms, plen, t->caller);
	return 0;
}

static int
check_write(struct xs_txn *t, const char *path)
{
	unsigned r;
	int exists, e;

	if ((e = rights(t, path, &r, &exists)) != 0)
		return e;
	return (r & XS_PERM_WRITE) ? 0 : EACCES;
}

/* As xs_tree.c's: EACCES, or ENOENT where the caller may know. */
static int
check_read(struct xs_txn *t, const char *path)
{
	unsigned r;
	int exists, e;

	if ((e = rights(t, path, &r, &exists)) != 0)
		return e;
	if (!(r & XS_PERM_READ))
		return EACCES;
	return exists ? 0 : ENOENT;
}

/* Would the home's usage plus this transaction's changes plus nodes and
 * bytes more stay within the quotas? */
static int
home_room(struct xs_txn *t, long nodes, long long bytes)
{
	const struct xs_quota *q = xs_store_quota(t->store);
	unsigned used_nodes;
	size_t used_bytes;

	if (t->caller == 0)
		return 1;
	xs_store_usage(t->store, t->caller, &used_nodes, &used_bytes);
	return (long long)used_nodes + t->dnodes + nodes <= q->nodes &&
	    (long long)used_bytes + t->dbytes + bytes <= (long long)q->bytes;
}

/* Give path the value, making it and its missing parents in the view. */
static int
make(struct xs_txn *t, const char *path, const char *val, size_t len,
    int fire)
{
	const struct xs_quota *q = xs_store_quota(t->store);
	const char *old, *up;
	size_t oldlen, depth = 0, k, uplen, plen = 0;
	long need = 0;
	long long bytes;
	char *p, **missing = NULL, *perms = NULL;
	int exists, e, i;

	if (t->caller != 0 && len > q->value_size)
		return ENOSPC;
	if ((e = view(t, path, &exists, &old, &oldlen)) != 0)
		return e;
	/* An existing node keeps its list; new ones inherit (below). */
	if (exists) {
		entry_perms(t, find_entry(t, path), &up, &uplen);
		perms = xmalloc(uplen);
		memcpy(perms, up, uplen);
		plen = uplen;
	}
	bytes = exists ? (long long)len - (long long)oldlen :
	    (long long)(strlen(path) + 1 + len);
	need = exists ? 0 : 1;
	/* The missing parents, nearest first. */
	p = xstrdup(path);
	while (!exists) {
		to_parent(p);
		if ((e = view(t, p, &exists, &old, &oldlen)) != 0)
			goto out;
		if (!exists) {
			missing = xreallocarray(missing, depth + 1,
			    sizeof *missing);
			missing[depth++] = xstrdup(p);
			need++;
			bytes += (long long)strlen(p) + 1;
		} else {
			entry_perms(t, find_entry(t, p), &up, &uplen);
			xs_perms_inherit(up, uplen, t->caller, &perms, &plen);
		}
	}
	if (!home_room(t, need, bytes) ||
	    !room(t, 0, len)) {
		e = ENOSPC;
		goto out;
	}
	for (k = depth; k-- > 0;)
		if ((e = touch(t, missing[k], &i)) == 0)
			set_state(t, i, 1, "", 0, perms, plen, 0);
	if ((e = touch(t, path, &i)) == 0)
		set_state(t, i, 1, val, len, perms, plen, fire);
out:
	for (k = 0; k < depth; k++)
		free(missing[k]);
	free(missing);
	free(perms);
	free(p);
	return e;
}

int
xs_txn_read(struct xs_txn *t, const char *path, const char **val,
    size_t *len)
{
	int exists, e;

	if ((e = check_read(t, path)) != 0)
		return e;
	if ((e = view(t, path, &exists, val, len)) != 0)
		return e;
	return exists ? 0 : ENOENT;
}

int
xs_txn_get_perms(struct xs_txn *t, const char *path, const char **perms,
    size_t *len)
{
	int exists, e;

	if ((e = check_read(t, path)) != 0)
		return e;
	return view_perms(t, path, perms, len, &exists);
}

int
xs_txn_set_perms(struct xs_txn *t, const char *path, const char *perms,
    size_t len)
{
	const char *val, *cur;
	char *canon, *copy;
	size_t vlen, clen, curlen;
	unsigned r, count;
	int exists, e, i;

	if ((e = rights(t, path, &r, &exists)) != 0)
		return e;
	if (!(r & (exists ? XS_PERM_OWNER : XS_PERM_READ)))
		return EACCES;
	if (!exists)
		return ENOENT;
	if ((e = xs_perms_parse(perms, len, &canon, &clen, &count)) != 0)
		return e;
	i = find_entry(t, path);
	entry_perms(t, i, &cur, &curlen);
	if (t->caller != 0 && count > xs_store_quota(t->store)->perms)
		e = ENOSPC;
	else if (t->caller != 0 && xs_perms_owner(canon, clen) !=
	    xs_perms_owner(cur, curlen))
		e = EACCES;	/* only dom0 gives a node away */
	else if (!room(t, 0, clen))
		e = ENOSPC;
	if (e == 0 && (e = view(t, path, &exists, &val, &vlen)) == 0) {
		/* set_state replaces the entry's value: copy it first. */
		copy = xmalloc(vlen + 1);
		memcpy(copy, val, vlen);
		set_state(t, i, 1, copy, vlen, canon, clen, 1);
		free(copy);
	}
	free(canon);
	return e;
}

int
xs_txn_write(struct xs_txn *t, const char *path, const char *val,
    size_t len)
{
	int e;

	if ((e = check_write(t, path)) != 0)
		return e;
	if (len > XENSTORE_PAYLOAD_MAX)
		return E2BIG;
	return make(t, path, val, len, 1);
}

int
xs_txn_mkdir(struct xs_txn *t, const char *path)
{
	const char *val;
	size_t len;
	int exists, e;

	if ((e = check_write(t, path)) != 0)
		return e;
	if ((e = view(t, path, &exists, &val, &len)) != 0)
		return e;
	return exists ? 0 : make(t, path, "", 0, 1);
}

/* The store's nodes at and below a path being removed. */
struct subtree {
	char	**paths;
	size_t	  n;
};

static void
collect(void *arg, const char *path, const char *val, size_t len,
    const char *perms, size_t plen)
{
	struct subtree *st = arg;

	(void)val;
	(void)len;
	(void)perms;
	(void)plen;
	st->paths = xreallocarray(st->paths, st->n + 1, sizeof *st->paths);
	st->paths[st->n++] = xstrdup(path);
}

/* Is path strictly below dir?  dir is not "/". */
static int
below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

int
xs_txn_rm(struct xs_txn *t, const char *path)
{
	struct subtree st = { NULL, 0 };
	size_t k, n = 0, bytes = 0;
	const char *val;
	size_t len;
	char *parent;
	unsigned r;
	int exists, e, i;

	if ((e = rights(t, path, &r, &exists)) != 0)
		return e;
	/* As the store: the node's write right, a missing one's read. */
	if (!(r & (exists ? XS_PERM_WRITE : XS_PERM_READ)))
		return EACCES;
	if (strcmp(path, "/") == 0)
		return EINVAL;
	if ((e = view(t, path, &exists, &val, &len)) != 0)
		return e;
	if (!exists) {
		/* As outside a transaction: a missing child of an existing
		 * node is fine. */
		parent = xstrdup(path);
		to_parent(parent);
		e = view(t, parent, &exists, &val, &len);
		free(parent);
		return e != 0 ? e : exists ? 0 : ENOENT;
	}
	/* Every store node of the subtree gets an entry (its generation
	 * guards against someone changing it meanwhile): room first, so a
	 * removal is all or nothing. */
	xs_tree_walk(t->store, path, collect, &st);
	for (k = 0; k < st.n; k++)
		if (find_entry(t, st.paths[k]) < 0) {
			n++;
			bytes += strlen(st.paths[k]) + 1;
		}
	if (!room(t, n, bytes))
		e = ENOSPC;
	for (k = 0; e == 0 && k < st.n; k++)
		if (touch(t, st.paths[k], &i) == 0)
			set_state(t, i, 0, NULL, 0, NULL, 0, 0);
	for (k = 0; k < st.n; k++)
		free(st.paths[k]);
	free(st.paths);
	if (e != 0)
		return e;
	/* And what the transaction itself made there. */
	for (k = 0; k < t->n; k++)
		if (below(t->e[k].path, path) && t->e[k].changed &&
		    t->e[k].exists)
			set_state(t, (int)k, 0, NULL, 0, NULL, 0, 0);
	i = find_entry(t, path);
	set_state(t, i, 0, NULL, 0, NULL, 0, 1);
	return 0;
}

/* Append name (NUL included) to a listing. */
static void
list_add(char **out, size_t *total, const char *name)
{
	size_t n = strlen(name) + 1;

	*out = xreallocarray(*out, *total + n, 1);
	memcpy(*out + *total, name, n);
	*total += n;
}

int
xs_txn_directory(struct xs_txn *t, const char *path, char **names,
    size_t *len)
{
	char *base = NULL, *out = xmalloc(1), *full;
	size_t blen = 0, total = 0, off, plen;
	const char *val, *name;
	size_t vlen;
	int exists, e, i;

	if ((e = check_read(t, path)) != 0 ||
	    (e = view(t, path, &exists, &val, &vlen)) != 0 ||
	    (e = exists ? 0 : ENOENT) != 0) {
		free(out);
		return e;
	}
	plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
	/* The store's children, less those the transaction removed. */
	if (xs_tree_directory(t->store, 0, path, &base, &blen) != 0)
		blen = 0;
	for (off = 0; off < blen; off += strlen(base + off) + 1) {
		xasprintf(&full, "%.*s/%s", (int)plen, path, base + off);
		i = find_entry(t, full);
		if (i < 0 || !t->e[i].changed || t->e[i].exists)
			list_add(&out, &total, base + off);
		free(full);
	}
	free(base);
	/* And the children it made that the store does not have. */
	for (i = 0; i < (int)t->n; i++) {
		if (!t->e[i].changed || !t->e[i].exists ||
		    strcmp(t->e[i].path, "/") == 0 ||
		    (plen > 0 && !below(t->e[i].path, path)))
			continue;
		name = t->e[i].path + plen + 1;
		if (strchr(name, '/') == NULL && !in_store(t, t->e[i].path))
			list_add(&out, &total, name);
	}
	*names = out;
	*len = total;
	return 0;
}

int
xs_txn_commit(struct xs_txn *t)
{
	unsigned long long gen;
	const char *val;
	size_t i, len;
	int exists;

	if (t->doomed)
		return EAGAIN;
	for (i = 0; i < t->n; i++) {
		exists = xs_node_peek(t->store, t->e[i].path, &val, &len,
		    &gen);
		if (exists != t->e[i].base_exists ||
		    (exists && gen != t->e[i].base_gen))
			return EAGAIN;
	}
	/* Other transactions or writes of the same guest may have used its
	 * room since these changes were checked. */
	if ((t->dnodes > 0 || t->dbytes > 0) && !home_room(t, 0, 0))
		return ENOSPC;
	/* Removals first: a node the transaction keeps never lies below
	 * one it removes (a write makes its parents again). */
	for (i = 0; i < t->n; i++)
		if (t->e[i].changed && !t->e[i].exists &&
		    t->e[i].base_exists)
			xs_node_remove(t->store, t->e[i].path);
	for (i = 0; i < t->n; i++)
		if (t->e[i].changed && t->e[i].exists)
			xs_node_set(t->store, t->e[i].path, t->e[i].val,
			    t->e[i].len, t->e[i].perms, t->e[i].plen);
	/* Events as the direct operations: the list before decides too. */
	for (i = 0; i < t->n; i++)
		if (t->e[i].fire)
			xs_store_fire(t->store, t->e[i].path,
			    t->e[i].base_perms, t->e[i].base_plen);
	return 0;
}
