/*
 * fuzz: the hypercall fuzzer.  Every vCPU of dom0 (lib/smp.c) issues
 * structured random hypercalls at once: every implemented hypercall and
 * sub-op, arguments drawn from our own frames, our live page tables, the
 * frames of another domain, shared and hypervisor frames, boundary values
 * and bad pointers, batches with duplicated entries, multicalls of other
 * calls (fuzz/ops.c, fuzz/gen.c).  Afterwards the hypervisor must still
 * run a second guest (fuzz/after.c) and the frame-table audit must be
 * clean at power-off (booted with mm_audit).
 *
 * Command line (dom0's): fuzz_seed=N (default 1; printed), fuzz_calls=N
 * (total over all vCPUs, default 2000), fuzz_secs=N (time cap, default
 * 20), fuzz_vcpus=N (default all; 1 makes a run exactly repeatable),
 * fuzz_trace=1 (print each call before issuing it), fuzz_known=1 (lift
 * the known-bug exclusions of fuzz/exclusions.c).
 *
 * Each vCPU's stream is seeded from the seed and its id; with several
 * vCPUs the interleaving (and so the frames a call meets) varies between
 * runs of one seed, the sequence of generated shapes does not.
 */
#include "fuzz/fuzz.h"

#define MS 1000000ULL

struct fuzz_config fuzz_cfg;
struct fuzz_cpu fuzz_cpus[SMP_MAX_CPUS];
uint64_t fuzz_tsc_per_ms;

