/* Choosing the id of a new domain (common/domid.c). */
#ifndef XEN_DOMID_H
#define XEN_DOMID_H

#include <xen/types.h>

/*
 * The id after LAST that in_use(id, arg) says is free, searching
 * LAST+1 .. LIMIT-1 and then wrapping round to 1 .. LAST (0 is dom0's
 * and never handed out).  LIMIT is the first id that is never an
 * ordinary domain's (DOMID_FIRST_RESERVED).  A LAST of 0 or at or past
 * LIMIT starts the search at 1.  Returns LIMIT when every id is taken.
 */
domid_t domid_pick(domid_t last, domid_t limit,
                   bool (*in_use)(domid_t id, void *arg), void *arg);

#endif /* XEN_DOMID_H */
