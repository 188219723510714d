/* Tests for xen/common/string.c: every function against the C library on
 * many lengths and alignments, plus the edge cases the C library has no
 * opinion on (strlcpy and strlcat). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "tests.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void fill_pattern(unsigned char *buf, size_t n, unsigned int seed)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        buf[i] = (unsigned char)(seed * 131 + i * 37 + (i >> 3));
}

static void test_memset(void)
{
    unsigned char buf[80], ref[80];
    size_t off, n;

    case_begin("string/memset");
    for ( off = 0; off < 8; off++ )
        for ( n = 0; n <= 64; n++ )
        {
            fill_pattern(buf, sizeof(buf), 1);
            memcpy(ref, buf, sizeof(ref));
            /* Only the low byte of c counts. */
            CHECK(xen_memset(buf + off, 0x1a5, n) == buf + off);
            memset(ref + off, 0xa5, n);
            if ( memcmp(buf, ref, sizeof(buf)) )
                CHECK_FAIL("offset %zu length %zu differs", off, n);
        }
    case_end();
}

static void test_memcpy(void)
{
    unsigned char src[96], dst[96], ref[96];
    size_t so, doff, n;

    case_begin("string/memcpy");
    for ( so = 0; so < 8; so++ )
        for ( doff = 0; doff < 8; doff++ )
            for ( n = 0; n <= 80; n++ )
            {
                fill_pattern(src, sizeof(src), 2);
                fill_pattern(dst, sizeof(dst), 3);
                memcpy(ref, dst, sizeof(ref));
                CHECK(xen_memcpy(dst + doff, src + so, n) == dst + doff);
                memcpy(ref + doff, src + so, n);
                if ( memcmp(dst, ref, sizeof(dst)) )
                    CHECK_FAIL("src+%zu dst+%zu length %zu differs",
                              so, doff, n);
            }
    case_end();
}

/* Every overlap in both directions, including the exact-alias case. */
static void test_memmove(void)
{
    unsigned char buf[128], ref[128];
    size_t s, d, n;

    case_begin("string/memmove-overlapping");
    for ( s = 0; s < 40; s++ )
        for ( d = 0; d < 40; d++ )
            for ( n = 0; n <= 64; n += (n < 20 ? 1 : 7) )
            {
                fill_pattern(buf, sizeof(buf), 4);
                memcpy(ref, buf, sizeof(ref));
                CHECK(xen_memmove(buf + d, buf + s, n) == buf + d);
                memmove(ref + d, ref + s, n);
                if ( memcmp(buf, ref, sizeof(buf)) )
                    CHECK_FAIL("src+%zu dst+%zu length %zu differs", s, d, n);
            }
    case_end();
}

static void test_memcmp(void)
{
    unsigned char a[64], b[64];
    size_t n, i;

    case_begin("string/memcmp");
    fill_pattern(a, sizeof(a), 5);
    memcpy(b, a, sizeof(b));
    for ( n = 0; n <= sizeof(a); n++ )
        CHECK(xen_memcmp(a, b, n) == 0);
    for ( i = 0; i < sizeof(a); i++ )
    {
        memcpy(b, a, sizeof(b));
        b[i] ^= 0x80;  /* makes bytes above 127 compare as unsigned */
        for ( n = 0; n <= sizeof(a); n++ )
            if ( sign(xen_memcmp(a, b, n)) != sign(memcmp(a, b, n)) )
                CHECK_FAIL("byte %zu flipped, length %zu: %d vs libc %d",
                          i, n, xen_memcmp(a, b, n), memcmp(a, b, n));
    }
    CHECK(xen_memcmp("\x01", "\xff", 1) < 0);
    CHECK(xen_memcmp("\xff", "\x01", 1) > 0);
    CHECK(xen_memcmp(NULL, NULL, 0) == 0);
    case_end();
}

static void test_strlen(void)
{
    char buf[70];
    char *unterminated;
    size_t i;

    case_begin("string/strlen-strnlen");
    for ( i = 0; i < 64; i++ )
    {
        memset(buf, 'x', sizeof(buf));
        buf[i] = '\0';
        CHECK(xen_strlen(buf) == i);
        CHECK(xen_strnlen(buf, 0) == 0);
        CHECK(xen_strnlen(buf, i) == i);
        CHECK(xen_strnlen(buf, i + 1) == i);
        CHECK(xen_strnlen(buf, 1000) == i);
        if ( i )
            CHECK(xen_strnlen(buf, i - 1) == i - 1);
    }
    /* strnlen must stop at max even without a terminator (ASan watches). */
    unterminated = malloc(16);
    if ( !unterminated )
        abort();
    memset(unterminated, 'y', 16);
    CHECK(xen_strnlen(unterminated, 16) == 16);
    free(unterminated);
    CHECK(xen_strlen("") == 0);
    case_end();
}

