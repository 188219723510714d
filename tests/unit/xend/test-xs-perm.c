/*
 * test-xs-perm.c: xenstore permissions (xs_perms.c, xs_tree.c, xs_txn.c)
 * driven with raw struct xsd_sockmsg bytes as guests send them: owner
 * and domain 0 rights, per-domain r/w/b/n entries, inheritance on
 * create, GET_PERMS in wire form, SET_PERMS refused to non-owners and
 * for malformed or oversized lists, lists inside transactions, watch
 * events filtered by read right, @introduceDomain / @releaseDomain, the
 * lists xend sets for a domain's home, lists kept across a save and load,
 * and hostile guests reaching for other domains' nodes.
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

/*
 * Send a request in transaction tx (0: none); the reply's strings joined
 * by spaces (so GET_PERMS's "n5\0r0\0" reads "n5 r0"), or "ERR:NAME".
 */
static const char *
ask(struct xs_conn *c, uint32_t tx, uint32_t type, const char *payload,
    size_t plen)
{
	static struct reply r;
	static char text[XENSTORE_PAYLOAD_MAX + 8];
	struct xsd_sockmsg h = { type, next_req++, tx, (uint32_t)plen };
	char buf[sizeof h + 8192];
	size_t i, n;

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
	n = r.len > 0 && r.body[r.len - 1] == '\0' ? r.len - 1 : r.len;
	for (i = 0; i < n; i++)
		text[i] = r.body[i] == '\0' ? ' ' : r.body[i];
	text[n] = '\0';
	return text;
}

#define ASK(c, t, lit)		ask((c), 0, (t), (lit), sizeof(lit) - 1)
#define TASK(c, tx, t, lit)	ask((c), (tx), (t), (lit), sizeof(lit) - 1)

/* Set a list as domain 0, from text ("n5 r0"). */
static int
setp(struct xs_store *s, const char *path, const char *text)
{
	char wire[128];
	size_t n = xs_perms_from_text(text, wire, sizeof wire);

	return xs_tree_set_perms(s, 0, path, wire, n);
}

/* A node's list as text, read as domain 0. */
static const char *
getp(struct xs_store *s, const char *path)
{
	static char text[256];
	const char *p;
	size_t len, i;

	if (xs_tree_get_perms(s, 0, path, &p, &len) != 0 || len == 0 ||
	    len >= sizeof text)
		return "?";
	for (i = 0; i + 1 < len; i++)
		text[i] = p[i] == '\0' ? ' ' : p[i];
	text[len - 1] = '\0';
	return text;
}

/* How many watch events are queued for c, and was one for path? */
static int
events(struct xs_conn *c, const char *path, int *seen)
{
	struct reply r;
	int n = 0;

	*seen = 0;
	while (next_msg(c, &r))
		if (r.type == XS_WATCH_EVENT) {
			n++;
			if (path != NULL && strcmp(r.body, path) == 0)
				*seen = 1;
		}
	return n;
}

