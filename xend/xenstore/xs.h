/*
 * xs.h: xend's small in-memory xenstore (xs_tree.c, xs_conn.c) and the
 * ring transport that connects it to domUs (xs_ring.c, xc backend only).
 *
 * The store is a tree of nodes named by absolute paths, each with a
 * permission list (xs_perms.c): its owner and domain 0 (xend itself)
 * may do everything, other domains what the list grants them.  A connection is one domain's byte stream of
 * struct xsd_sockmsg requests; replies and watch events are queued on it
 * for the transport to copy out.  See docs/xenstore.md.
 */
#ifndef XEND_XS_H
#define XEND_XS_H

#include <stddef.h>
#include <stdint.h>

struct xs_store;
struct xs_conn;

/*
 * Per-domain quotas, as upstream xenstored keeps them, so one guest
 * cannot exhaust xend's memory or CPU: nodes under its home, the bytes
 * of one value, the bytes of all its nodes (paths and values), watches
 * and open transactions.  A write past a quota gets ENOSPC (watches:
 * E2BIG), as from xenstored; domain 0 (xend) is not limited.
 */
struct xs_quota {
	unsigned	 nodes;
	unsigned	 value_size;
	unsigned	 watches;	/* at most XS_WATCHES_MAX */
	unsigned	 transactions;
	size_t		 bytes;
	unsigned	 perms;		/* entries of a list SET_PERMS sets */
};
#define XS_WATCHES_MAX		1024
#define XS_QUOTA_DEFAULT	{ 1000, 2048, 128, 10, 512 * 1024, 5 }
/* The quotas stores made from now on get (xend.conf). */
void	 xs_quota_set_default(const struct xs_quota *);
struct xs_store *xs_store_new(void);
void	 xs_store_set_quota(struct xs_store *, const struct xs_quota *);
const struct xs_quota *xs_store_quota(const struct xs_store *);
void	 xs_store_free(struct xs_store *);

/*
 * Tree operations as domain caller.  All return 0 or a positive errno
 * (EACCES, ENOENT, EINVAL, E2BIG ...).  Paths are absolute here.
 */
int	 xs_tree_write(struct xs_store *, uint32_t caller, const char *path,
	     const char *val, size_t len);
int	 xs_tree_mkdir(struct xs_store *, uint32_t caller, const char *path);
int	 xs_tree_rm(struct xs_store *, uint32_t caller, const char *path);
/* *val points into the store; valid until the next change. */
int	 xs_tree_read(struct xs_store *, uint32_t caller, const char *path,
	     const char **val, size_t *len);
/* Child names, each NUL-terminated, into a malloc'd buffer. */
int	 xs_tree_directory(struct xs_store *, uint32_t caller,
	     const char *path, char **names, size_t *len);
int	 xs_tree_exists(struct xs_store *, const char *path);
/* Check a path's syntax (absolute, allowed characters): 0 or EINVAL. */
int	 xs_tree_path_ok(const char *path);
/* A node's permission list in wire form (*perms points into the store,
 * valid until the next change) / replace it: only its owner or domain 0
 * (EACCES), the owner kept by all but domain 0 (EACCES), a well-formed
 * list (EINVAL) of at most the perms quota of entries (ENOSPC). */
int	 xs_tree_get_perms(struct xs_store *, uint32_t caller,
	     const char *path, const char **perms, size_t *len);
int	 xs_tree_set_perms(struct xs_store *, uint32_t caller,
	     const char *path, const char *perms, size_t len);

/*
 * Permission lists (xs_perms.c), in wire form: "n5\0r0\0" is owned by
 * domain 5, nobody else has any right but domain 0 may read.  Rights:
 */
#define XS_PERM_READ	1u
#define XS_PERM_WRITE	2u
#define XS_PERM_OWNER	4u	/* may change the list */
/* Check a list and make it canonical (malloc'd): 0 or EINVAL. */
int	 xs_perms_parse(const char *buf, size_t len, char **out,
	     size_t *outlen, unsigned *count);
