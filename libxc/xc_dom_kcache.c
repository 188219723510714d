/*
 * xc_dom_kcache.c - the builder's decompressed-kernel cache.
 *
 * A distribution's /boot/vmlinuz is a bzImage whose kernel is XZ
 * compressed: unpacking Debian's (8 MB to 66 MB) costs seconds in dom0
 * under TCG, most of a create's time before the domain even exists
 * (docs/benchmarks.md).  Guests are created again and again from the same
 * file, so the last unpacked kernel is kept, in this process, keyed by
 * the compressed file's length and a checksum of all its bytes (which the
 * builder has read anyway): a changed file, even one rewritten in place
 * with the same size and time stamp, is a miss and is unpacked afresh.
 *
 * The kept kernel is lent, not copied (a 66 MB copy is itself a cost under
 * TCG): the builder only reads it (libelf takes const data), and each
 * build holds a reference until it is done.  A kernel replaced or dropped
 * while lent is freed by its last borrower.  One current entry, shared by
 * every handle and thread of the process, under a mutex; it costs xend
 * the kernel's size for its lifetime.  xc_dom_kernel_cache_drop() lets go.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xc_dom_image.h"

struct xc_dom_kcache_entry {
    size_t img_len;
    uint64_t img_sum;
    uint8_t *elf;
    size_t elf_len;
    unsigned refs;          /* builds reading it */
    bool current;           /* the one a hit returns */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct xc_dom_kcache_entry *cur;
static uint64_t hits, misses;

/* Order-sensitive checksum of every byte (a += w; b += a over words, as
 * the save file's; the tail bytes folded into a last word). */
static uint64_t checksum(const uint8_t *p, size_t len)
{
    uint64_t a = 0, b = 0, w;
    size_t i;

    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, p + i, 8);
        a += w;
        b += a;
    }
    if (i < len) {
        w = 0;
        memcpy(&w, p + i, len - i);
        a += w;
        b += a;
    }
    return a ^ (b << 1 | b >> 63) ^ (uint64_t)len;
}

/* Called with the lock held. */
static void maybe_free(struct xc_dom_kcache_entry *e)
{
    if (e && !e->current && e->refs == 0) {
        free(e->elf);
        free(e);
    }
}

struct xc_dom_kcache_entry *
xc_dom_kernel_cache_get(const uint8_t *img, size_t len, uint64_t *sum,
                        uint8_t **elf, size_t *elf_len)
{
    struct xc_dom_kcache_entry *e = NULL;

    *sum = checksum(img, len);
    pthread_mutex_lock(&lock);
    if (cur && cur->img_len == len && cur->img_sum == *sum) {
        e = cur;
        e->refs++;
        *elf = e->elf;
        *elf_len = e->elf_len;
        hits++;
    } else {
        misses++;
    }
    pthread_mutex_unlock(&lock);
    return e;
}

struct xc_dom_kcache_entry *
xc_dom_kernel_cache_put(size_t len, uint64_t sum, uint8_t *elf,
                        size_t elf_len)
{
    struct xc_dom_kcache_entry *e = calloc(1, sizeof(*e)), *old;

    if (!e)
        return NULL;        /* the caller keeps elf; nothing is kept */
    e->img_len = len;
    e->img_sum = sum;
    e->elf = elf;
    e->elf_len = elf_len;
    e->refs = 1;            /* the caller's build */
    e->current = true;
    pthread_mutex_lock(&lock);
    old = cur;
    cur = e;
    if (old) {
        old->current = false;
        maybe_free(old);
    }
    pthread_mutex_unlock(&lock);
    return e;
}

void xc_dom_kernel_cache_release(struct xc_dom_kcache_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&lock);
    e->refs--;
    maybe_free(e);
    pthread_mutex_unlock(&lock);
}

void xc_dom_kernel_cache_drop(void)
{
    pthread_mutex_lock(&lock);
    if (cur) {
        cur->current = false;
        maybe_free(cur);
        cur = NULL;
    }
    pthread_mutex_unlock(&lock);
}

void xc_dom_kernel_cache_stats(uint64_t *h, uint64_t *m)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&lock);
}