static void
rights(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *a = xs_conn_new(s, 5), *b = xs_conn_new(s, 6),
	    *z = xs_conn_new(s, 7), *d0 = xs_conn_new(s, 0);

	xs_tree_write(s, 0, "/t/node", "v", 1);
	CHECK_STR("perm: the root and what dom0 makes are dom0's, none for "
	    "others", getp(s, "/t/node"), "n0");
	CHECK_STR("perm: a guest cannot read dom0's node", ASK(a, XS_READ,
	    "/t/node\0"), "ERR:EACCES");
	CHECK_STR("perm: nor write it", ASK(a, XS_WRITE, "/t/node\0x"),
	    "ERR:EACCES");
	CHECK_STR("perm: nor list its parent", ASK(a, XS_DIRECTORY,
	    "/t\0"), "ERR:EACCES");
	CHECK_STR("perm: a missing node under an unreadable one is EACCES "
	    "(existence does not leak)", ASK(a, XS_READ, "/t/nope\0"),
	    "ERR:EACCES");

	/* Owner 5, others read, 6 none, 7 both. */
	CHECK("perm: dom0 sets a list", setp(s, "/t/node", "r5 n6 b7") == 0);
	CHECK_STR("perm: GET_PERMS answers the list in wire form",
	    ASK(d0, XS_GET_PERMS, "/t/node\0"), "r5 n6 b7");
	CHECK_STR("perm: the owner reads", ASK(a, XS_READ, "/t/node\0"),
	    "v");
	CHECK_STR("perm: and writes", ASK(a, XS_WRITE, "/t/node\0w5"),
	    "OK");
	CHECK_STR("perm: an n entry takes even the default read away",
	    ASK(b, XS_READ, "/t/node\0"), "ERR:EACCES");
	CHECK_STR("perm: b lets 7 read", ASK(z, XS_READ, "/t/node\0"), "w5");
	CHECK_STR("perm: and write", ASK(z, XS_WRITE, "/t/node\0w7"), "OK");
	CHECK_STR("perm: but not change the list (not the owner)",
	    ASK(z, XS_SET_PERMS, "/t/node\0b7\0"), "ERR:EACCES");
	CHECK("perm: which is unchanged", strcmp(getp(s, "/t/node"),
	    "r5 n6 b7") == 0);
	CHECK_STR("perm: dom0 reads whatever the list says", ASK(d0,
	    XS_READ, "/t/node\0"), "w7");
	CHECK("perm: another list", setp(s, "/t/node", "n5 r6 w7") == 0);
	CHECK_STR("perm: r lets 6 read", ASK(b, XS_READ, "/t/node\0"), "w7");
	CHECK_STR("perm: not write", ASK(b, XS_WRITE, "/t/node\0x"),
	    "ERR:EACCES");
	CHECK_STR("perm: w lets 7 write", ASK(z, XS_WRITE, "/t/node\0z"),
	    "OK");
	CHECK_STR("perm: not read", ASK(z, XS_READ, "/t/node\0"),
	    "ERR:EACCES");
	CHECK_STR("perm: nor GET_PERMS (a read)", ASK(z, XS_GET_PERMS,
	    "/t/node\0"), "ERR:EACCES");
	CHECK_STR("perm: rm needs write on the node", ASK(b, XS_RM,
	    "/t/node\0"), "ERR:EACCES");
	CHECK("perm: the refused rm removed nothing",
	    xs_tree_exists(s, "/t/node"));

	/* Inheritance. */
	CHECK("perm: a dir 6 may write", xs_tree_mkdir(s, 0, "/u") == 0 &&
	    setp(s, "/u", "n0 b6") == 0);
	CHECK_STR("perm: 6 makes a node there", ASK(b, XS_WRITE,
	    "/u/a/b\0x"), "OK");
	CHECK_STR("perm: an unprivileged creator owns what it makes, the "
	    "rest of the list inherited", getp(s, "/u/a/b"), "n6 b6");
	CHECK_STR("perm: missing parents too", getp(s, "/u/a"), "n6 b6");
	CHECK("perm: dom0 makes one", xs_tree_write(s, 0, "/u/c", "", 0) ==
	    0);
	CHECK_STR("perm: dom0's new node copies its parent's list",
	    getp(s, "/u/c"), "n0 b6");
	CHECK_STR("perm: 5 cannot create under a dir it cannot write",
	    ASK(a, XS_WRITE, "/u/d\0x"), "ERR:EACCES");
	CHECK("perm: nothing was made", !xs_tree_exists(s, "/u/d"));
	CHECK_STR("perm: a write keeps the node's list", ASK(b, XS_WRITE,
	    "/u/c\0new"), "OK");
	CHECK_STR("perm: (still dom0's)", getp(s, "/u/c"), "n0 b6");

	/* SET_PERMS. */
	CHECK_STR("perm: the owner sets a list", ASK(b, XS_SET_PERMS,
	    "/u/a\0n6\0r5\0"), "OK");
	CHECK_STR("perm: which then holds", ASK(a, XS_READ, "/u/a\0"), "");
	CHECK_STR("perm: leading zeros are made canonical", ASK(b,
	    XS_SET_PERMS, "/u/a\0n06\0r005\0"), "OK");
	CHECK_STR("perm: (canonical)", getp(s, "/u/a"), "n6 r5");
	CHECK_STR("perm: a non-owner's SET_PERMS is EACCES", ASK(a,
	    XS_SET_PERMS, "/u/a\0n6\0b5\0"), "ERR:EACCES");
	CHECK_STR("perm: the owner cannot give the node away (xenstored's "
	    "EPERM, EACCES here)", ASK(b, XS_SET_PERMS, "/u/a\0n5\0"),
	    "ERR:EACCES");
	CHECK_STR("perm: dom0 can", ASK(d0, XS_SET_PERMS, "/u/a\0n5\0"),
	    "OK");
	CHECK_STR("perm: SET_PERMS of a missing node", ASK(d0, XS_SET_PERMS,
	    "/u/zz\0n0\0"), "ERR:ENOENT");
	CHECK_STR("perm: malformed: no list", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: bad letter", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0x6\0"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: no domain", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0n\0"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: junk after the id", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0n6x\0"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: an empty entry", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0n6\0\0"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: not NUL-terminated", ASK(b,
	    XS_SET_PERMS, "/u/a/b\0n6\0r5"), "ERR:EINVAL");
	CHECK_STR("perm: malformed: a reserved domain id", ASK(b,
	    XS_SET_PERMS, "/u/a/b\0n6\0r32753\0"), "ERR:EINVAL");
	CHECK_STR("perm: more entries than the quota (5) is ENOSPC", ASK(b,
	    XS_SET_PERMS, "/u/a/b\0n6\0r1\0r2\0r3\0r4\0r5\0"), "ERR:ENOSPC");
	CHECK_STR("perm: the refused lists changed nothing", getp(s,
	    "/u/a/b"), "n6 b6");
	CHECK_STR("perm: up to the quota is fine", ASK(b, XS_SET_PERMS,
	    "/u/a/b\0n6\0r1\0r2\0r3\0r4\0"), "OK");

	xs_conn_free(a);
	xs_conn_free(b);
	xs_conn_free(z);
	xs_conn_free(d0);
	xs_store_free(s);
}

