/* The host machine under the xen-events unit tests (see harness.h) and its
 * main. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "harness.h"
#include <xen/bitops.h>
#include <xen/domain-page.h>
#include <xen/errno.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/timer.h>
#include <asm/config.h>
#include <asm/pv-mm.h>
#include <asm/time.h>

#define ARG_OFFSET     0x100        /* where hypercall arguments go */

unsigned char *guest_mem;
static unsigned long next_frame = 1;    /* frame 0 stays unused */

struct sched_log sched_log;
struct fake_cmos cmos;

struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
struct domain *hardware_domain;
s_time_t (*console_time_source)(void);

static struct domain *domains[16];
static uint64_t fake_tsc;

/* ---- Machine ------------------------------------------------------------ */

static void machine_setup(void)
{
    host_machine_alloc(HOST_FRAMES);
    guest_mem = calloc(1, GUEST_SIZE);
    if ( guest_mem == NULL )
        FAIL("out of host memory");
    if ( timers_init(HOST_CPUS) != 0 )
        FAIL("timers_init");
    /* 1 GHz: a TSC tick is a nanosecond. */
    time_scale_from_hz(&tsc_scale, 1000000000UL);
    cpu_khz = 1000000;
    boot_tsc = 0;
    host_cpu_info.cpu_id = 0;
}

mfn_t frame_alloc(struct domain *d)
{
    mfn_t mfn = next_frame++;

    if ( mfn >= HOST_FRAMES )
        FAIL("host RAM exhausted");
    host_frame_table[mfn].owner = d;
    host_frame_table[mfn].count_info = 1;
    memset(frame_va(mfn), 0, PAGE_SIZE);
    return mfn;
}

void *frame_va(mfn_t mfn)
{
    return host_ram + (mfn << PAGE_SHIFT);
}

unsigned long frame_refs(mfn_t mfn)
{
    return host_frame_table[mfn].count_info;
}

struct page_info *get_page_from_mfn(mfn_t mfn, struct domain *d)
{
    if ( mfn >= HOST_FRAMES || host_frame_table[mfn].owner != d ||
         d == NULL )
        return NULL;
    host_frame_table[mfn].count_info++;
    return &host_frame_table[mfn];
}

void put_page(struct page_info *pg)
{
    if ( pg->count_info == 0 )
        FAIL("put_page on a frame with no references");
    pg->count_info--;
}

/* The PV type rule register_vcpu_info relies on, reduced to its core: a
 * frame has one type at a time while that type is counted. */
bool mfn_in_frame_table(mfn_t mfn)
{
    return mfn < HOST_FRAMES;
}

int get_page_and_type(struct page_info *pg, struct domain *d,
                      unsigned long type)
{
    unsigned long count = pg->type_info & PGT_count_mask;

    if ( pg->owner != d || d == NULL || pg->count_info == 0 )
        return -EINVAL;
    if ( count != 0 && (pg->type_info & PGT_type_mask) != type )
        return -EINVAL;
    pg->count_info++;
    pg->type_info = type | (count + 1);
    return 0;
}

void put_page_and_type(struct page_info *pg)
{
    if ( (pg->type_info & PGT_count_mask) == 0 )
        FAIL("put_page_and_type on a frame with no type reference");
    pg->type_info--;
    put_page(pg);
}

/* ---- Guest memory ------------------------------------------------------- */

bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t end = va + len;

    if ( end < va )
        return false;
    if ( len == 0 || end <= 0x0000800000000000UL )
        return true;
    return va >= HYPERVISOR_AREA_END;
}

/* Only guest_mem is "mapped"; everything else faults. */
static void *guest_xlate(uint64_t va, size_t len)
{
    if ( !guest_range_ok(va, len) || va < GUEST_VA ||
         va + len > GUEST_VA + GUEST_SIZE )
        return NULL;
    return guest_mem + (va - GUEST_VA);
}

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
    void *src = guest_xlate(va, len);

    if ( src == NULL )
        return -EFAULT;
    memcpy(dst, src, len);
    return 0;
}

struct guest_write guest_write_log[16];
unsigned int guest_write_count;

