/*
 * The fast path of port I/O: the TSS I/O-permission bitmap.
 *
 * PV guest kernels run in ring 3 with the real IOPL 0, so every in/out
 * they execute is checked against the TSS bitmap; without one, each is a
 * #GP that the emulator (pv/emul-priv.c, pv/emul-io.c) decodes, checks
 * and performs, about two thousand instructions under TCG.  A domain with
 * port permissions has a bitmap made from its port set (io-perm.c:
 * io_bitmap_build); while one of its vCPUs runs in guest kernel mode with
 * a virtual IOPL that allows kernel I/O, this CPU's TSS shows that bitmap
 * and the ports it opens go straight to the hardware.  Everything else
 * still traps: ports outside the set, the ports the hypervisor must see
 * (io_port_always_traps: PCI configuration, ACPI power and reset, PIC,
 * PIT, COM1), every access from guest user mode (which shares ring 3 with
 * the kernel, so the bitmap is switched off on the way to user mode), and
 * every access while the guest has an I/O breakpoint armed (those are
 * emulated: pv/debugreg.c).
 *
 * The TSS is per CPU and the bitmap per domain: the domain's bitmap is
 * copied (8 KiB) into the TSS when a CPU switches to a vCPU of another
 * domain than the one whose copy it holds (by generation number, so a
 * rebuilt or freed bitmap is never reused); a switch between guest
 * kernel and user mode only rewrites the 16-bit I/O map base.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/io-bitmap.h>
#include <asm/pv.h>
#include <asm/percpu.h>

/* The generation of the domain bitmap this CPU's TSS holds (0: none). */
static uint64_t loaded_gen[NR_CPUS];

void io_bitmap_switch_to(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    unsigned int cpu = smp_processor_id();

    if ( d->arch.io_bitmap && loaded_gen[cpu] != d->arch.io_bitmap_gen )
    {
        tss_set_iomap_base(cpu, false);
        memcpy(tss_io_bitmap(cpu), d->arch.io_bitmap, IO_BITMAP_BYTES);
        loaded_gen[cpu] = d->arch.io_bitmap_gen;
    }
    io_bitmap_sync(v);
}

void io_bitmap_sync(const struct vcpu *v)
{
    const struct domain *d = v->domain;
    unsigned int cpu = smp_processor_id();
    bool on = d->arch.io_bitmap && loaded_gen[cpu] == d->arch.io_bitmap_gen &&
              v->arch.kernel_mode && pv_iopl_ok(v) &&
              !(v->arch.cr4_de && v->arch.dr7_emul);

    tss_set_iomap_base(cpu, on);
}
