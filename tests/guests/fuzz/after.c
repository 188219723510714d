/*
 * After the fuzzing: is the hypervisor still fit to run guests?
 *
 *  1. every domain the run created is destroyed (and dom0's loose frames
 *     given back during the run are populated again);
 *  2. dom0 itself still works: event-channel loopback, a fresh page table
 *     pinned, filled and unpinned, a timer;
 *  3. a second guest runs: a new domain gets four frames (L4, L3, L2, L1)
 *     and one code page written by us through update_va_mapping_otherdomain,
 *     a vCPU context, is unpaused, makes hypercalls (the dom0-only ones
 *     must be refused to it) and shuts itself down with SHUTDOWN_reboot,
 *     which getdomaininfo must report.
 * The frame-table audit (mm_audit) runs when we power off.
 */
#include "fuzz.h"

#define DOMU_VA 0x400000UL
#define MS 1000000ULL

static struct xen_dom0_op op;
uint64_t fuzz_free_pages_before;

uint64_t free_pages_now(void)
{
    memset(&op, 0, sizeof(op));
    return dom0_op(&op, XEN_DOM0_physinfo) == 0 ? op.u.physinfo.free_pages : 0;
}

static unsigned int destroy_all_but_dom0(void)
{
    static struct xen_dom0_domaininfo list[64];
    unsigned int n = 0, i, destroyed = 0;

    memset(&op, 0, sizeof(op));
    op.u.getdomaininfolist.first_domid = 1;
    op.u.getdomaininfolist.max_entries = 64;
    op.u.getdomaininfolist.buffer = HC_PTR(list);
    if (dom0_op(&op, XEN_DOM0_getdomaininfolist) == 0)
        n = op.u.getdomaininfolist.nr_entries;
    for (i = 0; i < n && i < 64; i++) {
        memset(&op, 0, sizeof(op));
        op.u.domain.domid = list[i].domid;
        if (list[i].domid != 0 && dom0_op(&op, XEN_DOM0_destroydomain) == 0)
            destroyed++;
    }
    world.other = DOMID_INVALID;
    return destroyed;
}

static void check_dom0_still_works(void)
{
    struct fuzz_cpu *c = &fuzz_cpus[0];
    evtchn_port_t a, b;
    struct evtchn_bind_interdomain bi;
    uint64_t mfn = ~0UL;
    unsigned int i;
    long rc;

    CHECK(hv_xen_version(XENVER_version, NULL) > 0, "after: xen_version answers");

    CHECK_EQ(evtchn_alloc_unbound(DOMID_SELF, &a), 0, "after: alloc_unbound");
    bi.remote_dom = DOMID_SELF;
    bi.remote_port = a;
    rc = hv_evtchn_op(EVTCHNOP_bind_interdomain, &bi);
    b = bi.local_port;
    CHECK_EQ(rc, 0, "after: loopback bind_interdomain");
    evtchn_mask(b);
    evtchn_clear_pending(b);
    CHECK(rc == 0 && evtchn_send(a) == 0 && evtchn_is_pending(b), "after: an event crosses the loopback");
    evtchn_close(a);
    evtchn_close(b);

    /* A loose frame the run left untyped (getframeinfo says so). */
    loose_refill(c);
    for (i = 0; i < FUZZ_LOOSE_PER_CPU && mfn == ~0UL; i++) {
        static uint64_t m;
        static struct xen_dom0_frameinfo fi;
        struct mmuext_op o = { .cmd = MMUEXT_CLEAR_PAGE, .arg1.mfn = c->loose_mfn[i] };

        if (c->loose_mfn[i] == ~0UL)
            continue;
        m = c->loose_mfn[i];
        memset(&op, 0, sizeof(op));
        op.u.getframeinfo.nr_frames = 1;
        op.u.getframeinfo.mfns = HC_PTR(&m);
        op.u.getframeinfo.info = HC_PTR(&fi);
        if (dom0_op(&op, XEN_DOM0_getframeinfo) || fi.owner != 0 || fi.type != XEN_DOM0_FRAME_NONE)
            continue;
        if (hv_mmuext_op(&o, 1, NULL, DOMID_SELF) == 0)
            mfn = m;
    }
    CHECK(mfn != ~0UL, "after: an untyped loose frame of ours can be cleared");
    if (mfn != ~0UL) {
        struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn };
        struct mmu_update u = { .ptr = (mfn << PAGE_SHIFT) + 8,
                                .val = (p2m[0] << PAGE_SHIFT) | PTE_P | PTE_A };
        CHECK_EQ(hv_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0, "after: pin a cleared frame as L1");
        CHECK_EQ(hv_mmu_update(&u, 1, NULL, DOMID_SELF), 0, "after: mmu_update into it");
        u.val = (world.pt_mfn[3][0] << PAGE_SHIFT) | PTE_P | PTE_RW;
        CHECK_ERR(hv_mmu_update(&u, 1, NULL, DOMID_SELF), "after: a writable L4 mapping is still refused");
        u.val = 0;
        hv_mmu_update(&u, 1, NULL, DOMID_SELF);
        pin.cmd = MMUEXT_UNPIN_TABLE;
        CHECK_EQ(hv_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0, "after: unpin it");
    }
}

