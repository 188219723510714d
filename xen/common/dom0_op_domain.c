/*
 * dom0_op commands on whole domains: create, destroy, pause, unpause,
 * information, the domain list and the memory limit.
 *
 * A domain made here is an empty shell: paused once, vCPUs all down, no
 * memory.  The builder fills it (populate_physmap, setvcpucontext) and
 * unpauses it.  Destruction is complete within one call: once its vCPUs
 * are off every CPU nothing else can reach the domain's state, so every
 * resource is released at once and -EAGAIN is never needed.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>
#include <xen/arch-hooks.h>
#include <xen/grant_table.h>
#include "dom0_op-internal.h"

uint64_t vcpu_cpu_time(const struct vcpu *v);    /* common/schedule.c */

/* ---- Lookup and vCPU holding (shared with the other dom0_op files) ---- */

struct domain *dom0_find_domain(domid_t id)
{
    struct domain *d;

    if ( id >= DOMID_FIRST_RESERVED )
        return NULL;
    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id == id )
            break;
    spin_unlock(&domlist_lock);
    return d;
}

struct domain *dom0_get_domain(domid_t id, int *err)
{
    struct domain *d;

    if ( id >= DOMID_FIRST_RESERVED )
    {
        *err = -EINVAL;
        return NULL;
    }
    d = dom0_find_domain(id);
    if ( d == NULL )
        *err = -ESRCH;
    return d;
}

struct vcpu *dom0_get_vcpu(struct domain *d, uint32_t n, int *err)
{
    if ( n >= d->max_vcpus || n >= MAX_VCPUS || d->vcpu[n] == NULL )
    {
        *err = -ENOENT;
        return NULL;
    }
    return d->vcpu[n];
}

/* The scheduler's vcpu_unpause would wake a vCPU that is down; the
 * toolstack's pauses must leave up/down alone. */
void dom0_vcpu_hold(struct vcpu *v)
{
    __atomic_add_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST);
    raise_schedule(v->processor);
    while ( v != current && READ_ONCE(v->state) == VCPU_RUNNING )
        cpu_relax();
}

void dom0_vcpu_release(struct vcpu *v)
{
    if ( __atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0 &&
         READ_ONCE(v->state) == VCPU_RUNNABLE )
        vcpu_wake(v);           /* back on its run queue */
}

uint64_t dom0_domain_cpu_time(const struct domain *d)
{
    uint64_t t = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            t += vcpu_cpu_time(d->vcpu[i]);
    return t;
}

/* ---- Teardown ---------------------------------------------------------- */

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

/* Everything d holds goes back; d itself is freed.  d must not be the
 * caller's domain. */
static void domain_teardown(struct domain *d)
{
    unsigned long orphans;
    unsigned int i;

    d->state = DOMAIN_DYING;
    for ( i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            dom0_vcpu_hold(d->vcpu[i]);
    for ( i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            release_vcpu(d->vcpu[i]);

    evtchn_domain_destroy(d);
    grant_table_destroy(d);
    orphans = relinquish_domain_pages(d);
    unshare_xen_page(virt_to_page(d->shared_info));
    d->shared_info = NULL;
    mm_audit_at_shutdown(d);

    unlink_domain(d);
    dom0_sched_forget(d);
    for ( i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        xfree(d->vcpu[i]);
    printk("Domain %u destroyed%s\n", d->domain_id,
           orphans ? " (some frames stay until their foreign mappings go)"
                   : "");
    xfree(d);
}

/* ---- Commands ---------------------------------------------------------- */

static domid_t lowest_free_domid(void)
{
    for ( domid_t id = 1; id < DOMID_FIRST_RESERVED; id++ )
        if ( dom0_find_domain(id) == NULL )
            return id;
    return DOMID_INVALID;
}

long dom0_createdomain(struct xen_dom0_op *op)
{
    struct xen_dom0_createdomain *c = &op->u.createdomain;
    struct domain *d;
    domid_t id = c->domid;
    int err;

    if ( c->max_pages == 0 || c->max_vcpus == 0 ||
         c->max_vcpus > MAX_CREATE_VCPUS )
        return -EINVAL;
    if ( id == DOMID_INVALID )
    {
        id = lowest_free_domid();
        if ( id == DOMID_INVALID )
            return -ENOSPC;
    }
    else if ( id == 0 || id >= DOMID_FIRST_RESERVED )
        return -EINVAL;
    else if ( dom0_find_domain(id) )
        return -EEXIST;

    d = domain_create(id, c->max_vcpus,
                      c->flags & XEN_DOM0_CDF_privileged, &err);
    if ( d == NULL )
        return err;
    d->pause_count = 1;
    d->max_pages = c->max_pages;
    memcpy(d->handle, c->handle, sizeof(c->handle));
    for ( unsigned int i = 0; i < c->max_vcpus; i++ )
        if ( vcpu_create(d, i, i % num_online_cpus()) == NULL )
        {
            domain_teardown(d);
            return -ENOMEM;
        }
    perfc_incr(PERFC_domains_created);
    printk("Domain %u created by d%u (%u vCPUs, max %lu pages)\n", id,
           current->domain->domain_id, c->max_vcpus, d->max_pages);
    c->domid = id;
    return 0;
}

long dom0_destroydomain(struct xen_dom0_op *op)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    /* Neither the caller nor dom0 (the machine goes with it). */
    if ( d == current->domain || d == hardware_domain )
        return -EINVAL;
    domain_teardown(d);
    perfc_incr(PERFC_domains_destroyed);
    if ( hardware_domain )
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
    return 0;
}

long dom0_pausedomain(struct xen_dom0_op *op)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    if ( d == current->domain )
        return -EINVAL;
    __atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    /* vcpu_runnable() now says no: wait for each vCPU to leave its CPU. */
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
    {
        struct vcpu *v = d->vcpu[i];

        if ( v == NULL )
            continue;
        raise_schedule(v->processor);
        while ( READ_ONCE(v->state) == VCPU_RUNNING )
            cpu_relax();
    }
    return 0;
}

long dom0_unpausedomain(struct xen_dom0_op *op)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    if ( d->pause_count == 0 )
        return -EINVAL;
    if ( __atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST) != 0 )
        return 0;
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] && READ_ONCE(d->vcpu[i]->state) == VCPU_RUNNABLE )
            vcpu_wake(d->vcpu[i]);
    return 0;
}

