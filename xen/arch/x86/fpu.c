/*
 * The FPU/SSE state of PV vCPUs: one FXSAVE image each (no XSAVE).
 *
 * An image can come from outside: VCPUOP_initialise, the toolstack's
 * setvcpucontext and restore all hand the hypervisor 512 guest-chosen
 * bytes, and the context switch loads them with fxrstor.  On hardware,
 * fxrstor raises #GP when MXCSR has a bit set that the CPU does not
 * support (those outside MXCSR_MASK), and that #GP would be the
 * hypervisor's.  So every accepted image goes through fpu_sanitise_image(),
 * and the load itself has an exception fixup as a second line.
 */
#include <xen/lib.h>
#include <asm/extable.h>
#include <asm/fpu.h>
#include <asm/processor.h>

#define FXSAVE_MXCSR       24       /* byte offsets in the FXSAVE image */
#define FXSAVE_MXCSR_MASK  28
#define MXCSR_MASK_DEFAULT 0xffbfu  /* a zero mask field means this one */
#define MXCSR_DEFAULT      0x1f80u  /* all exceptions masked, round nearest */

static uint32_t mxcsr_mask = MXCSR_MASK_DEFAULT;

static uint32_t *image_mxcsr(void *image)
{
    return (uint32_t *)((uint8_t *)image + FXSAVE_MXCSR);
}

void fpu_init_mxcsr_mask(void)
{
    static uint8_t image[FPU_IMAGE_SIZE] __aligned(16);
    uint32_t m;

    __asm__ __volatile__("clts; fxsaveq %0" : "=m"(image));
    memcpy(&m, image + FXSAVE_MXCSR_MASK, sizeof(m));
    mxcsr_mask = m ? m : MXCSR_MASK_DEFAULT;
    printk("FPU: MXCSR mask %#x%s\n", mxcsr_mask,
           m ? "" : " (CPU reports 0: architectural default)");
}

uint32_t fpu_mxcsr_mask(void)
{
    return mxcsr_mask;
}

bool fpu_sanitise_image(void *image)
{
    uint32_t *mxcsr = image_mxcsr(image);

    if ( !(*mxcsr & ~mxcsr_mask) )
        return false;
    *mxcsr &= mxcsr_mask;
    return true;
}

void fpu_save_image(void *image)
{
    __asm__ __volatile__("clts; fxsaveq %0" : "=m"(*(uint8_t (*)[FPU_IMAGE_SIZE])image));
}

bool fpu_load_image(const void *image)
{
    bool ok = true;

    __asm__ __volatile__(
        "1: fxrstorq %1\n"
        EXTABLE_CLEAR_ON_FAULT("%0")
        : "+qm"(ok)
        : "m"(*(const uint8_t (*)[FPU_IMAGE_SIZE])image));
    return ok;
}

void fpu_load_default(void)
{
    uint32_t mxcsr = MXCSR_DEFAULT;

    __asm__ __volatile__("fninit; ldmxcsr %0" :: "m"(mxcsr));
}
