/*
 * dom0_op commands on whole domains: create, destroy, pause, unpause,
 * information, the domain list and the memory limit.
 *
 * A domain made here is an empty shell: paused once, vCPUs all down, no
 * memory.  The builder fills it (populate_physmap, setvcpucontext) and
 * unpauses it.  The lifecycle itself lives in common/domain.c; these are
 * thin callers.  Destroy and pause wait for vCPUs to leave their CPUs, and
 * do that in their _finish step, after dom0_op_lock is dropped; a destroy
 * is complete when the call returns (-EAGAIN is never needed).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domid.h>
#include <xen/domain-page.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/event.h>
#include <xen/guest_access.h>
#include <xen/perfc.h>
#include <xen/arch-hooks.h>
#include <xen/grant_table.h>
#include <public/sched.h>
#include "dom0_op-internal.h"

uint64_t vcpu_cpu_time(const struct vcpu *v);    /* common/schedule.c */

/* ---- Lookup (shared with the other dom0_op files) ---------------------- */

/* References taken by dom0_get_domain for the command now running: it
 * runs under dom0_op_lock, so one set is enough; the front door drops them
 * when the command returns (dom0_put_held). */
static struct domain *held[4];
static unsigned int nr_held;

struct domain *dom0_get_domain(domid_t id, int *err)
{
    struct domain *d;

    if ( id >= DOMID_FIRST_RESERVED )
    {
        *err = -EINVAL;
        return NULL;
    }
    if ( nr_held == ARRAY_SIZE(held) )
    {
        *err = -EBUSY;                  /* a command looks up at most two */
        return NULL;
    }
    d = domain_lookup(id);
    if ( d == NULL )
    {
        *err = -ESRCH;
        return NULL;
    }
    held[nr_held++] = d;
    return d;
}

void dom0_put_held(void)
{
    while ( nr_held > 0 )
        domain_put(held[--nr_held]);
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

uint64_t dom0_domain_cpu_time(const struct domain *d)
{
    uint64_t t = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            t += vcpu_cpu_time(d->vcpu[i]);
    return t;
}

/* ---- Commands ---------------------------------------------------------- */

static bool domid_in_use(domid_t id)
{
    struct domain *d = domain_lookup_any(id);     /* dying ones too */

    if ( d == NULL )
        return false;
    domain_put(d);
    return true;
}

static bool domid_taken(domid_t id, void *arg)
{
    (void)arg;
    return domid_in_use(id);
}

/* The id last handed out to a createdomain without one (under
 * dom0_op_lock, like every command): the next such domain gets the
 * first free id after it (common/domid.c says why not the lowest). */
static domid_t last_domid;

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
        id = domid_pick(last_domid, DOMID_FIRST_RESERVED, domid_taken,
                        NULL);
        if ( id == DOMID_FIRST_RESERVED )
            return -ENOSPC;             /* every ordinary id is taken */
    }
    else if ( id == 0 || id >= DOMID_FIRST_RESERVED )
        return -EINVAL;
    else if ( domid_in_use(id) )
        return -EEXIST;

    d = domain_create(id, c->max_vcpus,
                      c->flags & XEN_DOM0_CDF_privileged, &err);
    if ( d == NULL )
        return err;
    domain_pause_nosync(d);             /* the builder unpauses it */
    d->max_pages = c->max_pages;
    memcpy(d->handle, c->handle, sizeof(c->handle));
    for ( unsigned int i = 0; i < c->max_vcpus; i++ )
        if ( vcpu_create(d, i, i % num_online_cpus()) == NULL )
        {
            domain_kill(d);             /* nothing runs yet: no wait */
            domain_put(d);
            return -ENOMEM;
        }
    perfc_incr(PERFC_domains_created);
    printk("Domain %u created by d%u (%u vCPUs, max %lu pages)\n", id,
           current->domain->domain_id, c->max_vcpus, d->max_pages);
    domain_put(d);
    if ( c->domid == DOMID_INVALID )
        last_domid = id;
    c->domid = id;
    return 0;
}

