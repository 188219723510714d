/* LZMA2 and LZMA decoding for unxz.c, written from the published
 * description of the formats (the .xz specification names LZMA2; the LZMA
 * model is that of the LZMA SDK's documentation).
 *
 * LZMA2 is a sequence of chunks, each announced by a control byte:
 *   0x00            end of the LZMA2 data
 *   0x01, 0x02      stored chunk (with / without a dictionary reset):
 *                   16-bit big-endian size - 1, then the bytes
 *   0x80..0xff      LZMA chunk: bits 0-4 are bits 16-20 of its
 *                   uncompressed size - 1, then 16 more bits of that,
 *                   16 bits of compressed size - 1, and (when bits 5-6 are
 *                   2 or 3) a properties byte.  Bits 5-6 say what is reset
 *                   first: 0 nothing, 1 the coder state, 2 state + new
 *                   properties, 3 that and the dictionary.
 * Every LZMA chunk starts a fresh range decoder (5 bytes) and must use up
 * exactly its compressed bytes, produce exactly its uncompressed bytes and
 * leave the range decoder's code at 0; a match may not run past the chunk.
 *
 * The output buffer is the dictionary (whole-buffer decoding), so the
 * dictionary size only bounds match distances.  Safety: every output
 * write is checked against the chunk's end, which is checked against the
 * capacity; the range decoder reads only inside its chunk and counts any
 * read past it, which makes the chunk corrupt.
 */

#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include "xz-private.h"

#define PROB_BITS       11
#define PROB_ONE        (1u << PROB_BITS)
#define PROB_INIT       (PROB_ONE / 2)
#define PROB_SHIFT      5               /* adaptation speed */
#define RC_TOP          (1u << 24)      /* renormalise below this range */

#define NR_STATES       12
#define NR_LIT_STATES   7               /* states < 7 follow a literal */
#define POS_STATES_MAX  16              /* pb <= 4 */
#define LEN_TO_DIST     4               /* distance models: length 2,3,4,5+ */
#define DIST_SLOTS      64
#define DIST_MODEL_END  14              /* slots below use a full bit model */
#define FULL_DISTANCES  128             /* distances that slot 14 starts at */
#define ALIGN_BITS      4
#define MATCH_LEN_MIN   2
#define LIT_CODER_SIZE  0x300           /* probabilities per literal coder */
#define LCLP_MAX        4               /* LZMA2 caps lc + lp */

/* The range decoder's state must stay in registers through the whole
 * chunk loop: a helper left out of line takes its address, and every bit
 * then costs loads and stores (expensive under emulation). */
#define always_inline inline __attribute__((always_inline))

/* Length coder: lengths 2..9 by low[pos_state], 10..17 by mid[pos_state],
 * 18..273 by high. */
struct len_probs {
    uint16_t choice;
    uint16_t choice2;
    uint16_t low[POS_STATES_MAX][8];
    uint16_t mid[POS_STATES_MAX][8];
    uint16_t high[256];
};

/* Every adaptive probability; reset as one array of uint16_t. */
struct probs {
    uint16_t is_match[NR_STATES][POS_STATES_MAX];
    uint16_t is_rep[NR_STATES];
    uint16_t is_rep0[NR_STATES];
    uint16_t is_rep1[NR_STATES];
    uint16_t is_rep2[NR_STATES];
    uint16_t is_rep0_long[NR_STATES][POS_STATES_MAX];
    uint16_t dist_slot[LEN_TO_DIST][DIST_SLOTS];
    /* Reverse bit trees of slots 4..13, indexed from 1 as in a tree. */
    uint16_t dist_special[FULL_DISTANCES - DIST_MODEL_END + 1];
    uint16_t dist_align[1u << ALIGN_BITS];
    struct len_probs match_len;
    struct len_probs rep_len;
    uint16_t literal[LIT_CODER_SIZE << LCLP_MAX];
};

struct lzma {
    struct probs p;
    unsigned int state;
    uint32_t rep[4];                    /* last 4 distances, rep[0] newest */
    unsigned int lc, lp, pb;
};

/* The range decoder of one chunk. */
struct rc {
    uint32_t range;
    uint32_t code;
    const uint8_t *in;
    const uint8_t *end;
    unsigned int overrun;               /* bytes wanted past the chunk */
};

