/* Tests for xen/common/cmdline.c, with an option table holding every
 * parameter type and integer width: good values, the variants of each
 * syntax, and bad input, which must be reported (naming the option) and
 * leave the variable alone. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "console.h"
#include "tests.h"

static bool opt_flag;
boolean_param("flag", opt_flag);
static int opt_int_flag;
boolean_param("int-flag", opt_int_flag);
static bool opt_no_literal;
boolean_param("no-literal", opt_no_literal);
static unsigned int opt_uint;
integer_param("uint", opt_uint);
static uint8_t opt_u8;
integer_param("u8", opt_u8);
static uint16_t opt_u16;
integer_param("u16", opt_u16);
static uint64_t opt_u64;
integer_param("u64", opt_u64);
static unsigned long opt_ulong;
ulong_param("ulong", opt_ulong);
static uint64_t opt_dom0_mem;
size_param("dom0_mem", opt_dom0_mem);
static uint32_t opt_small_size;
size_param("small-size", opt_small_size);
static char opt_console[8];
string_param("console", opt_console);
/* An integer option of a width no integer has: a broken table entry. */
static char opt_weird[3];
integer_param("weird", opt_weird);

static unsigned int custom_calls;
static bool custom_got_null;
static char custom_value[32];

static int custom_handler(const char *val)
{
    custom_calls++;
    custom_got_null = val == NULL;
    snprintf(custom_value, sizeof(custom_value), "%s", val ? val : "");
    return val && !strcmp(val, "bad") ? -EINVAL : 0;
}
custom_param("custom", custom_handler);

static void reset_options(void)
{
    opt_flag = false;
    opt_int_flag = 5;
    opt_no_literal = false;
    opt_uint = 7;
    opt_u8 = 8;
    opt_u16 = 16;
    opt_u64 = 64;
    opt_ulong = 99;
    opt_dom0_mem = 1;
    opt_small_size = 2;
    snprintf(opt_console, sizeof(opt_console), "def");
    memset(opt_weird, 'w', sizeof(opt_weird));
    custom_calls = 0;
    custom_got_null = false;
    custom_value[0] = '\0';
    printk_clear();
}

/* Parses line after a reset and checks the problem count, and that each
 * problem was reported with exactly one message. */
static void parse_expecting(const char *line, int problems, int lineno)
{
    int n;

    reset_options();
    n = cmdline_parse(line);
    if ( n != problems )
        CHECK_FAIL("line %d: \"%s\": %d problems, expected %d", lineno,
                  line ? line : "(NULL)", n, problems);
    if ( printk_count() != (unsigned int)problems )
        CHECK_FAIL("line %d: \"%s\": %lu messages for %d problems", lineno,
                  line ? line : "(NULL)", printk_count(), problems);
}
#define PARSE(line, problems) parse_expecting(line, problems, __LINE__)
#define REPORTED(...) CHECK(printk_has(__VA_ARGS__, NULL))

static void test_booleans(void)
{
    static const char *const yes[] = { "1", "yes", "on", "true" };
    static const char *const no[] = { "0", "no", "off", "false" };
    char line[32];
    size_t i;

    case_begin("cmdline/boolean");
    PARSE("flag", 0);
    CHECK(opt_flag);
    PARSE("flag no-flag", 0);           /* the later word wins */
    CHECK(!opt_flag);
    PARSE("no_flag", 0);
    CHECK(!opt_flag);
    for ( i = 0; i < ARRAY_SIZE(yes); i++ )
    {
        snprintf(line, sizeof(line), "flag=%s", yes[i]);
        PARSE(line, 0);
        CHECK(opt_flag);
        snprintf(line, sizeof(line), "flag %s=%s", "flag", no[i]);
        PARSE(line, 0);
        CHECK(!opt_flag);
    }
    PARSE("int-flag", 0);               /* an int-sized boolean */
    CHECK(opt_int_flag == 1);
    PARSE("no-int_flag", 0);
    CHECK(opt_int_flag == 0);
    PARSE("flag=maybe", 1);
    CHECK(!opt_flag);
    REPORTED("'flag'", "'maybe'");
    PARSE("flag=", 1);
    PARSE("no-flag=1", 1);
    REPORTED("no-flag");
    /* An option whose own name starts with no-. */
    PARSE("no-literal", 0);
    CHECK(opt_no_literal);
    case_end();
}

static void test_integers(void)
{
    case_begin("cmdline/integer");
    PARSE("uint=42 ulong=0x10 u64=18446744073709551615", 0);
    CHECK(opt_uint == 42 && opt_ulong == 16 && opt_u64 == UINT64_MAX);
    PARSE("u8=255 u16=65535 uint=4294967295", 0);
    CHECK(opt_u8 == 255 && opt_u16 == 65535 && opt_uint == 4294967295u);
    PARSE("u8=0 u16=0x0 uint=000", 0);
    CHECK(opt_u8 == 0 && opt_u16 == 0 && opt_uint == 0);
    PARSE("uint=\"5\"", 0);
    CHECK(opt_uint == 5);

    /* Each too large for its variable, and so ignored. */
    PARSE("u8=256", 1);
    CHECK(opt_u8 == 8);
    REPORTED("'u8'", "'256'");
    PARSE("u16=65536", 1);
    CHECK(opt_u16 == 16);
    PARSE("uint=4294967296", 1);
    CHECK(opt_uint == 7);
    PARSE("u64=18446744073709551616", 1);
    CHECK(opt_u64 == 64);
    PARSE("ulong=0x1ffffffffffffffff", 1);
    CHECK(opt_ulong == 99);

    /* Not numbers at all. */
    PARSE("uint", 1);
    REPORTED("'uint'", "value is required");
    PARSE("uint=", 1);
    PARSE("uint=12x", 1);
    REPORTED("'uint'", "'12x'");
    PARSE("uint=-1", 1);
    PARSE("uint=\" 1\"", 1);
    PARSE("uint=1K", 1);
    CHECK(opt_uint == 7);

    /* A broken table entry is reported, not written through. */
    PARSE("weird=1", 1);
    CHECK(!memcmp(opt_weird, "www", 3));
    REPORTED("'weird'");
    case_end();
}

