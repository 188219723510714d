/* The hand-made DEFLATE stream builder of the inflate tests (see
 * deflate_writer.h). */
#include <string.h>
#include "deflate_writer.h"

void bw_init(struct bitwriter *bw)
{
    memset(bw, 0, sizeof(*bw));
}

void bw_put(struct bitwriter *bw, uint32_t value, unsigned int n)
{
    unsigned int i;

    for ( i = 0; i < n; i++, bw->bits++ )
        if ( (value >> i) & 1 )
            bw->buf[bw->bits / 8] |= 1u << (bw->bits % 8);
}

void bw_put_code(struct bitwriter *bw, uint32_t code, unsigned int len)
{
    while ( len-- )
        bw_put(bw, (code >> len) & 1, 1);
}

void bw_align(struct bitwriter *bw)
{
    bw->bits = (bw->bits + 7) & ~(size_t)7;
}

void bw_truncate(struct bitwriter *bw, size_t bits)
{
    for ( ; bw->bits > bits; bw->bits-- )
        bw->buf[(bw->bits - 1) / 8] &= ~(1u << ((bw->bits - 1) % 8));
}

size_t bw_bytes(const struct bitwriter *bw)
{
    return (bw->bits + 7) / 8;
}

void canonical_codes(const uint8_t *lens, unsigned int n, uint32_t *codes)
{
    unsigned int count[16] = { 0 }, next[16], len, i;
    uint32_t code = 0;

    for ( i = 0; i < n; i++ )
        count[lens[i]]++;
    count[0] = 0;
    for ( len = 1; len < 16; len++ )
    {
        code = (code + count[len - 1]) << 1;
        next[len] = code;
    }
    for ( i = 0; i < n; i++ )
        if ( lens[i] )
            codes[i] = next[lens[i]]++;
}

void bw_fixed_litlen(struct bitwriter *bw, unsigned int sym)
{
    if ( sym < 144 )
        bw_put_code(bw, 0x30 + sym, 8);
    else if ( sym < 256 )
        bw_put_code(bw, 0x190 + sym - 144, 9);
    else if ( sym < 280 )
        bw_put_code(bw, sym - 256, 7);
    else
        bw_put_code(bw, 0xc0 + sym - 280, 8);
}

void bw_fixed_dist(struct bitwriter *bw, unsigned int sym)
{
    bw_put_code(bw, sym, 5);
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
    513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};

static unsigned int extra_bits(const uint16_t *base, unsigned int n,
                               unsigned int i, unsigned int top)
{
    unsigned int next = i + 1 < n ? base[i + 1] : top + 1;
    unsigned int span = next - base[i], bits = 0;

    while ( (1u << bits) < span )
        bits++;
    return bits;
}

void bw_fixed_match(struct bitwriter *bw, unsigned int len, unsigned int dist)
{
    unsigned int i = 28, j = 29;

    while ( len_base[i] > len )
        i--;
    bw_fixed_litlen(bw, 257 + i);
    /* Length 258 has its own symbol with no extra bits. */
    bw_put(bw, len - len_base[i],
           i == 28 ? 0 : extra_bits(len_base, 28, i, 257));
    while ( dist_base[j] > dist )
        j--;
    bw_fixed_dist(bw, j);
    bw_put(bw, dist - dist_base[j], extra_bits(dist_base, 30, j, 32768));
}

void bw_dynamic_header(struct bitwriter *bw, const uint8_t *lens,
                       unsigned int nr_litlen, unsigned int nr_dist)
{
    unsigned int i;

    bw_put(bw, nr_litlen - 257, 5);
    bw_put(bw, nr_dist - 1, 5);
    bw_put(bw, 19 - 4, 4);
    /* Order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1,15: 16..18 unused,
     * 0..15 each 4 bits, so symbol s has the code s. */
    for ( i = 0; i < 19; i++ )
        bw_put(bw, i < 3 ? 0 : 4, 3);
    for ( i = 0; i < nr_litlen + nr_dist; i++ )
        bw_put_code(bw, lens[i], 4);
}
