/* Reading an x86 bzImage (Linux's boot image, boot protocol 2.08 and
 * later) without running any of its code: the setup header says where
 * the compressed kernel (the payload) lies, and the payload is a gzip or
 * .xz stream of the kernel's ELF image.  The kernel build appends the
 * uncompressed size as a little-endian 32-bit word (for gzip that word is
 * the stream's own ISIZE), so the output size is known before decoding.
 * Used by the dom0 builder; xen/common/bzimage.c.
 */
#ifndef XEN_BZIMAGE_H
#define XEN_BZIMAGE_H

#include <xen/types.h>

enum bzimage_format {
    BZ_FORMAT_GZIP,
    BZ_FORMAT_XZ,
};

struct bzimage_payload {
    const uint8_t *data;        /* the compressed stream */
    size_t len;                 /* its length, size word excluded for xz */
    uint32_t size;              /* the uncompressed size the image gives */
    enum bzimage_format format;
    unsigned int version;       /* boot protocol, e.g. 0x020f */
};

/* Whether img starts with a bzImage setup header (boot flag and "HdrS"). */
bool bzimage_probe(const void *img, size_t len);

/* Find and check the payload.  -EINVAL: not a bzImage, truncated, payload
 * outside the file or announcing 0 bytes; -EOPNOTSUPP: boot protocol
 * before 2.08, or a compression other than gzip and xz.  *why is set to
 * a short reason on failure. */
int bzimage_payload(const void *img, size_t len, struct bzimage_payload *p,
                    const char **why);

/* Decode the payload into out[0..out_cap); the result must be exactly
 * p->size bytes (-EINVAL otherwise).  Errors as gunzip() / unxz(). */
int bzimage_decode(const struct bzimage_payload *p, void *out,
                   size_t out_cap, size_t *out_len);

const char *bzimage_format_name(enum bzimage_format f);

#endif /* XEN_BZIMAGE_H */
