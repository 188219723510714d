/*
 * platform_op(op): dom0's control of the physical platform (time, MTRRs,
 * firmware tables, power management, CPU hotplug).
 *
 * Every call carries interface_version = XENPF_INTERFACE_VERSION; the
 * argument union is padded to 128 bytes.  Numbers and layouts are upstream
 * facts as Linux 6.1 uses them; append only.
 */
#ifndef XEN_PUBLIC_PLATFORM_H
#define XEN_PUBLIC_PLATFORM_H

#include <stdint.h>

#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32             17
#define XENPF_add_memtype           31
#define XENPF_del_memtype           32
#define XENPF_read_memtype          33
#define XENPF_microcode_update      35
#define XENPF_platform_quirk        39
#define XENPF_efi_runtime_call      49
#define XENPF_firmware_info         50
#define XENPF_enter_acpi_sleep      51
#define XENPF_change_freq           52
#define XENPF_getidletime           53
#define XENPF_set_processor_pminfo  54
#define XENPF_get_cpuinfo           55
#define XENPF_cpu_online            56
#define XENPF_cpu_offline           57
#define XENPF_cpu_hotadd            58
#define XENPF_mem_hotadd            59
#define XENPF_core_parking          60
#define XENPF_settime64             62
#define XENPF_get_symbol            63
#define XENPF_get_dom0_console      64 /* struct dom0_vga_console_info */

/* ---- Wall-clock time: the time of day at the given system time ---- */

struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz; /* must be zero */
    uint64_t system_time;
};

/* ---- MTRRs ---- */

struct xenpf_add_memtype {
    xen_pfn_t mfn;    /* IN */
    uint64_t nr_mfns; /* IN */
    uint32_t type;    /* IN: MTRR type */
    uint32_t handle;  /* OUT */
    uint32_t reg;     /* OUT */
};

struct xenpf_del_memtype {
    uint32_t handle; /* IN */
    uint32_t reg;    /* IN */
};

struct xenpf_read_memtype {
    uint32_t reg;     /* IN */
    xen_pfn_t mfn;    /* OUT */
    uint64_t nr_mfns; /* OUT */
    uint32_t type;    /* OUT */
};

struct xenpf_microcode_update {
    XEN_GUEST_HANDLE(void) data; /* IN: the microcode blob */
    uint32_t length;             /* IN */
};

#define QUIRK_NOIRQBALANCING     1
#define QUIRK_IOAPIC_BAD_REGSEL  2
#define QUIRK_IOAPIC_GOOD_REGSEL 3

struct xenpf_platform_quirk {
    uint32_t quirk_id; /* IN: QUIRK_* */
};

/* ---- EFI runtime services ---- */

#define XEN_EFI_get_time                       1
#define XEN_EFI_set_time                       2
#define XEN_EFI_get_wakeup_time                3
#define XEN_EFI_set_wakeup_time                4
#define XEN_EFI_get_next_high_monotonic_count  5
#define XEN_EFI_get_variable                   6
#define XEN_EFI_set_variable                   7
#define XEN_EFI_get_next_variable_name         8
#define XEN_EFI_query_variable_info            9
#define XEN_EFI_query_capsule_capabilities    10
#define XEN_EFI_update_capsule                11

#define XEN_EFI_GET_TIME_SET_CLEARS_NS        0x00000001
#define XEN_EFI_GET_WAKEUP_TIME_ENABLED       0x00000001
#define XEN_EFI_GET_WAKEUP_TIME_PENDING       0x00000002
#define XEN_EFI_SET_WAKEUP_TIME_ENABLE        0x00000001
#define XEN_EFI_SET_WAKEUP_TIME_ENABLE_ONLY   0x00000002
#define XEN_EFI_VARIABLE_NON_VOLATILE         0x00000001
#define XEN_EFI_VARIABLE_BOOTSERVICE_ACCESS   0x00000002
#define XEN_EFI_VARIABLE_RUNTIME_ACCESS       0x00000004

struct xenpf_efi_time {
    uint16_t year;
    uint8_t month;
    uint8_t day;
    uint8_t hour;
    uint8_t min;
    uint8_t sec;
    uint32_t ns;
    int16_t tz;
    uint8_t daylight;
};

struct xenpf_efi_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
};

