/*
 * builder-test.c - host checks of libxc's PV domain builder, no hypervisor
 * needed: kernel probing (plain and gzip'd test kernels, and files that
 * must be refused with their reason), and that a build failing after the
 * domain was created destroys it (against libxc's fake transport).
 *
 * Usage: builder-test GUEST.elf GUEST.elf.gz SCRATCH_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_transport.h"

static int failed;

static void check(int ok, const char *name, const char *detail)
{
    if (ok)
        printf("PASS: builder: %s\n", name);
    else {
        printf("FAIL: builder: %s: %s\n", name, detail);
        failed = 1;
    }
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0) {
        perror(path);
        exit(2);
    }
    rewind(f);
    buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static unsigned int nr_destroys, nr_creates;

/* createdomain answers domain 7; everything else (populate) ENOMEM. */
static long scripted_dom0_op(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    if (op->cmd == XEN_DOM0_createdomain) {
        nr_creates++;
        op->u.createdomain.domid = 7;
        return 0;
    }
    if (op->cmd == XEN_DOM0_destroydomain) {
        nr_destroys += op->u.domain.domid == 7;
        return 0;
    }
    return -ENOSYS;
}

static long scripted_hypercall(struct fake *f, const struct xc_privcmd_hypercall *c)
{
    (void)f;
    (void)c;
    return -ENOMEM;
}

int main(int argc, char **argv)
{
    struct fake f;
    xc_interface *h;
    xc_dom_kernel_info_t ki, kz;
    xc_dom_config_t cfg;
    xc_dom_result_t res;
    char path[512], msg[300];
    char *img;
    size_t len;
    int rc;

    if (argc != 4) {
        fprintf(stderr, "usage: %s GUEST.elf GUEST.elf.gz DIR\n", argv[0]);
        return 2;
    }
    h = fake_open(&f);

    rc = xc_dom_probe_kernel(h, argv[1], &ki);
    snprintf(msg, sizeof(msg), "rc %d: %s", rc, xc_last_error(h));
    check(rc == 0 && ki.virt_base == 0xffffffff80000000ull &&
          ki.entry >= ki.virt_base + ki.load_start &&
          ki.entry < ki.virt_base + ki.load_end && !ki.gzipped &&
          !strcmp(ki.xen_version, "xen-3.0"),
          "probe a test kernel: entry inside the image at VIRT_BASE", msg);
    rc = xc_dom_probe_kernel(h, argv[2], &kz);
    snprintf(msg, sizeof(msg), "rc %d: %s", rc, xc_last_error(h));
    check(rc == 0 && kz.gzipped && kz.entry == ki.entry &&
          kz.load_end == ki.load_end, "probe the same kernel gzip'd", msg);

    rc = xc_dom_probe_kernel(h, "/nonexistent/kernel", &kz);
    check(rc == -1 && errno == ENOENT &&
          strstr(xc_last_error(h), "/nonexistent/kernel"),
          "a missing kernel file: ENOENT naming it", xc_last_error(h));

    snprintf(path, sizeof(path), "%s/garbage", argv[3]);
    write_file(path, "this is not a kernel\n", 21);
    rc = xc_dom_probe_kernel(h, path, &kz);
    check(rc == -1 && errno == ENOEXEC && strstr(xc_last_error(h), "not an ELF"),
          "a text file: ENOEXEC, not an ELF file", xc_last_error(h));

    img = read_all(argv[1], &len);
    snprintf(path, sizeof(path), "%s/truncated", argv[3]);
    write_file(path, img, 200);
    rc = xc_dom_probe_kernel(h, path, &kz);
    check(rc == -1 && errno == ENOEXEC, "a kernel cut after 200 bytes: ENOEXEC",
          xc_last_error(h));

    /* Damage the program header offset: it must be caught, not followed. */
    memset(img + 32, 0xff, 8);                  /* e_phoff */
    snprintf(path, sizeof(path), "%s/badphoff", argv[3]);
    write_file(path, img, len);
    rc = xc_dom_probe_kernel(h, path, &kz);
    check(rc == -1 && errno == ENOEXEC &&
          strstr(xc_last_error(h), "program header"),
          "a program header table outside the file: ENOEXEC",
          xc_last_error(h));
    free(img);

    snprintf(path, sizeof(path), "%s/bad.gz", argv[3]);
    write_file(path, "\x1f\x8b\x08\x00garbage-not-deflate", 23);
    rc = xc_dom_probe_kernel(h, path, &kz);
    check(rc == -1 && (errno == EIO || errno == ENOEXEC),
          "a damaged gzip file is refused", xc_last_error(h));

    memset(&cfg, 0, sizeof(cfg));
    cfg.kernel = argv[1];
    cfg.mem_pages = 8192;
    cfg.vcpus = 1;
    cfg.domid = XC_DOMID_ANY;
    cfg.cmdline = "console=hvc0";
    cfg.mem_pages = 16;
    rc = xc_dom_build_pv(h, &cfg, &res);
    check(rc == -1 && errno == ENOMEM && strstr(xc_last_error(h), "too little")
          && f.nr_hypercalls == 0, "too little memory: refused before any "
          "hypercall", xc_last_error(h));

    cfg.mem_pages = 8192;
    cfg.vcpus = 0;
    rc = xc_dom_build_pv(h, &cfg, &res);
    check(rc == -1 && errno == EINVAL, "0 vCPUs: EINVAL", xc_last_error(h));
    cfg.vcpus = 1;

    f.dom0_op = scripted_dom0_op;
    f.hypercall = scripted_hypercall;
    rc = xc_dom_build_pv(h, &cfg, &res);
    snprintf(msg, sizeof(msg), "rc %d, %u creates, %u destroys: %s", rc,
             nr_creates, nr_destroys, xc_last_error(h));
    check(rc == -1 && errno == ENOMEM && nr_creates == 1 && nr_destroys == 1 &&
          strstr(xc_last_error(h), "populate_physmap"),
          "populate fails: the half-built domain is destroyed, the error "
          "names the step", msg);
    check(f.live_bufs == 0 && f.live_maps == 0, "no buffers or maps leaked",
          "live buffers or maps remain");

    xc_interface_close(h);
    return failed;
}
