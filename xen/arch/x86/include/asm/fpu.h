/* FXSAVE images of PV vCPUs (arch/x86/fpu.c). */
#ifndef X86_FPU_H
#define X86_FPU_H

#include <xen/types.h>

#define FPU_IMAGE_SIZE 512

/* Read the CPU's MXCSR_MASK (boot CPU, once CR4.OSFXSR is set). */
void fpu_init_mxcsr_mask(void);
uint32_t fpu_mxcsr_mask(void);

/* Clear the MXCSR bits this CPU does not support in a guest-supplied
 * FXSAVE image, so fxrstor of it cannot fault.  Call wherever an image is
 * accepted from outside.  Returns true if it had to change something. */
bool fpu_sanitise_image(void *image);

/* fxsave into image (16-byte aligned); clears CR0.TS. */
void fpu_save_image(void *image);
/* fxrstor from image; false (state unchanged) if the CPU refused it. */
bool fpu_load_image(const void *image);
/* A fresh FPU: fninit and the default MXCSR. */
void fpu_load_default(void);

#endif /* X86_FPU_H */
