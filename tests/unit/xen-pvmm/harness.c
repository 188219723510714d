/* Host versions of everything the PV memory-management code calls outside
 * itself, the host machine, fixtures and the per-case fork runner. */

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include <xen/lib.h>
#include <xen/hypercall.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/domain-page.h>
#include <asm/bootinfo.h>
#include <asm/pv-mm.h>

#ifndef SUITE_PREFIX
#define SUITE_PREFIX "xen-pvmm"
#endif
#define CASE_TIMEOUT_S 60

struct page_info *host_frame_table;
unsigned char *host_ram;
struct cpu_info host_cpu_info;

/* Things the real hypervisor defines elsewhere. */
mfn_t max_mfn;
pte_t idle_pg_table[512];
struct boot_info boot_info;
struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
volatile uint64_t cpu_online_mask = 1;

jmp_buf panic_jmp;
volatile int panic_armed;
char panic_msg[512];

unsigned long flushes_all, flushes_one, flushes_cache, cr3_reloads;
uint64_t last_flush_mask;

static char log_buf[65536];
static size_t log_len;
static int result_fd = -1;
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* ---- printk / panic ---------------------------------------------------- */

int vprintk(const char *fmt, va_list ap)
{
    char msg[1024];
    int n = vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t l = strlen(msg);

    if ( log_len + l + 1 >= sizeof(log_buf) )
        log_len = 0;
    memcpy(log_buf + log_len, msg, l + 1);
    log_len += l;
    if ( getenv("XEN_PVMM_VERBOSE") )
        fputs(msg, stderr);
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

bool printk_seen(const char *s)
{
    return strstr(log_buf, s) != NULL;
}

void printk_clear(void)
{
    log_len = 0;
    log_buf[0] = 0;
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    if ( panic_armed )
    {
        panic_armed = 0;
        longjmp(panic_jmp, 1);
    }
    FAIL("panic: %s", panic_msg);
}

/* ---- guest memory: host pointers, the first page always faults -------- */

bool guest_range_ok(uint64_t va, size_t len)
{
    return va >= 4096 && va + len >= va;
}

int copy_from_guest(void *dst, uint64_t va, size_t len)
{
    if ( !guest_range_ok(va, len) )
        return -EFAULT;
    memcpy(dst, (const void *)(uintptr_t)va, len);
    return 0;
}

int copy_to_guest(uint64_t va, const void *src, size_t len)
{
    if ( !guest_range_ok(va, len) )
        return -EFAULT;
    memcpy((void *)(uintptr_t)va, src, len);
    return 0;
}

int clear_guest(uint64_t va, size_t len)
{
    if ( !guest_range_ok(va, len) )
        return -EFAULT;
    memset((void *)(uintptr_t)va, 0, len);
    return 0;
}

int copy_from_guest_index(void *dst, uint64_t va, size_t i, size_t size)
{
    if ( size && i > (SIZE_MAX / size) )
        return -EFAULT;
    return copy_from_guest(dst, va + i * size, size);
}

int copy_to_guest_index(uint64_t va, size_t i, const void *src, size_t size)
{
    if ( size && i > (SIZE_MAX / size) )
        return -EFAULT;
    return copy_to_guest(va + i * size, src, size);
}

/* ---- flushes (pv/mm-flush.c in the hypervisor) ------------------------- */

void flush_tlb_mask(uint64_t m) { flushes_all++; last_flush_mask = m; }
/* The TLB-flush clock (asm/flushtlb.h): no CPU ever flushed, so every
 * filtered flush still reaches every CPU and the counts above hold. */
uint64_t tlbflush_clock = 1;
uint64_t tlbflush_time[NR_CPUS];
void flush_tlb_one_mask(uint64_t m, unsigned long va)
{
    (void)va;
    flushes_one++;
    last_flush_mask = m;
}
void flush_cache_mask(uint64_t m) { flushes_cache++; last_flush_mask = m; }
void flush_tlb_local_guest(void) { flushes_all++; last_flush_mask = 1; }
void flush_tlb_one_local(unsigned long va) { (void)va; flushes_one++; last_flush_mask = 1; }
void flush_tlb_poll(void) { }
uint64_t pv_all_cpus(void) { return cpu_online_mask; }
void pv_reload_cr3(struct vcpu *v) { if ( v == current ) cr3_reloads++; }

uint64_t pv_vcpumask_to_cpumask(const struct domain *d, uint64_t vcpumask)
{
    uint64_t cpus = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && i < 64; i++ )
        if ( d->vcpu[i] && (vcpumask & (1UL << i)) )
            cpus |= 1UL << d->vcpu[i]->processor;
    return cpus;
}

/* ---- domains ----------------------------------------------------------- */

void domain_get(struct domain *d);

