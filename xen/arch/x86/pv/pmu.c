/*
 * xenpmu_op: the virtual performance-monitoring unit, which we do not
 * provide.  Every command is refused with -ENOSYS, on purpose and in the
 * open: Linux 6.1 issues XENPMU_init for each vCPU and carries on without
 * a vPMU when it fails (include/public/pmu.h).  The dispatcher reports the
 * first refusal per domain and command as an unsupported sub-op.
 */
#include <xen/errno.h>
#include <xen/hypercall.h>

HYPERCALL(xenpmu_op)
{
    return -ENOSYS;
}
