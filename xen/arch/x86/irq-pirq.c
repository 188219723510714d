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
 * unmasked only by the domain's PHYSDEVOP_eoi (irq_status_query, or the
 * domain's EOI map, tells the domain so): a device that never stops
 * asserting costs one interrupt per EOI.  Any source interrupting faster
 * than pirq_storm_limit per window is masked for a while (storms, below).
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
#include <xen/timer.h>
#include <xen/bitops.h>
#include <asm/time.h>
#include <asm/pci-conf.h>
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

/*
 * Storms.  A source that interrupts more than pirq_storm_limit times in
 * one STORM_WINDOW (a stuck edge line, a device sending MSIs in a loop, a
 * domain EOIing a level line it never quiets as fast as it can) is masked
 * for STORM_MASK_TIME and logged (once per pirq); storm_timer unmasks it
 * afterwards.  The default, 500 per 10 ms (50000 a second), is far above
 * what a device sends in QEMU or on hardware with interrupt moderation,
 * and at a few microseconds per interrupt keeps a storming source to a
 * fraction of CPU 0.
 */
#define MS              1000000LL   /* ns */
#define STORM_WINDOW    (10 * MS)
#define STORM_MASK_TIME (100 * MS)
static unsigned int pirq_storm_limit = 500;
integer_param("pirq_storm_limit", pirq_storm_limit);
static struct timer storm_timer;

/* Mask or unmask a mapped pirq's source.  pirq_lock held. */
static void source_mask(struct pirq *q, bool masked)
{
    if ( q->type == PIRQ_GSI )
        ioapic_mask(q->gsi, masked);
    else if ( q->type == PIRQ_MSI || q->type == PIRQ_MSIX )
        msi_set_masked(&q->msi, q->msix_ctl, masked);
}

