/*
 * xc_save_identity.h: restore's checks of a save file's GUEST_ID record
 * against the file and this host (xc_save_identity.c).
 */
#ifndef XC_SAVE_IDENTITY_H
#define XC_SAVE_IDENTITY_H

#include <stddef.h>

struct xc_save_image;

/* A bzImage's version string ("6.1.0-28-amd64 (...) #1 SMP ...") into
 * out; 0, -ENOENT (no such file), -ENOEXEC (not a bzImage) or -errno. */
int xc_kernel_file_version(const char *path, char *out, size_t len);

/* -1 (reason on h) when the identity contradicts the file; else 0, with
 * warn set to a sentence when the recorded kernel is not the one the
 * config now names ("" when nothing to say). */
int xc_restore_identity(xc_interface *h, const char *path,
                        const struct xc_save_image *im, char *warn,
                        size_t wlen);

#endif
