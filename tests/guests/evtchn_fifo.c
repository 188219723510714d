/*
 * evtchn_fifo: the FIFO event channel ABI as Xen answers it and as Linux's
 * drivers/xen/events/events_fifo.c drives it.  init_control errors (no
 * such vCPU -ENOENT, offsets that leave no room or are misaligned, frames
 * that are not ours or are page tables -EINVAL), expand_array and
 * set_priority before the switch (-EOPNOTSUPP, -ENOSYS); the switch (a
 * port bound and pending before it carries over); a second init_control
 * for the vCPU -EINVAL; expand_array errors; an upcall consuming the
 * queues per the protocol (xchg READY, follow HEAD and LINK, clear
 * LINKED); FIFO order within a queue and priority order across queues;
 * MASKED words stay pending and unlinked until EVTCHNOP_unmask; a VIRQ
 * timer; ports above 4,095 raised before their array page exists and
 * delivered after expand_array; SCHEDOP_poll on ports above 4,095 (pending,
 * quiet until the timeout, woken by a raise; -EINVAL from the FIFO limit
 * on); set_priority errors; expand to the
 * 128-page limit then -ENOSPC; EVTCHNOP_reset back to the 2-level ABI;
 * a second switch, whose frames cannot become page tables and are left
 * registered for the teardown (mm_audit at shutdown).
 */
#include "guest.h"

#define MS 1000000ULL
#define W_PENDING (1U << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1U << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1U << EVTCHN_FIFO_LINKED)
#define WORDS_PER_PAGE 1024
#define MAX_PAGES 8

static struct evtchn_fifo_control_block *cb;
static volatile event_word_t *array[MAX_PAGES];
static unsigned int nr_array_pages;
static uint32_t local_head[EVTCHN_FIFO_MAX_QUEUES];

/* Deliveries, in order. */
static volatile unsigned int fifo_upcalls;
static volatile evtchn_port_t seen[64];
static volatile unsigned int nr_seen;
static volatile unsigned int seen_count[8192];

