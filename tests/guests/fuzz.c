/*
 * fuzz: 10,000 hypercalls with random numbers (0..63) and random
 * arguments: wild pointers into the hypervisor hole, non-canonical and
 * unmapped addresses, huge counts, and pointers into a scratch area filled
 * with random words.  The guest must survive every one, and so must the
 * hypervisor.
 *
 * What is excluded or tamed, and why (the rest is fully random):
 *  - iret (23): it legitimately redirects the guest to a random frame.
 *  - sched_op/sched_op_compat shutdown, shutdown_code, remote_shutdown,
 *    watchdog: they legitimately end the domain (or arm its death); block
 *    and poll: they legitimately sleep for ever with nothing armed.
 *  - vcpu_op down, initialise, up, send_nmi: vCPU 0 down hangs the
 *    domain; a second vCPU started at a random RIP or an NMI is a guest
 *    bug, not a hypervisor one.  register_vcpu_info: would let the
 *    hypervisor write time updates into a random frame of ours.
 *  - event_channel_op init_control and expand_array: the same for FIFO
 *    control blocks and event words (and they switch us to that ABI).
 *  - memory_op decrease_reservation, exchange, remove_from_physmap and
 *    grant_table_op transfer: they legitimately take frames away from us.
 *  - physdev_op apic_write: dom0 may legitimately reprogram the IO-APIC.
 *  - Frames and virtual addresses of our own memory are redirected to the
 *    scratch frames (mmu_update, mmuext_op, update_va_mapping*,
 *    update_descriptor, set_gdt, ...): a correct hypervisor lets a guest
 *    overwrite its own page tables and data, which would kill it.
 *  - Counts are clamped when their buffer is the scratch area, because a
 *    correct hypervisor writes per-entry results past it into our memory.
 *  - platform_op, sysctl and dom0_op structs in scratch get a wrong
 *    interface_version, so dangerous privileged commands (ACPI sleep,
 *    destroying dom0) are always refused; console_io writes from scratch
 *    are limited to 64 printable bytes so no fake PASS/FAIL line appears.
 * After every call the trap table, callbacks, debug registers, virtual
 * TS and the scratch mappings are put back.
 */
#include "guest.h"

#define ITERATIONS 10000
#define SCRATCH_PAGES 4
#define DATA_BYTES (2 * PAGE_SIZE) /* pages 0-1: pointer targets */

