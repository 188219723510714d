/*
 * grant: grant tables between two domains, as the initial domain sees
 * them (booted with mm_audit: the frame audit must be clean at shutdown).
 *
 * We build a second domain D through dom0_op (memory on its behalf, its
 * grant table set up on its behalf and mapped here), write grants in D's
 * table as D would, and use them from here:
 *  - functional: GNTMAP_host_map by VA (our stores land in D's frame, the
 *    in-use bits show in D's entry and clear on unmap), the contains_pte
 *    form Linux's gntdev uses, device_map's bus address, copy from a grant
 *    (bytes moved exactly), dump_table;
 *  - hostile, with Xen's GNTST_* answers: XSA-227 (a PTE address that is
 *    unaligned, in a data page, in D's frame), XSA-224 (one frame mapped
 *    twice, unmapping one handle through the other's address; host and
 *    device parts apart), XSA-232 (copy naming a frame we do not own, or
 *    a frame-number side of another domain), XSA-234 (read-only grant
 *    mapped writable, entry retargeted), copy bounds, bad refs, handles,
 *    domains, transitive grants;
 *  - D destroyed while its frame is mapped here: the frame stays readable
 *    and the unmap still works;
 *  - version 2 on our own table: status frames, no switch back while a
 *    grant is mapped or a status frame is mapped (XSA-255).
 */
#include "guest.h"
#include "pt.h"
#include "public/dom0_op.h"

#define REF     8
#define D_PAGES 64

static struct xen_dom0_op op;
static domid_t dom;                 /* D */
static xen_pfn_t dframes[4];        /* D's frames */
static xen_pfn_t dtab;              /* D's grant frame */
static struct grant_entry_v1 *dgnt; /* ... mapped here */
static uint8_t *dpage;              /* dframes[0] mapped here */
static uint8_t *slot, *slot2, *mine;

static int16_t map(uint32_t flags, uint64_t addr, domid_t from,
                   grant_ref_t ref, grant_handle_t *h, uint64_t *bus);

static long d0op(uint32_t cmd)
{
    op.cmd = cmd;
    op.interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(&op));
}

static long gnt(unsigned int cmd, void *arg, unsigned int count)
{
    return hypercall3(__HYPERVISOR_grant_table_op, cmd, (uint64_t)arg, count);
}

static void invlpg(uint64_t va)
{
    struct mmuext_op o = { .cmd = MMUEXT_INVLPG_LOCAL };

    o.arg1.linear_addr = va;
    hv_mmuext_op(&o, 1, NULL, DOMID_SELF);
}

/* Point our page va at D's frame mfn (a privileged foreign mapping). */
static long map_foreign(void *va, xen_pfn_t mfn)
{
    uint64_t ma;
    struct mmu_update u;

    if ( pte_lookup((unsigned long)va, 1, &ma) == NULL )
        return -EFAULT;
    u.ptr = ma;
    u.val = (mfn << PAGE_SHIFT) | PTE_KERNEL_RW;
    if ( hv_mmu_update(&u, 1, NULL, dom) )
        return -EINVAL;
    invlpg((uint64_t)va);
    return 0;
}

static void grant(unsigned int ref, uint16_t flags, domid_t to, uint32_t f)
{
    dgnt[ref].domid = to;
    dgnt[ref].frame = f;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    dgnt[ref].flags = flags;
}

/* One map; a VA mapping is made visible to us (Xen does not flush on map:
 * the old translation of the slot may still be in our TLB). */
static int16_t map(uint32_t flags, uint64_t addr, domid_t from,
                   grant_ref_t ref, grant_handle_t *h, uint64_t *bus)
{
    struct gnttab_map_grant_ref m = {
        .host_addr = addr, .flags = flags, .ref = ref, .dom = from,
    };

    if ( gnt(GNTTABOP_map_grant_ref, &m, 1) )
        return 99;
    invlpg((uint64_t)slot);
    invlpg((uint64_t)slot2);
    if ( h )
        *h = m.handle;
    if ( bus )
        *bus = m.dev_bus_addr;
    return m.status;
}