static volatile event_word_t *word(evtchn_port_t port)
{
    if (port / WORDS_PER_PAGE >= nr_array_pages)
        return NULL;
    return &array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

/* Clear LINKED and LINK; the old LINK. */
static uint32_t clear_linked(volatile event_word_t *w)
{
    uint32_t old = *w, new;

    do {
        new = old & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK);
    } while (!__atomic_compare_exchange_n(w, &old, new, 0,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return old & EVTCHN_FIFO_LINK_MASK;
}

static void consume_one(unsigned int q, uint32_t *ready)
{
    uint32_t head = local_head[q], next;
    volatile event_word_t *w;

    if (head == 0)
        head = __atomic_load_n(&cb->head[q], __ATOMIC_SEQ_CST);
    w = word(head);
    if (w == NULL) {            /* nothing sane: drop the queue */
        *ready &= ~(1U << q);
        local_head[q] = 0;
        return;
    }
    next = clear_linked(w);
    if (next == 0)
        *ready &= ~(1U << q);
    if ((*w & W_PENDING) && !(*w & W_MASKED)) {
        __atomic_fetch_and(w, ~W_PENDING, __ATOMIC_SEQ_CST);
        if (nr_seen < ARRAY_SIZE(seen))
            seen[nr_seen] = head;
        nr_seen++;
        if (head < ARRAY_SIZE(seen_count))
            seen_count[head]++;
    }
    local_head[q] = next;
}

static void fifo_upcall(void)
{
    uint32_t ready = 0;

    fifo_upcalls++;
    do {
        vcpu->evtchn_upcall_pending = 0;
        barrier();
        ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
        while (ready)
            consume_one((unsigned int)__builtin_ctz(ready), &ready);
        barrier();
    } while (vcpu->evtchn_upcall_pending);
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu_id,
                         uint8_t *link_bits)
{
    static struct evtchn_init_control ic;
    long rc;

    memset(&ic, 0, sizeof(ic));
    ic.control_gfn = gfn;
    ic.offset = offset;
    ic.vcpu = vcpu_id;
    rc = hv_evtchn_op(EVTCHNOP_init_control, &ic);
    if (link_bits)
        *link_bits = ic.link_bits;
    return rc;
}

static long expand(uint64_t gfn)
{
    static struct evtchn_expand_array ea;

    ea.array_gfn = gfn;
    return hv_evtchn_op(EVTCHNOP_expand_array, &ea);
}

static long set_priority(evtchn_port_t port, uint32_t prio)
{
    static struct evtchn_set_priority sp;

    sp.port = port;
    sp.priority = prio;
    return hv_evtchn_op(EVTCHNOP_set_priority, &sp);
}

/* A new array page, every word MASKED (as Linux initialises them). */
static long add_array_page(void)
{
    event_word_t *p = page_alloc();
    long rc;

    for (unsigned int i = 0; i < WORDS_PER_PAGE; i++)
        p[i] = W_MASKED;
    rc = expand(virt_to_mfn(p));
    if (rc == 0)
        array[nr_array_pages++] = p;
    return rc;
}

static void unmask(evtchn_port_t port)
{
    __atomic_fetch_and(word(port), ~W_MASKED, __ATOMIC_SEQ_CST);
    (void)evtchn_unmask(port);
}

/* As wait_for_count(): gives up after ns of system time and
 * WAIT_YIELDS_AFTER more yields, so host load alone cannot fail it. */
static int wait_seen(unsigned int target, uint64_t ns)
{
    uint64_t deadline = pvclock_now() + ns;
    unsigned int after = 0;

    events_enable();
    while (nr_seen < target &&
           (pvclock_now() < deadline || after++ < WAIT_YIELDS_AFTER))
        hv_sched_op(SCHEDOP_yield, NULL);
    return nr_seen >= target;
}

static long status_of(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return hv_evtchn_op(EVTCHNOP_status, st);
}

static long set_rw(void *va)
{
    return hv_update_va_mapping((unsigned long)va, (virt_to_mfn(va) << PAGE_SHIFT) |
                                PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D, UVMF_INVLPG);
}

/* Make it read-only and try to pin it as an L1 (writable again after). */
static long pin_l1(void *va)
{
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };
    long rc;

    hv_update_va_mapping((unsigned long)va, (virt_to_mfn(va) << PAGE_SHIFT) |
                         PTE_P | PTE_US | PTE_A, UVMF_INVLPG);
    op.arg1.mfn = virt_to_mfn(va);
    rc = hv_mmuext_op(&op, 1, NULL, DOMID_SELF);
    set_rw(va);
    return rc;
}

static evtchn_port_t pre_port;

static void test_before_switch(void)
{
    uint64_t l4_mfn = p2m[virt_to_pfn(current_l4)];
    void *page = page_alloc();
    uint64_t mfn = virt_to_mfn(page);
    evtchn_port_t p;

    CHECK_EQ(expand(mfn), -EOPNOTSUPP, "expand_array before init_control is -EOPNOTSUPP");
    CHECK_EQ(evtchn_bind_ipi(0, &p), 0, "bind_ipi on the 2-level ABI");
    CHECK_EQ(set_priority(p, 3), -ENOSYS, "set_priority on the 2-level ABI is -ENOSYS");
    CHECK_EQ(set_priority(0, 3), -EINVAL, "set_priority of port 0 is -EINVAL");
    CHECK_EQ(evtchn_close(p), 0, "close it");

    CHECK_EQ(init_control(mfn, 0, 100, NULL), -ENOENT, "init_control for vCPU 100 is -ENOENT");
    CHECK_EQ(init_control(mfn, 0, 0xffffffff, NULL), -ENOENT, "init_control for vCPU ~0 is -ENOENT");
    CHECK_EQ(init_control(mfn, 4096 - sizeof(struct evtchn_fifo_control_block) + 8, 0, NULL),
             -EINVAL, "init_control with no room for the block is -EINVAL");
    CHECK_EQ(init_control(mfn, 0xfffffff8, 0, NULL), -EINVAL, "init_control offset 0xfffffff8 is -EINVAL");
    CHECK_EQ(init_control(mfn, 12, 0, NULL), -EINVAL, "init_control at a misaligned offset is -EINVAL");
    CHECK_EQ(init_control(0xffffffffffULL, 0, 0, NULL), -EINVAL, "init_control on a frame beyond memory is -EINVAL");
    CHECK_EQ(init_control(l4_mfn, 0, 0, NULL), -EINVAL, "init_control on our live L4 is -EINVAL");

    /* A port bound and pending (masked) on the 2-level ABI. */
    CHECK_EQ(evtchn_bind_ipi(0, &pre_port), 0, "bind_ipi before the switch");
    evtchn_mask(pre_port);
    CHECK_EQ(evtchn_send(pre_port), 0, "send to it, masked");
    CHECK(evtchn_is_pending(pre_port), "pending on the 2-level ABI");
}

static void test_switch(void)
{
    void *page = page_alloc();
    uint8_t link_bits = 0;
    struct evtchn_status st;

    /* The block at the very end of its page: the largest offset allowed. */
    uint32_t off = 4096 - sizeof(struct evtchn_fifo_control_block);

    off &= ~7U;
    cb = (void *)((char *)page + off);
    evtchn_upcall_override = fifo_upcall;
    CHECK_EQ(init_control(virt_to_mfn(page), off, 0, &link_bits), 0,
             "init_control(vCPU 0, last aligned offset) returns 0");
    CHECK_EQ(link_bits, EVTCHN_FIFO_LINK_BITS, "link_bits is 17");
    CHECK_EQ(init_control(virt_to_mfn(page), 0, 0, NULL), -EINVAL,
             "a second init_control for vCPU 0 is -EINVAL");
    CHECK_EQ(status_of(pre_port, &st), 0, "the port bound before the switch is still there");
    CHECK_EQ(st.status, EVTCHNSTAT_ipi, "still an IPI");

    CHECK_EQ(expand(0xffffffffffULL), -EINVAL, "expand_array with a frame beyond memory is -EINVAL");
    CHECK_EQ(expand(p2m[virt_to_pfn(current_l4)]), -EINVAL, "expand_array with our live L4 is -EINVAL");
    CHECK_EQ(add_array_page(), 0, "expand_array page 0 returns 0");
    CHECK(*word(pre_port) & W_PENDING, "the pending port carried over: PENDING in its new word");
    CHECK(!(*word(pre_port) & W_LINKED), "masked word: not linked");
    CHECK_EQ(cb->ready, 0, "nothing ready");
    unmask(pre_port);
    CHECK(wait_seen(1, 200 * MS), "unmask delivers the carried-over event through the upcall");
    CHECK(nr_seen >= 1 && seen[0] == pre_port, "the first event seen is that port");
    CHECK(!(*word(pre_port) & W_LINKED), "consumed: LINKED cleared");
}

static void test_order(void)
{
    evtchn_port_t a[3], hi;
    unsigned int base;

    for (unsigned int i = 0; i < 3; i++) {
        CHECK_EQ(evtchn_bind_ipi(0, &a[i]), 0, casename("bind_ipi %u", i));
        unmask(a[i]);
    }
    CHECK_EQ(evtchn_bind_ipi(0, &hi), 0, "bind_ipi for a high priority port");
    unmask(hi);
    CHECK_EQ(set_priority(hi, 16), -EINVAL, "set_priority 16 is -EINVAL");
    CHECK_EQ(set_priority(hi, 0xffffffff), -EINVAL, "set_priority ~0 is -EINVAL");
    CHECK_EQ(set_priority(0, 2), -EINVAL, "set_priority of port 0 is -EINVAL");
    CHECK_EQ(set_priority(200000, 2), -EINVAL, "set_priority of port 200000 is -EINVAL");
    CHECK_EQ(set_priority(hi, 2), 0, "set_priority 2 returns 0");

    events_disable();
    base = nr_seen;
    for (unsigned int i = 0; i < 3; i++)
        evtchn_send(a[i]);
    evtchn_send(hi);
    CHECK_EQ(cb->ready, (1U << 7) | (1U << 2), "READY bits 7 and 2");
    CHECK_EQ(cb->head[7], a[0], "HEAD of queue 7 is the first sent");
    CHECK_EQ(cb->head[2], hi, "HEAD of queue 2 is the high priority port");
    CHECK_EQ(*word(a[0]) & EVTCHN_FIFO_LINK_MASK, a[1], "first LINKs to second");
    CHECK_EQ(*word(a[1]) & EVTCHN_FIFO_LINK_MASK, a[2], "second LINKs to third");
    CHECK_EQ(*word(a[2]) & EVTCHN_FIFO_LINK_MASK, 0, "third is the tail");
    CHECK((*word(a[1]) & (W_PENDING | W_LINKED)) == (W_PENDING | W_LINKED), "PENDING and LINKED");
    CHECK(vcpu->evtchn_upcall_pending, "upcall pending");
    evtchn_send(a[1]);
    CHECK_EQ(*word(a[2]) & EVTCHN_FIFO_LINK_MASK, 0, "sending a queued port again links nothing");
    CHECK(wait_seen(base + 4, 200 * MS), "four events delivered");
    CHECK(nr_seen == base + 4 && seen[base] == hi && seen[base + 1] == a[0] &&
          seen[base + 2] == a[1] && seen[base + 3] == a[2],
          "priority 2 first, then queue 7 in FIFO order");
    CHECK_EQ(cb->ready, 0, "READY clear after consuming");

    /* The queue was consumed to its tail: the next event is a new HEAD. */
    base = nr_seen;
    events_disable();
    evtchn_send(a[2]);
    CHECK_EQ(cb->head[7], a[2], "after the tail was consumed, a new event is HEAD");
    CHECK(wait_seen(base + 1, 200 * MS), "and is delivered");

    /* Masked: pending, not linked, no upcall, until unmask. */
    base = nr_seen;
    events_disable();
    __atomic_fetch_or(word(a[0]), W_MASKED, __ATOMIC_SEQ_CST);
    vcpu->evtchn_upcall_pending = 0;
    evtchn_send(a[0]);
    CHECK((*word(a[0]) & (W_PENDING | W_LINKED)) == W_PENDING, "masked: PENDING, not LINKED");
    CHECK_EQ(cb->ready, 0, "masked: no READY bit");
    CHECK(!vcpu->evtchn_upcall_pending, "masked: no upcall pending");
    unmask(a[0]);
    CHECK(wait_seen(base + 1, 200 * MS), "EVTCHNOP_unmask links and delivers it");

    /* Closing clears PENDING. */
    events_disable();
    __atomic_fetch_or(word(a[1]), W_MASKED, __ATOMIC_SEQ_CST);
    evtchn_send(a[1]);
    CHECK_EQ(evtchn_close(a[1]), 0, "close a pending masked port");
    CHECK(!(*word(a[1]) & W_PENDING), "close clears PENDING");
    events_enable();
}

static evtchn_port_t timer_port;

static void test_virq_timer(void)
{
    evtchn_port_t t;
    struct vcpu_set_singleshot_timer st;
    unsigned int before;

    hv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &t), 0, "bind VIRQ_TIMER");
    timer_port = t;
    unmask(t);
    before = seen_count[t];
    st.timeout_abs_ns = pvclock_now() + 5 * MS;
    st.flags = 0;
    CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0, "arm a 5 ms timer");
    events_enable();
    {
        uint64_t deadline = pvclock_now() + 500 * MS;
        unsigned int after = 0;

        while (seen_count[t] == before &&
               (pvclock_now() < deadline || after++ < WAIT_YIELDS_AFTER))
            hv_sched_op(SCHEDOP_yield, NULL);
    }
    CHECK(seen_count[t] > before, "VIRQ_TIMER arrives through the FIFO queue");
}

