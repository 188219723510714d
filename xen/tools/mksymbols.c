/* mksymbols: turns `nm -n --defined-only` output into the symbol table
 * that common/symbols.c searches (layout in include/xen/symbols.h).
 *
 *     nm -n --defined-only xen-syms | mksymbols > symbols.S
 *
 * A host program.  It keeps the code symbols (nm types T t W w), one name
 * per address: a global name beats a weak one, which beats a local one, and
 * among equals the first listed wins.  Wherever code is followed by data,
 * an entry with an empty name marks the end of the code, so a data address
 * is never blamed on the function before it; the table always ends with
 * such a marker.  An address that has both code and data names counts as
 * data (it is where a section ends, e.g. _etext next to _srodata).  Empty input gives a valid, empty table (the first link of
 * the hypervisor has no symbols to list yet).  Malformed input is an error:
 * a wrong table would only mislead whoever reads the backtraces. */
#define _POSIX_C_SOURCE 200809L   /* getline, strdup */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct symbol {
    unsigned long long addr;
    size_t order;       /* position in the input, for stable sorting */
    int rank;           /* 0: data (ends code); higher: preferred code name */
    char *name;
};

static struct symbol *symbols;
static size_t nsymbols, capacity;

static void die(const char *msg, unsigned long lineno)
{
    if ( lineno )
        fprintf(stderr, "mksymbols: line %lu: %s\n", lineno, msg);
    else
        fprintf(stderr, "mksymbols: %s\n", msg);
    exit(1);
}

/* How much a name of this nm type is preferred as the name of its
 * address; 0 for data, -1 for symbols that occupy no memory of ours. */
static int type_rank(char type)
{
    switch ( type )
    {
    case 'T': return 3;
    case 'W': return 2;
    case 't': case 'w': return 1;
    case 'B': case 'b': case 'D': case 'd': case 'G': case 'g':
    case 'R': case 'r': case 'S': case 's': case 'V': case 'v':
    case 'C': case 'c': case 'u':
        return 0;
    default:    /* absolute, debugging, undefined and unknown symbols */
        return -1;
    }
}

static void add_symbol(unsigned long long addr, int rank, const char *name,
                       unsigned long lineno)
{
    if ( nsymbols == capacity )
    {
        capacity = capacity ? capacity * 2 : 1024;
        symbols = realloc(symbols, capacity * sizeof(*symbols));
        if ( !symbols )
            die("out of memory", lineno);
    }
    symbols[nsymbols].addr = addr;
    symbols[nsymbols].order = nsymbols;
    symbols[nsymbols].rank = rank;
    symbols[nsymbols].name = strdup(name);
    if ( !symbols[nsymbols].name )
        die("out of memory", lineno);
    nsymbols++;
}

/* One line of nm output: "ADDRESS TYPE NAME". */
static void parse_line(char *line, unsigned long lineno)
{
    size_t len = strlen(line);
    char *p = line, *end;
    unsigned long long addr;
    char type;
    int rank;

    while ( len && (line[len - 1] == '\n' || line[len - 1] == '\r') )
        line[--len] = '\0';
    if ( len == 0 )
        return;
    /* Undefined symbols have blanks for an address; they have no place in
     * the table even if --defined-only was forgotten. */
    if ( line[0] == ' ' )
        return;

    if ( !isxdigit((unsigned char)*p) )
        die("expected a hex address at the start of the line", lineno);
    errno = 0;
    addr = strtoull(p, &end, 16);
    if ( errno == ERANGE )
        die("address out of range", lineno);
    if ( end[0] != ' ' || end[1] == '\0' || end[2] != ' ' || end[3] == '\0' )
        die("expected \"ADDRESS TYPE NAME\"", lineno);
    type = end[1];
    rank = type_rank(type);
    if ( rank >= 0 )
        add_symbol(addr, rank, end + 3, lineno);
}

