/*
 * xc_dom_bzimage.h - turning an x86 bzImage (what distributions install
 * as /boot/vmlinuz-*) into the kernel ELF the domain builder loads.
 * Internal to libxc; see xc_dom_bzimage.c and docs/domain-builder.md.
 */
#ifndef XC_DOM_BZIMAGE_H
#define XC_DOM_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Payload compression formats, named by their magic bytes. */
enum xc_bz_format {
    XC_BZ_NONE = 0,
    XC_BZ_GZIP,
    XC_BZ_XZ,
    XC_BZ_ZSTD,
    XC_BZ_LZ4,       /* lz4 legacy frame (lz4 -l), as the kernel build uses */
    XC_BZ_BZIP2,
    XC_BZ_LZMA,      /* the old .lzma ("lzma alone") format */
    XC_BZ_LZO,       /* recognised, refused: Debian has no liblzo decoder here */
};

/* "gzip", "xz", ... for messages. */
const char *xc_dom_bz_format_name(enum xc_bz_format f);

/* True if img looks like a bzImage (boot sector signature and the "HdrS"
 * setup-header magic), whatever its version. */
int xc_dom_is_bzimage(const uint8_t *img, size_t len);

/*
 * Unpack a bzImage: check the setup header (protocol >= 2.08), find the
 * compressed payload (payload_offset/payload_length), recognise its
 * format, and decompress it into a new malloc'd buffer of at most max
 * bytes.  The size the kernel build records in the payload's last four
 * bytes must not exceed max and must be exactly what comes out.
 *
 * Returns 0 with *out, *out_len and *format set, or -1 with a reason in err
 * (*out untouched).  img stays the caller's.
 */
int xc_dom_bzimage_unpack(const uint8_t *img, size_t len, size_t max,
                          uint8_t **out, size_t *out_len,
                          enum xc_bz_format *format,
                          char *err, size_t errlen);

#endif /* XC_DOM_BZIMAGE_H */
