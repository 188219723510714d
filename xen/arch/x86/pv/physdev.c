/*
 * physdev_op: a PV guest's view of physical devices.
 *
 * For now this is the virtual IOPL (PHYSDEVOP_set_iopl), which decides
 * whether the guest kernel's cli/sti/in/out are emulated, and answers for
 * the interrupt sub-operations that say "no physical interrupts here" in a
 * way Linux accepts.  Passing real devices and their interrupts to dom0 is
 * a later step.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <public/physdev.h>

HYPERCALL(physdev_op)
{
    struct vcpu *v = current;

    switch ( a1 )
    {
    case PHYSDEVOP_set_iopl:
    {
        struct physdev_set_iopl s;

        if ( copy_from_guest(&s, a2, sizeof(s)) )
            return -EFAULT;
        if ( s.iopl > 3 )
            return -EINVAL;
        v->arch.iopl = s.iopl;
        return 0;
    }
    case PHYSDEVOP_get_nr_pirqs:
    {
        struct physdev_nr_pirqs n = { .nr_pirqs = 0 };

        return copy_to_guest(a2, &n, sizeof(n)) ? -EFAULT : 0;
    }
    default:
        return -ENOSYS;
    }
}

/* Machine-check reporting (dom0's mcelog asks at boot): none is offered,
 * and saying so is not worth a log line. */
HYPERCALL(mca)
{
    return -ENOSYS;
}
