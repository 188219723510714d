/*
 * Trap table installation and the C side of every trap: fixups for
 * expected faults, the event upcall, recovery for the fuzzer, and a loud
 * failure for anything else.
 */
#include "guest.h"

volatile struct trap_record trap_last;
volatile unsigned int traps_unexpected;
volatile unsigned int failsafe_count;
int (*trap_hook)(struct trap_frame *f);
struct recover_point *trap_recover;
struct recover_point *trap_recover_cpu[SMP_MAX_CPUS];

struct fixup {
    uint64_t from, to;
};
extern const struct fixup fixup_table_start[], fixup_table_end[];

void evtchn_do_upcall(void);
void trap_dispatch(struct trap_frame *f);

/* Vectors a guest-kernel `int n` may raise need DPL >= 1; we give 3. */
static uint8_t trap_flags(unsigned int vector)
{
    uint8_t flags = 4; /* mask events on entry, like Linux's gates */
    if (vector == TRAP_BP || vector == TRAP_OF || vector == TRAP_INT80)
        flags |= 3;
    return flags;
}

long traps_init(void)
{
    static struct trap_info table[34];
    unsigned int i, n = 0;

    for (i = 0; i < 32; i++) {
        table[n].vector = (uint8_t)i;
        table[n].flags = trap_flags(i);
        table[n].cs = FLAT_KERNEL_CS;
        table[n].address = trap_stub_table[i];
        n++;
    }
    table[n].vector = TRAP_INT80;
    table[n].flags = trap_flags(TRAP_INT80);
    table[n].cs = FLAT_KERNEL_CS;
    table[n].address = (uint64_t)trap_stub_int80;
    n++;
    memset(&table[n], 0, sizeof(table[n])); /* address 0 ends the list */
    return hv_set_trap_table(table);
}

/* The same table in vcpu_guest_context form (indexed by vector), for the
 * secondary vCPUs of lib/smp.c. */
void traps_fill_context(struct trap_info ctxt[256])
{
    unsigned int i;

    memset(ctxt, 0, 256 * sizeof(*ctxt));
    for (i = 0; i < 32; i++) {
        ctxt[i].vector = (uint8_t)i;
        ctxt[i].flags = trap_flags(i);
        ctxt[i].cs = FLAT_KERNEL_CS;
        ctxt[i].address = trap_stub_table[i];
    }
    ctxt[TRAP_INT80].vector = TRAP_INT80;
    ctxt[TRAP_INT80].flags = trap_flags(TRAP_INT80);
    ctxt[TRAP_INT80].cs = FLAT_KERNEL_CS;
    ctxt[TRAP_INT80].address = (uint64_t)trap_stub_int80;
}

void trap_reset(void)
{
    memset((void *)&trap_last, 0, sizeof(trap_last));
}

static const struct fixup *fixup_find(uint64_t rip)
{
    const struct fixup *f;

    for (f = fixup_table_start; f < fixup_table_end; f++)
        if (rip >= f->from && rip <= f->to)
            return f;
    return NULL;
}

static void record(const struct trap_frame *f)
{
    struct vcpu_info *vcpu = smp_vcpu_info(smp_cpu_id());   /* ours */

    trap_last.vector = f->vector;
    trap_last.error = f->error;
    trap_last.rip = f->rip;
    trap_last.cs = f->cs;
    trap_last.rflags = f->rflags;
    trap_last.rsp = f->rsp;
    trap_last.ss = f->ss;
    trap_last.rcx = f->rcx;
    trap_last.r11 = f->r11;
    trap_last.cr2 = f->vector == TRAP_PF && vcpu ? vcpu->arch.cr2 : 0;
    trap_last.mask_in_handler = vcpu ? vcpu->evtchn_upcall_mask : 0xff;
    trap_last.count++;
}

static const char *trap_name(uint64_t v)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
        "#DF", "coproc", "#TS", "#NP", "#SS", "#GP", "#PF", "15",
        "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    };
    if (v < 32 && names[v])
        return names[v];
    if (v == TRAP_UPCALL)
        return "upcall";
    if (v == 0x101)
        return "failsafe";
    return "vector";
}

void trap_dispatch(struct trap_frame *f)
{
    struct vcpu_info *vcpu = smp_vcpu_info(smp_cpu_id());   /* ours */
    const struct fixup *fx;

    if (f->vector == TRAP_UPCALL) {
        evtchn_do_upcall();
        return;
    }
    if (f->vector == 0x101)
        failsafe_count++;

    fx = f->vector < 0x100 ? fixup_find(f->rip) : NULL;
    if (fx) {
        record(f);
        f->rip = fx->to;
        return;
    }
    if (trap_hook && trap_hook(f))
        return;

    printf("FAIL: unexpected trap: %s (%lu) error %#lx at rip %#lx cs %#lx "
           "rflags %#lx rsp %#lx cr2 %#lx\n",
           trap_name(f->vector), f->vector, f->error, f->rip, f->cs,
           f->rflags, f->rsp, vcpu ? vcpu->arch.cr2 : 0);
    __atomic_add_fetch(&tests_failed, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&traps_unexpected, 1, __ATOMIC_RELAXED);
    {
        unsigned int cpu = smp_cpu_id();
        struct recover_point *rp = trap_recover_cpu[cpu];

        if (!rp && cpu == 0)
            rp = trap_recover;
        if (rp) {
            /* Resume in recover_jump(rp, 1) on a stack below it. */
            f->rip = (uint64_t)recover_jump;
            f->rdi = (uint64_t)rp;
            f->rsi = 1;
            f->rsp = (rp->rsp - 1024) & ~15UL;
            return;
        }
    }
    test_finish();
}

int probe_read(const volatile void *p, uint64_t *val)
{
    unsigned int before = trap_last.count;
    uint64_t v = 0;

    asm volatile("1: mov (%1), %0\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : "+r"(v) : "r"(p) : "memory");
    if (val)
        *val = v;
    return trap_last.count != before ? (int)trap_last.vector : -1;
}

int probe_write(volatile void *p, uint64_t val)
{
    unsigned int before = trap_last.count;

    asm volatile("1: mov %1, (%0)\n2:\n\t" FIXUP_ENTRY("1b", "2b")
                 : : "r"(p), "r"(val) : "memory");
    return trap_last.count != before ? (int)trap_last.vector : -1;
}
