/*
 * xc_dom_elf.c - libxc's side of reading a PV kernel: an adapter over the
 * hypervisor's ELF reader (xen/common/libelf.c, compiled into libxc by
 * the Makefile), so that the dom0 builder and this domU builder accept
 * exactly the same kernels with the same defaults (xen/libelf.h,
 * elf_xen_parse).  What stays here is tool-side: the domU feature policy,
 * the kernel-info record xenctrl.h exports, messages with printf
 * formatting, and loading into a mapped window of the domain's memory.
 *
 * The file comes from the user; the reader distrusts every offset and size.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/libelf.h>

#include "xc_dom_image.h"
#include "public/elfnote.h"
#include "public/features.h"

static int bad(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    errno = ENOEXEC;
    return -1;
}

static void copy_string(char *dst, size_t dstlen, const char *src)
{
    size_t len = strnlen(src, dstlen - 1);

    memcpy(dst, src, len);
    dst[len] = '\0';
}

int xc_dom_elf_parse(struct xc_dom_kernel *k, uint8_t *img, size_t len,
                     char *err, size_t errlen)
{
    xc_dom_kernel_info_t *ki = &k->info;
    struct elf_image ei;
    struct elf_xen_notes xn;

    k->image = img;
    k->len = len;
    memset(ki, 0, sizeof(*ki));
    ki->image_bytes = len;
    if (elf_init(&ei, img, len))
        return bad(err, errlen, "not a loadable ELF kernel: %s", ei.err);
    if (elf_xen_parse(&ei, &xn))
        return bad(err, errlen, "%s", xn.err);

    ki->entry = xn.entry;
    ki->virt_base = xn.virt_base;
    ki->paddr_offset = xn.paddr_offset;
    if (ELF_XEN_HAS(&xn, XEN_ELFNOTE_HYPERCALL_PAGE))
        ki->hypercall_page = xn.hypercall_page;
    ki->load_start = xn.virt_kstart - xn.virt_base;
    ki->load_end = xn.virt_kend - xn.virt_base;
    ki->features_required = xn.features_required;
    ki->mod_start_pfn = xn.mod_start_pfn != 0;
    copy_string(ki->guest_os, sizeof(ki->guest_os), xn.guest_os);
    copy_string(ki->xen_version, sizeof(ki->xen_version), xn.xen_version);

    /* Policy: a domU gets writable page tables and nothing else. */
    if (ki->features_required & ~(1u << XENFEAT_writable_page_tables)) {
        if (ki->features_required & (1u << XENFEAT_dom0))
            return bad(err, errlen, "the kernel can only run as dom0 (it "
                       "requires the dom0 feature)");
        return bad(err, errlen, "the kernel requires features %#x that a "
                   "PV domU does not get", ki->features_required);
    }
    return 0;
}

/* dest holds pseudo-physical memory [0, len). */
struct window {
    uint8_t *dest;
    uint64_t len;
};

static int window_at(const struct window *w, uint64_t at, size_t n)
{
    return at <= w->len && n <= w->len - at ? 0 : -ERANGE;
}

static int load_copy(void *ctx, uint64_t at, const void *src, size_t n)
{
    struct window *w = ctx;

    if (window_at(w, at, n))
        return -ERANGE;
    memcpy(w->dest + at, src, n);
    return 0;
}

static int load_zero(void *ctx, uint64_t at, size_t n)
{
    struct window *w = ctx;

    if (window_at(w, at, n))
        return -ERANGE;
    memset(w->dest + at, 0, n);
    return 0;
}

int xc_dom_elf_load(const struct xc_dom_kernel *k, uint8_t *dest,
                    uint64_t dest_len, char *err, size_t errlen)
{
    struct window w = { dest, dest_len };
    struct elf_image ei;

    if (elf_init(&ei, k->image, k->len))
        return bad(err, errlen, "not a loadable ELF kernel: %s", ei.err);
    /* Pseudo-physical address = p_paddr - PADDR_OFFSET (elf_xen_parse
     * checked that no segment lies below PADDR_OFFSET). */
    if (elf_load(&ei, -k->info.paddr_offset, load_copy, load_zero, &w))
        return bad(err, errlen, "a segment does not fit the domain's "
                   "initial mapping");
    return 0;
}
