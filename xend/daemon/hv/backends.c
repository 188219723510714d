/*
 * backends.c: the backends of the shipped xend.  Only the real one: the
 * simulator is a test double and lives in the test build (xend-sim, see
 * tests/unit/xend/sim-backends.c), never in what dom0 runs.
 */
#include <stddef.h>

#include "hv.h"

const struct hv_ops *const hv_backends[] = {
#ifdef HAVE_XC
	&hv_xc_ops,
#endif
	NULL,
};
