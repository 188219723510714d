/* The hypervisor's own version (what xen_version returns to guests). */
#ifndef XEN_VERSION_H
#define XEN_VERSION_H

#define XEN_VERSION_MAJOR 4
#define XEN_VERSION_MINOR 17
#define XEN_EXTRAVERSION  "-mini"
#define XEN_PRODUCT       "minixen"

#endif /* XEN_VERSION_H */
