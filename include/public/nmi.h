/*
 * NMI reasons (shared_info.arch.nmi_reason) and nmi_op(cmd, arg).
 *
 * Linux 6.1 reads the reason bits; it registers its NMI entry through
 * callback_op instead of nmi_op.  Numbers and layouts are upstream facts;
 * append only.
 */
#ifndef XEN_PUBLIC_NMI_H
#define XEN_PUBLIC_NMI_H

#include <stdint.h>

#include "xen.h"

/* Bit numbers within nmi_reason. */
#define _XEN_NMIREASON_io_error 0 /* I/O check, as ISA port 0x61 bit 6 */
#define XEN_NMIREASON_io_error  (1UL << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr 1 /* PCI SERR, as ISA port 0x61 bit 7 */
#define XEN_NMIREASON_pci_serr  (1UL << _XEN_NMIREASON_pci_serr)
#define _XEN_NMIREASON_unknown  2 /* some other hardware NMI */
#define XEN_NMIREASON_unknown   (1UL << _XEN_NMIREASON_unknown)

#define XENNMI_register_callback   0 /* struct xennmi_callback */
#define XENNMI_unregister_callback 1 /* arg NULL */

struct xennmi_callback {
    uint64_t handler_address;
    uint64_t pad;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xennmi_callback);

#endif /* XEN_PUBLIC_NMI_H */
