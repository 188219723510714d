/*
 * xc_dom_build.c - xc_dom_build_pv(): building a PV domU from dom0, step
 * by step.  Each step either succeeds or records on the handle which step
 * failed and why; a failure after the domain exists destroys it, so a
 * failed build leaves nothing behind.
 *
 *   read and check kernel (+ ramdisk)   before touching the hypervisor
 *   createdomain                        paused, empty
 *   populate_physmap pfn 0..N-1         the frames it got are the p2m
 *   alloc_unbound console port          for dom0 to bind
 *   (with_store) store page + port      the first frame the layout leaves
 *                                       free; zeroed, port bindable by 0
 *   map the frames the builder writes   privcmd mmapbatch
 *   kernel, ramdisk, p2m, start_info, console ring, page tables
 *   unmap                               the L4 must have no writable maps
 *   pin the L4, load vCPU 0, unpause
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xc_private.h"
#include "xc_dom_image.h"
#include "public/io/console.h"

#define POPULATE_BATCH  65536ul      /* pfns per populate_physmap call */

struct build {
    xc_interface *h;
    const xc_dom_config_t *cfg;
    struct xc_dom_kernel kernel;
    uint8_t *ramdisk;
    size_t ramdisk_len;
    struct xc_dom_layout l;
    uint32_t domid;
    int created;
    uint64_t *p2m;
    uint8_t *mem;                    /* pfns [0, l.touched_pages) mapped */
    uint32_t console_port;
    uint32_t store_port;
    uint64_t store_pfn;              /* 0: no xenstore ring */
    uint64_t shared_info_frame;
};

/* Re-record the last libxc failure with the step that was running. */
static int step_failed(struct build *b, const char *step)
{
    int err = xc_last_errno(b->h);

    return xc_fail(b->h, err ? err : EIO, "domain builder: %s: %s", step,
                   xc_last_error(b->h));
}

static int check_config(xc_interface *h, const xc_dom_config_t *cfg)
{
    if (!cfg || !cfg->kernel || !*cfg->kernel)
        return xc_fail(h, EINVAL, "domain builder: no kernel given");
    if (cfg->mem_pages == 0)
        return xc_fail(h, EINVAL, "domain builder: memory must be > 0");
    if (cfg->max_pages && cfg->max_pages < cfg->mem_pages)
        return xc_fail(h, EINVAL, "domain builder: maxmem (%llu pages) is "
                       "below memory (%llu pages)",
                       (unsigned long long)cfg->max_pages,
                       (unsigned long long)cfg->mem_pages);
    if (cfg->vcpus < 1 || cfg->vcpus > 128)
        return xc_fail(h, EINVAL, "domain builder: %u vCPUs, must be 1..128",
                       cfg->vcpus);
    if (cfg->cmdline && strlen(cfg->cmdline) >= XC_DOM_CMDLINE_MAX)
        return xc_fail(h, EINVAL, "domain builder: the command line is %zu "
                       "bytes, at most %u fit", strlen(cfg->cmdline),
                       XC_DOM_CMDLINE_MAX - 1);
    return 0;
}

static int read_inputs(struct build *b)
{
    char err[200];
    int gz, e;

    if (xc_dom_kernel_load(b->h, b->cfg->kernel, &b->kernel))
        return -1;
    if (b->cfg->ramdisk && *b->cfg->ramdisk) {
        e = xc_dom_read_file(b->cfg->ramdisk, 0, XC_DOM_RAMDISK_MAX,
                             &b->ramdisk, &b->ramdisk_len, &gz, err,
                             sizeof(err));
        if (e)
            return xc_fail(b->h, e, "domain builder: ramdisk %s", err);
    }
    if (xc_dom_layout_compute(&b->l, &b->kernel.info, b->ramdisk_len,
                              b->cfg->mem_pages, err, sizeof(err)))
        return xc_fail(b->h, ENOMEM, "domain builder: %s", err);
    return 0;
}

