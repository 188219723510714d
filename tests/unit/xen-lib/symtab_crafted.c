/* symtab-crafted: linked with the table mksymbols made from crafted.nm,
 * which holds the awkward cases: several names per address, weak and
 * local names, data between code, a code and a data name at one address,
 * absolute and debugging symbols, lines out of order, an undefined
 * symbol, CRLF endings. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "symtab_check.h"

static const struct lookup_case lookups[] = {
    { 0x7ff, NULL, 0, 0 },
    { 0x800, "early", 0, 0x800 },               /* listed last in the input */
    { 0x1000, "alpha", 0, 0x10 },               /* global beats local */
    { 0x100f, "alpha", 0xf, 0x10 },
    { 0x1010, "local_only", 0, 0x10 },
    { 0x1020, "weak_fn", 0, 0x10 },             /* weak beats local */
    { 0x1030, "first_global", 0, 0x10 },        /* first of equals wins */
    { 0x1048, "weak_local", 8, 0x10 },         /* debug symbol ignored */
    { 0x1050, NULL, 0, 0 },                     /* read-only data */
    { 0x1065, NULL, 0, 0 },
    { 0x1075, NULL, 0, 0 },                     /* absolute symbol ignored */
    { 0x1fff, NULL, 0, 0 },
    { 0x2000, "code_after_data", 0, 0x100 },
    { 0x20ff, "code_after_data", 0xff, 0x100 },
    { 0x2100, NULL, 0, 0 },                     /* code+data name: data */
    { 0x21ff, NULL, 0, 0 },
    { 0x2200, "last_code", 0, ~0UL - 0x2200 },  /* nothing said where it ends */
    { 0x12345678, "last_code", 0x12345678 - 0x2200, ~0UL - 0x2200 },
    { ~0UL, NULL, 0, 0 },
};

int main(int argc, char **argv)
{
    if ( argc > 1 )
        case_prefix = argv[1];

    case_begin("mksymbols/crafted-input");
    /* 8 code entries and markers at 0x1050, 0x2100 and the very end. */
    CHECK(symbols_count == 11);
    check_lookups(lookups, ARRAY_SIZE(lookups));
    case_end();
    return cases_failed() ? 1 : 0;
}