static always_inline void rc_normalise(struct rc *rc)
{
    if ( rc->range < RC_TOP )
    {
        uint8_t b = 0;

        if ( likely(rc->in < rc->end) )
            b = *rc->in++;
        else
            rc->overrun++;
        rc->range <<= 8;
        rc->code = (rc->code << 8) | b;
    }
}

/* One bit coded with the adaptive probability *p (of a 0). */
static always_inline unsigned int rc_bit(struct rc *rc, uint16_t *p)
{
    uint32_t bound = (rc->range >> PROB_BITS) * *p;
    unsigned int bit;

    if ( rc->code < bound )
    {
        rc->range = bound;
        *p += (PROB_ONE - *p) >> PROB_SHIFT;
        bit = 0;
    }
    else
    {
        rc->range -= bound;
        rc->code -= bound;
        *p -= *p >> PROB_SHIFT;
        bit = 1;
    }
    rc_normalise(rc);
    return bit;
}

/* nbits bits, most significant first, through the tree probs[1..2^n). */
static always_inline unsigned int rc_tree(struct rc *rc, uint16_t *probs,
                                         unsigned int nbits)
{
    unsigned int node = 1;

    while ( node < (1u << nbits) )
        node = (node << 1) | rc_bit(rc, &probs[node]);
    return node - (1u << nbits);
}

/* nbits bits, least significant first, through the tree probs[1..2^n). */
static always_inline unsigned int rc_tree_rev(struct rc *rc,
                                             uint16_t *probs,
                                             unsigned int nbits)
{
    unsigned int node = 1, value = 0;

    for ( unsigned int i = 0; i < nbits; i++ )
    {
        unsigned int bit = rc_bit(rc, &probs[node]);

        node = (node << 1) | bit;
        value |= bit << i;
    }
    return value;
}

/* nbits bits with probability one half each, most significant first. */
static always_inline uint32_t rc_direct(struct rc *rc, unsigned int nbits)
{
    uint32_t value = 0;

    while ( nbits-- )
    {
        rc->range >>= 1;
        if ( rc->code >= rc->range )
        {
            rc->code -= rc->range;
            value = (value << 1) | 1;
        }
        else
            value <<= 1;
        rc_normalise(rc);
    }
    return value;
}

/* A match length minus MATCH_LEN_MIN: 0..271. */
static always_inline unsigned int decode_len(struct rc *rc,
                                            struct len_probs *lp,
                                            unsigned int pos_state)
{
    if ( !rc_bit(rc, &lp->choice) )
        return rc_tree(rc, lp->low[pos_state], 3);
    if ( !rc_bit(rc, &lp->choice2) )
        return 8 + rc_tree(rc, lp->mid[pos_state], 3);
    return 16 + rc_tree(rc, lp->high, 8);
}

/* A match distance minus one; len is decode_len's result. */
static always_inline uint32_t decode_dist(struct rc *rc, struct probs *p,
                                          unsigned int len)
{
    unsigned int slot, nbits;
    uint32_t dist;

    slot = rc_tree(rc, p->dist_slot[len < LEN_TO_DIST - 1 ? len
                                                          : LEN_TO_DIST - 1],
                   6);
    if ( slot < 4 )
        return slot;
    /* Slot s >= 4: the top two bits are 1 and s & 1, then s/2 - 1 bits. */
    nbits = (slot >> 1) - 1;
    dist = (2u | (slot & 1)) << nbits;
    if ( slot < DIST_MODEL_END )
        return dist + rc_tree_rev(rc, p->dist_special + dist - slot, nbits);
    dist += rc_direct(rc, nbits - ALIGN_BITS) << ALIGN_BITS;
    return dist + rc_tree_rev(rc, p->dist_align, ALIGN_BITS);
}

static void lzma_reset_state(struct lzma *s)
{
    uint16_t *p = (uint16_t *)&s->p;

    /* Only the literal coders that lc + lp can address need a reset, but
     * the rest are never read, so reset everything up to them. */
    size_t n = offsetof(struct probs, literal) / sizeof(uint16_t) +
               ((size_t)LIT_CODER_SIZE << (s->lc + s->lp));

    for ( size_t i = 0; i < n; i++ )
        p[i] = PROB_INIT;
    s->state = 0;
    s->rep[0] = s->rep[1] = s->rep[2] = s->rep[3] = 0;
}

