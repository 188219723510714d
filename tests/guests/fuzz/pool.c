/*
 * Frame pools the fuzzer may lose: each vCPU's "loose" frames (dom0 frames
 * beyond the initial mapped region, never mapped by us, so any type,
 * pin or release is harmless to the guest) and the other domain's frames.
 */
#include "fuzz.h"

long dom0_op(struct xen_dom0_op *op, uint32_t cmd)
{
    op->cmd = cmd;
    op->interface_version = XEN_DOM0_OP_INTERFACE_VERSION;
    return hypercall1(__HYPERVISOR_dom0_op, HC_PTR(op));
}

void loose_init(void)
{
    unsigned long first = start_info->nr_pages - (unsigned long)fuzz_cfg.vcpus * FUZZ_LOOSE_PER_CPU;
    unsigned int cpu, i;

    if (first < world.region_pages + 16)
        test_abort("fuzz: loose frames", "only %lu pages beyond the %lu-page region",
                   start_info->nr_pages - world.region_pages, world.region_pages);
    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        for (i = 0; i < FUZZ_LOOSE_PER_CPU; i++) {
            unsigned long pfn = first + cpu * FUZZ_LOOSE_PER_CPU + i;
            fuzz_cpus[cpu].loose_pfn[i] = pfn;
            fuzz_cpus[cpu].loose_mfn[i] = p2m[pfn];
        }
}

void loose_note_released(uint64_t mfn)
{
    unsigned int cpu, i;

    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        for (i = 0; i < FUZZ_LOOSE_PER_CPU; i++)
            if (fuzz_cpus[cpu].loose_mfn[i] == mfn)
                fuzz_cpus[cpu].loose_mfn[i] = ~0UL;
}

/* Put frames back where ours were given away (by us or by another vCPU). */
void loose_refill(struct fuzz_cpu *c)
{
    unsigned int i;

    for (i = 0; i < FUZZ_LOOSE_PER_CPU; i++) {
        xen_pfn_t frame = c->loose_pfn[i];
        struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

        if (c->loose_mfn[i] != ~0UL)
            continue;
        r.extent_start.p = &frame;
        if (hv_memory_op(XENMEM_populate_physmap, &r) != 1)
            continue;       /* no room yet: a frame is still on its way back */
        p2m[c->loose_pfn[i]] = frame;
        c->loose_mfn[i] = frame;
    }
}

long other_domain_create(void)
{
    static struct xen_dom0_op op;
    static xen_pfn_t frames[FUZZ_OTHER_FRAMES];
    struct xen_memory_reservation r = { .nr_extents = FUZZ_OTHER_FRAMES };
    unsigned int i;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.createdomain.domid = DOMID_INVALID;
    op.u.createdomain.max_pages = 4 * FUZZ_OTHER_FRAMES;
    op.u.createdomain.max_vcpus = 2;
    rc = dom0_op(&op, XEN_DOM0_createdomain);
    if (rc)
        return rc;
    for (i = 0; i < FUZZ_OTHER_FRAMES; i++)
        frames[i] = i;
    r.domid = op.u.createdomain.domid;
    r.extent_start.p = frames;
    rc = hv_memory_op(XENMEM_populate_physmap, &r);
    for (i = 0; i < FUZZ_OTHER_FRAMES; i++)
        world.other_mfn[i] = (long)i < rc ? frames[i] : ~0UL;
    world.other = op.u.createdomain.domid;
    return rc == FUZZ_OTHER_FRAMES ? 0 : -ENOMEM;
}

void other_domain_destroy(void)
{
    static struct xen_dom0_op op;

    if (world.other == DOMID_INVALID)
        return;
    memset(&op, 0, sizeof(op));
    op.u.domain.domid = world.other;
    dom0_op(&op, XEN_DOM0_destroydomain);
}
