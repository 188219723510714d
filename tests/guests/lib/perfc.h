/*
 * The hypervisor's performance counters as a dom0 test kernel reads them
 * (dom0_op getperfcounters): find a counter by name once, then read its
 * value before and after what should (or should not) count.
 */
#ifndef GUEST_PERFC_H
#define GUEST_PERFC_H

#include <stdint.h>

/* How many counters perfc_id and perfc_value look at: the first ones. */
#define GUEST_PERFC_MAX 64

/* The id of the counter called name, or -1 when there is none; *rc gets
 * the getperfcounters result when rc is not NULL. */
int perfc_id(const char *name, long *rc);

/* The counter's value now, or 0 when id is negative or the read fails. */
uint64_t perfc_value(int id);

#endif /* GUEST_PERFC_H */
