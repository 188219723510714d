/*
 * xs_conn.c: one domain's conversation with the store.  Bytes from the
 * domain are gathered into whole struct xsd_sockmsg messages, each is
 * checked strictly and answered; replies and watch events go to an
 * output queue the transport drains into the domain's ring.
 *
 * A guest can only hurt itself: a malformed request gets an XS_ERROR
 * reply, a header whose length breaks the protocol ends the connection,
 * and a guest that never reads its replies is cut off once its queue
 * passes OUT_MAX instead of growing xend without bound.
 *
 * A request whose header names a transaction goes to that transaction
 * (xs_txn.c) instead of the store; the connection owns its open
 * transactions and aborts them when it goes away.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "public/io/xs_wire.h"
#include "xmalloc.h"
#include "xs.h"

#define OUT_MAX		(256 * 1024)
#define HDR		sizeof(struct xsd_sockmsg)

struct xs_watch {
	char	*path;		/* absolute */
	char	*token;
	int	 relative;	/* the client used a relative path */
};

struct xs_conn {
	struct xs_store	*store;
	uint32_t	 domid;
	char		 in[HDR + XENSTORE_PAYLOAD_MAX];
	size_t		 in_len;
	char		*out;
	size_t		 out_len, out_cap;
	int		 broken;
	struct xs_watch	*watches;	/* up to the store's watch quota */
	size_t		 nwatches;
	uint32_t	 next_tx;
	struct xs_txn	**tx;		/* transactions started, not ended */
	size_t		 ntx;
	unsigned long	 gen;		/* moves when watches change */
};

struct xs_conn *
xs_conn_new(struct xs_store *s, uint32_t domid)
{
	struct xs_conn *c = xcalloc(1, sizeof *c);

	c->store = s;
	c->domid = domid;
	c->next_tx = 1;
	xs_store_link(s, c);
	return c;
}

static void
drop_watch(struct xs_conn *c, size_t i)
{
	free(c->watches[i].path);
	free(c->watches[i].token);
	c->watches[i] = c->watches[--c->nwatches];
	c->gen++;
}

void
xs_conn_free(struct xs_conn *c)
{
	if (c == NULL)
		return;
	xs_store_unlink(c->store, c);
	while (c->nwatches > 0)
		drop_watch(c, 0);
	free(c->watches);
	/* Whatever was not committed is dropped: an abort. */
	while (c->ntx > 0)
		xs_txn_free(c->tx[--c->ntx]);
	free(c->tx);
	free(c->out);
	free(c);
}

int
xs_conn_broken(const struct xs_conn *c)
{
	return c->broken;
}

const char *
xs_conn_output(struct xs_conn *c, size_t *len)
{
	*len = c->out_len;
	return c->out;
}

void
xs_conn_consume(struct xs_conn *c, size_t n)
{
	if (n > c->out_len)
		n = c->out_len;
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
}

/* Queue one message: header and up to two payload parts. */
static void
queue(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
    const void *a, size_t alen, const void *b, size_t blen)
{
	struct xsd_sockmsg h;
	size_t need = HDR + alen + blen;

	if (c->broken)
		return;
	if (c->out_len + need > OUT_MAX) {
		c->broken = 1;
		return;
	}
	if (c->out_len + need > c->out_cap) {
		c->out_cap = c->out_len + need + 4096;
		c->out = xreallocarray(c->out, c->out_cap, 1);
	}
	h.type = type;
	h.req_id = req_id;
	h.tx_id = tx_id;
	h.len = (uint32_t)(alen + blen);
	memcpy(c->out + c->out_len, &h, HDR);
	if (alen)
		memcpy(c->out + c->out_len + HDR, a, alen);
	if (blen)
		memcpy(c->out + c->out_len + HDR + alen, b, blen);
	c->out_len += need;
}

static const char *
errno_name(int e)
{
#define XS_ERR_CASE(x) case x: return #x;
	switch (e) {
	XSD_ERROR_LIST(XS_ERR_CASE)
	default: return "EINVAL";
	}
#undef XS_ERR_CASE
}

static void
reply_error(struct xs_conn *c, const struct xsd_sockmsg *m, int e)
{
	const char *name = errno_name(e);

	queue(c, XS_ERROR, m->req_id, m->tx_id, name, strlen(name) + 1,
	    NULL, 0);
}

static void
reply_ok(struct xs_conn *c, const struct xsd_sockmsg *m)
{
	queue(c, m->type, m->req_id, m->tx_id, "OK", 3, NULL, 0);
}

/*
 * Split the payload into NUL-terminated strings.  Returns how many were
 * found (up to max); *rest and *restlen say what follows the last one.
 */