static int by_address(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;

    if ( x->addr != y->addr )
        return x->addr < y->addr ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The entries to emit: for each address with code, its best name; where
 * code is followed by data, a marker (name NULL). */
struct entry {
    unsigned long long addr;
    const char *name;
};

static struct entry *entries;
static size_t nentries;

static void choose_entries(void)
{
    size_t i = 0, j;
    bool in_code = false;

    entries = calloc(nsymbols + 1, sizeof(*entries));
    if ( !entries )
        die("out of memory", 0);

    while ( i < nsymbols )
    {
        const struct symbol *best = NULL;
        bool has_data = false;

        for ( j = i; j < nsymbols && symbols[j].addr == symbols[i].addr; j++ )
        {
            if ( symbols[j].rank == 0 )
                has_data = true;
            else if ( !best || symbols[j].rank > best->rank )
                best = &symbols[j];
        }

        /* A code name sharing its address with data is a linker-script
         * end label such as _etext, not a function: data wins. */
        if ( best && !has_data )
        {
            entries[nentries].addr = best->addr;
            entries[nentries++].name = best->name;
            in_code = true;
        }
        else if ( in_code )
        {
            entries[nentries].addr = symbols[i].addr;
            entries[nentries++].name = NULL;
            in_code = false;
        }
        i = j;
    }

    /* Code runs to the end of the listing: nothing says where it stops, so
     * let the last function extend to the top of the address space. */
    if ( in_code )
    {
        entries[nentries].addr = ~0ULL;
        entries[nentries++].name = NULL;
    }
}

static void emit_string(const char *s)
{
    fputs("\t.asciz \"", stdout);
    for ( ; *s; s++ )
    {
        unsigned char c = (unsigned char)*s;

        if ( c == '"' || c == '\\' || !isprint(c) )
            printf("\\%03o", c);
        else
            putchar(c);
    }
    fputs("\"\n", stdout);
}

static void emit_label(const char *name, unsigned int align)
{
    printf("\n\t.balign %u\n\t.globl %s\n\t.type %s, @object\n%s:\n",
           align, name, name, name);
}

static void emit_size(const char *name)
{
    printf("\t.size %s, . - %s\n", name, name);
}

static void emit_table(void)
{
    unsigned long long offset = 1;  /* offset 0 is the markers' "" */
    size_t i;

    printf("/* Generated by xen/tools/mksymbols from nm output; do not edit. */\n"
           "\t.section .rodata, \"a\", @progbits\n");

    emit_label("symbols_addresses", 8);
    for ( i = 0; i < nentries; i++ )
        printf("\t.quad 0x%llx\n", entries[i].addr);
    emit_size("symbols_addresses");

    emit_label("symbols_name_offsets", 4);
    for ( i = 0; i < nentries; i++ )
    {
        if ( !entries[i].name )
        {
            printf("\t.long 0\n");
            continue;
        }
        if ( offset > UINT32_MAX )
            die("names too long for 32-bit offsets", 0);
        printf("\t.long %llu\n", offset);
        offset += strlen(entries[i].name) + 1;
    }
    emit_size("symbols_name_offsets");

    emit_label("symbols_count", 4);
    printf("\t.long %zu\n", nentries);
    emit_size("symbols_count");

    emit_label("symbols_names", 1);
    printf("\t.byte 0\n");
    for ( i = 0; i < nentries; i++ )
        if ( entries[i].name )
            emit_string(entries[i].name);
    emit_size("symbols_names");

    /* The table is data: say so, or the linker assumes an executable
     * stack for whatever links it. */
    printf("\n\t.section .note.GNU-stack, \"\", @progbits\n");
}

int main(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;

    (void)argv;
    if ( argc != 1 )
    {
        fprintf(stderr, "usage: nm -n --defined-only FILE | mksymbols > symbols.S\n");
        return 2;
    }

    while ( getline(&line, &cap, stdin) != -1 )
        parse_line(line, ++lineno);
    if ( ferror(stdin) )
        die("error reading standard input", 0);
    free(line);

    if ( nsymbols )     /* qsort may not be handed NULL, even for 0 */
        qsort(symbols, nsymbols, sizeof(*symbols), by_address);
    choose_entries();
    if ( nentries > UINT32_MAX )
        die("too many symbols", 0);
    emit_table();

    if ( fflush(stdout) || ferror(stdout) )
        die("error writing standard output", 0);
    return 0;
}
