/*
 * The domain lifecycle, all of it: creation, references and lookup,
 * pausing, shutdown and crash, killing (dying and teardown) and the final
 * free.  docs/domain-lifecycle.md tells the story; the rules in short:
 *
 *  - d->refcnt counts the domain list's reference (from domain_create until
 *    the kill unlinks it) and one per holder (a lookup's caller, an
 *    interdomain event channel).  The struct and its vCPUs are freed by
 *    the domain_put that drops the last one, never before.
 *  - Killing marks the domain DYING (once, atomically), pauses its vCPUs,
 *    waits until none is on a CPU, then releases everything it holds.
 *    Lookups no longer find it; code that already holds a reference sees
 *    DYING and refuses to give it anything new.
 *  - Shutting down the hardware domain (dom0) shuts the machine down, as
 *    Xen does.
 */
#include <xen/lib.h>
#include <xen/perfc.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/arch-hooks.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <xen/shutdown.h>
#include <xen/smp.h>
#include <public/sched.h>

struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
struct domain *hardware_domain;

/* ---- References and lookup (domain_lookup_for: domain_lookup.c) --------- */

static void domain_free(struct domain *d)
{
    for ( unsigned int i = 0; i < MAX_VCPUS; i++ )
        xfree(d->vcpu[i]);
    xfree(d);
}

void domain_get(struct domain *d)
{
    __atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
    unsigned int n = __atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);

    if ( n == 0 )
        domain_free(d);
    else if ( n == (unsigned int)-1 )
        /* A put without its get: keep the memory, say so. */
        printk(XENLOG_ERR "d%u: reference count underflow\n", d->domain_id);
}

/* The list's own reference keeps refcnt above zero while d is on it, so a
 * plain increment under domlist_lock cannot resurrect a freed domain. */
static struct domain *lookup(domid_t id, bool dying_too)
{
    struct domain *d;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id &&
             (dying_too || READ_ONCE(d->state) != DOMAIN_DYING) )
        {
            domain_get(d);
            break;
        }
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *domain_lookup(domid_t id)
{
    return lookup(id, false);
}

struct domain *domain_lookup_any(domid_t id)
{
    return lookup(id, true);
}

struct domain *domain_create(domid_t id, unsigned int max_vcpus,
                             bool privileged, int *err)
{
    struct domain *d;
    void *si;

    *err = -EINVAL;
    if ( max_vcpus == 0 || max_vcpus > MAX_VCPUS )
        return NULL;
    *err = -EEXIST;
    if ( (d = domain_lookup_any(id)) != NULL )
    {
        domain_put(d);
        return NULL;
    }

    *err = -ENOMEM;
    d = xzalloc(struct domain);
    si = alloc_xenheap_page();
    if ( !d || !si )
        goto fail;
    memset(si, 0, PAGE_SIZE);

    d->domain_id = id;
    d->refcnt = 2;                      /* the list's and the caller's */
    d->is_privileged = privileged;
    d->state = DOMAIN_RUNNING;
    d->max_vcpus = max_vcpus;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->event_lock);
    list_init(&d->page_list);
    d->shared_info = si;
    d->shared_info_mfn = virt_to_maddr(si) >> PAGE_SHIFT;
    d->created_at = NOW();
    sched_init_domain(d);
    /* The guest maps shared_info by MFN: it must count as the domain's. */
    share_xen_page_with_guest(virt_to_page(si), d);

    /* Every vCPU starts with events masked (the ABI's start-of-day). */
    for ( unsigned int i = 0; i < MAX_VIRT_CPUS; i++ )
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;

    *err = evtchn_domain_init(d);
    if ( *err )
        goto fail;

    spin_lock(&domlist_lock);
    d->next_in_list = domain_list;
    domain_list = d;
    spin_unlock(&domlist_lock);
    /* Every domain sees the wall clock from its first instruction (a
     * later settime reaches it through the list); a domU used to see
     * 1970 until then. */
    update_domain_wallclock(d);
    if ( privileged && id == 0 )
        hardware_domain = d;
    *err = 0;
    return d;

 fail:
    if ( si )
        free_xenheap_page(si);
    xfree(d);
    return NULL;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
    struct vcpu *v;

    if ( id >= d->max_vcpus || d->vcpu[id] || !cpu_online(cpu) )
        return NULL;
    v = xzalloc(struct vcpu);
    if ( !v )
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = cpu;
    v->state = VCPU_DOWN;
    v->vcpu_info = &d->shared_info->vcpu_info[id];
    v->vcpu_info_mfn = INVALID_MFN;
    v->runstate.state = RUNSTATE_offline;
    list_init(&v->runq_link);
    sched_init_vcpu(v);
    vcpu_timers_init(v);
    if ( arch_vcpu_create(v) )
    {
        xfree(v);
        return NULL;
    }
    d->vcpu[id] = v;
    return v;
}