void guest_writes_start(void)
{
    guest_write_count = 0;
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
    void *dst = guest_xlate(va, len);

    if ( dst == NULL )
        return -EFAULT;
    if ( guest_write_count < ARRAY_SIZE(guest_write_log) )
    {
        struct guest_write *w = &guest_write_log[guest_write_count];

        w->va = va;
        w->len = len;
        memset(w->data, 0, sizeof(w->data));
        memcpy(w->data, src, len < sizeof(w->data) ? len : sizeof(w->data));
    }
    guest_write_count++;
    memcpy(dst, src, len);
    return 0;
}

int copy_from_guest_index(void *dst, uint64_t va, size_t i, size_t size)
{
    if ( size && i > SIZE_MAX / size )
        return -EFAULT;
    return copy_from_guest(dst, va + i * size, size);
}

/* ---- Fake scheduler, domains, arch hooks --------------------------------- */

/* As in common/schedule.c: wake only unblocks, start brings a down vCPU
 * up; both count as wake-ups for the tests. */
void vcpu_wake(struct vcpu *v)
{
    sched_log.wakes++;
    if ( v->state == VCPU_BLOCKED )
        v->state = VCPU_RUNNABLE;
}

void vcpu_start(struct vcpu *v)
{
    sched_log.wakes++;
    if ( v->state == VCPU_DOWN )
        v->state = VCPU_RUNNABLE;
}

void vcpu_block(struct vcpu *v)
{
    sched_log.blocks++;
    v->state = VCPU_BLOCKED;
}

void vcpu_yield(void) { sched_log.yields++; }
void raise_schedule(unsigned int cpu) { (void)cpu; sched_log.raises++; }

void vcpu_down(struct vcpu *v)
{
    sched_log.downs++;
    v->state = VCPU_DOWN;
}

int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    sched_log.arch_ctx_calls++;
    if ( sched_log.arch_ctx_rc == 0 )
        v->arch.guest_table = xen_cr3_to_pfn(c->ctrlreg[3]);
    return (int)sched_log.arch_ctx_rc;
}

/* Physical IRQs (arch-hooks.h): pirq 20 is "mapped" for every domain;
 * the port it is bound to is recorded here (0: none). */
unsigned int pirq20_port;

int arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port)
{
    (void)d;
    if ( pirq != 20 )
        return -EINVAL;
    if ( pirq20_port != 0 )
        return -EEXIST;
    pirq20_port = port;
    return 0;
}

void arch_pirq_unbind(struct domain *d, unsigned int pirq)
{
    (void)d;
    if ( pirq == 20 )
        pirq20_port = 0;
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    sched_log.shutdowns++;
    sched_log.shutdown_reason = reason;
    sched_log.shutdown_domain = d;
}

struct domain *domain_lookup(domid_t id)
{
    for ( size_t i = 0; i < ARRAY_SIZE(domains); i++ )
        if ( domains[i] && domains[i]->domain_id == id )
        {
            domain_get(domains[i]);
            return domains[i];
        }
    return NULL;
}

void cpu_kick(unsigned int cpu)
{
    if ( cpu >= HOST_CPUS )
        FAIL("cpu_kick(%u): no such CPU", cpu);
    __atomic_add_fetch(&sched_log.kicks[cpu], 1, __ATOMIC_RELAXED);
}

/* The timer trace's steps (xen/arch-hooks.h path_trace): off here, as
 * without the boot option. */
bool opt_timer_trace;

void timer_trace_record(unsigned int e, uint64_t a, uint64_t b)
{
    FAIL("timer_trace_record(%u, %#lx, %#lx) with the trace off", e,
         (unsigned long)a, (unsigned long)b);
}

void arch_timer_program(unsigned int cpu, s_time_t deadline)
{
    (void)cpu;
    (void)deadline;
}

struct domain *dom_new(domid_t id, unsigned int nr_vcpus, bool privileged)
{
    struct domain *d = calloc(1, sizeof(*d));
    size_t slot;

