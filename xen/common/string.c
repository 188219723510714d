/* The hypervisor's string and memory functions (declared in xen/lib.h).
 *
 * Plain byte loops except for memset/memcpy (see below); the hypervisor is
 * built without SSE, so the string instructions are the fast path. */
#include <xen/lib.h>

/*
 * GCC may recognise a byte loop as a memset/memcpy idiom and replace it with
 * a call to that very function, which here would recurse forever.  Turn that
 * transformation off for this file's functions.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define keep_loops __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define keep_loops
#endif

/*
 * memset and memcpy use the string instructions: building a domain moves
 * tens of megabytes, and under emulation one "rep stos/movs" costs far less
 * than the equivalent byte loop.
 */
void *memset(void *s, int c, size_t n)
{
    uint64_t pattern = 0x0101010101010101UL * (unsigned char)c;
    void *d = s;
    size_t q = n / 8, r = n % 8;

    __asm__ __volatile__("rep stosq" : "+D"(d), "+c"(q) : "a"(pattern)
                         : "memory");
    __asm__ __volatile__("rep stosb" : "+D"(d), "+c"(r) : "a"(pattern)
                         : "memory");
    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t q = n / 8, r = n % 8;

    __asm__ __volatile__("rep movsq" : "+D"(d), "+S"(src), "+c"(q)
                         :: "memory");
    __asm__ __volatile__("rep movsb" : "+D"(d), "+S"(src), "+c"(r)
                         :: "memory");
    return dst;
}

keep_loops void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Copying forwards is safe unless the destination starts inside the
     * source; then copy backwards so no byte is overwritten before it is
     * read.  Compare as integers: the pointers may be unrelated objects. */
    if ( (uintptr_t)d <= (uintptr_t)s || (uintptr_t)d - (uintptr_t)s >= n )
    {
        while ( n-- )
            *d++ = *s++;
    }
    else
    {
        while ( n-- )
            d[n] = s[n];
    }
    return dst;
}

keep_loops int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for ( ; n; n--, p++, q++ )
        if ( *p != *q )
            return *p < *q ? -1 : 1;
    return 0;
}

keep_loops size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;
    return (size_t)(p - s);
}

keep_loops size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;
    return n;
}

/* Both comparisons order by unsigned char, as the C library does. */
keep_loops int strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    while ( *p && *p == *q )
    {
        p++;
        q++;
    }
    return (*p > *q) - (*p < *q);
}

keep_loops int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for ( ; n; n--, p++, q++ )
    {
        if ( *p != *q )
            return *p < *q ? -1 : 1;
        if ( !*p )
            break;
    }
    return 0;
}

/* As in C, searching for '\0' finds the terminator. */
keep_loops char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for ( ; ; s++ )
    {
        if ( *s == ch )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}

keep_loops char *strrchr(const char *s, int c)
{
    char ch = (char)c;
    const char *last = NULL;

    for ( ; ; s++ )
    {
        if ( *s == ch )
            last = s;
        if ( !*s )
            return (char *)last;
    }
}

keep_loops size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size - 1 ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

/* Returns the length of the string it tried to make.  A dst that is not
 * terminated within size bytes is left alone (and counts as size long), as
 * in the BSD original. */
keep_loops size_t strlcat(char *dst, const char *src, size_t size)
{
    size_t used = strnlen(dst, size);

    if ( used == size )
        return size + strlen(src);
    return used + strlcpy(dst + used, src, size - used);
}
