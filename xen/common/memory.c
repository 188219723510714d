/*
 * memory_op: a domain's reservation (how many frames it holds, growing and
 * shrinking it), its pseudo-physical memory map, the host's memory map for
 * the privileged domain, and where the M2P table is.
 *
 * Reservation changes take effect extent by extent; the call returns how
 * many extents were done, so a guest sees partial success, not an error.
 * The extent index to resume from is passed in the command's upper bits
 * (cmd >> MEMOP_EXTENT_SHIFT): that is how a preempted reservation op
 * continues (pv/continuation.c), and the result counts from extent 0.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <xen/domain-page.h>
#include <xen/arch-hooks.h>
#include <public/memory.h>

#define MEMOP_EXTENT_SHIFT  6
#define MEMOP_CMD_MASK      ((1UL << MEMOP_EXTENT_SHIFT) - 1)
/* Upstream's number; our public header does not list it yet. */
#ifndef XENMEM_maximum_gpfn
#define XENMEM_maximum_gpfn 14
#endif

/* One E820 entry as the ABI lays it out (20 bytes, packed). */
struct e820_wire {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __packed;

/* Undo a populate whose result could not be reported.  Another vCPU of
 * the guest may have given some of these frames back already (it can
 * guess MFNs): those are skipped, never someone else's. */
static void unpopulate(struct domain *d, struct page_info *pg,
                       unsigned int order)
{
    for ( unsigned long j = 0; j < (1UL << order); j++ )
        (void)domain_page_release(d, &pg[j]);
}

/* Frames worked through between two preemption checks.  A check reads
 * the clock, under TCG a call into the emulator, and Linux's balloon gives
 * frames back one per extent; 16 frames are some microseconds of work. */
#define FRAMES_PER_PREEMPT_CHECK 16

static long do_reservation(struct domain *self, unsigned int cmd,
                           unsigned long start, uint64_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    unsigned long i, unchecked = 0;     /* frames since the last check */
    unsigned int max_order;
    int err = 0;

    if ( copy_from_guest(&r, arg, sizeof(r)) )
        return -EFAULT;
    d = domain_lookup_for(self, r.domid, &err);
    if ( d == NULL )
        return err;
    max_order = self->is_privileged ? MAX_ORDER : MAX_GUEST_EXTENT_ORDER;
    if ( r.extent_order > max_order || start > r.nr_extents )
    {
        domain_put(d);
        return -EINVAL;
    }

    for ( i = start; i < r.nr_extents; i++ )
    {
        unsigned int bits = XENMEMF_get_address_bits(r.mem_flags);
        xen_pfn_t frame = 0;
        struct page_info *pg;
        mfn_t mfn;

        /* Give the CPU back: the guest re-issues the call from extent i
         * (the ABI's start extent in cmd's upper bits). */
        if ( unchecked >= FRAMES_PER_PREEMPT_CHECK )
        {
            unchecked = 0;
            if ( hypercall_preempt_check() )
            {
                domain_put(d);
                return hypercall_create_continuation(__HYPERVISOR_memory_op,
                            cmd | (i << MEMOP_EXTENT_SHIFT), arg, 0, 0, 0);
            }
        }
        unchecked += 1UL << r.extent_order;

        /* decrease: the frame to give back; populate: where it goes. */
        if ( cmd != XENMEM_increase_reservation &&
             copy_from_guest_index(&frame, r.extent_start.va, i,
                                   sizeof(frame)) )
            break;

        if ( cmd == XENMEM_decrease_reservation )
        {
            /* Check and release in one atomic step: two vCPUs giving
             * back the same frame must not both succeed. */
            if ( domain_extent_release(d, frame, r.extent_order) )
                break;
            continue;
        }

        pg = alloc_domheap_pages(d, r.extent_order);
        if ( pg == NULL )
            break;
        mfn = page_to_mfn(pg);
        if ( bits != 0 && bits < 64 &&
             ((mfn + (1UL << r.extent_order)) << PAGE_SHIFT) > (1UL << bits) )
        {
            unpopulate(d, pg, r.extent_order);
            break;      /* the heap gave frames above the asked-for width */
        }
        if ( cmd == XENMEM_populate_physmap )
            for ( unsigned long j = 0; j < (1UL << r.extent_order); j++ )
                set_gpfn_from_mfn(mfn + j, frame + j);
        /* A PV guest learns the machine frames it got. */
        if ( !guest_handle_is_null(r.extent_start) &&
             copy_to_guest_index(r.extent_start.va, i, &(xen_pfn_t){ mfn },
                                 sizeof(xen_pfn_t)) )
        {
            unpopulate(d, pg, r.extent_order);
            break;
        }
    }
    domain_put(d);
    return i;
}

/*
 * XENMEM_exchange, as Xen does it: trade the domain's input extents for
 * newly allocated output extents of the same total size, chunk by chunk
 * (a chunk is the larger of one input and one output extent).  Input
 * frames must be the domain's and referenced by nothing but their
 * allocation (unmapped, untyped), else -EINVAL and the chunk is left as it
 * was, as it is when the output cannot be allocated (-ENOMEM); output
 * frames get the GPFNs listed in out (their M2P entries) and their MFNs
 * are written back there.  nr_exchanged counts the input extents of the
 * chunks done; it is written back on every return and is where a
 * continuation resumes.
 */
static long memory_exchange(struct domain *self, uint64_t arg)
{
    struct xen_memory_exchange x;
    unsigned int in_chunk, out_chunk, max_order;
    unsigned long i, nr_chunks;
    xen_pfn_t *stolen = NULL;
    struct page_info **outs = NULL;
    struct domain *d;
    int err = 0;
    long rc = 0;

    if ( copy_from_guest(&x, arg, sizeof(x)) )
        return -EFAULT;
    max_order = self->is_privileged ? MAX_ORDER : MAX_GUEST_EXTENT_ORDER;
    if ( max(x.in.extent_order, x.out.extent_order) > max_order )
    {
        rc = -EPERM;
        goto out_early;
    }
    if ( x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
         (~0UL >> x.in.extent_order) < x.in.nr_extents ||
         (~0UL >> x.out.extent_order) < x.out.nr_extents ||
         (x.in.nr_extents << x.in.extent_order) !=
         (x.out.nr_extents << x.out.extent_order) )
    {
        rc = -EINVAL;
        goto out_early;
    }
    if ( x.nr_exchanged == x.in.nr_extents )
        return 0;
    if ( x.in.extent_order <= x.out.extent_order )
    {
        in_chunk = x.out.extent_order - x.in.extent_order;
        out_chunk = 0;
    }
    else
    {
        in_chunk = 0;
        out_chunk = x.in.extent_order - x.out.extent_order;
    }
    d = domain_lookup_for(self, x.in.domid, &err);
    if ( d == NULL )
    {
        rc = err;
        goto out_early;
    }
    stolen = xmalloc_array(xen_pfn_t, 1UL << in_chunk);
    outs = xmalloc_array(struct page_info *, 1UL << out_chunk);
    if ( stolen == NULL || outs == NULL )
    {
        xfree(stolen);
        xfree(outs);
        domain_put(d);
        rc = -ENOMEM;
        goto out_early;
    }

    nr_chunks = x.in.nr_extents >> in_chunk;
    for ( i = x.nr_exchanged >> in_chunk; i < nr_chunks; i++ )
    {
        unsigned int bits = XENMEMF_get_address_bits(x.out.mem_flags);
        unsigned long j, k, got = 0, nin = 1UL << in_chunk;
        unsigned long nout = 1UL << out_chunk, made = 0;

        if ( i > (x.nr_exchanged >> in_chunk) && hypercall_preempt_check() )
        {
            x.nr_exchanged = i << in_chunk;
            xfree(stolen);
            xfree(outs);
            domain_put(d);
            if ( copy_to_guest(arg, &x, sizeof(x)) )
                return -EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op,
                                                 XENMEM_exchange, arg,
                                                 0, 0, 0);
        }

        /* Take the chunk's input extents away from the domain. */
        for ( j = 0; j < nin; j++ )
        {
            xen_pfn_t mfn;

            if ( copy_from_guest_index(&mfn, x.in.extent_start.va,
                                       (i << in_chunk) + j, sizeof(mfn)) )
            {
                rc = -EFAULT;
                break;
            }
            if ( domain_extent_steal(d, mfn, x.in.extent_order) )
            {
                rc = -EINVAL;
                break;
            }
            stolen[got++] = mfn;
        }
        /* The whole output, before anything is committed; the input's
         * charge made room for it under max_pages. */
        for ( j = 0; rc == 0 && j < nout; j++ )
        {
            struct page_info *pg = alloc_domheap_pages(d, x.out.extent_order);

            if ( pg != NULL && bits != 0 && bits < 64 &&
                 ((page_to_mfn(pg) + (1UL << x.out.extent_order))
                  << PAGE_SHIFT) > (1UL << bits) )
            {
                unpopulate(d, pg, x.out.extent_order);
                pg = NULL;      /* above the asked-for address width */
            }
            if ( pg == NULL )
            {
                rc = -ENOMEM;
                break;
            }
            outs[made++] = pg;
        }
        if ( rc != 0 )
        {
            /* The chunk is left as it was. */
            while ( made > 0 )
                unpopulate(d, outs[--made], x.out.extent_order);
            while ( got > 0 )
                domain_extent_unsteal(d, stolen[--got], x.in.extent_order);
            break;
        }

        /* Committed: the input goes back to the heap ... */
        for ( j = 0; j < got; j++ )
            for ( k = 0; k < (1UL << x.in.extent_order); k++ )
                put_page(mfn_to_page(stolen[j] + k));
        /* ... and the output gets its GPFNs (read errors ignored, as in
         * Xen) and tells the guest its MFNs. */
        for ( j = 0; j < made; j++ )
        {
            mfn_t mfn = page_to_mfn(outs[j]);
            unsigned long idx = (i << out_chunk) + j;
            xen_pfn_t gpfn = 0;

            (void)copy_from_guest_index(&gpfn, x.out.extent_start.va, idx,
                                        sizeof(gpfn));
            for ( k = 0; k < (1UL << x.out.extent_order); k++ )
                set_gpfn_from_mfn(mfn + k, gpfn + k);
            if ( copy_to_guest_index(x.out.extent_start.va, idx,
                                     &(xen_pfn_t){ mfn }, sizeof(xen_pfn_t)) )
                rc = -EFAULT;
        }
        if ( rc != 0 )
            break;
        x.nr_exchanged = (i + 1) << in_chunk;
    }
    xfree(stolen);
    xfree(outs);
    domain_put(d);
 out_early:
    if ( copy_to_guest(arg, &x, sizeof(x)) )
        rc = -EFAULT;
    return rc;
}

