/* Unit tests for xen/common/event_channel.c: port allocation and every
 * EVTCHNOP with its error paths.  The raise protocol and a guest handler
 * racing with raises are test_evtchn_delivery.c's. */

#include "harness.h"
#include "evtchn_test.h"
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <public/event_channel.h>


static void port0_is_reserved(void)
{
    struct domain *d = dom_new(1, 1, false);
    long rc;

    set_current(d->vcpu[0]);
    CHECK_EQ(ev_alloc_unbound(DOMID_SELF, DOMID_SELF), 1);
    (void)status_of(DOMID_SELF, 0, &rc);
    CHECK_EQ(rc, -EINVAL);
    CHECK_EQ(close_port(0), -EINVAL);
    CHECK_EQ(send_port(0), -EINVAL);
    /* Ports past the 2-level limit do not exist. */
    (void)status_of(DOMID_SELF, 4096, &rc);
    CHECK_EQ(rc, -EINVAL);
    CHECK_EQ(close_port(4096), -EINVAL);
    CHECK_EQ(send_port(0xffffffff), -EINVAL);
    {
        struct evtchn_unmask u = { .port = 0 };
        struct evtchn_bind_vcpu bv = { .port = 0, .vcpu = 0 };

        CHECK_EQ(evtchn_op(EVTCHNOP_unmask, &u, sizeof(u)), -EINVAL);
        CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    }
    /* Raising port 0 from inside the hypervisor does nothing either. */
    evtchn_port_set_pending(d, 0);
    CHECK(!port_pending(d, 0));
}

static void allocation_fills_and_reuses(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 0 };

    set_current(d->vcpu[0]);
    for ( unsigned int want = 1; want < 4096; want++ )
        CHECK_EQ(ev_alloc_unbound(DOMID_SELF, 0), want);
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), -ENOSPC);
    CHECK_EQ(close_port(1234), 0);
    CHECK_EQ(close_port(1234), -EINVAL);            /* already closed */
    CHECK_EQ(ev_alloc_unbound(DOMID_SELF, 0), 1234);
    /* The lowest free port is reused first. */
    CHECK_EQ(close_port(77), 0);
    CHECK_EQ(close_port(3000), 0);
    CHECK_EQ(ev_alloc_unbound(DOMID_SELF, 0), 77);
}

static void alloc_unbound_permissions(void)
{
    struct domain *d0 = dom_new(0, 1, true);
    struct domain *d1 = dom_new(1, 1, false);
    struct domain *d2 = dom_new(2, 1, false);
    struct evtchn_alloc_unbound a;
    struct evtchn_status s;
    unsigned int port;
    long rc;

    (void)d2;
    set_current(d1->vcpu[0]);
    a = (struct evtchn_alloc_unbound){ .dom = 2, .remote_dom = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), -EPERM);
    /* Naming oneself by number is as good as DOMID_SELF. */
    a = (struct evtchn_alloc_unbound){ .dom = 1, .remote_dom = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
    CHECK_EQ(a.port, 1);
    a = (struct evtchn_alloc_unbound){ .dom = DOMID_SELF, .remote_dom = DOMID_IO };
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), -EINVAL);
    /* Remote DOMID_SELF means the caller. */
    port = ev_alloc_unbound(DOMID_SELF, DOMID_SELF);
    s = status_of(DOMID_SELF, port, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 1);

    /* The toolstack's case: dom0 allocates in a domU for itself. */
    set_current(d0->vcpu[0]);
    a = (struct evtchn_alloc_unbound){ .dom = 1, .remote_dom = DOMID_SELF };
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
    CHECK_EQ(a.port, 3);
    CHECK_EQ(d1->evtchn[3].state, ECS_UNBOUND);
    CHECK_EQ(d1->evtchn[3].u.unbound.remote_domid, 0);
    CHECK_EQ(d0->evtchn[1].state, ECS_FREE);
    a = (struct evtchn_alloc_unbound){ .dom = 9, .remote_dom = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a, sizeof(a)), -ESRCH);
    /* Unreadable or unwritable argument. */
    CHECK_EQ(do_event_channel_op(EVTCHNOP_alloc_unbound, 0x10, 0, 0, 0), -EFAULT);
    CHECK_EQ(do_event_channel_op(EVTCHNOP_alloc_unbound,
                                 0xffff830000000000UL, 0, 0, 0), -EFAULT);
}

