/*
 * xc_save_image.h - a save file read into memory and checked: what
 * xc_save_parse gives xc_domain_restore.  Internal to libxc.
 */
#ifndef XC_SAVE_IMAGE_H
#define XC_SAVE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"
#include "public/arch-x86_64.h"

struct xc_save_image {
    xc_save_header_t hdr;
    uint8_t *mem;               /* nr_pages * PAGE, PFN-addressed */
    uint8_t *types;
    uint64_t *p2m_frames, nr_p2m_frames;
    struct vcpu_guest_context *vcpu;   /* nr_vcpus, flags 0 if absent */
    uint64_t *new_p2m;          /* filled by restore */
    char *toolstack;
    size_t toolstack_len;
    char *guest_id;             /* version 2: the GUEST_ID record */
};

/*
 * Check the whole file in buf (len bytes; path only names it in
 * messages) and fill im, which must start zeroed.  0, or -1 with the
 * reason recorded on h (xc_fail).  Either way the caller frees im with
 * xc_save_image_free.
 */
int xc_save_parse(xc_interface *h, const char *path, const uint8_t *buf,
                  size_t len, struct xc_save_image *im);
void xc_save_image_free(struct xc_save_image *im);

#endif
