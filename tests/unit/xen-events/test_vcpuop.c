/* Unit tests for xen/common/vcpu_op.c: guest timers to VIRQ_TIMER,
 * vcpu_info registration, runstate accounting and its guest copy, and
 * bringing vCPUs up and down. */

#include <stdlib.h>

#include "harness.h"
#include <asm/pv-mm.h>
#include <xen/bitops.h>
#include <xen/errno.h>
#include <xen/hypercall.h>
#include <asm/time.h>
#include <public/vcpu.h>

#define MS 1000000LL

static void set_timer_op_fires_virq(void)
{
    struct domain *d = dom_new(1, 2, false);
    unsigned int port;

    set_current(d->vcpu[1]);            /* CPU 1 */
    port = ev_bind_virq(VIRQ_TIMER, 1);
    set_now(1000);
    CHECK_EQ(do_set_timer_op(5 * MS, 0, 0, 0, 0), 0);
    run_all_timers(5 * MS - 1);
    CHECK(!port_pending(d, port));
    run_timers(1, 5 * MS);
    CHECK(port_pending(d, port));
    CHECK_EQ(d->vcpu[1]->vcpu_info->evtchn_upcall_pending, 1);
    CHECK_EQ(d->vcpu[0]->vcpu_info->evtchn_upcall_pending, 0);

    /* 0 cancels. */
    port_clear_pending(d, port);
    CHECK_EQ(do_set_timer_op(9 * MS, 0, 0, 0, 0), 0);
    CHECK_EQ(do_set_timer_op(0, 0, 0, 0, 0), 0);
    run_all_timers(20 * MS);
    CHECK(!port_pending(d, port));

    /* A deadline in the past fires at the next chance. */
    CHECK_EQ(do_set_timer_op(1 * MS, 0, 0, 0, 0), 0);
    run_timers(1, 20 * MS);
    CHECK(port_pending(d, port));

    /* Wrapped (negative) or absurdly far deadlines become now + 100 ms. */
    port_clear_pending(d, port);
    set_now(30 * MS);
    CHECK_EQ(do_set_timer_op((unsigned long)-5, 0, 0, 0, 0), 0);
    CHECK_EQ(d->vcpu[1]->singleshot_timer.expires, 130 * MS);
    CHECK_EQ(do_set_timer_op(1UL << 62, 0, 0, 0, 0), 0);
    CHECK_EQ(d->vcpu[1]->singleshot_timer.expires, 130 * MS);
    run_timers(1, 130 * MS);
    CHECK(port_pending(d, port));
}

static void singleshot_timer(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu_set_singleshot_timer t;
    unsigned int port;

    set_current(d->vcpu[0]);
    set_now(50 * MS);
    /* No VIRQ_TIMER bound: the timer fires into nothing. */
    t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = 60 * MS };
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
    run_all_timers(70 * MS);
    for ( unsigned int p = 0; p < 4096; p++ )
        CHECK(!port_pending(d, p));
    CHECK_EQ(d->vcpu[0]->vcpu_info->evtchn_upcall_pending, 0);

    port = ev_bind_virq(VIRQ_TIMER, 0);
    t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = 60 * MS,
                                            .flags = VCPU_SSHOTTMR_future };
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), -ETIME);
    CHECK(!timer_is_active(&d->vcpu[0]->singleshot_timer));
    t.flags = 0;                        /* past, no flag: fires now */
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
    run_timers(0, 70 * MS);
    CHECK(port_pending(d, port));

    port_clear_pending(d, port);
    t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = 80 * MS,
                                            .flags = VCPU_SSHOTTMR_future };
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
    CHECK_EQ(vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL, 0), 0);
    run_all_timers(90 * MS);
    CHECK(!port_pending(d, port));
    /* Huge u64 deadlines mean "never", not "long ago". */
    t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = ~0ULL };
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 0, &t, sizeof(t)), 0);
    run_all_timers(1000 * MS);
    CHECK(!port_pending(d, port));

    /* Only for oneself. */
    CHECK_EQ(vcpu_op(VCPUOP_set_singleshot_timer, 1, &t, sizeof(t)), -EINVAL);
    CHECK_EQ(vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL, 0), -EINVAL);
    CHECK_EQ(do_vcpu_op(VCPUOP_set_singleshot_timer, 0, 8, 0, 0), -EFAULT);
}