static void interdomain_bind_and_send(void)
{
    struct domain *d1 = dom_new(1, 2, false);
    struct domain *d2 = dom_new(2, 1, false);
    struct evtchn_bind_interdomain b;
    struct evtchn_status s;
    unsigned int p1, p2;
    long rc;

    set_current(d1->vcpu[0]);
    p1 = ev_alloc_unbound(DOMID_SELF, 2);

    set_current(d2->vcpu[0]);
    b = (struct evtchn_bind_interdomain){ .remote_dom = 9, .remote_port = p1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -ESRCH);
    b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -EINVAL);
    b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = 5000 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -EINVAL);
    b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = p1 + 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -EINVAL);
    p2 = ev_bind_interdomain(1, p1);
    CHECK_EQ(p2, 1);
    /* The far end is no longer unbound: a second bind fails. */
    b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = p1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_interdomain, &b, sizeof(b)), -EINVAL);

    s = status_of(DOMID_SELF, p2, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s.u.interdomain.dom, 1);
    CHECK_EQ(s.u.interdomain.port, p1);
    CHECK_EQ(s.vcpu, 0);
    /* Like Xen, the new local port starts pending (covers dropped sends). */
    CHECK(port_pending(d2, p2));

    /* Send from d2: d1's port goes pending with selector and upcall. */
    port_clear_pending(d2, p2);
    clear_upcalls(d2);
    CHECK_EQ(send_port(p2), 0);
    CHECK(port_pending(d1, p1));
    CHECK(sel_bit(d1, 0, p1));
    CHECK_EQ(vi_of(d1, 0)->evtchn_upcall_pending, 1);
    CHECK_EQ(vi_of(d1, 1)->evtchn_upcall_pending, 0);
    CHECK(!port_pending(d2, p2));
    CHECK_EQ(vi_of(d2, 0)->evtchn_upcall_pending, 0);
    CHECK_EQ(d2->stats.events_sent, 1);
    CHECK_EQ(d1->stats.events_sent, 0);

    /* And back. */
    set_current(d1->vcpu[0]);
    CHECK_EQ(send_port(p1), 0);
    CHECK(port_pending(d2, p2));
    CHECK_EQ(vi_of(d2, 0)->evtchn_upcall_pending, 1);
    s = status_of(DOMID_SELF, p1, &rc);
    CHECK_EQ(s.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s.u.interdomain.dom, 2);
    CHECK_EQ(s.u.interdomain.port, p2);
}

static void interdomain_loopback(void)
{
    struct domain *d = dom_new(0, 1, true);
    unsigned int a, b;

    set_current(d->vcpu[0]);
    a = ev_alloc_unbound(DOMID_SELF, DOMID_SELF);
    b = ev_bind_interdomain(DOMID_SELF, a);
    CHECK(a != b);
    port_clear_pending(d, b);
    clear_upcalls(d);
    CHECK_EQ(send_port(b), 0);
    CHECK(port_pending(d, a));
    CHECK(!port_pending(d, b));
    CHECK_EQ(send_port(a), 0);
    CHECK(port_pending(d, b));
    /* Close one end: the other waits for us again. */
    CHECK_EQ(close_port(b), 0);
    CHECK_EQ(d->evtchn[a].state, ECS_UNBOUND);
    CHECK_EQ(d->evtchn[a].u.unbound.remote_domid, 0);
    CHECK_EQ(ev_bind_interdomain(0, a), b);
}