static evtchn_port_t high_ipi;

static void test_high_ports(void)
{
    evtchn_port_t p = 0, ipi;
    struct evtchn_status st;
    unsigned int n = 0, base;

    /* Fill the 2-level range and beyond: ports above 4,095 exist now. */
    while (p < 4200 && n < 5000) {
        if (evtchn_alloc_unbound(DOMID_SELF, &p) != 0)
            break;
        n++;
    }
    CHECK(p >= 4200, casename("alloc_unbound reaches port %u (> 4095)", p));
    CHECK_EQ(evtchn_bind_ipi(0, &ipi), 0, "bind_ipi above 4095");
    CHECK(ipi > 4096, casename("the IPI port %u is above 4096", ipi));
    CHECK_EQ(status_of(ipi, &st), 0, "status of the high port");
    CHECK_EQ(st.status, EVTCHNSTAT_ipi, "it is an IPI");
    CHECK_EQ(set_priority(ipi, 1), 0, "set_priority of the high port");

    /* Raised before its array page exists: kept, raised when it comes. */
    events_disable();
    CHECK_EQ(evtchn_send(ipi), 0, "send to the high port without an array page");
    while (nr_array_pages <= ipi / WORDS_PER_PAGE)
        if (add_array_page() != 0)
            break;
    CHECK(word(ipi) != NULL, casename("expand_array to %u pages", nr_array_pages));
    CHECK(word(ipi) && (*word(ipi) & W_PENDING), "the early event is PENDING in the new word");
    base = nr_seen;
    unmask(ipi);
    CHECK(wait_seen(base + 1, 200 * MS), "and delivered after unmask");
    CHECK(nr_seen > base && seen[base < 64 ? base : 0] == ipi, "it is the high port");

    base = nr_seen;
    CHECK_EQ(evtchn_send(ipi), 0, "send again");
    CHECK(wait_seen(base + 1, 200 * MS), "delivered again at once");
    high_ipi = ipi;
}