/* The EOI map bit of pirq p (pirq_eoi_gmfn_v2), if the domain gave one. */
static void eoi_bit(struct domain *d, unsigned int p, bool set)
{
    unsigned long *w, bit;

    if ( d->arch.pirq_eoi_map == NULL )
        return;
    w = &d->arch.pirq_eoi_map[p / BITS_PER_LONG];
    bit = 1UL << (p % BITS_PER_LONG);
    if ( set )
        __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

/* Count one interrupt of q; true if it is storming (and now masked).
 * pirq_lock held. */
static bool storm_check(struct domain *d, unsigned int p, struct pirq *q)
{
    s_time_t now = NOW();

    if ( q->storm_until != 0 )
        return true;            /* one that was already in flight */
    if ( now - q->win_start >= STORM_WINDOW )
    {
        q->win_start = now;
        q->win_count = 0;
    }
    if ( ++q->win_count <= pirq_storm_limit )
        return false;
    source_mask(q, true);
    q->storm_until = now + STORM_MASK_TIME;
    if ( q->storms++ == 0 )
        printk(XENLOG_WARNING "d%u pirq %u: interrupt storm (more than %u "
               "in %u ms): masked for %u ms\n", d->domain_id, p,
               pirq_storm_limit, (unsigned int)(STORM_WINDOW / MS),
               (unsigned int)(STORM_MASK_TIME / MS));
    if ( !timer_is_active(&storm_timer) ||
         storm_timer.expires > q->storm_until )
        set_timer(&storm_timer, q->storm_until);
    return true;
}

/* End the storms whose time is up: unmask what the domain still wants
 * unmasked (bound; a level line not awaiting its EOI). */
static void storm_timer_fn(void *data)
{
    s_time_t now = NOW(), next = 0;
    unsigned long flags;

    (void)data;
    spin_lock_irqsave(&pirq_lock, flags);
    for ( unsigned int v = VECTOR_DEV_FIRST; v <= VECTOR_DEV_LAST; v++ )
    {
        struct domain *d = vector_owner[v].d;
        struct pirq *q;

        if ( d == NULL || d->arch.pirqs == NULL )
            continue;
        q = &d->arch.pirqs[vector_owner[v].pirq];
        if ( q->storm_until == 0 )
            continue;
        if ( q->storm_until > now )
        {
            if ( next == 0 || q->storm_until < next )
                next = q->storm_until;
            continue;
        }
        q->storm_until = 0;
        q->win_count = 0;
        q->win_start = now;
        if ( q->type == PIRQ_GSI ? q->port != 0 && !q->awaiting_eoi
                                 : q->type == PIRQ_MSI || q->type == PIRQ_MSIX )
            source_mask(q, false);
    }
    if ( next != 0 )
        set_timer(&storm_timer, next);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

static void pirq_interrupt(struct cpu_regs *r)
{
    unsigned int v = r->entry_vector, port = 0;
    struct domain *d;
    unsigned long flags;

    spin_lock_irqsave(&pirq_lock, flags);
    d = vector_owner[v].d;
    if ( d != NULL && d->arch.pirqs != NULL )
    {
        unsigned int p = vector_owner[v].pirq;
        struct pirq *q = &d->arch.pirqs[p];

        q->count++;
        if ( !storm_check(d, p, q) )
        {
            port = q->port;
            if ( port != 0 )
                __atomic_add_fetch(&d->arch.pirq_inflight, 1, __ATOMIC_SEQ_CST);
            if ( q->type == PIRQ_GSI && q->level )
            {
                ioapic_mask(q->gsi, true);  /* until the domain's EOI */
                q->awaiting_eoi = true;
                eoi_bit(d, p, true);
            }
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
    init_timer(&storm_timer, storm_timer_fn, NULL, 0);
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
    volatile uint32_t *ctl;
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
    ctl = rc == 0 ? msi_msix_ctl(src) : NULL;

    spin_lock_irqsave(&pirq_lock, flags);
    if ( rc )
    {
        vector_owner[vec].d = NULL;
        d->arch.pirqs[p].type = PIRQ_NONE;
    }
    else
    {
        d->arch.pirqs[p] = (struct pirq){
            .type = src->is_msix ? PIRQ_MSIX : PIRQ_MSI, .vector = vec,
            .msi = *src, .msix_ctl = ctl,
        };
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
        eoi_bit(d, i, false);
        ioapic_route(gsi, q->vector, level, active_low, cpu_apic_id[0],
                     q->port == 0 || q->storm_until != 0);
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
        /* A storm's mask stays until storm_timer ends it. */
        if ( d->arch.pirqs[p].awaiting_eoi && d->arch.pirqs[p].port != 0 &&
             d->arch.pirqs[p].storm_until == 0 )
            ioapic_mask(d->arch.pirqs[p].gsi, false);
        d->arch.pirqs[p].awaiting_eoi = false;
        eoi_bit(d, p, false);
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
    eoi_bit(d, p, false);
    *q = (struct pirq){ .type = PIRQ_NONE };
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
            eoi_bit(d, p, false);
            if ( d->arch.pirqs[p].type == PIRQ_GSI &&
                 d->arch.pirqs[p].storm_until == 0 )
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
    d->arch.pirqs[p].awaiting_eoi = false;
    eoi_bit(d, p, false);
    if ( d->arch.pirqs[p].type == PIRQ_GSI )
        ioapic_mask(d->arch.pirqs[p].gsi, true);
    spin_unlock_irqrestore(&pirq_lock, flags);
}

/* arch-hooks.h: the domain is being destroyed (its ports are closed):
 * silence its devices and give back vectors, table and EOI map frame. */
void arch_pirqs_release(struct domain *d)
{
    unsigned long flags;
    struct pirq *t = d->arch.pirqs;
    bool had_map;

    if ( t != NULL )
        for ( unsigned int p = 0; p < NR_PIRQS; p++ )
            if ( t[p].type == PIRQ_MSI || t[p].type == PIRQ_MSIX )
                msi_silence(&t[p].msi);
    spin_lock_irqsave(&pirq_lock, flags);
    if ( t != NULL )
        for ( unsigned int p = 0; p < NR_PIRQS; p++ )
            if ( is_mapped(&t[p]) )
                unmap_locked(d, p);
    d->arch.pirqs = NULL;
    had_map = d->arch.pirq_eoi_map != NULL;
    d->arch.pirq_eoi_map = NULL;
    spin_unlock_irqrestore(&pirq_lock, flags);
    /* No vector leads to d any more; a handler that found d before that
     * may still be raising the port: d must outlive it. */
    while ( __atomic_load_n(&d->arch.pirq_inflight, __ATOMIC_SEQ_CST) != 0 )
        cpu_relax();
    if ( had_map )
        put_page_and_type(mfn_to_page(d->arch.pirq_eoi_mfn));
    xfree(t);
}

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v2.  Linux registers a zeroed page at boot and
 * from then on calls PHYSDEVOP_eoi only for pirqs whose bit is set: the
 * hypervisor sets a level GSI's bit when it masks the line in the handler
 * and clears it at the EOI (and at bind, unbind and unmap).  The frame is
 * written by the hypervisor at interrupt time, so, like a vcpu_info frame,
 * it holds a writable type reference while registered (the domain cannot
 * make it a page table or descriptor page, whose contents these writes
 * would forge); there is no unregistering in the ABI, so the reference
 * goes when the domain dies.  For PV guests the gmfn is the machine frame.
 */
int pirq_eoi_map_register(struct domain *d, unsigned long mfn)
{
    struct page_info *pg;
    unsigned long flags;
    int rc = 0;

    if ( mfn == INVALID_MFN || !mfn_in_frame_table(mfn) ||
         get_page_and_type(pg = mfn_to_page(mfn), d, PGT_writable_page) )
        return -EINVAL;
    spin_lock_irqsave(&pirq_lock, flags);
    if ( d->arch.pirq_eoi_map != NULL )
        rc = -EBUSY;
    else
    {
        d->arch.pirq_eoi_mfn = mfn;
        d->arch.pirq_eoi_map = maddr_to_virt((paddr_t)mfn << PAGE_SHIFT);
        memset(d->arch.pirq_eoi_map, 0, PAGE_SIZE);
        /* What needs an EOI now needs it from the map too. */
        for ( unsigned int p = 0; d->arch.pirqs != NULL && p < NR_PIRQS; p++ )
            if ( d->arch.pirqs[p].type == PIRQ_GSI &&
                 d->arch.pirqs[p].awaiting_eoi )
                eoi_bit(d, p, true);
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    if ( rc )
        put_page_and_type(pg);
    else
        printk(XENLOG_INFO "d%u: pirq EOI map registered (frame %#lx)\n",
               d->domain_id, mfn);
    return rc;
}

bool pirq_msi_mapped(struct domain *d, unsigned int bus, unsigned int devfn,
                     bool is_msix)
{
    unsigned long flags;
    bool found = false;

    spin_lock_irqsave(&pirq_lock, flags);
    for ( unsigned int p = 0; d->arch.pirqs != NULL && p < NR_PIRQS; p++ )
    {
        const struct pirq *q = &d->arch.pirqs[p];

        if ( q->type == (is_msix ? PIRQ_MSIX : PIRQ_MSI) &&
             q->msi.bus == bus && q->msi.devfn == devfn )
        {
            found = true;
            break;
        }
    }
    spin_unlock_irqrestore(&pirq_lock, flags);
    return found;
}

int pirq_restore_msi(struct domain *d, unsigned int bus, unsigned int devfn)
{
    struct msi_source src;
    unsigned int vec, done = 0;
    unsigned long flags;

    if ( bus > 255 || devfn > 255 ||
         (pci_conf_read(bus, devfn, 0, 2) & 0xffff) == 0xffff )
        return -ENODEV;
    /* One message at a time, programmed outside the lock (configuration
     * space and MMIO); a pirq unmapped meanwhile is skipped. */
    for ( unsigned int p = 0; p < NR_PIRQS; p++ )
    {
        struct pirq *q;

        spin_lock_irqsave(&pirq_lock, flags);
        q = d->arch.pirqs != NULL ? &d->arch.pirqs[p] : NULL;
        if ( q == NULL || (q->type != PIRQ_MSI && q->type != PIRQ_MSIX) ||
             q->msi.bus != bus || q->msi.devfn != devfn )
        {
            spin_unlock_irqrestore(&pirq_lock, flags);
            continue;
        }
        src = q->msi;
        vec = q->vector;
        spin_unlock_irqrestore(&pirq_lock, flags);
        if ( msi_program(&src, vec, cpu_apic_id[0]) == 0 )
            done++;
    }
    return done;
}
