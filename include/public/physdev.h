/*
 * physdev_op(cmd, arg): I/O privilege, physical IRQs and PCI devices.
 *
 * Every guest uses set_iopl, set_iobitmap and pirq_eoi_gmfn_v2; the rest
 * is for dom0.  Numbers and layouts are upstream facts as Linux 6.1 uses
 * them; append only.
 */
#ifndef XEN_PUBLIC_PHYSDEV_H
#define XEN_PUBLIC_PHYSDEV_H

#include <stdint.h>

#include "xen.h"

/*                                  0..3 unused */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY  4 /* retired since 0x00030202: use PHYSDEVOP_eoi */
#define PHYSDEVOP_irq_status_query   5
#define PHYSDEVOP_set_iopl           6
#define PHYSDEVOP_set_iobitmap       7
#define PHYSDEVOP_apic_read          8
#define PHYSDEVOP_apic_write         9
#define PHYSDEVOP_alloc_irq_vector  10
#define PHYSDEVOP_free_irq_vector   11
#define PHYSDEVOP_eoi               12
#define PHYSDEVOP_map_pirq          13
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17
#define PHYSDEVOP_restore_msi       19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi         21
#define PHYSDEVOP_get_nr_pirqs      22
#define PHYSDEVOP_get_free_pirq     23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add    25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28
#define PHYSDEVOP_dbgp_op           29
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31

/* Older upper-case spellings, still used by some callers. */
#define PHYSDEVOP_IRQ_STATUS_QUERY PHYSDEVOP_irq_status_query
#define PHYSDEVOP_SET_IOPL         PHYSDEVOP_set_iopl
#define PHYSDEVOP_SET_IOBITMAP     PHYSDEVOP_set_iobitmap
#define PHYSDEVOP_APIC_READ        PHYSDEVOP_apic_read
#define PHYSDEVOP_APIC_WRITE       PHYSDEVOP_apic_write
#define PHYSDEVOP_ASSIGN_VECTOR    PHYSDEVOP_alloc_irq_vector
#define PHYSDEVOP_FREE_VECTOR      PHYSDEVOP_free_irq_vector

struct physdev_eoi {
    uint32_t irq; /* IN */
};

/* Register a frame whose bits say which PIRQs need an EOI. */
struct physdev_pirq_eoi_gmfn {
    xen_ulong_t gmfn; /* IN */
};

#define _XENIRQSTAT_needs_eoi 0
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared    1
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared)
#define PHYSDEVOP_IRQ_NEEDS_UNMASK_NOTIFY XENIRQSTAT_needs_eoi
#define PHYSDEVOP_IRQ_SHARED              XENIRQSTAT_shared

struct physdev_irq_status_query {
    uint32_t irq;   /* IN */
    uint32_t flags; /* OUT: XENIRQSTAT_* */
};

struct physdev_set_iopl {
    uint32_t iopl; /* IN: 0..3 */
};

/* Per-port I/O permission for the guest's user mode. */
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8_t) bitmap; /* IN: a clear bit allows the port */
    uint32_t nr_ports;                /* IN */
};

struct physdev_apic {
    uint64_t apic_physbase; /* IN */
    uint32_t reg;           /* IN */
    uint32_t value;         /* IN (write) or OUT (read) */
};

struct physdev_irq {
    uint32_t irq;    /* IN */
    uint32_t vector; /* IN or OUT */
};

#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

struct physdev_map_pirq {
    domid_t domid;
    int32_t type;        /* IN: MAP_PIRQ_TYPE_* */
    int32_t index;       /* IN */
    int32_t pirq;        /* IN or OUT */
    int32_t bus;         /* IN; segment in bits 31:16 for the *_SEG/MULTI types */
    int32_t devfn;       /* IN */
    int32_t entry_nr;    /* IN: MSI-X entry or vector count; OUT for MULTI_MSI */
    uint64_t table_base; /* IN */
};

struct physdev_unmap_pirq {
    domid_t domid;
    int32_t pirq; /* IN */
};

struct physdev_manage_pci {
    uint8_t bus;   /* IN */
    uint8_t devfn; /* IN */
};

struct physdev_restore_msi {
    uint8_t bus;   /* IN */
    uint8_t devfn; /* IN */
};

struct physdev_manage_pci_ext {
    uint8_t bus;        /* IN */
    uint8_t devfn;      /* IN */
    uint32_t is_extfn;  /* IN */
    uint32_t is_virtfn; /* IN */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;           /* IN, for virtual functions */
};

/* The old compat call (hypercall 19) took this; kept for its layout. */
struct physdev_op {
    uint32_t cmd;
    union {
        struct physdev_irq_status_query irq_status_query;
        struct physdev_set_iopl set_iopl;
        struct physdev_set_iobitmap set_iobitmap;
        struct physdev_apic apic_op;
        struct physdev_irq irq_op;
    } u;
};

struct physdev_setup_gsi {
    int32_t gsi;        /* IN */
    uint8_t triggering; /* IN */
    uint8_t polarity;   /* IN */
};

struct physdev_nr_pirqs {
    uint32_t nr_pirqs; /* OUT */
};

struct physdev_get_free_pirq {
    int32_t type;  /* IN: MAP_PIRQ_TYPE_GSI or _MSI */
    uint32_t pirq; /* OUT */
};

#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4 /* optarr[0] holds the proximity domain */

#define XEN_PCI_MMCFG_RESERVED 0x1

struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags; /* XEN_PCI_MMCFG_* */
};

struct physdev_pci_device_add {
    uint16_t seg;   /* IN */
    uint8_t bus;    /* IN */
    uint8_t devfn;  /* IN */
    uint32_t flags; /* IN: XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;       /* IN, with XEN_PCI_DEV_VIRTFN */
    uint32_t optarr[];
};

/* remove, restore_msi_ext, prepare_msix and release_msix take this. */
struct physdev_pci_device {
    uint16_t seg;  /* IN */
    uint8_t bus;   /* IN */
    uint8_t devfn; /* IN */
};

#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN   0
#define PHYSDEVOP_DBGP_BUS_PCI       1

struct physdev_dbgp_op {
    uint8_t op;  /* IN: PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus; /* IN: PHYSDEVOP_DBGP_BUS_* */
    union {
        struct physdev_pci_device pci;
    } u;
};

#endif /* XEN_PUBLIC_PHYSDEV_H */
