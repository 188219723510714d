/*
 * The hypercall dispatcher for 64-bit PV guests.
 *
 * A SYSCALL from guest kernel mode lands here with the number in RAX and
 * the arguments in RDI, RSI, RDX, R10, R8.  The table maps numbers to
 * handlers; an empty slot is -ENOSYS, logged once per domain and number.
 * With the boot option hypercall_trace (or a per-domain switch later) every
 * call is printed with its arguments and result.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>
#include <asm/pv.h>
#include <asm/timer-trace.h>
#include <public/xen.h>

/* hypercall_trace=all, or a comma-separated list of domain ids < 64:
 * print every hypercall of those domains with arguments and result. */
static uint64_t trace_domains;
static bool trace_all;

static int parse_hypercall_trace(const char *v)
{
    if ( !v || !strcmp(v, "all") )
    {
        trace_all = true;
        return 0;
    }
    while ( *v )
    {
        unsigned long id;
        const char *end;

        if ( parse_ulong(v, 10, &id, &end) || id >= 64 ||
             (*end && *end != ',') )
            return -EINVAL;
        trace_domains |= 1UL << id;
        v = *end ? end + 1 : end;
    }
    return 0;
}
custom_param("hypercall_trace", parse_hypercall_trace);

static bool tracing(const struct domain *d)
{
    return trace_all ||
           (d->domain_id < 64 && (trace_domains & (1UL << d->domain_id)));
}

/* Every handler is a strong definition: a missing file is a link error.
 * A number with no slot here is -ENOSYS ("unknown hypercall"); a family we
 * deliberately refuse has a handler that says so (xenpmu_op, pv/pmu.c). */
static hypercall_fn_t *const hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table] = do_set_trap_table,
    [__HYPERVISOR_mmu_update] = do_mmu_update,
    [__HYPERVISOR_set_gdt] = do_set_gdt,
    [__HYPERVISOR_stack_switch] = do_stack_switch,
    [__HYPERVISOR_set_callbacks] = do_set_callbacks,
    [__HYPERVISOR_fpu_taskswitch] = do_fpu_taskswitch,
    [__HYPERVISOR_platform_op] = do_platform_op,
    [__HYPERVISOR_set_debugreg] = do_set_debugreg,
    [__HYPERVISOR_get_debugreg] = do_get_debugreg,
    [__HYPERVISOR_update_descriptor] = do_update_descriptor,
    [__HYPERVISOR_memory_op] = do_memory_op,
    [__HYPERVISOR_multicall] = do_multicall,
    [__HYPERVISOR_update_va_mapping] = do_update_va_mapping,
    [__HYPERVISOR_set_timer_op] = do_set_timer_op,
    [__HYPERVISOR_xen_version] = do_xen_version,
    [__HYPERVISOR_console_io] = do_console_io,
    [__HYPERVISOR_grant_table_op] = do_grant_table_op,
    [__HYPERVISOR_vm_assist] = do_vm_assist,
    [__HYPERVISOR_update_va_mapping_otherdomain] =
        do_update_va_mapping_otherdomain,
    [__HYPERVISOR_vcpu_op] = do_vcpu_op,
    [__HYPERVISOR_set_segment_base] = do_set_segment_base,
    [__HYPERVISOR_mmuext_op] = do_mmuext_op,
    [__HYPERVISOR_sched_op] = do_sched_op,
    [__HYPERVISOR_callback_op] = do_callback_op,
    [__HYPERVISOR_event_channel_op] = do_event_channel_op,
    [__HYPERVISOR_physdev_op] = do_physdev_op,
    [__HYPERVISOR_domctl] = do_dom0_op,
    [__HYPERVISOR_xenpmu_op] = do_xenpmu_op,
    [__HYPERVISOR_mca] = do_mca,
};

/* -ENOSYS from a known hypercall: an unsupported sub-operation (the first
 * argument, for most families).  Said once per domain, number and value;
 * guests probe for optional features this way, so it is information, not
 * a warning.  A domU's goes to the log ring only (XENLOG_GUEST). */
#define SUBOP_SEEN_MAX 64
static struct { domid_t d; uint8_t nr; unsigned long sub; } subop_seen[SUBOP_SEEN_MAX];
static unsigned int subop_seen_count;

static void report_unsupported_subop(const struct cpu_regs *r, unsigned int nr,
                                     unsigned long sub)
{
    domid_t d = current->domain->domain_id;

    for ( unsigned int i = 0; i < subop_seen_count; i++ )
        if ( subop_seen[i].d == d && subop_seen[i].nr == nr &&
             subop_seen[i].sub == sub )
            return;
    if ( subop_seen_count < SUBOP_SEEN_MAX )
    {
        subop_seen[subop_seen_count].d = d;
        subop_seen[subop_seen_count].nr = nr;
        subop_seen[subop_seen_count].sub = sub;
        subop_seen_count++;
    }
    printk(XENLOG_GUEST "d%u: hypercall %u sub-op %lu is not supported "
           "(-ENOSYS, rip %#lx)\n", d, nr, sub, (unsigned long)r->rip);
}

long hypercall_enosys_answer(void)
{
    current->enosys_is_answer = true;
    return -ENOSYS;
}

/* One "unknown hypercall" message per domain and number (numbers past 63
 * every time).  Kept in the domain, not in a table by domain id: ids go
 * round robin, so any id may come up, and a new domain starts afresh. */
