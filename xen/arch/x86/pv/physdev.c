/*
 * physdev_op: a PV guest's view of physical devices.
 *
 * Here: the virtual IOPL (PHYSDEVOP_set_iopl), which decides whether the
 * guest kernel's cli/sti/in/out are emulated (whether a port reaches the
 * machine is the domain's port permissions, pv/emul-io.c).  The interrupt
 * sub-operations are in physdev-irq.c.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <public/physdev.h>
#include <public/xen-mca.h>
#include <xen/smp.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/extable.h>
#include <asm/pv.h>
#include <asm/io-bitmap.h>

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
        io_bitmap_sync(v);      /* the TSS bitmap follows the vIOPL */
        return 0;
    }
    default:
        /* Physical interrupts (physdev-irq.c). */
        return pv_physdev_irq_op(a1, a2);
    }
}

/*
 * Machine-check reporting.  XEN_MC_physcpuinfo, which dom0's mcelog driver
 * asks at boot, is answered as Xen answers it: the online CPU count (null
 * buffer), or that many records (at most the buffer's count) and the
 * count written back.  The records are built from this CPU's CPUID, the
 * same on every CPU of the machines we run on, with each CPU's number and
 * APIC id and the MCG_CAP MSR (0 where it cannot be read).  No machine
 * check is ever reported, so the other commands stay -ENOSYS.
 */
#define MSR_IA32_MCG_CAP 0x179
#define XEN_X86_VENDOR_INTEL (1u << 0)      /* Xen's x86_vendor values */
#define XEN_X86_VENDOR_AMD   (1u << 1)

static void mc_cpu_record(struct mcinfo_logical_cpu *l, unsigned int cpu)
{
    uint32_t a, b, c, d, fam, model;
    uint64_t cap;

    memset(l, 0, sizeof(*l));
    l->mc_cpunr = cpu;
    l->mc_apicid = cpu_apic_id[cpu];
    l->mc_coreid = cpu;
    l->mc_ncores = l->mc_ncores_active = l->mc_nthreads = 1;

    cpuid(0, &a, &b, &c, &d);
    l->mc_cpuid_level = a;
    memcpy(l->mc_vendorid, &b, 4);
    memcpy(l->mc_vendorid + 4, &d, 4);
    memcpy(l->mc_vendorid + 8, &c, 4);
    l->mc_vendor = !memcmp(l->mc_vendorid, "GenuineIntel", 12)
                   ? XEN_X86_VENDOR_INTEL
                   : !memcmp(l->mc_vendorid, "AuthenticAMD", 12)
                   ? XEN_X86_VENDOR_AMD : 0;

    cpuid(1, &a, &b, &c, &d);
    fam = (a >> 8) & 0xf;
    model = (a >> 4) & 0xf;
    if ( fam == 0xf )
        fam += (a >> 20) & 0xff;
    if ( fam >= 6 )
        model |= ((a >> 16) & 0xf) << 4;
    l->mc_family = fam;
    l->mc_model = model;
    l->mc_step = a & 0xf;
    l->mc_cache_alignment = ((b >> 8) & 0xff) * 8;
    l->mc_cpu_caps[0] = d;
    l->mc_cpu_caps[1] = c;

    cpuid(0x80000000, &a, &b, &c, &d);
    if ( a >= 0x80000004 )
        for ( unsigned int i = 0; i < 3; i++ )
            cpuid(0x80000002 + i, (uint32_t *)&l->mc_brandid[16 * i],
                  (uint32_t *)&l->mc_brandid[16 * i + 4],
                  (uint32_t *)&l->mc_brandid[16 * i + 8],
                  (uint32_t *)&l->mc_brandid[16 * i + 12]);
    if ( a >= 0x80000001 )
    {
        uint32_t e1c, e1d;

        cpuid(0x80000001, &b, &b, &e1c, &e1d);
        l->mc_cpu_caps[2] = e1d;
        l->mc_cpu_caps[3] = e1c;
    }
    if ( a >= 0x80000006 )
    {
        cpuid(0x80000006, &b, &b, &c, &d);
        l->mc_cache_size = c >> 16;
    }

    l->mc_nmsrvals = 1;
    l->mc_msrvalues[0].reg = MSR_IA32_MCG_CAP;
    l->mc_msrvalues[0].value = rdmsr_safe(MSR_IA32_MCG_CAP, &cap) ? 0 : cap;
}

HYPERCALL(mca)
{
    struct xen_mc mc;
    struct xen_mc_physcpuinfo *pi = &mc.u.mc_physcpuinfo;
    unsigned int n = num_online_cpus(), done = 0, cpu;
    long rc = 0;

    if ( !current->domain->is_privileged )
        return -EPERM;
    if ( copy_from_guest(&mc, a1, sizeof(mc)) )
        return -EFAULT;
    if ( mc.interface_version != XEN_MCA_INTERFACE_VERSION )
        return -EACCES;
    if ( mc.cmd != XEN_MC_physcpuinfo )
        return -ENOSYS;

    if ( guest_handle_va(pi->info) )
    {
        if ( (int32_t)pi->ncpus <= 0 )
            return -EINVAL;
        if ( n > pi->ncpus )
            n = pi->ncpus;
        for_each_online_cpu ( cpu )
        {
            struct mcinfo_logical_cpu rec;

            if ( done == n )
                break;
            mc_cpu_record(&rec, cpu);
            if ( copy_to_guest(guest_handle_va(pi->info) +
                               done * sizeof(rec), &rec, sizeof(rec)) )
            {
                rc = -EFAULT;
                break;
            }
            done++;
        }
    }
    pi->ncpus = n;
    if ( copy_to_guest(a1, &mc, sizeof(mc)) )
        return -EFAULT;
    return rc;
}
