/*
 * dom0_hw/pirq.c: pirq helpers, hostile interrupt requests (each refused
 * with its errno) and a GSI's whole life.
 */
#include "guest.h"
#include <public/physdev.h>
#include "dom0_hw.h"

/* Wait (at most 5 s of system time: a bound, not a measurement) for
 * port to become pending. */
int wait_pending(evtchn_port_t port)
{
    uint64_t end = pvclock_now() + 5000000000ULL;

    while (!evtchn_is_pending(port))
        if (pvclock_now() > end)
            return 0;
    return 1;
}

long pirq_bind(unsigned int pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq b = { .pirq = pirq };
    long rc = hv_evtchn_op(EVTCHNOP_bind_pirq, &b);

    *port = b.port;
    return rc;
}

void pirq_unbind_unmap(evtchn_port_t port, int pirq)
{
    struct evtchn_close c = { .port = port };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    CHECK_EQ(hv_evtchn_op(EVTCHNOP_close, &c), 0, casename("port of pirq %d closed", pirq));
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), 0, casename("pirq %d unmapped", pirq));
}

static long map_pirq(int type, int index, int bus, int devfn, uint64_t table)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = type, .index = index, .pirq = -1,
        .bus = bus, .devfn = devfn, .table_base = table,
    };

    return hv_physdev_op(PHYSDEVOP_map_pirq, &m);
}

void test_hostile_irqs(void)
{
    struct physdev_map_pirq m = { .domid = 5, .type = MAP_PIRQ_TYPE_MSI_SEG, .pirq = -1 };
    struct physdev_irq_status_query q = { .irq = 5000 };
    struct physdev_eoi e = { .irq = 5000 };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = 5000 };
    struct evtchn_bind_pirq b = { .pirq = 5000 };
    unsigned int absent = pci_empty_devfn();

    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 1000, 0, 0, 0), -EINVAL,
             "map_pirq of GSI 1000 (beyond the IO-APICs) is -EINVAL");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, -1, 0, 0, 0), -EINVAL, "map_pirq of GSI -1 is -EINVAL");
    CHECK(absent != 0, "bus 0 has an empty slot");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, absent, 0), -ENODEV,
             "map_pirq MSI for a device that does not exist is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, absent, 0xfebf0000), -ENODEV,
             "map_pirq MSI-X for a device that does not exist is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, 0, 0), -ENODEV,
             "map_pirq MSI for the host bridge (no MSI capability) is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 0, 0, 0xfebf0000), -EINVAL,
             "map_pirq MSI-X for the host bridge (no MSI-X table) is -EINVAL");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 1 << 16, 0, 0), -ENODEV,
             "map_pirq in PCI segment 1 is -ENODEV");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_MSI_SEG, -1, 300, 0, 0), -EINVAL, "map_pirq on bus 300 is -EINVAL");
    CHECK_EQ(map_pirq(99, 0, 0, 0, 0), -EINVAL, "map_pirq of an unknown type is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), -EPERM, "map_pirq for another domain is -EPERM");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of pirq 5000 is -EINVAL");
    q.irq = 40;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of an unmapped pirq is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_eoi, &e), -EINVAL, "eoi of pirq 5000 is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmap_pirq of pirq 5000 is -EINVAL");
    u.pirq = 40;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmap_pirq of an unmapped pirq is -EINVAL");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EINVAL, "bind_pirq of pirq 5000 is -EINVAL");
    b.pirq = 40;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EINVAL, "bind_pirq of an unmapped pirq is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_apic_write, &e), -EPERM, "apic_write is -EPERM (the hypervisor's IO-APIC)");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 2, 0, 0, 0), -EPERM, "map_pirq of GSI 2 (the hypervisor's PIT) is -EPERM");
    CHECK_EQ(map_pirq(MAP_PIRQ_TYPE_GSI, 4, 0, 0, 0), -EPERM, "map_pirq of GSI 4 (the console's COM1) is -EPERM");
}

/* A GSI's whole life: ISA line 5 (nothing on it in QEMU's pc machine). */
void test_gsi_lifecycle(void)
{
    struct physdev_map_pirq m = { .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = 5, .pirq = 5 };
    struct physdev_setup_gsi g = { .gsi = 5, .triggering = 1, .polarity = 0 };
    struct physdev_irq_status_query q = { .irq = 5 };
    struct physdev_eoi e = { .irq = 5 };
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = 5 };
    struct evtchn_bind_pirq b = { .pirq = 5 };
    struct evtchn_close c;

    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), 0, "map_pirq of GSI 5 as pirq 5 returns 0");
    CHECK_EQ(m.pirq, 5, "... and says pirq 5");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), 0, "mapping it again gives the same pirq");
    m.pirq = 6;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_map_pirq, &m), -EEXIST, "mapping GSI 5 as another pirq is -EEXIST");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_irq_status_query, &q), 0, "irq_status_query of pirq 5 returns 0");
    CHECK_EQ(q.flags, 0, "an ISA line is edge: no EOI needed");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_setup_gsi, &g), 0, "setup_gsi 5 level/high returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_irq_status_query, &q), 0, "irq_status_query again");
    CHECK_EQ(q.flags, XENIRQSTAT_needs_eoi, "a level line needs the EOI");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), 0, "bind_pirq 5 returns 0");
    CHECK(b.port > 0, "... with a port");
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_bind_pirq, &b), -EEXIST, "binding pirq 5 twice is -EEXIST");
    u.pirq = 5;
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), -EBUSY, "unmap_pirq of a bound pirq is -EBUSY");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_eoi, &e), 0, "eoi of pirq 5 returns 0");
    c.port = b.port;
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_close, &c), 0, "closing its port returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), 0, "unmap_pirq 5 returns 0");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_unmap_pirq, &u), -EINVAL, "unmapping it again is -EINVAL");
    CHECK_EQ(hv_physdev_op(PHYSDEVOP_irq_status_query, &q), -EINVAL, "irq_status_query of the unmapped pirq is -EINVAL");
}
