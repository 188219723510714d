/* The world test_grant.c and test_grant_more.c both test grants in: a
 * non-privileged granter (d1) and mapper (d2), each with a validated,
 * running address space; g's grant table set up; helpers for the ops the
 * mapper issues.  Include after harness.h and the grant headers. */

#ifndef GRANT_WORLD_H
#define GRANT_WORLD_H

#define REF   8
#define VA1   0x3000UL          /* empty slots of the mapper's L1 */
#define VA2   0x4000UL
#define VA3   0x5000UL

struct world {
    struct domain *g, *m;       /* granter d1, mapper d2 */
    struct vcpu *gv, *mv;
    struct tree gt, mt;         /* both validated and running */
    mfn_t gframe;               /* the granted frame (g's) */
    xen_pfn_t tab[40];          /* g's grant frames */
};

static inline long gnt(struct domain *d, unsigned int cmd, void *op,
                       unsigned int n)
{
    return pv_grant_table_op(d, cmd, gva(op), n);
}

static inline void running(struct domain *d, struct vcpu **v, struct tree *t)
{
    *v = new_vcpu(d, 0);
    build_tree(d, t);
    CHECK_EQ(pv_pin_table(d, t->l4, 4), 0);
    CHECK_EQ(pv_set_guest_table(*v, t->l4, false), 0);
}

/* Both domains running, g's table of frames set up, the mapper current;
 * the granted frame's contents are the caller's to fill. */
static inline void grant_world_init(struct world *w, unsigned int frames)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = frames };

    w->g = new_domain(1, false, 64);
    w->m = new_domain(2, false, 64);
    running(w->g, &w->gv, &w->gt);
    running(w->m, &w->mv, &w->mt);
    w->gframe = domain_frame(w->g);
    s.frame_list.va = gva(w->tab);
    CHECK_EQ(gnt(w->g, GNTTABOP_setup_table, &s, 1), 0);
    CHECK_EQ(s.status, GNTST_okay);
    set_current(w->mv);
}

static inline struct grant_entry_v1 *v1e(struct world *w, unsigned int ref)
{
    return (struct grant_entry_v1 *)frame_va(w->tab[0]) + ref;
}

static inline void grant(struct world *w, unsigned int ref, uint16_t flags,
                         domid_t to, uint32_t frame)
{
    v1e(w, ref)->domid = to;
    v1e(w, ref)->frame = frame;
    v1e(w, ref)->flags = flags;
}

/* The mapper maps g's ref at addr; the GNTST_* status, *h (if given)
 * the handle. */
static inline int16_t map(struct world *w, uint32_t flags, uint64_t addr,
                          grant_ref_t ref, grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = addr, .flags = flags, .ref = ref, .dom = 1,
    };

    CHECK_EQ(gnt(w->m, GNTTABOP_map_grant_ref, &op, 1), 0);
    if ( h )
        *h = op.handle;
    return op.status;
}

static inline int16_t unmap(struct world *w, grant_handle_t h, uint64_t addr,
                            uint64_t dev)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = addr, .dev_bus_addr = dev, .handle = h,
    };

    CHECK_EQ(gnt(w->m, GNTTABOP_unmap_grant_ref, &op, 1), 0);
    return op.status;
}

static inline void audit_clean(struct world *w)
{
    CHECK_EQ(mm_audit_domain(w->g), 0);
    CHECK_EQ(mm_audit_domain(w->m), 0);
}

#endif
