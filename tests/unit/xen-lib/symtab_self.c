/* symtab-self: a program linked with a symbol table that mksymbols made
 * from `nm -n` of the program itself (two links, as the hypervisor is
 * built).  Looks up its own functions and data: lookups must land in the
 * right function with the right offset, and never on data. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "xen_api.h"
#include "check.h"

/* Functions with known names and some length.  noinline and used keep
 * them real functions at stable addresses. */
__attribute__((noinline, used)) static int probe_local(int x)
{
    return x * 3 + 1;
}

__attribute__((noinline, used)) int probe_global(int x)
{
    return probe_local(x) ^ 0x55;
}

__attribute__((noinline, used, weak)) int probe_weak(int x)
{
    return x - 9;
}

/* A local alias of a global function: the table should use the global
 * name whichever order nm lists them in. */
static int probe_global_alias(int x) __attribute__((alias("probe_global"), used));

static const int some_data[4] __attribute__((used)) = { 1, 2, 3, 4 };

/* Expects addr to be exactly offset bytes into the function name. */
static void expect_in(const void *addr, const char *name,
                      unsigned long offset)
{
    unsigned long off = ~0UL, size = 0;
    const char *got = symbols_lookup((unsigned long)addr, &off, &size);

    if ( !got || strcmp(got, name) || off != offset || size == 0 ||
         offset >= size )
        CHECK_FAIL("%p: got %s+%#lx/%#lx, expected %s+%#lx", addr,
                  got ? got : "NULL", off, size, name, offset);
}

/* Checks one function from its start to the end that the table claims,
 * and that the next byte belongs to something else. */
static void expect_function(const void *fn, const char *name)
{
    unsigned long off, size = 0, i;
    const char *after;

    if ( !symbols_lookup((unsigned long)fn, &off, &size) )
    {
        CHECK_FAIL("%s at %p: not in the table", name, fn);
        return;
    }
    for ( i = 0; i < size && i < 4096; i++ )
        expect_in((const char *)fn + i, name, i);
    after = symbols_lookup((unsigned long)fn + size, &off, NULL);
    if ( after && (!strcmp(after, name) || off != 0) )
        CHECK_FAIL("%s: the byte after it is %s+%#lx", name, after, off);
}

int main(int argc, char **argv)
{
    int local_var = probe_global(argc) + probe_weak(argc) +
                    probe_global_alias(argc);
    char text[128];

    if ( argc > 1 )
        case_prefix = argv[1];

    case_begin("symbols/self-lookup");
    CHECK(symbols_count > 4);
    expect_function((const void *)probe_local, "probe_local");
    expect_function((const void *)probe_global, "probe_global");
    expect_function((const void *)probe_weak, "probe_weak");
    expect_function((const void *)main, "main");
    expect_function((const void *)symbols_lookup, "symbols_lookup");
    expect_function((const void *)expect_in, "expect_in");
    case_end();

    case_begin("symbols/self-table-sorted");
    {
        unsigned int i;

        for ( i = 1; i < symbols_count; i++ )
            if ( symbols_addresses[i - 1] >= symbols_addresses[i] )
                CHECK_FAIL("entry %u not above entry %u", i, i - 1);
        CHECK(symbols_count == 0 ||
               symbols_names[symbols_name_offsets[symbols_count - 1]] == '\0');
    }
    case_end();

    case_begin("symbols/self-not-data");
    CHECK(symbols_lookup((unsigned long)some_data, NULL, NULL) == NULL);
    CHECK(symbols_lookup((unsigned long)&symbols_count, NULL, NULL) == NULL);
    CHECK(symbols_lookup((unsigned long)&local_var, NULL, NULL) == NULL);
    CHECK(symbols_lookup(0, NULL, NULL) == NULL);
    case_end();

    case_begin("symbols/self-pS");
    xen_snprintf(text, sizeof(text), "%pS", (void *)((char *)probe_global + 1));
    CHECK(!strncmp(text, "probe_global+0x1/0x", 19));
    case_end();

    return cases_failed() ? 1 : 0;
}
