/* What xen/common/unxz.c (the .xz container) uses from its two filter
 * decoders: lzma2.c and xz-bcj.c.  Not for anyone else. */
#ifndef XEN_XZ_PRIVATE_H
#define XEN_XZ_PRIVATE_H

#include <xen/types.h>

/*
 * Decode one LZMA2 stream (a run of chunks ended by a 0x00 control byte)
 * from the start of in[0..in_len) into out[0..out_cap).  The output
 * buffer is the dictionary: it must start where the block's data starts
 * (a block always begins with a dictionary reset).  dict_size is the
 * dictionary size from the filter properties: a match reaching further
 * back is corrupt data.  On success *out_len is the number of bytes
 * written and *in_used the number of input bytes taken, end byte included.
 * Returns 0, -EINVAL (corrupt/truncated), -ENOSPC, or -ENOMEM.
 */
int lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used,
                 uint8_t *out, size_t out_cap, size_t *out_len,
                 uint32_t dict_size);

/* Undo the x86 BCJ filter in place over a whole block's output; start is
 * the filter's start offset (0 unless the block header gives one). */
void xz_bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start);

#endif /* XEN_XZ_PRIVATE_H */
