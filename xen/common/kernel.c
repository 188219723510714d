/*
 * Small hypercalls about the hypervisor itself: xen_version, vm_assist.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/version.h>
#include <xen/arch-hooks.h>
#include <public/version.h>
#include <public/features.h>

static uint32_t guest_features(const struct domain *d, unsigned int idx)
{
    uint32_t f = 0;

    if ( idx != 0 )
        return 0;
    /* What a 64-bit PV guest gets (Linux requires bits 5 and 7 and must
     * not see auto_translated_physmap or writable_page_tables). */
    f |= 1u << XENFEAT_mmu_pt_update_preserve_ad;
    f |= 1u << XENFEAT_highmem_assist;
    f |= 1u << XENFEAT_gnttab_map_avail_bits;
    if ( d->is_privileged )
        f |= 1u << XENFEAT_dom0;
    return f;
}

static int copy_string_out(uint64_t dst, const char *s, size_t size)
{
    char buf[1024];

    memset(buf, 0, size);
    strlcpy(buf, s, size);
    return copy_to_guest(dst, buf, size) ? -EFAULT : 0;
}

HYPERCALL(xen_version)
{
    struct domain *d = current->domain;
    uint64_t arg = a2;

    switch ( a1 )
    {
    case XENVER_version:
        return (XEN_VERSION_MAJOR << 16) | XEN_VERSION_MINOR;
    case XENVER_extraversion:
        return copy_string_out(arg, XEN_EXTRAVERSION,
                               sizeof(struct xen_extraversion));
    case XENVER_compile_info:
    {
        struct xen_compile_info ci;

        memset(&ci, 0, sizeof(ci));
        strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
        strlcpy(ci.compile_by, XEN_PRODUCT, sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "localdomain", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_string_out(arg, "xen-3.0-x86_64",
                               sizeof(struct xen_capabilities_info));
    case XENVER_changeset:
        return copy_string_out(arg, XEN_PRODUCT,
                               sizeof(struct xen_changeset_info));
    case XENVER_platform_parameters:
    {
        struct xen_platform_parameters p = {
            .virt_start = HYPERVISOR_VIRT_START,
        };
        return copy_to_guest(arg, &p, sizeof(p)) ? -EFAULT : 0;
    }
    case XENVER_get_features:
    {
        struct xen_feature_info fi;

        if ( copy_from_guest(&fi, arg, sizeof(fi)) )
            return -EFAULT;
        fi.submap = guest_features(d, fi.submap_idx);
        return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    case XENVER_guest_handle:
        return copy_to_guest(arg, d->handle, sizeof(d->handle)) ? -EFAULT : 0;
    case XENVER_commandline:
        /* Only the privileged domain may read the hypervisor's options. */
        if ( !d->is_privileged )
            return -EPERM;
        return copy_string_out(arg, boot_info.cmdline,
                               sizeof(struct xen_commandline));
    default:
        return -ENOSYS;
    }
}

/* What a 64-bit PV guest may turn on (also what setvcpucontext takes
 * from a saved context's vm_assist). */
uint64_t vm_assist_allowed(void)
{
    return (1UL << VMASST_TYPE_writable_pagetables) |
           (1UL << VMASST_TYPE_runstate_update_flag) |
           (1UL << VMASST_TYPE_architectural_iopl);
}

HYPERCALL(vm_assist)
{
    struct domain *d = current->domain;
    const uint64_t allowed = vm_assist_allowed();

    if ( a2 >= 64 || !(allowed & (1UL << a2)) )
        return -EINVAL;
    switch ( a1 )
    {
    case VMASST_CMD_enable:
        d->arch.vm_assist |= 1UL << a2;
        return 0;
    case VMASST_CMD_disable:
        d->arch.vm_assist &= ~(1UL << a2);
        return 0;
    default:
        return -ENOSYS;
    }
}