/* Write a page of the other domain through our guard page. */
static int write_foreign(struct fuzz_cpu *c, domid_t d, uint64_t mfn, const void *src, size_t len)
{
    uint8_t *va = c->arg + FUZZ_ARG_PAGES * PAGE_SIZE;
    long rc;

    rc = hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, (unsigned long)va,
                    (mfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_A | PTE_D, UVMF_INVLPG, d);
    if (rc)
        return (int)rc;
    memset(va, 0, PAGE_SIZE);
    memcpy(va, src, len);
    return (int)hv_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
}

/* The second guest's whole program, position-independent, at DOMU_VA,
 * built by domu_program():
 *   xen_version(0, NULL); sched_op(yield);
 *   every call a domain without PCI access or privilege must be refused
 *   (physdev's interrupt ops, apic_read/write, platform_op, dom0_op:
 *   -EPERM; EVTCHNOP_bind_pirq: an error), on a page of zeros;
 *   sched_op(SCHEDOP_shutdown, &reason): SHUTDOWN_reboot if all were
 *   refused, SHUTDOWN_poweroff at the first that was not.
 * So after the run, the fuzzer's dom0-only sub-ops are still dom0's. */
#define DOMU_ZEROS  0x800               /* offsets in the code page */
#define DOMU_OK     0x900
#define DOMU_BAD    0x904
#define DOMU_BADPATH 0x700
#define DOMU_SIZE   0x908

static const struct {
    uint32_t nr, cmd;                   /* cmd ~0: the buffer is the first argument */
    int any_error;                      /* 0: exactly -EPERM */
} domu_refused[] = {
    { __HYPERVISOR_physdev_op, PHYSDEVOP_map_pirq, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_unmap_pirq, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_irq_status_query, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_eoi, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_setup_gsi, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_alloc_irq_vector, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_apic_read, 0 },
    { __HYPERVISOR_physdev_op, PHYSDEVOP_apic_write, 0 },
    { __HYPERVISOR_event_channel_op, EVTCHNOP_bind_pirq, 1 },
    { __HYPERVISOR_platform_op, ~0U, 0 },
    { __HYPERVISOR_dom0_op, ~0U, 0 },
};

static uint8_t *emit(uint8_t *p, const void *bytes, size_t n)
{
    memcpy(p, bytes, n);
    return p + n;
}

static uint8_t *emit_imm(uint8_t *p, uint8_t op, uint32_t imm)
{
    *p++ = op;
    memcpy(p, &imm, 4);
    return p + 4;
}

/* A 7-byte lea target(%rip) into %rsi (modrm 0x35) or %rdi (0x3d). */
static uint8_t *emit_lea(uint8_t *page, uint8_t *p, uint8_t modrm, unsigned int target)
{
    int32_t disp = (int32_t)target - (int32_t)(p + 7 - page);

    *p++ = 0x48, *p++ = 0x8d, *p++ = modrm;
    memcpy(p, &disp, 4);
    return p + 4;
}

