/* Unit tests for xen/arch/x86/guest-time.c: the pvclock record (fields,
 * version protocol, the guest's arithmetic against an exact reference),
 * the wall clock in shared_info, and the CMOS RTC reader and decoder. */

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include <xen/bitops.h>
#include <xen/errno.h>
#include <asm/time.h>

/* The guest's pvclock read (Linux's formula). */
static uint64_t guest_clock(const struct vcpu_time_info *t, uint64_t tsc)
{
    uint64_t delta = tsc - t->tsc_timestamp;

    if ( t->tsc_shift >= 0 )
        delta <<= t->tsc_shift;
    else
        delta >>= -t->tsc_shift;
    return t->system_time +
           (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

static void pvclock_fields(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu_time_info *t = &d->vcpu[1]->vcpu_info->time;
    uint32_t before;

    time_scale_from_hz(&tsc_scale, 2500000000UL);
    boot_tsc = 1000;
    set_tsc(1000 + 2500000000UL * 3);           /* 3 s after boot */
    before = t->version;
    CHECK_EQ(before % 2, 0);
    update_vcpu_system_time(d->vcpu[1]);
    CHECK_EQ(t->version, before + 2);
    CHECK_EQ(t->tsc_timestamp, 1000 + 2500000000UL * 3);
    CHECK_EQ(t->system_time, NOW());
    CHECK(t->system_time >= 2999999990ULL && t->system_time <= 3000000000ULL);
    CHECK_EQ(t->tsc_to_system_mul, tsc_scale.mul);
    CHECK_EQ(t->tsc_shift, tsc_scale.shift);
    CHECK(t->tsc_to_system_mul != 0);
    CHECK_EQ(t->flags, XEN_PVCLOCK_TSC_STABLE_BIT);
    /* vCPU 0's record was left alone. */
    CHECK(d->vcpu[0]->vcpu_info->time.tsc_timestamp != t->tsc_timestamp);

    /* A guest that scribbled an odd version still ends up even. */
    t->version = 7;
    update_vcpu_system_time(d->vcpu[1]);
    CHECK_EQ(t->version % 2, 0);
    CHECK(t->version > 7);
    /* No vcpu_info: nothing to write, no crash. */
    d->vcpu[1]->vcpu_info = NULL;
    update_vcpu_system_time(d->vcpu[1]);
}

/* For a range of TSC rates, the guest's extrapolation from a record agrees
 * with exact arithmetic (ns = ticks * 1e9 / hz) to within the scale's
 * 32-bit precision. */
static void pvclock_math_matches_reference(void)
{
    static const uint64_t rates[] = {
        1000000000UL, 2400000000UL, 3123456789UL, 999999999UL,
        800000000UL, 123456789UL, 4000000001UL, 5999999999UL,
    };
    struct domain *d = dom_new(1, 1, false);
    struct vcpu_time_info *t = &d->vcpu[0]->vcpu_info->time;

    for ( size_t r = 0; r < ARRAY_SIZE(rates); r++ )
    {
        uint64_t hz = rates[r];

        time_scale_from_hz(&tsc_scale, hz);
        for ( unsigned int i = 0; i < 200; i++ )
        {
            uint64_t sample, later, ticks, ref, got, err, tol;

            boot_tsc = rng_next() >> 8;
            sample = boot_tsc + rng_next() % (hz * 3600);   /* < 1 h up */
            later = sample + rng_next() % (hz * 10);        /* < 10 s on */
            set_tsc(sample);
            update_vcpu_system_time(d->vcpu[0]);
            ticks = later - boot_tsc;
            ref = (uint64_t)((unsigned __int128)ticks * 1000000000UL / hz);
            got = guest_clock(t, later);
            err = got > ref ? got - ref : ref - got;
            /* mul is exact to 2^-32 of a value >= 1/2: relative 2^-31,
             * plus a few ns of truncation in each step. */
            tol = 3 + (ref >> 30);
            if ( err > tol )
                FAIL("hz %lu boot %#lx sample %#lx later %#lx: guest %lu, "
                     "exact %lu (error %lu > %lu)", (unsigned long)hz,
                     (unsigned long)boot_tsc, (unsigned long)sample,
                     (unsigned long)later, (unsigned long)got,
                     (unsigned long)ref, (unsigned long)err,
                     (unsigned long)tol);
            /* At the sample itself the guest sees exactly our NOW(). */
            set_tsc(later);
            if ( guest_clock(t, later) + 2 < (uint64_t)NOW() ||
                 guest_clock(t, later) > (uint64_t)NOW() + 2 )
                FAIL("guest %lu vs NOW %ld", (unsigned long)guest_clock(t, later),
                     (long)NOW());
        }
    }
}

struct reader {
    struct vcpu_time_info *t;
    volatile bool stop;
    unsigned long reads, torn;
};

/* Linux's read loop; a record accepted while being rewritten would show
 * a system_time that does not belong to its tsc_timestamp. */
static void *pvclock_reader(void *arg)
{
    struct reader *r = arg;

    while ( !__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) )
    {
        uint32_t v1, v2;
        uint64_t tsc, sys;

        do {
            v1 = __atomic_load_n(&r->t->version, __ATOMIC_ACQUIRE);
            tsc = __atomic_load_n(&r->t->tsc_timestamp, __ATOMIC_RELAXED);
            sys = __atomic_load_n(&r->t->system_time, __ATOMIC_RELAXED);
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            v2 = __atomic_load_n(&r->t->version, __ATOMIC_RELAXED);
        } while ( (v1 & 1) || v1 != v2 );
        r->reads++;
        if ( sys != scale_delta(tsc - boot_tsc, &tsc_scale) )
            r->torn++;
    }
    return NULL;
}

static void pvclock_version_protocol_race(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct reader r = { .t = &d->vcpu[0]->vcpu_info->time };
    pthread_t th;

    time_scale_from_hz(&tsc_scale, 2900000000UL);
    update_vcpu_system_time(d->vcpu[0]);
    if ( pthread_create(&th, NULL, pvclock_reader, &r) != 0 )
        FAIL("pthread_create");
    for ( unsigned long i = 0; i < 300000 || r.reads < 1000; i++ )
    {
        set_tsc(rng_next() >> 4);
        update_vcpu_system_time(d->vcpu[0]);
        if ( i > 50000000UL )
            FAIL("reader made no progress");
    }
    __atomic_store_n(&r.stop, true, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    CHECK(r.reads >= 1000);
    CHECK_EQ(r.torn, 0);
    CHECK_EQ(r.t->version % 2, 0);
}

static void wallclock_in_shared_info(void)
{
    struct domain *d1 = dom_new(1, 1, false);
    struct domain *d2 = dom_new(2, 1, false);
    struct shared_info *s = d1->shared_info;
    uint32_t v;

    /* 1700000000.25 s at system time 5 s: base is 1699999995.25 s. */
    wallclock_set(1700000000ULL, 250000000, 5000000000LL);
    CHECK_EQ(wallclock_base_ns(), 1699999995250000000ULL);
    CHECK_EQ(s->wc.sec, 1699999995U);
    CHECK_EQ(s->wc.nsec, 250000000U);
    CHECK_EQ(s->wc_sec_hi, 0);
    CHECK_EQ(s->wc.version % 2, 0);
    CHECK(s->wc.version >= 2);
    CHECK_EQ(d2->shared_info->wc.sec, 1699999995U);     /* every domain */

    v = s->wc.version;
    update_domain_wallclock(d1);
    CHECK_EQ(s->wc.version, v + 2);
    CHECK_EQ(s->wc.sec, 1699999995U);

    /* Past 2106: the high word carries. */
    wallclock_set(0x100000005ULL, 7, 0);
    CHECK_EQ(s->wc_sec_hi, 1);
    CHECK_EQ(s->wc.sec, 5);
    CHECK_EQ(s->wc.nsec, 7);
    /* A time before our uptime clamps to the epoch. */
    wallclock_set(1, 0, 5000000000LL);
    CHECK_EQ(wallclock_base_ns(), 0);
    CHECK_EQ(s->wc.sec, 0);
    /* A domain without shared_info is skipped. */
    d2->shared_info = NULL;
    update_domain_wallclock(d2);
}

static struct rtc_raw raw_bcd(unsigned int y, unsigned int mon, unsigned int day,
                              unsigned int h, unsigned int min, unsigned int sec)
{
#define BCD(x) (uint8_t)((((x) / 10) << 4) | ((x) % 10))
    return (struct rtc_raw){ .sec = BCD(sec), .min = BCD(min), .hour = BCD(h),
                             .mday = BCD(day), .mon = BCD(mon),
                             .year = BCD(y % 100), .century = BCD(y / 100),
                             .status_b = 0x02 };
#undef BCD
}

static void rtc_decoding(void)
{
    struct rtc_raw r;
    struct rtc_date t;

    r = raw_bcd(2024, 2, 29, 23, 59, 58);
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK(t.year == 2024 && t.mon == 2 && t.mday == 29);
    CHECK(t.hour == 23 && t.min == 59 && t.sec == 58);
    CHECK_EQ(rtc_date_to_unix(&t), 1709251198ULL);

    /* Binary mode. */
    r = (struct rtc_raw){ .sec = 5, .min = 4, .hour = 3, .mday = 2, .mon = 1,
                          .year = 70, .century = 19, .status_b = 0x06 };
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(rtc_date_to_unix(&t), 86400 + 3 * 3600 + 4 * 60 + 5);

    /* 12-hour mode: 12 AM is midnight, 12 PM noon, PM adds 12. */
    r = raw_bcd(2023, 6, 1, 12, 0, 0);
    r.status_b = 0x00;
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(t.hour, 0);
    r.hour = 0x80 | 0x12;
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(t.hour, 12);
    r.hour = 0x80 | 0x07;
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(t.hour, 19);
    r.hour = 0x00;                      /* no hour 0 in 12-hour mode */
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r.hour = 0x13;
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);

    /* No usable century byte: 70-99 is 19xx, 00-69 is 20xx. */
    r = raw_bcd(2031, 1, 1, 0, 0, 0);
    r.century = 0;
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(t.year, 2031);
    r = raw_bcd(1999, 12, 31, 0, 0, 0);
    r.century = 0xff;
    CHECK_EQ(rtc_decode(&r, &t), 0);
    CHECK_EQ(t.year, 1999);

    /* Impossible values. */
    r = raw_bcd(2023, 2, 29, 0, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 13, 1, 0, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 4, 31, 0, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 4, 1, 24, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 4, 1, 0, 60, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 4, 0, 0, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(2023, 4, 1, 0, 0, 0);
    r.sec = 0x5a;                       /* not BCD */
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = raw_bcd(1969, 12, 31, 0, 0, 0);
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r = (struct rtc_raw){ .sec = 0, .min = 0, .hour = 0, .mday = 1, .mon = 1,
                          .year = 150, .century = 20, .status_b = 0x06 };
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
    r.mday = 0x30;                      /* 48 in binary mode */
    r.year = 10;
    CHECK_EQ(rtc_decode(&r, &t), -EINVAL);
}

/* The calendar against the host's timegm over 1970..2199. */
static void rtc_calendar_matches_host(void)
{
    for ( unsigned int i = 0; i < 20000; i++ )
    {
        struct rtc_date t;
        struct tm tm = { 0 };
        time_t host;

        t.year = 1970 + rng_next() % 230;
        t.mon = 1 + rng_next() % 12;
        t.mday = 1 + rng_next() % 28;
        t.hour = rng_next() % 24;
        t.min = rng_next() % 60;
        t.sec = rng_next() % 60;
        if ( i % 7 == 0 && t.mon == 2 )
            t.mday = 29 - !((t.year % 4 == 0 && t.year % 100) || t.year % 400 == 0);
        tm.tm_year = t.year - 1900;
        tm.tm_mon = t.mon - 1;
        tm.tm_mday = t.mday;
        tm.tm_hour = t.hour;
        tm.tm_min = t.min;
        tm.tm_sec = t.sec;
        host = timegm(&tm);
        if ( rtc_date_to_unix(&t) != (uint64_t)host )
            FAIL("%u-%u-%u %u:%u:%u: %lu, host says %ld", t.year, t.mon,
                 t.mday, t.hour, t.min, t.sec,
                 (unsigned long)rtc_date_to_unix(&t), (long)host);
    }
}

static void cmos_set(uint8_t *reg, const struct rtc_raw *r)
{
    reg[0x00] = r->sec;
    reg[0x02] = r->min;
    reg[0x04] = r->hour;
    reg[0x07] = r->mday;
    reg[0x08] = r->mon;
    reg[0x09] = r->year;
    reg[0x32] = r->century;
    reg[0x0b] = r->status_b;
}

static void rtc_reading(void)
{
    struct rtc_raw want = raw_bcd(2025, 3, 14, 15, 9, 26), got;
    struct rtc_raw next = raw_bcd(2025, 3, 14, 15, 9, 27);
    s_time_t when;

    cmos_set(cmos.reg, &want);
    /* The update-in-progress bit holds us off for a while. */
    cmos.uip_reads = 1000;
    set_now(42);
    CHECK_EQ(rtc_read(&got, &when), 0);
    CHECK_EQ(cmos.uip_reads, 0);
    CHECK(memcmp(&got, &want, sizeof(got)) == 0);
    CHECK_EQ(when, 42);

    /* An update between the two reads: read again, keep the new time. */
    cmos_set(cmos.reg_after, &next);
    cmos.data_reads = 0;
    cmos.change_after = 3;
    CHECK_EQ(rtc_read(&got, &when), 0);
    CHECK(memcmp(&got, &next, sizeof(got)) == 0);

    /* A clock that never settles is an error, not a hang. */
    cmos.uip_stuck = true;
    CHECK_EQ(rtc_read(&got, &when), -EIO);
}

static void wallclock_from_rtc(void)
{
    struct domain *d = dom_new(0, 1, true);
    struct rtc_raw r = raw_bcd(2024, 1, 1, 0, 0, 10);

    cmos_set(cmos.reg, &r);
    set_now(3000000000LL);              /* 3 s after boot */
    wallclock_init();
    CHECK(printk_seen("2024-01-01 00:00:10"));
    CHECK_EQ(wallclock_base_ns(), (1704067210ULL - 3) * 1000000000ULL);
    CHECK_EQ(d->shared_info->wc.sec, 1704067207U);
    CHECK_EQ(d->shared_info->wc.nsec, 0);

    /* A broken RTC leaves the epoch and says so. */
    wallclock_set(0, 0, 0);
    r.mon = 0x13;
    cmos_set(cmos.reg, &r);
    wallclock_init();
    CHECK(printk_seen("invalid date"));
    CHECK_EQ(wallclock_base_ns(), 0);
    cmos.uip_stuck = true;
    wallclock_init();
    CHECK(printk_seen("never stops updating"));
}

const struct test_case time_cases[] = {
    { "time/pvclock-fields", pvclock_fields },
    { "time/pvclock-math-matches-reference", pvclock_math_matches_reference },
    { "time/pvclock-version-protocol-race", pvclock_version_protocol_race },
    { "time/wallclock-in-shared-info", wallclock_in_shared_info },
    { "time/rtc-decoding", rtc_decoding },
    { "time/rtc-calendar-matches-host", rtc_calendar_matches_host },
    { "time/rtc-reading", rtc_reading },
    { "time/wallclock-from-rtc", wallclock_from_rtc },
    { NULL, NULL },
};
