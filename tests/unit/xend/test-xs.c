/*
 * test-xs.c: xend's xenstore (xs_tree.c, xs_conn.c) driven the way a
 * guest drives it: raw struct xsd_sockmsg bytes in, replies and watch
 * events out.  Covers every operation, the access rule, watches, and
 * malformed input (which must get an error or a dropped connection).
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

/* The transaction id the next request carries in its header. */
static uint32_t send_tx;

/* Send one request built from a payload of plen bytes. */
static int
send_raw(struct xs_conn *c, uint32_t type, const void *payload, size_t plen)
{
	struct xsd_sockmsg h = { type, next_req++, send_tx, (uint32_t)plen };
	char buf[sizeof h + 8192];

	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, payload, plen);
	return xs_conn_input(c, buf, sizeof h + plen);
}

/* Send a request of NUL-separated strings ("a\0b" with length) and
 * return the reply's first string, or "ERR:NAME" for an XS_ERROR. */
static const char *
ask(struct xs_conn *c, uint32_t type, const char *payload, size_t plen)
{
	static struct reply r;
	static char text[XENSTORE_PAYLOAD_MAX + 8];

	if (send_raw(c, type, payload, plen) != 0)
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

#define ASK(c, t, lit) ask((c), (t), (lit), sizeof(lit) - 1)

/*
 * A restart of xend: a domain's home and watches saved, then loaded into
 * a new store and connection; the guest's values (binary too) are back
 * and its watch fires on the next change without registering again.
 */
static void
persist(void)
{
	char path[] = "/tmp/test-xs-persist.XXXXXX";
	struct xs_store *s = xs_store_new(), *s2;
	struct xs_conn *c = xs_conn_new(s, 9), *c2;
	struct reply r;
	const char *v;
	size_t len;
	int fd = mkstemp(path);

	close(fd);
	xs_domain_introduce(s, 9, "kept", 65536);
	ASK(c, XS_WRITE, "data/bin\0a\0b\n c");
	ASK(c, XS_WRITE, "data/empty\0");
	xs_tree_write(s, 0, "/local/domain/9/memory/target", "4096", 4);
	ASK(c, XS_WATCH, "control/shutdown\0tok\0");
	next_msg(c, &r);
	CHECK("xs persist: saved", xs_persist_save(s, c, 9, path) == 0);
	xs_store_free(s);

	s2 = xs_store_new();
	c2 = xs_conn_new(s2, 9);
	xs_domain_introduce(s2, 9, "kept", 65536);
	CHECK("xs persist: loaded", xs_persist_load(s2, c2, path) == 0);
	CHECK("xs persist: a binary value is back", xs_tree_read(s2, 0,
	    "/local/domain/9/data/bin", &v, &len) == 0 && len == 6 &&
	    memcmp(v, "a\0b\n c", 6) == 0);
	CHECK("xs persist: an empty node is back", xs_tree_exists(s2,
	    "/local/domain/9/data/empty"));
	CHECK("xs persist: a balloon target is back (not introduce's)",
	    xs_tree_read(s2, 0, "/local/domain/9/memory/target", &v, &len)
	    == 0 && len == 4 && memcmp(v, "4096", 4) == 0);
	CHECK("xs persist: no event at restore", !next_msg(c2, &r));
	xs_tree_write(s2, 0, "/local/domain/9/control/shutdown", "poweroff",
	    8);
	CHECK("xs persist: the restored watch fires", next_msg(c2, &r) &&
	    r.type == XS_WATCH_EVENT && strcmp(r.body, "control/shutdown")
	    == 0 && strcmp(r.body + strlen(r.body) + 1, "tok") == 0);
	CHECK_STR("xs persist: registering it again is EEXIST", ASK(c2,
	    XS_WATCH, "control/shutdown\0tok\0"), "ERR:EEXIST");
	CHECK("xs persist: a missing file is an error", xs_persist_load(s2,
	    c2, "/nonexistent/xs") == ENOENT);
	unlink(path);
	xs_store_free(s2);
}

/* Write data/nI = 40 bytes as c; the reply. */
static const char *
write_n(struct xs_conn *c, int i)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "data/n%d", i);

	memset(buf + n + 1, 'q', 40);
	return ask(c, XS_WRITE, buf, (size_t)n + 1 + 40);
}

/*
 * A guest flooding the store with nodes, bytes, watches and transactions
 * gets ENOSPC / E2BIG at its quota, loses nothing it had, and the store
 * goes on serving another guest and xend.
 */
