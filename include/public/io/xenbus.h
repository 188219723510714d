/*
 * Split-driver connection states, written as decimal numbers to the
 * "state" node of each end in xenstore.
 *
 * Numbers are upstream facts; append only.
 */
#ifndef XEN_PUBLIC_IO_XENBUS_H
#define XEN_PUBLIC_IO_XENBUS_H

enum xenbus_state {
    XenbusStateUnknown       = 0,
    XenbusStateInitialising  = 1,
    XenbusStateInitWait      = 2, /* waiting for the peer or hotplug scripts */
    XenbusStateInitialised   = 3, /* waiting for the peer to connect */
    XenbusStateConnected     = 4,
    XenbusStateClosing       = 5, /* error or unplug under way */
    XenbusStateClosed        = 6,
    XenbusStateReconfiguring = 7,
    XenbusStateReconfigured  = 8
};

#endif /* XEN_PUBLIC_IO_XENBUS_H */