static void periodic_timer(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu_set_periodic_timer p;
    unsigned int port, fired = 0;

    set_current(d->vcpu[0]);
    port = ev_bind_virq(VIRQ_TIMER, 0);
    set_now(0);
    p = (struct vcpu_set_periodic_timer){ .period_ns = MS - 1 };
    CHECK_EQ(vcpu_op(VCPUOP_set_periodic_timer, 0, &p, sizeof(p)), -EINVAL);
    p.period_ns = 10 * MS;
    CHECK_EQ(vcpu_op(VCPUOP_set_periodic_timer, 0, &p, sizeof(p)), 0);
    for ( s_time_t now = MS; now <= 100 * MS; now += MS )
    {
        run_timers(0, now);
        if ( port_pending(d, port) )
        {
            CHECK_EQ(now % (10 * MS), 0);
            fired++;
            port_clear_pending(d, port);
        }
    }
    CHECK_EQ(fired, 10);
    /* A long stall gives one tick, not a burst, and keeps going. */
    run_timers(0, 1000 * MS);
    CHECK(port_pending(d, port));
    CHECK_EQ(d->vcpu[0]->periodic_timer.expires, 1010 * MS);
    CHECK_EQ(vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
    port_clear_pending(d, port);
    run_all_timers(2000 * MS);
    CHECK(!port_pending(d, port));
}

static void register_vcpu_info_moves_state(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct domain *other = dom_new(2, 1, false);
    struct vcpu_register_vcpu_info r;
    struct vcpu_info *old = d->vcpu[0]->vcpu_info, *new;
    mfn_t mfn = frame_alloc(d), foreign = frame_alloc(other);
    unsigned int port;

    set_current(d->vcpu[0]);
    port = ev_bind_ipi(0);
    old->evtchn_upcall_mask = 1;
    old->arch.cr2 = 0x1234;
    old->evtchn_pending_sel = 0;
    old->evtchn_upcall_pending = 0;

    r = (struct vcpu_register_vcpu_info){ .mfn = mfn, .offset = 4096 - 63 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);
    r.offset = 4;                       /* misaligned */
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);
    r = (struct vcpu_register_vcpu_info){ .mfn = foreign, .offset = 64 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);
    r.mfn = HOST_FRAMES + 10;
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);
    r.mfn = ~0ULL;
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);
    CHECK(d->vcpu[0]->vcpu_info == old);

    set_now(777);
    r = (struct vcpu_register_vcpu_info){ .mfn = mfn, .offset = 4096 - 64 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), 0);
    new = (struct vcpu_info *)((char *)frame_va(mfn) + 4096 - 64);
    CHECK(d->vcpu[0]->vcpu_info == new);
    CHECK_EQ(d->vcpu[0]->vcpu_info_mfn, mfn);
    CHECK_EQ(frame_refs(mfn), 2);       /* we hold the page */
    CHECK_EQ(new->evtchn_upcall_mask, 1);
    CHECK_EQ(new->arch.cr2, 0x1234);
    /* Nothing may be lost in the move. */
    CHECK_EQ(new->evtchn_pending_sel, ~0UL);
    CHECK_EQ(new->evtchn_upcall_pending, 1);
    CHECK_EQ(new->time.tsc_timestamp, 777);
    CHECK_EQ(new->time.version % 2, 0);

    /* Events now land in the new place. */
    new->evtchn_pending_sel = 0;
    new->evtchn_upcall_pending = 0;
    evtchn_port_set_pending(d, port);
    CHECK_EQ(new->evtchn_upcall_pending, 1);
    CHECK_EQ(old->evtchn_upcall_pending, 0);
    update_vcpu_system_time(d->vcpu[0]);
    CHECK_EQ(new->time.version % 2, 0);

    /* Once only. */
    r.offset = 0;
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 0, &r, sizeof(r)), -EINVAL);

    /* Another vCPU: only while it is down. */
    d->vcpu[1]->state = VCPU_RUNNABLE;
    r = (struct vcpu_register_vcpu_info){ .mfn = mfn, .offset = 0 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), -EINVAL);
    d->vcpu[1]->state = VCPU_DOWN;
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), 0);
    CHECK_EQ(frame_refs(mfn), 3);
    CHECK(d->vcpu[1]->vcpu_info == frame_va(mfn));

    /* Destroying the vCPUs gives the page back. */
    vcpu_events_destroy(d->vcpu[0]);
    vcpu_events_destroy(d->vcpu[1]);
    CHECK_EQ(frame_refs(mfn), 1);
    CHECK_EQ(mfn_to_page(mfn)->type_info & PGT_count_mask, 0);
}

