/* Formatted output into a buffer: vsnprintf() and snprintf() (xen/lib.h).
 *
 * C99 semantics for the integer, character, string and pointer conversions,
 * plus two hypervisor conventions: %p is always "0x" and 16 hex digits, and
 * %pS names the code address ("func+0x1a/0x80") through symbols_lookup().
 * There is no floating point: the hypervisor is built without SSE.
 *
 * The result is counted in full even when the buffer is too small, so the
 * return value is the C99 one.  A conversion this file does not know, or a
 * format that ends in the middle of a conversion, is copied out literally;
 * the format is never read past its terminating NUL. */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/symbols.h>

#define INT_MAX_VALUE __INT_MAX__

/* Where output goes: the first size-1 bytes land in buf, the rest are only
 * counted. */
struct sink {
    char *buf;
    size_t size;
    size_t len;
};

/* True while there is room for one more character and the terminator. */
static bool has_room(const struct sink *out)
{
    return out->len < out->size && out->size - out->len > 1;
}

static void put_char(struct sink *out, char c)
{
    if ( has_room(out) )
        out->buf[out->len] = c;
    out->len++;
}

/* Emits n copies of c; only the part that fits costs time, so a silly
 * width such as %999999999d cannot stall the hypervisor. */
static void put_repeated(struct sink *out, char c, size_t n)
{
    while ( n && has_room(out) )
    {
        out->buf[out->len++] = c;
        n--;
    }
    out->len += n;
}

static void put_chars(struct sink *out, const char *s, size_t n)
{
    while ( n-- )
        put_char(out, *s++);
}

/* One parsed conversion specification. */
struct spec {
    bool left;          /* '-' */
    bool zero;          /* '0' */
    bool plus;          /* '+' */
    bool space;         /* ' ' */
    bool alt;           /* '#' */
    int width;          /* 0 when not given */
    int precision;      /* -1 when not given */
};

/* Padding up to the field width for a body of len characters: spaces
 * before it when right-justified, after it when left-justified ('-'). */
static void pad_before(struct sink *out, const struct spec *sp, size_t len)
{
    if ( !sp->left && (size_t)sp->width > len )
        put_repeated(out, ' ', (size_t)sp->width - len);
}

static void pad_after(struct sink *out, const struct spec *sp, size_t len)
{
    if ( sp->left && (size_t)sp->width > len )
        put_repeated(out, ' ', (size_t)sp->width - len);
}

/* Writes a padded string of exactly len characters. */
static void put_field(struct sink *out, const struct spec *sp,
                      const char *s, size_t len)
{
    pad_before(out, sp, len);
    put_chars(out, s, len);
    pad_after(out, sp, len);
}

/*
 * An integer conversion.  The layout is
 *     [spaces] [sign or 0x/0X] [zeros] digits [spaces]
 * where the zeros come from the precision (minimum digit count) or, with
 * the '0' flag and no precision, from the width.
 */
static void put_number(struct sink *out, const struct spec *sp,
                       unsigned long long mag, bool negative,
                       unsigned int base, bool upper, bool is_signed)
{
    const char *digit_set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];    /* 64 bits in octal is 22 digits */
    size_t ndigits = 0, nzeros = 0, body;
    const char *prefix = "";
    size_t prefix_len;
    bool nonzero = mag != 0;

    /* Precision 0 with value 0 prints no digits at all. */
    if ( mag || sp->precision != 0 )
    {
        do {
            digits[ndigits++] = digit_set[mag % base];
            mag /= base;
        } while ( mag );
    }

    if ( is_signed )
        prefix = negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    else if ( sp->alt && base == 16 && nonzero )
        prefix = upper ? "0X" : "0x";
    prefix_len = strlen(prefix);

    if ( sp->precision > 0 && (size_t)sp->precision > ndigits )
        nzeros = (size_t)sp->precision - ndigits;
    /* '#' with 'o' makes sure the first digit is a zero. */
    if ( sp->alt && base == 8 && nzeros == 0 &&
         (ndigits == 0 || digits[ndigits - 1] != '0') )
        nzeros = 1;

    body = prefix_len + nzeros + ndigits;
    if ( sp->zero && !sp->left && sp->precision < 0 &&
         (size_t)sp->width > body )
    {
        nzeros += (size_t)sp->width - body;
        body = (size_t)sp->width;
    }

    pad_before(out, sp, body);
    put_chars(out, prefix, prefix_len);
    put_repeated(out, '0', nzeros);
    while ( ndigits )
        put_char(out, digits[--ndigits]);
    pad_after(out, sp, body);
}