static void test_sizes(void)
{
    case_begin("cmdline/size");
    PARSE("dom0_mem=512M", 0);
    CHECK(opt_dom0_mem == 512ULL << 20);
    PARSE("dom0-mem=1G", 0);            /* '-' and '_' are equivalent */
    CHECK(opt_dom0_mem == 1ULL << 30);
    PARSE("dom0-mem=4096", 0);
    CHECK(opt_dom0_mem == 4096);
    PARSE("small_size=4095M", 0);
    CHECK(opt_small_size == 4095u << 20);
    PARSE("small-size=4G", 1);          /* does not fit 32 bits */
    CHECK(opt_small_size == 2);
    REPORTED("'small-size'", "'4G'");
    PARSE("dom0_mem=1X", 1);
    CHECK(opt_dom0_mem == 1);
    PARSE("dom0_mem=99999999T", 1);
    CHECK(opt_dom0_mem == 1);
    /* Names are otherwise exact. */
    PARSE("DOM0_MEM=1G", 1);
    REPORTED("unknown", "'DOM0_MEM'");
    CHECK(opt_dom0_mem == 1);
    case_end();
}

static void test_strings(void)
{
    case_begin("cmdline/string");
    PARSE("console=com1", 0);
    CHECK(!strcmp(opt_console, "com1"));
    PARSE("console=\"a b\"", 0);
    CHECK(!strcmp(opt_console, "a b"));
    PARSE("console=\"a\"\"b\"", 0);     /* quotes join, and vanish */
    CHECK(!strcmp(opt_console, "ab"));
    PARSE("console=a=b", 0);            /* only the first '=' splits */
    CHECK(!strcmp(opt_console, "a=b"));
    PARSE("console=", 0);
    CHECK(!strcmp(opt_console, ""));
    PARSE("console", 1);
    CHECK(!strcmp(opt_console, "def"));
    /* Too long for the 8-byte variable: cut to 7 characters, reported. */
    PARSE("console=\"hello world!\"", 1);
    CHECK(!strcmp(opt_console, "hello w"));
    REPORTED("'console'", "truncated");
    PARSE("console=abcdefg", 0);        /* exactly fits */
    CHECK(!strcmp(opt_console, "abcdefg"));
    PARSE("console=abcdefgh", 1);       /* one too many */
    CHECK(!strcmp(opt_console, "abcdefg"));
    /* An unterminated quote spoils the whole word. */
    PARSE("console=\"abc flag", 1);
    CHECK(!strcmp(opt_console, "def") && !opt_flag);
    REPORTED("unterminated");
    case_end();
}

static void test_custom(void)
{
    case_begin("cmdline/custom");
    PARSE("custom", 0);
    CHECK(custom_calls == 1 && custom_got_null);
    PARSE("custom=abc", 0);
    CHECK(custom_calls == 1 && !custom_got_null &&
           !strcmp(custom_value, "abc"));
    PARSE("custom=\"x y\"", 0);
    CHECK(!strcmp(custom_value, "x y"));
    PARSE("custom=bad", 1);
    CHECK(custom_calls == 1);
    REPORTED("'custom'", "'bad'");
    PARSE("no-custom", 1);              /* only booleans have a no- form */
    CHECK(custom_calls == 0);
    case_end();
}

static void test_words(void)
{
    char line[1200];

    case_begin("cmdline/words-and-unknowns");
    PARSE(NULL, 0);
    PARSE("", 0);
    PARSE("   \t\n ", 0);
    PARSE("  flag\t uint=3\r\n", 0);
    CHECK(opt_flag && opt_uint == 3);
    PARSE("bogus", 1);
    REPORTED("unknown", "'bogus'");
    PARSE("no-bogus", 1);
    REPORTED("unknown", "'no-bogus'");
    PARSE("bogus=1 no-uint", 2);
    REPORTED("'no-uint'", "boolean");
    PARSE("=5", 1);
    PARSE("\"uint\"=5", 0);             /* quotes may wrap the name too */
    CHECK(opt_uint == 5);
    /* Problems do not stop the rest of the line. */
    PARSE("flag bogus uint=9 u8=300 console=x", 2);
    CHECK(opt_flag && opt_uint == 9 && opt_u8 == 8 &&
           !strcmp(opt_console, "x"));
    /* A word longer than the parser's buffer is skipped as a whole. */
    memset(line, 'a', sizeof(line));
    memcpy(line, "console=", 8);
    snprintf(line + 1100, sizeof(line) - 1100, " uint=11");
    PARSE(line, 1);
    CHECK(opt_uint == 11 && !strcmp(opt_console, "def"));
    REPORTED("longer than");
    case_end();
}

void test_cmdline(void)
{
    test_booleans();
    test_integers();
    test_sizes();
    test_strings();
    test_custom();
    test_words();
}