static int16_t unmap(grant_handle_t h, uint64_t addr, uint64_t bus)
{
    struct gnttab_unmap_grant_ref u = {
        .host_addr = addr, .dev_bus_addr = bus, .handle = h,
    };

    if ( gnt(GNTTABOP_unmap_grant_ref, &u, 1) )
        return 99;
    return u.status;
}

/* Our own mapping of a slot page back after an unmap left it empty. */
static void restore(void *va)
{
    hv_update_va_mapping((unsigned long)va, pte_for(va, PTE_KERNEL_RW),
                         UVMF_INVLPG);
}

static int16_t copy(struct gnttab_copy *c)
{
    if ( gnt(GNTTABOP_copy, c, 1) )
        return 99;
    return c->status;
}

static void make_domain(void)
{
    struct xen_memory_reservation r = { .nr_extents = 4, .domid = 0 };
    struct gnttab_setup_table s = { .nr_frames = 1 };

    memset(&op, 0, sizeof(op));
    op.u.createdomain.domid = DOMID_INVALID;
    op.u.createdomain.max_pages = D_PAGES;
    op.u.createdomain.max_vcpus = 1;
    if ( d0op(XEN_DOM0_createdomain) )
        test_abort("createdomain", "failed");
    dom = op.u.createdomain.domid;
    r.domid = dom;
    r.extent_start.p = dframes;
    CHECK_EQ(hv_memory_op(XENMEM_increase_reservation, &r), 4,
             "D gets 4 frames");
    s.dom = dom;
    s.frame_list.p = &dtab;
    CHECK(gnt(GNTTABOP_setup_table, &s, 1) == 0 && s.status == GNTST_okay,
          "setup_table for D");
    dgnt = page_alloc();
    dpage = page_alloc();
    CHECK_EQ(map_foreign(dgnt, dtab), 0, "D's grant frame mapped here");
    CHECK_EQ(map_foreign(dpage, dframes[0]), 0, "D's frame mapped here");
    for ( unsigned int i = 0; i < PAGE_SIZE; i++ )
        dpage[i] = (uint8_t)(i * 13 + 5);
}

static void test_functional(void)
{
    grant_handle_t h, h2;
    uint64_t ma, bus = 0;
    struct gnttab_dump_table dt = { .dom = 0 };
    struct gnttab_copy c = {
        .source = { .domid = 0, .offset = 17 },
        .dest = { .domid = DOMID_SELF, .offset = 3 },
        .len = 1000, .flags = GNTCOPY_source_gref,
    };

    grant(REF, GTF_permit_access, 0, dframes[0]);
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, REF, &h, NULL),
             GNTST_okay, "map D's grant at a VA");
    CHECK(slot[0] == dpage[0] && slot[4095] == dpage[4095],
          "reads through the mapping see D's frame");
    slot[100] = 0xab;
    CHECK_EQ(dpage[100], 0xab, "a store through the mapping lands in D's frame");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access | GTF_reading | GTF_writing,
             "D's entry shows GTF_reading|GTF_writing while mapped");
    dt.dom = dom;
    CHECK(gnt(GNTTABOP_dump_table, &dt, 1) == 0 && dt.status == GNTST_okay,
          "dump_table of D");
    CHECK_EQ(unmap(h, (uint64_t)slot, 0), GNTST_okay, "unmap it");
    CHECK_EQ(*pte_lookup((unsigned long)slot, 1, NULL), 0,
             "the PTE is empty after the unmap");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access, "and the in-use bits are clear");
    CHECK_EQ(unmap(h, (uint64_t)slot, 0), GNTST_bad_handle,
             "unmapping the handle again: GNTST_bad_handle");
    restore(slot);

    /* The form Linux's gntdev uses in a PV dom0. */
    pte_lookup((unsigned long)slot2, 1, &ma);
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_application_map,
                 ma, dom, REF, &h2, NULL), GNTST_okay,
             "map with GNTMAP_contains_pte (the PTE's machine address)");
    CHECK_EQ(slot2[100], 0xab, "and read D's frame through it");
    CHECK_EQ(unmap(h2, ma, 0), GNTST_okay, "unmap the contains_pte mapping");
    restore(slot2);

    CHECK_EQ(map(GNTMAP_device_map | GNTMAP_readonly, 0, dom, REF, &h, &bus),
             GNTST_okay, "device_map");
    CHECK_EQ(bus, dframes[0] << PAGE_SHIFT, "dev_bus_addr is the frame's address");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access | GTF_reading,
             "a read-only device map sets GTF_reading only");
    CHECK_EQ(unmap(h, 0, bus), GNTST_okay, "unmap the device mapping");

    c.source.u.ref = REF;
    c.source.domid = dom;
    c.dest.u.gmfn = virt_to_mfn(mine);
    memset(mine, 0, PAGE_SIZE);
    CHECK_EQ(copy(&c), GNTST_okay, "copy 1000 bytes from D's grant");
    CHECK(memcmp(mine + 3, dpage + 17, 1000) == 0 && mine[2] == 0 &&
          mine[1003] == 0, "exactly those bytes moved");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access, "no in-use bits after the copy");
}