static void report_unknown(const struct cpu_regs *r, unsigned long nr)
{
    struct domain *d = current->domain;

    if ( nr < 64 )
    {
        if ( d->unknown_hcalls_reported & (1ULL << nr) )
            return;
        d->unknown_hcalls_reported |= 1ULL << nr;
    }
    printk(XENLOG_GUEST XENLOG_WARNING "d%u: unknown hypercall %#lx at rip "
           "%#lx (-ENOSYS)\n", d->domain_id, nr, (unsigned long)r->rip);
}

/*
 * The one place a hypercall number indexes the table, for direct calls and
 * multicall entries alike.  nr is the guest's full 64-bit value: checking a
 * truncated copy would let 0x10000000d pass for 13 (multicall) in one place
 * and not in another.
 */
static hypercall_fn_t *hypercall_lookup(unsigned long nr)
{
    return nr < NR_HYPERCALLS ? hypercall_table[nr] : NULL;
}

long hypercall_dispatch(unsigned long nr, const unsigned long a[5])
{
    hypercall_fn_t *fn = hypercall_lookup(nr);
    struct vcpu *v = current;

    v->last_dispatched[0] = nr;
    for ( unsigned int i = 0; i < 5; i++ )
        v->last_dispatched[i + 1] = a[i];
    return fn ? fn(a[0], a[1], a[2], a[3], a[4]) : -ENOSYS;
}

void pv_hypercall(struct cpu_regs *r)
{
    struct domain *d = current->domain;
    unsigned long nr = r->rax;
    unsigned long a[5] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8 };
    long ret;

    timer_trace(TT_HYPERCALL, nr << 32 | (a[0] & 0xffffffffUL), PT_DV(current));
    hypercall_begin();
    d->stats.hypercalls_total++;
    perfc_incr(PERFC_hypercalls);
    if ( nr < NR_HYPERCALLS )
        d->stats.hypercalls[nr]++;

    if ( nr != __HYPERVISOR_iret )
    {
        current->last_hypercall[0] = nr;
        for ( unsigned int i = 0; i < 5; i++ )
            current->last_hypercall[i + 1] = a[i];
    }
    if ( nr == __HYPERVISOR_iret )
    {
        pv_do_iret(r);      /* rewrites the whole frame; no result */
        return;
    }
    if ( !hypercall_lookup(nr) )
    {
        report_unknown(r, nr);
        ret = -ENOSYS;
    }
    else
    {
        current->enosys_is_answer = false;
        ret = hypercall_dispatch(nr, a);
        if ( ret == -ENOSYS && !current->enosys_is_answer )
        {
            /* These take a struct whose first word is the command. */
            unsigned long sub = a[0];
            uint32_t cmd;

            if ( (nr == __HYPERVISOR_platform_op || nr == __HYPERVISOR_mca ||
                  nr == __HYPERVISOR_domctl) &&
                 !copy_from_guest(&cmd, a[0], sizeof(cmd)) )
                sub = cmd;
            report_unsupported_subop(r, (unsigned int)nr, sub);
        }
    }

    if ( tracing(d) || current->trace_hypercalls )
        printk("d%u v%u hypercall %lu(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n",
               d->domain_id, current->vcpu_id, nr, a[0], a[1], a[2], a[3],
               a[4], ret);
    r->rax = (uint64_t)ret;
}

/* HYPERVISOR_multicall(entries, count): run each entry in order, write its
 * result; the multicall itself succeeds unless the list is unreadable.
 * Preemptible between entries: the continuation is the rest of the list.
 * An entry that preempts itself gets its new arguments written back into
 * the list and is re-run first when the multicall continues. */
static long multicall_run(uint64_t list, unsigned long count,
                          long *resume_at)
{
    for ( unsigned long i = 0; i < count; i++ )
    {
        struct multicall_entry e;
        unsigned long args[5];

        if ( i > 0 && hypercall_preempt_check() )
        {
            *resume_at = i;
            return 0;
        }
        if ( copy_from_guest_index(&e, list, i, sizeof(e)) )
            return -EFAULT;
        /* Full 64-bit compares, like the dispatcher's range check: an op
         * that only truncates to 13 is an unknown number (-ENOSYS), never
         * a nested multicall. */
        if ( e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret )
            e.result = -EINVAL;     /* no nesting, no frame rewrites */
        else
        {
            for ( unsigned int k = 0; k < 5; k++ )
                args[k] = e.args[k];
            e.result = hypercall_dispatch(e.op, args);
            if ( multicall_entry_preempted(args) )
            {
                for ( unsigned int k = 0; k < 5; k++ )
                    e.args[k] = args[k];
                if ( copy_to_guest(list + i * sizeof(e) +
                                   __builtin_offsetof(struct multicall_entry,
                                                      args),
                                   e.args, sizeof(e.args)) )
                    return -EFAULT;
                *resume_at = i;
                return 0;
            }
        }
        if ( copy_to_guest(list + i * sizeof(e) +
                           __builtin_offsetof(struct multicall_entry, result),
                           &e.result, sizeof(e.result)) )
            return -EFAULT;
        if ( current->domain->state != DOMAIN_RUNNING )
            break;                  /* an entry shut the domain down */
    }
    return 0;
}

HYPERCALL(multicall)
{
    long resume_at = -1;                /* the entry to continue from */
    long rc;

    if ( a2 > 4096 )
        return -EINVAL;
    if ( !multicall_enter() )
        return -EINVAL;
    rc = multicall_run(a1, a2, &resume_at);
    multicall_leave();
    if ( rc == 0 && resume_at >= 0 )
        rc = hypercall_create_continuation(__HYPERVISOR_multicall,
                    a1 + resume_at * sizeof(struct multicall_entry),
                    a2 - resume_at, 0, 0, 0);
    return rc;
}
