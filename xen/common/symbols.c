/* Address-to-name lookup over the table tools/mksymbols generates (see
 * xen/symbols.h for its layout), for backtraces and %pS. */
#include <xen/lib.h>
#include <xen/symbols.h>

/*
 * Entries are sorted by address.  A run of code ends at an entry with an
 * empty name, and the table always ends with one, so every named entry's
 * size is the distance to the entry after it.
 */
const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size)
{
    unsigned int lo = 0, hi = symbols_count, i;
    const char *name;

    if ( hi == 0 || addr < symbols_addresses[0] )
        return NULL;

    /* Invariant: addresses[lo] <= addr, and addr < addresses[hi] when hi is
     * inside the table. */
    while ( hi - lo > 1 )
    {
        unsigned int mid = lo + (hi - lo) / 2;

        if ( symbols_addresses[mid] <= addr )
            lo = mid;
        else
            hi = mid;
    }
    i = lo;

    /* At or past the final entry there is no known end: outside the table. */
    if ( i + 1 >= symbols_count )
        return NULL;
    name = &symbols_names[symbols_name_offsets[i]];
    if ( name[0] == '\0' )
        return NULL;

    if ( offset )
        *offset = addr - symbols_addresses[i];
    if ( size )
        *size = symbols_addresses[i + 1] - symbols_addresses[i];
    return name;
}