static long poll_on(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
    static struct sched_poll poll;

    poll.ports.p = ports;
    poll.nr_ports = nr;
    poll.timeout = timeout;
    return hv_sched_op(SCHEDOP_poll, &poll);
}

/* SCHEDOP_poll with FIFO ports: Xen takes any port below the current ABI's
 * limit (EVTCHN_FIFO_NR_CHANNELS here), bound or not, and -EINVAL from the
 * limit on.  Events stay off and the words MASKED, so only the poll itself
 * can end a poll: the port's raise or the timeout. */
static void test_poll_high_ports(void)
{
    static evtchn_port_t ports[2];
    evtchn_port_t ipi = high_ipi, filler, ht;
    uint64_t deadline, blocked;

    events_disable();
    CHECK(ipi > 4096 && word(ipi) != NULL, "a high IPI port with its array page to poll");
    if (ipi <= 4096 || word(ipi) == NULL)
        return;
    __atomic_fetch_or(word(ipi), W_MASKED, __ATOMIC_SEQ_CST);
    __atomic_fetch_and(word(ipi), ~W_PENDING, __ATOMIC_SEQ_CST);

    ports[0] = EVTCHN_FIFO_NR_CHANNELS;
    CHECK_EQ(poll_on(ports, 1, 0), -EINVAL, "SCHEDOP_poll(port EVTCHN_FIFO_NR_CHANNELS) is -EINVAL");
    ports[0] = ipi;
    ports[1] = EVTCHN_FIFO_NR_CHANNELS;
    CHECK_EQ(poll_on(ports, 2, 0), -EINVAL, "one port at the limit in the list is -EINVAL");

    /* Nothing pending: back at the timeout (allow the pvclock's rounding). */
    deadline = pvclock_now() + 5 * MS;
    CHECK_EQ(poll_on(ports, 1, deadline), 0, "SCHEDOP_poll on a quiet port above 4095 returns 0");
    CHECK(pvclock_now() + MS >= deadline, "only at its timeout");
    ports[0] = EVTCHN_FIFO_NR_CHANNELS - 1;
    deadline = pvclock_now() + 5 * MS;
    CHECK_EQ(poll_on(ports, 1, deadline), 0, "an unbound port below the limit is polled too (0)");
    CHECK(pvclock_now() + MS >= deadline, "and it waits for the timeout");

    /* Pending (masked) before the poll: no sleep at all. */
    CHECK_EQ(evtchn_send(ipi), 0, "send to the masked high IPI");
    ports[0] = ipi;
    deadline = pvclock_now() + 10000 * MS;
    blocked = vcpu0_blocked_ns();
    CHECK_EQ(poll_on(ports, 1, deadline), 0, "SCHEDOP_poll on a pending port above 4095 returns 0");
    CHECK_EQ(vcpu0_blocked_ns(), blocked, "without blocking");
    CHECK(*word(ipi) & W_PENDING, "the port stays pending (poll consumes nothing)");
    __atomic_fetch_and(word(ipi), ~W_PENDING, __ATOMIC_SEQ_CST);

    /* Raised while we sleep: move VIRQ_TIMER above 4095 (close it, fill
     * its low slot) and poll it among other ports; the timer's raise
     * must find it in the poll set. */
    CHECK_EQ(evtchn_close(timer_port), 0, "close the low VIRQ_TIMER port");
    CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &filler), 0, "fill its slot");
    CHECK_EQ(evtchn_bind_virq(VIRQ_TIMER, 0, &ht), 0, "rebind VIRQ_TIMER");
    CHECK(ht > 4096, casename("VIRQ_TIMER is now port %u (> 4096)", ht));
    if (ht <= 4096)
        return;
    while (nr_array_pages <= ht / WORDS_PER_PAGE)
        if (add_array_page() != 0)
            break;
    CHECK(word(ht) != NULL && (*word(ht) & W_MASKED), "its word exists, MASKED");
    if (word(ht) == NULL)
        return;
    ports[0] = EVTCHN_FIFO_NR_CHANNELS - 1;
    ports[1] = ht;
    {
        struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = pvclock_now() + 5 * MS };

        CHECK_EQ(hv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st), 0, "arm a 5 ms timer");
    }
    /* No timeout (0): the raise is the only way back, so returning at all
     * proves the wake-up, however slow the host.  A raise that misses the
     * poll set hangs here and the suite's watchdog ends the run. */
    CHECK_EQ(poll_on(ports, 2, 0), 0, "woken by the port's raise: SCHEDOP_poll with no timeout on the high timer port returns 0");
    CHECK(*word(ht) & W_PENDING, "the timer port is pending");
    __atomic_fetch_and(word(ht), ~W_PENDING, __ATOMIC_SEQ_CST);
}

