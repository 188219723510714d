/*
 * test-strnum.c: strict parsing of sizes, durations, times and numbers.
 * The bug each guards against: a typo ("1.5G", "12x", " 1G") being read
 * as some other size instead of being refused.
 */
#include <stdint.h>

#include "check.h"
#include "strnum.h"

static int
size_is(const char *s, uint64_t want)
{
	const char *cause;
	uint64_t kib;

	return strnum_size_kib(s, &kib, &cause) == 0 && kib == want;
}

static int
size_bad(const char *s)
{
	const char *cause;
	uint64_t kib;

	return strnum_size_kib(s, &kib, &cause) == -1 && cause != NULL;
}

int
main(void)
{
	const char *cause;
	uint64_t v;
	int64_t t;

	CHECK("strnum: 512M is 524288 KiB", size_is("512M", 524288));
	CHECK("strnum: 1G is 1048576 KiB", size_is("1G", 1048576));
	CHECK("strnum: bare 512 means MiB", size_is("512", 524288));
	CHECK("strnum: 1024K", size_is("1024K", 1024));
	CHECK("strnum: 2T", size_is("2T", UINT64_C(2) << 30));
	CHECK("strnum: 1GiB and 1gb accepted", size_is("1GiB", 1048576) &&
	    size_is("1gb", 1048576));
	CHECK("strnum: 1.5G refused", size_bad("1.5G"));
	CHECK("strnum: -1G refused", size_bad("-1G"));
	CHECK("strnum: 12x refused", size_bad("12x"));
	CHECK("strnum: empty size refused", size_bad(""));
	CHECK("strnum: zero size refused", size_bad("0") && size_bad("0M"));
	CHECK("strnum: leading space refused", size_bad(" 1G"));
	CHECK("strnum: trailing space refused", size_bad("1G "));
	CHECK("strnum: +1G refused", size_bad("+1G"));
	CHECK("strnum: 1e3 refused", size_bad("1e3"));
	CHECK("strnum: 20-digit size overflow refused",
	    size_bad("99999999999999999999"));
	CHECK("strnum: size overflowing after unit refused",
	    size_bad("18446744073709551615T"));

	CHECK("strnum: u64 in range", strnum_u64("42", 1, 100, &v, &cause)
	    == 0 && v == 42);
	CHECK("strnum: u64 below min", strnum_u64("0", 1, 100, &v, &cause)
	    == -1);
	CHECK("strnum: u64 above max", strnum_u64("101", 1, 100, &v, &cause)
	    == -1);
	CHECK("strnum: u64 junk", strnum_u64("4x", 0, 100, &v, &cause) == -1);
	CHECK("strnum: u64 max value", strnum_u64("18446744073709551615", 0,
	    UINT64_MAX, &v, &cause) == 0 && v == UINT64_MAX);
	CHECK("strnum: u64 one past max", strnum_u64("18446744073709551616",
	    0, UINT64_MAX, &v, &cause) == -1);

	CHECK("strnum: 500ms", strnum_duration_ms("500ms", &v, &cause) == 0
	    && v == 500);
	CHECK("strnum: 5s", strnum_duration_ms("5s", &v, &cause) == 0 &&
	    v == 5000);
	CHECK("strnum: bare 5 is seconds", strnum_duration_ms("5", &v,
	    &cause) == 0 && v == 5000);
	CHECK("strnum: 2h", strnum_duration_ms("2h", &v, &cause) == 0 &&
	    v == 7200000);
	CHECK("strnum: 5x duration refused", strnum_duration_ms("5x", &v,
	    &cause) == -1);
	CHECK("strnum: absurd duration refused", strnum_duration_ms(
	    "999999999d", &v, &cause) == -1);

	CHECK("strnum: time now", strnum_time("now", 1000, &t, &cause) == 0
	    && t == 1000);
	CHECK("strnum: time @epoch", strnum_time("@12345", 0, &t, &cause) == 0
	    && t == 12345);
	CHECK("strnum: time 2h ago", strnum_time("2h", 10000, &t, &cause) == 0
	    && t == 10000 - 7200);
	CHECK("strnum: time date", strnum_time("2024-01-02", 0, &t, &cause)
	    == 0 && t == 1704153600);
	CHECK("strnum: time date and time", strnum_time("2024-01-02T03:04:05",
	    0, &t, &cause) == 0 && t == 1704153600 + 3 * 3600 + 4 * 60 + 5);
	CHECK("strnum: time with space", strnum_time("2024-01-02 03:04", 0,
	    &t, &cause) == 0 && t == 1704153600 + 3 * 3600 + 4 * 60);
	CHECK("strnum: 31 February refused", strnum_time("2024-02-31", 0, &t,
	    &cause) == -1);
	CHECK("strnum: month 13 refused", strnum_time("2024-13-01", 0, &t,
	    &cause) == -1);
	CHECK("strnum: garbage time refused", strnum_time("yesterday", 0, &t,
	    &cause) == -1);
	return check_exit();
}
