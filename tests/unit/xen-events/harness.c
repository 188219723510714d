/* The host machine under the xen-events unit tests (see harness.h) and the
 * per-case fork runner. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

#ifndef SUITE_PREFIX
#define SUITE_PREFIX "xen-events"
#endif
#define CASE_TIMEOUT_S 30
#define ARG_OFFSET     0x100        /* where hypercall arguments go */

struct page_info *host_frame_table;
unsigned char *host_ram;
unsigned char *guest_mem;
static unsigned long next_frame = 1;    /* frame 0 stays unused */

__thread struct cpu_info host_cpu_info;
struct sched_log sched_log;
struct fake_cmos cmos;

struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
struct domain *hardware_domain;
s_time_t (*console_time_source)(void);

static struct domain *domains[16];
static uint64_t fake_tsc;
static uint64_t rng_state;
static char printk_log[16384];
static size_t printk_len;
static int result_fd = -1;
static const char *current_case;

/* ---- Machine ------------------------------------------------------------ */

static void machine_setup(void)
{
    void *ram = mmap(NULL, HOST_FRAMES << PAGE_SHIFT, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    host_frame_table = calloc(HOST_FRAMES, sizeof(struct page_info));
    guest_mem = calloc(1, GUEST_SIZE);
    if ( ram == MAP_FAILED || host_frame_table == NULL || guest_mem == NULL )
        FAIL("out of host memory");
    host_ram = ram;
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

/* ---- Allocation, printk, panic ------------------------------------------ */

void *xmalloc_bytes(size_t size) { return malloc(size); }
void *xzalloc_bytes(size_t size) { return calloc(1, size); }
void xfree(void *p) { free(p); }

void *xmalloc_array_bytes(size_t size, size_t n)
{
    return n && size > SIZE_MAX / n ? NULL : malloc(size * n);
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
    return n && size > SIZE_MAX / n ? NULL : calloc(n, size);
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    size_t len = strlen(buf);

    if ( printk_len + len >= sizeof(printk_log) )
        printk_len = 0;
    memcpy(printk_log + printk_len, buf, len + 1);
    printk_len += len;
    if ( getenv("XEN_EVENTS_VERBOSE") )
        fprintf(stderr, "  printk: %s", buf);
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

void panic(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    FAIL("panic: %s", msg);
}

bool printk_seen(const char *substring)
{
    return strstr(printk_log, substring) != NULL;
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

void domain_shutdown(struct domain *d, unsigned int reason)
{
    sched_log.shutdowns++;
    sched_log.shutdown_reason = reason;
    sched_log.shutdown_domain = d;
}

void domain_get(struct domain *d);

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

/* The reference rules of common/domain.c, without the free: the harness
 * owns its domains (each starts with the list's reference). */
void domain_get(struct domain *d)
{
    __atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
    if ( __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST) == (unsigned int)-1 )
        FAIL("domain_put without a reference (d%u)", d->domain_id);
}

struct domain *domain_lookup_for(struct domain *caller, domid_t id, int *err)
{
    struct domain *d;

    if ( id == DOMID_SELF || id == caller->domain_id )
    {
        domain_get(caller);
        return caller;
    }
    if ( !caller->is_privileged )
    {
        *err = -EPERM;
        return NULL;
    }
    d = domain_lookup(id);
    if ( d == NULL )
        *err = -ESRCH;
    return d;
}

void cpu_kick(unsigned int cpu)
{
    if ( cpu >= HOST_CPUS )
        FAIL("cpu_kick(%u): no such CPU", cpu);
    __atomic_add_fetch(&sched_log.kicks[cpu], 1, __ATOMIC_RELAXED);
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

/* ---- Random numbers ----------------------------------------------------- */

uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* ---- Running cases ------------------------------------------------------ */

void case_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    int n;
    va_list ap;

    n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    fprintf(stderr, "--- %s failed: %s\n--- printk output:\n%s\n",
            current_case, msg, printk_log);
    if ( result_fd >= 0 && write(result_fd, msg, strlen(msg)) < 0 )
        perror("write");
    _exit(1);
}

static bool run_case(const struct test_case *tc)
{
    char why[1024];
    ssize_t got = 0, n;
    int fds[2], status;
    pid_t pid;

    if ( pipe(fds) != 0 )
    {
        perror("pipe");
        exit(2);
    }
    fflush(NULL);
    if ( (pid = fork()) < 0 )
    {
        perror("fork");
        exit(2);
    }
    if ( pid == 0 )
    {
        close(fds[0]);
        result_fd = fds[1];
        current_case = tc->name;
        rng_state = 0x9e3779b97f4a7c15ULL;
        for ( const char *p = tc->name; *p; p++ )
            rng_state = (rng_state ^ (unsigned char)*p) * 0x100000001b3ULL;
        alarm(CASE_TIMEOUT_S);
        machine_setup();
        tc->run();
        exit(0);
    }
    close(fds[1]);
    while ( got < (ssize_t)sizeof(why) - 1 &&
            (n = read(fds[0], why + got, sizeof(why) - 1 - got)) > 0 )
        got += n;
    why[got] = '\0';
    close(fds[0]);
    if ( waitpid(pid, &status, 0) < 0 )
    {
        perror("waitpid");
        exit(2);
    }
    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == 0 )
    {
        printf("PASS: %s/%s\n", SUITE_PREFIX, tc->name);
        return true;
    }
    if ( got == 0 )
        snprintf(why, sizeof(why), WIFSIGNALED(status) ?
                 "killed by signal %d" : "exit status %d (sanitizer?)",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    printf("FAIL: %s/%s: %s\n", SUITE_PREFIX, tc->name, why);
    return false;
}

int main(int argc, char **argv)
{
    static const struct test_case *const tables[] = {
        evtchn_cases, time_cases, vcpuop_cases, schedop_cases,
    };
    unsigned int failed = 0, ran = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( size_t t = 0; t < ARRAY_SIZE(tables); t++ )
        for ( const struct test_case *tc = tables[t]; tc->name; tc++ )
        {
            bool wanted = argc <= 1;

            for ( int i = 1; i < argc; i++ )
                wanted |= strstr(tc->name, argv[i]) != NULL;
            if ( !wanted )
                continue;
            ran++;
            failed += !run_case(tc);
        }
    if ( ran == 0 )
    {
        printf("FAIL: %s: no test case matched\n", SUITE_PREFIX);
        return 1;
    }
    return failed ? 1 : 0;
}
