/*
 * System time: nanoseconds since boot, from the TSC.
 *
 * The TSC rate is measured once against PIT channel 2 (a fixed
 * 1.193182 MHz clock every PC has) and turned into a multiply/shift
 * scale of the same shape as the PV ABI's vcpu_time_info, so guests will
 * get exactly the conversion the hypervisor itself uses.
 */
#include <xen/lib.h>
#include <xen/console.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/time.h>

#define PIT_HZ        1193182UL
#define CALIBRATE_MS  10            /* per sample */
#define CALIBRATE_RUNS 5            /* the median is used */

uint64_t cpu_khz;
struct time_scale tsc_scale;
uint64_t boot_tsc;                      /* set first thing in start_xen */

uint64_t scale_delta(uint64_t delta, const struct time_scale *s)
{
    if ( s->shift < 0 )
        delta >>= -s->shift;
    else
        delta <<= s->shift;
    return (uint64_t)(((unsigned __int128)delta * s->mul) >> 32);
}

/* (num << 32) / den for num < den, by long division: no 128-bit divide
 * (that would need libgcc, which is built with a red zone). */
static uint32_t frac32(uint64_t num, uint64_t den)
{
    uint32_t q = 0;

    for ( unsigned int i = 0; i < 32; i++ )
    {
        num <<= 1;
        q <<= 1;
        if ( num >= den )
        {
            num -= den;
            q |= 1;
        }
    }
    return q;
}

/*
 * Pick shift so that ns-per-tick * 2^-shift lies in [0.5, 1), then mul is
 * that fraction in 32-bit fixed point: maximum precision, and the product
 * never needs more than 64+32 bits.
 */
void time_scale_from_hz(struct time_scale *s, uint64_t hz)
{
    uint64_t num = 1000000000UL, den = hz;
    int shift = 0;

    while ( den > 2 * num )             /* ratio < 0.5: shrink the ticks */
    {
        den >>= 1;
        shift--;
    }
    while ( num >= den )                /* ratio >= 1: grow the ticks */
    {
        num >>= 1;
        shift++;
    }
    s->shift = shift;
    s->mul = frac32(num, den);
}

s_time_t get_s_time(void)
{
    return (s_time_t)scale_delta(rdtsc() - boot_tsc, &tsc_scale);
}

void udelay(unsigned long us)
{
    uint64_t end = rdtsc() + us * cpu_khz / 1000;

    while ( (int64_t)(rdtsc() - end) < 0 )
        __asm__ __volatile__("pause");
}

/* Count TSC ticks while PIT channel 2 counts down CALIBRATE_MS. */
static uint64_t measure_tsc_hz(void)
{
    unsigned int count = PIT_HZ * CALIBRATE_MS / 1000;
    uint64_t t0, t1;
    uint8_t gate;

    gate = inb(0x61);
    outb(0x61, (gate & ~0x02) | 0x01);  /* gate on, speaker off */
    outb(0x43, 0xb0);                   /* ch2, lo/hi, mode 0, binary */
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    t0 = rdtsc();
    while ( !(inb(0x61) & 0x20) )       /* OUT2 goes high at terminal count */
        ;
    t1 = rdtsc();
    outb(0x61, gate);
    return (t1 - t0) * 1000 / CALIBRATE_MS;
}

/*
 * Under emulation one sample can be far off (the host stalls the vCPU
 * thread between the PIT and TSC reads); the median of several short
 * samples is immune to a minority of bad ones.
 */
static uint64_t median_tsc_hz(void)
{
    uint64_t s[CALIBRATE_RUNS];

    for ( unsigned int i = 0; i < CALIBRATE_RUNS; i++ )
    {
        uint64_t v = measure_tsc_hz();
        unsigned int j = i;

        while ( j > 0 && s[j - 1] > v )
        {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = v;
    }
    return s[CALIBRATE_RUNS / 2];
}

void time_calibrate(void)
{
    unsigned long flags = arch_local_irq_save();
    uint64_t hz = median_tsc_hz();

    arch_local_irq_restore(flags);

    if ( hz < 1000000 )
        panic("TSC calibration failed: %lu Hz measured", (unsigned long)hz);
    cpu_khz = hz / 1000;
    time_scale_from_hz(&tsc_scale, hz);
    if ( console_time_source == NULL )
        console_time_source = get_s_time;
    printk("Time: TSC %lu.%03lu MHz (PIT-calibrated, median of %u x %u ms), "
           "scale mul=%#x shift=%d\n", (unsigned long)(cpu_khz / 1000),
           (unsigned long)(cpu_khz % 1000), CALIBRATE_RUNS, CALIBRATE_MS,
           tsc_scale.mul, tsc_scale.shift);
}
