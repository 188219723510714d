/*
 * Round robin choice of a new domain's id, as Xen does it: the next id
 * after the last one handed out, skipping ids still in use (dying domains
 * too), wrapping round below the reserved ids.  Handing out the lowest
 * free id instead gives a new domain the id of the one just destroyed,
 * whose devices' xenstore paths (/local/domain/0/backend/vbd/ID/...)
 * dom0's kernel may still be tearing down: a late removal or a stale
 * watch event then lands on the new domain's nodes
 * (docs/domain-lifecycle.md).
 * Pure (the caller says which ids are taken), so the host tests in
 * tests/unit/xen-lib run it unchanged.
 */
#include <xen/domid.h>

domid_t domid_pick(domid_t last, domid_t limit,
                   bool (*in_use)(domid_t id, void *arg), void *arg)
{
    domid_t id;

    if ( limit <= 1 )
        return limit;
    if ( last == 0 || last >= limit )
        last = limit - 1;           /* so the first candidate is 1 */
    id = last;
    do {
        id = id + 1 < limit ? id + 1 : 1;
        if ( !in_use(id, arg) )
            return id;
    } while ( id != last );
    return limit;
}
