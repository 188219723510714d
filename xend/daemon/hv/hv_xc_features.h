/*
 * hv_xc_features.h: a guest's control/feature-* xenstore nodes carried
 * through a save file (hv_xc_features.c).
 */
#ifndef XEND_HV_XC_FEATURES_H
#define XEND_HV_XC_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#define XCF_TEXT_MAX	256

/* On the loop, as the guest is asked to suspend: note what it
 * advertises now. */
void	 xcf_snapshot(uint32_t domid);
/* In the save job: the blob to store, the noted features in front of
 * xend's (malloc'd; the caller frees).  The note is used up. */
char	*xcf_wrap_blob(uint32_t domid, const char *blob);
/* At restore: take the features off the front of blob (in place) into
 * text ("" if none); what does not check out is dropped. */
void	 xcf_unwrap_blob(char *blob, char *text, size_t len);
/* On the loop, once the restored guest's store is there: write them. */
void	 xcf_apply(uint32_t domid, const char *text);

#endif
