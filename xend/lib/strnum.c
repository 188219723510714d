/*
 * strnum.c: strict parsers for everything a person types as a number.
 * "12abc", " 12", "+12", "1e3" and "99999999999999999999" are all errors:
 * a typo in a memory size should never turn into a different size.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "strnum.h"

/* Parse leading decimal digits; *end gets the first non-digit. */
static int
parse_digits(const char *s, uint64_t *out, const char **end,
    const char **cause)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p)) {
		*cause = (*p == '\0') ? "empty number" :
		    (*p == '-') ? "negative numbers are not allowed" :
		    "expected a decimal number";
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10) {
			*cause = "number too large";
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	*end = p;
	return 0;
}

int
strnum_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **cause)
{
	uint64_t v;
	const char *end;

	if (parse_digits(s, &v, &end, cause) != 0)
		return -1;
	if (*end != '\0') {
		*cause = "trailing characters after number";
		return -1;
	}
	if (v < min) {
		*cause = "number too small";
		return -1;
	}
	if (v > max) {
		*cause = "number too large";
		return -1;
	}
	*out = v;
	return 0;
}

int
strnum_size_kib(const char *s, uint64_t *kib, const char **cause)
{
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "K", 0 }, { "KB", 0 }, { "KiB", 0 },
		{ "M", 10 }, { "MB", 10 }, { "MiB", 10 },
		{ "G", 20 }, { "GB", 20 }, { "GiB", 20 },
		{ "T", 30 }, { "TB", 30 }, { "TiB", 30 },
	};
	uint64_t v;
	const char *end;
	unsigned shift = 10;
	size_t i;

	if (parse_digits(s, &v, &end, cause) != 0)
		return -1;
	if (*end == '.') {
		*cause = "fractional sizes are not allowed (use a smaller unit)";
		return -1;
	}
	if (*end != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strcasecmp(end, units[i].suffix) == 0)
				break;
		if (i == sizeof units / sizeof units[0]) {
			*cause = "unknown size unit (use K, M, G or T)";
			return -1;
		}
		shift = units[i].shift;
	}
	if (v == 0) {
		*cause = "size must not be zero";
		return -1;
	}
	if (v > (UINT64_MAX >> 1) >> shift) {
		*cause = "size too large";
		return -1;
	}
	*kib = v << shift;
	return 0;
}

int
strnum_duration_ms(const char *s, uint64_t *ms, const char **cause)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 },
	};
	uint64_t v, mult = 1000;
	const char *end;
	size_t i;

	if (parse_digits(s, &v, &end, cause) != 0)
		return -1;
	if (*end != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strcmp(end, units[i].unit) == 0)
				break;
		if (i == sizeof units / sizeof units[0]) {
			*cause = "unknown duration unit (use ms, s, m, h or d)";
			return -1;
		}
		mult = units[i].ms;
	}
	/* Ten years is plenty and keeps every later sum far from overflow. */
	if (v > (UINT64_C(10) * 366 * 86400000) / mult) {
		*cause = "duration too long";
		return -1;
	}
	*ms = v * mult;
	return 0;
}

/* Fixed-width field of n digits at p. */
static int
fixed_digits(const char *p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_calendar(const char *s, int64_t *out)
{
	struct tm tm;
	size_t len = strlen(s);
	int y, mo, d, h = 0, mi = 0, sec = 0;
	time_t t;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	if (fixed_digits(s, 4, &y) || s[4] != '-' || fixed_digits(s + 5, 2, &mo)
	    || s[7] != '-' || fixed_digits(s + 8, 2, &d))
		return -1;
	if (len >= 16) {
		if ((s[10] != 'T' && s[10] != ' ') ||
		    fixed_digits(s + 11, 2, &h) || s[13] != ':' ||
		    fixed_digits(s + 14, 2, &mi))
			return -1;
	}
	if (len == 19 && (s[16] != ':' || fixed_digits(s + 17, 2, &sec)))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 31 February into March; refuse that. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int
strnum_time(const char *s, int64_t now, int64_t *out, const char **cause)
{
	uint64_t v;

	if (strcmp(s, "now") == 0) {
		*out = now;
		return 0;
	}
	if (s[0] == '@') {
		if (strnum_u64(s + 1, 0, INT64_MAX / 1000, &v, cause) != 0)
			return -1;
		*out = (int64_t)v;
		return 0;
	}
	if (strlen(s) >= 10 && s[4] == '-') {
		if (parse_calendar(s, out) != 0) {
			*cause = "bad date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC)";
			return -1;
		}
		return 0;
	}
	if (strnum_duration_ms(s, &v, cause) != 0) {
		*cause = "bad time (use now, @EPOCH, YYYY-MM-DD[THH:MM[:SS]] "
		    "or a duration ago such as 2h)";
		return -1;
	}
	*out = now - (int64_t)(v / 1000);
	return 0;
}

int
strnum_cpus(const char *s, uint64_t *mask, const char **cause)
{
	uint64_t m = 0, lo, hi;
	const char *p = s, *end;

	if (strcmp(s, "all") == 0) {
		*mask = UINT64_MAX;
		return 0;
	}
	for (;;) {
		if (parse_digits(p, &lo, &end, cause) != 0)
			return -1;
		hi = lo;
		if (*end == '-' && parse_digits(end + 1, &hi, &end, cause) != 0)
			return -1;
		if (lo > hi) {
			*cause = "a CPU range must go upwards (\"0-1\")";
			return -1;
		}
		if (hi > 63) {
			*cause = "CPU numbers go up to 63";
			return -1;
		}
		for (; lo <= hi; lo++)
			m |= UINT64_C(1) << lo;
		if (*end == '\0')
			break;
		if (*end != ',') {
			*cause = "expected a CPU list such as \"0\", \"0-1\", "
			    "\"0,2-3\" or \"all\"";
			return -1;
		}
		p = end + 1;
	}
	*mask = m;
	return 0;
}

void
strnum_cpus_format(uint64_t mask, uint64_t all_mask, char *buf, unsigned len)
{
	unsigned n = 0, lo, hi;
	int w;

	buf[0] = '\0';
	if ((mask & all_mask) == all_mask) {
		snprintf(buf, len, "all");
		return;
	}
	for (lo = 0; lo < 64; lo = hi + 1) {
		hi = lo;
		if (!(mask & (UINT64_C(1) << lo)))
			continue;
		while (hi < 63 && (mask & (UINT64_C(1) << (hi + 1))))
			hi++;
		w = hi == lo ? snprintf(buf + n, len - n, "%s%u", n ? "," : "",
		    lo) : snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "",
		    lo, hi);
		if (w < 0 || (unsigned)w >= len - n)
			return;
		n += (unsigned)w;
	}
}
