/*
 * Event-channel and physdev (interrupt) sub-ops with structured arguments:
 * every EVTCHNOP_* and every PHYSDEVOP_* the hypervisor implements, plus
 * the numbers it answers -ENOSYS.  We run as dom0 with PCI access, so the
 * interrupt ops (map_pirq, unmap_pirq, setup_gsi, irq_status_query, eoi,
 * alloc_irq_vector, bind_pirq) really run: GSIs of the machine and beyond
 * its pins, MSI sources that do not exist, pirqs in and out of range.  A
 * domain without PCI access must get -EPERM for all of them (and for
 * apic_read/apic_write, always refused): after.c's second guest checks
 * that as a domU.
 *
 * Kept out, because a correct hypervisor would legitimately hurt us:
 *  - EVTCHNOP_init_control that could succeed would switch dom0 to the
 *    FIFO ABI under the 2-level code we run: its offset is always one that
 *    must be refused (unaligned or past the page), on frames of any kind;
 *  - EVTCHNOP_close of another vCPU's VIRQ_TIMER port, and reset of our
 *    own ports while another vCPU may be blocked on its timer.
 */
#include "fuzz.h"
#include "ops.h"

static uint32_t gen_pirq(struct fuzz_cpu *c)
{
    struct fuzz_rng *r = &c->rng;

    switch (rng_below(r, 6)) {
    case 0: return 255;                             /* NR_PIRQS - 1 */
    case 1: return rng_chance(r, 50) ? 256 : 0xffffffffU;
    case 2: return (uint32_t)gen_bound(c);
    default: return (uint32_t)rng_below(r, 24);     /* an IO-APIC pin's GSI */
    }
}

void build_evtchn(struct fuzz_cpu *c, uint64_t a[5])
{
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = (uint32_t)(rng_chance(r, 95) ? rng_below(r, 15) : gen_bound(c));
    uint32_t *w = op_arena(c, 32);
    unsigned int i;

    for (i = 0; i < 8; i++)
        w[i] = (uint32_t)rng_next(r);
    switch (cmd) {
    case EVTCHNOP_bind_virq:
        w[0] = (uint32_t)(rng_chance(r, 80) ? rng_below(r, 25) : gen_bound(c));
        w[1] = gen_vcpu(c);
        break;
    case EVTCHNOP_bind_ipi: case EVTCHNOP_reset:
        w[0] = rng_chance(r, 50) ? gen_vcpu(c) : gen_domid(c);
        break;
    case EVTCHNOP_alloc_unbound: case EVTCHNOP_bind_interdomain:
    case EVTCHNOP_status:
        ((uint16_t *)w)[0] = gen_domid(c);
        ((uint16_t *)w)[1] = gen_domid(c);
        w[1] = gen_port(c);
        w[2] = gen_port(c);
        break;
    case EVTCHNOP_bind_vcpu:
        w[0] = gen_port(c);
        w[1] = gen_vcpu(c);
        break;
    case EVTCHNOP_bind_pirq: {
        struct evtchn_bind_pirq *b = (void *)w;
        b->pirq = gen_pirq(c);
        b->flags = rng_chance(r, 80) ? (uint32_t)rng_below(r, 2) : (uint32_t)gen_bound(c);
        break;
    }
    case EVTCHNOP_init_control: {
        /* Never an offset that could be accepted, whatever the frame: a
         * frame we cannot tell is not ours (shared_info is; the other
         * domain's may have become ours) would switch us to FIFO (seen:
         * both vCPUs blocked for good in SCHEDOP_block, fuzz_seed=1). */
        struct evtchn_init_control *ic = (void *)w;
        static const enum frame_kind k[] = { FR_OTHER, FR_HV, FR_XEN, FR_BOUNDARY, FR_LOOSE,
                                             FR_OWN_PT };
        ic->control_gfn = gen_frame(c, k[rng_below(r, ARRAY_SIZE(k))]);
        ic->offset = (uint32_t)(rng_chance(r, 50) ? rng_below(r, PAGE_SIZE) : gen_bound(c));
        if (ic->offset <= PAGE_SIZE - 64 && !(ic->offset & 7))
            ic->offset += 1 + (uint32_t)rng_below(r, 7);    /* unaligned */
        ic->vcpu = gen_vcpu(c);
        break;
    }
    case EVTCHNOP_expand_array:         /* -EINVAL: not FIFO (see above) */
        *(uint64_t *)w = rng_chance(r, 50) ? gen_frame(c, FR_LOOSE) : gen_frame_safe(c);
        break;
    case EVTCHNOP_set_priority:
        w[0] = gen_port(c);
        w[1] = rng_chance(r, 80) ? (uint32_t)rng_below(r, 17) : (uint32_t)gen_bound(c);
        break;
    default:                            /* close, send, unmask: a port */
        w[0] = gen_port(c);
        w[1] = gen_port(c);
    }
    /* Another vCPU may be in SCHEDOP_block waiting for its VIRQ_TIMER:
     * closing that channel (or all of ours) would leave it blocked for
     * good, as it would in Xen.  Our own timer channel we may close:
     * timer_virq_ready() binds it again before we block. */
    if (fuzz_cfg.vcpus > 1 && cmd == EVTCHNOP_close) {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = w[0] };
        if (hv_evtchn_op(EVTCHNOP_status, &st) == 0 && st.status == EVTCHNSTAT_virq &&
            st.u.virq == VIRQ_TIMER && st.vcpu != c->id)
            w[0] = 0;
    }
    if (fuzz_cfg.vcpus > 1 && cmd == EVTCHNOP_reset &&
        ((uint16_t)w[0] == DOMID_SELF || (uint16_t)w[0] == 0))
        w[0] = world.other;
    a[0] = cmd;
    a[1] = op_ptr_or_bad(c, w, 32);
}