static size_t
split(const char *p, size_t len, const char **out, size_t max,
    const char **rest, size_t *restlen)
{
	size_t n = 0;
	const char *nul;

	while (n < max && len > 0 && (nul = memchr(p, '\0', len)) != NULL) {
		out[n++] = p;
		len -= (size_t)(nul - p) + 1;
		p = nul + 1;
	}
	*rest = p;
	*restlen = len;
	return n;
}

/* Make a client path absolute: relative ones are under the home. */
static char *
absolute(const struct xs_conn *c, const char *path, int *relative)
{
	char *abs;

	*relative = path[0] != '/';
	if (!*relative)
		return xstrdup(path);
	if (path[0] == '\0')
		return NULL;
	xasprintf(&abs, "/local/domain/%u/%s", c->domid, path);
	return abs;
}

static void
send_event(struct xs_conn *c, const struct xs_watch *w, const char *path)
{
	char home[64];
	size_t hl;

	if (w->relative) {
		hl = (size_t)snprintf(home, sizeof home, "/local/domain/%u/",
		    c->domid);
		if (strncmp(path, home, hl) == 0)
			path += hl;
	}
	queue(c, XS_WATCH_EVENT, 0, 0, path, strlen(path) + 1, w->token,
	    strlen(w->token) + 1);
}

/* A change at `changed` concerns a watch on itself, on any ancestor, or
 * (for removals, which take the subtree) on a descendant. */
static int
watch_matches(const char *wpath, const char *changed)
{
	size_t wl = strlen(wpath), cl = strlen(changed);

	if (wpath[0] == '@' || changed[0] == '@')	/* domain events */
		return strcmp(wpath, changed) == 0;
	if (strcmp(wpath, "/") == 0)
		return 1;
	if (strncmp(changed, wpath, wl) == 0 &&
	    (changed[wl] == '\0' || changed[wl] == '/'))
		return 1;
	return strncmp(wpath, changed, cl) == 0 && wpath[cl] == '/';
}

uint32_t
xs_conn_domid(const struct xs_conn *c)
{
	return c->domid;
}

/* Who may hear of a change was decided by the store (xs_tree.c, fire). */
void
xs_conn_fire(struct xs_conn *c, const char *changed)
{
	const char *w;
	size_t i;

	for (i = 0; i < c->nwatches; i++) {
		w = c->watches[i].path;
		if (!watch_matches(w, changed))
			continue;
		/* A removed ancestor is reported as the watched path. */
		send_event(c, &c->watches[i], strlen(changed) < strlen(w) ?
		    w : changed);
	}
}

static void
op_watch(struct xs_conn *c, const struct xsd_sockmsg *m, const char **arg,
    size_t nargs)
{
	struct xs_watch *w;
	char *abs;
	size_t i;
	int rel, e;

	if (nargs != 2 || arg[0][0] == '\0')
		return reply_error(c, m, EINVAL);
	if (arg[0][0] == '@') {
		abs = xstrdup(arg[0]);
		rel = 0;
	} else {
		if ((abs = absolute(c, arg[0], &rel)) == NULL)
			return reply_error(c, m, EINVAL);
		/* As xenstored: any path may be watched; the events say
		 * only what the watcher may read (xs_perms_may_see). */
		if ((e = xs_tree_path_ok(abs)) != 0) {
			free(abs);
			return reply_error(c, m, e);
		}
	}
	for (i = 0; i < c->nwatches; i++)
		if (strcmp(c->watches[i].path, abs) == 0 &&
		    strcmp(c->watches[i].token, arg[1]) == 0) {
			free(abs);
			return reply_error(c, m, EEXIST);
		}
	/* The watch quota: E2BIG, as xenstored answers. */
	if (c->domid != 0 &&
	    c->nwatches >= xs_store_quota(c->store)->watches) {
		free(abs);
		return reply_error(c, m, E2BIG);
	}
	c->watches = xreallocarray(c->watches, c->nwatches + 1,
	    sizeof *c->watches);
	w = &c->watches[c->nwatches++];
	w->path = abs;
	w->token = xstrdup(arg[1]);
	w->relative = rel;
	c->gen++;
	reply_ok(c, m);
	/* As xenstored does: one event right away, so the client reads the
	 * current state through its ordinary watch handler. */
	send_event(c, w, w->path);
}

static void
op_unwatch(struct xs_conn *c, const struct xsd_sockmsg *m, const char **arg,
    size_t nargs)
{
	char *abs;
	size_t i;
	int rel;

	if (nargs != 2 || arg[0][0] == '\0')
		return reply_error(c, m, EINVAL);
	abs = arg[0][0] == '@' ? xstrdup(arg[0]) : absolute(c, arg[0], &rel);
	for (i = 0; abs != NULL && i < c->nwatches; i++)
		if (strcmp(c->watches[i].path, abs) == 0 &&
		    strcmp(c->watches[i].token, arg[1]) == 0) {
			drop_watch(c, i);
			free(abs);
			return reply_ok(c, m);
		}
	free(abs);
	reply_error(c, m, ENOENT);
}