static void test_hostile(void)
{
    grant_handle_t h1, h2;
    uint64_t ma, bus;
    struct gnttab_copy c = {
        .source = { .domid = 0, .offset = 0 },
        .dest = { .domid = DOMID_SELF, .offset = 0 },
        .len = 8, .flags = GNTCOPY_source_gref,
    };

    pte_lookup((unsigned long)slot2, 1, &ma);
    grant(REF, GTF_permit_access, 0, dframes[0]);
    /* XSA-227 */
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_contains_pte, ma + 3, dom, REF,
                 NULL, NULL), GNTST_general_error,
             "XSA-227: an unaligned PTE address: GNTST_general_error");
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_contains_pte,
                 (virt_to_mfn(mine) << PAGE_SHIFT) + 8, dom, REF, NULL, NULL),
             GNTST_general_error,
             "XSA-227: a PTE address in a data page: GNTST_general_error");
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_contains_pte,
                 (dframes[1] << PAGE_SHIFT) + 8, dom, REF, NULL, NULL),
             GNTST_general_error,
             "XSA-227: a PTE address in D's frame: GNTST_general_error");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access, "and the entry is untouched");

    /* XSA-224 */
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_device_map, (uint64_t)slot, dom,
                 REF, &h1, &bus), GNTST_okay, "XSA-224: map host+device");
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_contains_pte, ma, dom, REF, &h2,
                 NULL), GNTST_okay, "XSA-224: map the same grant a second time");
    CHECK_EQ(unmap(h1, ma, 0), GNTST_general_error,
             "XSA-224: unmap handle 1 through handle 2's PTE is refused");
    CHECK_EQ(slot2[5], dpage[5], "and handle 2's mapping is still there");
    CHECK_EQ(unmap(h1, (uint64_t)slot, bus + PAGE_SIZE), GNTST_bad_dev_addr,
             "XSA-224: a wrong dev_bus_addr: GNTST_bad_dev_addr");
    CHECK_EQ(unmap(h1, (uint64_t)slot, 0), GNTST_okay,
             "XSA-224: unmap handle 1's host part");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access | GTF_reading | GTF_writing,
             "the device part and handle 2 keep the bits");
    CHECK_EQ(unmap(h2, ma, 0), GNTST_okay, "unmap handle 2");
    CHECK_EQ(unmap(h1, 0, bus), GNTST_okay, "unmap handle 1's device part");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access, "all bits clear at the end");
    restore(slot);
    restore(slot2);

    /* XSA-234 class */
    grant(REF, GTF_permit_access | GTF_readonly, 0, dframes[0]);
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, REF, NULL, NULL),
             GNTST_general_error, "a read-only grant mapped writable: GNTST_general_error");
    grant(REF, GTF_permit_access, 5, dframes[0]);
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, REF, NULL, NULL),
             GNTST_general_error, "a grant to another domain: GNTST_general_error");
    grant(REF, GTF_transitive, 0, dframes[0]);
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, REF, NULL, NULL),
             GNTST_general_error, "a transitive grant: GNTST_general_error");
    grant(REF, GTF_permit_access, 0, virt_to_mfn(mine));
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, REF, NULL, NULL),
             GNTST_general_error, "a grant of a frame D does not own: GNTST_general_error");
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, dom, 512, NULL, NULL),
             GNTST_bad_gntref, "ref beyond the table: GNTST_bad_gntref");
    CHECK_EQ(map(0, (uint64_t)slot, dom, REF, NULL, NULL), GNTST_bad_gntref,
             "neither host nor device map: GNTST_bad_gntref");
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, 0x7000, REF, NULL, NULL),
             GNTST_bad_domain, "no such domain: GNTST_bad_domain");
    CHECK_EQ(unmap(4000, (uint64_t)slot, 0), GNTST_bad_handle,
             "a handle never given: GNTST_bad_handle");
    CHECK_EQ(*pte_lookup((unsigned long)slot, 1, NULL) & PTE_ADDR_MASK,
             virt_to_mfn(slot) << PAGE_SHIFT, "our own mapping survived all that");

    /* Copy: bounds, ownership (XSA-232 class). */
    grant(REF, GTF_permit_access, 0, dframes[0]);
    c.source.u.ref = REF;
    c.source.domid = dom;
    c.dest.u.gmfn = virt_to_mfn(mine);
    c.len = 100;
    c.source.offset = 4000;
    CHECK_EQ(copy(&c), GNTST_bad_copy_arg, "copy past the source page: GNTST_bad_copy_arg");
    c.source.offset = 0;
    c.dest.offset = 4095;
    CHECK_EQ(copy(&c), GNTST_bad_copy_arg, "copy past the dest page: GNTST_bad_copy_arg");
    c.dest.offset = 0;
    c.dest.u.gmfn = dframes[1];
    CHECK_EQ(copy(&c), GNTST_bad_page, "XSA-232: copy into D's frame by number: GNTST_bad_page");
    c.dest.domid = dom;
    CHECK_EQ(copy(&c), GNTST_permission_denied,
             "a frame-number side naming D: GNTST_permission_denied");
    c.dest.domid = DOMID_SELF;
    c.dest.u.gmfn = virt_to_mfn(mine);
    c.source.u.ref = 600;
    CHECK_EQ(copy(&c), GNTST_bad_gntref, "copy from a ref beyond the table: GNTST_bad_gntref");
    c.source.u.ref = REF;
    c.flags = GNTCOPY_dest_gref;
    c.dest.u.ref = REF;
    c.dest.domid = dom;
    c.source.u.gmfn = virt_to_mfn(mine);
    c.source.domid = DOMID_SELF;
    grant(REF, GTF_permit_access | GTF_readonly, 0, dframes[0]);
    CHECK_EQ(copy(&c), GNTST_general_error, "copy into a read-only grant: GNTST_general_error");
    CHECK_EQ(dgnt[REF].flags, GTF_permit_access | GTF_readonly, "entry untouched");
}