static void test_strcmp(void)
{
    static const char *const words[] = {
        "", "a", "b", "ab", "abc", "abd", "abcd", "A", "\x7f", "\x80",
        "\xff", "a\xff", "a\x01", "zz", "z",
    };
    size_t i, j, n;

    case_begin("string/strcmp-strncmp");
    for ( i = 0; i < ARRAY_SIZE(words); i++ )
        for ( j = 0; j < ARRAY_SIZE(words); j++ )
        {
            const char *a = words[i], *b = words[j];

            if ( sign(xen_strcmp(a, b)) != sign(strcmp(a, b)) )
                CHECK_FAIL("strcmp(\"%s\", \"%s\")", a, b);
            for ( n = 0; n < 7; n++ )
                if ( sign(xen_strncmp(a, b, n)) != sign(strncmp(a, b, n)) )
                    CHECK_FAIL("strncmp(\"%s\", \"%s\", %zu)", a, b, n);
        }
    /* Nothing past the terminator or past n is compared. */
    CHECK(xen_strncmp("abc\0x", "abc\0y", 10) == 0);
    CHECK(xen_strncmp("abcx", "abcy", 3) == 0);
    CHECK(xen_strncmp(NULL, NULL, 0) == 0);
    case_end();
}

static void test_strchr(void)
{
    static const char s[] = "hello, w\xe9rld; hello";
    int c;

    case_begin("string/strchr-strrchr");
    for ( c = 0; c < 256; c++ )
    {
        if ( xen_strchr(s, c) != strchr(s, c) )
            CHECK_FAIL("strchr(s, %d)", c);
        if ( xen_strrchr(s, c) != strrchr(s, c) )
            CHECK_FAIL("strrchr(s, %d)", c);
    }
    /* The terminator is part of the string; c is converted to char. */
    CHECK(xen_strchr(s, '\0') == s + strlen(s));
    CHECK(xen_strrchr(s, '\0') == s + strlen(s));
    CHECK(xen_strchr(s, 0x100 + 'w') == s + 7);
    CHECK(xen_strchr(s, (char)0xe9) == s + 8);
    CHECK(xen_strrchr(s, 'h') == s + 14);
    CHECK(xen_strchr("", 'a') == NULL);
    CHECK(xen_strrchr("", 'a') == NULL);
    case_end();
}

static void test_strlcpy(void)
{
    char buf[16];
    size_t size;

    case_begin("string/strlcpy");
    for ( size = 0; size <= 12; size++ )
    {
        memset(buf, '#', sizeof(buf));
        CHECK(xen_strlcpy(buf, "abcdefgh", size) == 8);
        if ( size == 0 )
            CHECK(buf[0] == '#');     /* nothing written at all */
        else
        {
            size_t kept = size - 1 < 8 ? size - 1 : 8;

            CHECK(strncmp(buf, "abcdefgh", kept) == 0);
            CHECK(buf[kept] == '\0');
            CHECK(buf[kept + 1] == '#');  /* nothing past the terminator */
        }
    }
    CHECK(xen_strlcpy(buf, "", sizeof(buf)) == 0 && buf[0] == '\0');
    case_end();
}

static void test_strlcat(void)
{
    char buf[16];
    size_t size;

    case_begin("string/strlcat");
    for ( size = 0; size <= 12; size++ )
    {
        memset(buf, '#', sizeof(buf));
        memcpy(buf, "abc", 4);
        if ( size <= 3 )
        {
            /* No terminator within size: dst left alone. */
            CHECK(xen_strlcat(buf, "defgh", size) == size + 5);
            CHECK(memcmp(buf, "abc\0#", 5) == 0);
        }
        else
        {
            size_t total = size - 1 < 8 ? size - 1 : 8;

            CHECK(xen_strlcat(buf, "defgh", size) == 8);
            CHECK(strncmp(buf, "abcdefgh", total) == 0);
            CHECK(buf[total] == '\0');
            CHECK(buf[total + 1] == '#');
        }
    }
    memcpy(buf, "", 1);
    CHECK(xen_strlcat(buf, "xyz", sizeof(buf)) == 3 && !strcmp(buf, "xyz"));
    case_end();
}

void test_string(void)
{
    test_memset();
    test_memcpy();
    test_memmove();
    test_memcmp();
    test_strlen();
    test_strcmp();
    test_strchr();
    test_strlcpy();
    test_strlcat();
}
