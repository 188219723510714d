/* Grant tables, continued: copy (XSA-232 class, bounds), version 2 and
 * its switch rules (XSA-255), the in-use bits across mixed pins
 * (XSA-234), unmap_and_replace, and either side dying while a grant is
 * mapped.  Same world as test_grant.c: granter d1, mapper d2. */

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <xen/grant_table.h>
#include <asm/pv-mm.h>
#include <public/memory.h>
#include <public/grant_table.h>

#include "grant-world.h"

/* The granted frame holds a byte pattern that changes from byte to byte,
 * so the copy checks can tell offsets apart. */
static void world(struct world *w, unsigned int frames)
{
    grant_world_init(w, frames);
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        ((uint8_t *)frame_va(w->gframe))[i] = (uint8_t)(i * 7 + 1);
}

static union grant_entry_v2 *v2e(struct world *w, unsigned int ref)
{
    return (union grant_entry_v2 *)frame_va(w->tab[0]) + ref;
}

static int16_t copy(struct world *w, struct gnttab_copy *c)
{
    CHECK_EQ(gnt(w->m, GNTTABOP_copy, c, 1), 0);
    return c->status;
}

static void copy_rules(void)
{
    struct world w;
    mfn_t mine, other;
    uint8_t *dst;
    struct gnttab_copy c = {
        .source = { .u.ref = REF, .domid = 1, .offset = 100 },
        .dest = { .domid = DOMID_SELF, .offset = 7 },
        .len = 300, .flags = GNTCOPY_source_gref,
    };

    world(&w, 1);
    mine = domain_frame(w.m);
    other = domain_frame(new_domain(3, false, 4));
    dst = (uint8_t *)frame_va(mine);
    c.dest.u.gmfn = mine;
    grant(&w, REF, GTF_permit_access | GTF_readonly, 2, w.gframe);
    CHECK_EQ(copy(&w, &c), GNTST_okay);
    CHECK(memcmp(dst + 7, (uint8_t *)frame_va(w.gframe) + 100, 300) == 0);
    CHECK_EQ(dst[6], 0);
    CHECK_EQ(dst[307], 0);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(gen_count(w.gframe), 1);
    /* Bounds: offset + len past the page, either side. */
    c.len = 4000;
    CHECK_EQ(copy(&w, &c), GNTST_bad_copy_arg);
    c.len = 1;
    c.dest.offset = 4096;
    CHECK_EQ(copy(&w, &c), GNTST_bad_copy_arg);
    c.dest.offset = 0;
    c.source.offset = 0xffff;
    CHECK_EQ(copy(&w, &c), GNTST_bad_copy_arg);
    c.source.offset = 0;
    /* A frame-number side must be the caller's own (XSA-232 class). */
    c.dest.domid = 1;
    CHECK_EQ(copy(&w, &c), GNTST_permission_denied);
    c.dest.domid = DOMID_SELF;
    c.dest.u.gmfn = other;
    CHECK_EQ(copy(&w, &c), GNTST_bad_page);
    c.dest.u.gmfn = w.gframe;                       /* d1's, not ours */
    CHECK_EQ(copy(&w, &c), GNTST_bad_page);
    c.dest.u.gmfn = w.mt.l1;                        /* ours, a table */
    CHECK_EQ(copy(&w, &c), GNTST_general_error);
    c.dest.u.gmfn = mine;
    /* Grant side: out of range, wrong domain, read-only as destination. */
    c.source.u.ref = 512;
    CHECK_EQ(copy(&w, &c), GNTST_bad_gntref);
    c.source.u.ref = REF;
    c.source.domid = 9;
    CHECK_EQ(copy(&w, &c), GNTST_bad_domain);
    c.source.domid = 1;
    c.flags = GNTCOPY_dest_gref;
    c.dest.u.ref = REF;
    c.dest.domid = 1;
    c.source.u.gmfn = mine;
    c.source.domid = DOMID_SELF;
    CHECK_EQ(copy(&w, &c), GNTST_general_error);    /* r/o grant */
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    dst[0] = 0xee;
    c.len = 1;
    CHECK_EQ(copy(&w, &c), GNTST_okay);
    CHECK_EQ(((uint8_t *)frame_va(w.gframe))[0], 0xee);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    grant(&w, REF, GTF_transitive, 2, w.gframe);
    CHECK_EQ(copy(&w, &c), GNTST_general_error);
    /* Overlapping ranges in one frame move as memmove does. */
    c.flags = 0;
    c.source.u.gmfn = c.dest.u.gmfn = mine;
    c.dest.domid = DOMID_SELF;
    for ( unsigned int i = 0; i < 64; i++ )
        dst[i] = i;
    c.source.offset = 0;
    c.dest.offset = 8;
    c.len = 32;
    CHECK_EQ(copy(&w, &c), GNTST_okay);
    CHECK_EQ(dst[8], 0);
    CHECK_EQ(dst[39], 31);
    CHECK_EQ(dst[40], 40);
    CHECK_EQ(gen_count(mine), 1);
    audit_clean(&w);
}

