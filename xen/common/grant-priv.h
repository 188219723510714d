/*
 * Grant tables inside common/: the per-domain state grant_table.c (table,
 * versions, setup, teardown), grant_map.c (map/unmap, maptrack) and
 * grant_copy.c share.  docs/grant-tables.md explains the rules.
 *
 * Locking: gt_lock serialises every grant operation (simple, correct on
 * any number of CPUs; grant ops are short).  gt_audit_lock is a leaf lock
 * that additionally covers what the frame audit reads (the table list and
 * maptrack entries): the audit runs under the page-table lock, which grant
 * code takes *inside* gt_lock, so the audit may not take gt_lock.
 */
#ifndef COMMON_GRANT_PRIV_H
#define COMMON_GRANT_PRIV_H

#include <xen/types.h>
#include <xen/param.h>
#include <xen/spinlock.h>
#include <public/grant_table.h>

struct domain;

#define GT_V1_PER_FRAME   (PAGE_SIZE / sizeof(struct grant_entry_v1))  /* 512 */
#define GT_V2_PER_FRAME   (PAGE_SIZE / sizeof(union grant_entry_v2))   /* 256 */
#define GT_ST_PER_FRAME   (PAGE_SIZE / sizeof(grant_status_t))        /* 2048 */
/* Status frames a v2 table of n frames needs. */
#define GT_STATUS_FRAMES(n) (((n) * GT_V2_PER_FRAME + GT_ST_PER_FRAME - 1) / \
                             GT_ST_PER_FRAME)
#define GT_MAX_STATUS     GT_STATUS_FRAMES(GNTTAB_HARD_MAX_FRAMES)
#define GT_ACTIVE_CHUNK   512                 /* active entries per chunk */
#define GT_MAPTRACK_MAX   4096                /* handles per mapping domain */

/* What the hypervisor knows about a grant in use (the shared entry is the
 * guest's and may change at any time; this may not). */
struct active_grant {
    uint32_t pins;      /* mappings + copies in progress */
    uint32_t wpins;     /* of which writable */
    mfn_t frame;        /* fixed at the first pin */
};

/* One mapping a domain made (handle = index). */
struct maptrack {
    struct grant_table *rgt;    /* the granter's table; NULL: free */
    grant_ref_t ref;
    uint32_t flags;             /* GNTMAP_* parts still mapped + readonly,
                                 * contains_pte as at map time */
    uint64_t host_addr;
    mfn_t mfn;
};

struct grant_table {
    struct domain *d;           /* NULL once the domain is gone */
    domid_t domid;
    bool dying;                 /* detached: frames unshared, no new pins */
    unsigned int version;       /* 1 or 2 */
    unsigned int nr_frames, nr_status;
    void *frames[GNTTAB_HARD_MAX_FRAMES];
    void *status[GT_MAX_STATUS];
    struct active_grant *active[GNTTAB_HARD_MAX_FRAMES * GT_V1_PER_FRAME /
                                GT_ACTIVE_CHUNK];
    unsigned long pins;         /* sum of active pins: kept while > 0 */
    struct maptrack *mt;        /* this domain's mappings */
    unsigned int mt_cap, mt_used;
    struct grant_table *next;
};

extern spinlock_t gt_lock, gt_audit_lock;
extern struct grant_table *gt_list;

/* gt_lock held.  d's table (created if asked and d is not dying). */
struct grant_table *gt_find(struct domain *d, bool create);
/* Entries the table holds in its current version. */
unsigned int gt_nr_entries(const struct grant_table *gt);
/* The active entry of ref (allocated on demand), NULL without memory. */
struct active_grant *gt_active(struct grant_table *gt, grant_ref_t ref);

/*
 * Pin grant ref of rgt for domain 'mapper': checks the shared entry (type
 * permit_access, domid == mapper, not read-only when writing; transitive
 * refused, sub-page only when sub_ok) and sets GTF_reading (and
 * GTF_writing) with a compare-and-exchange on flags+domid together, so a
 * guest changing the entry meanwhile cannot slip past the checks
 * (XSA-234).  The first pin fixes the frame, which must be rgt's.  For a
 * sub-page grant *off and *len get its window (else 0 and PAGE_SIZE).
 * GNTST_okay or a GNTST_* error with nothing changed.
 */
int16_t gt_pin(struct grant_table *rgt, grant_ref_t ref, domid_t mapper,
               bool readonly, bool sub_ok, mfn_t *frame,
               unsigned int *off, unsigned int *len);
/* Undo one gt_pin; clears GTF_writing with the last writable pin and
 * GTF_reading with the last pin, and frees a dying table's last state. */
void gt_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly);

/* The domain a map/copy names as granter (DOMID_SELF allowed), referenced;
 * NULL if there is none. */
struct domain *gt_granter(struct domain *self, domid_t id);

long gnttab_map(struct domain *self, uint64_t uop, unsigned long count);
long gnttab_unmap(struct domain *self, uint64_t uop, unsigned long count);
long gnttab_unmap_and_replace(struct domain *self, uint64_t uop,
                              unsigned long count);
long gnttab_copy(struct domain *self, uint64_t uop, unsigned long count);
/* Release every mapping of gt's domain (teardown); gt_lock held. */
void gt_maptrack_release_all(struct grant_table *gt);
/* Free gt if it is dying and nothing is pinned; gt_lock held. */
void gt_maybe_free(struct grant_table *gt);

#endif /* COMMON_GRANT_PRIV_H */
