/*
 * memtouch - fill and check a large share of dom0's memory from threads.
 *
 *   memtouch [-t THREADS] SIZE
 *     SIZE     N% (1..95) of MemAvailable in /proc/meminfo, or a byte
 *              count with an optional K, M or G suffix (binary units)
 *     THREADS  1..256, default: the number of online CPUs
 *
 * Each thread maps its share of SIZE as fresh anonymous memory and writes
 * every 64-bit word of it, page by page, with a value derived from the
 * thread, page and word.  When all threads have finished writing, each
 * reads its share back and compares.  Under a PV kernel every first touch
 * is a page fault that installs a new page-table entry through the
 * hypervisor, and two pages wrongly backed by one machine frame, or a
 * lost write, show up as a mismatch.  Prints sizes, write and verify
 * speeds (MiB/s) and a final "memtouch: PASS" or "memtouch: FAIL ..."
 * line; exits 0 on PASS, 1 on FAIL, 2 on bad arguments.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "timing.h"

#define PAGE          4096ul
#define WORDS_PER_PAGE (PAGE / sizeof(uint64_t))
#define MAX_THREADS   256ul
#define MAX_REPORTS   5      /* mismatches printed per thread */

struct worker {
    pthread_t tid;
    unsigned int index;
    size_t bytes;
    uint64_t *mem;
    uint64_t mismatches;
    int failed;              /* could not map its memory */
};

static pthread_barrier_t written;
static pthread_barrier_t start;

/* Distinct for every (thread, page, word): a page that aliases another
 * page or another thread's page cannot hold the right values for both. */
static inline uint64_t pattern(unsigned int thread, size_t page, size_t word)
{
    uint64_t x = ((uint64_t)thread << 48) ^ ((uint64_t)page << 9) ^ word;

    return x * 0x9e3779b97f4a7c15ull + 0x5bd1e995u;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    size_t pages = w->bytes / PAGE;

    w->mem = mmap(NULL, w->bytes, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (w->mem == MAP_FAILED) {
        fprintf(stderr, "memtouch: thread %u: mmap of %zu bytes: %s\n",
                w->index, w->bytes, strerror(errno));
        w->mem = NULL;
        w->failed = 1;
    }
    pthread_barrier_wait(&start);
    if (w->mem) {
        for (size_t p = 0; p < pages; p++) {
            uint64_t *page = w->mem + p * WORDS_PER_PAGE;
            for (size_t i = 0; i < WORDS_PER_PAGE; i++)
                page[i] = pattern(w->index, p, i);
        }
    }
    pthread_barrier_wait(&written);
    if (!w->mem)
        return NULL;
    for (size_t p = 0; p < pages; p++) {
        const uint64_t *page = w->mem + p * WORDS_PER_PAGE;
        for (size_t i = 0; i < WORDS_PER_PAGE; i++) {
            uint64_t want = pattern(w->index, p, i);
            if (page[i] == want)
                continue;
            if (w->mismatches++ < MAX_REPORTS)
                fprintf(stderr, "memtouch: thread %u page %zu word %zu (%p): "
                        "wrote %#llx, read %#llx\n", w->index, p, i,
                        (const void *)&page[i], (unsigned long long)want,
                        (unsigned long long)page[i]);
        }
    }
    munmap(w->mem, w->bytes);
    return NULL;
}

/* MemAvailable from /proc/meminfo, in bytes; 0 if it cannot be read. */
static uint64_t mem_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    unsigned long long kib;
    uint64_t bytes = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
            bytes = (uint64_t)kib * 1024;
            break;
        }
    fclose(f);
    return bytes;
}

