/*
 * The hypervisor's log as a dom0 test kernel reads it (dom0_op readlog):
 * for kernels that check the hypervisor said something.  The caller
 * gives the buffer, so kernels that never read the log carry none.
 */
#ifndef GUEST_HVLOG_H
#define GUEST_HVLOG_H

#include <stdint.h>

/*
 * Does a line of the hypervisor's log, from its oldest kept line on,
 * contain needle?  When num is not NULL, the hex number right after the
 * needle (with or without 0x) goes to *num.  buf (size bytes, one more
 * than the largest read) holds one read at a time.  Returns 1 or 0; a
 * failed readlog counts as not found.
 */
int hvlog_find(const char *needle, unsigned long *num, char *buf, uint32_t size);

#endif /* GUEST_HVLOG_H */
