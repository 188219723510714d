/*
 * Domains and vCPUs: creation, lookup, shutdown, crash.
 *
 * Destroying a domain (and its memory) comes with the control plane; for
 * now a shut-down domain stays until the machine stops.  Shutting down
 * the hardware domain (dom0) shuts the machine down, as Xen does.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/arch-hooks.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/shutdown.h>
#include <xen/smp.h>
#include <public/sched.h>

struct domain *domain_list;
DEFINE_SPINLOCK(domlist_lock);
struct domain *hardware_domain;

struct domain *domain_lookup(domid_t id)
{
    struct domain *d;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id && d->state != DOMAIN_DYING )
            break;
    spin_unlock(&domlist_lock);
    return d;
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
    if ( domain_lookup(id) )
        return NULL;

    *err = -ENOMEM;
    d = xzalloc(struct domain);
    si = alloc_xenheap_page();
    if ( !d || !si )
        goto fail;
    memset(si, 0, PAGE_SIZE);

    d->domain_id = id;
    d->is_privileged = privileged;
    d->state = DOMAIN_RUNNING;
    d->max_vcpus = max_vcpus;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->event_lock);
    list_init(&d->page_list);
    d->shared_info = si;
    d->shared_info_mfn = virt_to_maddr(si) >> PAGE_SHIFT;
    d->created_at = NOW();
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
    if ( d->state != DOMAIN_RUNNING )
        return;
    d->state = DOMAIN_SHUTDOWN;
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
        machine_exit(reason == SHUTDOWN_poweroff || reason == SHUTDOWN_reboot
                     ? MACHINE_EXIT_PASS : MACHINE_EXIT_FAIL);
    }
    if ( hardware_domain )
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d, const char *why)
{
    printk(XENLOG_ERR "Domain %u crashed: %s\n", d->domain_id, why);
    domain_shutdown(d, SHUTDOWN_crash);
}