static void close_interdomain_leaves_peer_unbound(void)
{
    struct domain *d1 = dom_new(1, 1, false);
    struct domain *d2 = dom_new(2, 1, false);
    unsigned int p1, p2;
    struct evtchn_status s;
    long rc;

    set_current(d1->vcpu[0]);
    p1 = ev_alloc_unbound(DOMID_SELF, 2);
    set_current(d2->vcpu[0]);
    p2 = ev_bind_interdomain(1, p1);
    CHECK_EQ(close_port(p2), 0);
    CHECK_EQ(d2->evtchn[p2].state, ECS_FREE);
    CHECK(!port_pending(d2, p2));       /* freed ports keep no stale bit */

    set_current(d1->vcpu[0]);
    s = status_of(DOMID_SELF, p1, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s.u.unbound.dom, 2);
    /* Sending into the void is dropped silently, as in Xen. */
    clear_upcalls(d2);
    CHECK_EQ(send_port(p1), 0);
    CHECK(!port_pending(d2, p2));
    CHECK(!port_pending(d1, p1));

    /* d2 may bind again. */
    set_current(d2->vcpu[0]);
    CHECK_EQ(ev_bind_interdomain(1, p1), p2);
    /* Closing the other end instead. */
    set_current(d1->vcpu[0]);
    CHECK_EQ(close_port(p1), 0);
    CHECK_EQ(d2->evtchn[p2].state, ECS_UNBOUND);
    CHECK_EQ(d2->evtchn[p2].u.unbound.remote_domid, 1);
    set_current(d2->vcpu[0]);
    CHECK_EQ(send_port(p2), 0);
}

static void send_rules(void)
{
    struct domain *d = dom_new(1, 2, false);
    unsigned int unbound, virq, ipi;

    set_current(d->vcpu[0]);
    unbound = ev_alloc_unbound(DOMID_SELF, 0);
    virq = ev_bind_virq(VIRQ_TIMER, 0);
    ipi = ev_bind_ipi(1);
    CHECK_EQ(send_port(unbound), 0);
    CHECK(!port_pending(d, unbound));
    CHECK_EQ(send_port(virq), -EINVAL);
    CHECK_EQ(send_port(200), -EINVAL);             /* free */
    CHECK_EQ(send_port(ipi), 0);
    CHECK(port_pending(d, ipi));
    CHECK(sel_bit(d, 1, ipi));
    CHECK(!sel_bit(d, 0, ipi));
    CHECK_EQ(vi_of(d, 1)->evtchn_upcall_pending, 1);
    CHECK_EQ(vi_of(d, 0)->evtchn_upcall_pending, 0);
    CHECK_EQ(d->stats.events_sent, 2);
}

static void ipi_binding(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct evtchn_bind_ipi b = { .vcpu = 2 };
    struct evtchn_bind_vcpu bv;
    struct evtchn_status s;
    unsigned int p;
    long rc;

    set_current(d->vcpu[0]);
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_ipi, &b, sizeof(b)), -ENOENT);
    p = ev_bind_ipi(1);
    s = status_of(DOMID_SELF, p, &rc);
    CHECK_EQ(s.status, EVTCHNSTAT_ipi);
    CHECK_EQ(s.vcpu, 1);
    bv = (struct evtchn_bind_vcpu){ .port = p, .vcpu = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    CHECK_EQ(close_port(p), 0);
    CHECK_EQ(close_port(p), -EINVAL);
}

