/*
 * Building the initial domain (dom0) from the boot modules.
 *
 * Module 1 is the kernel: an ELF64 PV kernel, as it is, gzip-compressed,
 * or inside a bzImage (Debian's /boot/vmlinuz-*, whose payload is xz or
 * gzip: xen/common/bzimage.c).  GRUB reads bytes slowly under emulation,
 * so a compressed kernel boots faster.
 * Its module string is the kernel command line.  Module 2, if present, is
 * the initrd.  The start-of-day layout is the one the Xen PV ABI fixes and
 * Linux 6.1 relies on (include/public/xen.h, docs/pv-execution.md):
 *
 *   VIRT_BASE (pseudo-physical 0)                       all mapped 1:1 by PFN
 *   kernel image                   loaded by p_paddr
 *   initrd                         (here only if the kernel cannot take it
 *                                   unmapped, see MOD_START_PFN)
 *   p2m list                       nr_pages * 8 bytes
 *   start_info page
 *   bootstrap page tables          L4, L3, L2, L1s: mapped read-only
 *   boot stack                     one page; RSP = its top
 *   >= 512 KiB padding             region ends on a 4 MiB boundary
 *   initrd                         unmapped, by PFN (SIF_MOD_START_PFN)
 *
 * The whole region must fit in the one 1 GiB that L4[511]/L3[510] cover,
 * with 4 KiB mappings only: Linux copies that single L2.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/domain-page.h>
#include <xen/libelf.h>
#include <xen/inflate.h>
#include <xen/bzimage.h>
#include <xen/unxz.h>
#include <asm/time.h>
#include <xen/param.h>
#include <xen/sched.h>
#include <xen/smp.h>
#include <asm/bootinfo.h>
#include <asm/page.h>
#include <asm/pv-mm.h>
#include <asm/io-perm.h>
#include <public/xen.h>
#include <public/elfnote.h>
#include <public/features.h>

void update_vcpu_system_time(struct vcpu *v);
void update_domain_wallclock(struct domain *d);

static uint64_t dom0_mem_bytes;
size_param("dom0_mem", dom0_mem_bytes);
static unsigned int dom0_max_vcpus;
integer_param("dom0_max_vcpus", dom0_max_vcpus);

#define L1_FLAGS    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define LN_FLAGS    (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                     _PAGE_DIRTY)
#define MB(x)       ((uint64_t)(x) << 20)

struct builder {
    struct domain *d;
    unsigned long nr_pages;
    mfn_t *p2m;                 /* hypervisor copy, pfn -> mfn */
    uint64_t v_start, v_end;    /* the mapped region */
};

static void *pfn_to_virt(const struct builder *b, unsigned long pfn)
{
    return maddr_to_virt((paddr_t)b->p2m[pfn] << PAGE_SHIFT);
}

/* Copy to guest pseudo-physical memory (page by page through the direct
 * map: consecutive PFNs need not be consecutive frames). */
static int copy_to_pseudophys(void *ctx, uint64_t pa, const void *src,
                              size_t len)
{
    const struct builder *b = ctx;
    const uint8_t *s = src;

    while ( len )
    {
        unsigned long pfn = pa >> PAGE_SHIFT;
        size_t off = pa & (PAGE_SIZE - 1), n = min(len, PAGE_SIZE - off);

        if ( pfn >= b->nr_pages )
            return -ENOSPC;
        if ( s )
        {
            memcpy((char *)pfn_to_virt(b, pfn) + off, s, n);
            s += n;
        }
        else
            memset((char *)pfn_to_virt(b, pfn) + off, 0, n);
        pa += n;
        len -= n;
    }
    return 0;
}

static int zero_pseudophys(void *ctx, uint64_t pa, size_t len)
{
    return copy_to_pseudophys(ctx, pa, NULL, len);
}

/* The ELF loader gives guest-virtual destinations; convert to pseudo-phys. */
struct load_ctx {
    struct builder *b;
};

static int load_copy(void *ctx, uint64_t va, const void *src, size_t len)
{
    struct builder *b = ((struct load_ctx *)ctx)->b;
    return copy_to_pseudophys(b, va - b->v_start, src, len);
}

static int load_zero(void *ctx, uint64_t va, size_t len)
{
    struct builder *b = ((struct load_ctx *)ctx)->b;
    return zero_pseudophys(b, va - b->v_start, len);
}

