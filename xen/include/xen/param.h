/* The hypervisor's parameters: its compile-time limits, one place and one
 * comment each (as xv6's param.h), and the boot command-line options that
 * tune some of them at run time.
 *
 * Limits.  Every bound that more than one file relies on, or that a guest
 * or the toolstack can observe, is defined here and nowhere else.  Guest
 * ABI constants stay in include/public/ (they are facts, not choices) and
 * are only referred to.  A limit private to one file's data structure may
 * stay in that file.
 *
 * Boot options.  A file declares an option next to the variable it sets:
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

/* ---- Limits ------------------------------------------------------------ */

/* This header includes no ABI or arch header (the host unit tests use it
 * alone); where a limit is tied to an ABI constant, common/dom0_op_machine.c
 * checks the two at compile time. */

/* Physical CPUs: NR_CPUS, the architecture's (asm/config.h: 64, as CPU
 * sets are uint64_t masks; xen/smp.h brings it). */

/* Domains: ids 0 .. DOMID_FIRST_RESERVED - 1 (public/xen.h); the ids above
 * are the ABI's special values. */

/* vCPUs per domain: one vcpu_info slot each in shared_info, so equal to
 * the ABI's MAX_VIRT_CPUS. */
#define MAX_VCPUS               32
/* vCPUs a createdomain may ask for (dom0_op createdomain, physinfo
 * max_vcpus): MAX_VCPUS, which must not exceed the dom0_op ABI's
 * XEN_DOM0_MAX_VCPUS. */
#define MAX_CREATE_VCPUS        MAX_VCPUS

/* Event channel ports per domain: the 2-level ABI's 64 x 64 bits. */
#define NR_EVTCHN_2L            4096
/* Ports one SCHEDOP_poll may wait on (upstream's limit; Linux polls one). */
#define POLL_MAX_PORTS          128

/* Physical IRQs a domain may have mapped at once (PHYSDEVOP_map_pirq;
 * PHYSDEVOP_get_nr_pirqs reports it). */
#define NR_PIRQS                256

/* Hypercall numbers the dispatch table and the per-domain counters cover. */
#define NR_HYPERCALLS           64

/* Grant-table frames per domain: the gnttab_max_frames= boot option is
 * clamped to this. */
#define GNTTAB_HARD_MAX_FRAMES  256

/* Largest extent order an unprivileged domain may ask for (2 MiB). */
#define MAX_GUEST_EXTENT_ORDER  9

/* console_io: bytes one CONSOLEIO_write prints (more is truncated), and
 * the serial input ring dom0 reads with CONSOLEIO_read. */
#define CONSOLE_WRITE_MAX       (16 * 1024)
#define CONSOLE_INPUT_RING      1024
/* The hypervisor's log ring (dom0_op readlog). */
#define LOG_RING_SIZE           (128 * 1024)

/* ---- Boot command-line options ----------------------------------------- */

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