static const char *shutdown_reason_name(unsigned int r)
{
    static const char *const names[] = {
        [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
        [SHUTDOWN_suspend] = "suspend", [SHUTDOWN_crash] = "crash",
        [SHUTDOWN_watchdog] = "watchdog",
    };
    return r < ARRAY_SIZE(names) && names[r] ? names[r] : "unknown";
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    enum domain_state running = DOMAIN_RUNNING;

    /* Only from running: never undo a kill that has begun. */
    if ( !__atomic_compare_exchange_n(&d->state, &running, DOMAIN_SHUTDOWN,
                                      false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST) )
        return;
    d->shutdown_code = reason;
    printk("Domain %u shut down: %s\n", d->domain_id,
           shutdown_reason_name(reason));
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            vcpu_pause_nosync(d->vcpu[i]);
    /* With the mm_audit boot option: check every page's counts now. */
    mm_audit_at_shutdown(d);

    if ( d == hardware_domain )
    {
        /* dom0 going away takes the machine with it. */
        printk("Hardware domain shut down (%s): stopping the machine\n",
               shutdown_reason_name(reason));
        perfc_print_all();
        if ( reason == SHUTDOWN_reboot )
            machine_restart();
        machine_exit(reason == SHUTDOWN_poweroff ? MACHINE_EXIT_PASS
                                                 : MACHINE_EXIT_FAIL);
    }
    if ( hardware_domain )
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d, const char *why)
{
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}

/* ---- Pausing (counted; the toolstack, shutdown and kill all use it) ---- */

void domain_pause_nosync(struct domain *d)
{
    __atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            raise_schedule(d->vcpu[i]->processor);
}

/* Until no vCPU of d is on a CPU (or d was unpaused meanwhile).  With
 * hypercalls preemptible this is at most about a millisecond per vCPU. */
void domain_pause_wait(struct domain *d)
{
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
    {
        struct vcpu *v = d->vcpu[i];

        if ( v == NULL || v == current )
            continue;
        /* is_running: off the CPU means its context is saved too. */
        while ( (READ_ONCE(v->state) == VCPU_RUNNING ||
                 __atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE)) &&
                (READ_ONCE(d->pause_count) != 0 ||
                 READ_ONCE(d->state) != DOMAIN_RUNNING) )
            cpu_relax();
    }
}

void domain_pause(struct domain *d)
{
    domain_pause_nosync(d);
    domain_pause_wait(d);
}

int domain_unpause(struct domain *d)
{
    unsigned int n = READ_ONCE(d->pause_count);

    do {
        if ( n == 0 )
            return -EINVAL;             /* more unpauses than pauses */
    } while ( !__atomic_compare_exchange_n(&d->pause_count, &n, n - 1, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST) );
    if ( n == 1 )
        for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
            if ( d->vcpu[i] )
                vcpu_requeue(d->vcpu[i]);
    return 0;
}

/* ---- Killing: dying, teardown ------------------------------------------ */

bool domain_kill_begin(struct domain *d)
{
    enum domain_state s = READ_ONCE(d->state);

    do {
        if ( s == DOMAIN_DYING )
            return false;               /* someone else is killing it */
    } while ( !__atomic_compare_exchange_n(&d->state, &s, DOMAIN_DYING, false,
                                           __ATOMIC_SEQ_CST,
                                           __ATOMIC_SEQ_CST) );
    /* Never unpaused again: the kill's pause is not counted back. */
    domain_pause_nosync(d);
    return true;
}

static void release_vcpu(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;

    vcpu_down(v);                       /* off its run queue for good */
    vcpu_events_destroy(v);
    pv_release_guest_tables(v);
    for ( unsigned int i = 0; i < DIV_ROUND_UP(a->gdt_ents, 512); i++ )
        put_page_and_type(mfn_to_page(a->gdt_frames[i]));
    a->gdt_ents = 0;
}

static void unlink_domain(struct domain *d)
{
    struct domain **pp;

    spin_lock(&domlist_lock);
    for ( pp = &domain_list; *pp; pp = &(*pp)->next_in_list )
        if ( *pp == d )
        {
            *pp = d->next_in_list;
            break;
        }
    spin_unlock(&domlist_lock);
}

void domain_kill_finish(struct domain *d)
{
    struct shared_info *si;
    unsigned long orphans;
    unsigned int i;

    /* One CPU tears down; a second destroy just returns. */
    if ( __atomic_exchange_n(&d->teardown_started, true, __ATOMIC_SEQ_CST) )
        return;
    /* No vCPU of d runs any more, so nothing of d's own is in flight;
     * other domains only reach d through references and see DYING. */
    domain_pause_wait(d);
    for ( i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            release_vcpu(d->vcpu[i]);

    evtchn_domain_destroy(d);
    arch_pirqs_release(d);
    arch_io_perm_release(d);
    grant_table_destroy(d);
    orphans = relinquish_domain_pages(d);
    /* The wallclock writer walks the list for shared_info pages. */
    spin_lock(&domlist_lock);
    si = d->shared_info;
    d->shared_info = NULL;
    spin_unlock(&domlist_lock);
    unshare_xen_page(virt_to_page(si));
    mm_audit_at_shutdown(d);

    unlink_domain(d);
    printk("Domain %u destroyed%s\n", d->domain_id,
           orphans ? " (some frames stay until their foreign mappings go)"
                   : "");
    domain_put(d);                      /* the list's reference */
}

void domain_kill(struct domain *d)
{
    if ( domain_kill_begin(d) )
        domain_kill_finish(d);
}
