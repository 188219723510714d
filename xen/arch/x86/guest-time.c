/*
 * Guest time: each vCPU's pvclock record (vcpu_info.time), the domain's
 * wall clock (shared_info.wc_*), and the CMOS real-time clock they start
 * from.
 *
 * Guests see the hypervisor's own system time (ns since it booted) and its
 * own TSC scale: the TSC is one clock for all CPUs here, so a record
 * {tsc_timestamp, system_time, mul, shift} taken on any CPU extrapolates
 * correctly on every CPU, and XEN_PVCLOCK_TSC_STABLE_BIT says so.
 *
 * Both records use the same protocol: bump the version to odd, write the
 * fields, bump it to even; readers retry while it is odd or has changed.
 */
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/event.h>
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/time.h>

#define NS_PER_SEC 1000000000ULL

/* ---- pvclock ------------------------------------------------------------ */

void update_vcpu_system_time(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;
    struct vcpu_time_info *t;
    uint32_t version;
    uint64_t tsc;

    if ( vi == NULL )
        return;
    t = &vi->time;
    /* One TSC sample gives both ends of the record, so the guest's
     * extrapolation is exactly our NOW() (to a nanosecond of rounding). */
    tsc = rdtsc();
    version = (READ_ONCE(t->version) + 1) | 1;
    WRITE_ONCE(t->version, version);
    smp_wmb();
    t->tsc_timestamp = tsc;
    t->system_time = scale_delta(tsc - boot_tsc, &tsc_scale);
    t->tsc_to_system_mul = tsc_scale.mul;
    t->tsc_shift = tsc_scale.shift;
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    smp_wmb();
    WRITE_ONCE(t->version, version + 1);
}

/* ---- Wall clock --------------------------------------------------------- */

static DEFINE_SPINLOCK(wc_lock);        /* wc_base and the shared_info copies */
static uint64_t wc_base;                /* ns since the epoch at system time 0 */

uint64_t wallclock_base_ns(void)
{
    return __atomic_load_n(&wc_base, __ATOMIC_RELAXED);
}

static void write_wallclock(struct shared_info *s, uint64_t base)
{
    uint64_t sec = base / NS_PER_SEC;
    uint32_t version = (READ_ONCE(s->wc.version) + 1) | 1;

    WRITE_ONCE(s->wc.version, version);
    smp_wmb();
    s->wc.sec = (uint32_t)sec;
    s->wc.nsec = (uint32_t)(base % NS_PER_SEC);
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    smp_wmb();
    WRITE_ONCE(s->wc.version, version + 1);
}

void update_domain_wallclock(struct domain *d)
{
    if ( d->shared_info == NULL )
        return;
    spin_lock(&wc_lock);
    write_wallclock(d->shared_info, wc_base);
    spin_unlock(&wc_lock);
}

void wallclock_set(uint64_t sec, uint32_t nsec, s_time_t at)
{
    uint64_t now_ns = sec * NS_PER_SEC + nsec, old;
    struct domain *d;

    if ( at < 0 )
        at = 0;
    spin_lock(&domlist_lock);
    spin_lock(&wc_lock);
    /* Before 1970 plus our uptime cannot be meant: clamp to the epoch. */
    old = wc_base;
    wc_base = now_ns > (uint64_t)at ? now_ns - (uint64_t)at : 0;
    for ( d = domain_list; d != NULL; d = d->next_in_list )
        if ( d->shared_info != NULL )
            write_wallclock(d->shared_info, wc_base);
    spin_unlock(&wc_lock);
    spin_unlock(&domlist_lock);
    /* Rare (boot, then dom0's clock steps and 11-minute syncs), and the
     * step says how far guests' wall clocks were off before it. */
    if ( old != 0 )
        printk("Wallclock: set to %lu.%09u at system time %ld ns "
               "(a step of %ld ms)\n", (unsigned long)sec, nsec, (long)at,
               (long)((int64_t)(wc_base - old) / 1000000));
}

/* ---- Calendar ----------------------------------------------------------- */

static bool is_leap(unsigned int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned int days_in_month(unsigned int year, unsigned int mon)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31 };

    return days[mon - 1] + (mon == 2 && is_leap(year));
}

uint64_t rtc_date_to_unix(const struct rtc_date *t)
{
    uint64_t days = 0;

    for ( unsigned int y = 1970; y < t->year; y++ )
        days += is_leap(y) ? 366 : 365;
    for ( unsigned int m = 1; m < t->mon; m++ )
        days += days_in_month(t->year, m);
    days += t->mday - 1;
    return ((days * 24 + t->hour) * 60 + t->min) * 60 + t->sec;
}