static void
quotas(void)
{
	struct xs_quota q = { 20, 64, 4, 3, 100000, 5 };
	struct xs_store *s;
	struct xs_conn *c, *o;
	struct reply r;
	const char *e = "";
	char tok[32];
	int i, ok;

	xs_quota_set_default(&q);
	s = xs_store_new();
	c = xs_conn_new(s, 7);
	o = xs_conn_new(s, 8);
	xs_domain_introduce(s, 7, "flood", 65536);
	xs_domain_introduce(s, 8, "calm", 65536);
	for (i = ok = 0; i < 100; i++, ok++)
		if (strcmp(e = write_n(c, i), "OK") != 0)
			break;
	CHECK_STR("xs quota: node flood stops with ENOSPC", e, "ERR:ENOSPC");
	CHECK("xs quota: some nodes were allowed first", ok > 5 && ok < 20);
	CHECK_STR("xs quota: earlier nodes kept", ASK(c, XS_READ,
	    "data/n0\0"), "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq");
	CHECK_STR("xs quota: mkdir past it too", ASK(c, XS_MKDIR, "d2\0"),
	    "ERR:ENOSPC");
	CHECK_STR("xs quota: overwriting a node is fine", ASK(c, XS_WRITE,
	    "data/n0\0x"), "OK");
	CHECK_STR("xs quota: the other guest is served", ASK(o, XS_WRITE,
	    "data/x\0y"), "OK");
	CHECK("xs quota: xend (domain 0) is not limited", xs_tree_write(s, 0,
	    "/local/domain/7/control/shutdown", "poweroff", 8) == 0);
	CHECK_STR("xs quota: rm gives the room back", ASK(c, XS_RM,
	    "data\0"), "OK");
	CHECK_STR("xs quota: then writes work again", write_n(c, 0), "OK");

	for (i = ok = 0; i < 10; i++) {
		snprintf(tok, sizeof tok, "name%ct%d", 0, i);
		if (strcmp(e = ask(c, XS_WATCH, tok, 6 + strlen(tok + 5)),
		    "OK") != 0)
			break;
		ok++;
		next_msg(c, &r);	/* the registration event */
	}
	CHECK_STR("xs quota: watch flood stops with E2BIG", e, "ERR:E2BIG");
	CHECK("xs quota: exactly the watch quota allowed", ok == 4);

	for (i = ok = 0; i < 10; i++, ok++)
		if (strcmp(e = ASK(c, XS_TRANSACTION_START, "\0"), "ERR:ENOSPC")
		    == 0)
			break;
	CHECK_STR("xs quota: transaction flood stops with ENOSPC", e,
	    "ERR:ENOSPC");
	CHECK("xs quota: exactly the transaction quota allowed", ok == 3);
	send_tx = 2;
	CHECK_STR("xs quota: ending one", ASK(c, XS_TRANSACTION_END, "F\0"),
	    "OK");
	send_tx = 0;
	CHECK("xs quota: then one more may start",
	    atoi(ASK(c, XS_TRANSACTION_START, "\0")) > 0);
	CHECK_STR("xs quota: value over value_size", ask(c, XS_WRITE,
	    "v\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    2 + 65), "ERR:ENOSPC");

	/* The total-bytes quota, alone: 40-byte values until it bites. */
	q.nodes = 1000;
	q.bytes = 600;
	xs_store_set_quota(s, &q);
	xs_tree_rm(s, 7, "/local/domain/7/data");
	for (i = 0; i < 100; i++)
		if (strcmp(e = write_n(c, i), "OK") != 0)
			break;
	CHECK_STR("xs quota: byte flood stops with ENOSPC", e, "ERR:ENOSPC");
	CHECK("xs quota: bytes, not nodes, stopped it", i > 3 && i < 20);
	CHECK_STR("xs quota: the other guest still served", ASK(o, XS_READ,
	    "name\0"), "calm");
	xs_domain_forget(s, 7);
	xs_domain_forget(s, 8);
	xs_store_free(s);
	q = (struct xs_quota)XS_QUOTA_DEFAULT;
	xs_quota_set_default(&q);
}

int
main(void)
{
	struct xs_store *s = xs_store_new();
	struct xs_conn *c = xs_conn_new(s, 5), *d = xs_conn_new(s, 6);
	struct reply r;
	const char *v;
	char big[8192];
	size_t len;
	int n;

	CHECK("xs: introduce a domain",
	    xs_domain_introduce(s, 5, "guest", 65536) == 0);
	CHECK_STR("xs: read name (relative)", ASK(c, XS_READ, "name\0"),
	    "guest");
	CHECK_STR("xs: read memory/target (absolute)",
	    ASK(c, XS_READ, "/local/domain/5/memory/target\0"), "65536");
	CHECK_STR("xs: domid", ASK(c, XS_READ, "domid\0"), "5");
	CHECK_STR("xs: write", ASK(c, XS_WRITE, "data/x\0hello"), "OK");
	CHECK_STR("xs: read back", ASK(c, XS_READ, "data/x\0"), "hello");
	CHECK_STR("xs: write empty value", ASK(c, XS_WRITE, "data/e\0"), "OK");
	CHECK_STR("xs: read empty", ASK(c, XS_READ, "data/e\0"), "");
	CHECK_STR("xs: mkdir", ASK(c, XS_MKDIR, "data/dir\0"), "OK");

	send_raw(c, XS_DIRECTORY, "/local/domain/5", 16);
	CHECK("xs: directory of home", next_msg(c, &r) &&
	    r.type == XS_DIRECTORY);
	n = 0;
	for (len = 0; len < r.len; len += strlen(r.body + len) + 1)
		if (strcmp(r.body + len, "control") == 0 ||
		    strcmp(r.body + len, "device") == 0 ||
		    strcmp(r.body + len, "data") == 0 ||
		    strcmp(r.body + len, "memory") == 0)
			n++;
	CHECK("xs: directory lists control, device, data, memory", n == 4);
	CHECK_STR("xs: directory of empty dir", ASK(c, XS_DIRECTORY,
	    "control\0"), "");

	CHECK_STR("xs: read missing", ASK(c, XS_READ, "nope\0"), "ERR:ENOENT");
	CHECK_STR("xs: other domain's home is off limits",
	    ASK(c, XS_READ, "/local/domain/6/name\0"), "ERR:EACCES");
	CHECK_STR("xs: writing outside home is refused",
	    ASK(c, XS_WRITE, "/tool\0x"), "ERR:EACCES");
	CHECK_STR("xs: bad characters", ASK(c, XS_READ, "a b\0"),
	    "ERR:EINVAL");
	CHECK_STR("xs: double slash", ASK(c, XS_READ, "a//b\0"), "ERR:EINVAL");
	CHECK_STR("xs: trailing slash", ASK(c, XS_READ, "a/\0"), "ERR:EINVAL");
	CHECK_STR("xs: path without NUL", ASK(c, XS_READ, "name"),
	    "ERR:EINVAL");
	CHECK_STR("xs: extra bytes after path", ASK(c, XS_READ, "name\0zz"),
	    "ERR:EINVAL");
	CHECK_STR("xs: empty payload", ask(c, XS_READ, "", 0), "ERR:EINVAL");
	CHECK_STR("xs: get_perms (the guest's own node)", ASK(c, XS_GET_PERMS,
	    "data/x\0"), "n5");
	CHECK_STR("xs: set_perms by the owner", ASK(c, XS_SET_PERMS,
	    "data/x\0n5\0r0\0"), "OK");
	CHECK_STR("xs: get_domain_path", ASK(c, XS_GET_DOMAIN_PATH, "7\0"),
	    "/local/domain/7");
	CHECK_STR("xs: get_domain_path junk", ASK(c, XS_GET_DOMAIN_PATH,
	    "7x\0"), "ERR:EINVAL");
	CHECK("xs: transaction_start gives an id",
	    (n = atoi(ASK(c, XS_TRANSACTION_START, "\0"))) > 0);
	send_tx = (uint32_t)n;
	CHECK_STR("xs: transaction_end", ASK(c, XS_TRANSACTION_END, "T\0"),
	    "OK");
	CHECK_STR("xs: transaction_end of an ended one", ASK(c,
	    XS_TRANSACTION_END, "T\0"), "ERR:ENOENT");
	send_tx = 0;
	CHECK_STR("xs: transaction_end junk", ASK(c, XS_TRANSACTION_END,
	    "Q\0"), "ERR:EINVAL");
	CHECK_STR("xs: control is ENOSYS", ASK(c, XS_CONTROL, "print\0x\0"),
	    "ERR:ENOSYS");
	CHECK_STR("xs: unknown type is EINVAL", ASK(c, 99, "x\0"),
	    "ERR:EINVAL");
	CHECK_STR("xs: rm subtree", ASK(c, XS_RM, "data\0"), "OK");
	CHECK_STR("xs: rm took children", ASK(c, XS_READ, "data/x\0"),
	    "ERR:ENOENT");
	CHECK_STR("xs: rm missing child is fine", ASK(c, XS_RM, "data\0"),
	    "OK");
	CHECK_STR("xs: rm under missing parent", ASK(c, XS_RM, "q/r\0"),
	    "ERR:ENOENT");

	/* The split-driver rule: a domain reads and watches its own backend
	 * directories in dom0's tree, writes none, reads no one else's. */
	/* What xend does (xs_ring_device_dirs): each backend directory
	 * readable by its own frontend's domain, made before its nodes,
	 * which inherit that. */
	xs_tree_mkdir(s, 0, "/local/domain/0/backend/vbd/5/51712");
	xs_tree_set_perms(s, 0, "/local/domain/0/backend/vbd/5/51712",
	    "n0\0r5", 6);
	xs_tree_mkdir(s, 0, "/local/domain/0/backend/vbd/6/51712");
	xs_tree_set_perms(s, 0, "/local/domain/0/backend/vbd/6/51712",
	    "n0\0r6", 6);
	xs_tree_mkdir(s, 0, "/local/domain/0/backend/vbd/55/51712");
	xs_tree_set_perms(s, 0, "/local/domain/0/backend/vbd/55/51712",
	    "n0\0r55", 7);
	CHECK("xs: dom0 writes a backend node for 5", xs_tree_write(s, 0,
	    "/local/domain/0/backend/vbd/5/51712/state", "4", 1) == 0);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/6/51712/state", "4",
	    1);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/55/51712/state", "4",
	    1);
	CHECK_STR("xs: guest reads its backend's state", ASK(c, XS_READ,
	    "/local/domain/0/backend/vbd/5/51712/state\0"), "4");
	CHECK_STR("xs: guest lists its backend dir", ASK(c, XS_DIRECTORY,
	    "/local/domain/0/backend/vbd/5/51712\0"), "state");
	CHECK_STR("xs: but cannot write it", ASK(c, XS_WRITE,
	    "/local/domain/0/backend/vbd/5/51712/state\0" "6"), "ERR:EACCES");
	CHECK_STR("xs: nor remove it", ASK(c, XS_RM,
	    "/local/domain/0/backend/vbd/5\0"), "ERR:EACCES");
	CHECK_STR("xs: another guest's backend is off limits", ASK(c,
	    XS_READ, "/local/domain/0/backend/vbd/6/51712/state\0"),
	    "ERR:EACCES");
	CHECK_STR("xs: domid prefix is not enough (55 is not 5)", ASK(c,
	    XS_READ, "/local/domain/0/backend/vbd/55/51712/state\0"),
	    "ERR:EACCES");
	CHECK_STR("xs: the backend list itself is off limits", ASK(c,
	    XS_DIRECTORY, "/local/domain/0/backend/vbd\0"), "ERR:EACCES");
	CHECK_STR("xs: dom0's other nodes are off limits", ASK(c, XS_READ,
	    "/local/domain/0/backend\0"), "ERR:EACCES");
	CHECK_STR("xs: guest watches its backend's state", ASK(c, XS_WATCH,
	    "/local/domain/0/backend/vbd/5/51712/state\0be\0"), "OK");
	CHECK("xs: backend watch fires at registration", next_msg(c, &r) &&
	    strcmp(r.body, "/local/domain/0/backend/vbd/5/51712/state") == 0);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/5/51712/state", "5",
	    1);
	CHECK("xs: and on the backend's change", next_msg(c, &r) &&
	    strcmp(r.body, "/local/domain/0/backend/vbd/5/51712/state") == 0);
	CHECK_STR("xs: unwatch backend", ASK(c, XS_UNWATCH,
	    "/local/domain/0/backend/vbd/5/51712/state\0be\0"), "OK");
	/* As xenstored: any path may be watched, but the events tell only
	 * of nodes the watcher may read. */
	CHECK_STR("xs: watching another guest's backend registers", ASK(c,
	    XS_WATCH, "/local/domain/0/backend/vbd/6\0x\0"), "OK");
	CHECK("xs: (its first event, of the watched path only)",
	    next_msg(c, &r) && strcmp(r.body,
	    "/local/domain/0/backend/vbd/6") == 0);
	xs_tree_write(s, 0, "/local/domain/0/backend/vbd/6/51712/state", "5",
	    1);
	CHECK("xs: but tells nothing of its changes", !next_msg(c, &r));
	CHECK_STR("xs: unwatch it", ASK(c, XS_UNWATCH,
	    "/local/domain/0/backend/vbd/6\0x\0"), "OK");
	xs_tree_rm(s, 0, "/local/domain/0");

	/* Watches: an event at registration, then on each change. */
	CHECK_STR("xs: watch", ASK(c, XS_WATCH, "control/shutdown\0tok\0"),
	    "OK");
	CHECK("xs: watch fires at registration", next_msg(c, &r) &&
	    r.type == XS_WATCH_EVENT && strcmp(r.body, "control/shutdown")
	    == 0 && strcmp(r.body + strlen(r.body) + 1, "tok") == 0);
	CHECK("xs: no more events yet", !next_msg(c, &r));
	CHECK("xs: dom0 writes control/shutdown", xs_tree_write(s, 0,
	    "/local/domain/5/control/shutdown", "poweroff", 8) == 0);
	CHECK("xs: watch fires on change", next_msg(c, &r) &&
	    r.type == XS_WATCH_EVENT && strcmp(r.body, "control/shutdown")
	    == 0);
	CHECK_STR("xs: guest reads the request", ASK(c, XS_READ,
	    "control/shutdown\0"), "poweroff");
	CHECK("xs: the other domain saw nothing", !next_msg(d, &r));
	CHECK_STR("xs: watch parent", ASK(c, XS_WATCH, "/local/domain/5/"
	    "memory\0m\0"), "OK");
	next_msg(c, &r);
	xs_tree_write(s, 0, "/local/domain/5/memory/target", "1024", 4);
	CHECK("xs: child change fires an absolute watch", next_msg(c, &r) &&
	    strcmp(r.body, "/local/domain/5/memory/target") == 0);
	CHECK_STR("xs: duplicate watch", ASK(c, XS_WATCH, "control/shutdown"
	    "\0tok\0"), "ERR:EEXIST");
	CHECK_STR("xs: watch outside home", ASK(c, XS_WATCH, "/x\0t\0"),
	    "OK");
	next_msg(c, &r);
	xs_tree_write(s, 0, "/x", "secret", 6);
	CHECK("xs: no event for dom0's node there", !next_msg(c, &r));
	CHECK_STR("xs: special watch", ASK(c, XS_WATCH,
	    "@releaseDomain\0r\0"), "OK");
	next_msg(c, &r);
	CHECK_STR("xs: unwatch", ASK(c, XS_UNWATCH, "control/shutdown\0tok\0"),
	    "OK");
	xs_tree_write(s, 0, "/local/domain/5/control/shutdown", "", 0);
	CHECK("xs: no event after unwatch", !next_msg(c, &r));
	CHECK_STR("xs: unwatch unknown", ASK(c, XS_UNWATCH, "zz\0t\0"),
	    "ERR:ENOENT");
	CHECK_STR("xs: reset_watches", ASK(c, XS_RESET_WATCHES, ""), "OK");
	xs_tree_write(s, 0, "/local/domain/5/memory/target", "2048", 4);
	CHECK("xs: no event after reset", !next_msg(c, &r));

	/* Byte-at-a-time delivery must assemble the same message. */
	{
		struct xsd_sockmsg h = { XS_READ, 77, 0, 5 };
		char buf[sizeof h + 5];
		size_t i;

		memcpy(buf, &h, sizeof h);
		memcpy(buf + sizeof h, "name", 5);
		for (i = 0; i < sizeof buf; i++)
			xs_conn_input(c, buf + i, 1);
		CHECK("xs: split delivery", next_msg(c, &r) &&
		    r.req_id == 77 && strcmp(r.body, "guest") == 0);
	}

	/* Big values: past the value quota (2048 bytes by default) ENOSPC
	 * and nothing written; up to the payload limit if allowed. */
	memset(big, 'a', sizeof big);
	memcpy(big, "v\0", 2);
	CHECK_STR("xs: value over the quota", ask(c, XS_WRITE, big, 4000),
	    "ERR:ENOSPC");
	CHECK("xs: value over the quota not written",
	    !xs_tree_exists(s, "/local/domain/5/v"));
	{
		struct xs_quota q = XS_QUOTA_DEFAULT;

		q.value_size = XENSTORE_PAYLOAD_MAX;
		xs_store_set_quota(s, &q);
	}
	CHECK_STR("xs: large write", ask(c, XS_WRITE, big, 4000), "OK");
	CHECK("xs: large read back", xs_tree_read(s, 0,
	    "/local/domain/5/v", &v, &len) == 0 && len == 3998);

	/* A header claiming more than the protocol allows breaks the
	 * stream: the connection is dropped, the store lives on. */
	CHECK("xs: oversized header drops the connection",
	    send_raw(d, XS_WRITE, big, 4097) == -1 && xs_conn_broken(d));
	xs_conn_free(d);
	CHECK_STR("xs: store still serves others", ASK(c, XS_READ, "name\0"),
	    "guest");

	xs_domain_forget(s, 5);
	CHECK("xs: forget removes the home",
	    !xs_tree_exists(s, "/local/domain/5"));
	xs_store_free(s);
	quotas();
	persist();
	return check_exit();
}