/* The home xend makes, and a hostile guest reaching out of it. */
static void
homes(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *a = xs_conn_new(s, 5), *b = xs_conn_new(s, 6);
	const char *v;
	size_t len;
	int seen;

	xs_domain_introduce(s, 5, "five", 1024);
	xs_domain_introduce(s, 6, "six", 1024);
	CHECK_STR("perm: a home is its guest's", getp(s, "/local/domain/5"),
	    "n5");
	CHECK_STR("perm: name is dom0's, readable by the guest (as xl)",
	    getp(s, "/local/domain/5/name"), "n0 r5");
	CHECK_STR("perm: memory/target too", getp(s,
	    "/local/domain/5/memory/target"), "n0 r5");
	CHECK_STR("perm: device too", getp(s, "/local/domain/5/device"),
	    "n0 r5");
	CHECK_STR("perm: cpu too", getp(s, "/local/domain/5/cpu"), "n0 r5");
	CHECK_STR("perm: control is the guest's", getp(s,
	    "/local/domain/5/control"), "n5");
	CHECK_STR("perm: the guest reads its name", ASK(a, XS_READ,
	    "name\0"), "five");
	CHECK_STR("perm: cannot rename itself", ASK(a, XS_WRITE,
	    "name\0evil"), "ERR:EACCES");
	CHECK_STR("perm: nor set its own balloon target", ASK(a, XS_WRITE,
	    "memory/target\0" "99999999"), "ERR:EACCES");
	CHECK_STR("perm: nor make devices for itself", ASK(a, XS_MKDIR,
	    "device/vbd\0"), "ERR:EACCES");
	CHECK_STR("perm: writes freely elsewhere in its home", ASK(a,
	    XS_WRITE, "data/x\0y"), "OK");
	CHECK("perm: dom0 asks for a shutdown", xs_tree_write(s, 0,
	    "/local/domain/5/control/shutdown", "poweroff", 8) == 0);
	CHECK_STR("perm: the guest clears control/shutdown (as xl's rwperm)",
	    ASK(a, XS_WRITE, "control/shutdown\0"), "OK");

	/* The device dirs as xend makes them (xs_ring_device_dirs). */
	xs_tree_mkdir(s, 0, "/local/domain/5/device/vbd/768");
	setp(s, "/local/domain/5/device/vbd/768", "n5 r0");
	xs_tree_mkdir(s, 0, "/local/domain/0/backend/vbd/5/768");
	setp(s, "/local/domain/0/backend/vbd/5/768", "n0 r5");
	xs_tree_write(s, 0, "/local/domain/5/device/vbd/768/state", "1", 1);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/5/768/state", "2",
	    1);
	CHECK_STR("perm: the frontend writes its state", ASK(a, XS_WRITE,
	    "device/vbd/768/state\0" "3"), "OK");
	CHECK_STR("perm: and reads its backend's", ASK(a, XS_READ,
	    "/local/domain/0/backend/vbd/5/768/state\0"), "2");

	/* Hostile: domain 6 reads 5's home, 5 writes its backend. */
	CHECK_STR("perm: hostile: 6 reads 5's home", ASK(b, XS_READ,
	    "/local/domain/5/data/x\0"), "ERR:EACCES");
	CHECK_STR("perm: hostile: 6 lists 5's home", ASK(b, XS_DIRECTORY,
	    "/local/domain/5\0"), "ERR:EACCES");
	CHECK_STR("perm: hostile: 6 writes 5's frontend", ASK(b, XS_WRITE,
	    "/local/domain/5/device/vbd/768/state\0" "6"), "ERR:EACCES");
	CHECK_STR("perm: hostile: 6 reads 5's backend", ASK(b, XS_READ,
	    "/local/domain/0/backend/vbd/5/768/state\0"), "ERR:EACCES");
	CHECK_STR("perm: hostile: 5 writes its backend's state", ASK(a,
	    XS_WRITE, "/local/domain/0/backend/vbd/5/768/state\0" "5"),
	    "ERR:EACCES");
	CHECK_STR("perm: hostile: 5 adds a node to its backend", ASK(a,
	    XS_WRITE, "/local/domain/0/backend/vbd/5/768/params\0/etc"),
	    "ERR:EACCES");
	CHECK_STR("perm: hostile: 5 removes its backend", ASK(a, XS_RM,
	    "/local/domain/0/backend/vbd/5/768\0"), "ERR:EACCES");
	CHECK_STR("perm: hostile: 5 re-lists its backend", ASK(a,
	    XS_SET_PERMS, "/local/domain/0/backend/vbd/5/768\0n0\0b5\0"),
	    "ERR:EACCES");
	CHECK("perm: hostile: nothing changed", xs_tree_read(s, 0,
	    "/local/domain/0/backend/vbd/5/768/state", &v, &len) == 0 &&
	    len == 1 && v[0] == '2' && !xs_tree_exists(s,
	    "/local/domain/0/backend/vbd/5/768/params") && strcmp(getp(s,
	    "/local/domain/0/backend/vbd/5/768"), "n0 r5") == 0 &&
	    xs_tree_read(s, 0, "/local/domain/5/data/x", &v, &len) == 0 &&
	    len == 1 && v[0] == 'y');
	CHECK_STR("perm: 6 may still use its own home", ASK(b, XS_WRITE,
	    "data/q\0ok"), "OK");

	/* Watches: 6 watches 5's home and the backends; it hears nothing
	 * of what it may not read, 5 hears of its own. */
	CHECK_STR("perm: 6 may register a watch on 5's home", ASK(b,
	    XS_WATCH, "/local/domain/5\0spy\0"), "OK");
	CHECK_STR("perm: 5 watches its backend", ASK(a, XS_WATCH,
	    "/local/domain/0/backend/vbd/5/768/state\0be\0"), "OK");
	events(a, NULL, &seen);
	events(b, NULL, &seen);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/5/768/state", "4",
	    1);
	CHECK("perm: 5 hears of its backend's change", events(a,
	    "/local/domain/0/backend/vbd/5/768/state", &seen) == 1 && seen);
	ASK(a, XS_WRITE, "data/x\0z");
	CHECK("perm: 6 hears nothing of 5's writes", events(b, NULL, &seen)
	    == 0);
	xs_tree_write(s, 0, "/local/domain/5/data/x", "w", 1);
	CHECK("perm: nor of dom0's writes there", events(b, NULL, &seen) ==
	    0);
	setp(s, "/local/domain/5/data/x", "n5 r6");
	events(b, NULL, &seen);
	ASK(a, XS_WRITE, "data/x\0r");
	CHECK("perm: once 6 may read the node, it hears of it", events(b,
	    "/local/domain/5/data/x", &seen) == 1 && seen);
	ASK(a, XS_RM, "data/x\0");
	CHECK("perm: and of its removal (the removed node's list decides)",
	    events(b, "/local/domain/5/data/x", &seen) == 1 && seen);
	ASK(a, XS_WRITE, "data/y\0s");
	ASK(a, XS_RM, "data/y\0");
	CHECK("perm: not of a node it could not read, removed", events(b,
	    NULL, &seen) == 0);
	xs_conn_free(a);
	xs_conn_free(b);
	xs_store_free(s);
}

