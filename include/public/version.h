/*
 * xen_version(cmd, arg): the hypervisor's identity and features.
 *
 * Every command returns 0 on success except XENVER_version, which returns
 * (major << 16) | minor.  Linux also calls XENVER_version just to get
 * pending events delivered.  Numbers and layouts are upstream facts as
 * Linux 6.1 uses them; append only.
 */
#ifndef XEN_PUBLIC_VERSION_H
#define XEN_PUBLIC_VERSION_H

#include <stdint.h>

#include "xen.h"
#include "features.h"

#define XENVER_version             0 /* arg NULL */
#define XENVER_extraversion        1 /* struct xen_extraversion */
#define XENVER_compile_info        2 /* struct xen_compile_info */
#define XENVER_capabilities        3 /* struct xen_capabilities_info */
#define XENVER_changeset           4 /* struct xen_changeset_info */
#define XENVER_platform_parameters 5 /* struct xen_platform_parameters */
#define XENVER_get_features        6 /* struct xen_feature_info */
#define XENVER_pagesize            7 /* arg NULL; returns the page size */
#define XENVER_guest_handle        8 /* xen_domain_handle_t */
#define XENVER_commandline         9 /* struct xen_commandline */
#define XENVER_build_id           10 /* struct xen_build_id */

/* Strings are NUL-terminated within their arrays. */
struct xen_extraversion {
    char extraversion[16];
};
#define XEN_EXTRAVERSION_LEN (sizeof(struct xen_extraversion))

struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};

/* Space-separated guest types, e.g. "xen-3.0-x86_64". */
struct xen_capabilities_info {
    char info[1024];
};
#define XEN_CAPABILITIES_INFO_LEN (sizeof(struct xen_capabilities_info))

struct xen_changeset_info {
    char info[64];
};
#define XEN_CHANGESET_INFO_LEN (sizeof(struct xen_changeset_info))

struct xen_platform_parameters {
    xen_ulong_t virt_start; /* lowest address the hypervisor reserves */
};

struct xen_feature_info {
    uint32_t submap_idx; /* IN: which 32-bit submap */
    uint32_t submap;     /* OUT: XENFEAT_* bits 32*idx .. 32*idx+31 */
};

struct xen_commandline {
    char buf[1024];
};

/*
 * IN: len is the size of buf.  The call returns the bytes written; with an
 * empty buffer it returns the size of the build id.
 */
struct xen_build_id {
    uint32_t len;
    unsigned char buf[];
};

#endif /* XEN_PUBLIC_VERSION_H */
