/*
 * grant_table_op(cmd, ops, count): sharing frames between domains, and the
 * layout of the grant table the granting guest writes.
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; append
 * only.
 */
#ifndef XEN_PUBLIC_GRANT_TABLE_H
#define XEN_PUBLIC_GRANT_TABLE_H

#include <stdint.h>

#include "xen.h"

typedef uint32_t grant_ref_t;    /* index into a domain's grant table */
typedef uint32_t grant_handle_t; /* names one mapping, for unmap */
typedef uint16_t grant_status_t; /* v2 status-frame entry */

/* ---- The table itself (written by the granter) ---- */

/*
 * Version 1 entry.  The granter writes domid and frame, then (after a
 * write barrier) flags; the hypervisor sets GTF_reading/GTF_writing while
 * the grant is in use.
 */
struct grant_entry_v1 {
    uint16_t flags;  /* GTF_* */
    domid_t domid;   /* who may use the grant */
    uint32_t frame;  /* the frame (an MFN for a PV granter) */
};

/* Entries 0..7 are kept for the toolstack; guests allocate from 8. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0
#define GNTTAB_RESERVED_XENSTORE   1

/* Type, in flags bits 1:0. */
#define GTF_invalid         (0U << 0)
#define GTF_permit_access   (1U << 0)
#define GTF_accept_transfer (2U << 0)
#define GTF_transitive      (3U << 0)
#define GTF_type_mask       (3U << 0)

/* Sub-flags for permit_access / transitive grants. */
#define _GTF_readonly 2
#define GTF_readonly  (1U << _GTF_readonly)  /* granter: read-only use */
#define _GTF_reading  3
#define GTF_reading   (1U << _GTF_reading)   /* hypervisor: being read */
#define _GTF_writing  4
#define GTF_writing   (1U << _GTF_writing)   /* hypervisor: being written */
#define _GTF_PWT      5
#define GTF_PWT       (1U << _GTF_PWT)
#define _GTF_PCD      6
#define GTF_PCD       (1U << _GTF_PCD)
#define _GTF_PAT      7
#define GTF_PAT       (1U << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page  (1U << _GTF_sub_page)  /* v2 only */

/* Sub-flags for accept_transfer grants. */
#define _GTF_transfer_committed 2
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* Version 2 entry: a common header and per-type bodies, 16 bytes. */
struct grant_entry_header {
    uint16_t flags;
    domid_t domid;
};

union grant_entry_v2 {
    struct grant_entry_header hdr;
    struct {
        struct grant_entry_header hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        struct grant_entry_header hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        struct grant_entry_header hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};

/* ---- Operations ---- */

#define GNTTABOP_map_grant_ref      0
#define GNTTABOP_unmap_grant_ref    1
#define GNTTABOP_setup_table        2
#define GNTTABOP_dump_table         3
#define GNTTABOP_transfer           4
#define GNTTABOP_copy               5
#define GNTTABOP_query_size         6
#define GNTTABOP_unmap_and_replace  7
#define GNTTABOP_set_version        8
#define GNTTABOP_get_status_frames  9
#define GNTTABOP_get_version       10
#define GNTTABOP_swap_grant_ref    11
#define GNTTABOP_cache_flush       12

/* Map flags (map and unmap). */
#define _GNTMAP_device_map      0
#define GNTMAP_device_map       (1U << _GNTMAP_device_map)
#define _GNTMAP_host_map        1
#define GNTMAP_host_map         (1U << _GNTMAP_host_map)
#define _GNTMAP_readonly        2
#define GNTMAP_readonly         (1U << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map  (1U << _GNTMAP_application_map) /* user-accessible */
#define _GNTMAP_contains_pte    4
#define GNTMAP_contains_pte     (1U << _GNTMAP_contains_pte) /* host_addr is a PTE's MA */
/* Bits 16..31 are copied into the PTE's software-available bits. */
#define _GNTMAP_guest_avail0    16
#define GNTMAP_guest_avail_mask ((uint32_t)~0U << _GNTMAP_guest_avail0)

struct gnttab_map_grant_ref {
    uint64_t host_addr;     /* IN: VA, or PTE machine address */
    uint32_t flags;         /* IN: GNTMAP_* */
    grant_ref_t ref;        /* IN */
    domid_t dom;            /* IN: the granter */
    int16_t status;         /* OUT: GNTST_* */
    grant_handle_t handle;  /* OUT */
    uint64_t dev_bus_addr;  /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_map_grant_ref);

struct gnttab_unmap_grant_ref {
    uint64_t host_addr;    /* IN */
    uint64_t dev_bus_addr; /* IN */
    grant_handle_t handle; /* IN */
    int16_t status;        /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_unmap_grant_ref);

/* Grow dom's table to nr_frames and list the frames. */
struct gnttab_setup_table {
    domid_t dom;                            /* IN */
    uint32_t nr_frames;                     /* IN */
    int16_t status;                         /* OUT */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_setup_table);

struct gnttab_dump_table {
    domid_t dom;    /* IN */
    int16_t status; /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_dump_table);

struct gnttab_transfer {
    xen_pfn_t mfn;     /* IN */
    domid_t domid;     /* IN */
    grant_ref_t ref;   /* IN */
    int16_t status;    /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_transfer);

/* Copy flags: the side named is a grant reference, not a local frame. */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref  (1U << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   1
#define GNTCOPY_dest_gref    (1U << _GNTCOPY_dest_gref)

struct gnttab_copy_ptr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
};

/* Copy len bytes; neither side may cross a page boundary. */
struct gnttab_copy {
    struct gnttab_copy_ptr source, dest; /* IN */
    uint16_t len;                        /* IN */
    uint16_t flags;                      /* IN: GNTCOPY_* */
    int16_t status;                      /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_copy);

struct gnttab_query_size {
    domid_t dom;            /* IN */
    uint32_t nr_frames;     /* OUT */
    uint32_t max_nr_frames; /* OUT */
    int16_t status;         /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_query_size);

struct gnttab_unmap_and_replace {
    uint64_t host_addr;    /* IN */
    uint64_t new_addr;     /* IN */
    grant_handle_t handle; /* IN */
    int16_t status;        /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_unmap_and_replace);

struct gnttab_set_version {
    uint32_t version; /* IN: 1 or 2; OUT: the version in force */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_set_version);

struct gnttab_get_status_frames {
    uint32_t nr_frames;                    /* IN */
    domid_t dom;                           /* IN */
    int16_t status;                        /* OUT */
    XEN_GUEST_HANDLE(uint64_t) frame_list; /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_get_status_frames);

struct gnttab_get_version {
    domid_t dom;      /* IN */
    uint16_t pad;
    uint32_t version; /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_get_version);

struct gnttab_swap_grant_ref {
    grant_ref_t ref_a; /* IN */
    grant_ref_t ref_b; /* IN */
    int16_t status;    /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_swap_grant_ref);

#define GNTTAB_CACHE_CLEAN       (1U << 0)
#define GNTTAB_CACHE_INVAL       (1U << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op; /* GNTTAB_CACHE_* */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(gnttab_cache_flush);

/* Per-entry status codes (the hypercall itself returns 0). */
#define GNTST_okay               0
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)
#define GNTST_bad_gntref        (-3)
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg     (-10) /* copy crosses a page boundary */
#define GNTST_address_too_big  (-11)
#define GNTST_eagain           (-12) /* try again later */
#define GNTST_no_space         (-13)

#endif /* XEN_PUBLIC_GRANT_TABLE_H */