/* @introduceDomain and @releaseDomain, to domain 0's watchers only. */
static void
domain_events(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *d0 = xs_conn_new(s, 0), *g = xs_conn_new(s, 5);
	int seen;

	CHECK_STR("perm: dom0 watches @introduceDomain", ASK(d0, XS_WATCH,
	    "@introduceDomain\0i\0"), "OK");
	CHECK("perm: which fires once at registration", events(d0,
	    "@introduceDomain", &seen) == 1 && seen);
	CHECK_STR("perm: and @releaseDomain", ASK(d0, XS_WATCH,
	    "@releaseDomain\0r\0"), "OK");
	CHECK("perm: (once)", events(d0, "@releaseDomain", &seen) == 1 &&
	    seen);
	CHECK_STR("perm: a guest may register one", ASK(g, XS_WATCH,
	    "@releaseDomain\0r\0"), "OK");
	CHECK("perm: (its first event too)", events(g, "@releaseDomain",
	    &seen) == 1 && seen);
	xs_domain_introduce(s, 9, "nine", 1024);
	CHECK("perm: introducing a domain fires @introduceDomain, only "
	    "that", events(d0, "@introduceDomain", &seen) == 1 && seen);
	xs_domain_forget(s, 9);
	CHECK("perm: releasing it fires @releaseDomain", events(d0,
	    "@releaseDomain", &seen) == 1 && seen);
	CHECK("perm: a guest's watch on it hears nothing (dom0's events)",
	    events(g, NULL, &seen) == 0);
	xs_conn_free(d0);
	xs_conn_free(g);
	xs_store_free(s);
}

