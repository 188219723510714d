/*
 * clock.c: the daemon's notion of now.  Its own file because every part
 * of the daemon asks, and main() should not be what they depend on.
 */
#include <time.h>

#include "xend.h"

int64_t
now_seconds(void)
{
	return (int64_t)time(NULL);
}

int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