/*
 * One LZMA chunk: out[*pos..limit) from in[0..in_len).  dict_start is
 * where the dictionary began (positions count from it).
 */
static int lzma_chunk(struct lzma *s, const uint8_t *in, size_t in_len,
                      uint8_t *out, size_t dict_start, size_t *pos_io,
                      size_t limit, uint32_t dict_size)
{
    struct probs *p = &s->p;
    struct rc rc;
    size_t pos = *pos_io;
    unsigned int state = s->state;
    uint32_t rep0 = s->rep[0], rep1 = s->rep[1], rep2 = s->rep[2],
             rep3 = s->rep[3];
    const unsigned int pb_mask = (1u << s->pb) - 1;
    const unsigned int lp_mask = (1u << s->lp) - 1;
    const unsigned int lc = s->lc;

    /* Range decoder start: a zero byte, then the 32-bit code. */
    if ( in_len < 5 || in[0] != 0 )
        return -EINVAL;
    rc.code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) |
              ((uint32_t)in[3] << 8) | in[4];
    rc.range = 0xffffffffu;
    rc.in = in + 5;
    rc.end = in + in_len;
    rc.overrun = 0;
    if ( rc.code == rc.range )
        return -EINVAL;

    while ( pos < limit )
    {
        size_t dpos = pos - dict_start;        /* bytes in the dictionary */
        unsigned int pos_state = dpos & pb_mask;
        unsigned int len;

        if ( !rc_bit(&rc, &p->is_match[state][pos_state]) )
        {
            /* A literal, coded in the context of the previous byte. */
            unsigned int prev = dpos ? out[pos - 1] : 0;
            unsigned int ctx = ((dpos & lp_mask) << lc) + (prev >> (8 - lc));
            uint16_t *lit = p->literal + LIT_CODER_SIZE * ctx;
            unsigned int sym = 1;

            if ( state >= NR_LIT_STATES )
            {
                /* After a match: the bits of the byte at rep0 steer the
                 * model until the first bit that differs from them. */
                unsigned int match;

                if ( rep0 >= dpos )
                    return -EINVAL;
                match = out[pos - rep0 - 1];
                while ( sym < 0x100 )
                {
                    unsigned int mbit = (match >> 7) & 1, bit;

                    match <<= 1;
                    bit = rc_bit(&rc, &lit[0x100 + (mbit << 8) + sym]);
                    sym = (sym << 1) | bit;
                    if ( bit != mbit )
                        break;
                }
            }
            while ( sym < 0x100 )
                sym = (sym << 1) | rc_bit(&rc, &lit[sym]);
            out[pos++] = sym;
            state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
            continue;
        }

        if ( !rc_bit(&rc, &p->is_rep[state]) )
        {
            /* A match with a new distance. */
            len = decode_len(&rc, &p->match_len, pos_state);
            state = state < NR_LIT_STATES ? 7 : 10;
            rep3 = rep2;
            rep2 = rep1;
            rep1 = rep0;
            rep0 = decode_dist(&rc, p, len);
            /* 0xffffffff would be LZMA's end marker: LZMA2 has none. */
            if ( rep0 == 0xffffffffu )
                return -EINVAL;
        }
        else
        {
            if ( !rc_bit(&rc, &p->is_rep0[state]) )
            {
                if ( !rc_bit(&rc, &p->is_rep0_long[state][pos_state]) )
                {
                    /* One byte from rep0. */
                    if ( rep0 >= dpos )
                        return -EINVAL;
                    state = state < NR_LIT_STATES ? 9 : 11;
                    out[pos] = out[pos - rep0 - 1];
                    pos++;
                    continue;
                }
            }
            else
            {
                uint32_t dist;

                if ( !rc_bit(&rc, &p->is_rep1[state]) )
                    dist = rep1;
                else
                {
                    if ( !rc_bit(&rc, &p->is_rep2[state]) )
                        dist = rep2;
                    else
                    {
                        dist = rep3;
                        rep3 = rep2;
                    }
                    rep2 = rep1;
                }
                rep1 = rep0;
                rep0 = dist;
            }
            len = decode_len(&rc, &p->rep_len, pos_state);
            state = state < NR_LIT_STATES ? 8 : 11;
        }

        len += MATCH_LEN_MIN;
        if ( rep0 >= dpos || rep0 >= dict_size || len > limit - pos )
            return -EINVAL;
        {
            const uint8_t *from = out + pos - rep0 - 1;
            uint8_t *to = out + pos;

            pos += len;
            if ( rep0 + 1 >= len )
                memcpy(to, from, len);      /* no overlap */
            else
                while ( len-- )
                    *to++ = *from++;
        }
    }

    if ( rc.overrun || rc.in != rc.end || rc.code != 0 )
        return -EINVAL;
    s->state = state;
    s->rep[0] = rep0;
    s->rep[1] = rep1;
    s->rep[2] = rep2;
    s->rep[3] = rep3;
    *pos_io = pos;
    return 0;
}

