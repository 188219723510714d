/*
 * Console output through console_io(CONSOLEIO_write) and a small printf.
 * Conversions: %s %c %d %i %u %x %p %% with the l/ll length modifiers,
 * a '0' flag and a field width.  Output is line-buffered so each guest
 * line reaches the hypervisor in one hypercall.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_puts(const char *s);
void console_flush(void);

/* Result of the last console_io the runtime made (for hello.c). */
extern long console_last_rc;

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *hay, const char *needle);

#endif /* GUEST_CONSOLE_H */