/* The open transaction the header names; NULL if none is open. */
static struct xs_txn *
tx_of(const struct xs_conn *c, uint32_t id)
{
	size_t i;

	for (i = 0; i < c->ntx; i++)
		if (xs_txn_id(c->tx[i]) == id)
			return c->tx[i];
	return NULL;
}

static void
op_path(struct xs_conn *c, const struct xsd_sockmsg *m, const char *path,
    const char *rest, size_t restlen)
{
	struct xs_txn *tx = NULL;
	const char *val;
	char *abs, *names;
	size_t len;
	int rel, e;

	if (m->tx_id != 0 && (tx = tx_of(c, m->tx_id)) == NULL)
		return reply_error(c, m, ENOENT);
	if ((abs = absolute(c, path, &rel)) == NULL)
		return reply_error(c, m, EINVAL);
	switch (m->type) {
	case XS_READ:
		if ((e = tx != NULL ? xs_txn_read(tx, abs, &val, &len) :
		    xs_tree_read(c->store, c->domid, abs, &val, &len)) == 0)
			queue(c, m->type, m->req_id, m->tx_id, val, len,
			    NULL, 0);
		break;
	case XS_WRITE:
		if ((e = tx != NULL ? xs_txn_write(tx, abs, rest, restlen) :
		    xs_tree_write(c->store, c->domid, abs, rest, restlen))
		    == 0)
			reply_ok(c, m);
		break;
	case XS_MKDIR:
		if ((e = tx != NULL ? xs_txn_mkdir(tx, abs) :
		    xs_tree_mkdir(c->store, c->domid, abs)) == 0)
			reply_ok(c, m);
		break;
	case XS_RM:
		if ((e = tx != NULL ? xs_txn_rm(tx, abs) :
		    xs_tree_rm(c->store, c->domid, abs)) == 0)
			reply_ok(c, m);
		break;
	case XS_DIRECTORY:
		if ((e = tx != NULL ? xs_txn_directory(tx, abs, &names,
		    &len) : xs_tree_directory(c->store, c->domid, abs, &names,
		    &len)) == 0) {
			if (len > XENSTORE_PAYLOAD_MAX)
				e = E2BIG;
			else
				queue(c, m->type, m->req_id, m->tx_id, names,
				    len, NULL, 0);
			free(names);
		}
		break;
	case XS_GET_PERMS:
		/* The list as it is stored: "b0\0r5\0" style strings. */
		if ((e = tx != NULL ? xs_txn_get_perms(tx, abs, &val, &len) :
		    xs_tree_get_perms(c->store, c->domid, abs, &val, &len))
		    == 0)
			queue(c, m->type, m->req_id, m->tx_id, val, len,
			    NULL, 0);
		break;
	case XS_SET_PERMS:
		if ((e = tx != NULL ? xs_txn_set_perms(tx, abs, rest,
		    restlen) : xs_tree_set_perms(c->store, c->domid, abs,
		    rest, restlen)) == 0)
			reply_ok(c, m);
		break;
	default:
		e = EINVAL;
	}
	free(abs);
	if (e != 0)
		reply_error(c, m, e);
}

/*
 * End the transaction named in the header (an unknown one is ENOENT):
 * commit ("T": OK, or EAGAIN / ENOSPC and nothing applied) or abort.
 * Either way it is over.
 */
static void
end_tx(struct xs_conn *c, const struct xsd_sockmsg *m, int commit)
{
	struct xs_txn *tx;
	size_t i;
	int e = 0;

	for (i = 0; i < c->ntx; i++)
		if (xs_txn_id(c->tx[i]) == m->tx_id)
			break;
	if (i == c->ntx)
		return reply_error(c, m, ENOENT);
	tx = c->tx[i];
	c->tx[i] = c->tx[--c->ntx];
	if (commit)
		e = xs_txn_commit(tx);
	xs_txn_free(tx);
	if (e != 0)
		return reply_error(c, m, e);
	reply_ok(c, m);
}