/* Give the domain nr_pages frames, largest blocks first; PFNs in order. */
static int allocate_memory(struct builder *b)
{
    unsigned long pfn = 0;
    unsigned int order = 12;            /* 16 MiB blocks to start with */

    b->p2m = xmalloc_array(mfn_t, b->nr_pages);
    if ( !b->p2m )
        return -ENOMEM;
    while ( pfn < b->nr_pages )
    {
        struct page_info *pg;

        while ( order && (1UL << order) > b->nr_pages - pfn )
            order--;
        pg = alloc_domheap_pages(b->d, order);
        if ( !pg )
        {
            if ( order == 0 )
                return -ENOMEM;
            order--;
            continue;
        }
        for ( unsigned long i = 0; i < (1UL << order); i++, pfn++ )
        {
            b->p2m[pfn] = page_to_mfn(pg) + i;
            set_gpfn_from_mfn(b->p2m[pfn], pfn);
        }
    }
    return 0;
}

static void *module_data(unsigned int i, size_t *len)
{
    const struct boot_module *m = &boot_info.modules[i];

    *len = m->end - m->start;
    return maddr_to_virt(m->start);
}

/* A xenheap buffer of at least size bytes for a decompressed kernel. */
static void *kernel_buffer(size_t size, unsigned int *order)
{
    void *buf;

    for ( *order = 0; (PAGE_SIZE << *order) < size; (*order)++ )
        ;
    buf = alloc_xenheap_pages(*order);
    if ( !buf )
        printk(XENLOG_ERR "dom0: no memory to decompress a %lu-byte kernel\n",
               (unsigned long)size);
    return buf;
}

/* A bzImage (Debian's /boot/vmlinuz-*): its gzip or xz payload is the
 * kernel ELF. */
static const void *kernel_from_bzimage(const uint8_t *m, size_t mlen,
                                       size_t *len, unsigned int *buf_order)
{
    struct bzimage_payload pl;
    const char *why = "";
    s_time_t t0;
    size_t out_len;
    void *buf;
    int rc;

    if ( (rc = bzimage_payload(m, mlen, &pl, &why)) )
    {
        printk(XENLOG_ERR "dom0: kernel bzImage refused: %s (error %d)\n",
               why, rc);
        return NULL;
    }
    buf = kernel_buffer(pl.size, buf_order);
    if ( !buf )
        return NULL;
    t0 = NOW();
    rc = bzimage_decode(&pl, buf, PAGE_SIZE << *buf_order, &out_len);
    if ( rc )
    {
        printk(XENLOG_ERR "dom0: cannot decompress the bzImage's %s payload: "
               "%s (error %d)\n", bzimage_format_name(pl.format),
               pl.format == BZ_FORMAT_XZ ? unxz_strerror(rc) : "gunzip",
               rc);
        free_xenheap_pages(buf, *buf_order);
        *buf_order = ~0u;
        return NULL;
    }
    printk("dom0: kernel is a bzImage (boot protocol %u.%02u): decompressed "
           "%lu bytes of %s from %lu in %lu ms\n", pl.version >> 8,
           pl.version & 0xff, (unsigned long)out_len,
           pl.format == BZ_FORMAT_XZ ? "XZ" : "gzip", (unsigned long)pl.len,
           (unsigned long)((NOW() - t0) / 1000000));
    *len = out_len;
    return buf;
}

/* The kernel image: an ELF as it is, or decompressed from a gzip file or
 * a bzImage.  *buf_order != ~0 means the returned buffer is ours to free. */
static const void *kernel_image(size_t *len, unsigned int *buf_order)
{
    size_t mlen, out_len;
    const uint8_t *m = module_data(0, &mlen);
    uint32_t isize;
    void *buf;
    int rc;

    *buf_order = ~0u;
    if ( bzimage_probe(m, mlen) )
        return kernel_from_bzimage(m, mlen, len, buf_order);
    if ( mlen < 2 || m[0] != 0x1f || m[1] != 0x8b )
    {
        *len = mlen;
        return m;
    }
    if ( gzip_isize(m, mlen, &isize) || isize == 0 )
    {
        printk(XENLOG_ERR "dom0: kernel module is a damaged gzip file\n");
        return NULL;
    }
    buf = kernel_buffer(isize, buf_order);
    if ( !buf )
        return NULL;
    rc = gunzip(m, mlen, buf, PAGE_SIZE << *buf_order, &out_len);
    if ( rc )
    {
        printk(XENLOG_ERR "dom0: cannot inflate the kernel (error %d)\n", rc);
        free_xenheap_pages(buf, *buf_order);
        *buf_order = ~0u;
        return NULL;
    }
    printk("dom0: kernel inflated from %lu to %lu bytes\n",
           (unsigned long)mlen, (unsigned long)out_len);
    *len = out_len;
    return buf;
}

