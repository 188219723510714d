/* Grant mappings and copies on the real sources (common/grant_*.c,
 * pv/grant-pte.c): a non-privileged granter (d1) and a non-privileged
 * mapper (d2) with a validated address space, reference counts and the
 * frame audit after every step, and the XSA-class attacks with Xen's
 * GNTST_* answers (docs/grant-tables.md). */

#include "harness.h"
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/domain-page.h>
#include <xen/grant_table.h>
#include <asm/pv-mm.h>
#include <public/memory.h>
#include <public/grant_table.h>

#include "grant-world.h"

/* The granted frame holds 0x5a everywhere. */
static void world(struct world *w, unsigned int frames)
{
    grant_world_init(w, frames);
    memset(frame_va(w->gframe), 0x5a, PAGE_SIZE);
}

/* Map by VA: the mapping writes the granter's frame, holds it against
 * decrease_reservation and retyping, and unmap gives everything back. */
static void map_by_va(void)
{
    struct world w;
    grant_handle_t h;
    xen_pfn_t f;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3] & PTE_ADDR_MASK,
             (pte_t)w.gframe << PAGE_SHIFT);
    CHECK(frame_va(w.mt.l1)[3] & _PAGE_RW);
    CHECK_EQ(v1e(&w, REF)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    /* allocation + maptrack + PTE; writable type: maptrack + PTE */
    CHECK_EQ(gen_count(w.gframe), 3);
    CHECK_EQ(type_count(w.gframe), 2);
    audit_clean(&w);
    /* The granter cannot give it back or make it a page table. */
    f = w.gframe;
    r.extent_start.va = gva(&f);
    CHECK_EQ(pv_memory_op(w.g, XENMEM_decrease_reservation, gva(&r)), 0);
    CHECK(page_get_owner(mfn_to_page(w.gframe)) == w.g);
    CHECK_EQ(pv_pin_table(w.g, w.gframe, 1), -EINVAL);
    /* Only through its own address. */
    CHECK_EQ(unmap(&w, h, VA2, 0), GNTST_general_error);
    CHECK_EQ(gen_count(w.gframe), 3);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3], 0);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(type_count(w.gframe), 0);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_bad_handle);
    CHECK_EQ(unmap(&w, 4095, VA1, 0), GNTST_bad_handle);
    CHECK_EQ(unmap(&w, 0xffffffffu, VA1, 0), GNTST_bad_handle);
    audit_clean(&w);
    CHECK_EQ(pv_memory_op(w.g, XENMEM_decrease_reservation, gva(&r)), 1);
}

static void map_readonly(void)
{
    struct world w;
    grant_handle_t h;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access | GTF_readonly, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(map(&w, GNTMAP_host_map | GNTMAP_readonly, VA1, REF, &h),
             GNTST_okay);
    CHECK(!(frame_va(w.mt.l1)[3] & _PAGE_RW));
    CHECK_EQ(v1e(&w, REF)->flags,
             GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK_EQ(type_count(w.gframe), 0);
    /* A read-only mapping does not stop the frame becoming a table... but
     * the mapping keeps it alive. */
    CHECK_EQ(gen_count(w.gframe), 3);
    audit_clean(&w);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(gen_count(w.gframe), 1);
}

/* XSA-227: the PTE address must be an aligned entry of the caller's own
 * L1 table. */
static void map_contains_pte(void)
{
    struct world w;
    grant_handle_t h;
    uint64_t pte;
    uint32_t f = GNTMAP_host_map | GNTMAP_contains_pte;

    world(&w, 1);
    pte = ((uint64_t)w.mt.l1 << PAGE_SHIFT) + 3 * 8;
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, f, pte + 3, REF, &h), GNTST_general_error);
    CHECK_EQ(map(&w, f, ((uint64_t)w.mt.data << PAGE_SHIFT) + 8, REF, &h),
             GNTST_general_error);              /* not a page table */
    CHECK_EQ(map(&w, f, ((uint64_t)w.gt.l1 << PAGE_SHIFT) + 24, REF, &h),
             GNTST_general_error);              /* the granter's L1 */
    CHECK_EQ(map(&w, f, ((uint64_t)w.mt.l2 << PAGE_SHIFT) + 24, REF, &h),
             GNTST_general_error);              /* an L2 */
    CHECK_EQ(frame_va(w.gt.l1)[3], 0);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(map(&w, f, pte, REF, &h), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3] & PTE_ADDR_MASK,
             (pte_t)w.gframe << PAGE_SHIFT);
    audit_clean(&w);
    CHECK_EQ(unmap(&w, h, pte + 8, 0), GNTST_general_error);
    CHECK_EQ(unmap(&w, h, pte, 0), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3], 0);
    CHECK_EQ(gen_count(w.gframe), 1);
    audit_clean(&w);
}