static uint8_t *emit_shutdown(uint8_t *page, uint8_t *p, unsigned int reason)
{
    static const uint8_t syscall_loop[] = { 0x0f, 0x05, 0xeb, 0xfe };

    p = emit_imm(p, 0xb8, __HYPERVISOR_sched_op);       /* mov $29, %eax */
    p = emit_imm(p, 0xbf, SCHEDOP_shutdown);            /* mov $2, %edi */
    p = emit_lea(page, p, 0x35, reason);
    return emit(p, syscall_loop, sizeof(syscall_loop)); /* syscall; 1: jmp 1b */
}

static size_t domu_program(uint8_t *page)
{
    static const uint8_t start[] = {
        0xb8, 0x11, 0x00, 0x00, 0x00,   /* mov $17 (xen_version), %eax */
        0x31, 0xff, 0x31, 0xf6,         /* xor %edi, %edi; xor %esi, %esi */
        0x0f, 0x05,                     /* syscall */
        0xb8, 0x1d, 0x00, 0x00, 0x00,   /* mov $29 (sched_op), %eax */
        0x31, 0xff, 0x31, 0xf6,         /* SCHEDOP_yield, NULL */
        0x0f, 0x05,
    };
    static const uint8_t syscall[] = { 0x0f, 0x05 };
    static const uint8_t cmp_eperm[] = { 0x48, 0x83, 0xf8, (uint8_t)-EPERM }; /* cmp $-EPERM, %rax */
    static const uint8_t test_rax[] = { 0x48, 0x85, 0xc0 };                   /* test %rax, %rax */
    uint8_t *p = page;
    unsigned int i;
    uint32_t ok = SHUTDOWN_reboot, bad = SHUTDOWN_poweroff;

    memset(page, 0, DOMU_SIZE);
    p = emit(p, start, sizeof(start));
    for (i = 0; i < ARRAY_SIZE(domu_refused); i++) {
        int32_t rel;
        p = emit_imm(p, 0xb8, domu_refused[i].nr);
        if (domu_refused[i].cmd == ~0U) {
            p = emit_lea(page, p, 0x3d, DOMU_ZEROS);
        } else {
            p = emit_imm(p, 0xbf, domu_refused[i].cmd);
            p = emit_lea(page, p, 0x35, DOMU_ZEROS);
        }
        p = emit(p, syscall, sizeof(syscall));
        if (domu_refused[i].any_error)
            p = emit(p, test_rax, sizeof(test_rax)), *p++ = 0x0f, *p++ = 0x89; /* jns bad */
        else
            p = emit(p, cmp_eperm, sizeof(cmp_eperm)), *p++ = 0x0f, *p++ = 0x85; /* jne bad */
        rel = (int32_t)DOMU_BADPATH - (int32_t)(p + 4 - page);
        memcpy(p, &rel, 4);
        p += 4;
    }
    emit_shutdown(page, p, DOMU_OK);
    emit_shutdown(page, page + DOMU_BADPATH, DOMU_BAD);
    memcpy(page + DOMU_OK, &ok, 4);
    memcpy(page + DOMU_BAD, &bad, 4);
    return DOMU_SIZE;
}