/* Lists inside transactions. */
static void
transactions(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *a = xs_conn_new(s, 5), *b = xs_conn_new(s, 6);
	uint32_t t;
	int seen;

	xs_domain_introduce(s, 5, "five", 1024);
	xs_tree_write(s, 0, "/local/domain/5/data/x", "v", 1);
	CHECK("perm: (5 owns data/x)", strcmp(getp(s,
	    "/local/domain/5/data/x"), "n5") == 0);
	t = (uint32_t)atoi(ASK(a, XS_TRANSACTION_START, "\0"));
	CHECK_STR("perm: SET_PERMS inside a transaction", TASK(a, t,
	    XS_SET_PERMS, "/local/domain/5/data/x\0n5\0r6\0"), "OK");
	CHECK_STR("perm: the transaction sees its list", TASK(a, t,
	    XS_GET_PERMS, "/local/domain/5/data/x\0"), "n5 r6");
	CHECK_STR("perm: the store does not yet", getp(s,
	    "/local/domain/5/data/x"), "n5");
	CHECK_STR("perm: so 6 still cannot read", ASK(b, XS_READ,
	    "/local/domain/5/data/x\0"), "ERR:EACCES");
	CHECK_STR("perm: a new node inside inherits the transaction's "
	    "view", TASK(a, t, XS_WRITE, "/local/domain/5/data/x/k\0kv"),
	    "OK");
	CHECK_STR("perm: (its list)", TASK(a, t, XS_GET_PERMS,
	    "/local/domain/5/data/x/k\0"), "n5 r6");
	CHECK_STR("perm: commit", TASK(a, t, XS_TRANSACTION_END, "T\0"),
	    "OK");
	CHECK_STR("perm: after the commit 6 reads", ASK(b, XS_READ,
	    "/local/domain/5/data/x\0"), "v");
	CHECK_STR("perm: and the node made inside", ASK(b, XS_READ,
	    "/local/domain/5/data/x/k\0"), "kv");

	t = (uint32_t)atoi(ASK(b, XS_TRANSACTION_START, "\0"));
	CHECK_STR("perm: a denied write inside a transaction is EACCES",
	    TASK(b, t, XS_WRITE, "/local/domain/5/data/x\0evil"),
	    "ERR:EACCES");
	CHECK_STR("perm: a read outside the home is judged by the list "
	    "there", TASK(b, t, XS_READ, "/local/domain/5/data/x\0"), "v");
	CHECK_STR("perm: a denied SET_PERMS inside one", TASK(b, t,
	    XS_SET_PERMS, "/local/domain/5/data/x\0n5\0b6\0"), "ERR:EACCES");
	CHECK_STR("perm: a denied rm inside one", TASK(b, t, XS_RM,
	    "/local/domain/5/data/x\0"), "ERR:EACCES");
	CHECK_STR("perm: malformed list inside one", TASK(a, 0,
	    XS_SET_PERMS, "/local/domain/5/data/x\0q\0"), "ERR:EINVAL");
	CHECK_STR("perm: its commit applies nothing (OK: nothing changed)",
	    TASK(b, t, XS_TRANSACTION_END, "T\0"), "OK");
	CHECK_STR("perm: (the node as it was)", ASK(a, XS_READ,
	    "data/x\0"), "v");

	/* A right taken away after the transaction used it. */
	t = (uint32_t)atoi(ASK(b, XS_TRANSACTION_START, "\0"));
	CHECK_STR("perm: 6 reads in a transaction", TASK(b, t, XS_READ,
	    "/local/domain/5/data/x\0"), "v");
	CHECK_STR("perm: 5 takes the right away", ASK(a, XS_SET_PERMS,
	    "data/x\0n5\0"), "OK");
	CHECK_STR("perm: the transaction's commit is EAGAIN", TASK(b, t,
	    XS_TRANSACTION_END, "T\0"), "ERR:EAGAIN");

	/* Watches at commit follow the lists. */
	ASK(b, XS_WATCH, "/local/domain/5/data\0w\0");
	events(b, NULL, &seen);
	t = (uint32_t)atoi(ASK(a, XS_TRANSACTION_START, "\0"));
	TASK(a, t, XS_WRITE, "/local/domain/5/data/x\0new");
	TASK(a, t, XS_WRITE, "/local/domain/5/data/x/k\0new");
	CHECK_STR("perm: a commit", TASK(a, t, XS_TRANSACTION_END, "T\0"),
	    "OK");
	CHECK("perm: fires only what 6 may read (data/x/k, r6 kept)",
	    events(b, "/local/domain/5/data/x/k", &seen) == 1 && seen);
	xs_conn_free(a);
	xs_conn_free(b);
	xs_store_free(s);
}