static void fill_domaininfo(const struct domain *d,
                            struct xen_dom0_domaininfo *info)
{
    unsigned int online = 0, blocked = 0, running = 0;

    memset(info, 0, sizeof(*info));
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
    {
        const struct vcpu *v = d->vcpu[i];
        enum vcpu_state s;

        if ( v == NULL || (s = READ_ONCE(v->state)) == VCPU_DOWN )
            continue;
        online++;
        blocked += s == VCPU_BLOCKED;
        running += s == VCPU_RUNNING;
    }
    info->domid = d->domain_id;
    if ( d->state == DOMAIN_DYING )
        info->flags |= XEN_DOMINF_dying;
    if ( d->state == DOMAIN_SHUTDOWN )
    {
        info->flags |= XEN_DOMINF_shutdown;
        info->shutdown_reason = d->shutdown_code;
    }
    if ( d->pause_count )
        info->flags |= XEN_DOMINF_paused;
    if ( online && blocked == online )
        info->flags |= XEN_DOMINF_blocked;
    if ( running )
        info->flags |= XEN_DOMINF_running;
    if ( d->is_privileged )
        info->flags |= XEN_DOMINF_privileged;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    info->shared_info_frame = d->shared_info_mfn;
    info->cpu_time_ns = dom0_domain_cpu_time(d);
    info->nr_online_vcpus = online;
    info->max_vcpu_id = d->max_vcpus - 1;
    memcpy(info->handle, d->handle, sizeof(info->handle));
}

long dom0_getdomaininfo(struct xen_dom0_op *op)
{
    struct xen_dom0_getdomaininfo *g = &op->u.getdomaininfo;
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(g->domid, &err)) == NULL )
        return err;
    fill_domaininfo(d, &g->info);
    return 0;
}

/* The domain with the smallest id >= from, or NULL. */
static struct domain *next_domain_from(unsigned int from)
{
    struct domain *d, *best = NULL;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id >= from && d->domain_id < DOMID_FIRST_RESERVED &&
             (best == NULL || d->domain_id < best->domain_id) )
            best = d;
    spin_unlock(&domlist_lock);
    return best;
}

long dom0_getdomaininfolist(struct xen_dom0_op *op)
{
    struct xen_dom0_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct xen_dom0_domaininfo info;
    unsigned int from = l->first_domid, n = 0;
    struct domain *d;

    if ( l->max_entries == 0 || l->max_entries > XEN_DOM0_INFOLIST_MAX )
        return -EINVAL;
    while ( n < l->max_entries && (d = next_domain_from(from)) != NULL )
    {
        fill_domaininfo(d, &info);
        if ( copy_to_guest_index(l->buffer, n, &info, sizeof(info)) )
            return -EFAULT;
        n++;
        from = d->domain_id + 1u;
    }
    l->nr_entries = n;
    return 0;
}

long dom0_setmaxmem(struct xen_dom0_op *op)
{
    struct xen_dom0_setmaxmem *m = &op->u.setmaxmem;
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(m->domid, &err)) == NULL )
        return err;
    if ( m->max_pages == 0 || m->max_pages > heap_total_pages() )
        return -EINVAL;
    spin_lock(&d->lock);
    d->max_pages = m->max_pages;
    spin_unlock(&d->lock);
    return 0;
}
