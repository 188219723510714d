/*
 * The reference rules of common/domain.c for the hypervisor-source
 * harnesses, without the free: a harness owns its domains (each starts
 * with the list's reference), and a put without its get fails the case
 * instead of logging.  domain_lookup stays with each harness (its own
 * domain table); domain_lookup_for is the hypervisor's own
 * (common/domain_lookup.c, in HARNESS_DOMAIN_SRCS).
 */
#include <xen/sched.h>

#include "console.h"

void domain_get(struct domain *d)
{
    __atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST) == (unsigned int)-1 )
        FAIL("domain_put without a reference (d%u)", d->domain_id);
}
