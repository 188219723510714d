/*
 * test-progress.c: xenctl's progress bar as a terminal gets it
 * (ctl-progress.c), written to a memory stream: a restore's 1,366
 * progress items (one per 48 pages of 256 MiB, as libxc sends them)
 * draw at most one bar per whole percent, and the bar is wiped by
 * erasing the line, not by more spaces than an 80-column console holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ctl.h"

static json_t *
item(const char *what, long long done, long long total)
{
	return json_pack("{s:s, s:I, s:I}", "what", what, "done",
	    (json_int_t)done, "total", (json_int_t)total);
}

/* How many times s holds needle. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

int
main(void)
{
	struct ctl c;
	char *buf = NULL, *last;
	size_t len = 0, longest = 0;
	FILE *f = open_memstream(&buf, &len);
	long long done;
	json_t *it;

	memset(&c, 0, sizeof c);
	for (done = 48; done < 65536 + 48; done += 48) {
		it = item("restore", done < 65536 ? done : 65536, 65536);
		ctl_progress_draw(&c, f, it);
		json_decref(it);
	}
	fflush(f);
	CHECK("progress: 1366 restore items draw one bar per percent (<= 101)",
	    count(buf, "restore  [") >= 50 && count(buf, "restore  [") <= 101);
	CHECK("progress: the last bar drawn is 100%",
	    (last = strrchr(buf, '\r')) != NULL &&
	    strstr(last, "] 100% 65536/65536 pages") != NULL);
	/* Up to the rate, which the memory stream's speed makes absurd;
	 * ", 999.9 MiB/s" (13 more) must fit too. */
	for (last = buf; (last = strchr(last, '\r')) != NULL; last++) {
		size_t n = strcspn(last + 1, ",\033\r");
		if (n > longest)
			longest = n;
	}
	CHECK("progress: a bar fits an 80-column terminal", longest + 13 < 80);
	ctl_progress_clear(&c, f);
	fflush(f);
	CHECK("progress: wiped by erasing the line (\\r ESC[K), no spaces",
	    len >= 4 && strcmp(buf + len - 4, "\r\033[K") == 0);
	CHECK("progress: nothing shown after the wipe", !c.progress_shown);

	/* A new step draws at once, even at the same percent. */
	fclose(f);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	it = item("build", 0, 10);
	ctl_progress_draw(&c, f, it);
	json_decref(it);
	it = item("build", 0, 10);
	ctl_progress_draw(&c, f, it);
	json_decref(it);
	it = item("boot", 0, 10);
	ctl_progress_draw(&c, f, it);
	json_decref(it);
	fflush(f);
	CHECK("progress: same step and percent not redrawn; a new step is",
	    count(buf, "build    [") == 1 && count(buf, "boot     [") == 1);
	fclose(f);
	free(buf);
	return check_exit();
}
