/*
 * xc_linux_abi.h - our own statement of the Linux 6.1 device interfaces
 * libxc drives: /dev/xen/privcmd, /dev/xen/evtchn and /dev/xen/gntdev.
 *
 * Layouts and numbers are facts from Linux's include/uapi/xen/{privcmd,
 * evtchn,gntdev}.h (linux-source-6.1); the static assertions below pin the
 * resulting ioctl numbers so a slip in a struct shows up at compile time.
 * Every ioctl there is _IOC(_IOC_NONE, type, nr, size): no direction bits.
 */
#ifndef XC_LINUX_ABI_H
#define XC_LINUX_ABI_H

#include <stdint.h>

#define XC_LINUX_IOC(type, nr, size) \
    ((((unsigned long)(size)) << 16) | ((unsigned long)(type) << 8) | (nr))

/* ---- privcmd ---- */

struct xc_privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};

struct xc_privcmd_mmapbatch_v2 {
    uint32_t num;            /* pages to map                           */
    uint16_t dom;            /* owner of the frames                    */
    uint64_t addr;           /* start of a privcmd mmap() region       */
    const uint64_t *arr;     /* frame numbers (xen_pfn_t)              */
    int *err;                /* OUT: per-page 0 or -errno              */
};

#define XC_IOCTL_PRIVCMD_HYPERCALL \
    XC_LINUX_IOC('P', 0, sizeof(struct xc_privcmd_hypercall))
#define XC_IOCTL_PRIVCMD_MMAPBATCH_V2 \
    XC_LINUX_IOC('P', 4, sizeof(struct xc_privcmd_mmapbatch_v2))

/* ---- evtchn ---- */

struct xc_evtchn_bind_virq        { uint32_t virq; };
struct xc_evtchn_bind_interdomain { uint32_t remote_domain, remote_port; };
struct xc_evtchn_bind_unbound     { uint32_t remote_domain; };
struct xc_evtchn_port             { uint32_t port; };  /* unbind, notify */

#define XC_IOCTL_EVTCHN_BIND_VIRQ \
    XC_LINUX_IOC('E', 0, sizeof(struct xc_evtchn_bind_virq))
#define XC_IOCTL_EVTCHN_BIND_INTERDOMAIN \
    XC_LINUX_IOC('E', 1, sizeof(struct xc_evtchn_bind_interdomain))
#define XC_IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    XC_LINUX_IOC('E', 2, sizeof(struct xc_evtchn_bind_unbound))
#define XC_IOCTL_EVTCHN_UNBIND \
    XC_LINUX_IOC('E', 3, sizeof(struct xc_evtchn_port))
#define XC_IOCTL_EVTCHN_NOTIFY \
    XC_LINUX_IOC('E', 4, sizeof(struct xc_evtchn_port))

/* ---- gntdev ---- */

struct xc_gntdev_grant_ref {
    uint32_t domid;
    uint32_t ref;
};

/* Variable length: count refs follow; the ioctl number uses one. */
struct xc_gntdev_map_grant_ref {
    uint32_t count;
    uint32_t pad;
    uint64_t index;          /* OUT: mmap offset for these grants      */
    struct xc_gntdev_grant_ref refs[1];
};

struct xc_gntdev_unmap_grant_ref {
    uint64_t index;
    uint32_t count;
    uint32_t pad;
};

struct xc_gntdev_get_offset_for_vaddr {
    uint64_t vaddr;
    uint64_t offset;         /* OUT */
    uint32_t count;          /* OUT */
    uint32_t pad;
};

#define XC_IOCTL_GNTDEV_MAP_GRANT_REF \
    XC_LINUX_IOC('G', 0, sizeof(struct xc_gntdev_map_grant_ref))
#define XC_IOCTL_GNTDEV_UNMAP_GRANT_REF \
    XC_LINUX_IOC('G', 1, sizeof(struct xc_gntdev_unmap_grant_ref))
#define XC_IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR \
    XC_LINUX_IOC('G', 2, sizeof(struct xc_gntdev_get_offset_for_vaddr))

/* Numbers as computed from Linux 6.1's headers for x86-64. */
_Static_assert(XC_IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "privcmd hypercall");
_Static_assert(XC_IOCTL_PRIVCMD_MMAPBATCH_V2 == 0x00205004, "mmapbatch_v2");
_Static_assert(XC_IOCTL_EVTCHN_BIND_VIRQ == 0x00044500, "bind_virq");
_Static_assert(XC_IOCTL_EVTCHN_BIND_INTERDOMAIN == 0x00084501, "bind_interdomain");
_Static_assert(XC_IOCTL_EVTCHN_BIND_UNBOUND_PORT == 0x00044502, "bind_unbound");
_Static_assert(XC_IOCTL_EVTCHN_UNBIND == 0x00044503, "unbind");
_Static_assert(XC_IOCTL_EVTCHN_NOTIFY == 0x00044504, "notify");
_Static_assert(XC_IOCTL_GNTDEV_MAP_GRANT_REF == 0x00184700, "map_grant_ref");
_Static_assert(XC_IOCTL_GNTDEV_UNMAP_GRANT_REF == 0x00104701, "unmap_grant_ref");
_Static_assert(XC_IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR == 0x00184702, "get_offset");

#endif /* XC_LINUX_ABI_H */