struct domain *domain_lookup(domid_t id)
{
    for ( struct domain *d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id && d->state != DOMAIN_DYING )
        {
            domain_get(d);
            return d;
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

struct domain *new_domain(domid_t id, bool privileged, unsigned long max_pages)
{
    struct domain *d = calloc(1, sizeof(*d));

    if ( d == NULL )
        FAIL("out of host memory");
    d->domain_id = id;
    d->refcnt = 1;
    d->is_privileged = privileged;
    d->max_pages = max_pages;
    d->state = DOMAIN_RUNNING;
    spin_lock_init(&d->lock);
    list_init(&d->page_list);
    d->arch.vm_assist = 1UL << VMASST_TYPE_writable_pagetables;
    d->next_in_list = domain_list;
    domain_list = d;
    return d;
}

struct vcpu *new_vcpu(struct domain *d, unsigned int id)
{
    struct vcpu *v = calloc(1, sizeof(*v));

    if ( v == NULL )
        FAIL("out of host memory");
    v->vcpu_id = id;
    v->domain = d;
    v->processor = id;
    v->arch.kernel_mode = true;
    d->vcpu[id] = v;
    if ( d->max_vcpus <= id )
        d->max_vcpus = id + 1;
    return v;
}

void set_current(struct vcpu *v)
{
    host_cpu_info.current_vcpu = v;
}

mfn_t domain_frame(struct domain *d)
{
    struct page_info *pg = alloc_domheap_pages(d, 0);

    if ( pg == NULL )
        FAIL("alloc_domheap_pages(d%u) failed", d->domain_id);
    memset(page_to_virt(pg), 0, PAGE_SIZE);
    return page_to_mfn(pg);
}

pte_t *frame_va(mfn_t mfn)
{
    return maddr_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

void build_tree(struct domain *d, struct tree *t)
{
    t->l4 = domain_frame(d);
    t->l3 = domain_frame(d);
    t->l2 = domain_frame(d);
    t->l1 = domain_frame(d);
    t->data = domain_frame(d);
    frame_va(t->l4)[0] = mkpte(t->l3, TBL);
    frame_va(t->l3)[0] = mkpte(t->l2, TBL);
    frame_va(t->l2)[0] = mkpte(t->l1, TBL);
    frame_va(t->l1)[0] = mkpte(t->data, PTE_RW);
    frame_va(t->l1)[1] = mkpte(t->l1, PTE_RO);
    frame_va(t->l1)[2] = mkpte(t->l4, PTE_RO);
}

unsigned long gen_count(mfn_t m)
{
    return mfn_to_page(m)->count_info & PGC_count_mask;
}

unsigned long type_count(mfn_t m)
{
    return mfn_to_page(m)->type_info & PGT_count_mask;
}

unsigned long type_of(mfn_t m)
{
    return mfn_to_page(m)->type_info & PGT_type_mask;
}

unsigned long free_frames(void)
{
    return heap_free_pages();
}

uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* ---- the machine ------------------------------------------------------- */

void machine_setup(void)
{
    size_t bytes = HOST_FRAMES << PAGE_SHIFT;
    void *ram;

    host_frame_table = calloc(HOST_FRAMES, sizeof(struct page_info));
    ram = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if ( host_frame_table == NULL || ram == MAP_FAILED )
        FAIL("no host memory for the machine");
    host_ram = ram;
    max_mfn = HOST_FRAMES;
    boot_info.nr_mmap = 3;
    boot_info.mmap[0] = (struct boot_mmap_entry){ 0, 0xa0000, E820_RAM };
    boot_info.mmap[1] = (struct boot_mmap_entry){ 0xa0000, 0x60000, E820_RESERVED };
    boot_info.mmap[2] = (struct boot_mmap_entry){ 0x100000,
        (HOST_FRAMES << PAGE_SHIFT) - 0x100000, E820_RAM };
    heap_set_max_mfn(HOST_FRAMES - 1);
    heap_init_region(0x100000, HOST_FRAMES << PAGE_SHIFT);
    m2p_init();
}

/* ---- case runner ------------------------------------------------------- */

void case_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    if ( result_fd >= 0 )
    {
        ssize_t w = write(result_fd, msg, strlen(msg));
        (void)w;
    }
    _exit(1);
}

static int run_case(const char *group, const struct test_case *tc)
{
    int pfd[2];
    pid_t pid;
    int status;
    char why[1024] = "";
    ssize_t n;

    if ( pipe(pfd) )
        return 1;
    pid = fork();
    if ( pid == 0 )
    {
        close(pfd[0]);
        result_fd = pfd[1];
        alarm(CASE_TIMEOUT_S);
        machine_setup();
        tc->run();
        _exit(0);
    }
    close(pfd[1]);
    n = read(pfd[0], why, sizeof(why) - 1);
    why[n > 0 ? n : 0] = 0;
    close(pfd[0]);
    waitpid(pid, &status, 0);
    if ( WIFEXITED(status) && WEXITSTATUS(status) == 0 && why[0] == 0 )
    {
        printf("PASS: %s/%s/%s\n", SUITE_PREFIX, group, tc->name);
        return 0;
    }
    if ( why[0] == 0 )
        snprintf(why, sizeof(why), "child %s %d",
                 WIFSIGNALED(status) ? "killed by signal" : "exited with",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    printf("FAIL: %s/%s/%s: %s\n", SUITE_PREFIX, group, tc->name, why);
    return 1;
}

int main(int argc, char **argv)
{
    static const struct { const char *name; const struct test_case *cases; } groups[] = {
        { "types", type_cases },
        { "hypercalls", hypercall_cases },
        { "emul", emul_cases },
        { "memory", memory_cases },
    };
    int failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for ( size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++ )
        for ( const struct test_case *tc = groups[g].cases; tc->name; tc++ )
        {
            if ( argc > 1 && strstr(tc->name, argv[1]) == NULL )
                continue;
            failed |= run_case(groups[g].name, tc);
        }
    return failed;
}

/* Hypervisor perf counters: not under test here. */
#include <xen/perfc.h>
void perfc_incr(enum perfc_id id) { (void)id; }

/* ---- continuations ------------------------------------------------------ */

/* The harness never preempts: batches run to the end in one call, as the
 * tests expect (the continuation path is covered by tests/guests/preempt). */
bool hypercall_preempt_check(void)
{
    return false;
}

long hypercall_create_continuation(unsigned int nr, unsigned long a1,
                                   unsigned long a2, unsigned long a3,
                                   unsigned long a4, unsigned long a5)
{
    (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    FAIL("continuation of hypercall %u without a preemption", nr);
    return nr;
}