static void check_second_guest(void)
{
    static struct vcpu_guest_context ctx;
    static xen_pfn_t f[5];
    static uint64_t table[4];
    static uint8_t domu_page[DOMU_SIZE];
    struct fuzz_cpu *c = &fuzz_cpus[0];
    struct xen_memory_reservation r = { .nr_extents = 5 };
    uint64_t before = free_pages_now(), deadline;
    domid_t d;
    unsigned int i;
    int ok = 1, down = 0;
    long rc;

    memset(&op, 0, sizeof(op));
    op.u.createdomain.domid = DOMID_INVALID;
    op.u.createdomain.max_pages = 16;
    op.u.createdomain.max_vcpus = 1;
    rc = dom0_op(&op, XEN_DOM0_createdomain);
    CHECK_EQ(rc, 0, "second guest: createdomain");
    if (rc)
        return;
    d = op.u.createdomain.domid;
    for (i = 0; i < 5; i++)
        f[i] = i;
    r.domid = d;
    r.extent_start.p = f;
    CHECK_EQ(hv_memory_op(XENMEM_populate_physmap, &r), 5, "second guest: five frames populated");

    /* f[0] L4 -> f[1] L3 -> f[2] L2 -> f[3] L1 -> f[4] code at DOMU_VA. */
    for (i = 0; i < 3 && ok; i++) {
        unsigned int idx = i == 2 ? (unsigned int)((DOMU_VA >> 21) & 511) : 0;
        uint64_t page[512];
        memset(page, 0, sizeof(page));
        page[idx] = (f[i + 1] << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US | PTE_A;
        table[i] = page[idx];
        ok = write_foreign(c, d, f[i], page, sizeof(page)) == 0;
    }
    if (ok) {
        uint64_t l1[8] = { 0 };
        l1[(DOMU_VA >> 12) & 511] = (f[4] << PAGE_SHIFT) | PTE_P | PTE_US | PTE_A;
        ok = write_foreign(c, d, f[3], l1, sizeof(l1)) == 0 &&
             write_foreign(c, d, f[4], domu_page, domu_program(domu_page)) == 0;
    }
    CHECK(ok, "second guest: its page tables and code written through a foreign mapping");

    pv_page_context(&ctx, DOMU_VA, f[0]);
    memset(&op, 0, sizeof(op));
    op.u.vcpucontext.domid = d;
    op.u.vcpucontext.ctxt = HC_PTR(&ctx);
    op.u.vcpucontext.size = sizeof(ctx);
    CHECK_EQ(dom0_op(&op, XEN_DOM0_setvcpucontext), 0, "second guest: setvcpucontext (its L4 validated)");
    memset(&op, 0, sizeof(op));
    op.u.domain.domid = d;
    CHECK_EQ(dom0_op(&op, XEN_DOM0_unpausedomain), 0, "second guest: unpause");

    deadline = pvclock_now() + 10000 * MS;
    while (pvclock_now() < deadline) {
        memset(&op, 0, sizeof(op));
        op.u.getdomaininfo.domid = d;
        if (dom0_op(&op, XEN_DOM0_getdomaininfo) == 0 &&
            (op.u.getdomaininfo.info.flags & XEN_DOMINF_shutdown)) {
            down = 1;
            break;
        }
        hv_sched_op(SCHEDOP_yield, NULL);
    }
    CHECK(down, "second guest: ran and shut itself down within 10 s");
    CHECK(op.u.getdomaininfo.info.shutdown_reason != SHUTDOWN_poweroff,
          "second guest (a domU): every dom0-only physdev/evtchn/platform/dom0_op call refused");
    CHECK_EQ(op.u.getdomaininfo.info.shutdown_reason, SHUTDOWN_reboot,
             "second guest: shutdown reason is its own (reboot), not a crash");

    memset(&op, 0, sizeof(op));
    op.u.domain.domid = d;
    CHECK_EQ(dom0_op(&op, XEN_DOM0_destroydomain), 0, "second guest: destroy");
    memset(&op, 0, sizeof(op));
    op.u.getdomaininfo.domid = d;
    CHECK_EQ(dom0_op(&op, XEN_DOM0_getdomaininfo), -ESRCH, "second guest: gone after destroy");
    CHECK_EQ(free_pages_now(), before, "second guest: its frames are free again");
    (void)table;
}

void after_checks(void)
{
    unsigned int n;

    grant_cleanup();                /* before the other domain goes */
    n = destroy_all_but_dom0();

    unsigned int cpu;

    /* Not compared exactly: the run legitimately keeps hypervisor memory
     * (grant tables, event buckets) and moves dom0's reservation.  The
     * second guest's check below is exact. */
    printf("fuzz: destroyed %u domains left by the run; free pages %lu before the run, %lu now\n",
           n, fuzz_free_pages_before, free_pages_now());
    for (cpu = 0; cpu < fuzz_cfg.vcpus; cpu++)
        loose_refill(&fuzz_cpus[cpu]);
    check_dom0_still_works();
    check_second_guest();
}
