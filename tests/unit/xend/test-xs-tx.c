/*
 * test-xs-tx.c: xenstore transactions (xs_txn.c through xs_conn.c),
 * driven with raw struct xsd_sockmsg bytes as a guest sends them:
 * isolation, reading one's own writes, commit, EAGAIN on a conflict with
 * nothing applied, abort, watches firing only at commit, removing a
 * directory inside a transaction, quotas inside one, the saved store
 * holding only committed changes, and a connection going away with
 * transactions open.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "public/io/xs_wire.h"
#include "xs.h"
#include "xs-reply.h"

static uint32_t next_req = 1;

/* Send a request in transaction tx (0: none) and return the reply's
 * first string, or "ERR:NAME" for an XS_ERROR. */
static const char *
ask(struct xs_conn *c, uint32_t tx, uint32_t type, const char *payload,
    size_t plen)
{
	static struct reply r;
	static char text[XENSTORE_PAYLOAD_MAX + 8];
	struct xsd_sockmsg h = { type, next_req++, tx, (uint32_t)plen };
	char buf[sizeof h + 8192];

	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, payload, plen);
	if (xs_conn_input(c, buf, sizeof h + plen) != 0)
		return "DROPPED";
	if (!next_msg(c, &r))
		return "NOREPLY";
	if (r.type == XS_ERROR) {
		snprintf(text, sizeof text, "ERR:%s", r.body);
		return text;
	}
	if (r.type != type)
		return "WRONGTYPE";
	memcpy(text, r.body, r.len + 1);
	return text;
}

#define ASK(c, tx, t, lit) ask((c), (tx), (t), (lit), sizeof(lit) - 1)

static uint32_t
start(struct xs_conn *c)
{
	return (uint32_t)atoi(ASK(c, 0, XS_TRANSACTION_START, "\0"));
}

#define COMMIT(c, tx)	ASK((c), (tx), XS_TRANSACTION_END, "T\0")
#define ABORT(c, tx)	ASK((c), (tx), XS_TRANSACTION_END, "F\0")

/* How many watch events are queued for c; drains them. */
static int
events(struct xs_conn *c)
{
	struct reply r;
	int n = 0;

	while (next_msg(c, &r))
		if (r.type == XS_WATCH_EVENT)
			n++;
	return n;
}

/* Does the DIRECTORY reply body (len bytes) list name? */
static int
lists(const char *body, size_t len, const char *name)
{
	size_t off;

	for (off = 0; off < len; off += strlen(body + off) + 1)
		if (strcmp(body + off, name) == 0)
			return 1;
	return 0;
}

/* A directory listing in transaction tx; *has says whether it names. */
static int
dir_has(struct xs_conn *c, uint32_t tx, const char *path, const char *name)
{
	struct xsd_sockmsg h = { XS_DIRECTORY, next_req++, tx, 0 };
	char buf[sizeof h + 256];
	struct reply r;
	size_t n = strlen(path) + 1;

	h.len = (uint32_t)n;
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, path, n);
	xs_conn_input(c, buf, sizeof h + n);
	return next_msg(c, &r) && r.type == XS_DIRECTORY &&
	    lists(r.body, r.len, name);
}

static int
stored(struct xs_store *s, const char *path)
{
	return xs_tree_exists(s, path);
}

static void
isolation_and_commit(struct xs_store *s, struct xs_conn *c,
    struct xs_conn *o, struct xs_conn *w)
{
	uint32_t t;

	ASK(w, 0, XS_WATCH, "/local/domain/5/data\0wd\0");
	events(w);
	t = start(c);
	CHECK("tx: start gives an id", t > 0);
	CHECK_STR("tx: write inside", ASK(c, t, XS_WRITE, "data/a\0one"),
	    "OK");
	CHECK_STR("tx: reads its own write", ASK(c, t, XS_READ, "data/a\0"),
	    "one");
	CHECK("tx: lists its own new node", dir_has(c, t, "data", "a"));
	CHECK_STR("tx: another connection does not see it", ASK(o, 0,
	    XS_READ, "data/a\0"), "ERR:ENOENT");
	CHECK_STR("tx: nor does the same one outside the tx", ASK(c, 0,
	    XS_READ, "data/a\0"), "ERR:ENOENT");
	CHECK("tx: the store does not have it", !stored(s,
	    "/local/domain/5/data/a"));
	CHECK("tx: no watch event before commit", events(w) == 0);
	CHECK_STR("tx: commit", COMMIT(c, t), "OK");
	CHECK_STR("tx: committed write visible", ASK(o, 0, XS_READ,
	    "data/a\0"), "one");
	CHECK("tx: one watch event at commit", events(w) == 1);
	CHECK_STR("tx: an ended tx is gone", ASK(c, t, XS_READ, "data/a\0"),
	    "ERR:ENOENT");
	CHECK_STR("tx: an unknown tx id is ENOENT", ASK(c, 4242, XS_WRITE,
	    "data/a\0x"), "ERR:ENOENT");