static void virq_binding_rules(void)
{
    struct domain *d = dom_new(0, 2, true);
    struct evtchn_bind_virq b;
    struct evtchn_status s;
    unsigned int t0, t1, exc;
    long rc;

    set_current(d->vcpu[0]);
    t0 = ev_bind_virq(VIRQ_TIMER, 0);
    t1 = ev_bind_virq(VIRQ_TIMER, 1);
    CHECK(t0 != t1);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -EEXIST);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -EINVAL);
    b = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -EINVAL);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_DEBUG, .vcpu = 99 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -ENOENT);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_XENPMU, .vcpu = 2 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -ENOENT);
    exc = ev_bind_virq(VIRQ_DOM_EXC, 0);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_virq, &b, sizeof(b)), -EEXIST);

    s = status_of(DOMID_SELF, t1, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_virq);
    CHECK_EQ(s.u.virq, VIRQ_TIMER);
    CHECK_EQ(s.vcpu, 1);

    /* Per-vCPU delivery goes to that vCPU only. */
    send_guest_vcpu_virq(d->vcpu[1], VIRQ_TIMER);
    CHECK(port_pending(d, t1));
    CHECK(!port_pending(d, t0));
    CHECK(sel_bit(d, 1, t1));
    CHECK_EQ(vi_of(d, 0)->evtchn_upcall_pending, 0);
    send_guest_global_virq(d, VIRQ_DOM_EXC);
    CHECK(port_pending(d, exc));
    CHECK_EQ(vi_of(d, 0)->evtchn_upcall_pending, 1);
    /* A global VIRQ sent "to a vCPU" still goes where it is bound. */
    port_clear_pending(d, exc);
    send_guest_vcpu_virq(d->vcpu[1], VIRQ_DOM_EXC);
    CHECK(port_pending(d, exc));
    /* Unbound VIRQs and nonsense numbers do nothing. */
    send_guest_vcpu_virq(d->vcpu[0], VIRQ_DEBUG);
    send_guest_global_virq(d, VIRQ_CONSOLE);
    send_guest_vcpu_virq(d->vcpu[0], 1000);
    for ( unsigned int p = 0; p < 4096; p++ )
        CHECK(p == t1 || p == exc || !port_pending(d, p));

    /* Closing releases the binding. */
    CHECK_EQ(close_port(t1), 0);
    CHECK_EQ(d->vcpu[1]->virq_to_evtchn[VIRQ_TIMER], 0);
    CHECK_EQ(ev_bind_virq(VIRQ_TIMER, 1), t1);
    CHECK_EQ(close_port(exc), 0);
    CHECK_EQ(d->vcpu[0]->virq_to_evtchn[VIRQ_DOM_EXC], 0);
}

