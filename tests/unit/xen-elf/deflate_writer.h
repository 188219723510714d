/* A tiny DEFLATE encoder for hand-made test streams (deflate_writer.c):
 * a bit writer plus canonical Huffman code assignment, enough to build
 * stored, fixed and dynamic blocks with any (also invalid) contents. */
#ifndef XEN_ELF_DEFLATE_WRITER_H
#define XEN_ELF_DEFLATE_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct bitwriter {
    uint8_t buf[8192];
    size_t bits;            /* bits written so far */
};

void bw_init(struct bitwriter *bw);
/* n <= 32 bits, least significant first (DEFLATE's order for numbers). */
void bw_put(struct bitwriter *bw, uint32_t value, unsigned int n);
/* A Huffman code of len bits, most significant bit first. */
void bw_put_code(struct bitwriter *bw, uint32_t code, unsigned int len);
void bw_align(struct bitwriter *bw);
/* Forget everything after the first 'bits' bits. */
void bw_truncate(struct bitwriter *bw, size_t bits);
size_t bw_bytes(const struct bitwriter *bw);

/* Canonical codes for lens[0..n) (RFC 1951 3.2.2); codes[i] is valid only
 * where lens[i] != 0. */
void canonical_codes(const uint8_t *lens, unsigned int n, uint32_t *codes);

/* Fixed-code symbols (RFC 1951 3.2.6). */
void bw_fixed_litlen(struct bitwriter *bw, unsigned int sym);
void bw_fixed_dist(struct bitwriter *bw, unsigned int sym);
/* A match in a fixed block: length 3..258, distance 1..32768. */
void bw_fixed_match(struct bitwriter *bw, unsigned int len, unsigned int dist);

/* Emits a dynamic block header (after BFINAL/BTYPE) for the given lengths:
 * nr_litlen + nr_dist lengths sent with code-length symbols 0..15 only,
 * all of them 4 bits long.  Counts are not checked, so invalid ones can
 * be sent on purpose. */
void bw_dynamic_header(struct bitwriter *bw, const uint8_t *lens,
                       unsigned int nr_litlen, unsigned int nr_dist);

#endif
