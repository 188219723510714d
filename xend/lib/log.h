/* log.h: the process log (stderr plus an optional -v debug file) and fatal exits. */
#ifndef XEND_LOG_H
#define XEND_LOG_H

#include <stdarg.h>

/* Open the per-process debug log "<dir>/<name>-<pid>.log" when verbose > 0. */
void log_open(const char *name, int verbose, const char *dir);
void log_close(void);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For the process's own impossibilities only, never for bad client input. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
