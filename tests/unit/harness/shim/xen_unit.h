/* Everything a harness that compiles hypervisor sources takes from the
 * shared one: the runner and CHECKs, printk/panic capture, random numbers. */
#ifndef UNIT_HARNESS_XEN_UNIT_H
#define UNIT_HARNESS_XEN_UNIT_H

#include "runner.h"
#include "console.h"
#include "rng.h"

#endif
