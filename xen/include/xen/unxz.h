/* Decompression of .xz files (the XZ Utils container format, version
 * 1.0.x of its specification) whose blocks use the LZMA2 filter, alone or
 * after the x86 BCJ filter: what Linux's CONFIG_KERNEL_XZ puts inside a
 * bzImage.  Used by the dom0 builder; written from the format's
 * description, see xen/common/unxz.c.
 *
 * Whole buffers only: the input is read only within [in, in + in_len) and
 * the output written only within [out, out + out_cap), whatever the input
 * holds.  The decoder keeps no dictionary of its own (matches are copied
 * from the output already written), so a 32 MiB LZMA2 dictionary costs
 * nothing beyond the output buffer; its other state (about 30 KiB) is
 * xmalloc'd and freed before returning.  Decoding always ends: every step
 * consumes input or produces bounded output.
 *
 * Errors (negative errno); *out_len is set only on success:
 *   -EINVAL      not .xz, or malformed or truncated: bad magic, reserved
 *                bits or flags set, header/footer disagree, LZMA2 chunk or
 *                LZMA data corrupt, sizes in a block header or the index
 *                that do not match the data, non-zero padding, trailing
 *                bytes that are not stream padding
 *   -ENOSPC      the output does not fit in out_cap
 *   -EILSEQ      a CRC32 over a header, the index or the footer, or a
 *                block's check (CRC32 or CRC64 of its data) failed
 *   -EOPNOTSUPP  well-formed but uses what this decoder does not do: a
 *                check other than none/CRC32/CRC64, a filter other than
 *                LZMA2 and x86 BCJ
 *   -ENOMEM      no memory for the decoder state
 */
#ifndef XEN_UNXZ_H
#define XEN_UNXZ_H

#include <xen/types.h>

#define XZ_MAGIC_LEN 6
extern const uint8_t xz_magic[XZ_MAGIC_LEN];

/* Decode every stream in in[0..in_len) (concatenated streams and stream
 * padding are allowed, as in the .xz specification) into out. */
int unxz(const void *in, size_t in_len, void *out, size_t out_cap,
         size_t *out_len);

/* The CRC-64 of ECMA-182 as .xz uses it (reflected, all-ones start and
 * final XOR).  Start with crc = 0; pass the result to continue. */
uint64_t xz_crc64(uint64_t crc, const void *data, size_t len);

/* A short name for one of unxz's error codes, for log messages. */
const char *unxz_strerror(int err);

#endif /* XEN_UNXZ_H */