/* XSA-224: one frame mapped twice, and host + device parts of one handle
 * unmapped separately; counts hold at every step. */
static void map_twice_and_device(void)
{
    struct world w;
    grant_handle_t h1, h2, hd;
    struct gnttab_map_grant_ref op = {
        .host_addr = VA1, .ref = REF, .dom = 1,
        .flags = GNTMAP_host_map | GNTMAP_device_map,
    };
    uint64_t bus;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(gnt(w.m, GNTTABOP_map_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_okay);
    h1 = op.handle;
    bus = op.dev_bus_addr;
    CHECK_EQ(bus, (uint64_t)w.gframe << PAGE_SHIFT);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA2, REF, &h2), GNTST_okay);
    CHECK(h1 != h2);
    CHECK_EQ(gen_count(w.gframe), 5);
    audit_clean(&w);
    /* Unmapping h1 through h2's entry is refused and changes nothing. */
    CHECK_EQ(unmap(&w, h1, VA2, 0), GNTST_general_error);
    CHECK_EQ(gen_count(w.gframe), 5);
    CHECK_EQ(frame_va(w.mt.l1)[4] & PTE_ADDR_MASK,
             (pte_t)w.gframe << PAGE_SHIFT);
    /* A wrong bus address: refused. */
    CHECK_EQ(unmap(&w, h1, 0, bus + PAGE_SIZE), GNTST_bad_dev_addr);
    /* Host part of h1 only: its PTE goes, the device part keeps the ref. */
    CHECK_EQ(unmap(&w, h1, VA1, 0), GNTST_okay);
    CHECK_EQ(frame_va(w.mt.l1)[3], 0);
    CHECK_EQ(gen_count(w.gframe), 4);
    CHECK_EQ(unmap(&w, h1, VA1, 0), GNTST_okay);      /* nothing left there */
    CHECK_EQ(gen_count(w.gframe), 4);
    audit_clean(&w);
    CHECK_EQ(unmap(&w, h2, VA2, 0), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags,
             GTF_permit_access | GTF_reading | GTF_writing);
    CHECK_EQ(unmap(&w, h1, 0, bus), GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(unmap(&w, h1, 0, bus), GNTST_bad_handle);
    /* Device only: no PTE, a bus address. */
    CHECK_EQ(map(&w, GNTMAP_device_map | GNTMAP_readonly, 0, REF, &hd),
             GNTST_okay);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_reading);
    CHECK_EQ(gen_count(w.gframe), 2);
    audit_clean(&w);
    CHECK_EQ(unmap(&w, hd, 0, bus), GNTST_okay);
    CHECK_EQ(gen_count(w.gframe), 1);
}

