/*
 * Secondary vCPUs: contexts for VCPUOP_initialise, start/finish
 * bookkeeping, a barrier and a lock (interface in smp.h).
 */
#include "guest.h"

struct smp_cpu {
    smp_entry_t fn;
    void *arg;
    volatile int started;      /* smp_start() ran and the job may be running */
    volatile int done;         /* the job returned */
    int initialised;           /* VCPUOP_initialise succeeded once */
};

static struct smp_cpu cpus[SMP_MAX_CPUS];
static uint8_t stacks[SMP_MAX_CPUS][SMP_STACK_SIZE] __attribute__((aligned(SMP_STACK_SIZE)));
/* Large (4.6 KiB): static rather than on the caller's stack. */
static struct vcpu_guest_context start_ctx;
static smp_lock_t start_lock;

unsigned int smp_nr_vcpus(void)
{
    unsigned int n = 1;

    while (n < 8192 && hv_vcpu_op(VCPUOP_is_up, n, NULL) >= 0)
        n++;
    return n;
}

unsigned int smp_cpu_id(void)
{
    unsigned long sp = (unsigned long)__builtin_frame_address(0);
    unsigned long base = (unsigned long)stacks;

    /* Slot 0 of `stacks` is unused: vCPU 0 runs on head.S's stack (or
     * wherever a test moved it), which is never inside this array. */
    if (sp > base + SMP_STACK_SIZE && sp <= base + sizeof(stacks))
        return (unsigned int)((sp - 1 - base) / SMP_STACK_SIZE);
    return 0;
}

static struct vcpu_info *moved_vcpu_info[SMP_MAX_CPUS];

struct vcpu_info *smp_vcpu_info(unsigned int cpu)
{
    if (cpu < SMP_MAX_CPUS && moved_vcpu_info[cpu])
        return moved_vcpu_info[cpu];
    if (cpu == 0 && vcpu)
        return vcpu;
    return shared_info ? &shared_info->vcpu_info[cpu] : NULL;
}

void smp_set_vcpu_info(unsigned int cpu, struct vcpu_info *vi)
{
    if (cpu < SMP_MAX_CPUS)
        moved_vcpu_info[cpu] = vi;
    if (cpu == 0)
        vcpu = vi;
}

static void smp_secondary_main(struct smp_cpu *c) __attribute__((noreturn, used));
static void smp_secondary_main(struct smp_cpu *c)
{
    unsigned int id = (unsigned int)(c - cpus);

    for (;;) {
        smp_vcpu_info(id)->evtchn_upcall_mask = 1;
        c->fn(id, c->arg);
        __atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
        /* Resumes here when a later smp_start() brings us up again. */
        hv_vcpu_op(VCPUOP_down, id, NULL);
    }
}

/* vCPU 0's environment for a new vCPU entering smp_secondary_main(c). */
static void build_context(struct vcpu_guest_context *ctx, unsigned int cpu)
{
    uint64_t top = (uint64_t)stacks[cpu] + SMP_STACK_SIZE;

    memset(ctx, 0, sizeof(*ctx));
    /* Without VGCF_in_kernel the vCPU would start in guest-user mode. */
    ctx->flags = VGCF_in_kernel | VGCF_failsafe_disables_events;
    ctx->user_regs.rip = (uint64_t)smp_secondary_main;
    ctx->user_regs.rdi = (uint64_t)&cpus[cpu];
    ctx->user_regs.rsp = top - 8;  /* as after a call: rsp+8 16-aligned */
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.rflags = RFLAGS_IF;
    traps_fill_context(ctx->trap_ctxt);
    ctx->gdt_ents = 0;             /* the hypervisor's default GDT, as vCPU 0 */
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = top;
    ctx->ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn(current_l4));
    ctx->event_callback_eip = (uint64_t)event_callback_entry;
    ctx->failsafe_callback_eip = (uint64_t)failsafe_callback_entry;
}

long smp_start(unsigned int cpu, smp_entry_t fn, void *arg)
{
    struct smp_cpu *c;
    long rc;

    if (cpu == 0 || cpu >= SMP_MAX_CPUS)
        return -EINVAL;
    c = &cpus[cpu];
    if (c->started && !smp_done(cpu))
        return -EBUSY;
    smp_lock(&start_lock);
    c->fn = fn;
    c->arg = arg;
    c->done = 0;
    c->started = 1;
    if (!c->initialised) {
        build_context(&start_ctx, cpu);
        rc = hv_vcpu_op(VCPUOP_initialise, cpu, &start_ctx);
        if (rc && rc != -EEXIST) {
            c->started = 0;
            smp_unlock(&start_lock);
            return rc;
        }
        c->initialised = 1;
    }
    smp_vcpu_info(cpu)->evtchn_upcall_mask = 1;
    rc = hv_vcpu_op(VCPUOP_up, cpu, NULL);
    if (rc)
        c->started = 0;
    smp_unlock(&start_lock);
    return rc;
}

/* Done = the job returned and the vCPU is down, so it can be restarted. */
int smp_done(unsigned int cpu)
{
    if (cpu == 0 || cpu >= SMP_MAX_CPUS || !cpus[cpu].started)
        return 1;
    return cpus[cpu].done && hv_vcpu_op(VCPUOP_is_up, cpu, NULL) == 0;
}

uint64_t vcpu_ran_ns(unsigned int cpu)
{
    struct vcpu_runstate_info r;

    if (hv_vcpu_op(VCPUOP_get_runstate_info, cpu, &r) != 0)
        return 0;
    return r.time[RUNSTATE_running];
}

/*
 * The limit is the secondaries' own running time, not the clock: a job
 * that has run timeout_ns since the wait began and is not done is stuck,
 * but one that a loaded host (or the scheduler) has not let run yet is
 * only late.  One that never runs again waits for the suite's watchdog.
 */
unsigned int smp_wait_all(uint64_t timeout_ns)
{
    static uint64_t ran_at_start[SMP_MAX_CPUS];
    unsigned int cpu, running, stuck;

    for (cpu = 1; cpu < SMP_MAX_CPUS; cpu++)
        ran_at_start[cpu] = timeout_ns && !smp_done(cpu) ? vcpu_ran_ns(cpu) : 0;
    for (;;) {
        running = stuck = 0;
        for (cpu = 1; cpu < SMP_MAX_CPUS; cpu++) {
            if (smp_done(cpu))
                continue;
            running++;
            if (timeout_ns && vcpu_ran_ns(cpu) - ran_at_start[cpu] >= timeout_ns)
                stuck++;
        }
        if (!running || stuck)
            return running;
        hv_sched_op(SCHEDOP_yield, NULL);
    }
}

void smp_barrier_init(struct smp_barrier *b, unsigned int total)
{
    b->total = total;
    b->arrived = 0;
    b->generation = 0;
}

void smp_barrier_wait(struct smp_barrier *b)
{
    unsigned int gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
    unsigned int spins = 0;

    if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == b->total) {
        b->arrived = 0;
        __atomic_store_n(&b->generation, gen + 1, __ATOMIC_RELEASE);
        return;
    }
    while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen)
        if (++spins % 1024 == 0)
            hv_sched_op(SCHEDOP_yield, NULL);   /* vCPUs may share a CPU */
        else
            cpu_relax();
}

void smp_lock(smp_lock_t *l)
{
    unsigned int spins = 0;

    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        if (++spins % 1024 == 0)
            hv_sched_op(SCHEDOP_yield, NULL);
        else
            cpu_relax();
}

void smp_unlock(smp_lock_t *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