/* The hypervisor writes a registered vcpu_info through its own mapping:
 * the frame must hold a writable type reference, and a frame in use as
 * anything else (here an L1 table) is refused. */
static void vcpu_info_needs_writable_type(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu_register_vcpu_info r;
    mfn_t table = frame_alloc(d), mfn = frame_alloc(d);

    set_current(d->vcpu[0]);
    mfn_to_page(table)->type_info = PGT_l1_page_table | PGT_validated | 1;
    r = (struct vcpu_register_vcpu_info){ .mfn = table, .offset = 0 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), -EINVAL);
    CHECK_EQ(frame_refs(table), 1);
    CHECK_EQ(*(uint64_t *)frame_va(table), 0);      /* not written */

    r.mfn = mfn;
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), 0);
    CHECK_EQ(mfn_to_page(mfn)->type_info & PGT_type_mask, PGT_writable_page);
    CHECK_EQ(mfn_to_page(mfn)->type_info & PGT_count_mask, 1);
    vcpu_events_destroy(d->vcpu[1]);
    CHECK_EQ(mfn_to_page(mfn)->type_info & PGT_count_mask, 0);
    CHECK_EQ(frame_refs(mfn), 1);
}

/* A vCPU with no vcpu_info yet (the builder gave it none): events still
 * get recorded as pending, and registering one flags them all. */
static void vcpu_info_from_nothing(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu_register_vcpu_info r;
    struct vcpu *v = d->vcpu[1];
    mfn_t mfn = frame_alloc(d);
    unsigned int port;

    set_current(d->vcpu[0]);
    v->vcpu_info = NULL;
    port = ev_bind_ipi(1);
    evtchn_port_set_pending(d, port);   /* nowhere to flag it: no crash */
    CHECK(port_pending(d, port));
    CHECK(!vcpu_event_deliverable(v));
    r = (struct vcpu_register_vcpu_info){ .mfn = mfn, .offset = 128 };
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_info, 1, &r, sizeof(r)), 0);
    CHECK_EQ(v->vcpu_info->evtchn_upcall_mask, 1);
    CHECK_EQ(v->vcpu_info->evtchn_upcall_pending, 1);
    CHECK_EQ(v->vcpu_info->evtchn_pending_sel, ~0UL);
    CHECK(!vcpu_event_deliverable(v));
    v->vcpu_info->evtchn_upcall_mask = 0;
    CHECK(vcpu_event_deliverable(v));
}