/* "0x" and 16 hex digits; the field is padded as a whole. */
static void format_hex_address(char *text, unsigned long addr)
{
    static const char hex[] = "0123456789abcdef";
    unsigned int i;

    text[0] = '0';
    text[1] = 'x';
    for ( i = 0; i < 16; i++ )
        text[2 + i] = hex[(addr >> (60 - 4 * i)) & 0xf];
    text[18] = '\0';
}

static void put_pointer(struct sink *out, const struct spec *sp,
                        unsigned long addr)
{
    char text[19];

    format_hex_address(text, addr);
    put_field(out, sp, text, 18);
}

/* "0x" and the minimal hex digits, "0x0" included, for %pS. */
static void put_hex(struct sink *out, unsigned long v)
{
    static const struct spec plain = { .precision = -1 };

    put_chars(out, "0x", 2);
    put_number(out, &plain, v, false, 16, false, false);
}

#define SYMBOL_NAME_SHOWN 120

/* %pS: "name+0xoff/0xsize", or the bare address outside the table.  Built
 * in a local buffer first so that width can pad it as one field. */
static void put_symbol(struct sink *out, const struct spec *sp,
                       unsigned long addr)
{
    unsigned long offset = 0, size = 0;
    const char *name = symbols_lookup(addr, &offset, &size);
    char text[SYMBOL_NAME_SHOWN + sizeof("+0x/0x") + 2 * 16];
    struct sink local = { .buf = text, .size = sizeof(text) };

    if ( !name )
    {
        put_pointer(out, sp, addr);
        return;
    }
    /* An absurdly long name is cut short so that the offset and size,
     * the useful part of a backtrace line, always fit. */
    put_chars(&local, name, strnlen(name, SYMBOL_NAME_SHOWN));
    put_char(&local, '+');
    put_hex(&local, offset);
    put_char(&local, '/');
    put_hex(&local, size);
    text[local.len < sizeof(text) ? local.len : sizeof(text) - 1] = '\0';
    put_field(out, sp, text, strlen(text));
}

static void put_string(struct sink *out, const struct spec *sp,
                       const char *s)
{
    size_t len;

    if ( !s )
        s = "(null)";
    /* strnlen keeps a precision-limited string from being read past its
     * precision, which C allows to be an unterminated array. */
    len = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
    put_field(out, sp, s, len);
}

/* Reads a decimal field width or precision; saturates instead of wrapping
 * so that an absurd number stays absurd rather than turning negative. */
static int read_decimal(const char **pp)
{
    const char *p = *pp;
    int v = 0;

    while ( *p >= '0' && *p <= '9' )
    {
        int d = *p++ - '0';

        v = v > (INT_MAX_VALUE - d) / 10 ? INT_MAX_VALUE : v * 10 + d;
    }
    *pp = p;
    return v;
}

enum length {
    LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J,
};

static enum length read_length(const char **pp)
{
    const char *p = *pp;
    enum length len = LEN_INT;

    switch ( *p )
    {
    case 'h':
        if ( p[1] == 'h' ) { len = LEN_HH; p++; } else len = LEN_H;
        p++;
        break;
    case 'l':
        if ( p[1] == 'l' ) { len = LEN_LL; p++; } else len = LEN_L;
        p++;
        break;
    case 'z': len = LEN_Z; p++; break;
    case 't': len = LEN_T; p++; break;
    case 'j': len = LEN_J; p++; break;
    }
    *pp = p;
    return len;
}