/* ---- CMOS RTC ----------------------------------------------------------- */

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define RTC_SEC         0x00
#define RTC_MIN         0x02
#define RTC_HOUR        0x04
#define RTC_MDAY        0x07
#define RTC_MON         0x08
#define RTC_YEAR        0x09
#define RTC_STATUS_A    0x0a
#define RTC_STATUS_B    0x0b
#define RTC_CENTURY     0x32            /* where PCs (and QEMU) keep it */
#define RTC_A_UIP       0x80            /* update in progress */
#define RTC_B_24H       0x02
#define RTC_B_BINARY    0x04
#define RTC_HOUR_PM     0x80            /* 12-hour mode */

/* Polls of the UIP bit before giving up (an update lasts ~2 ms; a polled
 * port read takes a microsecond or more). */
#define UIP_POLLS       2000000

static int from_bcd(uint8_t v, bool binary, unsigned int *out)
{
    if ( binary )
    {
        *out = v;
        return 0;
    }
    if ( (v & 0x0f) > 9 || (v >> 4) > 9 )
        return -EINVAL;
    *out = (v >> 4) * 10 + (v & 0x0f);
    return 0;
}

int rtc_decode(const struct rtc_raw *r, struct rtc_date *t)
{
    bool binary = r->status_b & RTC_B_BINARY;
    bool h24 = r->status_b & RTC_B_24H;
    uint8_t hour = r->hour;
    bool pm = false;
    unsigned int year, century;

    if ( !h24 )
    {
        pm = hour & RTC_HOUR_PM;
        hour &= (uint8_t)~RTC_HOUR_PM;
    }
    if ( from_bcd(r->sec, binary, &t->sec) || from_bcd(r->min, binary, &t->min) ||
         from_bcd(hour, binary, &t->hour) || from_bcd(r->mday, binary, &t->mday) ||
         from_bcd(r->mon, binary, &t->mon) || from_bcd(r->year, binary, &year) )
        return -EINVAL;
    if ( !h24 )
    {
        if ( t->hour < 1 || t->hour > 12 )
            return -EINVAL;
        t->hour = t->hour % 12 + (pm ? 12 : 0);     /* 12 AM is 0 h */
    }
    /* The century byte is not standard: believe it only if it is sane. */
    if ( from_bcd(r->century, binary, &century) == 0 &&
         century >= 19 && century <= 21 )
        t->year = century * 100 + year;
    else
        t->year = year < 70 ? 2000 + year : 1900 + year;

    if ( year > 99 || t->year < 1970 || t->mon < 1 || t->mon > 12 ||
         t->mday < 1 || t->mday > days_in_month(t->year, t->mon) ||
         t->hour > 23 || t->min > 59 || t->sec > 59 )
        return -EINVAL;
    return 0;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static bool rtc_wait_stable(void)
{
    for ( unsigned long i = 0; i < UIP_POLLS; i++ )
        if ( !(cmos_read(RTC_STATUS_A) & RTC_A_UIP) )
            return true;
    return false;
}

static void rtc_read_once(struct rtc_raw *r)
{
    r->sec = cmos_read(RTC_SEC);
    r->min = cmos_read(RTC_MIN);
    r->hour = cmos_read(RTC_HOUR);
    r->mday = cmos_read(RTC_MDAY);
    r->mon = cmos_read(RTC_MON);
    r->year = cmos_read(RTC_YEAR);
    r->century = cmos_read(RTC_CENTURY);
    r->status_b = cmos_read(RTC_STATUS_B);
}

/* Read until two reads, each outside an update, agree: an update can
 * still start between the UIP check and the last register read. */
int rtc_read(struct rtc_raw *r, s_time_t *when)
{
    struct rtc_raw again;

    for ( unsigned int attempt = 0; attempt < 5; attempt++ )
    {
        if ( !rtc_wait_stable() )
            return -EIO;
        rtc_read_once(r);
        *when = NOW();
        if ( !rtc_wait_stable() )
            return -EIO;
        rtc_read_once(&again);
        if ( memcmp(r, &again, sizeof(again)) == 0 )
            return 0;
    }
    return -EIO;
}

void wallclock_init(void)
{
    struct rtc_raw raw;
    struct rtc_date t;
    s_time_t at;
    int rc;

    rc = rtc_read(&raw, &at);
    if ( rc == 0 )
        rc = rtc_decode(&raw, &t);
    if ( rc != 0 )
    {
        printk(XENLOG_WARNING "Wallclock: CMOS RTC %s; guests see 1970\n",
               rc == -EIO ? "never stops updating" : "holds an invalid date");
        return;
    }
    wallclock_set(rtc_date_to_unix(&t), 0, at);
    printk("Wallclock: %04u-%02u-%02u %02u:%02u:%02u UTC (CMOS RTC)\n",
           t.year, t.mon, t.mday, t.hour, t.min, t.sec);
}
