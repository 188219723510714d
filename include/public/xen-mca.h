/*
 * mca(struct xen_mc *): machine-check reporting for the initial domain.
 *
 * Linux 6.1's mcelog driver asks XEN_MC_physcpuinfo at boot (first with a
 * null buffer for the CPU count, then for the CPUs) and then binds
 * VIRQ_MCA; XEN_MC_fetch runs only when that VIRQ fires.  Described here:
 * the command block and the per-CPU record.  Numbers and layouts are
 * upstream facts; append only.
 */
#ifndef XEN_PUBLIC_XEN_MCA_H
#define XEN_PUBLIC_XEN_MCA_H

#include <stdint.h>

#include "xen.h"

#define XEN_MCA_INTERFACE_VERSION 0x01ecc003

#define XEN_MC_fetch        1
#define XEN_MC_notifydomain 2
#define XEN_MC_physcpuinfo  3
#define XEN_MC_msrinject    4
#define XEN_MC_mceinject    5

struct mcinfo_msr {
    uint64_t reg;
    uint64_t value;
};

/* One physical CPU as XEN_MC_physcpuinfo reports it. */
struct mcinfo_logical_cpu {
    uint32_t mc_cpunr;
    uint32_t mc_chipid;
    uint16_t mc_coreid;
    uint16_t mc_threadid;
    uint32_t mc_apicid;
    uint32_t mc_clusterid;
    uint32_t mc_ncores;
    uint32_t mc_ncores_active;
    uint32_t mc_nthreads;
    uint32_t mc_cpuid_level;
    uint32_t mc_family;
    uint32_t mc_vendor;
    uint32_t mc_model;
    uint32_t mc_step;
    char mc_vendorid[16];               /* CPUID 0 vendor string */
    char mc_brandid[64];                /* CPUID 0x80000002-4 brand */
    uint32_t mc_cpu_caps[7];
    uint32_t mc_cache_size;
    uint32_t mc_cache_alignment;
    uint32_t mc_nmsrvals;               /* valid entries below */
    struct mcinfo_msr mc_msrvalues[8];
};
DEFINE_XEN_GUEST_HANDLE_STRUCT(mcinfo_logical_cpu);

struct xen_mc_fetch {
    uint32_t flags;
    uint32_t _pad0;
    uint64_t fetch_id;
    XEN_GUEST_HANDLE(void) data;        /* struct mc_info, not described */
};

struct xen_mc_notifydomain {
    uint16_t mc_domid;
    uint16_t mc_vcpuid;
    uint32_t flags;
};

struct xen_mc_physcpuinfo {
    uint32_t ncpus;                     /* IN: buffer entries; OUT: count */
    uint32_t _pad0;
    XEN_GUEST_HANDLE(mcinfo_logical_cpu) info;  /* null: count only */
};

struct xen_mc_msrinject {
    uint32_t mcinj_cpunr;
    uint32_t mcinj_flags;
    uint32_t mcinj_count;
    uint32_t _pad0;
    struct mcinfo_msr mcinj_msr[8];
};

struct xen_mc_mceinject {
    unsigned int mceinj_cpunr;
};

struct xen_mc {
    uint32_t cmd;                       /* XEN_MC_* */
    uint32_t interface_version;         /* XEN_MCA_INTERFACE_VERSION */
    union {
        struct xen_mc_fetch mc_fetch;
        struct xen_mc_notifydomain mc_notifydomain;
        struct xen_mc_physcpuinfo mc_physcpuinfo;
        struct xen_mc_msrinject mc_msrinject;
        struct xen_mc_mceinject mc_mceinject;
    } u;
};

#endif /* XEN_PUBLIC_XEN_MCA_H */
