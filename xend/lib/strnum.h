/*
 * strnum.h: strict parsing of numbers, memory sizes, durations and times.
 * Every function rejects empty input, signs, spaces, trailing junk and
 * overflow, and on failure returns -1 with a static description in *cause.
 */
#ifndef XEND_STRNUM_H
#define XEND_STRNUM_H

#include <stdint.h>

/* Decimal digits only, within [min, max]. */
int strnum_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **cause);

/*
 * A memory size: digits with an optional binary suffix K, M, G or T (also
 * KiB/MiB/GiB/TiB and KB/MB/GB/TB, all meaning powers of 1024, any case).
 * A bare number is in MiB.  The result is in KiB and must be at least 1 KiB.
 */
int strnum_size_kib(const char *s, uint64_t *kib, const char **cause);

/* A duration: digits with a unit ms, s, m, h or d; a bare number is seconds. */
int strnum_duration_ms(const char *s, uint64_t *ms, const char **cause);

/*
 * A point in time, as seconds since the epoch: "now", "@EPOCH",
 * "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (UTC; a space may replace the T),
 * or a duration meaning that long before now ("1h", "30m").
 */
int strnum_time(const char *s, int64_t now, int64_t *out, const char **cause);

/*
 * A CPU list in xl syntax: "all", or comma-separated CPU numbers and
 * ranges ("0", "0-1", "0,2-3"), CPUs 0..63.  The result is a mask, bit n
 * = CPU n; "all" gives every bit.
 */
int strnum_cpus(const char *s, uint64_t *mask, const char **cause);
/* The mask back in that syntax ("all" for every bit of all_mask). */
void strnum_cpus_format(uint64_t mask, uint64_t all_mask, char *buf,
    unsigned len);

#endif