static int lzma2_chunks(struct lzma *s, const uint8_t *in, size_t in_len,
                        size_t *in_used, uint8_t *out, size_t out_cap,
                        size_t *out_len, uint32_t dict_size)
{
    size_t ip = 0, pos = 0, dict_start = 0;
    bool need_dict_reset = true, need_props = true;

    for ( ;; )
    {
        unsigned int ctrl;

        if ( ip >= in_len )
            return -EINVAL;
        ctrl = in[ip++];
        if ( ctrl == 0x00 )
            break;
        if ( ctrl == 0x01 || ctrl >= 0xe0 )
        {
            /* Dictionary reset: earlier output is out of reach, and an
             * LZMA chunk must bring properties before it can follow. */
            dict_start = pos;
            need_dict_reset = false;
            need_props = true;
        }
        else if ( need_dict_reset )
            return -EINVAL;

        if ( ctrl >= 0x80 )
        {
            size_t usize, csize, hdr = ctrl >= 0xc0 ? 5 : 4;
            int rc;

            if ( in_len - ip < hdr )
                return -EINVAL;
            usize = (((size_t)ctrl & 0x1f) << 16) + (in[ip] << 8) +
                    in[ip + 1] + 1;
            csize = ((size_t)in[ip + 2] << 8) + in[ip + 3] + 1;
            if ( ctrl >= 0xc0 )
            {
                unsigned int props = in[ip + 4];

                if ( props >= 9 * 5 * 5 )
                    return -EINVAL;
                s->lc = props % 9;
                s->lp = (props / 9) % 5;
                s->pb = props / 45;
                if ( s->lc + s->lp > LCLP_MAX )
                    return -EINVAL;
                need_props = false;
            }
            else if ( need_props )
                return -EINVAL;
            ip += hdr;
            if ( ctrl >= 0xa0 )
                lzma_reset_state(s);
            if ( usize > out_cap - pos )
                return -ENOSPC;
            if ( csize > in_len - ip )
                return -EINVAL;
            rc = lzma_chunk(s, in + ip, csize, out, dict_start, &pos,
                            pos + usize, dict_size);
            if ( rc )
                return rc;
            ip += csize;
        }
        else if ( ctrl <= 0x02 )
        {
            size_t size;

            if ( in_len - ip < 2 )
                return -EINVAL;
            size = ((size_t)in[ip] << 8) + in[ip + 1] + 1;
            ip += 2;
            if ( size > in_len - ip )
                return -EINVAL;
            if ( size > out_cap - pos )
                return -ENOSPC;
            memcpy(out + pos, in + ip, size);
            ip += size;
            pos += size;
        }
        else
            return -EINVAL;                 /* 0x03..0x7f are reserved */
    }
    *in_used = ip;
    *out_len = pos;
    return 0;
}

int lzma2_decode(const uint8_t *in, size_t in_len, size_t *in_used,
                 uint8_t *out, size_t out_cap, size_t *out_len,
                 uint32_t dict_size)
{
    struct lzma *s = xmalloc_bytes(sizeof(*s));
    int rc;

    if ( !s )
        return -ENOMEM;
    s->lc = s->lp = s->pb = 0;
    s->state = 0;
    rc = lzma2_chunks(s, in, in_len, in_used, out, out_cap, out_len,
                      dict_size);
    xfree(s);
    return rc;
}
