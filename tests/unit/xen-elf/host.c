/* Host stand-ins for what inflate.c and libelf.c call in the hypervisor:
 * printk (to stderr, so it never mixes with PASS/FAIL lines) and the
 * xmalloc allocator (plain malloc, with a switch to make it fail). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "host.h"

int host_alloc_fail;

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stderr, fmt, ap);
    va_end(ap);
    return n;
}

void *xmalloc_bytes(size_t size)
{
    return host_alloc_fail ? NULL : malloc(size);
}

void xfree(void *p)
{
    free(p);
}