/* D dies while we map its frame: the frame outlives it until our unmap. */
static void test_granter_dies(void)
{
    grant_handle_t h;

    grant(REF, GTF_permit_access, 0, dframes[0]);
    dpage[7] = 0x77;
    CHECK_EQ(map(GNTMAP_host_map | GNTMAP_readonly, (uint64_t)slot, dom, REF,
                 &h, NULL), GNTST_okay, "map D's frame read-only");
    /* Our own windows on D go first (they are ordinary foreign maps). */
    restore((void *)dgnt);
    restore(dpage);
    memset(&op, 0, sizeof(op));
    op.u.domain.domid = dom;
    CHECK_EQ(d0op(XEN_DOM0_destroydomain), 0, "destroy D while mapped");
    CHECK_EQ(slot[7], 0x77, "its frame is still readable through the grant");
    CHECK_EQ(unmap(h, (uint64_t)slot, 0), GNTST_okay, "and the unmap still works");
    restore(slot);
}

/* Version 2 on our own table, granting to ourselves. */
static void test_v2(void)
{
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 1 };
    struct gnttab_get_status_frames gs = { .nr_frames = 1, .dom = DOMID_SELF };
    static xen_pfn_t tab;
    static uint64_t st;
    union grant_entry_v2 *e = page_alloc();
    grant_status_t *status = page_alloc();
    grant_handle_t h;

    s.frame_list.p = &tab;
    gs.frame_list.p = &st;
    CHECK(gnt(GNTTABOP_setup_table, &s, 1) == 0 && s.status == GNTST_okay,
          "our own table");
    CHECK(gnt(GNTTABOP_get_status_frames, &gs, 1) == 0 &&
          gs.status == GNTST_general_error, "v1: get_status_frames refused");
    CHECK_EQ(gnt(GNTTABOP_set_version, &sv, 1), 0, "set_version 2");
    CHECK(gnt(GNTTABOP_get_version, &gv, 1) == 0 && gv.version == 2,
          "get_version says 2");
    CHECK(gnt(GNTTABOP_get_status_frames, &gs, 1) == 0 &&
          gs.status == GNTST_okay, "get_status_frames");
    CHECK_EQ(hv_update_va_mapping((unsigned long)e, (tab << PAGE_SHIFT) | PTE_KERNEL_RW,
                                  UVMF_INVLPG), 0, "map our v2 table");
    CHECK_EQ(hv_update_va_mapping((unsigned long)status,
                                  (st << PAGE_SHIFT) | PTE_KERNEL_RO, UVMF_INVLPG),
             0, "map our status frame");
    e[REF].full_page.frame = virt_to_mfn(mine);
    e[REF].hdr.domid = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    e[REF].hdr.flags = GTF_permit_access;
    CHECK_EQ(map(GNTMAP_host_map, (uint64_t)slot, DOMID_SELF, REF, &h, NULL),
             GNTST_okay, "map our own v2 grant");
    CHECK(status[REF] == (GTF_reading | GTF_writing) &&
          e[REF].hdr.flags == GTF_permit_access,
          "v2: the in-use bits are in the status frame");
    sv.version = 1;
    CHECK_EQ(gnt(GNTTABOP_set_version, &sv, 1), -EBUSY,
             "no switch to v1 while a grant is mapped");
    CHECK_EQ(unmap(h, (uint64_t)slot, 0), GNTST_okay, "unmap it");
    CHECK_EQ(status[REF], 0, "status cleared");
    restore(slot);
    sv.version = 1;
    CHECK_EQ(gnt(GNTTABOP_set_version, &sv, 1), -EBUSY,
             "XSA-255: no switch to v1 while a status frame is mapped");
    restore(status);
    sv.version = 1;
    CHECK_EQ(gnt(GNTTABOP_set_version, &sv, 1), 0,
             "switch to v1 once it is unmapped");
    CHECK(gnt(GNTTABOP_get_status_frames, &gs, 1) == 0 &&
          gs.status == GNTST_general_error, "status frames are gone");
    CHECK_EQ(hv_update_va_mapping((unsigned long)status,
                                  (st << PAGE_SHIFT) | PTE_KERNEL_RO, UVMF_INVLPG),
             -EINVAL, "a released status frame cannot be mapped");
    restore(e);
}

void test_main(void)
{
    slot = page_alloc();
    slot2 = page_alloc();
    mine = page_alloc();
    make_domain();
    test_functional();
    test_hostile();
    test_granter_dies();
    test_v2();
}