	t = start(c);
	CHECK_STR("tx: mkdir inside", ASK(c, t, XS_MKDIR, "data/d\0"), "OK");
	CHECK_STR("tx: get_perms sees it inside", ASK(c, t, XS_GET_PERMS,
	    "data/d\0"), "n5");
	CHECK_STR("tx: not outside", ASK(c, 0, XS_GET_PERMS, "data/d\0"),
	    "ERR:ENOENT");
	CHECK_STR("tx: writing outside the home is EACCES inside too",
	    ASK(c, t, XS_WRITE, "/tool/x\0y"), "ERR:EACCES");
	CHECK_STR("tx: abort", ABORT(c, t), "OK");
	CHECK("tx: abort applies nothing", !stored(s,
	    "/local/domain/5/data/d"));
	CHECK("tx: abort fires nothing", events(w) == 0);
}

static void
conflicts(struct xs_store *s, struct xs_conn *c, struct xs_conn *o,
    struct xs_conn *w)
{
	uint32_t t, u;

	t = start(c);
	CHECK_STR("tx conflict: read a", ASK(c, t, XS_READ, "data/a\0"),
	    "one");
	CHECK_STR("tx conflict: write b", ASK(c, t, XS_WRITE, "data/b\0bee"),
	    "OK");
	CHECK_STR("tx conflict: someone else writes a", ASK(o, 0, XS_WRITE,
	    "data/a\0two"), "OK");
	events(w);
	CHECK_STR("tx conflict: commit is EAGAIN", COMMIT(c, t),
	    "ERR:EAGAIN");
	CHECK("tx conflict: nothing applied", !stored(s,
	    "/local/domain/5/data/b"));
	CHECK("tx conflict: no event", events(w) == 0);

	/* Two transactions writing one node: the first commit wins. */
	t = start(c);
	u = start(o);
	ASK(c, t, XS_WRITE, "data/k\0first");
	ASK(o, u, XS_WRITE, "data/k\0second");
	CHECK_STR("tx conflict: first writer commits", COMMIT(c, t), "OK");
	CHECK_STR("tx conflict: second writer EAGAIN", COMMIT(o, u),
	    "ERR:EAGAIN");
	CHECK_STR("tx conflict: the first's value stands", ASK(o, 0, XS_READ,
	    "data/k\0"), "first");

	/* A listing depends on the children: one added meanwhile. */
	t = start(c);
	CHECK("tx conflict: list data", dir_has(c, t, "data", "k"));
	ASK(o, 0, XS_WRITE, "data/new\0n");
	ASK(c, t, XS_WRITE, "data/sum\03");
	CHECK_STR("tx conflict: a child added under a listed dir",
	    COMMIT(c, t), "ERR:EAGAIN");
	CHECK("tx conflict: its write not applied", !stored(s,
	    "/local/domain/5/data/sum"));

	/* The store as it was at the start: a node changed after it, read
	 * for the first time, cannot be committed against. */
	t = start(c);
	ASK(o, 0, XS_WRITE, "data/k\0late");
	CHECK_STR("tx snapshot: read after a change since start",
	    ASK(c, t, XS_READ, "data/k\0"), "late");
	CHECK_STR("tx snapshot: so the commit is EAGAIN", COMMIT(c, t),
	    "ERR:EAGAIN");
	/* A node removed since the start. */
	t = start(c);
	ASK(o, 0, XS_RM, "data/new\0");
	CHECK_STR("tx snapshot: a node removed since start is missing",
	    ASK(c, t, XS_READ, "data/new\0"), "ERR:ENOENT");
	ASK(c, t, XS_WRITE, "data/new2\0x");
	CHECK_STR("tx snapshot: and the commit is EAGAIN", COMMIT(c, t),
	    "ERR:EAGAIN");
	/* Unrelated changes elsewhere do not conflict. */
	t = start(c);
	ASK(c, t, XS_READ, "data/k\0");
	ASK(o, 0, XS_WRITE, "control/other\0x");
	ASK(c, t, XS_WRITE, "data/k\0mine");
	CHECK_STR("tx: an unrelated change does not conflict", COMMIT(c, t),
	    "OK");
	CHECK_STR("tx: and it applied", ASK(o, 0, XS_READ, "data/k\0"),
	    "mine");
	events(w);
}

