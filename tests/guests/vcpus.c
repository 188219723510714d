/*
 * vcpus: the secondary-vCPU helper of lib/smp.c.  Every other vCPU of dom0
 * is started with VCPUOP_initialise + VCPUOP_up, runs on its own stack
 * with our page tables, makes hypercalls, sees its own vcpu_info, meets
 * vCPU 0 at a barrier for several rounds of a shared locked counter, takes
 * a fixed-up trap through the shared trap table, goes down when done, and
 * is started again for a second job.
 */
#include "guest.h"

#define ROUNDS 20
#define ADDS_PER_ROUND 500

static struct smp_barrier barrier;
static smp_lock_t counter_lock;
static volatile uint64_t counter;          /* only under counter_lock */
static volatile uint64_t atomic_counter;

struct result {
    unsigned int id_seen;
    long version;
    int time_valid;
    int trap_vector;
    unsigned long rsp;
} results[SMP_MAX_CPUS];

static void add_rounds(void)
{
    unsigned int r, i;

    for (r = 0; r < ROUNDS; r++) {
        smp_barrier_wait(&barrier);
        for (i = 0; i < ADDS_PER_ROUND; i++) {
            smp_lock(&counter_lock);
            counter = counter + 1;        /* not atomic: the lock must be */
            smp_unlock(&counter_lock);
            __atomic_add_fetch(&atomic_counter, 1, __ATOMIC_RELAXED);
        }
    }
}

static void job_main(unsigned int cpu, void *arg)
{
    struct result *r = &results[cpu];
    struct vcpu_info *vi = smp_vcpu_info(cpu);
    uint64_t dummy;

    (void)arg;
    r->id_seen = smp_cpu_id();
    r->rsp = (unsigned long)__builtin_frame_address(0);
    r->version = hv_xen_version(XENVER_version, NULL);
    r->time_valid = vi->time.tsc_to_system_mul != 0 && !(vi->time.version & 1);
    r->trap_vector = probe_read((void *)BAD_PTR_HV, &dummy);
    add_rounds();
}

static void job_second(unsigned int cpu, void *arg)
{
    results[cpu].id_seen = smp_cpu_id() + 100 * (unsigned int)(unsigned long)arg;
}

void test_main(void)
{
    unsigned int n, cpu, left;
    long version;

    setup(SETUP_EVENTS);
    n = smp_nr_vcpus();
    printf("dom0 has %u vCPUs\n", n);
    if (n > SMP_MAX_CPUS)
        n = SMP_MAX_CPUS;
    CHECK(n >= 2, "dom0 has a second vCPU under -smp 2");
    if (n < 2)
        return;
    CHECK_EQ(smp_cpu_id(), 0, "vCPU 0 knows it is vCPU 0");
    version = hv_xen_version(XENVER_version, NULL);

    smp_barrier_init(&barrier, n);
    for (cpu = 1; cpu < n; cpu++) {
        CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, cpu, NULL), 0, casename("vCPU %u is down before start", cpu));
        CHECK_EQ(smp_start(cpu, job_main, NULL), 0, casename("smp_start(vCPU %u)", cpu));
    }
    CHECK_EQ(smp_start(1, job_main, NULL), -EBUSY, "smp_start of a running vCPU is -EBUSY");
    add_rounds();
    left = smp_wait_all(30000000000ULL);
    CHECK_EQ(left, 0, "every secondary finishes within 30 s");
    CHECK_EQ(counter, (uint64_t)n * ROUNDS * ADDS_PER_ROUND, "locked counter has every add");
    CHECK_EQ(atomic_counter, (uint64_t)n * ROUNDS * ADDS_PER_ROUND, "atomic counter has every add");
    for (cpu = 1; cpu < n; cpu++) {
        struct result *r = &results[cpu];

        CHECK_EQ(r->id_seen, cpu, casename("vCPU %u: smp_cpu_id() on its own stack", cpu));
        CHECK_EQ(r->version, version, casename("vCPU %u: xen_version hypercall", cpu));
        CHECK(r->time_valid, casename("vCPU %u: its vcpu_info has valid time", cpu));
        CHECK_EQ(r->trap_vector, TRAP_PF, casename("vCPU %u: a fixed-up #PF through the shared trap table", cpu));
        CHECK_EQ(hv_vcpu_op(VCPUOP_is_up, cpu, NULL), 0, casename("vCPU %u is down after its job", cpu));
    }

    /* Bring them up again with a second job. */
    for (cpu = 1; cpu < n; cpu++)
        CHECK_EQ(smp_start(cpu, job_second, (void *)7UL), 0, casename("restart vCPU %u", cpu));
    left = smp_wait_all(30000000000ULL);
    CHECK_EQ(left, 0, "restarted secondaries finish");
    for (cpu = 1; cpu < n; cpu++)
        CHECK_EQ(results[cpu].id_seen, cpu + 700, casename("vCPU %u ran the second job", cpu));
}
