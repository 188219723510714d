/* Lookups against whichever table the program was linked with (see
 * symtab_check.h): the hand-made one and the one mksymbols made. */
#include <string.h>
#include "xen_api.h"
#include "check.h"
#include "symtab_check.h"

void check_lookups(const struct lookup_case *c, size_t n)
{
    for ( ; n--; c++ )
    {
        /* Not 0: the lookup must write both, even at offset 0. */
        unsigned long offset = 99, size = 99;
        const char *name = symbols_lookup(c->addr, &offset, &size);

        if ( !c->name != !name || (name && strcmp(name, c->name)) )
            CHECK_FAIL("%#lx: got %s, expected %s", c->addr,
                       name ? name : "NULL", c->name ? c->name : "NULL");
        else if ( name && (offset != c->offset || size != c->size) )
            CHECK_FAIL("%#lx: offset %#lx size %#lx, expected %#lx %#lx",
                       c->addr, offset, size, c->offset, c->size);
    }
}
