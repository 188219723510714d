/*
 * xc_save_image.h - a save file checked in full and described: what
 * xc_save_parse gives xc_domain_restore.  The page data is not copied:
 * the image lists the page records (pointers into the caller's buffer),
 * and restore decodes each again as it writes it into the new domain, so
 * memory stays bounded by one record whatever the guest's size.
 * Internal to libxc.
 */
#ifndef XC_SAVE_IMAGE_H
#define XC_SAVE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl.h"
#include "public/arch-x86_64.h"

/* Versions 1 and 2 held zlib-compressed runs of pages. */
#define XC_SAVE_CODEC_ZLIB_V1  0x100u

/* One page record: pages first..first+count-1. */
struct xc_save_prec {
    const uint8_t *data;        /* encoded data of the present pages */
    uint64_t len;
    uint64_t first;
    uint32_t count;
    uint32_t codec;             /* XC_SAVE_CODEC_* or _ZLIB_V1 */
    const uint8_t *bitmap;      /* v3: bit i set = page first+i present;
                                   NULL: all present */
    uint32_t present;           /* pages in data */
};

struct xc_save_image {
    xc_save_header_t hdr;
    uint8_t *types;
    uint64_t *p2m_frames, nr_p2m_frames;
    struct vcpu_guest_context *vcpu;   /* nr_vcpus, flags 0 if absent */
    struct xc_save_prec *recs;
    size_t nr_recs, cap_recs;
    uint64_t *new_p2m;          /* filled by restore */
    char *toolstack;
    size_t toolstack_len;
    char *guest_id;             /* version 2: the GUEST_ID record */
    uint64_t start_info_store;  /* start_info's store_mfn as saved (a PFN) */
    xc_save_abi_t abi;          /* version 3: the ABI record */
    int have_abi;
    uint8_t uuid[16];           /* version 4: the DOMAIN record */
    int have_domain;
};

/* Largest page run one record may hold (decode buffer bound). */
#define XC_SAVE_REC_MAX_PAGES  XC_SAVE_DATA_MAX_PAGES

/*
 * Check the whole file in buf (len bytes; path only names it in
 * messages) and fill im, which must start zeroed.  Every page record is
 * decoded once into a bounded scratch buffer (and checksummed) to prove
 * it sound.  0, or -1 with the reason recorded on h (xc_fail).  Either
 * way the caller frees im with xc_save_image_free; im points into buf.
 */
int xc_save_parse(xc_interface *h, const char *path, const uint8_t *buf,
                  size_t len, struct xc_save_image *im);
void xc_save_image_free(struct xc_save_image *im);

/*
 * Decode record r into out (r->present pages, packed).  0, or -1 with
 * the reason on h.
 */
int xc_save_prec_decode(xc_interface *h, const struct xc_save_prec *r,
                        uint8_t *out);

/* The page checksum of format 3 (Fletcher-style over u64 words: any
 * flipped bit changes it).  len: a multiple of 8. */
struct xc_save_ck { uint64_t a, b; };
void xc_save_ck_update(struct xc_save_ck *c, const void *p, size_t len);
uint64_t xc_save_ck_final(const struct xc_save_ck *c);

#endif
