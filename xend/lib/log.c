/*
 * log.c: logging for xend and xenctl.
 *
 * Info and warnings go to stderr (xend runs in the foreground under a
 * supervisor, which keeps stderr).  With -v, everything including debug
 * lines is also written to one file per process, so two daemons or a
 * daemon and a client never interleave in one file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/*
 * The variadic entry points below differ only in where the message goes;
 * these take the caller's arguments (fmt must be its last named parameter)
 * either to log_vwrite or into the caller's buffer buf.
 */
#define LOG_WRITE(to_stderr, level, fmt) do {				\
	va_list ap_;							\
	va_start(ap_, fmt);						\
	log_vwrite(to_stderr, level, fmt, ap_);				\
	va_end(ap_);							\
} while (0)
#define LOG_FORMAT(buf, fmt) do {					\
	va_list ap_;							\
	va_start(ap_, fmt);						\
	vsnprintf(buf, sizeof buf, fmt, ap_);				\
	va_end(ap_);							\
} while (0)

static FILE *log_file;
static int log_verbose;
static const char *log_name = "xend";

void
log_open(const char *name, int verbose, const char *dir)
{
	char path[4096];

	log_name = name;
	log_verbose = verbose;
	if (verbose <= 0)
		return;
	snprintf(path, sizeof path, "%s/%s-%ld.log", dir != NULL ? dir : ".",
	    name, (long)getpid());
	log_file = fopen(path, "a");
	if (log_file == NULL) {
		fprintf(stderr, "%s: cannot open debug log %s: %s\n", name,
		    path, strerror(errno));
		return;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

static void
log_vwrite(int to_stderr, const char *level, const char *fmt, va_list ap)
{
	char msg[2048];
	struct timespec ts;
	struct tm tm;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (to_stderr)
		fprintf(stderr, "%s: %s%s\n", log_name, level, msg);
	if (log_file != NULL) {
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		fprintf(log_file, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s%s\n",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level, msg);
	}
}

void
log_debug(const char *fmt, ...)
{
	if (log_file == NULL)
		return;
	LOG_WRITE(0, "debug: ", fmt);
}

void
log_info(const char *fmt, ...)
{
	LOG_WRITE(1, "", fmt);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_WRITE(1, "warning: ", fmt);
}

void
log_warn(const char *fmt, ...)
{
	char buf[1024];
	int saved = errno;

	LOG_FORMAT(buf, fmt);
	log_warnx("%s: %s", buf, strerror(saved));
}

void
fatal(const char *fmt, ...)
{
	char buf[1024];
	int saved = errno;

	LOG_FORMAT(buf, fmt);
	fprintf(stderr, "%s: fatal: %s: %s\n", log_name, buf, strerror(saved));
	if (log_file != NULL)
		fprintf(log_file, "fatal: %s: %s\n", buf, strerror(saved));
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	char buf[1024];

	LOG_FORMAT(buf, fmt);
	fprintf(stderr, "%s: fatal: %s\n", log_name, buf);
	if (log_file != NULL)
		fprintf(log_file, "fatal: %s\n", buf);
	exit(1);
}
