/* The host stand-in for the hypervisor's console: printk() formats with
 * the hypervisor's own vsnprintf and keeps each message for the tests to
 * inspect instead of printing it. */
#ifndef XEN_LIB_TEST_PRINTK_LOG_H
#define XEN_LIB_TEST_PRINTK_LOG_H

#include <stdbool.h>

#define PRINTK_LOG_MAX 64

void printk_log_clear(void);
unsigned int printk_log_count(void);
const char *printk_log_get(unsigned int i);
/* True when some message since the last clear contains every given
 * fragment (NULL-terminated list). */
bool printk_log_has(const char *fragment, ...);

#endif
