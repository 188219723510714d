/* Tests for xen/common/vsprintf.c.  The standard conversions are checked
 * against the host C library over a generated table of flags, widths,
 * precisions, length modifiers and boundary values, at every buffer size
 * for a sample; the hypervisor's own conventions (%p, %pS, NULL strings,
 * malformed formats) against fixed expectations. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "tests.h"

typedef int snprintf_fn(char *buf, size_t size, const char *fmt, ...);

/* The C type an argument is passed as; the format's length modifier and
 * conversion decide it, exactly as C requires. */
enum arg_type {
    A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SIZE, A_PTRDIFF,
    A_INTMAX, A_UINTMAX, A_STR,
};

struct call {
    const char *fmt;
    int nstars;                 /* '*' arguments before the value */
    int star[2];
    enum arg_type type;
    unsigned long long value;   /* the bits of the value argument */
    const char *str;            /* for A_STR */
};

#define PASS_AS(fn, buf, size, c, v)                                        \
    ((c)->nstars == 0 ? fn(buf, size, (c)->fmt, v) :                       \
     (c)->nstars == 1 ? fn(buf, size, (c)->fmt, (c)->star[0], v) :          \
     fn(buf, size, (c)->fmt, (c)->star[0], (c)->star[1], v))

static int do_call(snprintf_fn *fn, char *buf, size_t size,
                   const struct call *c)
{
    unsigned long long v = c->value;

    switch ( c->type )
    {
    case A_INT:     return PASS_AS(fn, buf, size, c, (int)v);
    case A_UINT:    return PASS_AS(fn, buf, size, c, (unsigned int)v);
    case A_LONG:    return PASS_AS(fn, buf, size, c, (long)v);
    case A_ULONG:   return PASS_AS(fn, buf, size, c, (unsigned long)v);
    case A_LLONG:   return PASS_AS(fn, buf, size, c, (long long)v);
    case A_ULLONG:  return PASS_AS(fn, buf, size, c, v);
    case A_SIZE:    return PASS_AS(fn, buf, size, c, (size_t)v);
    case A_PTRDIFF: return PASS_AS(fn, buf, size, c, (ptrdiff_t)v);
    case A_INTMAX:  return PASS_AS(fn, buf, size, c, (intmax_t)v);
    case A_UINTMAX: return PASS_AS(fn, buf, size, c, (uintmax_t)v);
    case A_STR:     return PASS_AS(fn, buf, size, c, c->str);
    }
    abort();
}

#define BUF 512
#define CANARY '\x5a'

/* Compares one call at one buffer size, including that nothing beyond
 * size was written.  Returns false on a mismatch (already recorded). */
static bool compare_at(const struct call *c, size_t size, const char *what)
{
    char ours[BUF + 8], host[BUF + 8];
    int n_ours, n_host;

    memset(ours, CANARY, sizeof(ours));
    memset(host, CANARY, sizeof(host));
    n_ours = do_call(xen_snprintf, size ? ours : NULL, size, c);
    n_host = do_call(snprintf, size ? host : NULL, size, c);

    if ( n_ours != n_host )
    {
        CHECK_FAIL("%s \"%s\" (value %#llx) size %zu: returned %d, host %d",
                  what, c->fmt, c->value, size, n_ours, n_host);
        return false;
    }
    if ( memcmp(ours, host, sizeof(ours)) )
    {
        ours[BUF] = host[BUF] = '\0';
        CHECK_FAIL("%s \"%s\" (value %#llx) size %zu: \"%s\", host \"%s\"",
                  what, c->fmt, c->value, size, ours, host);
        return false;
    }
    return true;
}

/* The generated table. */
static const char *const widths[] = { "", "1", "5", "12", "25", "*" };
static const int star_widths[] = { 0, 7, -7, 30 };
static const char *const precisions[] = {
    "", ".", ".0", ".1", ".3", ".12", ".30", ".*",
};
static const int star_precisions[] = { -1, 0, 4, 25 };

static const long long int_values[] = {
    0, 1, -1, 7, -7, 42, 127, -128, 128, 255, 256, 32767, -32768, 65535,
    -65536, INT_MAX, INT_MIN, 123456789, -987654321,
};
static const long long wide_values[] = {
    0, 1, -1, 42, -42, INT_MAX, INT_MIN, (long long)UINT_MAX + 1,
    -(1LL << 32), LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, 0x0123456789abcdefLL,
    -1000000000000LL,
};

struct length {
    const char *mod;
    enum arg_type signed_type, unsigned_type;
    bool wide;  /* use wide_values */
};

