/*
 * The PV clock: system time = system_time + scaled (TSC - tsc_timestamp),
 * read under the version protocol (odd = being updated, changed = retry).
 */
#include "guest.h"

unsigned int pvclock_snapshot(const volatile struct vcpu_time_info *t,
                              struct vcpu_time_info *out)
{
    unsigned int tries = 0;
    uint32_t v;

    for (;;) {
        v = t->version;
        barrier();
        out->version = v;
        out->tsc_timestamp = t->tsc_timestamp;
        out->system_time = t->system_time;
        out->tsc_to_system_mul = t->tsc_to_system_mul;
        out->tsc_shift = t->tsc_shift;
        out->flags = t->flags;
        barrier();
        if (!(v & 1) && t->version == v)
            return tries;
        tries++;
        cpu_relax();
    }
}

uint64_t pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc)
{
    uint64_t delta = tsc - t->tsc_timestamp;

    if (t->tsc_shift >= 0)
        delta <<= t->tsc_shift;
    else
        delta >>= -t->tsc_shift;
    return t->system_time +
           (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

uint64_t pvclock_now(void)
{
    struct vcpu_time_info t;

    /* Our own vCPU's record: TSCs of different vCPUs need not agree. */
    pvclock_snapshot(&smp_vcpu_info(smp_cpu_id())->time, &t);
    return pvclock_scale(&t, rdtsc());
}

uint64_t pvclock_tsc_khz(const struct vcpu_time_info *t)
{
    uint64_t khz;

    if (!t->tsc_to_system_mul)
        return 0;
    /* ns per tick = mul / 2^32 (after the shift); kHz = 10^6 / that. */
    khz = (1000000ULL << 32) / t->tsc_to_system_mul;
    if (t->tsc_shift < 0)
        khz <<= -t->tsc_shift;
    else
        khz >>= t->tsc_shift;
    return khz;
}

void delay_ns(uint64_t ns)
{
    uint64_t end = pvclock_now() + ns;

    while ((int64_t)(pvclock_now() - end) < 0)
        cpu_relax();
}
