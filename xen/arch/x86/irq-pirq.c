/*
 * Physical interrupts for the domains that drive devices (dom0 today):
 * the pirq table of each domain, the interrupt vectors behind it, and
 * delivery as event channels.  docs/dom0-hardware.md has the picture.
 *
 * The hypervisor owns every interrupt controller.  A domain asks for a
 * device's interrupt with PHYSDEVOP_map_pirq; the hypervisor allocates a
 * CPU vector, and either programs the device's MSI or MSI-X message
 * (irq-msi.c) or routes the GSI's IO-APIC pin (irq-ioapic.c) to send that
 * vector to CPU 0's local APIC, and gives the domain a pirq number.
 * EVTCHNOP_bind_pirq connects the pirq to a port (and unmasks a GSI's
 * pin); each interrupt then sets the port pending and is acknowledged at
 * the local APIC at once.  Message-signalled and edge GSI interrupts need
 * nothing more.  A level-triggered GSI would fire again at once while the
 * device still asserts it, so its pin is masked when it fires and
 * unmasked only by the domain's PHYSDEVOP_eoi (irq_status_query tells the
 * domain so): a device that never stops asserting costs one interrupt per
 * EOI, never a storm.
 *
 * Locking: pirq_lock (interrupts off) covers every domain's table and the
 * vector map.  The interrupt handler reads the port under it and raises
 * the port after dropping it, because EVTCHNOP_close holds the domain's
 * event lock when it unbinds (lock order: event lock, then pirq_lock).
 * The domain pointer it then uses is held by no reference, so the handler
 * counts itself in d->arch.pirq_inflight under the lock and the teardown
 * (arch_pirqs_release), having taken every vector away, waits for that
 * count to drop to 0 before the domain can go on to be freed.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/spinlock.h>
#include <xen/event.h>
#include <xen/arch-hooks.h>
#include <asm/apic.h>
#include <asm/irq.h>
#include <asm/irq-pirq.h>
#include <public/physdev.h>

/* Device vectors: below int $0x80 (a guest software interrupt vector, see
 * do_trap) and the hypervisor's own at 0xf0 and up; above the 8259s'. */
#define VECTOR_DEV_FIRST 0x30
#define VECTOR_DEV_LAST  0x7f

static DEFINE_SPINLOCK(pirq_lock);
/* Vector -> owner; NULL: free. */
static struct { struct domain *d; unsigned int pirq; }
    vector_owner[VECTOR_DEV_LAST + 1];

