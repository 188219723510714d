/*
 * Grant entries as the hypervisor reads and marks them: the shared entry
 * (which the granting guest writes at any time), the v2 status word, and
 * pinning (the GTF_reading/GTF_writing protocol).  Callers hold gt_lock.
 *
 * The rule that keeps a racing granter honest (XSA-234): the checks on
 * flags and domid and the setting of the in-use bits happen in one
 * compare-and-exchange of the 32-bit flags+domid word (v1), or, for v2
 * where the bits live in the status frame, the bits are set first and the
 * entry re-checked afterwards (undoing on a change).  A granter that sees
 * GTF_reading/GTF_writing clear knows no mapping or copy remains.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/domain-page.h>
#include "grant-priv.h"

#define PIN_RETRIES 4   /* an entry changing under us this often: refuse */

unsigned int gt_nr_entries(const struct grant_table *gt)
{
    return gt->nr_frames * (gt->version == 2 ? GT_V2_PER_FRAME
                                             : GT_V1_PER_FRAME);
}

struct active_grant *gt_active(struct grant_table *gt, grant_ref_t ref)
{
    struct active_grant **chunk = &gt->active[ref / GT_ACTIVE_CHUNK];

    if ( *chunk == NULL )
        *chunk = xzalloc_array(struct active_grant, GT_ACTIVE_CHUNK);
    return *chunk ? &(*chunk)[ref % GT_ACTIVE_CHUNK] : NULL;
}

/* The flags (low half) + domid (high half) word of entry ref. */
static uint32_t *hdr_word(struct grant_table *gt, grant_ref_t ref)
{
    if ( gt->version == 2 )
        return (uint32_t *)((union grant_entry_v2 *)
                            gt->frames[ref / GT_V2_PER_FRAME] +
                            ref % GT_V2_PER_FRAME);
    return (uint32_t *)((struct grant_entry_v1 *)
                        gt->frames[ref / GT_V1_PER_FRAME] +
                        ref % GT_V1_PER_FRAME);
}

/* Where GTF_reading/GTF_writing live: the entry's flags (v1) or the
 * status word (v2). */
static uint16_t *status_word(struct grant_table *gt, grant_ref_t ref)
{
    if ( gt->version == 2 )
        return (grant_status_t *)gt->status[ref / GT_ST_PER_FRAME] +
               ref % GT_ST_PER_FRAME;
    return (uint16_t *)hdr_word(gt, ref);
}

static mfn_t entry_frame(struct grant_table *gt, grant_ref_t ref)
{
    if ( gt->version == 2 )
    {
        union grant_entry_v2 *e = (union grant_entry_v2 *)hdr_word(gt, ref);

        return READ_ONCE(e->full_page.frame);
    }
    return READ_ONCE(((struct grant_entry_v1 *)hdr_word(gt, ref))->frame);
}

/* The checks every pin makes on a flags+domid word: GNTST_okay or why. */
static int16_t check_hdr(uint32_t w, domid_t mapper, bool readonly,
                         bool sub_ok, unsigned int version)
{
    uint16_t flags = w & 0xffff;
    domid_t domid = w >> 16;

    /* Transitive grants are not supported (Xen with them disabled). */
    if ( (flags & GTF_type_mask) != GTF_permit_access || domid != mapper )
        return GNTST_general_error;
    if ( !readonly && (flags & GTF_readonly) )
        return GNTST_general_error;
    if ( version == 2 && (flags & GTF_sub_page) && !sub_ok )
        return GNTST_general_error;
    return GNTST_okay;
}

static void clear_bits(struct grant_table *gt, grant_ref_t ref,
                       uint16_t bits)
{
    __atomic_fetch_and(status_word(gt, ref), (uint16_t)~bits,
                       __ATOMIC_SEQ_CST);
}

int16_t gt_pin(struct grant_table *rgt, grant_ref_t ref, domid_t mapper,
               bool readonly, bool sub_ok, mfn_t *frame,
               unsigned int *off, unsigned int *len)
{
    struct active_grant *act;
    uint16_t bits = GTF_reading | (readonly ? 0 : GTF_writing);
    uint32_t w;
    int16_t st;

    if ( rgt == NULL || rgt->dying || ref >= gt_nr_entries(rgt) )
        return GNTST_bad_gntref;
    if ( (act = gt_active(rgt, ref)) == NULL )
        return GNTST_no_space;
    if ( rgt->version == 1 )
    {
        uint32_t *word = hdr_word(rgt, ref);
        unsigned int tries = 0;

        for ( ;; )
        {
            w = __atomic_load_n(word, __ATOMIC_ACQUIRE);
            st = check_hdr(w, mapper, readonly, sub_ok, 1);
            if ( st != GNTST_okay )
                return st;
            if ( __atomic_compare_exchange_n(word, &w, w | bits, false,
                                             __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST) )
                break;
            if ( ++tries == PIN_RETRIES )
                return GNTST_general_error;     /* entry unstable */
        }
    }
    else
    {
        uint16_t before;

        w = __atomic_load_n(hdr_word(rgt, ref), __ATOMIC_ACQUIRE);
        st = check_hdr(w, mapper, readonly, sub_ok, 2);
        if ( st != GNTST_okay )
            return st;
        before = __atomic_fetch_or(status_word(rgt, ref), bits,
                                   __ATOMIC_SEQ_CST);
        /* The entry may have changed before the bits were visible. */
        if ( __atomic_load_n(hdr_word(rgt, ref), __ATOMIC_ACQUIRE) != w )
        {
            clear_bits(rgt, ref, bits & ~before);
            return GNTST_general_error;
        }
    }

    if ( act->pins == 0 )
        act->frame = entry_frame(rgt, ref);
    *off = 0;
    *len = PAGE_SIZE;
    if ( rgt->version == 2 && (w & GTF_sub_page) )
    {
        union grant_entry_v2 *e = (union grant_entry_v2 *)hdr_word(rgt, ref);

        *off = READ_ONCE(e->sub_page.page_off);
        *len = READ_ONCE(e->sub_page.length);
        if ( *off > PAGE_SIZE || *len > PAGE_SIZE - *off )
            *len = 0;           /* a nonsense window allows nothing */
    }
    act->pins++;
    if ( !readonly )
        act->wpins++;
    rgt->pins++;
    *frame = act->frame;
    return GNTST_okay;
}

void gt_unpin(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    struct active_grant *act = gt_active(rgt, ref);
    uint16_t bits = 0;

    BUG_ON(act == NULL || act->pins == 0 || (!readonly && !act->wpins));
    act->pins--;
    if ( !readonly && --act->wpins == 0 )
        bits |= GTF_writing;
    if ( act->pins == 0 )
        bits |= GTF_reading | GTF_writing;
    rgt->pins--;
    /* A dying table's frames are unshared (maybe freed): leave them. */
    if ( bits && !rgt->dying )
        clear_bits(rgt, ref, bits);
    gt_maybe_free(rgt);
}
