/* The hypervisor's small C library: strings, formatted output, assertions.
 * Implementations: common/string.c, common/vsprintf.c, common/printk.c. */
#ifndef XEN_LIB_H
#define XEN_LIB_H

#include <xen/types.h>
#include <xen/compiler.h>

/* string.c: the usual meanings. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);

/* Strict number parsing.  Parses an unsigned integer in base 10, or base 16
 * with a 0x prefix (base 0), or the given base.  Returns 0 and stores the
 * value and the end pointer on success; -EINVAL if no digits, -ERANGE on
 * overflow.  Never reads past the terminating NUL. */
int parse_ulong(const char *s, unsigned int base, unsigned long *val,
                const char **end);
/* A size with optional K/M/G/T suffix (binary units); a bare number is
 * bytes unless default_shift says otherwise (e.g. 10 for KiB).  The whole
 * string must be consumed.  0 or -EINVAL/-ERANGE. */
int parse_size(const char *s, unsigned int default_shift, uint64_t *bytes);

/* vsprintf.c: C99 formats (flags, width, precision, h/hh/l/ll/z/t
 * modifiers, d i u x X o c s p %), plus %pS: the symbol name and offset of
 * a code address ("start_xen+0x1a/0x200"), via symbols_lookup(). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* printk.c.  Messages may start with a level tag, "XENLOG_ERR" etc. are
 * string prefixes that printk strips and filters on loglvl=. */
#define XENLOG_ERR     "<0>"
#define XENLOG_WARNING "<1>"
#define XENLOG_INFO    "<2>"
#define XENLOG_DEBUG   "<3>"
/* Before the level: a message a domU caused (its bad hypercall...).  It
 * goes to the log ring only, rate-limited per domain, not to the console
 * (dom0's terminal), unless guest_loglvl=all; when dom0 caused it, it is
 * printed as usual. */
#define XENLOG_GUEST   "<G>"
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if ( unlikely(c) ) \
    panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while ( 0 )
#define ASSERT(c) do { if ( unlikely(!(c)) ) \
    panic("Assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__); } while ( 0 )

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
                     _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
                     _a > _b ? _a : _b; })
#define ROUNDUP(x, a)   (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ROUNDDOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#endif /* XEN_LIB_H */