    if ( d == NULL || nr_vcpus > MAX_VCPUS )
        FAIL("dom_new");
    d->domain_id = id;
    d->refcnt = 1;
    d->is_privileged = privileged;
    d->max_vcpus = nr_vcpus;
    spin_lock_init(&d->event_lock);
    d->shared_info_mfn = frame_alloc(d);
    d->shared_info = frame_va(d->shared_info_mfn);
    if ( evtchn_domain_init(d) != 0 )
        FAIL("evtchn_domain_init");
    for ( unsigned int i = 0; i < nr_vcpus; i++ )
    {
        struct vcpu *v = calloc(1, sizeof(*v));

        if ( v == NULL )
            FAIL("calloc");
        v->vcpu_id = i;
        v->domain = d;
        v->processor = i % HOST_CPUS;
        v->state = VCPU_DOWN;
        if ( i < MAX_VIRT_CPUS )
            v->vcpu_info = &d->shared_info->vcpu_info[i];
        vcpu_timers_init(v);
        d->vcpu[i] = v;
    }
    for ( slot = 0; slot < ARRAY_SIZE(domains) && domains[slot]; slot++ )
        ;
    if ( slot == ARRAY_SIZE(domains) )
        FAIL("too many domains");
    domains[slot] = d;
    d->next_in_list = domain_list;
    domain_list = d;
    return d;
}

void dom_destroy(struct domain *d)
{
    evtchn_domain_destroy(d);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        vcpu_events_destroy(d->vcpu[i]);
    for ( size_t i = 0; i < ARRAY_SIZE(domains); i++ )
        if ( domains[i] == d )
            domains[i] = NULL;
}

void set_current(struct vcpu *v)
{
    host_cpu_info.current_vcpu = v;
    host_cpu_info.cpu_id = v->processor;
    v->state = VCPU_RUNNING;
    v->arch.kernel_mode = true;         /* in a hypercall from its kernel */
}

void set_cpu(unsigned int cpu)
{
    host_cpu_info.cpu_id = cpu;
}

/* ---- Hypercall wrappers ------------------------------------------------- */

long evtchn_op(unsigned int cmd, void *arg, size_t size)
{
    long rc;

    memcpy(gptr(ARG_OFFSET), arg, size);
    rc = do_event_channel_op(cmd, gva(ARG_OFFSET), 0, 0, 0);
    memcpy(arg, gptr(ARG_OFFSET), size);
    return rc;
}

long vcpu_op(unsigned int cmd, unsigned int vcpuid, void *arg, size_t size)
{
    long rc;

    if ( arg == NULL )
        return do_vcpu_op(cmd, vcpuid, 0, 0, 0);
    memcpy(gptr(ARG_OFFSET), arg, size);
    rc = do_vcpu_op(cmd, vcpuid, gva(ARG_OFFSET), 0, 0);
    memcpy(arg, gptr(ARG_OFFSET), size);
    return rc;
}

long sched_op(unsigned int cmd, void *arg, size_t size)
{
    long rc;

    if ( arg == NULL )
        return do_sched_op(cmd, 0, 0, 0, 0);
    memcpy(gptr(ARG_OFFSET), arg, size);
    rc = do_sched_op(cmd, gva(ARG_OFFSET), 0, 0, 0);
    memcpy(arg, gptr(ARG_OFFSET), size);
    return rc;
}

unsigned int ev_alloc_unbound(domid_t dom, domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a));

    if ( rc != 0 )
        FAIL("alloc_unbound(%u, %u): %ld", dom, remote, rc);
    return a.port;
}

unsigned int ev_bind_virq(unsigned int virq, unsigned int vcpu)
{
    struct evtchn_bind_virq a = { .virq = virq, .vcpu = vcpu };
    long rc = evtchn_op(EVTCHNOP_bind_virq, &a, sizeof(a));

    if ( rc != 0 )
        FAIL("bind_virq(%u, %u): %ld", virq, vcpu, rc);
    return a.port;
}

unsigned int ev_bind_ipi(unsigned int vcpu)
{
    struct evtchn_bind_ipi a = { .vcpu = vcpu };
    long rc = evtchn_op(EVTCHNOP_bind_ipi, &a, sizeof(a));

    if ( rc != 0 )
        FAIL("bind_ipi(%u): %ld", vcpu, rc);
    return a.port;
}

unsigned int ev_bind_interdomain(domid_t remote, unsigned int rport)
{
    struct evtchn_bind_interdomain a = { .remote_dom = remote,
                                         .remote_port = rport };
    long rc = evtchn_op(EVTCHNOP_bind_interdomain, &a, sizeof(a));

    if ( rc != 0 )
        FAIL("bind_interdomain(%u, %u): %ld", remote, rport, rc);
    return a.local_port;
}