struct xenpf_efi_runtime_call {
    uint32_t function; /* XEN_EFI_* */
    uint32_t misc;     /* per-function flags, or the monotonic count */
    xen_ulong_t status; /* OUT: EFI status */
    union {
        struct {
            struct xenpf_efi_time time;
            uint32_t resolution;
            uint32_t accuracy;
        } get_time;
        struct xenpf_efi_time set_time;
        struct xenpf_efi_time get_wakeup_time;
        struct xenpf_efi_time set_wakeup_time;
        struct {
            XEN_GUEST_HANDLE(void) name; /* UCS-2 */
            xen_ulong_t size;
            XEN_GUEST_HANDLE(void) data;
            struct xenpf_efi_guid vendor_guid;
        } get_variable, set_variable;
        struct {
            xen_ulong_t size;
            XEN_GUEST_HANDLE(void) name; /* UCS-2 */
            struct xenpf_efi_guid vendor_guid;
        } get_next_variable_name;
        struct {
            uint32_t attr;
            uint64_t max_store_size;
            uint64_t remain_store_size;
            uint64_t max_size;
        } query_variable_info;
        struct {
            XEN_GUEST_HANDLE(void) capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t max_capsule_size;
            uint32_t reset_type;
        } query_capsule_capabilities;
        struct {
            XEN_GUEST_HANDLE(void) capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t sg_list; /* machine address */
        } update_capsule;
    } u;
};

/* ---- Firmware information gathered at boot ---- */

#define XEN_FW_DISK_INFO          1 /* BIOS int 13h */
#define XEN_FW_DISK_MBR_SIGNATURE 2
#define XEN_FW_VBEDDC_INFO        3 /* BIOS int 10h AX=4F15h */
#define XEN_FW_EFI_INFO           4
#define XEN_FW_KBD_SHIFT_FLAGS    5 /* BIOS int 16h AH=02h */

/* index values for XEN_FW_EFI_INFO */
#define XEN_FW_EFI_VERSION      0
#define XEN_FW_EFI_CONFIG_TABLE 1
#define XEN_FW_EFI_VENDOR       2
#define XEN_FW_EFI_MEM_INFO     3
#define XEN_FW_EFI_RT_VERSION   4

union xenpf_efi_info {
    uint32_t version;
    struct {
        uint64_t addr; /* EFI configuration table */
        uint32_t nent;
    } cfg;
    struct {
        uint32_t revision;
        uint32_t bufsz;              /* IN: bytes at name */
        XEN_GUEST_HANDLE(void) name; /* UCS-2 */
    } vendor;
    struct {
        uint64_t addr;
        uint64_t size;
        uint64_t attr;
        uint32_t type;
    } mem;
};

struct xenpf_firmware_info {
    uint32_t type;  /* IN: XEN_FW_* */
    uint32_t index; /* IN */
    union {
        struct {
            uint8_t device;
            uint8_t version;
            uint16_t interface_support;
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            XEN_GUEST_HANDLE(void) edd_params; /* first u16 = buffer size */
        } disk_info;
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            XEN_GUEST_HANDLE(uchar) edid; /* 128-byte buffer */
        } vbeddc_info;
        union xenpf_efi_info efi_info;
        uint8_t kbd_shift_flags;
    } u; /* OUT */
};

/* ---- ACPI sleep and frequency ---- */

#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001

struct xenpf_enter_acpi_sleep {
    uint16_t val_a;       /* PM1a control / sleep type A */
    uint16_t val_b;       /* PM1b control / sleep type B */
    uint32_t sleep_state; /* S-state */
    uint32_t flags;       /* XENPF_ACPI_SLEEP_* */
};

struct xenpf_change_freq {
    uint32_t flags; /* must be zero */
    uint32_t cpu;   /* physical CPU */
    uint64_t freq;  /* Hz */
};

/* Idle time per physical CPU, in ns. */
struct xenpf_getidletime {
    XEN_GUEST_HANDLE(uchar) cpumap_bitmap; /* IN: CPUs asked; OUT: those present */
    uint32_t cpumap_nr_cpus;               /* IN: bits in cpumap_bitmap */
    XEN_GUEST_HANDLE(uint64_t) idletime;   /* OUT */
    uint64_t now;                          /* OUT: system time of the sample */
};

/* ---- Processor power-management information from ACPI ---- */

#define XEN_PROCESSOR_PM_CX 1
#define XEN_PROCESSOR_PM_PX 2
#define XEN_PROCESSOR_PM_TX 4

#define XEN_PM_CX  0
#define XEN_PM_PX  1
#define XEN_PM_TX  2
#define XEN_PM_PDC 3

#define XEN_PX_PCT 1
#define XEN_PX_PSS 2
#define XEN_PX_PPC 4
#define XEN_PX_PSD 8

/* An ACPI generic address. */
struct xen_power_register {
    uint32_t space_id;
    uint32_t bit_width;
    uint32_t bit_offset;
    uint32_t access_size;
    uint64_t address;
};

struct xen_processor_csd {
    uint32_t domain;
    uint32_t coord_type;
    uint32_t num;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_processor_csd);

struct xen_processor_cx {
    struct xen_power_register reg;
    uint8_t type;     /* C-state number */
    uint32_t latency; /* worst-case entry+exit */
    uint32_t power;   /* mW */
    uint32_t dpcnt;
    XEN_GUEST_HANDLE(xen_processor_csd) dp;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_processor_cx);