static int create_and_populate(struct build *b)
{
    xc_domain_create_args_t args = { 0 };
    xc_dominfo_t info;
    uint64_t n = b->cfg->mem_pages, done;

    args.domid = b->cfg->domid ? b->cfg->domid : XC_DOMID_ANY;
    args.max_pages = b->cfg->max_pages ? b->cfg->max_pages : n;
    args.max_vcpus = b->cfg->vcpus;
    memcpy(args.handle, b->cfg->handle, sizeof(args.handle));
    if (xc_domain_create(b->h, &args, &b->domid))
        return step_failed(b, "creating the domain");
    b->created = 1;

    b->p2m = malloc(n * sizeof(*b->p2m));
    if (!b->p2m)
        return xc_fail(b->h, ENOMEM, "domain builder: no memory for a "
                       "%llu-entry p2m", (unsigned long long)n);
    for (done = 0; done < n; done++)
        b->p2m[done] = done;
    for (done = 0; done < n; done += POPULATE_BATCH) {
        unsigned long chunk = n - done < POPULATE_BATCH ? n - done
                                                        : POPULATE_BATCH;

        if (xc_domain_populate_physmap_exact(b->h, b->domid, chunk, 0,
                                             b->p2m + done)) {
            xc_fail(b->h, xc_last_errno(b->h), "domain builder: giving "
                    "domain %u pages %llu..%llu of %llu (populate_physmap): "
                    "%s", b->domid, (unsigned long long)done,
                    (unsigned long long)(done + chunk - 1),
                    (unsigned long long)n, xc_last_error(b->h));
            return -1;
        }
    }
    if (xc_domain_getinfo(b->h, b->domid, &info))
        return step_failed(b, "reading the new domain's info");
    b->shared_info_frame = info.shared_info_frame;
    return 0;
}

static void write_start_info(struct build *b)
{
    struct start_info *si = (struct start_info *)
        (b->mem + (b->l.start_info_pfn << XC_PAGE_SHIFT));
    const struct xc_dom_layout *l = &b->l;

    memset(si, 0, XC_PAGE_SIZE);
    snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64");
    si->nr_pages = l->nr_pages;
    si->shared_info = b->shared_info_frame << XC_PAGE_SHIFT;
    si->flags = 0;
    si->store_mfn = b->store_pfn ? b->p2m[b->store_pfn] : 0;
    si->store_evtchn = b->store_pfn ? b->store_port : 0;
    si->console.domU.mfn = b->p2m[l->console_pfn];
    si->console.domU.evtchn = b->console_port;
    si->pt_base = xc_dom_pfn_va(l, l->pt_pfn);
    si->nr_pt_frames = l->nr_pt;
    si->mfn_list = xc_dom_pfn_va(l, l->p2m_pfn);
    if (b->ramdisk_len) {
        si->mod_start = l->ramdisk_mapped ? xc_dom_pfn_va(l, l->ramdisk_pfn)
                                          : l->ramdisk_pfn;
        si->mod_len = b->ramdisk_len;
        if (!l->ramdisk_mapped)
            si->flags |= SIF_MOD_START_PFN;
    }
    if (b->cfg->cmdline)
        snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s",
                 b->cfg->cmdline);
}

static int fill_memory(struct build *b)
{
    const struct xc_dom_layout *l = &b->l;
    const xc_dom_kernel_info_t *ki = &b->kernel.info;
    uint64_t bytes = l->touched_pages << XC_PAGE_SHIFT;
    char err[200];

    b->mem = xc_map_foreign_pages(b->h, b->domid, PROT_READ | PROT_WRITE,
                                  b->p2m, (unsigned int)l->touched_pages);
    if (!b->mem)
        return step_failed(b, "mapping the new domain's memory into dom0");
    memset(b->mem, 0, bytes);
    if (xc_dom_elf_load(&b->kernel, b->mem, l->mapped_pages << XC_PAGE_SHIFT,
                        err, sizeof(err)))
        return xc_fail(b->h, ENOEXEC, "domain builder: loading the kernel: "
                       "%s", err);
    if (ki->hypercall_page)
        xc_dom_fill_hypercall_page(b->mem + (ki->hypercall_page -
                                             l->virt_base));
    if (b->ramdisk_len)
        memcpy(b->mem + (l->ramdisk_pfn << XC_PAGE_SHIFT), b->ramdisk,
               b->ramdisk_len);
    memcpy(b->mem + (l->p2m_pfn << XC_PAGE_SHIFT), b->p2m,
           l->nr_pages * sizeof(uint64_t));
    write_start_info(b);
    /* The console ring starts empty: both index pairs 0 (memset above). */
    xc_dom_write_page_tables(l, b->mem, b->p2m);
    if (xc_unmap_foreign(b->h, b->mem, (unsigned int)l->touched_pages))
        return step_failed(b, "unmapping the new domain's memory");
    b->mem = NULL;
    return 0;
}

