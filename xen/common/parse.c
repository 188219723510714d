/* Strict number parsing for boot options and the like (see xen/lib.h).
 *
 * Unlike strtoul these accept no leading spaces or signs, and report
 * overflow and missing digits as errors instead of clamping or returning 0,
 * so that a typo on the command line is caught rather than silently
 * becoming a different number. */
#include <xen/lib.h>
#include <xen/errno.h>

/* The value of c as a digit in bases up to 36, or 36 if it is none. */
static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return (unsigned int)(c - '0');
    if ( c >= 'a' && c <= 'z' )
        return (unsigned int)(c - 'a') + 10;
    if ( c >= 'A' && c <= 'Z' )
        return (unsigned int)(c - 'A') + 10;
    return 36;
}

static bool has_hex_prefix(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
           digit_value(s[2]) < 16;
}

/*
 * Base 0 means decimal, or hex after "0x"; a leading 0 does not mean octal
 * because nobody writing a boot option expects 010 to be 8.  Base 16 also
 * accepts the 0x prefix.  On -EINVAL *end is s; on -ERANGE it points past
 * the digits, so a caller can still say where the number stopped.
 */
int parse_ulong(const char *s, unsigned int base, unsigned long *val,
                const char **end)
{
    const char *p;
    unsigned long v = 0;
    bool overflow = false;
    unsigned int d;

    if ( end )
        *end = s;
    if ( !s || !val || base == 1 || base > 36 )
        return -EINVAL;

    p = s;
    if ( (base == 0 || base == 16) && has_hex_prefix(p) )
    {
        base = 16;
        p += 2;
    }
    else if ( base == 0 )
        base = 10;

    if ( digit_value(*p) >= base )
        return -EINVAL;

    for ( ; (d = digit_value(*p)) < base; p++ )
    {
        if ( v > (~0UL - d) / base )
            overflow = true;
        else
            v = v * base + d;
    }

    if ( end )
        *end = p;
    if ( overflow )
        return -ERANGE;
    *val = v;
    return 0;
}

/*
 * A unit letter (K, M, G or T, either case) may be followed by 'B'; a bare
 * 'B' means bytes whatever default_shift says.  Because the number itself
 * may be hex, "0x1B" is the number 0x1b, not one byte: parse_ulong takes
 * every hex digit before the unit is looked at.
 */
int parse_size(const char *s, unsigned int default_shift, uint64_t *bytes)
{
    unsigned long v;
    unsigned int shift;
    const char *p;
    int rc;

    if ( !bytes || default_shift > 63 )
        return -EINVAL;
    rc = parse_ulong(s, 0, &v, &p);
    if ( rc )
        return rc;

    switch ( *p )
    {
    case 'K': case 'k': shift = 10; p++; break;
    case 'M': case 'm': shift = 20; p++; break;
    case 'G': case 'g': shift = 30; p++; break;
    case 'T': case 't': shift = 40; p++; break;
    case 'B': case 'b': shift = 0; break;
    default:            shift = default_shift; break;
    }
    if ( *p == 'B' || *p == 'b' )
        p++;
    if ( *p != '\0' )
        return -EINVAL;

    if ( (uint64_t)v > (UINT64_MAX >> shift) )
        return -ERANGE;
    *bytes = (uint64_t)v << shift;
    return 0;
}
