/*
 * ctl-progress.c: how xenctl shows the progress items of a slow command
 * (create, save, restore).  On a terminal (stderr): one bar redrawn in
 * place and cleared at the end.  With --json: each item as one JSON line
 * on stdout, for scripts.  Otherwise nothing, so logs and pipes get only
 * the final line.
 *
 * The bar is redrawn only when what it shows changes (the step or the
 * whole percent): a restore reports every 48 pages, and drawing each of
 * those put 1,300 lines of bar, 100 KiB, through make run's serial
 * console, which is as slow as the restore itself there.
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
	const char *msg = json_string_value(json_object_get(item, "message"));

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
	if (isatty(STDERR_FILENO))
		ctl_progress_draw(c, stderr, item);
}

void
ctl_progress_draw(struct ctl *c, FILE *f, json_t *item)
{
	json_int_t done = json_integer_value(json_object_get(item, "done"));
	json_int_t total = json_integer_value(json_object_get(item, "total"));
	const char *what = json_string_value(json_object_get(item, "what"));
	int i, fill, pct = total > 0 ? (int)(done * 100 / total) : 0;
	int paged = what != NULL && (strcmp(what, "save") == 0 ||
	    strcmp(what, "restore") == 0);
	struct timespec ts;
	double now = 0;

	if (paged) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
		if (c->progress_t0 == 0) {
			c->progress_t0 = now;
			c->progress_done0 = done;
		}
	}
	if (c->progress_shown && pct == c->progress_pct &&
	    strcmp(what != NULL ? what : "", c->progress_what) == 0)
		return;
	c->progress_pct = pct;
	snprintf(c->progress_what, sizeof c->progress_what, "%s",
	    what != NULL ? what : "");
	fill = total > 0 ? (int)(done * BAR_WIDTH / total) : 0;
	/* \033[K clears what a longer previous bar left on the line. */
	fprintf(f, "\r%-8s [", c->progress_what);
	for (i = 0; i < BAR_WIDTH; i++)
		fputc(i < fill ? '#' : ' ', f);
	fprintf(f, "] %3d%%", pct);
	/* Saves and restores count 4 KiB pages: show them and the rate. */
	if (paged) {
		fprintf(f, " %lld/%lld pages", (long long)done,
		    (long long)total);
		if (now > c->progress_t0)
			fprintf(f, ", %.1f MiB/s", (double)(done -
			    c->progress_done0) / 256.0 / (now - c->progress_t0));
	}
	fputs("\033[K", f);
	fflush(f);
	c->progress_shown = 1;
}

/* Before the final line: wipe the bar so it does not linger.  Erasing
 * to the end of the line, not writing spaces: 90 of them wrapped on an
 * 80-column console and left an empty line behind. */
void
ctl_progress_end(struct ctl *c)
{
	ctl_progress_clear(c, stderr);
}

void
ctl_progress_clear(struct ctl *c, FILE *f)
{
	if (!c->progress_shown)
		return;
	fputs("\r\033[K", f);
	c->progress_t0 = 0;
	c->progress_what[0] = '\0';
	fflush(f);
	c->progress_shown = 0;
}
