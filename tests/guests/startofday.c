/*
 * startofday: what the domain builder hands over.  start_info fields,
 * entry registers, the initial mapping (1:1 from PFN 0, consistent with
 * p2m and M2P, page tables read-only, >= 512 KiB padding after the
 * bootstrap stack, ending on a 4 MiB boundary), shared_info and pvclock.
 */
#include "guest.h"

extern char image_start[], image_end[];

/* Value of "dom0_mem=<n>M" on the hypervisor command line, in pages. */
static uint64_t expected_pages(void)
{
    static struct xen_commandline cl;
    const char *p;
    uint64_t v = 0;

    if (hv_xen_version(XENVER_commandline, &cl) != 0)
        return 0;
    cl.buf[sizeof(cl.buf) - 1] = '\0';
    p = strstr(cl.buf, "dom0_mem=");
    if (!p)
        return 0;
    for (p += 9; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    switch (*p) {
    case 'G': case 'g': return v << 18;
    case 'M': case 'm': return v << 8;
    case 'K': case 'k': return v >> 2;
    default: return v >> 12; /* bytes */
    }
}

static void check_start_info(void)
{
    struct start_info *si = start_info;
    uint64_t want = expected_pages();

    CHECK(!strncmp(si->magic, "xen-3.0-x86_64", 14), "magic starts with xen-3.0-x86_64");
    if (want)
        CHECK_EQ(si->nr_pages, want, "nr_pages matches dom0_mem");
    else
        test_fail("nr_pages matches dom0_mem", "no dom0_mem= on the hypervisor command line");
    CHECK((si->flags & (SIF_INITDOMAIN | SIF_PRIVILEGED)) == (SIF_INITDOMAIN | SIF_PRIVILEGED),
          "flags have SIF_INITDOMAIN | SIF_PRIVILEGED");
    CHECK(si->shared_info && !(si->shared_info & 0xfff), "shared_info is a page-aligned machine address");
    CHECK(si->pt_base >= (uint64_t)image_end && !(si->pt_base & 0xfff),
          "pt_base is a page above the kernel image");
    CHECK(si->nr_pt_frames >= 4 && si->nr_pt_frames < 512, "nr_pt_frames covers L4, L3, L2 and L1s");
    CHECK(si->mfn_list >= (uint64_t)image_end && !(si->mfn_list & 7),
          "mfn_list lies in the initial region above the image");
    CHECK_EQ(si->mod_start, 0, "mod_start is 0 without an initrd");
    CHECK(strstr((const char *)si->cmd_line, "cmdline-check=ok") != NULL,
          "cmd_line carries the module command line");
    CHECK(strnlen((const char *)si->cmd_line, MAX_GUEST_CMDLINE) < MAX_GUEST_CMDLINE,
          "cmd_line is NUL-terminated");
    printf("start_info %p: nr_pages %lu shared_info %#lx pt_base %#lx nr_pt_frames %lu "
           "mfn_list %#lx flags %#x\n", (void *)si, si->nr_pages, si->shared_info,
           si->pt_base, si->nr_pt_frames, si->mfn_list, si->flags);
}

static void check_entry_registers(void)
{
    struct start_info *si = start_info;
    uint64_t pt_end = si->pt_base + si->nr_pt_frames * PAGE_SIZE;

    CHECK_EQ(entry_state.rsi, (uint64_t)si, "rsi is start_info");
    CHECK((uint64_t)si >= si->mfn_list + si->nr_pages * 8 && (uint64_t)si < si->pt_base,
          "start_info lies between the p2m and the page tables");
    CHECK_EQ(entry_state.cs, FLAT_KERNEL_CS, "entry CS is FLAT_KERNEL_CS (0xe033)");
    CHECK_EQ(entry_state.ss, FLAT_KERNEL_SS, "entry SS is FLAT_KERNEL_SS (0xe02b)");
    CHECK(entry_state.ds == 0 && entry_state.es == 0 && entry_state.fs == 0 &&
              entry_state.gs == 0, "entry DS/ES/FS/GS are 0");
    CHECK(!(entry_state.rsp & 0xfff) && entry_state.rsp > pt_end &&
              entry_state.rsp <= pt_end + 2 * PAGE_SIZE,
          "entry rsp is the top of a stack page just above the page tables");
}

static void check_m2p_p2m(void)
{
    struct start_info *si = start_info;
    unsigned long samples[6], i, bad = 0;
    struct xen_machphys_mapping mm;

    samples[0] = 0;
    samples[1] = 1;
    samples[2] = virt_to_pfn(image_start);
    samples[3] = virt_to_pfn(si);
    samples[4] = si->nr_pages / 2;
    samples[5] = si->nr_pages - 1;
    for (i = 0; i < ARRAY_SIZE(samples); i++) {
        unsigned long pfn = samples[i], mfn = p2m[pfn];
        uint64_t back = ~0UL;

        if (probe_read(&m2p[mfn], &back) != -1 || back != pfn) {
            test_fail(casename("mfn_to_pfn(pfn_to_mfn(%#lx)) == pfn", pfn),
                      "p2m %#lx, M2P says %#lx", mfn, back);
            bad++;
        }
    }
    if (!bad)
        test_pass("M2P at 0xffff800000000000 inverts the p2m (6 samples)");

    for (i = 0, bad = 0; i < si->nr_pages; i++) {
        uint64_t back;
        if (probe_read(&m2p[p2m[i]], &back) != -1 || back != i)
            bad++;
    }
    CHECK_EQ(bad, 0, "every p2m entry round-trips through the M2P");

    memset(&mm, 0, sizeof(mm));
    CHECK_EQ(hv_memory_op(XENMEM_machphys_mapping, &mm), 0, "XENMEM_machphys_mapping returns 0");
    CHECK_EQ(mm.v_start, MACH2PHYS_VIRT_START, "machphys_mapping v_start is 0xffff800000000000");
    CHECK(mm.v_end > mm.v_start && mm.v_end <= MACH2PHYS_VIRT_END, "machphys_mapping v_end inside the M2P slot");
    CHECK(mm.max_mfn >= p2m[si->nr_pages - 1], "machphys_mapping max_mfn covers our frames");
}

/* Walk the initial mapping page by page from VIRT_BASE. */
static void check_initial_mapping(void)
{
    struct start_info *si = start_info;
    uint64_t pt_first = virt_to_pfn((void *)si->pt_base);
    uint64_t pt_last = pt_first + si->nr_pt_frames;
    unsigned long pfn, mapped = 0, wrong_mfn = 0, wrong_rw = 0, ro = 0;
    uint64_t end_va;

    for (pfn = 0; pfn < si->nr_pages && pfn < (1UL << 18); pfn++) {
        uint64_t *l1e = pte_lookup(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT), 1, NULL);
        int is_pt = pfn >= pt_first && pfn < pt_last;

        if (!l1e || !(*l1e & PTE_P))
            break;
        mapped++;
        if (pfn == virt_to_pfn(shared_info)) {
            /* setup() moved this one onto the shared_info frame. */
            if ((*l1e & PTE_ADDR_MASK) != (start_info->shared_info & PTE_ADDR_MASK))
                wrong_mfn++;
            continue;
        }
        if (((*l1e & PTE_ADDR_MASK) >> PAGE_SHIFT) != p2m[pfn])
            wrong_mfn++;
        if (is_pt) {
            if (*l1e & PTE_RW)
                wrong_rw++;
            else
                ro++;
        } else if (!(*l1e & PTE_RW)) {
            wrong_rw++;
        }
    }
    end_va = GUEST_VIRT_BASE + (mapped << PAGE_SHIFT);
    printf("initial mapping: %lu pages, ends at %#lx\n", mapped, end_va);
    CHECK(mapped > pt_last, "initial mapping is contiguous from PFN 0 past the page tables");
    CHECK_EQ(wrong_mfn, 0, "every initial L1 entry maps p2m[pfn]");
    CHECK_EQ(ro, si->nr_pt_frames, "page-table frames are mapped read-only");
    CHECK_EQ(wrong_rw, 0, "everything else is mapped read-write");
    CHECK_EQ(end_va & ((4UL << 20) - 1), 0, "initial mapping ends on a 4 MiB boundary");
    CHECK(end_va >= entry_state.rsp + (512UL << 10), ">= 512 KiB mapped after the bootstrap stack");
    CHECK(end_va <= GUEST_VIRT_BASE + (1UL << 30), "initial mapping fits in one L2 (1 GiB)");
}