static void
remove_inside(struct xs_store *s, struct xs_conn *c, struct xs_conn *o,
    struct xs_conn *w)
{
	uint32_t t;

	ASK(c, 0, XS_WRITE, "data/sub/x\0x");
	ASK(c, 0, XS_WRITE, "data/sub/y\0y");
	events(w);
	t = start(c);
	CHECK_STR("tx rm: rm a dir inside", ASK(c, t, XS_RM, "data/sub\0"),
	    "OK");
	CHECK_STR("tx rm: its child is gone inside", ASK(c, t, XS_READ,
	    "data/sub/x\0"), "ERR:ENOENT");
	CHECK("tx rm: not listed inside", !dir_has(c, t, "data", "sub"));
	CHECK_STR("tx rm: still there outside", ASK(o, 0, XS_READ,
	    "data/sub/y\0"), "y");
	CHECK_STR("tx rm: write below it again inside", ASK(c, t, XS_WRITE,
	    "data/sub/z\0z"), "OK");
	CHECK("tx rm: the new child is listed", dir_has(c, t, "data/sub",
	    "z"));
	CHECK("tx rm: the old one is not", !dir_has(c, t, "data/sub", "x"));
	CHECK("tx rm: no event before commit", events(w) == 0);
	CHECK_STR("tx rm: commit", COMMIT(c, t), "OK");
	CHECK("tx rm: old children gone", !stored(s,
	    "/local/domain/5/data/sub/x") && !stored(s,
	    "/local/domain/5/data/sub/y"));
	CHECK_STR("tx rm: the new one is there", ASK(o, 0, XS_READ,
	    "data/sub/z\0"), "z");
	CHECK("tx rm: events for the removal and the write", events(w) == 2);

	t = start(c);
	CHECK_STR("tx rm: rm of a missing child of a node", ASK(c, t, XS_RM,
	    "data/nothere\0"), "OK");
	CHECK_STR("tx rm: rm under a missing parent", ASK(c, t, XS_RM,
	    "nothere/x\0"), "ERR:ENOENT");
	ABORT(c, t);
}

/* A guest filling its quotas inside transactions: ENOSPC, nothing in
 * the store, and its transactions' own size bounded too. */