static void
handle(struct xs_conn *c, const struct xsd_sockmsg *m, const char *p)
{
	const char *arg[4], *rest;
	char buf[32];
	size_t nargs, restlen;
	unsigned long id;
	char *end;

	/* WRITE and SET_PERMS: a path, then a value or a list. */
	nargs = split(p, m->len, arg, m->type == XS_WRITE ||
	    m->type == XS_SET_PERMS ? 1 : 4, &rest, &restlen);
	switch (m->type) {
	case XS_READ: case XS_MKDIR: case XS_RM: case XS_DIRECTORY:
	case XS_GET_PERMS:
		if (nargs != 1 || restlen != 0)
			return reply_error(c, m, EINVAL);
		return op_path(c, m, arg[0], NULL, 0);
	case XS_WRITE:
		if (nargs != 1)
			return reply_error(c, m, EINVAL);
		return op_path(c, m, arg[0], rest, restlen);
	case XS_SET_PERMS:
		/* The list is checked by the store (EINVAL if malformed). */
		if (nargs != 1)
			return reply_error(c, m, EINVAL);
		return op_path(c, m, arg[0], rest, restlen);
	case XS_WATCH:
		if (restlen != 0)
			return reply_error(c, m, EINVAL);
		return op_watch(c, m, arg, nargs);
	case XS_UNWATCH:
		if (restlen != 0)
			return reply_error(c, m, EINVAL);
		return op_unwatch(c, m, arg, nargs);
	case XS_TRANSACTION_START:
		/* Ids are non-zero and not in use on this connection; open
		 * ones count against the quota (ENOSPC, as xenstored
		 * answers). */
		if (c->domid != 0 &&
		    c->ntx >= xs_store_quota(c->store)->transactions)
			return reply_error(c, m, ENOSPC);
		while (c->next_tx == 0 || tx_of(c, c->next_tx) != NULL)
			c->next_tx++;
		c->tx = xreallocarray(c->tx, c->ntx + 1, sizeof *c->tx);
		c->tx[c->ntx++] = xs_txn_new(c->store, c->domid, c->next_tx);
		snprintf(buf, sizeof buf, "%u", c->next_tx++);
		return queue(c, m->type, m->req_id, 0, buf, strlen(buf) + 1,
		    NULL, 0);
	case XS_TRANSACTION_END:
		if (nargs != 1 || restlen != 0 || (strcmp(arg[0], "T") != 0 &&
		    strcmp(arg[0], "F") != 0))
			return reply_error(c, m, EINVAL);
		return end_tx(c, m, arg[0][0] == 'T');
	case XS_GET_DOMAIN_PATH:
		if (nargs != 1 || restlen != 0 || arg[0][0] == '\0')
			return reply_error(c, m, EINVAL);
		errno = 0;
		id = strtoul(arg[0], &end, 10);
		if (*end != '\0' || errno != 0 || id > 0x7fff)
			return reply_error(c, m, EINVAL);
		snprintf(buf, sizeof buf, "/local/domain/%lu", id);
		return queue(c, m->type, m->req_id, m->tx_id, buf,
		    strlen(buf) + 1, NULL, 0);
	case XS_RESET_WATCHES:
		while (c->nwatches > 0)
			drop_watch(c, 0);
		return reply_ok(c, m);
	case XS_CONTROL: case XS_INTRODUCE: case XS_RELEASE:
	case XS_IS_DOMAIN_INTRODUCED: case XS_RESUME: case XS_SET_TARGET:
	case XS_DIRECTORY_PART:
		return reply_error(c, m, ENOSYS);
	default:
		return reply_error(c, m, EINVAL);
	}
}

int
xs_conn_input(struct xs_conn *c, const void *data, size_t len)
{
	const char *p = data;
	struct xsd_sockmsg m;
	size_t take, need;

	while (len > 0 && !c->broken) {
		need = HDR;
		if (c->in_len >= HDR) {
			memcpy(&m, c->in, HDR);
			need = HDR + m.len;
		}
		take = need - c->in_len < len ? need - c->in_len : len;
		memcpy(c->in + c->in_len, p, take);
		c->in_len += take;
		p += take;
		len -= take;
		if (c->in_len == HDR) {
			memcpy(&m, c->in, HDR);
			if (m.len > XENSTORE_PAYLOAD_MAX) {
				c->broken = 1;
				break;
			}
		}
		if (c->in_len < HDR)
			continue;
		memcpy(&m, c->in, HDR);
		if (c->in_len == HDR + m.len) {
			handle(c, &m, c->in + HDR);
			c->in_len = 0;
		}
	}
	return c->broken ? -1 : 0;
}

void
xs_conn_watches(const struct xs_conn *c, xs_watch_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < c->nwatches; i++)
		fn(arg, c->watches[i].path, c->watches[i].token,
		    c->watches[i].relative);
}

unsigned long
xs_conn_gen(const struct xs_conn *c)
{
	return c->gen;
}

int
xs_conn_watch_restore(struct xs_conn *c, const char *path, const char *token,
    int relative)
{
	struct xs_watch *w;

	if (c->nwatches >= XS_WATCHES_MAX)
		return E2BIG;
	c->watches = xreallocarray(c->watches, c->nwatches + 1,
	    sizeof *c->watches);
	w = &c->watches[c->nwatches++];
	w->path = xstrdup(path);
	w->token = xstrdup(token);
	w->relative = relative;
	c->gen++;
	return 0;
}