/* SIZE argument to bytes; prints the reason and returns 0 when invalid. */
static uint64_t parse_size(const char *s)
{
    size_t len = strlen(s);
    unsigned long n;
    uint64_t unit = 1, avail;
    char num[32];

    if (len == 0 || len >= sizeof(num))
        goto bad;
    memcpy(num, s, len + 1);
    if (num[len - 1] == '%') {
        num[len - 1] = '\0';
        if (parse_count(num, 1, 95, &n) < 0) {
            fprintf(stderr, "memtouch: percentage must be 1%%..95%%, not %s\n", s);
            return 0;
        }
        avail = mem_available();
        if (avail == 0) {
            fprintf(stderr, "memtouch: no MemAvailable in /proc/meminfo\n");
            return 0;
        }
        return avail / 100 * n;
    }
    switch (num[len - 1]) {
    case 'K': case 'k': unit = 1ull << 10; break;
    case 'M': case 'm': unit = 1ull << 20; break;
    case 'G': case 'g': unit = 1ull << 30; break;
    }
    if (unit != 1)
        num[len - 1] = '\0';
    if (parse_count(num, 1, (unsigned long)(((uint64_t)1 << 46) / unit), &n) == 0)
        return (uint64_t)n * unit;
bad:
    fprintf(stderr, "memtouch: bad SIZE '%s' (want N%%, N, NK, NM or NG)\n", s);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: memtouch [-t THREADS] SIZE\n"
            "  SIZE: N%% of MemAvailable (1..95) or bytes with K/M/G suffix\n"
            "  THREADS: 1..%lu, default the online CPUs\n", MAX_THREADS);
    return 2;
}

static double mib_per_s(uint64_t bytes, uint64_t ns)
{
    return ns ? (double)bytes / (1 << 20) / ns_to_s(ns) : 0.0;
}

int main(int argc, char **argv)
{
    unsigned long nthreads;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    struct worker *w;
    uint64_t total, share, bad = 0, t0, t1, t2;
    int opt, failed = 0;

    nthreads = online > 0 ? (unsigned long)online : 1;
    while ((opt = getopt(argc, argv, "t:")) != -1) {
        if (opt != 't' || parse_count(optarg, 1, MAX_THREADS, &nthreads) < 0)
            return usage();
    }
    if (optind != argc - 1)
        return usage();
    total = parse_size(argv[optind]);
    if (total == 0)
        return 2;
    share = total / nthreads / PAGE * PAGE;
    if (share == 0) {
        fprintf(stderr, "memtouch: %llu bytes is less than a page per thread\n",
                (unsigned long long)total);
        return 2;
    }
    total = share * nthreads;
    printf("memtouch: %lu thread(s), %llu MiB in all (%llu MiB each)\n", nthreads,
           (unsigned long long)(total >> 20), (unsigned long long)(share >> 20));
    fflush(stdout);

    w = calloc(nthreads, sizeof(*w));
    if (!w || pthread_barrier_init(&start, NULL, (unsigned int)nthreads + 1) ||
        pthread_barrier_init(&written, NULL, (unsigned int)nthreads + 1)) {
        fprintf(stderr, "memtouch: out of memory before starting\n");
        return 1;
    }
    for (unsigned long i = 0; i < nthreads; i++) {
        int err;

        w[i].index = (unsigned int)i;
        w[i].bytes = share;
        err = pthread_create(&w[i].tid, NULL, work, &w[i]);
        if (err) {
            /* The barriers count on every thread; without one we would
             * wait forever, so give up now. */
            fprintf(stderr, "memtouch: FAIL: pthread_create: %s\n", strerror(err));
            return 1;
        }
    }
    pthread_barrier_wait(&start);
    t0 = mono_ns();
    pthread_barrier_wait(&written);
    t1 = mono_ns();
    for (unsigned long i = 0; i < nthreads; i++) {
        pthread_join(w[i].tid, NULL);
        bad += w[i].mismatches;
        failed |= w[i].failed;
    }
    t2 = mono_ns();
    printf("memtouch: wrote %llu MiB in %.2f s (%.1f MiB/s), verified in %.2f s (%.1f MiB/s)\n",
           (unsigned long long)(total >> 20), ns_to_s(t1 - t0), mib_per_s(total, t1 - t0),
           ns_to_s(t2 - t1), mib_per_s(total, t2 - t1));
    if (failed || bad) {
        printf("memtouch: FAIL: %llu mismatched word(s)%s\n", (unsigned long long)bad,
               failed ? ", and a thread could not map its memory" : "");
        return 1;
    }
    printf("memtouch: PASS\n");
    return 0;
}
