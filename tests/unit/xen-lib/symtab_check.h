/* One lookup in a symbol table and what symbols_lookup() must say. */
#ifndef XEN_LIB_TEST_SYMTAB_CHECK_H
#define XEN_LIB_TEST_SYMTAB_CHECK_H

#include <stddef.h>

struct lookup_case {
    unsigned long addr;
    const char *name;       /* NULL: not code, or outside the table */
    unsigned long offset, size;
};

/* Checks every case against the linked table, in the open case. */
void check_lookups(const struct lookup_case *c, size_t n);

#endif
