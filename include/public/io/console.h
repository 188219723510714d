/*
 * The PV console ring page shared between a domU and the console daemon
 * (start_info.console.domU).
 *
 * Indexes are free-running; a position is the index masked by the ring's
 * size.  The guest produces `out` and consumes `in`.  Layout is an
 * upstream fact; append only.
 */
#ifndef XEN_PUBLIC_IO_CONSOLE_H
#define XEN_PUBLIC_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* ring is the array itself, so sizeof gives its (power-of-two) size. */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];  /* daemon -> guest */
    char out[2048]; /* guest -> daemon */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* XEN_PUBLIC_IO_CONSOLE_H */