/* xen_processor_power.flags bits (a bit-field word in C headers). */
#define XEN_PROCESSOR_FLAG_BM_CONTROL       (1U << 0)
#define XEN_PROCESSOR_FLAG_BM_CHECK         (1U << 1)
#define XEN_PROCESSOR_FLAG_HAS_CST          (1U << 2)
#define XEN_PROCESSOR_FLAG_POWER_SETUP_DONE (1U << 3)
#define XEN_PROCESSOR_FLAG_BM_RLD_SET       (1U << 4)

struct xen_processor_power {
    uint32_t count; /* entries in states */
    uint32_t flags; /* XEN_PROCESSOR_FLAG_* */
    XEN_GUEST_HANDLE(xen_processor_cx) states;
};

struct xen_pct_register {
    uint8_t descriptor;
    uint16_t length;
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t reserved;
    uint64_t address;
};

struct xen_processor_px {
    uint64_t core_frequency;     /* MHz */
    uint64_t power;              /* mW */
    uint64_t transition_latency; /* us */
    uint64_t bus_master_latency; /* us */
    uint64_t control;
    uint64_t status;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_processor_px);

struct xen_psd_package {
    uint64_t num_entries;
    uint64_t revision;
    uint64_t domain;
    uint64_t coord_type;
    uint64_t num_processors;
};

struct xen_processor_performance {
    uint32_t flags;          /* XEN_PX_* present */
    uint32_t platform_limit;
    struct xen_pct_register control_register;
    struct xen_pct_register status_register;
    uint32_t state_count;
    XEN_GUEST_HANDLE(xen_processor_px) states;
    struct xen_psd_package domain_info;
    uint32_t shared_type;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_processor_performance);

struct xenpf_set_processor_pminfo {
    uint32_t id;   /* ACPI CPU id */
    uint32_t type; /* XEN_PM_* */
    union {
        struct xen_processor_power power;
        struct xen_processor_performance perf;
        XEN_GUEST_HANDLE(uint32_t) pdc;
    };
};

/* ---- Physical CPUs and memory ---- */

#define XEN_PCPU_FLAGS_ONLINE  1
#define XEN_PCPU_FLAGS_INVALID 2 /* no such CPU */

struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;   /* IN */
    uint32_t max_present; /* OUT: highest present CPU id */
    uint32_t flags;       /* OUT: XEN_PCPU_FLAGS_* */
    uint32_t apic_id;     /* OUT */
    uint32_t acpi_id;     /* OUT */
};

struct xenpf_cpu_ol {
    uint32_t cpuid;
};

struct xenpf_cpu_hotadd {
    uint32_t apic_id;
    uint32_t acpi_id;
    uint32_t pxm;
};

struct xenpf_mem_hotadd {
    uint64_t spfn;
    uint64_t epfn;
    uint32_t pxm;
    uint32_t flags;
};

#define XEN_CORE_PARKING_SET 1
#define XEN_CORE_PARKING_GET 2

struct xenpf_core_parking {
    uint32_t type;      /* XEN_CORE_PARKING_* */
    uint32_t idle_nums; /* IN (set) or OUT (get): CPUs to idle */
};

/* Walk the hypervisor's symbol table one entry per call. */
struct xenpf_symdata {
    uint32_t namelen;             /* IN: size of name; OUT: bytes written */
    uint32_t symnum;              /* IN: symbol; OUT: the next one (same = end) */
    XEN_GUEST_HANDLE(char) name;  /* OUT */
    uint64_t address;             /* OUT */
    char type;                    /* OUT */
};

/* ---- The call ---- */

struct xen_platform_op {
    uint32_t cmd;               /* XENPF_* */
    uint32_t interface_version; /* XENPF_INTERFACE_VERSION */
    union {
        struct xenpf_settime32 settime32;
        struct xenpf_settime64 settime64;
        struct xenpf_add_memtype add_memtype;
        struct xenpf_del_memtype del_memtype;
        struct xenpf_read_memtype read_memtype;
        struct xenpf_microcode_update microcode;
        struct xenpf_platform_quirk platform_quirk;
        struct xenpf_efi_runtime_call efi_runtime_call;
        struct xenpf_firmware_info firmware_info;
        struct xenpf_enter_acpi_sleep enter_acpi_sleep;
        struct xenpf_change_freq change_freq;
        struct xenpf_getidletime getidletime;
        struct xenpf_set_processor_pminfo set_pminfo;
        struct xenpf_pcpuinfo pcpu_info;
        struct xenpf_cpu_ol cpu_ol;
        struct xenpf_cpu_hotadd cpu_add;
        struct xenpf_mem_hotadd mem_add;
        struct xenpf_core_parking core_parking;
        struct xenpf_symdata symdata;
        struct dom0_vga_console_info dom0_console;
        uint8_t pad[128];
    } u;
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(xen_platform_op);

#endif /* XEN_PUBLIC_PLATFORM_H */