static void runstate_accounting(void)
{
    struct domain *d = dom_new(1, 2, false);
    struct vcpu *v = d->vcpu[0];
    struct vcpu_register_runstate_memory_area a;
    struct vcpu_runstate_info *g = gptr(0x800), info;

    set_now(100);
    set_current(v);
    vcpu_timers_init(v);                /* runstate starts offline at 100 */
    CHECK_EQ(v->runstate.state, RUNSTATE_offline);
    a.addr.p = 0xffff830000000000ULL;   /* hypervisor area */
    CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)),
             -EFAULT);
    a.addr.p = gva(0x800);
    CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    CHECK_EQ(g->state, RUNSTATE_offline);       /* filled in at once */
    CHECK_EQ(g->state_entry_time, 100);

    vcpu_runstate_change(v, RUNSTATE_runnable, 1100);
    vcpu_runstate_change(v, RUNSTATE_running, 1600);
    vcpu_runstate_change(v, RUNSTATE_blocked, 5600);
    CHECK_EQ(v->runstate.time[RUNSTATE_offline], 1000);
    CHECK_EQ(v->runstate.time[RUNSTATE_runnable], 500);
    CHECK_EQ(v->runstate.time[RUNSTATE_running], 4000);
    CHECK_EQ(g->state, RUNSTATE_blocked);
    CHECK_EQ(g->state_entry_time, 5600);
    CHECK_EQ(g->time[RUNSTATE_running], 4000);
    CHECK(memcmp(g, &v->runstate, sizeof(*g)) == 0);
    /* Nonsense states are ignored; time never runs backwards. */
    vcpu_runstate_change(v, 9, 6000);
    CHECK_EQ(v->runstate.state, RUNSTATE_blocked);
    vcpu_runstate_change(v, RUNSTATE_running, 5000);
    CHECK_EQ(v->runstate.time[RUNSTATE_blocked], 0);

    /* Changes of a vCPU that is not current wait for the context switch. */
    a.addr.p = gva(0x900);
    CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 1, &a, sizeof(a)), 0);
    vcpu_runstate_change(d->vcpu[1], RUNSTATE_runnable, 7000);
    CHECK_EQ(((struct vcpu_runstate_info *)gptr(0x900))->state, RUNSTATE_offline);
    vcpu_runstate_publish(d->vcpu[1]);
    CHECK_EQ(((struct vcpu_runstate_info *)gptr(0x900))->state, RUNSTATE_runnable);

    /* get_runstate_info adds the time spent in the current state. */
    set_now(8000);
    CHECK_EQ(vcpu_op(VCPUOP_get_runstate_info, 1, &info, sizeof(info)), 0);
    CHECK_EQ(info.state, RUNSTATE_runnable);
    CHECK_EQ(info.time[RUNSTATE_runnable], 1000);
    CHECK_EQ(do_vcpu_op(VCPUOP_get_runstate_info, 1, 0x10, 0, 0), -EFAULT);

    /* While the vCPU is in guest user mode its kernel area is out of
     * reach: the change waits for the context switch to publish it. */
    v->arch.kernel_mode = false;
    vcpu_runstate_change(v, RUNSTATE_runnable, 8500);
    CHECK_EQ(g->state, RUNSTATE_running);
    v->arch.kernel_mode = true;
    /* Publishing counts the current state's time up to now. */
    set_now(9000);
    vcpu_runstate_publish(v);
    CHECK_EQ(g->state, RUNSTATE_runnable);
    CHECK_EQ(g->state_entry_time, 8500);
    CHECK_EQ(g->time[RUNSTATE_runnable], 500 + 500);

    /* Address 0 unregisters. */
    a.addr.p = 0;
    CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    memset(g, 0xaa, sizeof(*g));
    vcpu_runstate_change(v, RUNSTATE_blocked, 9500);
    CHECK_EQ(g->state, (int32_t)0xaaaaaaaa);
}

