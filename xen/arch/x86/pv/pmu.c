/*
 * xenpmu_op: the virtual performance-monitoring unit, which we do not
 * provide.  Every command gets Xen's answer when its vPMU is off (the
 * default, "vpmu=0"): -EOPNOTSUPP.  Linux 6.1 issues XENPMU_init for each
 * vCPU (and XENPMU_finish when one goes down) and, on -EOPNOTSUPP, says
 * "VPMU disabled by hypervisor" and carries on (include/public/pmu.h).
 */
#include <xen/errno.h>
#include <xen/hypercall.h>

HYPERCALL(xenpmu_op)
{
    return -EOPNOTSUPP;
}
