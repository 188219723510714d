/* Grant tables (common/grant_table.c): what the rest of the hypervisor
 * calls. */
#ifndef XEN_GRANT_TABLE_H
#define XEN_GRANT_TABLE_H

#include <xen/types.h>

struct domain;

/* GNTTABOP_* for 'self' (the calling domain), count operations at guest
 * address uop.  The hypercall handler and the host tests call it. */
long pv_grant_table_op(struct domain *self, unsigned long cmd, uint64_t uop,
                       unsigned long count);
/* Free d's grant frames; domain destruction, once no vCPU of d runs. */
void grant_table_destroy(struct domain *d);
/* The frame audit: references grant mappings hold on mfn (a frame of d):
 * general count returned, writable type references in *type_refs. */
unsigned long grant_audit_refs(const struct domain *d, mfn_t mfn,
                               unsigned long *type_refs);
/* Boot option gnttab_max_frames (default 32, at most
 * GNTTAB_HARD_MAX_FRAMES of xen/param.h). */
extern unsigned int gnttab_max_frames;

#endif /* XEN_GRANT_TABLE_H */