static const struct length lengths[] = {
    { "",   A_INT,     A_UINT,    false },
    { "hh", A_INT,     A_UINT,    false },     /* promoted to int */
    { "h",  A_INT,     A_UINT,    false },
    { "l",  A_LONG,    A_ULONG,   true },
    { "ll", A_LLONG,   A_ULLONG,  true },
    { "z",  A_SIZE,    A_SIZE,    true },
    { "t",  A_PTRDIFF, A_PTRDIFF, true },
    { "j",  A_INTMAX,  A_UINTMAX, true },
};

/* Which flags make sense (and are defined by C) for each conversion. */
static const char *flag_set(char conv)
{
    switch ( conv )
    {
    case 'd': case 'i': case 'u': return "-0+ ";
    case 'x': case 'X': case 'o': return "-0+ #";
    default:                      return "-";
    }
}

static unsigned long calls_compared;

/* Tries every width and precision for one flags+length+conversion, with
 * each value; one in every few calls is also tried at every buffer size. */
static void sweep(const char *flags, const struct length *len, char conv,
                  const long long *values, size_t nvalues)
{
    size_t w, p, v, ws, ps;
    bool is_signed = conv == 'd' || conv == 'i';

    for ( w = 0; w < ARRAY_SIZE(widths); w++ )
    for ( ws = 0; ws < (strchr(widths[w], '*') ? ARRAY_SIZE(star_widths) : 1); ws++ )
    for ( p = 0; p < ARRAY_SIZE(precisions); p++ )
    for ( ps = 0; ps < (strchr(precisions[p], '*') ? ARRAY_SIZE(star_precisions) : 1); ps++ )
    {
        char fmt[64];
        struct call c = { .fmt = fmt };

        snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", flags, widths[w],
                 precisions[p], len->mod, conv);
        if ( strchr(widths[w], '*') )
            c.star[c.nstars++] = star_widths[ws];
        if ( strchr(precisions[p], '*') )
            c.star[c.nstars++] = star_precisions[ps];
        c.type = is_signed ? len->signed_type : len->unsigned_type;

        for ( v = 0; v < nvalues; v++ )
        {
            c.value = (unsigned long long)values[v];
            calls_compared++;
            if ( !compare_at(&c, BUF, "sweep") )
                continue;
            if ( calls_compared % 97 == 0 )
            {
                size_t size, full = (size_t)do_call(snprintf, NULL, 0, &c);

                for ( size = 0; size <= full + 2; size++ )
                    if ( !compare_at(&c, size, "truncated") )
                        break;
            }
        }
    }
}

static void sweep_flags(char conv, const struct length *len)
{
    const char *set = flag_set(conv);
    unsigned int nflags = (unsigned int)strlen(set), mask;

    for ( mask = 0; mask < (1u << nflags); mask++ )
    {
        char flags[8];
        unsigned int i, n = 0;

        for ( i = 0; i < nflags; i++ )
            if ( mask & (1u << i) )
                flags[n++] = set[i];
        flags[n] = '\0';
        if ( len->wide )
            sweep(flags, len, conv, wide_values, ARRAY_SIZE(wide_values));
        else
            sweep(flags, len, conv, int_values, ARRAY_SIZE(int_values));
    }
}

static void test_integers_against_host(void)
{
    static const char convs[] = "diuxXo";
    char name[64];
    size_t i, l;

    for ( i = 0; convs[i]; i++ )
    {
        snprintf(name, sizeof(name), "vsprintf/host-compare-%%%c", convs[i]);
        case_begin(name);
        calls_compared = 0;
        for ( l = 0; l < ARRAY_SIZE(lengths); l++ )
        {
            /* %i and %X share %d's and %x's code; a few lengths suffice. */
            if ( (convs[i] == 'i' || convs[i] == 'X') && l % 3 )
                continue;
            sweep_flags(convs[i], &lengths[l]);
        }
        CHECK(calls_compared > 10000);
        case_end();
    }
}

static void test_chars_strings_against_host(void)
{
    static const char *const strings[] = {
        "", "a", "hello", "a much longer string than the widths",
    };
    static const long long chars[] = { 'a', ' ', '%', 0x7e, 0x1ff };
    static const struct length plain = { "", A_INT, A_UINT, false };
    size_t s, w, p, ws, ps, f;

    case_begin("vsprintf/host-compare-%%c");
    calls_compared = 0;
    sweep("", &plain, 'c', chars, ARRAY_SIZE(chars));
    sweep("-", &plain, 'c', chars, ARRAY_SIZE(chars));
    CHECK(calls_compared > 100);
    case_end();

    case_begin("vsprintf/host-compare-%%s");
    for ( f = 0; f < 2; f++ )
    for ( s = 0; s < ARRAY_SIZE(strings); s++ )
    for ( w = 0; w < ARRAY_SIZE(widths); w++ )
    for ( ws = 0; ws < (strchr(widths[w], '*') ? ARRAY_SIZE(star_widths) : 1); ws++ )
    for ( p = 0; p < ARRAY_SIZE(precisions); p++ )
    for ( ps = 0; ps < (strchr(precisions[p], '*') ? ARRAY_SIZE(star_precisions) : 1); ps++ )
    {
        char fmt[64];
        struct call c = { .fmt = fmt, .type = A_STR, .str = strings[s] };
        size_t size;

        snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", f ? "-" : "", widths[w],
                 precisions[p]);
        if ( strchr(widths[w], '*') )
            c.star[c.nstars++] = star_widths[ws];
        if ( strchr(precisions[p], '*') )
            c.star[c.nstars++] = star_precisions[ps];
        for ( size = 0; size < 48; size++ )
            if ( !compare_at(&c, size, "string") )
                break;
    }
    case_end();
}

