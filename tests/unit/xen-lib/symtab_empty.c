/* symtab-empty: linked with the table mksymbols makes from empty input
 * (what the hypervisor's first link uses).  Every lookup must fail
 * cleanly and %pS fall back to the plain address. */
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"

int main(int argc, char **argv)
{
    char text[32];

    if ( argc > 1 )
        case_prefix = argv[1];

    case_begin("mksymbols/empty-input");
    CHECK(symbols_count == 0);
    CHECK(symbols_lookup(0, NULL, NULL) == NULL);
    CHECK(symbols_lookup((unsigned long)main, NULL, NULL) == NULL);
    CHECK(symbols_lookup(~0UL, NULL, NULL) == NULL);
    xen_snprintf(text, sizeof(text), "%pS", (void *)0x1234);
    CHECK(!strcmp(text, "0x0000000000001234"));
    case_end();
    return cases_failed() ? 1 : 0;
}