static void runstate_update_flag(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    struct vcpu_register_runstate_memory_area a = { .addr.p = gva(0x800) };
    struct vcpu_runstate_info *g = gptr(0x800);
    uint64_t entry_va = gva(0x800) + 8;

    set_current(v);
    CHECK_EQ(vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a, sizeof(a)), 0);
    /* Without the assist: one plain write of the record. */
    guest_writes_start();
    vcpu_runstate_change(v, RUNSTATE_running, 1000);
    CHECK_EQ(guest_write_count, 1);
    CHECK_EQ(guest_write_log[0].va, gva(0x800));
    CHECK_EQ(guest_write_log[0].len, sizeof(*g));

    /* With it: flag up, record (still flagged), flag down. */
    d->arch.vm_assist |= 1UL << VMASST_TYPE_runstate_update_flag;
    guest_writes_start();
    vcpu_runstate_change(v, RUNSTATE_blocked, 12345);
    CHECK_EQ(guest_write_count, 3);
    CHECK_EQ(guest_write_log[0].va, entry_va);
    CHECK_EQ(guest_write_log[0].len, 8);
    CHECK_EQ(guest_write_log[0].data[0], 12345 | XEN_RUNSTATE_UPDATE);
    CHECK_EQ(guest_write_log[1].va, gva(0x800));
    CHECK_EQ(guest_write_log[1].len, sizeof(*g));
    CHECK_EQ(guest_write_log[1].data[1], 12345 | XEN_RUNSTATE_UPDATE);
    CHECK_EQ(guest_write_log[2].va, entry_va);
    CHECK_EQ(guest_write_log[2].data[0], 12345);
    CHECK_EQ(g->state_entry_time, 12345);
    CHECK_EQ(g->state, RUNSTATE_blocked);
    CHECK_EQ(g->time[RUNSTATE_running], 11345);
}

static struct vcpu_guest_context *good_context(void)
{
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));

    c->flags = VGCF_in_kernel;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->user_regs.rip = 0xffffffff81000000ULL;
    c->user_regs.rsp = 0xffffc90000004000ULL;
    c->kernel_sp = 0xffffc90000004000ULL;
    c->event_callback_eip = 0xffffffff81001000ULL;
    c->failsafe_callback_eip = 0xffffffff81002000ULL;
    c->gdt_ents = 16;
    c->gdt_frames[0] = 42;
    c->ctrlreg[3] = xen_pfn_to_cr3(77);
    c->gs_base_kernel = 0xffff888000000000ULL;
    return c;
}

static void up_down_and_initialise(void)
{
    struct domain *d = dom_new(1, 3, false);
    struct vcpu_guest_context *c = good_context();
    size_t n = sizeof(*c);

    set_current(d->vcpu[0]);
    d->vcpu[0]->arch.guest_table = 100;         /* the builder's vCPU 0 */
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 0, NULL, 0), 1);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL, 0), 0);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 3, NULL, 0), -ENOENT);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 8191, NULL, 0), -ENOENT);
    CHECK_EQ(do_vcpu_op(VCPUOP_is_up, ~0UL, 0, 0, 0), -ENOENT);
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL, 0), -EINVAL);  /* no context */

    /* The generic checks refuse nonsense before the arch hook sees it. */
    c->user_regs.rip = 0x0000800000000000ULL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    free(c);
    c = good_context();
    c->trap_ctxt[14].address = 0x8000000000000000ULL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    free(c);
    c = good_context();
    c->ctrlreg[3] = 0;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->ctrlreg[3] = xen_pfn_to_cr3(77);
    c->gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->gdt_ents = 16;
    c->ldt_base = 0x1008;
    c->ldt_ents = 1;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->ldt_base = 0;
    c->ldt_ents = 0;
    /* User mode needs a user page table (else CR3 would be 0). */
    c->flags = 0;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->flags = VGCF_in_kernel | (1u << 8);      /* unknown flag */
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->flags = VGCF_in_kernel;
    /* No selector of the hypervisor's own, none beyond the GDT. */
    c->user_regs.cs = 0xe008;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->user_regs.cs = 16 << 3;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = 0;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->gdt_frames[1] = 43;                      /* beyond gdt_ents */
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    c->gdt_frames[1] = 0;
    CHECK_EQ(sched_log.arch_ctx_calls, 0);
    /* The arch hook's verdict is passed on. */
    sched_log.arch_ctx_rc = -EINVAL;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EINVAL);
    CHECK_EQ(sched_log.arch_ctx_calls, 1);
    sched_log.arch_ctx_rc = 0;
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), 0);
    CHECK_EQ(d->vcpu[1]->arch.guest_table, 77);
    CHECK_EQ(vcpu_op(VCPUOP_initialise, 1, c, n), -EEXIST);
    CHECK_EQ(sched_log.arch_ctx_calls, 2);
    CHECK_EQ(do_vcpu_op(VCPUOP_initialise, 2, 0x10, 0, 0), -EFAULT);

    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL, 0), 0);
    CHECK_EQ(sched_log.wakes, 1);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL, 0), 1);
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL, 0), 0);    /* already up */
    CHECK_EQ(sched_log.wakes, 1);
    CHECK_EQ(vcpu_op(VCPUOP_down, 1, NULL, 0), 0);
    CHECK_EQ(sched_log.downs, 1);
    CHECK_EQ(vcpu_op(VCPUOP_is_up, 1, NULL, 0), 0);
    CHECK_EQ(vcpu_op(VCPUOP_down, 1, NULL, 0), 0);  /* already down */
    CHECK_EQ(sched_log.downs, 1);
    CHECK_EQ(vcpu_op(VCPUOP_up, 1, NULL, 0), 0);    /* back, same context */
    CHECK_EQ(sched_log.wakes, 2);
    free(c);
}