/*
 * Kernels that carry a HYPERCALL_PAGE note expect the builder to fill that
 * page with one 32-byte stub per hypercall: "push %rcx; push %r11;
 * mov $n, %eax; syscall; pop %r11; pop %rcx; ret".  iret (23) has its own
 * stub that never returns: it pushes rax too, as the iret frame wants.
 */
static void fill_hypercall_page(uint8_t *page)
{
    memset(page, 0xcc, PAGE_SIZE);              /* int3 between stubs */
    for ( unsigned int n = 0; n < PAGE_SIZE / 32; n++ )
    {
        uint8_t *p = page + n * 32;

        *p++ = 0x51;                            /* push %rcx */
        *p++ = 0x41; *p++ = 0x53;               /* push %r11 */
        if ( n == 23 )
            *p++ = 0x50;                        /* push %rax */
        *p++ = 0xb8;                            /* mov $n, %eax */
        *p++ = n; *p++ = 0; *p++ = 0; *p++ = 0;
        *p++ = 0x0f; *p++ = 0x05;               /* syscall */
        if ( n == 23 )
            continue;
        *p++ = 0x41; *p++ = 0x5b;               /* pop %r11 */
        *p++ = 0x59;                            /* pop %rcx */
        *p++ = 0xc3;                            /* ret */
    }
}

static int build_page_tables(struct builder *b, unsigned long pt_pfn,
                             unsigned long nr_pt)
{
    pte_t *l4 = pfn_to_virt(b, pt_pfn);
    pte_t *l3 = pfn_to_virt(b, pt_pfn + 1);
    pte_t *l2 = pfn_to_virt(b, pt_pfn + 2);
    unsigned long nr_l1 = nr_pt - 3;
    unsigned long mapped = (b->v_end - b->v_start) >> PAGE_SHIFT;

    memset(l4, 0, PAGE_SIZE);
    memset(l3, 0, PAGE_SIZE);
    memset(l2, 0, PAGE_SIZE);
    l4[PT_INDEX(b->v_start, L4_SHIFT)] =
        ((paddr_t)b->p2m[pt_pfn + 1] << PAGE_SHIFT) | LN_FLAGS;
    l3[PT_INDEX(b->v_start, L3_SHIFT)] =
        ((paddr_t)b->p2m[pt_pfn + 2] << PAGE_SHIFT) | LN_FLAGS;
    for ( unsigned long i = 0; i < nr_l1; i++ )
    {
        pte_t *l1 = pfn_to_virt(b, pt_pfn + 3 + i);

        l2[PT_INDEX(b->v_start, L2_SHIFT) + i] =
            ((paddr_t)b->p2m[pt_pfn + 3 + i] << PAGE_SHIFT) | LN_FLAGS;
        for ( unsigned int j = 0; j < 512; j++ )
        {
            unsigned long pfn = i * 512 + j;
            uint64_t flags = L1_FLAGS;

            if ( pfn >= mapped )
            {
                l1[j] = 0;
                continue;
            }
            if ( pfn >= pt_pfn && pfn < pt_pfn + nr_pt )
                flags &= ~_PAGE_RW;     /* page tables: read-only */
            l1[j] = ((paddr_t)b->p2m[pfn] << PAGE_SHIFT) | flags;
        }
    }
    return 0;
}