/* Several conversions in one format, the way real messages look. */
static void test_mixed_against_host(void)
{
    char ours[200], host[200];
    int n1, n2;
    size_t size;

    case_begin("vsprintf/host-compare-mixed");
    for ( size = 0; size <= sizeof(ours); size++ )
    {
        memset(ours, CANARY, sizeof(ours));
        memset(host, CANARY, sizeof(host));
        n1 = xen_snprintf(size ? ours : NULL, size,
                          "d%d=%s %c|%-6lu|%#010llx|%+.3hd|%%|%5.1s|%zu/%td/%jd",
                          -12, "name", 'q', 123456UL, 0xabcULL, (short)-5,
                          "xyz", (size_t)77, (ptrdiff_t)-3, (intmax_t)INT64_MIN);
        n2 = snprintf(size ? host : NULL, size,
                      "d%d=%s %c|%-6lu|%#010llx|%+.3hd|%%|%5.1s|%zu/%td/%jd",
                      -12, "name", 'q', 123456UL, 0xabcULL, (short)-5,
                      "xyz", (size_t)77, (ptrdiff_t)-3, (intmax_t)INT64_MIN);
        if ( n1 != n2 || memcmp(ours, host, sizeof(ours)) )
            CHECK_FAIL("size %zu: %d vs host %d", size, n1, n2);
    }
    case_end();
}

/* Formats the call through a format kept in a heap block of exactly its
 * own size, so ASan catches any read past the terminator. */
static int format_exact(char *buf, size_t size, const char *fmt_text, ...)
{
    size_t len = strlen(fmt_text) + 1;
    char *fmt = malloc(len);
    va_list ap;
    int n;

    if ( !fmt )
        abort();
    memcpy(fmt, fmt_text, len);
    va_start(ap, fmt_text);
    n = xen_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    free(fmt);
    return n;
}

#define EXPECT_FORMAT(expected, ...) do {                                   \
    char out_[256];                                                         \
    int n_ = format_exact(out_, sizeof(out_), __VA_ARGS__);                 \
    if ( strcmp(out_, expected) || n_ != (int)strlen(expected) )            \
        CHECK_FAIL("%s:%d: got \"%s\" (%d), expected \"%s\"", __FILE__,      \
                  __LINE__, out_, n_, expected);                            \
} while ( 0 )

static void test_pointers(void)
{
    case_begin("vsprintf/pointer");
    EXPECT_FORMAT("0x0000000000001234", "%p", (void *)0x1234);
    EXPECT_FORMAT("0x0000000000000000", "%p", NULL);
    EXPECT_FORMAT("0xffff82d080000000", "%p", (void *)0xffff82d080000000UL);
    EXPECT_FORMAT("  0x00000000deadbeef|", "%20p|", (void *)0xdeadbeefUL);
    EXPECT_FORMAT("0x00000000deadbeef  |", "%-20p|", (void *)0xdeadbeefUL);
    EXPECT_FORMAT("0x0000000000000001", "%5p", (void *)1);
    case_end();
}

static void test_null_and_odd_strings(void)
{
    char *unterminated = malloc(4);

    case_begin("vsprintf/strings-special");
    EXPECT_FORMAT("(null)", "%s", (char *)NULL);
    EXPECT_FORMAT("  (null)", "%8s", (char *)NULL);
    EXPECT_FORMAT("(nu", "%.3s", (char *)NULL);
    /* A precision-limited string need not be terminated. */
    if ( !unterminated )
        abort();
    memcpy(unterminated, "abcd", 4);
    EXPECT_FORMAT("abcd|", "%.4s|", unterminated);
    EXPECT_FORMAT("ab|", "%.*s|", 2, unterminated);
    free(unterminated);
    case_end();
}

