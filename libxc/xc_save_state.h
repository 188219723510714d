/*
 * xc_save_state.h - what xc_save.c and xc_save_p2m.c share: the state of
 * one save.  Internal to libxc.
 */
#ifndef XC_SAVE_STATE_H
#define XC_SAVE_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xc_private.h"
#include "xc_save_image.h"

#define PTE_PRESENT   1ull
#define PTE_FRAME     0x000FFFFFFFFFF000ull
#define L4_XEN_FIRST  256      /* hypervisor slots of every L4: 256..271 */
#define L4_XEN_LAST   271
#define PAGE          XC_PAGE_SIZE
/* The banner is looked for in the first 128 MiB (the kernel image). */
#define BANNER_SCAN_PAGES 32768

struct m2p_pair { uint64_t mfn, pfn; };

struct saver {
    xc_interface *h;
    uint32_t domid;
    xc_dominfo_t info;
    uint64_t nr_pages, start_info_pfn;
    uint64_t *p2m;
    uint64_t *p2m_frames;       /* PFNs holding the guest's p2m list */
    uint64_t nr_p2m_frames;
    struct m2p_pair *m2p;       /* p2m sorted by mfn, for PT rewriting */
    uint8_t *types;
    bool suspended;             /* cooperative: the guest suspended itself */
    bool via_shinfo;            /* p2m found through shared_info */
    int fd;
    unsigned codec;             /* XC_SAVE_CODEC_* of the page data */
    unsigned nr_vcpus_online;
    char banner[160];           /* the guest kernel's, if found */
    uint64_t zero_pages, data_bytes;
    double t_p2m, t_map, t_scan, t_compress, t_write;   /* seconds */
    bool copied;                /* pages came by copyframes, not mapping */
};

/* Buffers of save_pages, one batch's worth. */
struct sbufs {
    uint8_t *scratch;           /* rewritten page tables, start_info */
    uint8_t *raw, *z;           /* with a codec: gathered, compressed */
    size_t zcap;
    struct iovec *iov;
    uint64_t hdr[3];
    uint64_t bitmap[XC_SAVE_DATA_MAX_PAGES / 64];
};

/*
 * Find and check the guest's p2m (shared_info's frame-list-list, else
 * through start_info at si_va in the tables under l4_mfn), fill s->p2m,
 * m2p, types, p2m_frames (as PFNs) and start_info_pfn (start_info_mfn:
 * where start_info is, 0: find it through si_va).  0, or -1 with the
 * reason on s->h.
 */
int xc_save_find_p2m(struct saver *s, uint64_t l4_mfn, uint64_t si_va,
                     uint64_t start_info_mfn);
/* PFN of one of the domain's frames, or -1 if it is not one of them. */
int64_t xc_save_mfn_to_pfn(const struct saver *s, uint64_t mfn);

#endif
