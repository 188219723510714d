/* Where an x86 bzImage's setup header keeps what a loader needs to find
 * the compressed kernel.  One copy for the three bzImage readers: the
 * hypervisor's dom0 builder (xen/common/bzimage.c), libxc's
 * (libxc/xc_dom_bzimage.c) and the kernel build's
 * (linux-xen/tools/bzimage-extract.c); hence only <stdint.h>, which the
 * freestanding hypervisor and the host programs both have.
 *
 * Offsets and values are those of the x86 boot protocol documentation
 * (Documentation/x86/boot.rst).
 */
#ifndef XEN_BZIMAGE_LAYOUT_H
#define XEN_BZIMAGE_LAYOUT_H

#include <stdint.h>

#define HDR_SETUP_SECTS    0x1f1
#define HDR_BOOT_FLAG      0x1fe
#define HDR_MAGIC          0x202
#define HDR_VERSION        0x206
#define HDR_PAYLOAD_OFFSET 0x248
#define HDR_PAYLOAD_LENGTH 0x24c
#define HDR_END            0x250   /* nothing past this is read */

#define BOOT_FLAG_VALUE    0xaa55
#define PROTOCOL_PAYLOAD   0x0208  /* first version with payload fields */

/* Where the protected-mode code starts, which payload_offset counts from:
 * after the boot sector and setup_sects sectors (0 means 4, for
 * compatibility with ancient images).  img holds at least HDR_END bytes. */
static inline uint64_t bzimage_pm_start(const uint8_t *img)
{
    uint32_t setup_sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;

    return ((uint64_t)setup_sects + 1) * 512;
}

#endif /* XEN_BZIMAGE_LAYOUT_H */