static long copy_map_out(uint64_t arg, const struct e820_wire *e,
                         unsigned int n)
{
    struct xen_memory_map map;

    if ( copy_from_guest(&map, arg, sizeof(map)) )
        return -EFAULT;
    if ( map.nr_entries < n )
        return -ENOBUFS;
    for ( unsigned int i = 0; i < n; i++ )
        if ( copy_to_guest_index(map.buffer.va, i, &e[i], sizeof(e[i])) )
            return -EFAULT;
    map.nr_entries = n;
    if ( copy_to_guest(arg, &map, sizeof(map)) )
        return -EFAULT;
    return 0;
}

/* The guest's own map: RAM from pseudo-physical 0 up to what it may hold
 * (max_pages; frames beyond what it has are balloon space). */
static long guest_memory_map(struct domain *d, uint64_t arg)
{
    struct e820_wire e = { 0, 0, E820_RAM };
    unsigned long pages = max(d->max_pages, d->tot_pages);

    e.size = (uint64_t)pages << PAGE_SHIFT;
    return copy_map_out(arg, &e, 1);
}

static long machine_memory_map(struct domain *d, uint64_t arg)
{
    static struct e820_wire e[BOOT_MAX_MMAP];
    unsigned int n = boot_info.nr_mmap;

    if ( !d->is_privileged )
        return -EPERM;
    if ( n > BOOT_MAX_MMAP )
        n = BOOT_MAX_MMAP;
    for ( unsigned int i = 0; i < n; i++ )
    {
        e[i].addr = boot_info.mmap[i].addr;
        e[i].size = boot_info.mmap[i].size;
        e[i].type = boot_info.mmap[i].type;
    }
    return copy_map_out(arg, e, n);
}