static void test_limits_and_reset(void)
{
    event_word_t *dummy = page_alloc();
    unsigned int pages = nr_array_pages;
    long rc = 0;
    static struct evtchn_reset r;

    /* Xen does not mind one frame given twice; the limit is 128 pages. */
    while (pages < 200 && (rc = expand(virt_to_mfn(dummy))) == 0)
        pages++;
    CHECK_EQ(pages, 128, "expand_array accepts 128 pages in all");
    CHECK_EQ(rc, -ENOSPC, "the 129th is -ENOSPC");

    r.dom = DOMID_SELF;
    evtchn_upcall_override = NULL;
    events_disable();
    CHECK_EQ(hv_evtchn_op(EVTCHNOP_reset, &r), 0, "EVTCHNOP_reset(DOMID_SELF)");
    CHECK_EQ(expand(virt_to_mfn(dummy)), -EOPNOTSUPP, "after reset: 2-level again (expand -EOPNOTSUPP)");
    CHECK_EQ(set_priority(1, 1), -ENOSYS, "after reset: set_priority is -ENOSYS again");

    /* Switch again; the frames stay registered until the domain goes
     * (teardown and the audit at shutdown see them). */
    {
        void *page = page_alloc();
        event_word_t *arr = page_alloc();

        CHECK_EQ(init_control(virt_to_mfn(page), 0, 0, NULL), 0, "init_control again after reset");
        CHECK_EQ(expand(virt_to_mfn(arr)), 0, "expand_array again");
        CHECK_EQ(set_rw(arr), 0, "an event array page stays mappable writable");
        CHECK_ERR(pin_l1(arr), "but cannot become a page table");
    }
}

void test_main(void)
{
    setup(SETUP_EVENTS);
    test_before_switch();
    test_switch();
    test_order();
    test_virq_timer();
    test_high_ports();
    test_poll_high_ports();
    test_limits_and_reset();
}
