/* Decompression of gzip files (RFC 1952) and raw DEFLATE streams (RFC 1951),
 * used by the dom0 builder to unpack a gzipped kernel image.
 *
 * Everything works on whole buffers held in memory: the input is read only
 * within [in, in + in_len) and the output is written only within
 * [out, out + out_cap), whatever the input holds.  Decoding always ends
 * (every step consumes input or produces bounded output).
 *
 * Bytes of out past *out_len, but within out_cap, may be overwritten with
 * scratch data: matches are copied in 8-byte chunks.  *out_len is set only
 * on success.
 *
 * Errors (negative errno):
 *   -EINVAL  not gzip, bad header field, corrupt or truncated DEFLATE data,
 *            bytes after the end of the gzip member
 *   -ENOSPC  the output does not fit in out_cap
 *   -EILSEQ  the data decoded but a check failed: the CRC32 or ISIZE in the
 *            trailer, or the header CRC16 (FHCRC)
 *   -ENOMEM  no memory for the decoder's tables (about 5.5 KiB, xmalloc)
 */
#ifndef XEN_INFLATE_H
#define XEN_INFLATE_H

#include <xen/types.h>

/* Decode one gzip member that fills the whole of in[0..in_len). */
int gunzip(const void *in, size_t in_len, void *out, size_t out_cap,
           size_t *out_len);

/* The uncompressed size recorded in a gzip trailer (ISIZE: the length mod
 * 2^32), for sizing the output buffer before gunzip().  Checks only the
 * magic bytes and that there is room for a header and a trailer: the value
 * is a hint until gunzip() has checked it against the data. */
int gzip_isize(const void *in, size_t in_len, uint32_t *isize);

/* Decode a raw DEFLATE stream at the start of in[0..in_len).  On success
 * *in_used is the number of input bytes the stream took, counting its last
 * partly used byte; bytes after it are not looked at. */
int inflate_raw(const void *in, size_t in_len, void *out, size_t out_cap,
                size_t *out_len, size_t *in_used);

/* The CRC-32 of RFC 1952 (the zlib/PNG/Ethernet one).  Start with crc = 0;
 * pass the previous result to continue over more data. */
uint32_t crc32(uint32_t crc, const void *data, size_t len);

#endif /* XEN_INFLATE_H */