static void bind_vcpu_rules(void)
{
    struct domain *d1 = dom_new(1, 2, false);
    struct domain *d2 = dom_new(2, 1, false);
    struct evtchn_bind_vcpu bv;
    unsigned int p1, p2, timer, con;

    set_current(d1->vcpu[0]);
    p1 = ev_alloc_unbound(DOMID_SELF, 2);
    timer = ev_bind_virq(VIRQ_TIMER, 0);
    con = ev_bind_virq(VIRQ_CONSOLE, 0);
    set_current(d2->vcpu[0]);
    p2 = ev_bind_interdomain(1, p1);

    set_current(d1->vcpu[0]);
    bv = (struct evtchn_bind_vcpu){ .port = p1, .vcpu = 5 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -ENOENT);
    bv = (struct evtchn_bind_vcpu){ .port = 4096, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    bv = (struct evtchn_bind_vcpu){ .port = 300, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    bv = (struct evtchn_bind_vcpu){ .port = timer, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), -EINVAL);
    bv = (struct evtchn_bind_vcpu){ .port = con, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
    send_guest_global_virq(d1, VIRQ_CONSOLE);
    CHECK(sel_bit(d1, 1, con));
    CHECK(!sel_bit(d1, 0, con));

    clear_upcalls(d1);
    bv = (struct evtchn_bind_vcpu){ .port = p1, .vcpu = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
    set_current(d2->vcpu[0]);
    CHECK_EQ(send_port(p2), 0);
    CHECK(sel_bit(d1, 1, p1));
    CHECK_EQ(vi_of(d1, 1)->evtchn_upcall_pending, 1);
    CHECK_EQ(vi_of(d1, 0)->evtchn_upcall_pending, 0);

    /* A pending, unmasked event follows the port to its new vCPU. */
    clear_upcalls(d1);
    set_current(d1->vcpu[0]);
    bv = (struct evtchn_bind_vcpu){ .port = p1, .vcpu = 0 };
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
    CHECK(sel_bit(d1, 0, p1));
    CHECK_EQ(vi_of(d1, 0)->evtchn_upcall_pending, 1);
}


static void status_permissions(void)
{
    struct domain *d0 = dom_new(0, 1, true);
    struct domain *d1 = dom_new(1, 2, false);
    struct evtchn_status s;
    unsigned int ipi;
    long rc;

    set_current(d1->vcpu[0]);
    ipi = ev_bind_ipi(1);
    s = status_of(0, 1, &rc);
    CHECK_EQ(rc, -EPERM);
    s = status_of(DOMID_SELF, 200, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_closed);

    set_current(d0->vcpu[0]);
    s = status_of(1, ipi, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_ipi);
    CHECK_EQ(s.vcpu, 1);
    s = status_of(7, 1, &rc);
    CHECK_EQ(rc, -ESRCH);
    CHECK_EQ(do_event_channel_op(EVTCHNOP_status, 0, 0, 0, 0), -EFAULT);
}

static void unsupported_ops(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct evtchn_init_control ic = { .vcpu = 0 };
    struct evtchn_bind_pirq bp = { .pirq = 1 };

    struct evtchn_set_priority sp = { .port = 0, .priority = 0 };
    struct evtchn_expand_array ea = { .array_gfn = 0 };

    set_current(d->vcpu[0]);
    /* FIFO ABI, as Xen answers before a switch: a frame that is not the
     * domain's, no vCPU 5, expand and set_priority on the 2-level ABI. */
    ic.control_gfn = ~0ULL;
    CHECK_EQ(evtchn_op(EVTCHNOP_init_control, &ic, sizeof(ic)), -EINVAL);
    ic.vcpu = 5;
    CHECK_EQ(evtchn_op(EVTCHNOP_init_control, &ic, sizeof(ic)), -ENOENT);
    ic.vcpu = 0;
    ic.offset = 4;
    CHECK_EQ(evtchn_op(EVTCHNOP_init_control, &ic, sizeof(ic)), -EINVAL);
    CHECK_EQ(evtchn_op(EVTCHNOP_expand_array, &ea, sizeof(ea)), -EOPNOTSUPP);
    CHECK_EQ(evtchn_op(EVTCHNOP_set_priority, &sp, sizeof(sp)), -EINVAL);
    sp.port = ev_bind_ipi(0);
    CHECK_EQ(evtchn_op(EVTCHNOP_set_priority, &sp, sizeof(sp)), -ENOSYS);
    /* bind_pirq of a pirq that is not mapped (bind-pirq has the rest). */
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &bp, sizeof(bp)), -EINVAL);
    CHECK_EQ(evtchn_op(14, &bp, sizeof(bp)), -ENOSYS);
    CHECK_EQ(evtchn_op(0xffffffff, &bp, sizeof(bp)), -ENOSYS);
}

static void reset_and_destroy(void)
{
    struct domain *d0 = dom_new(0, 1, true);
    struct domain *d1 = dom_new(1, 1, false);
    struct domain *d2 = dom_new(2, 1, false);
    struct evtchn_reset r;
    unsigned int p1, p2, p0;

    set_current(d1->vcpu[0]);
    p1 = ev_alloc_unbound(DOMID_SELF, 2);
    ev_bind_virq(VIRQ_TIMER, 0);
    ev_bind_ipi(0);
    set_current(d2->vcpu[0]);
    p2 = ev_bind_interdomain(1, p1);
    r = (struct evtchn_reset){ .dom = 1 };
    CHECK_EQ(evtchn_op(EVTCHNOP_reset, &r, sizeof(r)), -EPERM);

    set_current(d0->vcpu[0]);
    CHECK_EQ(evtchn_op(EVTCHNOP_reset, &r, sizeof(r)), 0);
    for ( unsigned int p = 1; p < 4096; p++ )
        CHECK_EQ(d1->evtchn[p].state, ECS_FREE);
    CHECK_EQ(d1->vcpu[0]->virq_to_evtchn[VIRQ_TIMER], 0);
    CHECK_EQ(d2->evtchn[p2].state, ECS_UNBOUND);
    CHECK_EQ(d2->evtchn[p2].u.unbound.remote_domid, 1);

    /* Destroying a domain unbinds its peers too. */
    p0 = ev_alloc_unbound(DOMID_SELF, 2);
    set_current(d2->vcpu[0]);
    p2 = ev_bind_interdomain(0, p0);
    dom_destroy(d0);
    CHECK(d0->evtchn == NULL);
    CHECK_EQ(d2->evtchn[p2].state, ECS_UNBOUND);
    CHECK_EQ(d2->evtchn[p2].u.unbound.remote_domid, 0);
    /* Raising into a destroyed table is ignored, not a crash. */
    evtchn_port_set_pending(d0, p0);
    CHECK_EQ(evtchn_alloc_unbound_port(d0, 1), -EINVAL);
}

static void builder_helpers(void)
{
    struct domain *d = dom_new(3, 1, false);
    int port = evtchn_alloc_unbound_port(d, 0);

    CHECK_EQ(port, 1);
    CHECK_EQ(d->evtchn[port].state, ECS_UNBOUND);
    CHECK_EQ(evtchn_alloc_unbound_port(d, DOMID_SELF), 2);
    CHECK_EQ(d->evtchn[2].u.unbound.remote_domid, 3);
    CHECK_EQ(evtchn_alloc_unbound_port(d, DOMID_XEN), -EINVAL);
    CHECK(!evtchn_port_is_pending(d, 1));
    evtchn_port_set_pending(d, 1);
    CHECK(evtchn_port_is_pending(d, 1));
    CHECK(!evtchn_port_is_pending(d, 5000));
    CHECK_EQ(evtchn_close_port(d, 1), 0);
    CHECK_EQ(evtchn_close_port(d, 1), -EINVAL);
    CHECK(virq_is_global(VIRQ_CONSOLE) && !virq_is_global(VIRQ_TIMER));
}


/* EVTCHNOP_bind_pirq: only a pirq the arch says is mapped (20 here),
 * once; the port reports it; raising it marks it pending; closing it
 * tells the arch, after which it binds again. */
static void bind_pirq(void)
{
    struct domain *d = dom_new(0, 1, true);
    struct evtchn_bind_pirq b = { .pirq = 20 };
    struct evtchn_status s;
    unsigned int port;
    long rc;

    set_current(d->vcpu[0]);
    pirq20_port = 0;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &b, sizeof(b)), 0);
    port = b.port;
    CHECK(port > 0);
    CHECK_EQ(pirq20_port, port);
    s = status_of(DOMID_SELF, port, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s.status, EVTCHNSTAT_pirq);
    CHECK_EQ(s.u.pirq, 20);
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -EEXIST);
    b.pirq = 21;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -EINVAL);
    b.pirq = 100000;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &b, sizeof(b)), -EINVAL);
    evtchn_port_set_pending(d, port);
    CHECK(port_pending(d, port));
    CHECK_EQ(close_port(port), 0);
    CHECK_EQ(pirq20_port, 0);
    b.pirq = 20;
    CHECK_EQ(evtchn_op(EVTCHNOP_bind_pirq, &b, sizeof(b)), 0);
    CHECK_EQ(close_port(b.port), 0);
}

const struct test_case evtchn_cases[] = {
    { "evtchn/bind-pirq", bind_pirq },
    { "evtchn/port0-reserved", port0_is_reserved },
    { "evtchn/allocation-fills-and-reuses", allocation_fills_and_reuses },
    { "evtchn/alloc-unbound-permissions", alloc_unbound_permissions },
    { "evtchn/interdomain-bind-and-send", interdomain_bind_and_send },
    { "evtchn/interdomain-loopback", interdomain_loopback },
    { "evtchn/close-leaves-peer-unbound", close_interdomain_leaves_peer_unbound },
    { "evtchn/send-rules", send_rules },
    { "evtchn/ipi-binding", ipi_binding },
    { "evtchn/virq-binding-rules", virq_binding_rules },
    { "evtchn/bind-vcpu-rules", bind_vcpu_rules },
    { "evtchn/status-permissions", status_permissions },
    { "evtchn/unsupported-ops", unsupported_ops },
    { "evtchn/reset-and-destroy", reset_and_destroy },
    { "evtchn/builder-helpers", builder_helpers },
    { NULL, NULL },
};
