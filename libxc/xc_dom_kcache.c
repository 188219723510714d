/*
 * xc_dom_kcache.c - the builder's decompressed-kernel cache.
 *
 * A distribution's /boot/vmlinuz is a bzImage whose kernel is XZ
 * compressed: unpacking Debian's (8 MB to about 35 MB) costs seconds in
 * dom0 under TCG, most of a create's time before the domain even exists
 * (docs/benchmarks.md).  Guests are created again and again from the same
 * file, so the last unpacked kernel is kept, in this process, keyed by
 * the compressed file's length and a checksum of all its bytes (which the
 * builder has read anyway): a changed file, even one rewritten in place
 * with the same size and time stamp, is a miss and is unpacked afresh.
 *
 * One entry (a kernel of up to XC_DOM_KERNEL_MAX bytes held by xend for
 * its lifetime); shared by every handle and thread of the process, under
 * a mutex.  xc_dom_kernel_cache_drop() gives the memory back.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xc_dom_image.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    size_t img_len;
    uint64_t img_sum;
    uint8_t *elf;
    size_t elf_len;
} entry;
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

int xc_dom_kernel_cache_get(const uint8_t *img, size_t len, uint64_t *sum,
                            uint8_t **elf, size_t *elf_len)
{
    uint8_t *copy = NULL;

    *sum = checksum(img, len);
    pthread_mutex_lock(&lock);
    if (entry.elf && entry.img_len == len && entry.img_sum == *sum &&
        (copy = malloc(entry.elf_len)) != NULL) {
        memcpy(copy, entry.elf, entry.elf_len);
        *elf = copy;
        *elf_len = entry.elf_len;
        hits++;
    } else {
        misses++;
    }
    pthread_mutex_unlock(&lock);
    return copy ? 0 : -1;
}

void xc_dom_kernel_cache_put(size_t len, uint64_t sum, const uint8_t *elf,
                             size_t elf_len)
{
    uint8_t *copy = malloc(elf_len);

    if (!copy)
        return;             /* no room: the next build unpacks again */
    memcpy(copy, elf, elf_len);
    pthread_mutex_lock(&lock);
    free(entry.elf);
    entry.img_len = len;
    entry.img_sum = sum;
    entry.elf = copy;
    entry.elf_len = elf_len;
    pthread_mutex_unlock(&lock);
}

void xc_dom_kernel_cache_drop(void)
{
    pthread_mutex_lock(&lock);
    free(entry.elf);
    memset(&entry, 0, sizeof(entry));
    pthread_mutex_unlock(&lock);
}

void xc_dom_kernel_cache_stats(uint64_t *h, uint64_t *m)
{
    pthread_mutex_lock(&lock);
    *h = hits;
    *m = misses;
    pthread_mutex_unlock(&lock);
}