static void test_malformed_formats(void)
{
    char buf[8];

    case_begin("vsprintf/malformed-formats");
    /* Ending inside a conversion: the fragment is copied, nothing read
     * beyond the terminator. */
    EXPECT_FORMAT("abc%", "abc%");
    EXPECT_FORMAT("x%-5", "x%-5");
    EXPECT_FORMAT("%ll", "%ll");
    EXPECT_FORMAT("%5.", "%5.");
    EXPECT_FORMAT("%#08.3", "%#08.3");
    /* Unknown conversions are copied and consume no argument. */
    EXPECT_FORMAT("%y 7", "%y %d", 7);
    EXPECT_FORMAT("%5.2q 7", "%5.2q %d", 7);
    EXPECT_FORMAT("%n", "%n");
    EXPECT_FORMAT("", "");
    /* A NULL format is an empty one. */
    memset(buf, 'z', sizeof(buf));
    CHECK(xen_snprintf(buf, sizeof(buf), NULL) == 0 && buf[0] == '\0');
    case_end();
}

static void test_sizes_and_limits(void)
{
    char buf[16];
    int n;

    case_begin("vsprintf/sizes-and-limits");
    /* Size 0 writes nothing, even with a buffer. */
    memset(buf, 'z', sizeof(buf));
    CHECK(xen_snprintf(buf, 0, "hello") == 5 && buf[0] == 'z');
    CHECK(xen_snprintf(NULL, 0, "%d", 12345) == 5);
    CHECK(xen_snprintf(NULL, 10, "%d", 12345) == 5);  /* NULL: size ignored */
    /* Size 1 is just the terminator. */
    CHECK(xen_snprintf(buf, 1, "hello") == 5 && buf[0] == '\0' &&
           buf[1] == 'z');
    /* A NUL from %c is output like any character. */
    CHECK(xen_snprintf(buf, sizeof(buf), "a%cb", 0) == 3 &&
           !memcmp(buf, "a\0b", 4));
    /* Huge widths are counted, not written one by one. */
    CHECK(format_exact(buf, sizeof(buf), "%999999999d", 1) == 999999999);
    CHECK(buf[15] == '\0' && buf[0] == ' ');
    CHECK(format_exact(buf, sizeof(buf), "%.999999999d", 1) == 999999999);
    CHECK(buf[0] == '0');
    /* Width digits beyond int saturate; the total then overflows int. */
    n = format_exact(buf, sizeof(buf), "%99999999999999999999d", 1);
    CHECK(n == INT_MAX);
    n = format_exact(buf, sizeof(buf), "x%2147483647d", 1);
    CHECK(n < 0);
    /* INT_MIN as a '*' width: left-justified, INT_MAX wide. */
    n = format_exact(buf, sizeof(buf), "%*d|", INT_MIN, 1);
    CHECK(n < 0);
    CHECK(buf[0] == '1');
    case_end();
}

/* %pS against the fixture table in symtab_fixture.c. */
static void test_symbol_format(void)
{
    case_begin("vsprintf/pS");
    EXPECT_FORMAT("alpha+0x0/0x40", "%pS", (void *)0x1000);
    EXPECT_FORMAT("alpha+0x3f/0x40", "%pS", (void *)0x103f);
    EXPECT_FORMAT("beta+0x1/0xc0", "%pS", (void *)0x1041);
    EXPECT_FORMAT("gamma+0xf/0x10", "%pS", (void *)0x200f);
    /* Outside any code: the plain %p form. */
    EXPECT_FORMAT("0x0000000000000fff", "%pS", (void *)0xfff);
    EXPECT_FORMAT("0x0000000000001100", "%pS", (void *)0x1100);
    EXPECT_FORMAT("0x0000000000002010", "%pS", (void *)0x2010);
    EXPECT_FORMAT("0xffffffffffffffff", "%pS", (void *)~0UL);
    /* Width pads the whole thing; text after S is ordinary text. */
    EXPECT_FORMAT("     beta+0x0/0xc0|", "%18pS|", (void *)0x1040);
    EXPECT_FORMAT("beta+0x0/0xc0     |", "%-18pS|", (void *)0x1040);
    EXPECT_FORMAT("beta+0x0/0xc0x", "%pSx", (void *)0x1040);
    EXPECT_FORMAT("0x0000000000001040s", "%ps", (void *)0x1040);
    /* A long name is cut short (to 120 characters), keeping the offset
     * and size. */
    {
        char out[400];
        int n = xen_snprintf(out, sizeof(out), "%pS", (void *)0x3005);

        CHECK(n == 120 + 10 && (size_t)n == strlen(out));
        CHECK(!strncmp(out, "long_name_", 10));
        CHECK(!strcmp(out + 120, "+0x5/0x100"));
    }
    case_end();
}

void test_vsprintf(void)
{
    test_integers_against_host();
    test_chars_strings_against_host();
    test_mixed_against_host();
    test_pointers();
    test_null_and_odd_strings();
    test_malformed_formats();
    test_sizes_and_limits();
    test_symbol_format();
}