static uint8_t arg_pages[SMP_MAX_CPUS][FUZZ_ARG_PAGES + 1][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t sink_pages[SMP_MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t trash_pages[SMP_MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t scratch_pages[SMP_MAX_CPUS][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct smp_barrier start_barrier;
static uint64_t page_sums[64];
static uint64_t *guard_l4;                  /* current_l4 as it must stay */
static struct shared_info *guard_shared_info; /* shared_info as it must stay */
static unsigned long guard_region, guard_max_mfn;
static unsigned int guard_nr_free_slot[4];  /* world.nr_free_slot as set up */
static uint8_t text_copy[64 * PAGE_SIZE];   /* to show what changed */

extern char image_start[], text_end[];

static uint64_t cmdline_value(const char *key, uint64_t def)
{
    const char *p = strstr((const char *)start_info->cmd_line, key);
    uint64_t v = 0;

    if (!p)
        return def;
    for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return v;
}

static __attribute__((noinline)) uint64_t checksum(const void *p, size_t n)
{
    const uint64_t *w = p;
    uint64_t sum = 0;

    for (size_t i = 0; i < n / 8; i++)
        sum = (sum ^ w[i]) * 0x100000001b3ULL;
    return sum;
}

static void print_call(const char *what, const struct fuzz_cpu *c, const struct fuzz_call *k)
{
    printf("fuzz: v%u %s hypercall %lu(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", c->id, what,
           k->nr, k->a[0], k->a[1], k->a[2], k->a[3], k->a[4], k->rc);
}

static void print_recent(const struct fuzz_cpu *c)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(c->last); i++) {
        const struct fuzz_call *k = &c->last[(c->last_pos + i) % ARRAY_SIZE(c->last)];
        if (k->nr || k->a[0])
            print_call("recent", c, k);
    }
}

/* vCPU 0 only: bring the other domain back if a fuzzed call destroyed it. */
static void keep_other_domain(void)
{
    static struct xen_dom0_op op;

    if (world.other == DOMID_INVALID)
        return;
    memset(&op, 0, sizeof(op));
    op.u.getdomaininfo.domid = world.other;
    if (dom0_op(&op, XEN_DOM0_getdomaininfo) == -ESRCH)
        other_domain_create();
}

/* A vCPU whose call count has not moved while we made 512 calls is stuck
 * (inside a call, most likely): say so once, with its last calls, while
 * someone can still print. */
static void watch_others(struct fuzz_cpu *c)
{
    static uint64_t seen[SMP_MAX_CPUS], since[SMP_MAX_CPUS];
    static int reported[SMP_MAX_CPUS];
    unsigned int o;

    for (o = 0; o < fuzz_cfg.vcpus; o++) {
        struct fuzz_cpu *t = &fuzz_cpus[o];
        uint64_t n = __atomic_load_n(&t->calls, __ATOMIC_RELAXED);

        if (o == c->id || reported[o] || n >= t->target_calls)
            continue;
        if (n != seen[o]) {
            seen[o] = n;
            since[o] = c->calls;
        } else if (c->calls - since[o] >= 512) {
            reported[o] = 1;
            printf("fuzz: v%u has made no call for a while (v%u noticed); its last calls:\n", o, c->id);
            print_recent(t);
        }
    }
}

static void worker(unsigned int cpu, void *unused)
{
    struct fuzz_cpu *c = &fuzz_cpus[cpu];

    (void)unused;
    trap_recover_cpu[cpu] = &c->rp;
    smp_barrier_wait(&start_barrier);
    while (c->calls < c->target_calls && rdtsc() < c->deadline_tsc) {
        struct fuzz_call *k;
        int kind;

        if (recover_save(&c->rp)) {
            c->recovered++;
            print_recent(c);
            c->dirty = DIRTY_ALL;
            c->restore_failures += restore_state(c);
            continue;
        }
        c->arg_used = 0;
        c->arena_full = 0;
        k = &c->last[c->last_pos++ % ARRAY_SIZE(c->last)];
        memset(k, 0, sizeof(*k));
        kind = op_build(c, &k->nr, k->a, 0);
        if (!kind) {
            restore_state(c);
            continue;
        }
        c->calls++;
        if (fuzz_cfg.trace) {
            print_call("call", c, k);
            if (kind == 2)
                printf("fuzz: v%u   hostile entry ptr %#lx val %#lx\n", cpu,
                       ((struct mmu_update *)k->a[0])->ptr, ((struct mmu_update *)k->a[0])->val);
            if (k->nr == __HYPERVISOR_multicall && k->a[0] >= (uint64_t)c->arg &&
                k->a[0] < (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE) {
                /* The entries, as far as they lie in our argument pages. */
                const struct multicall_entry *e = (const void *)k->a[0];
                uint64_t i, end = (uint64_t)c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;
                for (i = 0; i < k->a[1] && (uint64_t)(e + i + 1) <= end; i++)
                    printf("fuzz: v%u   entry %lu: %#lx(%#lx, %#lx, %#lx, %#lx, %#lx)\n", cpu, i,
                           e[i].op, e[i].args[0], e[i].args[1], e[i].args[2], e[i].args[3],
                           e[i].args[4]);
            }
        }
        k->rc = hypercall5(k->nr, k->a[0], k->a[1], k->a[2], k->a[3], k->a[4]);
        if (kind == 2 && k->rc >= 0) {
            c->hostile_accepted++;
            print_call("ACCEPTED a must-refuse update:", c, k);
            c->dirty |= DIRTY_MAPPING;
        }
        if (k->nr < FUZZ_NR_MAX) {
            c->counts[k->nr]++;
            c->ok[k->nr] += k->rc >= 0;
        }
        if (world.region_pages != guard_region || world.max_mfn != guard_max_mfn ||
            memcmp(world.nr_free_slot, guard_nr_free_slot, sizeof(guard_nr_free_slot))) {
            print_call("OVERWROTE the fuzzer's world:", c, k);
            printf("fuzz:   region_pages %#lx max_mfn %#lx free slots %u %u %u %u\n",
                   world.region_pages, world.max_mfn, world.nr_free_slot[0], world.nr_free_slot[1],
                   world.nr_free_slot[2], world.nr_free_slot[3]);
            __atomic_add_fetch(&tests_failed, 1, __ATOMIC_RELAXED);
            world.region_pages = guard_region;
            world.max_mfn = guard_max_mfn;
            memcpy(world.nr_free_slot, guard_nr_free_slot, sizeof(guard_nr_free_slot));
        }
        if (p2m != (unsigned long *)start_info->mfn_list || current_l4 != guard_l4 ||
            shared_info != guard_shared_info) {
            /* Our own globals overwritten: report the call, then repair.
             * (Seen once in a 10^6-call run: shared_info with its top two
             * bytes zeroed, then #PF in evtchn_clear_pending.) */
            print_call("OVERWROTE our globals (p2m/current_l4/shared_info):", c, k);
            printf("fuzz:   p2m %p current_l4 %p shared_info %p\n", (void *)p2m,
                   (void *)current_l4, (void *)shared_info);
            __atomic_add_fetch(&tests_failed, 1, __ATOMIC_RELAXED);
            p2m = (unsigned long *)start_info->mfn_list;
            current_l4 = guard_l4;
            shared_info = guard_shared_info;
        }
        op_after(c, k->nr, k->a, k->rc);
        if (k->nr == __HYPERVISOR_multicall)
            multicall_after(c, k->a);
        c->restore_failures += restore_state(c);
        if (k->nr == __HYPERVISOR_console_io || k->nr == __HYPERVISOR_multicall)
            hv_console_write("\n", 1);          /* end a line of z's */
        if (c->calls % 64 == 0)
            loose_refill(c);
        if (cpu == 0 && c->calls % 1000 == 0)
            keep_other_domain();
        if (c->calls % 256 == 0)
            watch_others(c);
        /* The progress marker the make-fuzz watchdog counts
         * (tests/lib/progress-watchdog.sh): a vCPU that stops printing it
         * while QEMU burns CPU is hung, one printing it slowly is not. */
        if (c->calls % 1000 == 0)
            printf("fuzz: v%u %lu calls\n", cpu, c->calls);
    }
    trap_recover_cpu[cpu] = NULL;
}

static void idle_job(unsigned int cpu, void *unused)
{
    (void)cpu;
    (void)unused;
}

static void setup_cpu(unsigned int cpu, uint64_t calls, uint64_t deadline)
{
    struct fuzz_cpu *c = &fuzz_cpus[cpu];
    unsigned int i;

    c->id = cpu;
    c->rng.s = fuzz_cfg.seed * 0x9e3779b97f4a7c15ULL + cpu * 0xbf58476d1ce4e5b9ULL + 1;
    c->arg = arg_pages[cpu][0];
    c->sink = sink_pages[cpu];
    c->trash = trash_pages[cpu];
    c->scratch = scratch_pages[cpu];
    c->target_calls = calls;
    c->deadline_tsc = deadline;
    for (i = 0; i <= FUZZ_ARG_PAGES; i++) {
        uint64_t *l1e = pte_lookup((unsigned long)arg_pages[cpu][i], 1, NULL);
        if (!l1e)
            test_abort("fuzz setup", "no L1 entry for an argument page");
        c->arg_pte[i] = *l1e;
    }
    /* The guard page: unmapped, so buffers can end exactly at a fault. */
    c->arg_pte[FUZZ_ARG_PAGES] = 0;
    if (hv_update_va_mapping((unsigned long)arg_pages[cpu][FUZZ_ARG_PAGES], 0, UVMF_INVLPG))
        test_abort("fuzz setup", "cannot unmap the guard page");
}

void test_main(void)
{
    uint64_t t0, p0, text_sum, deadline, total = 0, nrs = 0, recovered = 0, restore_bad = 0, hostile = 0;
    unsigned int nr_vcpus, cpu, k, left;

    setup(SETUP_EVENTS);
    hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);

    fuzz_cfg.seed = cmdline_value("fuzz_seed=", 1);
    fuzz_cfg.calls = cmdline_value("fuzz_calls=", 2000);
    fuzz_cfg.seconds = cmdline_value("fuzz_secs=", 20);
    fuzz_cfg.vcpus = (unsigned int)cmdline_value("fuzz_vcpus=", SMP_MAX_CPUS);
    fuzz_cfg.trace = (int)cmdline_value("fuzz_trace=", 0);
    fuzz_cfg.known = (int)cmdline_value("fuzz_known=", 0);
    nr_vcpus = smp_nr_vcpus();
    world.nr_vcpus = nr_vcpus;
    if (fuzz_cfg.vcpus > nr_vcpus)
        fuzz_cfg.vcpus = nr_vcpus;
    if (fuzz_cfg.vcpus > SMP_MAX_CPUS)
        fuzz_cfg.vcpus = SMP_MAX_CPUS;
    if (fuzz_cfg.vcpus == 0)
        fuzz_cfg.vcpus = 1;

    t0 = rdtsc();
    p0 = pvclock_now();
    delay_ns(20 * MS);
    fuzz_tsc_per_ms = (rdtsc() - t0) * MS / (pvclock_now() - p0 + 1);
    if (!fuzz_tsc_per_ms)
        fuzz_tsc_per_ms = 1;

    printf("fuzz seed %lu: %lu calls on %u of %u vCPUs, at most %lu s (repeat with fuzz_seed=%lu)\n",
           fuzz_cfg.seed, fuzz_cfg.calls, fuzz_cfg.vcpus, nr_vcpus, fuzz_cfg.seconds, fuzz_cfg.seed);
    known_print();

    guard_l4 = current_l4;
    guard_shared_info = shared_info;
    world_init();
    loose_init();
    grant_init();
    guard_region = world.region_pages;
    guard_max_mfn = world.max_mfn;
    memcpy(guard_nr_free_slot, world.nr_free_slot, sizeof(guard_nr_free_slot));
    fuzz_free_pages_before = free_pages_now();
    CHECK_EQ(other_domain_create(), 0, "fuzz: another domain with frames to aim at");
    printf("fuzz: region %lu pages, max_mfn %#lx, other domain d%u\n", world.region_pages,
           world.max_mfn, world.other);

    deadline = rdtsc() + fuzz_cfg.seconds * 1000 * fuzz_tsc_per_ms;
    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        setup_cpu(cpu, fuzz_cfg.calls / fuzz_cfg.vcpus + (cpu < fuzz_cfg.calls % fuzz_cfg.vcpus),
                  deadline);
    text_sum = checksum(image_start, (size_t)(text_end - image_start));
    for (k = 0; k * PAGE_SIZE < (size_t)(text_end - image_start) && k < 64; k++)
        page_sums[k] = checksum(image_start + k * PAGE_SIZE, PAGE_SIZE),
        memcpy(text_copy + k * PAGE_SIZE, image_start + k * PAGE_SIZE, PAGE_SIZE);

    /* vCPUs that do not fuzz get a real context first (a trivial job), so
     * a fuzzed VCPUOP_initialise cannot give them a random one that some
     * later call could start. */
    for (cpu = fuzz_cfg.vcpus; cpu < nr_vcpus && cpu < SMP_MAX_CPUS; cpu++)
        smp_start(cpu, idle_job, NULL);
    smp_wait_all(10000 * MS);

    smp_barrier_init(&start_barrier, fuzz_cfg.vcpus);
    for (cpu = 1; cpu < fuzz_cfg.vcpus; cpu++)
        if (smp_start(cpu, worker, NULL))
            test_abort("fuzz: start vCPU", "smp_start(%u) failed", cpu);
    worker(0, NULL);
    left = smp_wait_all((fuzz_cfg.seconds + 15) * 1000 * MS);
    CHECK_EQ(left, 0, "fuzz: every vCPU finished its share in time");
    for (cpu = 1; cpu < fuzz_cfg.vcpus; cpu++)
        if (!smp_done(cpu)) {
            static struct xen_dom0_op op;
            memset(&op, 0, sizeof(op));
            op.u.vcpuinfo.domid = 0;
            op.u.vcpuinfo.vcpu = cpu;
            dom0_op(&op, XEN_DOM0_getvcpuinfo);
            printf("fuzz: v%u is stuck (online %u blocked %u running %u), its last calls:\n", cpu,
                   op.u.vcpuinfo.online, op.u.vcpuinfo.blocked, op.u.vcpuinfo.running);
            print_recent(&fuzz_cpus[cpu]);
            {
                static struct vcpu_guest_context ctx;
                memset(&op, 0, sizeof(op));
                op.u.vcpucontext.domid = 0;
                op.u.vcpucontext.vcpu = cpu;
                op.u.vcpucontext.ctxt = HC_PTR(&ctx);
                op.u.vcpucontext.size = sizeof(ctx);
                if (dom0_op(&op, XEN_DOM0_getvcpucontext) == 0)
                    printf("fuzz: v%u at rip %#lx rsp %#lx flags %#lx\n", cpu, ctx.user_regs.rip,
                           ctx.user_regs.rsp, ctx.flags);
            }
        }

    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++) {
        struct fuzz_cpu *c = &fuzz_cpus[cpu];
        total += c->calls;
        recovered += c->recovered;
        restore_bad += c->restore_failures;
        hostile += c->hostile_accepted;
        printf("fuzz: v%u made %lu calls\n", cpu, c->calls);
    }
    for (k = 0; k < FUZZ_NR_MAX; k++) {
        uint64_t n = 0, ok = 0;
        for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
            n += fuzz_cpus[cpu].counts[k], ok += fuzz_cpus[cpu].ok[k];
        if (n)
            printf("fuzz: hypercall %2u: %lu calls, %lu succeeded\n", k, n, ok);
        nrs += n != 0;
    }
    printf("fuzz: %lu calls in total\n", total);
    CHECK_EQ(recovered, 0, "fuzz: no call left a vCPU with an unexpected trap");
    CHECK_EQ(restore_bad, 0, "fuzz: our trap table, callbacks and mappings restorable after every call");
    CHECK_EQ(hostile, 0, "fuzz: every must-refuse page-table update was refused");
    CHECK(nrs >= 28, "fuzz: the run reached every implemented hypercall number");
    CHECK_EQ(checksum(image_start, (size_t)(text_end - image_start)), text_sum,
             "fuzz: our text and rodata are unchanged");
    for (k = 0; k * PAGE_SIZE < (size_t)(text_end - image_start) && k < 64; k++)
        if (checksum(image_start + k * PAGE_SIZE, PAGE_SIZE) != page_sums[k])
        {
            unsigned int shown = 0, off;
            const uint64_t *now = (const uint64_t *)(image_start + k * PAGE_SIZE);
            const uint64_t *was = (const uint64_t *)(text_copy + k * PAGE_SIZE);
            printf("fuzz: text page %u (pfn %#lx mfn %#lx) changed\n", k,
                   virt_to_pfn(image_start + k * PAGE_SIZE), virt_to_mfn(image_start + k * PAGE_SIZE));
            for (off = 0; off < PAGE_SIZE / 8 && shown < 6; off++)
                if (now[off] != was[off])
                    printf("fuzz:   +%#x: %#lx -> %#lx\n", off * 8, was[off], now[off]), shown++;
        }
    CHECK(total * 10 >= fuzz_cfg.calls * 9 || fuzz_cfg.seconds * 1000 * fuzz_tsc_per_ms <= rdtsc() - t0,
          "fuzz: the run made its calls (or used its time)");

    after_checks();
}