static void pirq_interrupt(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector, port = 0;
    struct domain *d;
    unsigned long flags;

    spin_lock_irqsave(&pirq_lock, flags);
    d = vector_owner[v].d;
    if ( d != NULL && d->arch.pirqs != NULL )
    {
        struct pirq *p = &d->arch.pirqs[vector_owner[v].pirq];

        p->count++;
        port = p->port;
        if ( port != 0 )
            __atomic_add_fetch(&d->arch.pirq_inflight, 1, __ATOMIC_SEQ_CST);
        if ( p->type == PIRQ_GSI && p->level )
        {
            ioapic_mask(p->gsi, true);  /* until the domain's EOI */
            p->awaiting_eoi = true;
        }
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    apic_eoi();
    if ( port != 0 )
    {
        evtchn_port_set_pending(d, port);
        __atomic_sub_fetch(&d->arch.pirq_inflight, 1, __ATOMIC_SEQ_CST);
    }
}

/* A free pirq of d, or -ENOSPC.  pirq_lock held. */
static int alloc_pirq_locked(struct domain *d)
{
    /* 0..15 are the legacy ISA numbers Linux reserves for GSIs. */
    for ( unsigned int i = 16; i < NR_PIRQS; i++ )
        if ( d->arch.pirqs[i].type == PIRQ_NONE )
            return i;
    return -ENOSPC;
}

static int alloc_vector_locked(struct domain *d, unsigned int pirq)
{
    for ( unsigned int v = VECTOR_DEV_FIRST; v <= VECTOR_DEV_LAST; v++ )
        if ( vector_owner[v].d == NULL )
        {
            vector_owner[v].d = d;
            vector_owner[v].pirq = pirq;
            return v;
        }
    return -ENOSPC;
}

void pirq_init(void)
{
    ioapic_init();
    for ( unsigned int v = VECTOR_DEV_FIRST; v <= VECTOR_DEV_LAST; v++ )
        set_irq_handler(v, pirq_interrupt);
}

/* The domain's table, allocated on first use. */
static int ensure_table(struct domain *d)
{
    struct pirq *t;
    unsigned long flags;

    if ( d->arch.pirqs != NULL )
        return 0;
    t = xzalloc_array(struct pirq, NR_PIRQS);
    if ( t == NULL )
        return -ENOMEM;
    spin_lock_irqsave(&pirq_lock, flags);
    if ( d->arch.pirqs == NULL )
    {
        d->arch.pirqs = t;
        t = NULL;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    xfree(t);
    return 0;
}

int pirq_map_msi(struct domain *d, const struct msi_source *src, int *pirq)
{
    unsigned long flags;
    int p, vec, rc;

    if ( (rc = ensure_table(d)) )
        return rc;
    spin_lock_irqsave(&pirq_lock, flags);
    for ( p = 0; p < NR_PIRQS; p++ )
    {
        const struct pirq *q = &d->arch.pirqs[p];

        if ( q->type != PIRQ_NONE && q->msi.bus == src->bus &&
             q->msi.devfn == src->devfn && q->msi.is_msix == src->is_msix &&
             q->msi.entry == src->entry )
        {
            spin_unlock_irqrestore(&pirq_lock, flags);
            return -EEXIST;     /* that message already has a pirq */
        }
    }
    if ( *pirq < 0 )
        p = alloc_pirq_locked(d);
    else if ( *pirq >= NR_PIRQS )
        p = -EINVAL;
    else
        p = d->arch.pirqs[*pirq].type == PIRQ_NONE ? *pirq : -EEXIST;
    if ( p < 0 )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return p;
    }
    vec = alloc_vector_locked(d, p);
    if ( vec < 0 )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return vec;
    }
    d->arch.pirqs[p].type = PIRQ_RESERVED;  /* ours while we program it */
    spin_unlock_irqrestore(&pirq_lock, flags);

    rc = msi_program(src, vec, cpu_apic_id[0]);

    spin_lock_irqsave(&pirq_lock, flags);
    if ( rc )
    {
        vector_owner[vec].d = NULL;
        d->arch.pirqs[p].type = PIRQ_NONE;
    }
    else
    {
        d->arch.pirqs[p].type = src->is_msix ? PIRQ_MSIX : PIRQ_MSI;
        d->arch.pirqs[p].vector = vec;
        d->arch.pirqs[p].msi = *src;
        *pirq = p;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* GSIs the hypervisor keeps: the 8259 cascade / ExtINT (0), the PIT
 * (IRQ 0, GSI 2 behind the usual override) and COM1 (4). */
static bool gsi_is_hypervisors(unsigned int gsi)
{
    return gsi == 0 || gsi == 2 || gsi == 4;
}

int pirq_map_gsi(struct domain *d, unsigned int gsi, int *pirq)
{
    unsigned long flags;
    int p, vec, rc;

    if ( gsi >= ioapic_nr_gsis() )
        return -EINVAL;
    if ( gsi_is_hypervisors(gsi) )
        return -EPERM;
    if ( (rc = ensure_table(d)) )
        return rc;
    p = *pirq < 0 ? (int)gsi : *pirq;
    if ( p >= NR_PIRQS )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    for ( int i = 0; i < NR_PIRQS; i++ )
        if ( d->arch.pirqs[i].type == PIRQ_GSI && d->arch.pirqs[i].gsi == gsi )
        {
            /* Mapped already: the same answer again (Linux maps the
             * legacy GSIs early and may ask again through ACPI). */
            rc = i == p || *pirq < 0 ? 0 : -EEXIST;
            if ( !rc )
                *pirq = i;
            spin_unlock_irqrestore(&pirq_lock, flags);
            return rc;
        }
    if ( d->arch.pirqs[p].type != PIRQ_NONE )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return -EEXIST;
    }
    vec = alloc_vector_locked(d, p);
    if ( vec < 0 )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return vec;
    }
    d->arch.pirqs[p] = (struct pirq){
        .type = PIRQ_GSI, .vector = vec, .gsi = gsi,
        /* ISA lines are edge/high, PCI lines level/low, until setup_gsi
         * says otherwise (from the MADT and _PRT). */
        .level = gsi >= 16, .active_low = gsi >= 16,
    };
    /* Routed but masked: bind_pirq unmasks. */
    ioapic_route(gsi, vec, gsi >= 16, gsi >= 16, cpu_apic_id[0], true);
    *pirq = p;
    spin_unlock_irqrestore(&pirq_lock, flags);
    return 0;
}