/* Version 2: status frames, the switch rules, XSA-255. */
static void version2(void)
{
    struct world w;
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_get_status_frames gs = { .nr_frames = 1, .dom = DOMID_SELF };
    uint64_t st[4] = { 0 };
    unsigned long free0;
    grant_handle_t h;
    grant_status_t *status;

    world(&w, 1);
    /* Reserved entries survive the switch; others are the guest's. */
    grant(&w, 1, GTF_permit_access, 0, 0x1234);
    gs.frame_list.va = gva(st);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);       /* v1: none */
    free0 = free_frames();
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(sv.version, 2);
    CHECK_EQ(free_frames(), free0 - 1);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_version, &gv, 1), 0);
    CHECK_EQ(gv.version, 2);
    CHECK_EQ(v2e(&w, 1)->full_page.frame, 0x1234);
    CHECK_EQ(v2e(&w, 1)->hdr.domid, 0);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_okay);
    CHECK(st[0] != 0 && page_get_owner(mfn_to_page(st[0])) == w.g);
    gs.nr_frames = 2;
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);
    status = (grant_status_t *)frame_va(st[0]);

    /* A v2 grant: the in-use bits go to the status frame. */
    v2e(&w, REF)->full_page.frame = w.gframe;
    v2e(&w, REF)->hdr.domid = 2;
    v2e(&w, REF)->hdr.flags = GTF_permit_access;
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, 256, &h), GNTST_bad_gntref);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    CHECK_EQ(status[REF], GTF_reading | GTF_writing);
    CHECK_EQ(v2e(&w, REF)->hdr.flags, GTF_permit_access);
    audit_clean(&w);
    /* No switch while a grant is mapped. */
    sv.version = 1;
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), -EBUSY);
    CHECK_EQ(sv.version, 2);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_okay);
    CHECK_EQ(status[REF], 0);
    /* Sub-page: copy within the window only; never mapped. */
    v2e(&w, REF)->sub_page.page_off = 64;
    v2e(&w, REF)->sub_page.length = 32;
    v2e(&w, REF)->hdr.flags = GTF_permit_access | GTF_sub_page;
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    {
        mfn_t mine = domain_frame(w.m);
        struct gnttab_copy c = {
            .source = { .u.ref = REF, .domid = 1, .offset = 64 },
            .dest = { .u.gmfn = mine, .domid = DOMID_SELF },
            .len = 32, .flags = GNTCOPY_source_gref,
        };

        CHECK_EQ(gnt(w.m, GNTTABOP_copy, &c, 1), 0);
        CHECK_EQ(c.status, GNTST_okay);
        c.len = 33;
        CHECK_EQ(gnt(w.m, GNTTABOP_copy, &c, 1), 0);
        CHECK_EQ(c.status, GNTST_general_error);
        c.len = 1;
        c.source.offset = 63;
        CHECK_EQ(gnt(w.m, GNTTABOP_copy, &c, 1), 0);
        CHECK_EQ(c.status, GNTST_general_error);
    }
    v2e(&w, REF)->hdr.flags = GTF_transitive;
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    CHECK_EQ(status[REF], 0);

    /* XSA-255: the granter maps its status frame; no switch back. */
    CHECK_EQ(pv_update_entry(mfn_to_page(w.gt.l1), 1, 6,
                             mkpte(st[0], PTE_RW), w.g, NULL, false), 0);
    sv.version = 1;
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), -EBUSY);
    CHECK_EQ(sv.version, 2);
    CHECK_EQ(pv_update_entry(mfn_to_page(w.gt.l1), 1, 6, 0, w.g, NULL, false),
             0);
    sv.version = 1;
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), 0);
    CHECK_EQ(sv.version, 1);
    /* The status frame went back to the heap. */
    CHECK((mfn_to_page(st[0])->count_info & PGC_state_mask) !=
          PGC_state_inuse);
    CHECK_EQ(v1e(&w, 1)->frame, 0x1234);
    sv.version = 3;
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), -EINVAL);
    gs.nr_frames = 1;
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);
    audit_clean(&w);
}

/* XSA-234: GTF_writing goes with the last writable pin, GTF_reading with
 * the last pin, whatever the order; a copy leaves the bits as found. */
