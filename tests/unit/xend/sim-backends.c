/*
 * sim-backends.c: the backend table of the test daemon xend-sim and of
 * the unit tests: the simulator (hv_sim.c) plus whatever the shipped
 * xend has (daemon/hv/backends.c), so a test build can still be asked
 * for xc.
 */
#include <stddef.h>

#include "hv.h"

const struct hv_ops *const hv_backends[] = {
	&hv_sim_ops,
#ifdef HAVE_XC
	&hv_xc_ops,
#endif
	NULL,
};
