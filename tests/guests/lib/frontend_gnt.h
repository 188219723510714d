/*
 * A split-driver frontend's grant table, for the hostile frontends
 * (hostblk, hostnet): one v1 frame of our own, mapped, and entries that
 * grant a page of ours to dom0, where the backends run.  The kernels
 * revoke or inspect entries directly through frontend_gnt.
 */
#ifndef GUEST_LIB_FRONTEND_GNT_H
#define GUEST_LIB_FRONTEND_GNT_H

#include "public/grant_table.h"

extern volatile struct grant_entry_v1 *frontend_gnt;

/* Set up our grant table (GNTTABOP_setup_table, one frame) and map it at
 * frontend_gnt; aborts the test if either fails. */
void frontend_gnt_setup(void);
/* Entry ref grants page (of ours) to dom0, read-only if readonly; the
 * flags are written last, after a fence, as the ABI requires. */
void frontend_grant(unsigned int ref, const volatile void *page, int readonly);

#endif