/* Everything a map can get wrong, with Xen's status; nothing kept. */
static void map_refused(void)
{
    struct world w;
    grant_handle_t h;
    struct gnttab_map_grant_ref op = {
        .host_addr = VA1, .flags = GNTMAP_host_map, .ref = REF, .dom = 7,
    };
    mfn_t other = domain_frame(new_domain(3, false, 4));

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, 0, VA1, REF, &h), GNTST_bad_gntref);   /* no part */
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, 512, &h), GNTST_bad_gntref);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, 0xffffffffu, &h), GNTST_bad_gntref);
    CHECK_EQ(gnt(w.m, GNTTABOP_map_grant_ref, &op, 1), 0);
    CHECK_EQ(op.status, GNTST_bad_domain);
    grant(&w, REF, GTF_permit_access, 3, w.gframe);          /* not to d2 */
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    grant(&w, REF, GTF_transitive, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    grant(&w, REF, GTF_accept_transfer, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    grant(&w, REF, GTF_invalid, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    grant(&w, REF, GTF_permit_access, 2, other);             /* not d1's */
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    grant(&w, REF, GTF_permit_access, 2, w.gt.l1);           /* a table */
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_general_error);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(map(&w, GNTMAP_host_map, 0x7fff00000000UL, REF, &h),
             GNTST_general_error);                          /* no L1 there */
    CHECK_EQ(map(&w, GNTMAP_host_map, 0xffff800000000000UL, REF, &h),
             GNTST_general_error);                          /* hypervisor */
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(gen_count(other), 1);
    /* The mapper cannot copy the grant PTE elsewhere: it is foreign. */
    CHECK_EQ(map(&w, GNTMAP_host_map, VA1, REF, &h), GNTST_okay);
    CHECK_EQ(pv_update_entry(mfn_to_page(w.mt.l1), 1, 5,
                             mkpte(w.gframe, PTE_RW), w.m, NULL, false),
             -EPERM);
    /* Overwriting it drops only the PTE's references; unmap then fails
     * (the entry changed) and the handle keeps the frame. */
    CHECK_EQ(pv_update_entry(mfn_to_page(w.mt.l1), 1, 3, 0, w.m, NULL, false),
             0);
    CHECK_EQ(gen_count(w.gframe), 2);
    audit_clean(&w);
    CHECK_EQ(unmap(&w, h, VA1, 0), GNTST_general_error);
    CHECK_EQ(gen_count(w.gframe), 2);
    audit_clean(&w);
}

/* Maptrack exhaustion: handle 4096 is refused with GNTST_no_space. */
static void maptrack_limit(void)
{
    struct world w;
    grant_handle_t h = 0;
    unsigned int i;

    world(&w, 1);
    grant(&w, REF, GTF_permit_access | GTF_readonly, 2, w.gframe);
    for ( i = 0; i < 4096; i++ )
        if ( map(&w, GNTMAP_device_map | GNTMAP_readonly, 0, REF, &h) )
            break;
    CHECK_EQ(i, 4096);
    CHECK_EQ(h, 4095);
    CHECK_EQ(map(&w, GNTMAP_device_map | GNTMAP_readonly, 0, REF, &h),
             GNTST_no_space);
    CHECK_EQ(gen_count(w.gframe), 4097);
    audit_clean(&w);
    for ( i = 0; i < 4096; i++ )
        CHECK_EQ(unmap(&w, i, 0, (uint64_t)w.gframe << PAGE_SHIFT),
                 GNTST_okay);
    CHECK_EQ(gen_count(w.gframe), 1);
    CHECK_EQ(v1e(&w, REF)->flags, GTF_permit_access | GTF_readonly);
}

/* A batch: each element has its own status. */
static void map_batch(void)
{
    struct world w;
    struct gnttab_map_grant_ref ops[3] = {
        { .host_addr = VA1, .flags = GNTMAP_host_map, .ref = REF, .dom = 1 },
        { .host_addr = VA2, .flags = GNTMAP_host_map, .ref = 999, .dom = 1 },
        { .host_addr = VA2, .flags = GNTMAP_host_map, .ref = REF, .dom = 1 },
    };

    world(&w, 1);
    grant(&w, REF, GTF_permit_access, 2, w.gframe);
    CHECK_EQ(gnt(w.m, GNTTABOP_map_grant_ref, ops, 3), 0);
    CHECK_EQ(ops[0].status, GNTST_okay);
    CHECK_EQ(ops[1].status, GNTST_bad_gntref);
    CHECK_EQ(ops[2].status, GNTST_okay);
    CHECK_EQ(gen_count(w.gframe), 5);
    audit_clean(&w);
    CHECK_EQ(gnt(w.m, GNTTABOP_map_grant_ref, (void *)BAD_GUEST_VA, 1),
             -EFAULT);
}

const struct test_case grant_cases[] = {
    { "map-by-va", map_by_va },
    { "map-readonly", map_readonly },
    { "map-contains-pte-xsa227", map_contains_pte },
    { "map-twice-and-device-xsa224", map_twice_and_device },
    { "map-refused", map_refused },
    { "maptrack-limit", maptrack_limit },
    { "map-batch", map_batch },
    { NULL, NULL },
};
