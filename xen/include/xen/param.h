/* Boot command-line options.
 *
 * A file declares an option next to the variable it sets:
 *
 *     static unsigned int loglvl = 2;
 *     integer_param("loglvl", loglvl);
 *
 * The macros put a struct kernel_param into the "xen_params" section; the
 * linker (or, on the host, ld's automatic __start_/__stop_ symbols) gives
 * cmdline_parse() the table.  Unknown options are reported, not fatal. */
#ifndef XEN_PARAM_H
#define XEN_PARAM_H

#include <xen/types.h>
#include <xen/compiler.h>

enum param_type {
    PARAM_BOOL,     /* "opt", "no-opt", "opt=yes|no|on|off|true|false|1|0" */
    PARAM_UINT,     /* unsigned int, strict decimal or 0x hex */
    PARAM_ULONG,    /* unsigned long */
    PARAM_SIZE,     /* uint64_t bytes, with K/M/G/T suffixes */
    PARAM_STRING,   /* char array of 'len' bytes, always NUL-terminated */
    PARAM_CUSTOM,   /* func(value) returns 0 or -errno */
};

struct kernel_param {
    const char *name;
    enum param_type type;
    void *var;
    size_t len;
    int (*func)(const char *val);   /* val is NULL when given without '=' */
};

#define __param_entry(_id, _name, _type, _var, _len, _func)                  \
    static const struct kernel_param __param_##_id                          \
        __used __section("xen_params") __aligned(8) =                       \
        { .name = (_name), .type = (_type), .var = (_var), .len = (_len),   \
          .func = (_func) }

#define boolean_param(n, v) __param_entry(v, n, PARAM_BOOL, &(v), sizeof(v), NULL)
#define integer_param(n, v) __param_entry(v, n, PARAM_UINT, &(v), sizeof(v), NULL)
#define ulong_param(n, v)   __param_entry(v, n, PARAM_ULONG, &(v), sizeof(v), NULL)
#define size_param(n, v)    __param_entry(v, n, PARAM_SIZE, &(v), sizeof(v), NULL)
#define string_param(n, v)  __param_entry(v, n, PARAM_STRING, (v), sizeof(v), NULL)
#define custom_param(n, f)  __param_entry(f, n, PARAM_CUSTOM, NULL, 0, f)

extern const struct kernel_param __start_xen_params[], __stop_xen_params[];

/* Parse a whole command line; returns the number of unknown or malformed
 * options (each already reported with printk). */
int cmdline_parse(const char *cmdline);

#endif /* XEN_PARAM_H */