/*
 * The store ring goes in the first frame the layout leaves untouched:
 * Linux finds it by MFN through the M2P and reserves it itself, so it
 * need not be inside the initial mapping.  It must start zeroed (both
 * index pairs 0), and the domain's memory is not zeroed by populate.
 */
static int setup_store(struct build *b)
{
    uint8_t *page;
    int port;

    if (b->l.touched_pages >= b->l.nr_pages)
        return xc_fail(b->h, ENOMEM, "domain builder: no frame left for "
                       "the xenstore ring");
    b->store_pfn = b->l.touched_pages;
    page = xc_map_foreign_pages(b->h, b->domid, PROT_READ | PROT_WRITE,
                                &b->p2m[b->store_pfn], 1);
    if (!page)
        return step_failed(b, "mapping the xenstore ring");
    memset(page, 0, XC_PAGE_SIZE);
    if (xc_unmap_foreign(b->h, page, 1))
        return step_failed(b, "unmapping the xenstore ring");
    port = xc_evtchn_alloc_unbound(b->h, b->domid, 0);
    if (port < 0)
        return step_failed(b, "allocating the xenstore event channel");
    b->store_port = (uint32_t)port;
    return 0;
}

static void cleanup(struct build *b, int failed)
{
    if (b->mem)
        xc_unmap_foreign(b->h, b->mem, (unsigned int)b->l.touched_pages);
    if (failed && b->created) {
        int err = xc_last_errno(b->h);
        char msg[XC_ERRMSG_LEN];

        snprintf(msg, sizeof(msg), "%s", xc_last_error(b->h));
        if (xc_domain_destroy(b->h, b->domid))
            xc_fail(b->h, err, "%s (and destroying the half-built domain "
                    "%u failed too: %s)", msg, b->domid, xc_last_error(b->h));
        else
            xc_fail(b->h, err, "%s", msg);
    }
    xc_dom_kernel_free(&b->kernel);
    free(b->ramdisk);
    free(b->p2m);
}

int xc_dom_build_pv(xc_interface *h, const xc_dom_config_t *cfg,
                    xc_dom_result_t *out)
{
    struct build b;
    uint64_t l4_mfn;
    int port, rc = -1;

    if (!out)
        return xc_fail(h, EINVAL, "domain builder: NULL result");
    if (check_config(h, cfg))
        return -1;
    memset(&b, 0, sizeof(b));
    b.h = h;
    b.cfg = cfg;
    if (read_inputs(&b) || create_and_populate(&b))
        goto out;
    port = xc_evtchn_alloc_unbound(h, b.domid, 0);
    if (port < 0) {
        step_failed(&b, "allocating the console event channel");
        goto out;
    }
    b.console_port = (uint32_t)port;
    if (cfg->with_store && setup_store(&b))
        goto out;
    if (fill_memory(&b))
        goto out;
    l4_mfn = b.p2m[b.l.pt_pfn];
    if (xc_dom_pin_l4(h, b.domid, l4_mfn))
        goto out;
    if (xc_dom_start_vcpu0(h, b.domid, &b.l, b.kernel.info.entry, l4_mfn)) {
        step_failed(&b, "loading vCPU 0");
        goto out;
    }
    if (!cfg->start_paused && xc_domain_unpause(h, b.domid)) {
        step_failed(&b, "starting the domain");
        goto out;
    }
    memset(out, 0, sizeof(*out));
    out->domid = b.domid;
    out->console_port = b.console_port;
    out->console_mfn = b.p2m[b.l.console_pfn];
    out->nr_pages = b.l.nr_pages;
    out->entry = b.kernel.info.entry;
    out->start_info_va = xc_dom_pfn_va(&b.l, b.l.start_info_pfn);
    out->l4_mfn = l4_mfn;
    if (b.store_pfn) {
        out->store_port = b.store_port;
        out->store_mfn = b.p2m[b.store_pfn];
    }
    rc = 0;
 out:
    cleanup(&b, rc != 0);
    return rc;
}
