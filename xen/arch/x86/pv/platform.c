/*
 * platform_op: dom0's questions about the physical machine.
 *
 * Answered: XENPF_get_cpuinfo (Linux's pcpu driver and its APIC view),
 * XENPF_settime64/settime32 (dom0 setting the wall clock),
 * XENPF_firmware_info and XENPF_enter_acpi_sleep with Xen's answers for a
 * machine booted through multiboot without BIOS disk/EDID data or EFI
 * (the EFI probe's -ENOSYS is Xen's answer, not logged as unsupported).
 * Everything else is -ENOSYS, which Linux tolerates for each sub-op it
 * issues.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <asm/apic.h>
#include <asm/acpi.h>
#include <public/platform.h>
#include <public/sched.h>

HYPERCALL(platform_op)
{
    struct xen_platform_op op;

    if ( !current->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(&op, a1, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XENPF_INTERFACE_VERSION )
        return -EACCES;

    switch ( op.cmd )
    {
    case XENPF_get_cpuinfo:
    {
        struct xenpf_pcpuinfo *p = &op.u.pcpu_info;
        unsigned int cpu = p->xen_cpuid;

        p->max_present = nr_cpu_ids - 1;
        if ( cpu >= nr_cpu_ids )
        {
            p->flags = XEN_PCPU_FLAGS_INVALID;
            p->apic_id = p->acpi_id = ~0u;
        }
        else
        {
            p->flags = cpu_online(cpu) ? XEN_PCPU_FLAGS_ONLINE : 0;
            /* Guests see APIC ids as 0 (cpuid leaf 1 hides them), so
             * report the same to keep Linux's topology consistent. */
            p->apic_id = 0;
            p->acpi_id = cpu;
        }
        break;
    }
    case XENPF_settime32:
        /* The older form: 32-bit seconds, no padding word. */
        if ( op.u.settime32.nsecs >= 1000000000u )
            return -EINVAL;
        wallclock_set(op.u.settime32.secs, op.u.settime32.nsecs,
                      op.u.settime32.system_time);
        return 0;
    case XENPF_settime64:
        if ( op.u.settime64.mbz || op.u.settime64.nsecs >= 1000000000u )
            return -EINVAL;
        wallclock_set(op.u.settime64.secs, op.u.settime64.nsecs,
                      op.u.settime64.system_time);
        return 0;
    case XENPF_firmware_info:
    {
        struct xenpf_firmware_info *fw = &op.u.firmware_info;

        switch ( fw->type )
        {
        case XEN_FW_DISK_INFO:
        case XEN_FW_DISK_MBR_SIGNATURE:
        case XEN_FW_VBEDDC_INFO:
            return -ESRCH;      /* no EDD/MBR/EDID data was collected */
        case XEN_FW_EFI_INFO:
            /* Not an EFI boot: Xen's efi_get_info() says -ENOSYS, and
             * Linux dom0 asks at every boot (xen_efi_probe): an answer,
             * so no "sub-op 50 is not supported" line. */
            return hypercall_enosys_answer();
        case XEN_FW_KBD_SHIFT_FLAGS:
            if ( fw->index != 0 )
                return -ESRCH;
            fw->u.kbd_shift_flags = 0;
            break;
        default:
            return -EINVAL;
        }
        break;
    }
    case XENPF_enter_acpi_sleep:
    {
        const struct xenpf_enter_acpi_sleep *s = &op.u.enter_acpi_sleep;

        /* Xen's order: S3 needs a wakeup vector (we have none), then the
         * flags, then the PM1 (or extended sleep) registers, then the
         * state: only S5 (power off) is entered. */
        if ( s->sleep_state == 3 )
            return -EOPNOTSUPP;
        if ( s->flags & ~XENPF_ACPI_SLEEP_EXTENDED )
            return -EINVAL;
        if ( (s->flags & XENPF_ACPI_SLEEP_EXTENDED) || !acpi_info.pm1a_cnt )
            return -EPERM;
        if ( s->sleep_state != 5 )
            return -EINVAL;
        /* The hypervisor's own reading of _S5_ wins; if its byte scan
         * found none, dom0's AML interpreter's SLP_TYP values (bits 10-12
         * of the PM1 control values it passes) are used. */
        acpi_s5_fallback((s->val_a >> 10) & 7, (s->val_b >> 10) & 7);
        printk("Domain %u: ACPI S5 requested (XENPF_enter_acpi_sleep)\n",
               current->domain->domain_id);
        /* For the hardware domain this stops the other CPUs and enters
         * S5 (machine_exit); under test it ends QEMU with status 33. */
        domain_shutdown(current->domain, SHUTDOWN_poweroff);
        return 0;
    }
    default:
        return -ENOSYS;
    }
    return copy_to_guest(a1, &op, sizeof(op)) ? -EFAULT : 0;
}
