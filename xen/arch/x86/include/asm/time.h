/* Time: TSC-based system time, calibrated at boot against the PIT. */
#ifndef X86_TIME_H
#define X86_TIME_H

#include <xen/types.h>

/* ns = ((tsc_delta << shift, or >> -shift) * mul) >> 32: the same form
 * as the PV ABI's vcpu_time_info (tsc_to_system_mul, tsc_shift). */
struct time_scale {
    int8_t shift;
    uint32_t mul;
};

extern uint64_t cpu_khz;                /* TSC frequency */
extern struct time_scale tsc_scale;
extern uint64_t boot_tsc;               /* TSC at system time 0 */

uint64_t scale_delta(uint64_t delta, const struct time_scale *s);
/* Scale turning ticks at 'hz' into nanoseconds. */
void time_scale_from_hz(struct time_scale *s, uint64_t hz);
s_time_t get_s_time(void);
#define NOW() get_s_time()

void time_calibrate(void);              /* PIT -> cpu_khz, tsc_scale */
void udelay(unsigned long us);

/* APIC timer (apic-timer.c). */
void apic_timer_calibrate(void);
void apic_timer_init_cpu(void);

#endif /* X86_TIME_H */