/* A restart of xend: the lists come back with the nodes. */
static void
persist(void)
{
	char path[] = "/tmp/test-xs-perm.XXXXXX";
	struct xs_store *s = xs_store_new(), *s2;
	struct xs_conn *c2;
	int fd;

	xs_domain_introduce(s, 5, "five", 1024);
	xs_tree_write(s, 0, "/local/domain/5/data/x", "v", 1);
	setp(s, "/local/domain/5/data/x", "n5 r6 b7");
	if ((fd = mkstemp(path)) >= 0)
		close(fd);
	CHECK("perm: save", xs_persist_save(s, NULL, 5, path) == 0);
	s2 = xs_store_new();
	xs_domain_introduce(s2, 5, "five", 1024);
	c2 = xs_conn_new(s2, 5);
	CHECK("perm: load", xs_persist_load(s2, c2, path) == 0);
	CHECK_STR("perm: a set list is back", getp(s2,
	    "/local/domain/5/data/x"), "n5 r6 b7");
	CHECK_STR("perm: the home's too", getp(s2, "/local/domain/5"), "n5");
	CHECK_STR("perm: and name's", getp(s2, "/local/domain/5/name"),
	    "n0 r5");
	unlink(path);
	xs_conn_free(c2);
	xs_store_free(s2);
	xs_store_free(s);
}

int
main(void)
{
	rights();
	homes();
	domain_events();
	transactions();
	persist();
	return check_exit();
}
