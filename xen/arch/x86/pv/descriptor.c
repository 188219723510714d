/*
 * Guest descriptor tables: set_gdt and update_descriptor.
 *
 * A guest GDT frame is a page of type "segment descriptor page": while it
 * has that type nobody can map it writable, so its contents can only
 * change through update_descriptor, which checks each descriptor.  The
 * check (descriptor_fixup) lets through what a ring-3 kernel may use:
 * not-present entries and code/data segments, whose DPL is raised to 3 and
 * whose accessed bit is set (the CPU would otherwise try to set it in a
 * read-only mapping).  System descriptors (TSS, LDT, gates) are refused.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <xen/domain-page.h>
#include <xen/guest_access.h>
#include <xen/hypercall.h>
#include <asm/desc.h>
#include <asm/pv-mm.h>

#define DESC_ACCESSED (1UL << 40)
#define DESC_S        (1UL << 44)       /* code/data, not system */
#define DESC_DPL      (3UL << 45)
#define DESC_P        (1UL << 47)

void gdt_window_load(unsigned int cpu, const struct vcpu *v);

/* Check (and fix up) one descriptor; false if the guest may not have it. */
static bool descriptor_fixup(uint64_t *d)
{
    if ( !(*d & DESC_P) )
        return true;
    if ( !(*d & DESC_S) )
        return false;
    *d |= DESC_DPL | DESC_ACCESSED;
    return true;
}

static bool frame_fixup(mfn_t mfn)
{
    uint64_t *desc = maddr_to_virt((paddr_t)mfn << PAGE_SHIFT);

    for ( unsigned int i = 0; i < PAGE_SIZE / 8; i++ )
    {
        uint64_t d = READ_ONCE(desc[i]);

        if ( !descriptor_fixup(&d) )
            return false;
        if ( d != desc[i] )
            WRITE_ONCE(desc[i], d);
    }
    return true;
}

/*
 * The one way a frame becomes a descriptor page (set_gdt, VCPUOP_initialise,
 * setvcpucontext, restore): a general and a PGT_seg_desc_page type
 * reference on each of d's frames, then a check of every descriptor in it.
 * The type reference comes first, so that no writable mapping can change
 * the contents after they were checked.  All or nothing: 0, or -EINVAL
 * with no reference left behind.
 */
int pv_gdt_frames_get(struct domain *d, const mfn_t *mfns,
                      unsigned int frames)
{
    unsigned int i;

    if ( frames > FIRST_RESERVED_GDT_PAGE )
        return -EINVAL;
    for ( i = 0; i < frames; i++ )
    {
        if ( !mfn_in_frame_table(mfns[i]) ||
             get_page_and_type(mfn_to_page(mfns[i]), d, PGT_seg_desc_page) )
            goto fail;
        if ( !frame_fixup(mfns[i]) )
        {
            printk(XENLOG_DEBUG "d%u: GDT frame %#lx holds a descriptor "
                   "a guest may not have\n", d->domain_id,
                   (unsigned long)mfns[i]);
            put_page_and_type(mfn_to_page(mfns[i]));
            goto fail;
        }
    }
    return 0;

 fail:
    pv_gdt_frames_put(mfns, i);
    return -EINVAL;
}

void pv_gdt_frames_put(const mfn_t *mfns, unsigned int frames)
{
    for ( unsigned int i = 0; i < frames; i++ )
        put_page_and_type(mfn_to_page(mfns[i]));
}

static void release_gdt(struct vcpu *v)
{
    pv_gdt_frames_put(v->arch.gdt_frames, DIV_ROUND_UP(v->arch.gdt_ents, 512));
    v->arch.gdt_ents = 0;
}

/* set_gdt(frame_list, entries): machine frames of the new GDT. */
HYPERCALL(set_gdt)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    unsigned long entries = a2;
    unsigned int frames, i;
    mfn_t mfns[FIRST_RESERVED_GDT_PAGE];

    if ( entries > FIRST_RESERVED_GDT_ENTRY )
        return -EINVAL;
    frames = DIV_ROUND_UP(entries, 512);
    if ( frames && copy_from_guest(mfns, a1, frames * sizeof(uint64_t)) )
        return -EFAULT;
    if ( pv_gdt_frames_get(d, mfns, frames) )
        return -EINVAL;

    release_gdt(v);
    for ( i = 0; i < frames; i++ )
        v->arch.gdt_frames[i] = mfns[i];
    v->arch.gdt_ents = entries;
    gdt_window_load(smp_processor_id(), v);
    return 0;
}

/* update_descriptor(maddr, desc): one 8-byte descriptor in a frame that is
 * either an active descriptor page or ordinary writable memory. */
HYPERCALL(update_descriptor)
{
    struct domain *d = current->domain;
    uint64_t maddr = a1, desc = a2;
    struct page_info *pg;
    unsigned long type;
    int rc = -EINVAL;

    if ( (maddr & 7) || !mfn_in_frame_table(maddr >> PAGE_SHIFT) )
        return -EINVAL;
    if ( !descriptor_fixup(&desc) )
        return -EINVAL;
    pg = get_page_from_mfn(maddr >> PAGE_SHIFT, d);
    if ( !pg )
        return -EINVAL;
    type = page_type(pg) == PGT_seg_desc_page ? PGT_seg_desc_page
                                              : PGT_writable_page;
    if ( get_page_type(pg, type) == 0 )
    {
        WRITE_ONCE(*(uint64_t *)maddr_to_virt(maddr), desc);
        put_page_type(pg);
        rc = 0;
    }
    put_page(pg);
    return rc;
}