static void check_padding_and_pt_ro(void)
{
    uint64_t va, v;
    unsigned int faults = 0;
    uint64_t *l4 = (uint64_t *)start_info->pt_base;
    int vec;

    for (va = entry_state.rsp; va < entry_state.rsp + (512UL << 10); va += PAGE_SIZE)
        if (probe_write((void *)va, va) != -1 || probe_read((void *)va, &v) != -1 || v != va)
            faults++;
    CHECK_EQ(faults, 0, "512 KiB of padding after the stack is mapped and writable");

    /* Rewrite an L4 entry with its own value: must fault, not be emulated. */
    trap_reset();
    vec = probe_write(&l4[511], l4[511]);
    CHECK_EQ(vec, TRAP_PF, "writing the bootstrap L4 faults");
    CHECK_EQ(trap_last.cr2, (uint64_t)&l4[511], "that #PF reports the L4 entry address in cr2");
    CHECK_EQ(trap_last.error & 3, 3, "that #PF error code is present|write");
}

static void check_shared_info(void)
{
    struct vcpu_time_info t;

    CHECK_EQ(vcpu->evtchn_upcall_mask, 1, "vcpu_info[0] starts with events masked");
    pvclock_snapshot(&vcpu->time, &t);
    CHECK_EQ(vcpu->time.version & 1, 0, "pvclock version is even");
    CHECK(t.tsc_to_system_mul != 0, "pvclock tsc_to_system_mul is non-zero");
    CHECK(pvclock_tsc_khz(&t) > 100000 && pvclock_tsc_khz(&t) < 20000000,
          "pvclock implies a TSC between 100 MHz and 20 GHz");
    CHECK(shared_info->wc.version % 2 == 0, "wallclock version is even");
}

void test_main(void)
{
    check_start_info();
    check_entry_registers();
    setup(SETUP_SHARED_INFO | SETUP_TRAPS);
    check_m2p_p2m();
    check_initial_mapping();
    check_padding_and_pt_ro();
    check_shared_info();
}
