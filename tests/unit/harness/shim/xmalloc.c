/* The hypervisor's allocator interface on the host's malloc, for harnesses
 * whose code under test allocates but does not test xmalloc.c itself.
 * xmalloc_fail makes every allocation fail (out-of-memory paths). */
#include <stdint.h>
#include <stdlib.h>

int xmalloc_fail;

void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void *xmalloc_array_bytes(size_t size, size_t n);
void *xzalloc_array_bytes(size_t size, size_t n);
void xfree(void *p);

void *xmalloc_bytes(size_t size)
{
    return xmalloc_fail ? NULL : malloc(size);
}

void *xzalloc_bytes(size_t size)
{
    return xmalloc_fail ? NULL : calloc(1, size);
}

void *xmalloc_array_bytes(size_t size, size_t n)
{
    return xmalloc_fail || (n && size > SIZE_MAX / n) ? NULL
                                                      : malloc(size * n);
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
    return xmalloc_fail || (n && size > SIZE_MAX / n) ? NULL
                                                      : calloc(n, size);
}

void xfree(void *p)
{
    free(p);
}
