/*
 * SMEP and SMAP where the CPU has them (see asm/smap.h for the rules).
 *
 * CPUID leaf 7 subleaf 0, EBX bit 7 (SMEP) and bit 20 (SMAP).  QEMU's
 * default qemu64 model has neither, "-cpu max" has both, as do Intel CPUs
 * since Ivy Bridge (SMEP) / Broadwell (SMAP) and AMD since Zen.  The
 * boot options smep=0 and smap=0 turn them off.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <asm/processor.h>
#include <asm/smap.h>

#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

static bool opt_smep = true, opt_smap = true;
boolean_param("smep", opt_smep);
boolean_param("smap", opt_smap);

bool smep_enabled, smap_enabled;

static uint32_t leaf7_ebx(void)
{
    uint32_t a, b, c, d;

    cpuid(0, &a, &b, &c, &d);
    if ( a < 7 )
        return 0;
    cpuid_count(7, 0, &a, &b, &c, &d);
    return b;
}

static const char *state(bool on, bool has, bool opt)
{
    return on ? "on" : !has ? "off (CPU lacks it)" : !opt ? "off (boot option)"
                            : "off";
}

void cpu_init_smep_smap(unsigned int cpu)
{
    uint32_t ebx = leaf7_ebx();
    bool has_smep = ebx & CPUID7_EBX_SMEP, has_smap = ebx & CPUID7_EBX_SMAP;

    if ( cpu == 0 )
    {
        smep_enabled = opt_smep && has_smep;
        smap_enabled = opt_smap && has_smap;
        printk("CPU protections: SMEP %s, SMAP %s\n",
               state(smep_enabled, has_smep, opt_smep),
               state(smap_enabled, has_smap, opt_smap));
    }
    else if ( (smep_enabled && !has_smep) || (smap_enabled && !has_smap) )
        panic("CPU %u lacks SMEP/SMAP that the boot CPU enabled", cpu);

    /* The AP trampoline copies the boot CPU's CR4, so set and clear
     * explicitly on every CPU. */
    write_cr4((read_cr4() & ~(X86_CR4_SMEP | X86_CR4_SMAP)) |
              (smep_enabled ? X86_CR4_SMEP : 0) |
              (smap_enabled ? X86_CR4_SMAP : 0));
}
