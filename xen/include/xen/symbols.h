/* Symbol lookup for backtraces and %pS.
 *
 * The build links the hypervisor twice: the second link embeds a table made
 * by tools/mksymbols from `nm -n` of the first (see xen/Makefile).  The table
 * holds text symbols sorted by address. */
#ifndef XEN_SYMBOLS_H
#define XEN_SYMBOLS_H

#include <xen/types.h>

/* Generated table (xen/build/symbols.S).  names: NUL-separated strings;
 * name_offsets[i] indexes names for addresses[i].  An entry whose name is
 * empty marks where a run of code ends (data or the end of the image
 * follows), and the last entry is always such a marker; symbols_count
 * counts every entry, markers included. */
extern const unsigned long symbols_addresses[];
extern const unsigned int symbols_name_offsets[];
extern const char symbols_names[];
extern const unsigned int symbols_count;

/* The symbol containing addr: returns its name and sets *offset (addr minus
 * the symbol's start) and *size (distance to the next symbol), or returns
 * NULL when addr lies outside the table's range. */
const char *symbols_lookup(unsigned long addr, unsigned long *offset,
                           unsigned long *size);

#endif /* XEN_SYMBOLS_H */
