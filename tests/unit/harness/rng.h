/* Deterministic random numbers (xorshift64*).  The runner seeds each
 * forked case from its name and UNIT_SEED, so a case draws the same
 * numbers every run and a failure can be replayed. */
#ifndef UNIT_HARNESS_RNG_H
#define UNIT_HARNESS_RNG_H

#include <stdint.h>

void rng_seed(uint64_t seed);
uint64_t rng_next(void);
uint64_t rng_below(uint64_t bound);     /* uniform-ish in [0, bound) */

#endif
