/*
 * dom0op/frames.c: copyframes (25) on dom0's own frames: a read gives a
 * page's bytes and reports an all-zero page without copying it, a write
 * changes a data page (or zeroes it), and the hostile cases are refused:
 * a page table (-EBUSY: a write must never change a validated table), a
 * frame dom0 does not own, counts out of range, bad buffers, unknown
 * flags.
 */
#include "guest.h"
#include "public/dom0_op.h"
#include "public/memory.h"
#include "dom0op.h"

static uint8_t src_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t zero_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t buf[2][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static long copyframes(uint32_t flags, uint64_t *mfns, uint32_t n,
                       void *buffer, uint8_t *zero)
{
    clear();
    op.u.copyframes.domid = 0;
    op.u.copyframes.flags = flags;
    op.u.copyframes.nr_frames = n;
    op.u.copyframes.mfns = HC_PTR(mfns);
    op.u.copyframes.buffer = HC_PTR(buffer);
    op.u.copyframes.zero_map = zero ? HC_PTR(zero) : 0;
    return call(XEN_DOM0_copyframes);
}

void test_copyframes(void)
{
    static uint64_t mfns[2], bad[1];
    static uint8_t zero[2];
    static xen_pfn_t m2p_mfns[1];
    struct xen_machphys_mfn_list ml = { .max_extents = 1 };
    uint64_t l2_ma, *l2e;
    unsigned int i;
    int same = 1;

    for ( i = 0; i < PAGE_SIZE; i++ )
        src_page[i] = (uint8_t)(i * 7 + 3);
    memset(zero_page, 0, PAGE_SIZE);
    memset(buf, 0xaa, sizeof(buf));
    mfns[0] = virt_to_mfn(src_page);
    mfns[1] = virt_to_mfn(zero_page);

    /* Read: the page's bytes; the zero page flagged, its slot untouched. */
    CHECK_EQ(copyframes(0, mfns, 2, buf, zero), 0, "copyframes reads 2 frames");
    for ( i = 0; i < PAGE_SIZE; i++ )
        same &= buf[0][i] == src_page[i];
    CHECK(same, "the data frame's bytes arrive in the buffer");
    CHECK(zero[0] == 0 && zero[1] == 1 && op.u.copyframes.nr_zero == 1,
          "the all-zero frame is reported in zero_map and nr_zero");
    CHECK(buf[1][0] == 0xaa && buf[1][PAGE_SIZE - 1] == 0xaa,
          "an all-zero frame is not copied");
    CHECK_EQ(copyframes(0, mfns, 2, buf, NULL), 0, "a read without zero_map");
    CHECK(buf[1][0] == 0 && buf[1][100] == 0, "without zero_map every frame is copied");

    /* Write: the buffer's bytes into the data page, then zeroes. */
    memset(buf[0], 0x5c, PAGE_SIZE);
    CHECK_EQ(copyframes(XEN_DOM0_COPYF_write, mfns, 1, buf, NULL), 0,
             "copyframes writes a data frame");
    CHECK(src_page[0] == 0x5c && src_page[PAGE_SIZE - 1] == 0x5c,
          "the frame holds the written bytes");
    zero[0] = 1;
    CHECK_EQ(copyframes(XEN_DOM0_COPYF_write, mfns, 1, buf, zero), 0,
             "copyframes zeroes a frame flagged in zero_map");
    CHECK(src_page[0] == 0 && src_page[PAGE_SIZE / 2] == 0, "the frame is zero");

    /* Hostile. */
    l2e = pte_lookup((unsigned long)src_page, 2, &l2_ma);
    bad[0] = l2e ? (*l2e & PTE_ADDR_MASK) >> PAGE_SHIFT : 0;    /* an L1 */
    CHECK_EQ(copyframes(XEN_DOM0_COPYF_write, bad, 1, buf, NULL), -EBUSY,
             "a write into a page table is -EBUSY");
    CHECK_EQ(copyframes(0, bad, 1, buf, NULL), 0, "a page table can be read");
    ml.extent_start.p = m2p_mfns;
    hv_memory_op(XENMEM_machphys_mfn_list, &ml);
    bad[0] = m2p_mfns[0];
    CHECK_EQ(copyframes(0, bad, 1, buf, NULL), -EINVAL,
             "a frame dom0 does not own (M2P) is -EINVAL");
    CHECK_EQ(copyframes(XEN_DOM0_COPYF_write, bad, 1, buf, NULL), -EINVAL,
             "writing a frame dom0 does not own is -EINVAL");
    bad[0] = 0xfffffffffUL;
    CHECK_EQ(copyframes(0, bad, 1, buf, NULL), -EINVAL, "a frame beyond memory is -EINVAL");
    CHECK_EQ(copyframes(0, mfns, 0, buf, NULL), -EINVAL, "0 frames is -EINVAL");
    CHECK_EQ(copyframes(0, mfns, XEN_DOM0_COPYFRAMES_MAX + 1, buf, NULL), -EINVAL,
             "1025 frames is -EINVAL");
    CHECK_EQ(copyframes(2, mfns, 1, buf, NULL), -EINVAL, "an unknown flag is -EINVAL");
    clear();
    op.u.copyframes.nr_frames = 1;
    op.u.copyframes.mfns = HC_PTR(mfns);
    op.u.copyframes.buffer = BAD_PTR_HV;
    CHECK_EQ(call(XEN_DOM0_copyframes), -EFAULT, "a read into a bad buffer is -EFAULT");
    op.u.copyframes.mfns = BAD_PTR_USER;
    op.u.copyframes.buffer = HC_PTR(buf);
    CHECK_EQ(call(XEN_DOM0_copyframes), -EFAULT, "a bad frame list is -EFAULT");
}
