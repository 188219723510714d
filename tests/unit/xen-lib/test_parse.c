/* Tests for xen/common/parse.c: parse_ulong and parse_size, on good
 * numbers, every suffix, overflow at the exact boundary, and junk. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "tests.h"

struct ulong_case {
    const char *text;
    unsigned int base;
    int rc;
    unsigned long value;    /* when rc == 0 */
    size_t consumed;        /* where *end points, from text */
};

static const struct ulong_case ulong_cases[] = {
    { "0", 0, 0, 0, 1 },
    { "42", 0, 0, 42, 2 },
    { "007", 0, 0, 7, 3 },                  /* leading zero is not octal */
    { "0x1f", 0, 0, 0x1f, 4 },
    { "0X1F", 0, 0, 0x1f, 4 },
    { "0xabcdefABCDEF", 0, 0, 0xabcdefabcdefUL, 14 },
    { "12abc", 0, 0, 12, 2 },               /* stops at the first non-digit */
    { "1f", 16, 0, 0x1f, 2 },
    { "0x1f", 16, 0, 0x1f, 4 },
    { "777", 8, 0, 0777, 3 },
    { "778", 8, 0, 077, 2 },
    { "101", 2, 0, 5, 3 },
    { "zz", 36, 0, 35 * 36 + 35, 2 },
    { "0x", 0, 0, 0, 1 },                   /* "0" then junk "x" */
    { "0xg", 0, 0, 0, 1 },
    { "18446744073709551615", 0, 0, 18446744073709551615UL, 20 },
    { "0xffffffffffffffff", 0, 0, ~0UL, 18 },
    { "000000000000000000000000000001", 0, 0, 1, 30 },
    { "18446744073709551616", 0, -ERANGE, 0, 20 },
    { "99999999999999999999999", 0, -ERANGE, 0, 23 },
    { "0x10000000000000000", 0, -ERANGE, 0, 19 },
    { "", 0, -EINVAL, 0, 0 },
    { " 1", 0, -EINVAL, 0, 0 },
    { "-1", 0, -EINVAL, 0, 0 },
    { "+1", 0, -EINVAL, 0, 0 },
    { "x1", 0, -EINVAL, 0, 0 },
    { "9", 8, -EINVAL, 0, 0 },
    { "1", 1, -EINVAL, 0, 0 },
    { "1", 37, -EINVAL, 0, 0 },
};

static void test_parse_ulong(void)
{
    size_t i;

    case_begin("parse/parse_ulong");
    for ( i = 0; i < ARRAY_SIZE(ulong_cases); i++ )
    {
        const struct ulong_case *c = &ulong_cases[i];
        unsigned long v = 12345;
        const char *end = NULL;
        int rc = parse_ulong(c->text, c->base, &v, &end);

        if ( rc != c->rc )
            CHECK_FAIL("\"%s\" base %u: rc %d, expected %d",
                      c->text, c->base, rc, c->rc);
        else if ( rc == 0 && v != c->value )
            CHECK_FAIL("\"%s\": value %lu, expected %lu", c->text, v, c->value);
        else if ( rc != 0 && v != 12345 )
            CHECK_FAIL("\"%s\": value changed on failure", c->text);
        else if ( end != c->text + c->consumed )
            CHECK_FAIL("\"%s\": end at %td, expected %zu", c->text,
                      end - c->text, c->consumed);
    }
    /* NULL arguments are errors, not crashes; end is optional. */
    {
        unsigned long v;

        CHECK(parse_ulong(NULL, 0, &v, NULL) == -EINVAL);
        CHECK(parse_ulong("1", 0, NULL, NULL) == -EINVAL);
        CHECK(parse_ulong("5", 0, &v, NULL) == 0 && v == 5);
    }
    case_end();
}

struct size_case {
    const char *text;
    unsigned int default_shift;
    int rc;
    uint64_t bytes;
};

static const struct size_case size_cases[] = {
    { "0", 0, 0, 0 },
    { "4096", 0, 0, 4096 },
    { "4096", 10, 0, 4096ULL << 10 },       /* bare number: default unit */
    { "1k", 0, 0, 1ULL << 10 },
    { "1K", 0, 0, 1ULL << 10 },
    { "1m", 0, 0, 1ULL << 20 },
    { "1M", 0, 0, 1ULL << 20 },
    { "3g", 0, 0, 3ULL << 30 },
    { "3G", 0, 0, 3ULL << 30 },
    { "2t", 0, 0, 2ULL << 40 },
    { "2T", 0, 0, 2ULL << 40 },
    { "16MB", 0, 0, 16ULL << 20 },
    { "16mb", 0, 0, 16ULL << 20 },
    { "16KB", 20, 0, 16ULL << 10 },         /* a unit overrides the default */
    { "512B", 10, 0, 512 },                 /* so does B for bytes */
    { "512b", 10, 0, 512 },
    { "0x10M", 0, 0, 16ULL << 20 },
    { "0x1B", 0, 0, 0x1b },                 /* B is a hex digit here */
    { "16777215T", 0, 0, 16777215ULL << 40 },
    { "16777216T", 0, -ERANGE, 0 },         /* 2^64 */
    { "17179869183G", 0, 0, 17179869183ULL << 30 },
    { "17179869184G", 0, -ERANGE, 0 },
    { "18446744073709551615", 0, 0, UINT64_MAX },
    { "18446744073709551616", 0, -ERANGE, 0 },
    { "1", 63, 0, 1ULL << 63 },
    { "2", 63, -ERANGE, 0 },
    { "1", 64, -EINVAL, 0 },
    { "", 0, -EINVAL, 0 },
    { "M", 0, -EINVAL, 0 },
    { "1P", 0, -EINVAL, 0 },
    { "1KK", 0, -EINVAL, 0 },
    { "1BB", 0, -EINVAL, 0 },
    { "1KiB", 0, -EINVAL, 0 },
    { "1 K", 0, -EINVAL, 0 },
    { "1K ", 0, -EINVAL, 0 },
    { " 1K", 0, -EINVAL, 0 },
    { "-1K", 0, -EINVAL, 0 },
    { "12x", 0, -EINVAL, 0 },
};

static void test_parse_size(void)
{
    size_t i;

    case_begin("parse/parse_size");
    for ( i = 0; i < ARRAY_SIZE(size_cases); i++ )
    {
        const struct size_case *c = &size_cases[i];
        uint64_t bytes = 777;
        int rc = parse_size(c->text, c->default_shift, &bytes);

        if ( rc != c->rc )
            CHECK_FAIL("\"%s\" shift %u: rc %d, expected %d",
                      c->text, c->default_shift, rc, c->rc);
        else if ( rc == 0 && bytes != c->bytes )
            CHECK_FAIL("\"%s\": %llu bytes, expected %llu", c->text,
                      (unsigned long long)bytes,
                      (unsigned long long)c->bytes);
        else if ( rc != 0 && bytes != 777 )
            CHECK_FAIL("\"%s\": result changed on failure", c->text);
    }
    CHECK(parse_size(NULL, 0, NULL) == -EINVAL);
    {
        uint64_t b;

        CHECK(parse_size(NULL, 0, &b) == -EINVAL);
    }
    case_end();
}

void test_parse(void)
{
    test_parse_ulong();
    test_parse_size();
}