int dom0_build(void)
{
    struct builder b = { 0 };
    struct elf_image img;
    struct elf_xen_notes xn;
    struct load_ctx lc = { &b };
    struct start_info *si;
    struct vcpu *v;
    const void *kimg;
    size_t klen, ilen = 0;
    const void *initrd = NULL;
    unsigned int kbuf_order, nr_vcpus;
    uint64_t off, vkern_end, va, p2m_va, si_va, pt_va, stack_va;
    unsigned long nr_pt, pt_pfn, initrd_pfn = 0, free_pages;
    bool initrd_mapped;
    int rc;

    if ( boot_info.nr_modules == 0 )
        return -ENOENT;
    kimg = kernel_image(&klen, &kbuf_order);
    if ( !kimg )
        return -EINVAL;
    if ( boot_info.nr_modules > 1 )
        initrd = module_data(1, &ilen);

    if ( (rc = elf_init(&img, kimg, klen)) )
    {
        printk(XENLOG_ERR "dom0: kernel is not a loadable ELF image: %s\n",
               img.err);
        goto out;
    }
    if ( (rc = elf_xen_parse(&img, &xn)) )
    {
        printk(XENLOG_ERR "dom0: kernel refused: %s\n", xn.err);
        goto out;
    }
    rc = -EINVAL;
    if ( xn.features_required & ~(1u << XENFEAT_writable_page_tables |
                                  1u << XENFEAT_dom0) )
    {
        printk(XENLOG_ERR "dom0: kernel requires features %#x we lack\n",
               xn.features_required);
        goto out;
    }

    /* Memory: dom0_mem, or everything but 64 MiB for the hypervisor. */
    free_pages = heap_free_pages();
    b.nr_pages = dom0_mem_bytes ? dom0_mem_bytes >> PAGE_SHIFT
                                : free_pages - min(free_pages / 2,
                                                   MB(64) >> PAGE_SHIFT);
    if ( b.nr_pages + (MB(8) >> PAGE_SHIFT) > free_pages )
    {
        printk(XENLOG_ERR "dom0: dom0_mem=%luM leaves the hypervisor too "
               "little of %lu MiB free\n", b.nr_pages >> 8, free_pages >> 8);
        goto out;
    }
    /* One vCPU per CPU unless dom0_max_vcpus says otherwise (more vCPUs
     * than CPUs is allowed: the scheduler shares them out). */
    nr_vcpus = dom0_max_vcpus ? dom0_max_vcpus : num_online_cpus();
    nr_vcpus = min(nr_vcpus, (unsigned int)MAX_VCPUS);

    b.d = domain_create(0, nr_vcpus, true, &rc);
    if ( !b.d )
    {
        printk(XENLOG_ERR "dom0: cannot create the domain (%d)\n", rc);
        goto out;
    }
    b.d->max_pages = b.nr_pages;
    /* Dom0 drives the machine's devices: every port and I/O frame but
     * the hypervisor's own (io-perm.c). */
    if ( (rc = io_perm_grant_machine(b.d)) )
    {
        printk(XENLOG_ERR "dom0: cannot record its I/O permissions (%d)\n",
               rc);
        goto out;
    }
    if ( (rc = allocate_memory(&b)) )
    {
        printk(XENLOG_ERR "dom0: cannot allocate %lu pages\n", b.nr_pages);
        goto out;
    }

    /* Lay out the region. */
    off = elf_xen_virt_offset(&xn);
    b.v_start = xn.virt_base;
    vkern_end = ROUNDUP(xn.virt_kend, PAGE_SIZE);
    initrd_mapped = initrd && !(xn.mod_start_pfn);
    va = vkern_end;
    if ( initrd_mapped )
    {
        initrd_pfn = (va - b.v_start) >> PAGE_SHIFT;
        va += ROUNDUP(ilen, PAGE_SIZE);
    }
    p2m_va = va;
    va += ROUNDUP(b.nr_pages * sizeof(unsigned long), PAGE_SIZE);
    si_va = va;
    va += PAGE_SIZE;
    pt_va = va;
    /* Page tables for [v_start, v_end) where v_end covers the tables, the
     * stack and 512 KiB, rounded up to 4 MiB: iterate to a fixed point. */
    for ( nr_pt = 4; ; nr_pt++ )
    {
        b.v_end = ROUNDUP(pt_va + nr_pt * PAGE_SIZE + PAGE_SIZE + 512 * 1024,
                          MB(4));
        if ( 3 + DIV_ROUND_UP(b.v_end - b.v_start, L2_PAGE_SIZE) <= nr_pt )
            break;
    }
    stack_va = pt_va + nr_pt * PAGE_SIZE;
    pt_pfn = (pt_va - b.v_start) >> PAGE_SHIFT;
    if ( b.v_end - b.v_start > (1UL << 30) ||
         ((b.v_end - b.v_start) >> PAGE_SHIFT) > b.nr_pages )
    {
        printk(XENLOG_ERR "dom0: initial mapping of %lu MiB does not fit "
               "(1 GiB limit, %lu MiB of memory)\n",
               (unsigned long)((b.v_end - b.v_start) >> 20), b.nr_pages >> 8);
        goto out;
    }
    if ( initrd && !initrd_mapped )
    {
        initrd_pfn = (b.v_end - b.v_start) >> PAGE_SHIFT;
        if ( initrd_pfn + DIV_ROUND_UP(ilen, PAGE_SIZE) > b.nr_pages )
        {
            printk(XENLOG_ERR "dom0: no room for the %lu-byte initrd\n",
                   (unsigned long)ilen);
            goto out;
        }
    }

    /* Everything mapped starts zeroed without zeroing it here: every
     * frame came from alloc_domheap_pages in allocate_memory above, which
     * scrubs what it hands a domain (security-model invariant 14), and
     * nothing has written to them since.  (Zeroing the whole initial
     * mapping again cost a second pass over tens of MiB at every boot.) */
    if ( (rc = elf_load(&img, off, load_copy, load_zero, &lc)) )
    {
        printk(XENLOG_ERR "dom0: loading the kernel failed (%d)\n", rc);
        goto out;
    }
    if ( ELF_XEN_HAS(&xn, XEN_ELFNOTE_HYPERCALL_PAGE) )
        /* elf_xen_parse checked it is a page of the image. */
        fill_hypercall_page(pfn_to_virt(&b, (xn.hypercall_page - b.v_start)
                                            >> PAGE_SHIFT));
    if ( initrd )
        copy_to_pseudophys(&b, (paddr_t)initrd_pfn << PAGE_SHIFT, initrd, ilen);
    for ( unsigned long pfn = 0; pfn < b.nr_pages; pfn++ )
        copy_to_pseudophys(&b, p2m_va - b.v_start + pfn * 8, &b.p2m[pfn], 8);

    si = pfn_to_virt(&b, (si_va - b.v_start) >> PAGE_SHIFT);
    memset(si, 0, PAGE_SIZE);
    strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
    si->nr_pages = b.nr_pages;
    si->shared_info = (uint64_t)b.d->shared_info_mfn << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = pt_va;
    si->nr_pt_frames = nr_pt;
    si->mfn_list = p2m_va;
    if ( initrd )
    {
        si->mod_start = initrd_mapped ? b.v_start +
                        ((uint64_t)initrd_pfn << PAGE_SHIFT) : initrd_pfn;
        si->mod_len = ilen;
        if ( !initrd_mapped )
            si->flags |= SIF_MOD_START_PFN;
    }
    strlcpy((char *)si->cmd_line, boot_info.modules[0].cmdline,
            sizeof(si->cmd_line));

    build_page_tables(&b, pt_pfn, nr_pt);
    rc = pv_pin_table(b.d, b.p2m[pt_pfn], 4);
    if ( rc )
    {
        printk(XENLOG_ERR "dom0: initial page tables fail validation (%d)\n",
               rc);
        goto out;
    }

    for ( unsigned int i = 0; i < nr_vcpus; i++ )
        if ( !vcpu_create(b.d, i, i % num_online_cpus()) )
        {
            printk(XENLOG_ERR "dom0: cannot create vCPU %u\n", i);
            rc = -ENOMEM;
            goto out;
        }
    v = b.d->vcpu[0];
    if ( (rc = pv_set_guest_table(v, b.p2m[pt_pfn], false)) )
    {
        printk(XENLOG_ERR "dom0: cannot install the page table (%d)\n", rc);
        goto out;
    }
    v->arch.regs.rip = xn.entry;
    v->arch.regs.rsp = stack_va + PAGE_SIZE;
    v->arch.regs.rsi = si_va;
    update_domain_wallclock(b.d);
    update_vcpu_system_time(v);

    printk("dom0: %s kernel, entry %#lx, %lu MiB, %u vCPU(s)\n",
           xn.guest_os[0] ? xn.guest_os : "unnamed",
           (unsigned long)xn.entry, b.nr_pages >> 8, nr_vcpus);
    printk("dom0: mapped %#lx-%#lx: kernel to %#lx, p2m %#lx, start_info "
           "%#lx, %lu page-table frames at %#lx\n",
           (unsigned long)b.v_start, (unsigned long)b.v_end,
           (unsigned long)vkern_end, (unsigned long)p2m_va,
           (unsigned long)si_va, nr_pt, (unsigned long)pt_va);
    if ( initrd )
        printk("dom0: initrd of %lu bytes at pfn %#lx (%s)\n",
               (unsigned long)ilen, initrd_pfn,
               initrd_mapped ? "mapped" : "unmapped");
    vcpu_start(v);
    rc = 0;

 out:
    if ( kbuf_order != ~0u )
        free_xenheap_pages((void *)kimg, kbuf_order);
    xfree(b.p2m);
    return rc;
}