static void unsupported_ops(void)
{
    struct domain *d = dom_new(1, 1, false);

    set_current(d->vcpu[0]);
    CHECK_EQ(vcpu_op(VCPUOP_send_nmi, 0, NULL, 0), -ENOSYS);
    CHECK_EQ(vcpu_op(VCPUOP_get_physid, 0, NULL, 0), -ENOSYS);
    CHECK_EQ(vcpu_op(99, 0, NULL, 0), -ENOSYS);
    CHECK_EQ(vcpu_op(99, 5, NULL, 0), -ENOENT);     /* no such vCPU first */
}

/* The vDSO's copy of the time record: validated, then published with the
 * version protocol (even, equal to vcpu_info's, body identical). */
static void time_memory_area(void)
{
    struct domain *d = dom_new(1, 1, false);
    struct vcpu *v = d->vcpu[0];
    struct vcpu_register_time_memory_area a;
    struct vcpu_time_info *g = gptr(0xa00);

    set_current(v);
    vcpu_timers_init(v);
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, NULL, 0),
             -EFAULT);
    a.addr.p = 0xffff830000000000ULL;           /* hypervisor area */
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a, sizeof(a)),
             -EINVAL);
    a.addr.p = gva(0xa00) + 4;                  /* misaligned */
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a, sizeof(a)),
             -EINVAL);
    memset(g, 0xff, sizeof(*g));
    a.addr.p = gva(0xa00);
    CHECK_EQ(vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &a, sizeof(a)), 0);
    CHECK_EQ(g->version & 1, 0);
    CHECK_EQ(memcmp(g, &v->vcpu_info->time, sizeof(*g)), 0);
}

const struct test_case vcpuop_cases[] = {
    { "vcpuop/time-memory-area", time_memory_area },
    { "vcpuop/set-timer-op-fires-virq", set_timer_op_fires_virq },
    { "vcpuop/singleshot-timer", singleshot_timer },
    { "vcpuop/periodic-timer", periodic_timer },
    { "vcpuop/register-vcpu-info-moves-state", register_vcpu_info_moves_state },
    { "vcpuop/vcpu-info-needs-writable-type", vcpu_info_needs_writable_type },
    { "vcpuop/vcpu-info-from-nothing", vcpu_info_from_nothing },
    { "vcpuop/runstate-accounting", runstate_accounting },
    { "vcpuop/runstate-update-flag", runstate_update_flag },
    { "vcpuop/up-down-and-initialise", up_down_and_initialise },
    { "vcpuop/unsupported-ops", unsupported_ops },
    { NULL, NULL },
};
