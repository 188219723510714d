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

/*
 * Under TCG the TSC and the PIT both follow the host clock, so a stalled
 * vCPU thread (a busy host, QEMU's big lock) sees both move on together;
 * what a stall skews is only the moment each is read.  Polling OUT2 for
 * the end of the count was off by the whole stall (a busy host once made
 * the TSC look twice as fast).  So the PIT's count is read, latched,
 * between two TSC reads, and a sample is kept only if both brackets
 * together are under 1% of its span.
 */
struct pit_read {
    uint64_t tsc;                       /* middle of the bracket */
    uint64_t width;                     /* TSC ticks the read took */
    unsigned int count;
};

static void pit_read(struct pit_read *r)
{
    uint64_t a = rdtsc();
    unsigned int lo, hi;

    outb(0x43, 0x80);                   /* latch channel 2 */
    lo = inb(0x42);
    hi = inb(0x42);
    r->width = rdtsc() - a;
    r->tsc = a + r->width / 2;
    r->count = lo | (hi << 8);
}

/* TSC Hz over CALIBRATE_MS of PIT ticks into *hz; returns how much the
 * reads could skew it, in parts per 10000 (~0 if the count ran out). */
static uint64_t measure_tsc_hz(uint64_t *hz)
{
    unsigned int ticks = PIT_HZ * CALIBRATE_MS / 1000;
    struct pit_read r0, r1;
    uint64_t span;

    outb(0x43, 0xb0);                   /* ch2, lo/hi, mode 0, binary */
    outb(0x42, 0xff);
    outb(0x42, 0xff);                   /* 65535 ticks: 54.9 ms to zero */
    pit_read(&r0);
    do
        pit_read(&r1);
    while ( r0.count - r1.count < ticks && !(inb(0x61) & 0x20) );
    span = r1.tsc - r0.tsc;
    if ( (inb(0x61) & 0x20) || r1.count >= r0.count || span == 0 )
        return ~0UL;                    /* ran out: a stall of 40 ms+ */
    *hz = span * PIT_HZ / (r0.count - r1.count);
    return (r0.width + r1.width) * 10000 / span;
}

/* The median of up to CALIBRATE_RUNS samples whose reads skew them by
 * under 1% (of at most 20 tries); if none is that good, the best one. */
static uint64_t median_tsc_hz(void)
{
    uint64_t s[CALIBRATE_RUNS], best_hz = 0, best_skew = ~0UL;
    unsigned int n = 0;
    uint8_t gate = inb(0x61);

    outb(0x61, (gate & ~0x02) | 0x01);  /* gate on, speaker off */
    for ( unsigned int tries = 0; tries < 4 * CALIBRATE_RUNS &&
                                  n < CALIBRATE_RUNS; tries++ )
    {
        uint64_t v = 0, skew = measure_tsc_hz(&v);
        unsigned int j = n;

        if ( skew < best_skew )
        {
            best_skew = skew;
            best_hz = v;
        }
        if ( skew >= 100 )
            continue;
        while ( j > 0 && s[j - 1] > v )
        {
            s[j] = s[j - 1];
            j--;
        }
        s[j] = v;
        n++;
    }
    outb(0x61, gate);
    if ( n < CALIBRATE_RUNS )
        printk("Time: %u of %u TSC samples undisturbed\n", n, CALIBRATE_RUNS);
    return n ? s[n / 2] : best_hz;
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
