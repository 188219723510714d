/* Host versions of everything the PV memory-management code calls outside
 * itself, the host machine, fixtures and main. */

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
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/domain-page.h>
#include <asm/bootinfo.h>
#include <asm/pv-mm.h>


/* Things the real hypervisor defines elsewhere. */
mfn_t max_mfn;
pte_t idle_pg_table[512];
struct boot_info boot_info;
struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
volatile uint64_t cpu_online_mask = 1;

unsigned long flushes_all, flushes_one, flushes_cache, cr3_reloads;
uint64_t last_flush_mask;


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
    v->vcpu_info_mfn = INVALID_MFN;     /* in shared_info, as at creation */
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

/* ---- the machine ------------------------------------------------------- */

void machine_setup(void)
{
    host_machine_alloc(HOST_FRAMES);
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

/* ---- main --------------------------------------------------------------- */

static void case_setup(const char *name)
{
    (void)name;
    machine_setup();
}

/* The test files' tables, each ended by { NULL, NULL }. */
extern const struct test_case type_cases[];
extern const struct test_case hypercall_cases[];
extern const struct test_case emul_cases[];
extern const struct test_case grant_cases[];
extern const struct test_case grant_more_cases[];
extern const struct test_case memory_cases[];
extern const struct test_case ioperm_cases[];

int main(int argc, char **argv)
{
    static const struct test_group groups[] = {
        { "types", type_cases }, { "hypercalls", hypercall_cases },
        { "emul", emul_cases }, { "memory", memory_cases },
        { "grant", grant_cases }, { "grant", grant_more_cases },
        { "ioperm", ioperm_cases },
        { NULL, NULL },
    };
    static const struct test_suite suite = {
        .name = SUITE_NAME, .groups = groups, .timeout_s = 60,
        .setup = case_setup,
    };

    return run_suite(&suite, argc, argv);
}

/* The machine's APIC addresses io-perm.c keeps from guests: the
 * architectural local APIC page, one IO-APIC at the usual address. */
#include <asm/acpi.h>
#include <asm/apic.h>
paddr_t lapic_phys = 0xfee00000;
struct acpi_info acpi_info = { .nr_ioapics = 1, .ioapic_addr = { 0xfec00000 } };

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

/* FIFO event channels are not compiled into this harness (the xen-events
 * harness tests them), so no domain here has FIFO frames to report. */
unsigned long evtchn_fifo_audit_refs(const struct domain *d, mfn_t mfn)
{
    (void)d;
    (void)mfn;
    return 0;
}
