/*
 * ctl-progress.c: how xenctl shows the progress items of a slow command
 * (create, save, restore).  On a terminal (stderr): one bar redrawn in
 * place and cleared at the end.  With --json: each item as one JSON line
 * on stdout, for scripts.  Otherwise nothing, so logs and pipes get only
 * the final line.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <string.h>

#include "ctl.h"

#define BAR_WIDTH	30

void
ctl_progress_show(struct ctl *c, json_t *item)
{
	json_int_t done = json_integer_value(json_object_get(item, "done"));
	json_int_t total = json_integer_value(json_object_get(item, "total"));
	const char *what = json_string_value(json_object_get(item, "what"));
	const char *msg = json_string_value(json_object_get(item, "message"));
	int i, fill;

	/* A message (host-shutdown's one per guest) is a line, not a bar:
	 * it goes to the console even when that is not a terminal. */
	if (msg != NULL && !c->json) {
		printf("%s\n", msg);
		fflush(stdout);
		return;
	}
	if (c->json) {
		json_dumpf(item, stdout, JSON_COMPACT | JSON_SORT_KEYS);
		fputc('\n', stdout);
		fflush(stdout);
		return;
	}
	if (!isatty(STDERR_FILENO))
		return;
	fill = total > 0 ? (int)(done * BAR_WIDTH / total) : 0;
	fprintf(stderr, "\r%-8s [", what != NULL ? what : "");
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3d%%", total > 0 ? (int)(done * 100 / total) : 0);
	/* Saves and restores count 4 KiB pages: show them and the rate. */
	if (what != NULL && (strcmp(what, "save") == 0 ||
	    strcmp(what, "restore") == 0)) {
		struct timespec ts;
		double now, mib;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
		if (c->progress_t0 == 0) {
			c->progress_t0 = now;
			c->progress_done0 = done;
		}
		mib = (double)(done - c->progress_done0) / 256.0;
		fprintf(stderr, " %lld/%lld pages", (long long)done,
		    (long long)total);
		if (now > c->progress_t0)
			fprintf(stderr, ", %.1f MiB/s", mib /
			    (now - c->progress_t0));
		fputs("   ", stderr);
	}
	fflush(stderr);
	c->progress_shown = 1;
}

/* Before the final line: wipe the bar so it does not linger. */
void
ctl_progress_end(struct ctl *c)
{
	if (!c->progress_shown)
		return;
	fprintf(stderr, "\r%*s\r", BAR_WIDTH + 60, "");
	c->progress_t0 = 0;
	fflush(stderr);
	c->progress_shown = 0;
}
