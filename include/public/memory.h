/*
 * memory_op(cmd, arg): reservations, the physical memory map, the M2P
 * location and physmap edits.
 *
 * Numbers and layouts are upstream facts as Linux 6.1 uses them; append
 * only.
 */
#ifndef XEN_PUBLIC_MEMORY_H
#define XEN_PUBLIC_MEMORY_H

#include <stdint.h>

#include "xen.h"

#define XENMEM_increase_reservation  0 /* struct xen_memory_reservation */
#define XENMEM_decrease_reservation  1 /* struct xen_memory_reservation */
#define XENMEM_maximum_ram_page      2 /* arg NULL; returns the highest MFN */
#define XENMEM_current_reservation   3 /* domid_t *; returns pages */
#define XENMEM_maximum_reservation   4 /* domid_t *; returns pages */
#define XENMEM_machphys_mfn_list     5 /* struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap      6 /* struct xen_memory_reservation */
#define XENMEM_add_to_physmap        7 /* struct xen_add_to_physmap */
/*                                   8    retired (translate_gpfn_list) */
#define XENMEM_memory_map            9 /* struct xen_memory_map: own E820 */
#define XENMEM_machine_memory_map   10 /* struct xen_memory_map: host E820 */
#define XENMEM_exchange             11 /* struct xen_memory_exchange */
#define XENMEM_machphys_mapping     12 /* struct xen_machphys_mapping */
#define XENMEM_remove_from_physmap  15 /* struct xen_remove_from_physmap */
#define XENMEM_add_to_physmap_range 23 /* struct xen_add_to_physmap_range */
#define XENMEM_acquire_resource     28 /* struct xen_mem_acquire_resource */

/*
 * Increase/decrease/populate: extent_start lists nr_extents extents of
 * 2^extent_order pages each (frame numbers in or out, depending on cmd).
 * The call returns how many extents it completed.
 */
struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags; /* XENMEMF_*; Linux names it address_bits */
    domid_t domid;      /* DOMID_SELF unless privileged */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_memory_reservation);

/* mem_flags: bits 7:0 limit the address width of the frames (0: none). */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xFFU)

/*
 * Trade the frames in `in` for new ones described by `out` (same domain,
 * same total size).  nr_exchanged must be 0 on entry; on return it counts
 * the input extents that were exchanged.
 */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged; /* IN 0 / OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_memory_exchange);

/* The MFNs backing the M2P table, one per 2 MiB. */
struct xen_machphys_mfn_list {
    uint32_t max_extents;                     /* IN: size of extent_start */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start; /* OUT */
    uint32_t nr_extents;                      /* OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_machphys_mfn_list);

/* Where the read-only M2P is mapped in the guest. */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end; /* virtual address range */
    xen_ulong_t max_mfn;        /* highest MFN it covers */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_machphys_mapping);

/* Sources for add_to_physmap(_range). */
#define XENMAPSPACE_shared_info  0
#define XENMAPSPACE_grant_table  1
#define XENMAPSPACE_gmfn         2
#define XENMAPSPACE_gmfn_range   3 /* add_to_physmap only */
#define XENMAPSPACE_gmfn_foreign 4 /* add_to_physmap_range only */
#define XENMAPSPACE_dev_mmio     5

struct xen_add_to_physmap {
    domid_t domid;
    uint16_t size;   /* pages, for XENMAPSPACE_gmfn_range */
    uint32_t space;  /* XENMAPSPACE_* */
    xen_ulong_t idx; /* index in the source space */
    xen_pfn_t gpfn;  /* where the page appears */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_add_to_physmap);

struct xen_add_to_physmap_range {
    domid_t domid;                        /* IN */
    uint16_t space;                       /* IN: XENMAPSPACE_* */
    uint16_t size;                        /* IN: entries in idxs/gpfns/errs */
    domid_t foreign_domid;                /* IN: for XENMAPSPACE_gmfn_foreign */
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;   /* IN */
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;    /* IN */
    XEN_GUEST_HANDLE(int) errs;           /* OUT: per-entry result */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_add_to_physmap_range);

struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t gpfn;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_remove_from_physmap);

/*
 * E820-style map.  nr_entries is the buffer's capacity on entry and the
 * number stored on return; each entry is 20 bytes (u64 addr, u64 size,
 * u32 type), as the BIOS returns them.
 */
struct xen_memory_map {
    uint32_t nr_entries;
    XEN_GUEST_HANDLE(void) buffer;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_memory_map);

/* Map frames of another domain's resource (privcmd only). */
#define XENMEM_resource_ioreq_server          0
#define XENMEM_resource_grant_table           1
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
#define _XENMEM_rsrc_acq_caller_owned         0
#define XENMEM_rsrc_acq_caller_owned          (1U << _XENMEM_rsrc_acq_caller_owned)

struct xen_mem_acquire_resource {
    domid_t domid;                          /* IN */
    uint16_t type;                          /* IN: XENMEM_resource_* */
    uint32_t id;                            /* IN: type-specific */
    uint32_t nr_frames;                     /* IN/OUT */
    uint32_t flags;                         /* OUT: XENMEM_rsrc_acq_* */
    uint64_t frame;                         /* IN: first frame */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* IN/OUT */
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_mem_acquire_resource);

#endif /* XEN_PUBLIC_MEMORY_H */
