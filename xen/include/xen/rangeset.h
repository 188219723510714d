/*
 * A rangeset: a small sorted set of disjoint inclusive ranges of unsigned
 * longs.  Each domain has two, the I/O ports and the machine frames of I/O
 * memory it may use (common/rangeset.c; docs/dom0-hardware.md).  Access is
 * decided by membership, never by "is this dom0", so a driver domain can
 * later be given a part of the machine the same way.
 *
 * Fixed capacity, no allocation: the sets describe a machine's few device
 * windows, and a domain's permissions must not fail to be recorded half
 * way.  Adding a range that would need more slots than there are is
 * -ENOSPC and leaves the set as it was.
 */
#ifndef XEN_RANGESET_H
#define XEN_RANGESET_H

#include <xen/types.h>

#define RANGESET_MAX 32

struct rangeset {
    unsigned int nr;                    /* ranges in use, sorted by start */
    struct { unsigned long s, e; } r[RANGESET_MAX];     /* inclusive */
};

/* Add [s, e] (merging with neighbours); 0, -EINVAL (s > e) or -ENOSPC. */
int rangeset_add(struct rangeset *rs, unsigned long s, unsigned long e);
/* Remove [s, e] wherever it overlaps; 0, -EINVAL or -ENOSPC (a split
 * needing a slot there is not). */
int rangeset_remove(struct rangeset *rs, unsigned long s, unsigned long e);
/* Is all of [s, e] in the set? (false for s > e) */
bool rangeset_contains(const struct rangeset *rs, unsigned long s,
                       unsigned long e);
/* Does any of [s, e] lie in the set? */
bool rangeset_overlaps(const struct rangeset *rs, unsigned long s,
                       unsigned long e);
void rangeset_clear(struct rangeset *rs);

#endif /* XEN_RANGESET_H */