/* ---- Shared-info views -------------------------------------------------- */

bool port_pending(struct domain *d, unsigned int port)
{
    return test_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
}

bool port_masked(struct domain *d, unsigned int port)
{
    return test_bit(port, (unsigned long *)d->shared_info->evtchn_mask);
}

void port_mask(struct domain *d, unsigned int port, bool masked)
{
    if ( masked )
        set_bit(port, (unsigned long *)d->shared_info->evtchn_mask);
    else
        clear_bit(port, (unsigned long *)d->shared_info->evtchn_mask);
}

void port_clear_pending(struct domain *d, unsigned int port)
{
    clear_bit(port, (unsigned long *)d->shared_info->evtchn_pending);
}

void clear_upcalls(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        struct vcpu_info *vi = d->vcpu[i]->vcpu_info;

        if ( vi )
        {
            vi->evtchn_upcall_pending = 0;
            vi->evtchn_pending_sel = 0;
        }
    }
}

/* ---- Time --------------------------------------------------------------- */

uint64_t rdtsc(void)
{
    return __atomic_load_n(&fake_tsc, __ATOMIC_SEQ_CST);
}

void set_tsc(uint64_t tsc)
{
    __atomic_store_n(&fake_tsc, tsc, __ATOMIC_SEQ_CST);
}

uint64_t get_tsc(void)
{
    return rdtsc();
}

void set_now(s_time_t ns)
{
    set_tsc(boot_tsc + (uint64_t)ns);
}

void run_timers(unsigned int cpu, s_time_t now)
{
    set_now(now);
    timer_run(cpu, now);
}

void run_all_timers(s_time_t now)
{
    for ( unsigned int cpu = 0; cpu < HOST_CPUS; cpu++ )
        run_timers(cpu, now);
}

/* ---- CMOS --------------------------------------------------------------- */

static uint8_t cmos_index;

void outb(uint16_t port, uint8_t v)
{
    if ( port != 0x70 )
        FAIL("outb(%#x): unexpected port", port);
    cmos_index = v & 0x7f;
}

uint8_t inb(uint16_t port)
{
    if ( port != 0x71 )
        FAIL("inb(%#x): unexpected port", port);
    if ( cmos_index == 0x0a )
    {
        if ( cmos.uip_stuck )
            return 0x80;
        if ( cmos.uip_reads )
        {
            cmos.uip_reads--;
            return 0x80;
        }
        return 0x26;
    }
    cmos.data_reads++;
    if ( cmos.change_after && cmos.data_reads == cmos.change_after )
    {
        memcpy(cmos.reg, cmos.reg_after, sizeof(cmos.reg));
        cmos.change_after = 0;
    }
    return cmos.reg[cmos_index];
}

/* ---- main --------------------------------------------------------------- */

static void case_setup(const char *name)
{
    (void)name;
    machine_setup();
}

static void case_failed(void)
{
    fprintf(stderr, "--- printk output:\n");
    printk_dump(stderr);
}

/* The test files' tables, each ended by { NULL, NULL }. */
extern const struct test_case evtchn_cases[];
extern const struct test_case evtchn_delivery_cases[];
extern const struct test_case time_cases[];
extern const struct test_case vcpuop_cases[];
extern const struct test_case schedop_cases[];

int main(int argc, char **argv)
{
    static const struct test_group groups[] = {
        { NULL, evtchn_cases }, { NULL, evtchn_delivery_cases },
        { NULL, time_cases }, { NULL, vcpuop_cases },
        { NULL, schedop_cases }, { NULL, NULL },
    };
    /* The per-case watchdog is for a case that hangs.  It must outlast
     * handler-race-loses-nothing's own progress check (no event handled
     * for RACE_STALL_SECONDS, 120 s): on a busy host that case's two
     * yielding threads get little CPU (under ASan at load 30 it was still
     * progressing when a 30 s watchdog killed it), and slowness is not a
     * failure. */
    static const struct test_suite suite = {
        .name = SUITE_NAME, .groups = groups, .timeout_s = 180,
        .setup = case_setup, .on_fail = case_failed,
    };

    return run_suite(&suite, argc, argv);
}
