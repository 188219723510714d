/*
 * tlbstress: cross-vCPU TLB shootdowns when a page changes type, with the
 * two vCPUs on different physical CPUs at the same moment (pinned there
 * with setvcpuaffinity; booted with mm_audit, so the frame audit runs at
 * the end).
 *
 * vCPU 1 writes a rising even number into one slot of page P through its
 * kernel mapping, as fast as it can (a fault just counts).  vCPU 0, each
 * round: maps P writable (flushing everywhere) and waits until vCPU 1 has
 * written through it, so CPU 1's TLB holds a writable entry; remaps P
 * read-only flushing only its own TLB (the guest "forgets" vCPU 1); pins
 * P as an L1 page table, which the hypervisor must only do after no CPU
 * can still write P (its flush when a frame leaves "writable"); reads
 * the slot; waits until vCPU 1 has faulted a few times; reads it again.
 * A write landing in between came through a stale writable TLB entry
 * into a validated page table: the two reads must agree, every round.
 * Then it unpins P for the next round.  Also checks that pinning P while
 * it is still mapped writable is refused.
 */
#include "guest.h"
#include "public/dom0_op.h"

#define ROUNDS 200
#define SLOT   17
#define SPIN   20000000UL      /* bound on every wait (iterations) */

static struct xen_dom0_op op;
static volatile uint64_t *page;
static volatile unsigned long writes, faults;
static volatile int stop;

static long pin_vcpu(unsigned int vcpu, uint8_t mask)
{
    static uint8_t map[1];

    map[0] = mask;
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_setvcpuaffinity;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.vcpuaffinity.domid = 0;
    op.u.vcpuaffinity.vcpu = vcpu;
    op.u.vcpuaffinity.cpumap = HC_PTR(map);
    op.u.vcpuaffinity.nr_bits = 8;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static int cpu_of(unsigned int vcpu)
{
    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOM0_getvcpuinfo;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    op.u.vcpuinfo.domid = 0;
    op.u.vcpuinfo.vcpu = vcpu;
    if ( hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op)) )
        return -1;
    return op.u.vcpuinfo.running ? (int)op.u.vcpuinfo.cpu : -1;
}

static void toucher(unsigned int cpu, void *arg)
{
    uint64_t val = 2;

    (void)cpu;
    (void)arg;
    while ( !stop )
    {
        if ( probe_write(&page[SLOT], val) < 0 )     /* -1: no trap */
        {
            writes++;
            val += 2;           /* even: a not-present PTE if it lands */
        }
        else
            faults++;
    }
}

static long mmuext(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op o = { .cmd = cmd, .arg1.mfn = mfn };

    return hv_mmuext_op(&o, 1, NULL, DOMID_SELF);
}

/* Wait until *counter moved by at least n; 0 if it did not (bounded). */
static int wait_moved(volatile unsigned long *counter, unsigned long n)
{
    unsigned long start = *counter;

    for ( unsigned long i = 0; i < SPIN; i++ )
    {
        if ( *counter - start >= n )
            return 1;
        cpu_relax();
    }
    return 0;
}

void test_main(void)
{
    uint64_t mfn, rw_pte, ro_pte, *l1e;
    unsigned int stale = 0, stuck = 0, pinned = 0, r;
    int c0 = -1, c1 = -1;

    setup(SETUP_EVENTS);
    if ( smp_nr_vcpus() < 2 )
        test_abort("tlbstress: vCPUs", "need 2 vCPUs, have %u", smp_nr_vcpus());
    page = page_alloc();
    mfn = virt_to_mfn((void *)page);
    l1e = pte_lookup((unsigned long)page, 1, NULL);
    if ( l1e == NULL )
        test_abort("tlbstress: pte", "no L1 entry for the page");
    rw_pte = (*l1e & ~0xfff0000000000fffUL) | PTE_P | PTE_RW | PTE_A | PTE_D |
             (*l1e & PTE_US);
    ro_pte = rw_pte & ~PTE_RW;

    CHECK_EQ(pin_vcpu(0, 1), 0, "pin vCPU 0 to CPU 0");
    CHECK_EQ(pin_vcpu(1, 2), 0, "pin vCPU 1 to CPU 1");
    hv_sched_op(SCHEDOP_yield, NULL);
    CHECK_EQ(smp_start(1, toucher, NULL), 0, "start the toucher on vCPU 1");
    CHECK(wait_moved(&writes, 10), "vCPU 1 writes the page");
    for ( unsigned int i = 0; i < 1000 && (c0 < 0 || c1 < 0); i++ )
    {
        if ( c0 < 0 )
            c0 = cpu_of(0);
        if ( c1 < 0 )
            c1 = cpu_of(1);
    }
    CHECK(c0 == 0 && c1 == 1, "the two vCPUs run on CPUs 0 and 1 at once");
    CHECK_ERR(mmuext(MMUEXT_PIN_L1_TABLE, mfn),
              "pinning a page that is mapped writable is refused");

    for ( r = 0; r < ROUNDS; r++ )
    {
        uint64_t s1, s2;

        if ( hv_update_va_mapping((unsigned long)page, rw_pte, UVMF_INVLPG | UVMF_ALL) ||
             !wait_moved(&writes, 2) )
        {
            stuck++;
            break;
        }
        /* Read-only, flushing only our own TLB: CPU 1 may still hold the
         * writable entry. */
        if ( hv_update_va_mapping((unsigned long)page, ro_pte, UVMF_INVLPG) )
        {
            stuck++;
            break;
        }
        if ( mmuext(MMUEXT_PIN_L1_TABLE, mfn) )
        {
            stuck++;
            break;
        }
        pinned++;
        s1 = page[SLOT];
        if ( !wait_moved(&faults, 3) )
            stuck++;
        s2 = page[SLOT];
        if ( s1 != s2 )
        {
            stale++;
            printf("round %u: slot was %#lx after the pin, %#lx later\n",
                   r, s1, s2);
        }
        if ( mmuext(MMUEXT_UNPIN_TABLE, mfn) )
            stuck++;
        if ( stale || stuck )
            break;              /* one is enough; later rounds would only
                                   wait out their bounds */
    }
    printf("tlbstress: %u rounds pinned, %lu writes, %lu faults\n", pinned,
           writes, faults);
    CHECK_EQ(pinned, ROUNDS, "every round retyped the page writable -> L1 -> writable");
    CHECK_EQ(stuck, 0, "no round got stuck (vCPU 1 kept writing and faulting)");
    CHECK_EQ(stale, 0, "no write reached the page after it became a page table");

    stop = 1;
    CHECK_EQ(smp_wait_all(30000000000ULL), 0, "the toucher stops");
    CHECK_EQ(hv_update_va_mapping((unsigned long)page, rw_pte, UVMF_INVLPG | UVMF_ALL), 0,
             "the page is writable again");
    pin_vcpu(0, 3);
    pin_vcpu(1, 3);
}
