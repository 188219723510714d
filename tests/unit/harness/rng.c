/* See rng.h. */
#include "rng.h"

static uint64_t state = 0x9e3779b97f4a7c15ULL;

void rng_seed(uint64_t seed)
{
    state = seed ? seed : 1;            /* 0 would stay 0 for ever */
}

uint64_t rng_next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dULL;
}

uint64_t rng_below(uint64_t bound)
{
    return bound ? rng_next() % bound : 0;
}
