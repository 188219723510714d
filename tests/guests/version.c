/*
 * version: every xen_version sub-op Linux 6.1 may issue, their output
 * formats, and the errors for bad buffers and unknown sub-ops.
 */
#include "guest.h"

static const unsigned long bad_ptrs[] = {
    BAD_PTR_NULL, BAD_PTR_USER, BAD_PTR_M2P, BAD_PTR_HV, BAD_PTR_NONCANON,
    BAD_PTR_NONCANON2,
};

/* A string the hypervisor wrote must end inside its array. */
static int terminated(const char *s, size_t size)
{
    return strnlen(s, size) < size;
}

static void check_version(void)
{
    long v = hv_xen_version(XENVER_version, NULL);

    CHECK(v > 0 && (v >> 16) >= 3, "XENVER_version is major<<16|minor with major >= 3");
    printf("version %ld.%ld\n", v >> 16, v & 0xffff);
    CHECK_EQ(hv_xen_version(XENVER_version, (void *)BAD_PTR_HV), v,
             "XENVER_version ignores its argument");
}

static void check_strings(void)
{
    static struct xen_extraversion extra;
    static struct xen_compile_info ci;
    static struct xen_capabilities_info caps;
    static struct xen_changeset_info cs;
    long rc;

    memset(&extra, 0xaa, sizeof(extra));
    rc = hv_xen_version(XENVER_extraversion, &extra);
    CHECK_EQ(rc, 0, "XENVER_extraversion returns 0");
    CHECK(terminated(extra.extraversion, sizeof(extra.extraversion)),
          "XENVER_extraversion is NUL-terminated in 16 bytes");

    memset(&ci, 0xaa, sizeof(ci));
    rc = hv_xen_version(XENVER_compile_info, &ci);
    CHECK_EQ(rc, 0, "XENVER_compile_info returns 0");
    CHECK(terminated(ci.compiler, sizeof(ci.compiler)) &&
              terminated(ci.compile_by, sizeof(ci.compile_by)) &&
              terminated(ci.compile_domain, sizeof(ci.compile_domain)) &&
              terminated(ci.compile_date, sizeof(ci.compile_date)),
          "XENVER_compile_info strings are NUL-terminated");
    CHECK(ci.compiler[0] != '\0', "XENVER_compile_info names a compiler");

    memset(&caps, 0xaa, sizeof(caps));
    rc = hv_xen_version(XENVER_capabilities, &caps);
    CHECK_EQ(rc, 0, "XENVER_capabilities returns 0");
    CHECK(terminated(caps.info, sizeof(caps.info)) && strstr(caps.info, "xen-3.0-x86_64"),
          "XENVER_capabilities lists xen-3.0-x86_64");

    memset(&cs, 0xaa, sizeof(cs));
    rc = hv_xen_version(XENVER_changeset, &cs);
    CHECK_EQ(rc, 0, "XENVER_changeset returns 0");
    CHECK(terminated(cs.info, sizeof(cs.info)), "XENVER_changeset is NUL-terminated");
}

static void check_platform(void)
{
    struct xen_platform_parameters pp = { .virt_start = 0 };
    long rc = hv_xen_version(XENVER_platform_parameters, &pp);

    CHECK_EQ(rc, 0, "XENVER_platform_parameters returns 0");
    CHECK_EQ(pp.virt_start, HYPERVISOR_VIRT_START,
             "XENVER_platform_parameters virt_start is HYPERVISOR_VIRT_START");
}

static void check_features(void)
{
    struct xen_feature_info fi = { .submap_idx = 0, .submap = 0xdeadbeef };
    long rc = hv_xen_version(XENVER_get_features, &fi);

    CHECK_EQ(rc, 0, "XENVER_get_features submap 0 returns 0");
    CHECK(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad),
          "XENFEAT_mmu_pt_update_preserve_ad is set");
    CHECK(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits),
          "XENFEAT_gnttab_map_avail_bits is set");
    CHECK(!(fi.submap & (1u << XENFEAT_auto_translated_physmap)),
          "XENFEAT_auto_translated_physmap is clear");
    CHECK(!(fi.submap & (1u << XENFEAT_writable_page_tables)),
          "XENFEAT_writable_page_tables is clear for PV");
    CHECK(!(fi.submap & (1u << XENFEAT_hvm_callback_vector)),
          "XENFEAT_hvm_callback_vector is clear for PV");
    printf("features submap 0: %#x\n", fi.submap);

    fi.submap_idx = 0x1000;
    fi.submap = 0;
    rc = hv_xen_version(XENVER_get_features, &fi);
    /* Ours answers an unknown submap as empty; Xen says -EINVAL.  Linux
     * asks for submap 0 only. */
    CHECK_EQ(rc, 0, "XENVER_get_features unknown submap returns 0");
    CHECK_EQ(fi.submap, 0, "XENVER_get_features unknown submap is empty");
}

static void check_misc(void)
{
    static xen_domain_handle_t handle;
    static struct xen_commandline cl;
    long rc;

    CHECK_EQ(hv_xen_version(XENVER_pagesize, NULL), 4096, "XENVER_pagesize is 4096");

    memset(handle, 0xaa, sizeof(handle));
    rc = hv_xen_version(XENVER_guest_handle, handle);
    CHECK_EQ(rc, 0, "XENVER_guest_handle returns 0");
    CHECK(handle[0] != 0xaa || handle[15] != 0xaa, "XENVER_guest_handle writes 16 bytes");

    memset(&cl, 0xaa, sizeof(cl));
    rc = hv_xen_version(XENVER_commandline, &cl);
    CHECK_EQ(rc, 0, "XENVER_commandline returns 0 for dom0");
    CHECK(terminated(cl.buf, sizeof(cl.buf)) && strstr(cl.buf, "dom0_mem="),
          "XENVER_commandline is the hypervisor's command line");
    if (terminated(cl.buf, sizeof(cl.buf)))
        printf("hypervisor command line: %s\n", cl.buf);
}

static void check_errors(void)
{
    static const int ops[] = {
        XENVER_extraversion, XENVER_compile_info, XENVER_capabilities,
        XENVER_changeset, XENVER_platform_parameters, XENVER_get_features,
        XENVER_guest_handle, XENVER_commandline,
    };
    unsigned int i, j, bad = 0;

    for (i = 0; i < ARRAY_SIZE(ops); i++)
        for (j = 0; j < ARRAY_SIZE(bad_ptrs); j++) {
            long rc = hv_xen_version(ops[i], (void *)bad_ptrs[j]);
            if (rc != -EFAULT) {
                test_fail(casename("xen_version(%d, %#lx) is -EFAULT", ops[i], bad_ptrs[j]),
                          "returned %ld", rc);
                bad++;
            }
        }
    if (!bad)
        test_pass("every sub-op with a bad buffer returns -EFAULT");

    CHECK_EQ(hv_xen_version(11, NULL), -ENOSYS, "xen_version sub-op 11 is -ENOSYS");
    CHECK_EQ(hv_xen_version(0x7fffffff, NULL), -ENOSYS, "xen_version sub-op 0x7fffffff is -ENOSYS");
}

void test_main(void)
{
    check_version();
    check_strings();
    check_platform();
    check_features();
    check_misc();
    check_errors();
}