void build_physdev(struct fuzz_cpu *c, uint64_t a[5])
{
    static const uint32_t cmds[] = {
        PHYSDEVOP_set_iopl, PHYSDEVOP_set_iopl, PHYSDEVOP_get_nr_pirqs,
        PHYSDEVOP_map_pirq, PHYSDEVOP_map_pirq, PHYSDEVOP_unmap_pirq,
        PHYSDEVOP_irq_status_query, PHYSDEVOP_eoi, PHYSDEVOP_setup_gsi,
        PHYSDEVOP_alloc_irq_vector, PHYSDEVOP_apic_read, PHYSDEVOP_apic_write,
        PHYSDEVOP_pirq_eoi_gmfn_v1, PHYSDEVOP_pirq_eoi_gmfn_v2, PHYSDEVOP_get_free_pirq,
        PHYSDEVOP_manage_pci_add, PHYSDEVOP_pci_device_add, PHYSDEVOP_restore_msi,
        PHYSDEVOP_set_iobitmap, PHYSDEVOP_IRQ_UNMASK_NOTIFY,
    };
    struct fuzz_rng *r = &c->rng;
    uint32_t cmd = rng_chance(r, 95) ? cmds[rng_below(r, ARRAY_SIZE(cmds))] : (uint32_t)rng_below(r, 40);
    uint32_t *w = op_arena(c, 64);

    op_fill_random(c, w, 64);
    switch (cmd) {
    case PHYSDEVOP_set_iopl:
        w[0] = rng_chance(r, 90) ? (uint32_t)rng_below(r, 5) : (uint32_t)gen_bound(c);
        c->dirty |= DIRTY_IOPL;
        break;
    case PHYSDEVOP_map_pirq: {
        struct physdev_map_pirq *m = (void *)w;
        static const int32_t types[] = { MAP_PIRQ_TYPE_GSI, MAP_PIRQ_TYPE_GSI, MAP_PIRQ_TYPE_MSI,
                                         MAP_PIRQ_TYPE_MSI_SEG, MAP_PIRQ_TYPE_MULTI_MSI,
                                         MAP_PIRQ_TYPE_UNKNOWN, -1 };
        m->domid = rng_chance(r, 70) ? DOMID_SELF : gen_domid(c);
        m->type = rng_chance(r, 90) ? types[rng_below(r, ARRAY_SIZE(types))] : (int32_t)gen_bound(c);
        m->index = rng_chance(r, 80) ? (int32_t)gen_pirq(c) : -1;
        m->pirq = rng_chance(r, 50) ? m->index : (rng_chance(r, 50) ? -1 : (int32_t)gen_pirq(c));
        m->bus = rng_chance(r, 80) ? (int32_t)rng_below(r, 2) : (int32_t)gen_bound(c);
        m->devfn = rng_chance(r, 80) ? (int32_t)rng_below(r, 256) : (int32_t)gen_bound(c);
        m->entry_nr = rng_chance(r, 80) ? (int32_t)rng_below(r, 8) : (int32_t)gen_bound(c);
        m->table_base = rng_chance(r, 50) ? 0 : gen_bound(c);
        break;
    }
    case PHYSDEVOP_unmap_pirq: {
        struct physdev_unmap_pirq *u = (void *)w;
        u->domid = rng_chance(r, 70) ? DOMID_SELF : gen_domid(c);
        u->pirq = (int32_t)gen_pirq(c);
        break;
    }
    case PHYSDEVOP_setup_gsi: {
        struct physdev_setup_gsi *g = (void *)w;
        g->gsi = rng_chance(r, 90) ? (int32_t)gen_pirq(c) : -1;
        g->triggering = (uint8_t)(rng_chance(r, 80) ? rng_below(r, 2) : rng_next(r));
        g->polarity = (uint8_t)(rng_chance(r, 80) ? rng_below(r, 2) : rng_next(r));
        break;
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1: case PHYSDEVOP_pirq_eoi_gmfn_v2:
        /* -ENOSYS today; a frame it may write, should that change. */
        *(uint64_t *)w = gen_frame_safe(c);
        break;
    case PHYSDEVOP_apic_read: case PHYSDEVOP_apic_write:
        *(uint64_t *)w = rng_chance(r, 70) ? 0xfec00000UL : gen_bound(c);
        w[2] = (uint32_t)rng_below(r, 0x40);
        break;
    case PHYSDEVOP_get_nr_pirqs:
        break;
    default:                            /* irq_status_query, eoi, alloc_irq_vector ... */
        w[0] = gen_pirq(c);
    }
    a[0] = cmd;
    a[1] = op_ptr_or_bad(c, w, 64);
}
