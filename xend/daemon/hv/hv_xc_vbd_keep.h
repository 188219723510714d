/*
 * hv_xc_vbd_keep.h: the xc backend's disk records on disk
 * (hv_xc_vbd_keep.c), so a restarted xend can still undo them.
 */
#ifndef XEND_HV_XC_VBD_KEEP_H
#define XEND_HV_XC_VBD_KEEP_H

#include <stddef.h>

#include "hv_xc_vbd.h"

/* The file is db_path + ".xc-vbds"; NULL keeps nothing. */
void	 vbd_keep_init(const char *db_path);
/* Replace the file with these records (whole or old, never half). */
void	 vbd_keep_save(const struct vbd_rec *, size_t n);
/* The kept records, at most max; damaged lines are skipped (logged). */
size_t	 vbd_keep_load(struct vbd_rec *, size_t max);

/* Whose is a backend directory a record is about to tear down? */
enum vbd_owner {
	VBD_OWNER_OURS,		/* the record's: remove it */
	VBD_OWNER_GONE,		/* no directory any more (torn down) */
	VBD_OWNER_OTHER,	/* a newer device's at the same path */
};
/* From what the directory holds: has_dir (its state node is there),
 * has_token and token (its xend-owner node), and the record's owner (0
 * for a record an older xend kept, which wrote no token). */
enum vbd_owner vbd_owner_of(int has_dir, int has_token, uint64_t token,
	     uint64_t owner);

#endif