int pirq_setup_gsi(struct domain *d, unsigned int gsi, bool level,
                   bool active_low)
{
    unsigned long flags;
    int rc = -EINVAL;

    if ( d->arch.pirqs == NULL )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    for ( int i = 0; i < NR_PIRQS; i++ )
    {
        struct pirq *q = &d->arch.pirqs[i];

        if ( q->type != PIRQ_GSI || q->gsi != gsi )
            continue;
        q->level = level;
        q->active_low = active_low;
        q->awaiting_eoi = false;
        ioapic_route(gsi, q->vector, level, active_low, cpu_apic_id[0],
                     q->port == 0);
        rc = 0;
        break;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

int pirq_eoi(struct domain *d, unsigned int p)
{
    unsigned long flags;
    int rc = -EINVAL;

    if ( p >= NR_PIRQS || d->arch.pirqs == NULL )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    switch ( d->arch.pirqs[p].type )
    {
    case PIRQ_GSI:
        if ( d->arch.pirqs[p].awaiting_eoi && d->arch.pirqs[p].port != 0 )
            ioapic_mask(d->arch.pirqs[p].gsi, false);
        d->arch.pirqs[p].awaiting_eoi = false;
        rc = 0;
        break;
    case PIRQ_MSI:
    case PIRQ_MSIX:
        rc = 0;
        break;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

static bool is_mapped(const struct pirq *q)
{
    return q->type == PIRQ_MSI || q->type == PIRQ_MSIX || q->type == PIRQ_GSI;
}

/* pirq_lock held; the pirq is mapped and unbound. */
static void unmap_locked(struct domain *d, unsigned int p)
{
    struct pirq *q = &d->arch.pirqs[p];

    if ( q->type == PIRQ_GSI )
        ioapic_mask(q->gsi, true);
    vector_owner[q->vector].d = NULL;
    q->type = PIRQ_NONE;
}

int pirq_unmap(struct domain *d, unsigned int p)
{
    struct msi_source src;
    unsigned long flags;
    struct pirq *q;

    if ( p >= NR_PIRQS || d->arch.pirqs == NULL )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    q = &d->arch.pirqs[p];
    if ( !is_mapped(q) )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return -EINVAL;
    }
    if ( q->port != 0 )
    {
        spin_unlock_irqrestore(&pirq_lock, flags);
        return -EBUSY;          /* close the event channel first */
    }
    if ( q->type == PIRQ_GSI )
    {
        unmap_locked(d, p);
        spin_unlock_irqrestore(&pirq_lock, flags);
        return 0;
    }
    src = q->msi;
    q->type = PIRQ_RESERVED;    /* silence the device before the vector goes */
    spin_unlock_irqrestore(&pirq_lock, flags);
    msi_silence(&src);
    spin_lock_irqsave(&pirq_lock, flags);
    unmap_locked(d, p);
    spin_unlock_irqrestore(&pirq_lock, flags);
    return 0;
}

int pirq_status(struct domain *d, unsigned int p, uint32_t *flags_out)
{
    unsigned long flags;
    int rc = -EINVAL;

    if ( p >= NR_PIRQS || d->arch.pirqs == NULL )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    if ( is_mapped(&d->arch.pirqs[p]) )
    {
        /* Level GSIs need the EOI; nothing is shared between domains. */
        *flags_out = d->arch.pirqs[p].type == PIRQ_GSI &&
                     d->arch.pirqs[p].level ? XENIRQSTAT_needs_eoi : 0;
        rc = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* arch-hooks.h: EVTCHNOP_bind_pirq, d's event lock held. */
int arch_pirq_bind(struct domain *d, unsigned int p, unsigned int port)
{
    unsigned long flags;
    int rc = -EINVAL;

    if ( p >= NR_PIRQS || d->arch.pirqs == NULL )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    if ( is_mapped(&d->arch.pirqs[p]) )
    {
        rc = d->arch.pirqs[p].port ? -EEXIST : 0;
        if ( !rc )
        {
            d->arch.pirqs[p].port = port;
            d->arch.pirqs[p].awaiting_eoi = false;
            if ( d->arch.pirqs[p].type == PIRQ_GSI )
                ioapic_mask(d->arch.pirqs[p].gsi, false);
        }
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return rc;
}

/* arch-hooks.h: the pirq's port is being closed, event lock held. */
void arch_pirq_unbind(struct domain *d, unsigned int p)
{
    unsigned long flags;

    if ( p >= NR_PIRQS || d->arch.pirqs == NULL )
        return;
    spin_lock_irqsave(&pirq_lock, flags);
    d->arch.pirqs[p].port = 0;
    if ( d->arch.pirqs[p].type == PIRQ_GSI )
        ioapic_mask(d->arch.pirqs[p].gsi, true);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* arch-hooks.h: the domain is being destroyed (its ports are closed):
 * silence its devices and give back vectors and table. */
void arch_pirqs_release(struct domain *d)
{
    unsigned long flags;
    struct pirq *t = d->arch.pirqs;

    if ( t == NULL )
        return;
    for ( unsigned int p = 0; p < NR_PIRQS; p++ )
        if ( t[p].type == PIRQ_MSI || t[p].type == PIRQ_MSIX )
            msi_silence(&t[p].msi);
    spin_lock_irqsave(&pirq_lock, flags);
    for ( unsigned int p = 0; p < NR_PIRQS; p++ )
        if ( is_mapped(&t[p]) )
            unmap_locked(d, p);
    d->arch.pirqs = NULL;
    spin_unlock_irqrestore(&pirq_lock, flags);
    /* No vector leads to d any more; a handler that found d before that
     * may still be raising the port: d must outlive it. */
    while ( __atomic_load_n(&d->arch.pirq_inflight, __ATOMIC_SEQ_CST) != 0 )
        cpu_relax();
    xfree(t);
}