/* What caller may do to a node with this (canonical) list. */
unsigned xs_perms_for(const char *perms, size_t len, uint32_t caller);
uint32_t xs_perms_owner(const char *perms, size_t len);
/* The list a node made by caller under a node with this list gets. */
void	 xs_perms_inherit(const char *perms, size_t len, uint32_t caller,
	     char **out, size_t *outlen);
/* May domid hear of a change of path (xs_store_fire's rule)? */
int	 xs_perms_may_see(struct xs_store *, uint32_t domid, const char *path,
	     const char *old, size_t oldlen);
/* "n5 r0" -> wire form in buf; its length, 0 if it does not fit. */
size_t	 xs_perms_from_text(const char *text, char *buf, size_t cap);

/*
 * Populate /local/domain/N for a new domain (firing @introduceDomain),
 * remove it at the end (firing @releaseDomain).  Its home is owned by
 * it; name, domid, memory/target and device are domain 0's, readable by
 * it (docs/xenstore.md, "What xend sets").
 */
int	 xs_domain_introduce(struct xs_store *, uint32_t domid,
	     const char *name, uint64_t target_kib);
void	 xs_domain_forget(struct xs_store *, uint32_t domid);

/* Connections: one per domain talking to the store. */
struct xs_conn *xs_conn_new(struct xs_store *, uint32_t domid);
void	 xs_conn_free(struct xs_conn *);
/*
 * Feed bytes the domain sent; complete messages are answered at once.
 * Returns 0, or -1 if the stream is broken beyond repair (a header
 * claiming more than XENSTORE_PAYLOAD_MAX): drop the connection.
 */
int	 xs_conn_input(struct xs_conn *, const void *data, size_t len);
/* Queued output: peek at up to *len bytes, then consume what was sent. */
const char *xs_conn_output(struct xs_conn *, size_t *len);
void	 xs_conn_consume(struct xs_conn *, size_t n);
/* Set when queued output exceeded its bound: drop the connection. */
int	 xs_conn_broken(const struct xs_conn *);

/*
 * For keeping a domain's store across a restart of xend (xs_persist.c):
 * its home's nodes and its connection's watches, each with a counter
 * that moves on every change, so the transport saves only what moved.
 */
typedef void (*xs_node_fn)(void *, const char *path, const char *val,
	    size_t len, const char *perms, size_t plen);
typedef void (*xs_watch_fn)(void *, const char *path, const char *token,
	    int relative);
void	 xs_tree_walk(struct xs_store *, const char *prefix, xs_node_fn,
	     void *);
unsigned long xs_store_home_gen(struct xs_store *, uint32_t domid);
void	 xs_conn_watches(const struct xs_conn *, xs_watch_fn, void *);
unsigned long xs_conn_gen(const struct xs_conn *);
/* Register a watch again, silently (no reply, no first event). */
int	 xs_conn_watch_restore(struct xs_conn *, const char *path,
	     const char *token, int relative);
/* Save domid's home and c's watches into path (.tmp, renamed); load
 * them back into a store and a new connection.  0 or an errno. */
int	 xs_persist_save(struct xs_store *, const struct xs_conn *,
	     uint32_t domid, const char *path);
int	 xs_persist_load(struct xs_store *, struct xs_conn *,
	     const char *path);

/* Internal to xs_tree.c / xs_conn.c: the store's list of connections
 * (for watch events), and delivering one change to one connection. */
void	 xs_store_link(struct xs_store *, struct xs_conn *);
void	 xs_store_unlink(struct xs_store *, struct xs_conn *);
void	 xs_conn_fire(struct xs_conn *, const char *changed);
uint32_t xs_conn_domid(const struct xs_conn *);

/*
 * Transactions (xs_txn.c): one open transaction of one connection.  Its
 * operations see the store plus its own changes; nothing reaches the
 * store until a commit, which fails with EAGAIN (and applies nothing) if
 * a node it read or changed was changed by someone else since it began.
 * Operations return 0 or a positive errno, checked as the direct ones
 * (access rule, quotas); a transaction's own size is bounded by the
 * caller's node and byte quotas (ENOSPC), domain 0 is not limited.
 */
struct xs_txn;
struct xs_txn *xs_txn_new(struct xs_store *, uint32_t caller, uint32_t id);
void	 xs_txn_free(struct xs_txn *);
uint32_t xs_txn_id(const struct xs_txn *);
int	 xs_txn_read(struct xs_txn *, const char *path, const char **val,
	     size_t *len);