/* Under dom0_op_lock: mark it dying and stop its vCPUs (quick).  The
 * teardown, which waits for them to leave their CPUs, runs in
 * dom0_destroydomain_finish after the lock is dropped. */
long dom0_destroydomain(struct xen_dom0_op *op)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    /* Neither the caller nor dom0 (the machine goes with it). */
    if ( d == current->domain || d == hardware_domain )
        return -EINVAL;
    if ( domain_kill_begin(d) )
    {
        dom0_sched_forget(d);
        perfc_incr(PERFC_domains_destroyed);
        path_trace(PT_DESTROY, d->domain_id, 0);
    }
    return 0;
}

long dom0_destroydomain_finish(struct xen_dom0_op *op)
{
    struct domain *d = domain_lookup_any(op->u.domain.domid);

    if ( d == NULL )
        return 0;                       /* another call finished it */
    if ( d->state == DOMAIN_DYING )
        domain_kill_finish(d);
    domain_put(d);
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
    domain_pause_nosync(d);
    return 0;
}

/* After dom0_op_lock is dropped: wait until the domain's vCPUs are off
 * their CPUs, so the toolstack sees a really paused domain. */
long dom0_pausedomain_finish(struct xen_dom0_op *op)
{
    struct domain *d = domain_lookup(op->u.domain.domid);

    if ( d != NULL )
    {
        domain_pause_wait(d);
        domain_put(d);
    }
    return 0;
}

long dom0_unpausedomain(struct xen_dom0_op *op)
{
    struct domain *d;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    return domain_unpause(d);
}

/* A domain that suspended itself (SCHEDOP_shutdown, SHUTDOWN_suspend)
 * runs on in place: the toolstack took a checkpoint, or its save failed.
 * The suspend hypercall then returns 1 ("cancelled") to the vCPU that
 * made it (the guest's protocol: it makes it on vCPU 0).  -EBUSY if the
 * domain is not suspended, -EAGAIN while vCPU 0 is still leaving its
 * CPU (the toolstack retries). */
long dom0_resumedomain(struct xen_dom0_op *op)
{
    struct domain *d;
    struct vcpu *v;
    int err;

    if ( (d = dom0_get_domain(op->u.domain.domid, &err)) == NULL )
        return err;
    if ( d == current->domain || READ_ONCE(d->state) != DOMAIN_SHUTDOWN ||
         d->shutdown_code != SHUTDOWN_suspend || (v = d->vcpu[0]) == NULL )
        return -EBUSY;
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] && READ_ONCE(d->vcpu[i]->state) == VCPU_RUNNING )
            return -EAGAIN;
    v->arch.regs.rax = 1;
    WRITE_ONCE(d->state, DOMAIN_RUNNING);
    /* domain_shutdown paused every vCPU once; give those back. */
    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
        if ( d->vcpu[i] )
            vcpu_unpause(d->vcpu[i]);
    printk("Domain %u resumed after a suspend (cancelled)\n", d->domain_id);
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

    if ( g->domid >= DOMID_FIRST_RESERVED )
        return -EINVAL;
    /* Dying domains too: they report XEN_DOMINF_dying until freed. */
    if ( (d = domain_lookup_any(g->domid)) == NULL )
        return -ESRCH;
    fill_domaininfo(d, &g->info);
    domain_put(d);
    return 0;
}

/* The domain with the smallest id >= from, referenced, or NULL. */
static struct domain *next_domain_from(unsigned int from)
{
    struct domain *d, *best = NULL;

    spin_lock(&domlist_lock);
    for ( d = domain_list; d; d = d->next_in_list )
        if ( d->domain_id >= from && d->domain_id < DOMID_FIRST_RESERVED &&
             (best == NULL || d->domain_id < best->domain_id) )
            best = d;
    if ( best )
        domain_get(best);
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
        from = d->domain_id + 1u;
        domain_put(d);
        if ( copy_to_guest_index(l->buffer, n, &info, sizeof(info)) )
            return -EFAULT;
        n++;
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