static long machphys_mfn_list(uint64_t arg)
{
    struct xen_machphys_mfn_list l;
    unsigned int i;

    if ( copy_from_guest(&l, arg, sizeof(l)) )
        return -EFAULT;
    for ( i = 0; i < l.max_extents; i++ )
    {
        xen_pfn_t m = m2p_chunk_mfn(i);

        if ( m == INVALID_MFN )
            break;
        if ( copy_to_guest_index(l.extent_start.va, i, &m, sizeof(m)) )
            return -EFAULT;
    }
    l.nr_extents = i;
    return copy_to_guest(arg, &l, sizeof(l)) ? -EFAULT : 0;
}

static long reservation_query(struct domain *self, unsigned int cmd,
                              uint64_t arg)
{
    domid_t id;
    struct domain *d;
    int err = 0;
    long rc;

    if ( copy_from_guest(&id, arg, sizeof(id)) )
        return -EFAULT;
    d = domain_lookup_for(self, id, &err);
    if ( d == NULL )
        return err;
    switch ( cmd )
    {
    case XENMEM_current_reservation:
        rc = d->tot_pages;
        break;
    case XENMEM_maximum_reservation:
        rc = d->max_pages;
        break;
    default:    /* XENMEM_maximum_gpfn */
        if ( d->arch.p2m_size )
            rc = d->arch.p2m_size - 1;
        else
            rc = max(d->max_pages, d->tot_pages) - 1;
        break;
    }
    domain_put(d);
    return rc;
}

long pv_memory_op(struct domain *self, unsigned long cmd, uint64_t arg)
{
    unsigned int op = cmd & MEMOP_CMD_MASK;
    unsigned long start = cmd >> MEMOP_EXTENT_SHIFT;

    switch ( op )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return do_reservation(self, op, start, arg);
    case XENMEM_maximum_ram_page:
        return max_mfn ? max_mfn - 1 : 0;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        return reservation_query(self, op, arg);
    case XENMEM_memory_map:
        return guest_memory_map(self, arg);
    case XENMEM_machine_memory_map:
        return machine_memory_map(self, arg);
    case XENMEM_machphys_mapping:
    {
        struct xen_machphys_mapping m = {
            .v_start = MACH2PHYS_START,
            .v_end = m2p_guest_va_end(),
            .max_mfn = m2p_nr_frames() ? m2p_nr_frames() - 1 : 0,
        };

        return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
    }
    case XENMEM_machphys_mfn_list:
        return machphys_mfn_list(arg);
    case XENMEM_exchange:
        return memory_exchange(self, arg);
    default:
        return -ENOSYS;
    }
}

HYPERCALL(memory_op)
{
    (void)a3; (void)a4; (void)a5;
    return pv_memory_op(current->domain, a1, a2);
}
