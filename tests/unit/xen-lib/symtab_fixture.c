/* A hand-made symbol table in the layout mksymbols generates, linked into
 * xen-lib-tests for %pS, plus direct tests of symbols_lookup() on it:
 * every boundary of every entry, markers, and the table's ends. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "symtab_check.h"
#include "tests.h"

#define L10 "long_name_"
#define L100 L10 L10 L10 L10 L10 L10 L10 L10 L10 L10

/* 0x1000 alpha, 0x1040 beta, data from 0x1100; 0x2000 gamma, data from
 * 0x2010; 0x3000 a 300-character name, data from 0x3100. */
const unsigned long symbols_addresses[] = {
    0x1000, 0x1040, 0x1100, 0x2000, 0x2010, 0x3000, 0x3100,
};
const unsigned int symbols_name_offsets[] = { 1, 7, 0, 12, 0, 18, 0 };
const char symbols_names[] = "\0alpha\0beta\0gamma\0" L100 L100 L100;
const unsigned int symbols_count = ARRAY_SIZE(symbols_addresses);

static const struct lookup_case lookups[] = {
    { 0, NULL, 0, 0 },
    { 0xfff, NULL, 0, 0 },
    { 0x1000, "alpha", 0, 0x40 },
    { 0x1001, "alpha", 1, 0x40 },
    { 0x103f, "alpha", 0x3f, 0x40 },
    { 0x1040, "beta", 0, 0xc0 },
    { 0x10ff, "beta", 0xbf, 0xc0 },
    { 0x1100, NULL, 0, 0 },
    { 0x1fff, NULL, 0, 0 },
    { 0x2000, "gamma", 0, 0x10 },
    { 0x200f, "gamma", 0xf, 0x10 },
    { 0x2010, NULL, 0, 0 },
    { 0x3000, L100 L100 L100, 0, 0x100 },
    { 0x30ff, L100 L100 L100, 0xff, 0x100 },
    { 0x3100, NULL, 0, 0 },
    { ~0UL, NULL, 0, 0 },
};

void test_symbols(void)
{
    case_begin("symbols/lookup-fixture");
    check_lookups(lookups, ARRAY_SIZE(lookups));
    /* The out parameters are optional. */
    CHECK(symbols_lookup(0x1041, NULL, NULL) != NULL);
    case_end();
}
