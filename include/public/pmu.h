/*
 * xenpmu_op(cmd, arg): the virtual performance-monitoring unit.
 *
 * Linux 6.1 calls XENPMU_init for every vCPU and copes with failure, so a
 * hypervisor without a virtual PMU may refuse every command.  Only the
 * parameter block is described; the shared PMU page layout is not used
 * here.  Numbers and layouts are upstream facts; append only.
 */
#ifndef XEN_PUBLIC_PMU_H
#define XEN_PUBLIC_PMU_H

#include <stdint.h>

#include "xen.h"

#define XENPMU_VER_MAJ 0
#define XENPMU_VER_MIN 1

#define XENPMU_mode_get    0 /* also returns the PMU version */
#define XENPMU_mode_set    1
#define XENPMU_feature_get 2
#define XENPMU_feature_set 3
#define XENPMU_init        4
#define XENPMU_finish      5
#define XENPMU_lvtpc_set   6
#define XENPMU_flush       7

#define XENPMU_MODE_OFF  0
#define XENPMU_MODE_SELF (1U << 0)
#define XENPMU_MODE_HV   (1U << 1)
#define XENPMU_MODE_ALL  (1U << 2)

#define XENPMU_FEATURE_INTEL_BTS 1

struct xen_pmu_params {
    struct {
        uint32_t maj;
        uint32_t min;
    } version;     /* IN/OUT */
    uint64_t val;  /* IN/OUT: mode, features, or the PMU page's frame */
    uint32_t vcpu; /* IN */
    uint32_t pad;
};

#endif /* XEN_PUBLIC_PMU_H */
