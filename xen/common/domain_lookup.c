/*
 * Which domain a domid argument names for a caller: itself (DOMID_SELF or
 * its own id) for anyone, any other live domain only for a privileged
 * caller.  Every hypercall that takes a domid goes through this one rule.
 *
 * Its own file so that the host unit harnesses (tests/unit/xen-events,
 * xen-pvmm) compile this very rule, over their own domain_get and
 * domain_lookup (domain.c's need the real domain list and its free).
 */
#include <xen/errno.h>
#include <xen/sched.h>

struct domain *domain_lookup_for(struct domain *caller, domid_t id, int *err)
{
    struct domain *d;

    if ( id == DOMID_SELF || id == caller->domain_id )
    {
        domain_get(caller);
        return caller;
    }
    if ( !caller->is_privileged )
    {
        *err = -EPERM;
        return NULL;
    }
    d = domain_lookup(id);
    if ( d == NULL )
        *err = -ESRCH;
    return d;
}