static void
quotas(void)
{
	struct xs_quota q = { 20, 64, 4, 3, 100000, 5 };
	struct xs_store *s;
	struct xs_conn *c;
	unsigned nodes, before;
	size_t bytes;
	const char *e = "";
	char buf[64];
	uint32_t t, u;
	int i, n;

	xs_quota_set_default(&q);
	s = xs_store_new();
	c = xs_conn_new(s, 7);
	xs_domain_introduce(s, 7, "flood", 65536);
	xs_store_usage(s, 7, &before, &bytes);
	t = start(c);
	for (i = 0; i < 100; i++) {
		n = snprintf(buf, sizeof buf, "data/n%d", i);
		if (strcmp(e = ask(c, t, XS_WRITE, buf, (size_t)n + 1), "OK")
		    != 0)
			break;
	}
	CHECK_STR("tx quota: node flood inside a tx stops with ENOSPC", e,
	    "ERR:ENOSPC");
	CHECK("tx quota: at the node quota", i > 5 && i < 20);
	xs_store_usage(s, 7, &nodes, &bytes);
	CHECK("tx quota: the store has none of them", nodes == before &&
	    !stored(s, "/local/domain/7/data"));
	CHECK_STR("tx quota: the tx still commits what fit", COMMIT(c, t),
	    "OK");
	CHECK("tx quota: and they are in", stored(s, "/local/domain/7/data/n0"));
	ASK(c, 0, XS_RM, "data\0");

	/* Two transactions, each within the quota, together past it: the
	 * second commit is ENOSPC and applies nothing.  (Their parents are
	 * made first: two transactions adding children to one parent
	 * conflict, EAGAIN.) */
	ASK(c, 0, XS_MKDIR, "a\0");
	ASK(c, 0, XS_MKDIR, "b\0");
	t = start(c);
	u = start(c);
	for (i = 0; i < 8; i++) {
		n = snprintf(buf, sizeof buf, "a/n%d", i);
		ask(c, t, XS_WRITE, buf, (size_t)n + 1);
		n = snprintf(buf, sizeof buf, "b/n%d", i);
		ask(c, u, XS_WRITE, buf, (size_t)n + 1);
	}
	CHECK_STR("tx quota: the first commits", COMMIT(c, t), "OK");
	CHECK_STR("tx quota: the second is past the quota at commit",
	    COMMIT(c, u), "ERR:ENOSPC");
	CHECK("tx quota: and applied nothing", !stored(s,
	    "/local/domain/7/b/n0"));
	ASK(c, 0, XS_RM, "a\0");
	ASK(c, 0, XS_RM, "b\0");

	CHECK_STR("tx quota: a value past value_size", ask(c, start(c),
	    XS_WRITE, "v\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa", 2 + 68), "ERR:ENOSPC");

	/* Reading many missing nodes: each is remembered, so the tx's own
	 * size is bounded by the node quota too. */
	t = start(c);
	for (i = 0; i < 100; i++) {
		n = snprintf(buf, sizeof buf, "r%d", i);
		if (strcmp(e = ask(c, t, XS_READ, buf, (size_t)n + 1),
		    "ERR:ENOENT") != 0)
			break;
	}
	CHECK_STR("tx quota: a read flood inside a tx stops with ENOSPC", e,
	    "ERR:ENOSPC");
	CHECK("tx quota: after about the node quota", i > 10 && i <= 20);
	CHECK_STR("tx quota: outside the tx the guest is served", ASK(c, 0,
	    XS_READ, "name\0"), "flood");
	CHECK("tx quota: a third transaction may start", start(c) > 0);
	CHECK_STR("tx quota: the transaction quota still holds", ASK(c, 0,
	    XS_TRANSACTION_START, "\0"), "ERR:ENOSPC");
	xs_store_free(s);
	q = (struct xs_quota)XS_QUOTA_DEFAULT;
	xs_quota_set_default(&q);
}

/* The saved store (xs_persist.c) holds only committed changes: an open
 * transaction does not move the home's counter the transport saves on,
 * and a save made meanwhile does not hold its write. */
static void
persisted(struct xs_store *s, struct xs_conn *c)
{
	char path[] = "/tmp/test-xs-tx-persist.XXXXXX";
	struct xs_store *s2 = xs_store_new();
	unsigned long gen = xs_store_home_gen(s, 5);
	uint32_t t = start(c);
	int fd = mkstemp(path);

	close(fd);
	ASK(c, t, XS_WRITE, "data/unsaved\0x");
	CHECK("tx persist: an open write does not move the home's counter",
	    xs_store_home_gen(s, 5) == gen);
	xs_persist_save(s, NULL, 5, path);
	CHECK("tx persist: a save meanwhile does not hold it",
	    xs_persist_load(s2, NULL, path) == 0 && xs_tree_exists(s2,
	    "/local/domain/5/name") && !xs_tree_exists(s2,
	    "/local/domain/5/data/unsaved"));
	CHECK_STR("tx persist: commit", COMMIT(c, t), "OK");
	CHECK("tx persist: the commit moves it", xs_store_home_gen(s, 5) !=
	    gen);
	unlink(path);
	xs_store_free(s2);
}

/* A connection that goes away with a transaction open: an abort. */
static void
close_aborts(struct xs_store *s, struct xs_conn *w)
{
	struct xs_conn *c = xs_conn_new(s, 5);
	uint32_t t = start(c);

	events(w);
	ASK(c, t, XS_WRITE, "data/gone\0x");
	ASK(c, t, XS_RM, "data/k\0");
	xs_conn_free(c);
	CHECK("tx close: the write is not applied", !stored(s,
	    "/local/domain/5/data/gone"));
	CHECK("tx close: the rm is not applied", stored(s,
	    "/local/domain/5/data/k"));
	CHECK("tx close: no events", events(w) == 0);
}

int
main(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *c = xs_conn_new(s, 5), *o = xs_conn_new(s, 5);
	struct xs_conn *w = xs_conn_new(s, 0);

	xs_domain_introduce(s, 5, "guest", 65536);
	isolation_and_commit(s, c, o, w);
	conflicts(s, c, o, w);
	remove_inside(s, c, o, w);
	persisted(s, c);
	close_aborts(s, w);
	xs_store_free(s);
	quotas();
	return check_exit();
}
