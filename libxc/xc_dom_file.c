/*
 * xc_dom_file.c - reading the domain builder's input files: the kernel
 * (inflated with zlib when it is gzip'd: Debian ships kernels both ways;
 * a bzImage is unpacked by xc_dom_bzimage.c)
 * and the ramdisk (passed on byte for byte: the guest unpacks it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "xc_private.h"
#include "xc_dom_image.h"
#include "xc_dom_bzimage.h"

static int is_gzip(int fd)
{
    unsigned char magic[2];

    if (pread(fd, magic, 2, 0) != 2)
        return 0;
    return magic[0] == 0x1f && magic[1] == 0x8b;
}

/* Inflate from fd, which gzdopen takes over. */
static int read_gzip(int fd, const char *path, size_t max, uint8_t **buf,
                     size_t *len, char *err, size_t errlen)
{
    gzFile gz = gzdopen(fd, "rb");
    size_t cap = 1u << 20, got = 0;
    uint8_t *p;
    int n, zerr;

    if (!gz) {
        close(fd);
        snprintf(err, errlen, "%s: cannot start inflating", path);
        return ENOMEM;
    }
    p = malloc(cap);
    while (p) {
        if (got == cap) {
            uint8_t *q;

            if (cap >= max + 1) {
                free(p);
                gzclose(gz);
                snprintf(err, errlen, "%s: inflates to more than %zu bytes",
                         path, max);
                return EFBIG;
            }
            cap *= 2;
            q = realloc(p, cap);
            if (!q)
                break;
            p = q;
        }
        n = gzread(gz, p + got, (unsigned int)(cap - got));
        if (n < 0) {
            const char *msg = gzerror(gz, &zerr);

            snprintf(err, errlen, "%s: damaged gzip data (%s)", path, msg);
            free(p);
            gzclose(gz);
            return EIO;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    gzclose(gz);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory while inflating", path);
        return ENOMEM;
    }
    if (got > max) {
        free(p);
        snprintf(err, errlen, "%s: inflates to more than %zu bytes", path,
                 max);
        return EFBIG;
    }
    *buf = p;
    *len = got;
    return 0;
}

int xc_dom_read_file(const char *path, int gunzip, size_t max,
                     uint8_t **buf, size_t *len, int *was_gzip,
                     char *err, size_t errlen)
{
    struct stat st;
    size_t got = 0;
    uint8_t *p;
    int fd, e;

    *was_gzip = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(err, errlen, "%s: not a regular file", path);
        return EINVAL;
    }
    if (st.st_size == 0) {
        close(fd);
        snprintf(err, errlen, "%s: empty file", path);
        return EINVAL;
    }
    if (gunzip && is_gzip(fd)) {
        *was_gzip = 1;
        return read_gzip(fd, path, max, buf, len, err, errlen);
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        snprintf(err, errlen, "%s: %lld bytes, more than the %zu allowed",
                 path, (long long)st.st_size, max);
        return EFBIG;
    }
    p = malloc((size_t)st.st_size);
    if (!p) {
        close(fd);
        snprintf(err, errlen, "%s: out of memory", path);
        return ENOMEM;
    }
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, p + got, (size_t)st.st_size - got);

        if (n <= 0) {
            e = n < 0 ? errno : EIO;
            free(p);
            close(fd);
            snprintf(err, errlen, "%s: read failed: %s", path,
                     n < 0 ? strerror(e) : "file shrank while reading");
            return e;
        }
        got += (size_t)n;
    }
    close(fd);
    *buf = p;
    *len = got;
    return 0;
}

void xc_dom_kernel_free(struct xc_dom_kernel *k)
{
    if (k->cached)
        xc_dom_kernel_cache_release(k->cached);
    else
        free(k->image);
    k->image = NULL;
    k->cached = NULL;
}

int xc_dom_kernel_load(xc_interface *h, const char *path,
                       struct xc_dom_kernel *k)
{
    struct xc_dom_kcache_entry *cached = NULL;
    char err[200];
    uint8_t *img;
    size_t len;
    int gz, e;

    memset(k, 0, sizeof(*k));
    if (!path || !*path)
        return xc_fail(h, EINVAL, "domain builder: no kernel file given");
    e = xc_dom_read_file(path, 1, XC_DOM_KERNEL_MAX, &img, &len, &gz, err,
                         sizeof(err));
    if (e)
        return xc_fail(h, e, "domain builder: kernel %s", err);
    if (xc_dom_is_bzimage(img, len)) {
        /* A distribution's /boot/vmlinuz: take the ELF out of it. */
        enum xc_bz_format fmt;
        uint8_t *elf;
        size_t elf_len;
        uint64_t sum;

        /* Unpacked before, byte for byte the same file: the kernel kept
         * (xc_dom_kcache.c), not seconds of XZ under TCG again. */
        cached = xc_dom_kernel_cache_get(img, len, &sum, &elf, &elf_len);
        if (!cached) {
            if (xc_dom_bzimage_unpack(img, len, XC_DOM_KERNEL_MAX, &elf,
                                      &elf_len, &fmt, err, sizeof(err))) {
                free(img);
                return xc_fail(h, ENOEXEC, "domain builder: kernel %s: %s",
                               path, err);
            }
            cached = xc_dom_kernel_cache_put(len, sum, elf, elf_len);
        }
        free(img);
        img = elf;
        len = elf_len;
    }
    if (xc_dom_elf_parse(k, img, len, err, sizeof(err))) {
        k->image = img;
        k->cached = cached;
        xc_dom_kernel_free(k);
        return xc_fail(h, ENOEXEC, "domain builder: kernel %s: %s", path,
                       err);
    }
    k->cached = cached;
    k->info.gzipped = gz;
    return 0;
}

int xc_dom_probe_kernel(xc_interface *h, const char *path,
                        xc_dom_kernel_info_t *info)
{
    struct xc_dom_kernel k;

    if (!info)
        return xc_fail(h, EINVAL, "probe_kernel: NULL info");
    if (xc_dom_kernel_load(h, path, &k))
        return -1;
    *info = k.info;
    xc_dom_kernel_free(&k);
    return 0;
}