int	 xs_txn_write(struct xs_txn *, const char *path, const char *val,
	     size_t len);
int	 xs_txn_mkdir(struct xs_txn *, const char *path);
int	 xs_txn_rm(struct xs_txn *, const char *path);
int	 xs_txn_directory(struct xs_txn *, const char *path, char **names,
	     size_t *len);
/* GET_PERMS / SET_PERMS in the transaction's view (as xs_tree_*). */
int	 xs_txn_get_perms(struct xs_txn *, const char *path,
	     const char **perms, size_t *len);
int	 xs_txn_set_perms(struct xs_txn *, const char *path,
	     const char *perms, size_t len);
/* Apply it and fire its watches: 0, EAGAIN or ENOSPC.  Free it after. */
int	 xs_txn_commit(struct xs_txn *);

/* Internal to xs_tree.c / xs_txn.c (see xs_tree.c). */
unsigned long long xs_store_seq(const struct xs_store *);
int	 xs_node_peek(struct xs_store *, const char *path, const char **val,
	     size_t *len, unsigned long long *gen);
/* A node's list, or (exists = 0) its nearest existing ancestor's. */
void	 xs_node_perms(struct xs_store *, const char *path,
	     const char **perms, size_t *len, int *exists);
void	 xs_store_usage(struct xs_store *, uint32_t domid, unsigned *nodes,
	     size_t *bytes);
void	 xs_node_set(struct xs_store *, const char *path, const char *val,
	     size_t len, const char *perms, size_t plen);
void	 xs_node_remove(struct xs_store *, const char *path);
/* Watch events for a change of path, to the watchers who may read it:
 * by its list now, by old (its list before, for a removal or a new
 * list; NULL if none) or by its parent's. */
void	 xs_store_fire(struct xs_store *, const char *path, const char *old,
	     size_t oldlen);

#ifdef HAVE_XC
struct xc_interface;
struct event_base;
/* The ring transport: one store, rings of domains the builder gave a
 * store page.  xs_ring_init opens its own /dev/xen/evtchn handle. */
int	 xs_ring_init(struct xc_interface *, char *err, size_t len);
/* Read the event fd from the event loop once it exists. */
int	 xs_ring_start_events(struct event_base *);
void	 xs_ring_fini(void);
/* resume: a restarted xend attaching again: the home and watches come
 * back from the state file, the ring resumes at its indices. */
int	 xs_ring_attach(uint32_t domid, uint32_t remote_port, uint64_t mfn,
	     const char *name, uint64_t target_kib, int resume, char *err,
	     size_t len);
/* State files are PREFIX.xs-DOMID (xend's database path). */
void	 xs_ring_state_prefix(const char *prefix);
void	 xs_ring_detach(uint32_t domid);
int	 xs_ring_has(uint32_t domid);
/* Serve domain 0's own kernel (its xenbus, for the backend drivers):
 * the page and port it offers in /proc/xen/xsd_kva and xsd_port. */
int	 xs_ring_attach_dom0(char *err, size_t len);
/* Make a directory as domain 0 / remove a subtree; watch events go out. */
int	 xs_ring_mkdir(const char *path);
int	 xs_ring_rm(const char *path);
/* Write a node as domain 0 and deliver resulting watch events. */
int	 xs_ring_write(const char *path, const char *val);
/* Make a device's frontend directory (owned by the guest, readable by
 * the backend domain 0) and backend directory (domain 0's, readable by
 * the guest), as xl does, before their nodes are written: the nodes
 * inherit the lists.  0 or an errno. */
int	 xs_ring_device_dirs(uint32_t domid, const char *fe, const char *be);
/* Read a node as domain 0 into buf (NUL-terminated); 0 or an errno. */
int	 xs_ring_read(const char *path, char *buf, size_t len);
/* A directory's child names as domain 0 (xs_tree_directory); 0 or an
 * errno. */
int	 xs_ring_directory(const char *path, char **names, size_t *len);
/* Serve all rings now (also called from the event callback). */
void	 xs_ring_pump(void);
#endif

#endif
