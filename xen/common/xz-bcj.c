/* The x86 BCJ filter of .xz (filter ID 0x04), decoder side.
 *
 * The encoder rewrote the 32-bit relative operand of many E8 (call) and
 * E9 (jmp) opcodes into an absolute target (operand + position of the
 * next instruction), so that calls to one function look alike and
 * compress better.  Decoding subtracts the position again.
 *
 * An operand is only rewritten when its top byte is 0x00 or 0xff (a
 * near target), and whether an E8/E9 byte counts as an opcode depends
 * on the E8/E9 bytes seen in the three bytes before it that were left
 * alone: the decoder replays exactly the encoder's choices, which look
 * only at bytes that are the same before and after filtering.  With one
 * such byte d positions back, the d-th operand byte from the top is
 * special: if the result has 0x00/0xff there, the value is flipped below
 * that byte and converted again (the encoder did the same).  The last four
 * bytes of a block are never converted: no whole operand fits after them.
 * These rules are the filter's definition as the LZMA SDK and XZ Utils
 * document and implement it; the code here is ours, checked against
 * Debian's xz (--x86) by tests/unit/xen-elf/test_unxz.c.
 */
#include <xen/lib.h>
#include "xz-private.h"

static inline bool near_byte(uint8_t b)
{
    return b == 0x00 || b == 0xff;
}

void xz_bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start)
{
    /* For the unconverted E8/E9 bytes up to 3 positions before the
     * current one: bit d of 'left' is set for one d back, bit d of 'near'
     * when, in addition, its operand's top byte was 0x00/0xff. */
    unsigned int left = 0, near = 0;
    size_t i = 0, last = 0;
    bool any = false;

    if ( len < 5 )
        return;
    while ( i <= len - 5 )
    {
        uint8_t top;

        if ( (buf[i] & 0xfe) != 0xe8 )
        {
            i++;
            continue;
        }
        if ( !any || i - last > 3 )
            left = near = 0;
        else
        {
            left = (left << (i - last)) & 0xe;
            near = (near << (i - last)) & 0xe;
        }
        any = true;
        last = i;

        top = buf[i + 4];
        /* Convert with no earlier opcode in reach, or exactly one whose
         * own operand did not look near. */
        if ( near_byte(top) && !near && (left & (left - 1)) == 0 )
        {
            uint32_t val = buf[i + 1] | (buf[i + 2] << 8) |
                           (buf[i + 3] << 16) | ((uint32_t)top << 24);
            uint32_t here = start + (uint32_t)i + 5;
            uint32_t dest = val - here;

            if ( left )
            {
                /* d = 1, 2 or 3: the byte at bits 24 - 8d. */
                unsigned int d = left == 2 ? 1 : left == 4 ? 2 : 3;
                unsigned int shift = 24 - 8 * d;
                unsigned int round;

                /* The flip-and-convert settles within a round or two;
                 * the bound only keeps hostile data from spinning. */
                for ( round = 0; round < 8; round++ )
                {
                    if ( !near_byte(dest >> shift) )
                        break;
                    val = dest ^ ((1u << (shift + 8)) - 1);
                    dest = val - here;
                }
            }
            /* Bit 24 of the result is sign-extended into the top byte. */
            buf[i + 1] = dest;
            buf[i + 2] = dest >> 8;
            buf[i + 3] = dest >> 16;
            buf[i + 4] = (dest & (1u << 24)) ? 0xff : 0x00;
            left = near = 0;
            i += 5;
        }
        else
        {
            left |= 1;
            if ( near_byte(top) )
                near |= 1;
            i++;
        }
    }
}