static void inuse_bits(void)
{
    struct world w;
    grant_handle_t hr, hw;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map | GNTMAP_readonly, VA1, REF, &hr),
             GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA2, REF, &hw), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ(unmap(&w, hw, VA2, 0), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_reading);
    /* The granter revokes write access while mapped read-only: a new
     * writable map is refused, the read-only one stays. */
    v1e(&w, REF)->flags |= GTF_readonly;
    CHECK_EQ(map(&w, GNTMAP_host_map, VA2, REF, &hw), GNTST_general_error);
    CHECK_EQ(v1e(&w, REF)->flags,
             GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ(unmap(&w, hr, VA1, 0), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
    /* Retargeting the entry at another domain: refused at once. */
    v1e(&w, REF)->domid = 3;
    CHECK_EQ(map(&w, GNTMAP_host_map | GNTMAP_readonly, VA1, REF, &hr),
             GNTST_general_error);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
}

/* unmap_and_replace: the entry at new_addr moves into the grant's slot
 * and new_addr is cleared; the references move with it. */
static void unmap_and_replace(void)
{
    struct world w;
    grant_handle_t h;
    mfn_t spare;
    struct gnttab_unmap_and_replace op = { .host_addr = VA1, .new_addr = VA3 };

    world(&w, 1);
    spare = domain_frame(w.m);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    CHECK_EQ(pv_update_entry(mfn_to_page(w.mt.l1), 1, 5,
                             mkpte(spare, PTE_RW), w.m, NULL, false), 0);
    op.handle = h + 1;
    CHECK_EQ(gnt(w.m, GNTTABOP_unmap_and_replace, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_bad_handle);
    op.handle = h;
    CHECK_EQ(gnt(w.m, GNTTABOP_unmap_and_replace, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3] & PTE_ADDR_MASK, (pte_t)spare << PAGE_SHIFT);
    CHECK_EQ(frame_va(w.mt.l1)[5], 0);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(gen_count(spare), 2);
    CHECK_EQ(type_count(spare), 1);
    audit_clean(&w);
}

/* The granter dies while its grant is mapped: the frame outlives it until
 * the unmap, which still works; then everything is back on the heap. */
static void granter_dies(void)
{
    struct world w;
    grant_handle_t h;
    unsigned long free0;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    ((uint8_t *)frame_va(w.gframe))[5] = 0x42;
    w.g->state = DOMAIN_DYING;
    grant_table_destroy(w.g);
    pv_release_guest_tables(w.gv);
    CHECK_EQ(relinquish_domain_pages(w.g), 1);
    free0 = free_frames();
    CHECK(page_get_owner(mfn_to_page(w.gframe)) == NULL);
    CHECK_EQ(((uint8_t *)frame_va(w.gframe))[5], 0x42);
    CHECK_EQ(mm_audit_domain(w.m), 0);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3], 0);
    /* Freed (the heap also gets the table state's memory back). */
    CHECK(free_frames() >= free0 + 1);
    CHECK((mfn_to_page(w.gframe)->count_info & PGC_state_mask) !=
          PGC_state_inuse);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_bad_handle);
    CHECK_EQ(mm_audit_domain(w.m), 0);
}

/* The mapper dies: its handles go, the grant's in-use bits clear, and the
 * granter's frame counts return to the allocation alone. */
static void mapper_dies(void)
{
    struct world w;
    grant_handle_t h;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    CHECK_EQ(map(&w, GNTMAP_device_map, 0, REF, &h), GNTST_okay);
    CHECK_EQ(gen_count(w.gframe), 4);
    w.m->state = DOMAIN_DYING;
    grant_table_destroy(w.m);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    CHECK_EQ(gen_count(w.gframe), 2);           /* + the PTE, until ... */
    pv_release_guest_tables(w.mv);
    relinquish_domain_pages(w.m);
    CHECK_EQ(gen_count(w.gframe), 1);           /* ... the tables go */
    CHECK_EQ(type_count(w.gframe), 0);
    CHECK_EQ(mm_audit_domain(w.g), 0);
}

/* Growth: setup_table up to the limit, v2 status frames follow. */
static void growth(void)
{
    struct world w;
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 8 };
    struct gnttab_get_status_frames gs = { .dom = DOMID_SELF, .nr_frames = 2 };
    uint64_t st[4];
    grant_handle_t h;

    world(&w, 1);
    CHECK_EQ(gnt(w.g, GNTTABOP_set_version, &sv, 1), 0);
    s.frame_list.va = gva(w.tab);
    gs.frame_list.va = gva(st);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);       /* 1 frame: 1 status */
    CHECK_EQ(gnt(w.g, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_okay);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_general_error);       /* 8 frames: still 1 */
    s.nr_frames = 9;
    CHECK_EQ(gnt(w.g, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(gnt(w.g, GNTTABOP_get_status_frames, &gs, 1), 0);
    CHECK_EQ(gs.status, GNTST_okay);
    s.nr_frames = 33;
    CHECK_EQ(gnt(w.g, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_general_error);
    /* The last entry of the grown table works, one past it does not. */
    union grant_entry_v2 *last = (union grant_entry_v2 *)frame_va(w.tab[8]) + 255;
    last->full_page.frame = w.gframe;
    last->hdr.domid = 2;
    last->hdr.flags = GTF_permit_access;
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, 9 * 256 - 1, &h), GNTST_okay);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA2, 9 * 256, &h), GNTST_bad_gntref);
    audit_clean(&w);
}

const struct test_case grant_more_cases[] = {
    { "copy-rules-xsa232", copy_rules },
    { "version2-xsa255", version2 },
    { "inuse-bits-xsa234", inuse_bits },
    { "unmap-and-replace", unmap_and_replace },
    { "granter-dies", granter_dies },
    { "mapper-dies", mapper_dies },
    { "growth", growth },
    { NULL, NULL },
};