static uint8_t scratch[SCRATCH_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint64_t scratch_pte[SCRATCH_PAGES];
static unsigned long max_mfn;
static uint64_t rng_state;

extern char image_start[], text_end[];

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static int in_scratch(uint64_t v)
{
    return v >= (uint64_t)scratch && v < (uint64_t)scratch + sizeof(scratch);
}

static int own_mfn(uint64_t mfn)
{
    uint64_t pfn;

    if (mfn > max_mfn || probe_read(&m2p[mfn], &pfn) != -1)
        return 0;
    return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

/* Keep random values off our own frames and memory (see the top). */
static uint64_t tame(uint64_t v)
{
    if (v >= GUEST_VIRT_BASE && !in_scratch(v))
        return (uint64_t)scratch + (v % DATA_BYTES);
    if (own_mfn(v))
        return virt_to_mfn(scratch[v % SCRATCH_PAGES]);
    if (own_mfn((v & PTE_ADDR_MASK) >> PAGE_SHIFT))
        return (v & ~PTE_ADDR_MASK) | (virt_to_mfn(scratch[v % SCRATCH_PAGES]) << PAGE_SHIFT);
    return v;
}

static uint64_t random_value(void)
{
    uint64_t r = rnd();

    switch (r % 14) {
    case 0: return 0;
    case 1: return rnd() % 16;
    case 2: return ~0UL;
    case 3: return rnd();
    case 4: return (uint64_t)scratch + rnd() % DATA_BYTES;       /* valid */
    case 5: return HYPERVISOR_VIRT_START + (rnd() % (1UL << 43)); /* the hole */
    case 6: return (rnd() | (1UL << 47)) & ~(1UL << 63);         /* non-canonical */
    case 7: return 1UL << (rnd() % 64);
    case 8: return rnd() % (1UL << 47);                          /* lower half */
    case 9: return rnd() & PTE_ADDR_MASK;
    case 10: return DOMID_FIRST_RESERVED + rnd() % 16;
    case 11: return (uint64_t[]){ 0x7fffffff, 0xffffffff, 1UL << 31, 1UL << 32 }[rnd() % 4];
    case 12: return rnd() % (max_mfn + 16);                     /* frame numbers */
    default: return (rnd() % (max_mfn + 16)) << PAGE_SHIFT | (rnd() & 0xfff);
    }
}

static int low_in(uint64_t v, const unsigned int *set, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        if ((uint32_t)v == set[i] || (v & 0x3f) == set[i])
            return 1;
    return 0;
}

#define CLAMP(x, max) ((x) = (x) % ((max) + 1))

/* Apply the exclusions to one call; returns 0 if it must be skipped. */
static int make_safe(uint64_t *nr, uint64_t a[5])
{
    static const unsigned int sched_bad[] = { SCHEDOP_block, SCHEDOP_shutdown, SCHEDOP_poll,
                                              SCHEDOP_remote_shutdown, SCHEDOP_shutdown_code,
                                              SCHEDOP_watchdog };
    static const unsigned int vcpu_bad[] = { VCPUOP_initialise, VCPUOP_up, VCPUOP_down,
                                             VCPUOP_register_vcpu_info, VCPUOP_send_nmi };
    static const unsigned int evtchn_bad[] = { EVTCHNOP_init_control, EVTCHNOP_expand_array };
    static const unsigned int mem_bad[] = { XENMEM_decrease_reservation, XENMEM_exchange,
                                            XENMEM_remove_from_physmap };
    unsigned int i;

    for (i = 0; i < 5; i++)
        a[i] = tame(a[i]);
    switch (*nr) {
    case __HYPERVISOR_iret:
        return 0;
    case __HYPERVISOR_sched_op:
    case __HYPERVISOR_sched_op_compat:
        if (low_in(a[0], sched_bad, ARRAY_SIZE(sched_bad)))
            a[0] = SCHEDOP_yield;
        break;
    case __HYPERVISOR_vcpu_op:
        if (low_in(a[0], vcpu_bad, ARRAY_SIZE(vcpu_bad)))
            a[0] = VCPUOP_is_up;
        break;
    case __HYPERVISOR_event_channel_op:
        if (low_in(a[0], evtchn_bad, ARRAY_SIZE(evtchn_bad)))
            a[0] = EVTCHNOP_status;
        break;
    case __HYPERVISOR_memory_op:
        if (low_in(a[0], mem_bad, ARRAY_SIZE(mem_bad)))
            a[0] = XENMEM_maximum_ram_page;
        if (in_scratch(a[1])) {
            uint64_t *w = (uint64_t *)a[1];
            CLAMP(w[0], 16); /* xen_machphys_mfn_list.max_extents, memory_map.nr_entries */
            CLAMP(w[1], 16); /* reservation.nr_extents */
        }
        break;
    case __HYPERVISOR_grant_table_op: {
        static const unsigned int gnt_bad[] = { GNTTABOP_transfer };
        if (low_in(a[0], gnt_bad, 1))
            a[0] = GNTTABOP_query_size;
        if (in_scratch(a[1]))
            CLAMP(a[2], 16);
        break;
    }
    case __HYPERVISOR_physdev_op:
        if ((uint32_t)a[0] == 9 /* PHYSDEVOP_apic_write */)
            a[0] = 8;
        break;
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_mmuext_op:
    case __HYPERVISOR_multicall:
        if (in_scratch(a[0]))
            CLAMP(a[1], 16);
        break;
    case __HYPERVISOR_console_io:
        if (in_scratch(a[2])) {
            CLAMP(a[1], 64);
            if (a[2] + a[1] > (uint64_t)scratch + sizeof(scratch))
                a[2] = (uint64_t)scratch;
            if ((uint32_t)a[0] == CONSOLEIO_write)
                memset((void *)a[2], 'z', a[1]);
        }
        break;
    case __HYPERVISOR_platform_op:
    case __HYPERVISOR_sysctl:
    case __HYPERVISOR_domctl:
        if (in_scratch(a[0]) && a[0] + 8 <= (uint64_t)scratch + sizeof(scratch))
            ((uint32_t *)a[0])[1] = 0xbad00000u | (uint32_t)(rnd() & 0xff);
        break;
    }
    return 1;
}

static void fill_scratch(void)
{
    uint64_t *w = (uint64_t *)scratch;
    unsigned int i;

    for (i = 0; i < DATA_BYTES / 8; i++)
        w[i] = tame(random_value());
}

/* Page 2: multicall entries, each tamed like a top-level call. */
static void fill_multicall(void)
{
    struct multicall_entry *mc = (struct multicall_entry *)scratch[2];
    unsigned int i;

    for (i = 0; i < PAGE_SIZE / sizeof(*mc); i++) {
        uint64_t nr = rnd() % 64, a[5];
        unsigned int k;

        for (k = 0; k < 5; k++)
            a[k] = random_value();
        if (nr == __HYPERVISOR_multicall || !make_safe(&nr, a))
            nr = __HYPERVISOR_xen_version;
        mc[i].op = nr;
        mc[i].result = 0;
        for (k = 0; k < 5; k++)
            mc[i].args[k] = a[k];
        mc[i].args[5] = 0;
    }
}

/* Put back everything a random call may legitimately have changed. */
static int restore_state(void)
{
    int bad = 0;
    unsigned int i;

    for (i = 0; i < SCRATCH_PAGES; i++)
        if (hv_update_va_mapping((unsigned long)scratch[i], scratch_pte[i], UVMF_INVLPG))
            bad++;
    if (traps_init())
        bad++;
    if (events_init())
        bad++;
    for (i = 0; i < 4; i++)
        hypercall2(__HYPERVISOR_set_debugreg, i, 0);
    hypercall2(__HYPERVISOR_set_debugreg, 7, 0x400);
    hypercall1(__HYPERVISOR_fpu_taskswitch, 0);
    hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, 0);
    events_disable();
    return bad;
}

static __attribute__((noinline)) uint64_t checksum(const void *p, size_t n)
{
    const uint64_t *w = p;
    uint64_t sum = 0;

    for (size_t i = 0; i < n / 8; i++)
        sum = (sum ^ w[i]) * 0x100000001b3ULL;
    return sum;
}

static uint64_t seed_from_cmdline(void)
{
    const char *p = strstr((const char *)start_info->cmd_line, "seed=");
    uint64_t v = 0;

    if (!p)
        return 0;
    for (p += 5; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

void test_main(void)
{
    static struct recover_point rp;
    static struct xen_machphys_mapping mm;
    static uint64_t text_sum, seed, counts[64];
    static volatile unsigned int i, restore_failures, recovered;
    static unsigned int k;

    setup(SETUP_EVENTS);
    hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    memset(&mm, 0, sizeof(mm));
    if (hv_memory_op(XENMEM_machphys_mapping, &mm) == 0 && mm.max_mfn)
        max_mfn = mm.max_mfn;
    else
        max_mfn = (MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) / 8 - 1;
    for (k = 0; k < SCRATCH_PAGES; k++) {
        uint64_t *l1e = pte_lookup((unsigned long)scratch[k], 1, NULL);
        if (!l1e)
            test_abort("fuzz setup", "no L1 entry for the scratch page");
        scratch_pte[k] = *l1e;
    }

    seed = seed_from_cmdline();
    if (!seed)
        seed = rdtsc() | 1;
    rng_state = seed;
    printf("fuzz seed %lu (boot with seed=%lu on the kernel command line to repeat)\n", seed, seed);
    text_sum = checksum(image_start, (size_t)(text_end - image_start));

    trap_recover = &rp;
    for (i = 0; i < ITERATIONS; i++) {
        static uint64_t nr, a[5];

        if (recover_save(&rp)) {
            recovered++;
            restore_failures += restore_state();
            continue;
        }
        nr = rnd() % 64;
        for (k = 0; k < 5; k++)
            a[k] = random_value();
        if (!make_safe(&nr, a))
            continue;
        fill_scratch();
        if (nr == __HYPERVISOR_multicall) {
            fill_multicall();
            a[0] = (uint64_t)scratch[2];
            a[1] %= PAGE_SIZE / sizeof(struct multicall_entry) + 1;
        }
        /* make_safe ran before the fill; run it again on the new contents. */
        make_safe(&nr, a);
        counts[nr]++;
        hypercall5(nr, a[0], a[1], a[2], a[3], a[4]);
        if (nr == __HYPERVISOR_console_io || nr == __HYPERVISOR_multicall)
            hv_console_write("\n", 1); /* end any partial line of z's */
        restore_failures += restore_state();
        if ((i + 1) % 2000 == 0)
            printf("fuzz: %u calls done\n", i + 1);
    }
    trap_recover = NULL;

    CHECK_EQ(recovered, 0, "no hypercall left the guest with an unexpected trap");
    CHECK_EQ(restore_failures, 0, "trap table, callbacks and scratch mappings restorable after every call");
    CHECK(hv_xen_version(XENVER_version, NULL) > 0, "hypervisor answers after 10,000 random hypercalls");
    CHECK_EQ(checksum(image_start, (size_t)(text_end - image_start)), text_sum,
             "our text and rodata are unchanged");
    {
        unsigned int used = 0;
        for (k = 0; k < 64; k++)
            used += counts[k] != 0;
        CHECK(used >= 50, "the fuzzer exercised at least 50 hypercall numbers");
    }
    test_pass("fuzz: 10,000 random hypercalls survived");
}