/* Fetches a signed argument of the given length, sign-extended. */
static long long signed_arg(va_list *ap, enum length len)
{
    switch ( len )
    {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H:  return (short)va_arg(*ap, int);
    case LEN_L:  return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    /* %zd takes the signed type of size_t's width; ptrdiff_t is that. */
    case LEN_Z:  return (ptrdiff_t)va_arg(*ap, size_t);
    case LEN_T:  return va_arg(*ap, ptrdiff_t);
    case LEN_J:  return va_arg(*ap, intmax_t);
    default:     return va_arg(*ap, int);
    }
}

static unsigned long long unsigned_arg(va_list *ap, enum length len)
{
    switch ( len )
    {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:  return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z:  return va_arg(*ap, size_t);
    case LEN_T:  return (size_t)va_arg(*ap, ptrdiff_t);
    case LEN_J:  return va_arg(*ap, uintmax_t);
    default:     return va_arg(*ap, unsigned int);
    }
}

/*
 * Handles one conversion starting just after its '%'.  Returns where the
 * format continues.  Anything unrecognised is echoed from the '%' up to
 * where recognition stopped.
 */
static const char *convert(struct sink *out, const char *percent,
                           va_list *ap)
{
    const char *p = percent + 1;
    struct spec sp = { .precision = -1 };
    enum length len;
    unsigned int base = 10;
    bool upper = false;

    for ( ; ; p++ )
    {
        if ( *p == '-' ) sp.left = true;
        else if ( *p == '0' ) sp.zero = true;
        else if ( *p == '+' ) sp.plus = true;
        else if ( *p == ' ' ) sp.space = true;
        else if ( *p == '#' ) sp.alt = true;
        else break;
    }

    if ( *p == '*' )
    {
        int w = va_arg(*ap, int);

        p++;
        /* A negative width argument means '-' and its magnitude. */
        if ( w < 0 )
        {
            sp.left = true;
            w = w == -INT_MAX_VALUE - 1 ? INT_MAX_VALUE : -w;
        }
        sp.width = w;
    }
    else
        sp.width = read_decimal(&p);

    if ( *p == '.' )
    {
        p++;
        if ( *p == '*' )
        {
            int prec = va_arg(*ap, int);

            p++;
            /* A negative precision argument counts as none. */
            sp.precision = prec < 0 ? -1 : prec;
        }
        else
            sp.precision = read_decimal(&p);
    }

    len = read_length(&p);

    switch ( *p )
    {
    case 'd':
    case 'i':
    {
        long long v = signed_arg(ap, len);
        unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
                                       : (unsigned long long)v;

        put_number(out, &sp, mag, v < 0, 10, false, true);
        return p + 1;
    }
    case 'X':
        upper = true;
        /* fall through */
    case 'x':
        base = 16;
        goto unsigned_conversion;
    case 'o':
        base = 8;
        goto unsigned_conversion;
    case 'u':
    unsigned_conversion:
        put_number(out, &sp, unsigned_arg(ap, len), false, base, upper, false);
        return p + 1;

    case 'c':
    {
        char c = (char)va_arg(*ap, int);

        put_field(out, &sp, &c, 1);
        return p + 1;
    }
    case 's':
        put_string(out, &sp, va_arg(*ap, const char *));
        return p + 1;

    case 'p':
    {
        unsigned long addr = (unsigned long)va_arg(*ap, void *);

        if ( p[1] == 'S' )
        {
            put_symbol(out, &sp, addr);
            return p + 2;
        }
        put_pointer(out, &sp, addr);
        return p + 1;
    }
    case '%':
        put_char(out, '%');
        return p + 1;

    case '\0':
        /* The format ended inside the conversion: echo what there was. */
        put_chars(out, percent, (size_t)(p - percent));
        return p;

    default:
        put_chars(out, percent, (size_t)(p + 1 - percent));
        return p + 1;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink out = { .buf = buf, .size = buf ? size : 0 };
    va_list args;

    va_copy(args, ap);
    while ( fmt && *fmt )
    {
        if ( *fmt != '%' )
            put_char(&out, *fmt++);
        else
            fmt = convert(&out, fmt, &args);
    }
    va_end(args);

    if ( out.size )
        out.buf[out.len < out.size ? out.len : out.size - 1] = '\0';
    /* C99 has no way to return a longer length than int holds. */
    return out.len > INT_MAX_VALUE ? -EOVERFLOW : (int)out.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
