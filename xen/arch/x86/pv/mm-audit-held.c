/*
 * For the memory audit: the references the hypervisor holds on a
 * domain's frames outside its page tables, pins and base pointers.
 *
 *   GDT frames of each vCPU: general + PGT_seg_desc_page type reference
 *     (pv_gdt_frames_get, from set_gdt or a loaded vCPU context);
 *   a registered vcpu_info frame: general + PGT_writable_page type
 *     reference (register_vcpu_info), because the hypervisor writes it;
 *   the pirq EOI map frame (PHYSDEVOP_pirq_eoi_gmfn_v2): the same, until
 *     the domain dies (irq-pirq.c);
 *   FIFO event channel control blocks and event array pages: the same
 *     (EVTCHNOP_init_control, EVTCHNOP_expand_array; event_fifo.c);
 *   frames other domains (or d itself) grant-map: general + writable type
 *     reference per writable mapping handle, general only per read-only
 *     one (common/grant_map.c; the mapping's PTE is counted as a table
 *     entry).
 *
 * shared_info and grant-table frames are the hypervisor's own pages shared
 * with the guest (PGC_xen_shared, counted by the audit itself) and can
 * never take a type other than writable.  Runstate and time areas are
 * written through the guest's own page tables (copy_to_guest with CR0.WP
 * set), so they need no reference: a read-only mapping refuses the write.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/event.h>
#include <xen/grant_table.h>
#include <asm/pv-mm.h>

unsigned long mm_audit_other_refs(const struct domain *d, mfn_t mfn,
                                  unsigned long *type_refs)
{
    unsigned long refs = 0, grant_typ = 0;

    for ( unsigned int i = 0; i < d->max_vcpus && i < MAX_VCPUS; i++ )
    {
        const struct vcpu *v = d->vcpu[i];

        if ( v == NULL )
            continue;
        for ( unsigned int f = 0; f < DIV_ROUND_UP(v->arch.gdt_ents, 512);
              f++ )
            if ( v->arch.gdt_frames[f] == mfn )
                refs++;
        if ( v->vcpu_info_mfn == mfn )
            refs++;
    }
    if ( d->arch.pirq_eoi_map != NULL && d->arch.pirq_eoi_mfn == mfn )
        refs++;
    refs += evtchn_fifo_audit_refs(d, mfn);
    *type_refs = refs;
    refs += grant_audit_refs(d, mfn, &grant_typ);
    *type_refs += grant_typ;
    return refs;
}
