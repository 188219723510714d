/*
 * xc_save_identity.c: restore's look at a save file's GUEST_ID record
 * (docs/save-restore.md, "Restore" step 2), before anything is created.
 *
 * The record is text: `kernel=PATH vcpus=N` from the toolstack (the
 * config the guest was created from), ` vcpus_saved=N` from the saver,
 * and on a line of its own `banner=Linux version ...`, the banner the
 * saver found in the guest's memory: the kernel that was running.
 *
 *  - vcpus= must agree with the header's vCPU count: a file whose
 *    identity and contents disagree is refused with both numbers.
 *  - The banner's release is compared with the kernel the config names,
 *    as that file is now (a bzImage's version string).  A restored guest runs
 *    the kernel in its saved memory whatever the file holds, so a
 *    difference is not a refusal; but its next reboot boots the other
 *    kernel (and modules it loads later may not fit the running one), so
 *    restore says so in a warning the toolstack passes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xc_private.h"
#include "xc_save_image.h"
#include "xc_save_identity.h"

#define BANNER_KEY "Linux version "

/* Copy the value of `key=` in id (up to a blank or line end) to out. */
static int id_field(const char *id, const char *key, char *out, size_t len)
{
    size_t klen = strlen(key), n = 0;
    const char *p = id;

    while ((p = strstr(p, key)) != NULL) {
        if ((p == id || p[-1] == ' ' || p[-1] == '\n') && p[klen] == '=')
            break;
        p += klen;
    }
    if (!p || len == 0)
        return -1;
    p += klen + 1;
    while (p[n] && p[n] != ' ' && p[n] != '\n' && n + 1 < len)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* The banner= line's text after "Linux version ", or NULL. */
static const char *id_banner(const char *id)
{
    const char *b = strstr(id, "banner=" BANNER_KEY);

    if (!b || (b != id && b[-1] != '\n'))
        return NULL;
    return b + strlen("banner=" BANNER_KEY);
}

/* The release, the banner's or version string's first word
 * ("6.1.0-28-amd64").  Only the release is compared: the rest of a
 * banner found in guest memory is not always whole (86-linux-save saw
 * "Linux version 6.1.0-57-amd64 # SMP PREEMPT_D", a copy of it with the
 * build number and date cut), while its release was right. */
static void release_of(const char *v, char *rel, size_t rlen)
{
    size_t n = 0;

    while (v[n] && v[n] != ' ' && v[n] != '\n' && n + 1 < rlen) {
        rel[n] = v[n];
        n++;
    }
    rel[n] = '\0';
}

int xc_kernel_file_version(const char *path, char *out, size_t len)
{
    uint8_t hdr[0x210];
    uint16_t off;
    ssize_t n;
    size_t i;
    int fd;

    if (len == 0)
        return -EINVAL;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -errno;
    n = pread(fd, hdr, sizeof(hdr), 0);
    /* Boot protocol: "HdrS" at 0x202; at 0x20e the offset, less 0x200,
     * of a NUL-terminated version string (protocol 2.00 and later). */
    if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4) != 0) {
        close(fd);
        return -ENOEXEC;
    }
    memcpy(&off, hdr + 0x20e, 2);
    n = off ? pread(fd, out, len - 1, (off_t)off + 0x200) : -1;
    close(fd);
    if (n <= 0)
        return -ENOEXEC;
    out[n] = '\0';
    for (i = 0; out[i]; i++)
        if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
            break;
    out[i] = '\0';
    return i ? 0 : -ENOEXEC;
}

int xc_restore_identity(xc_interface *h, const char *path,
                        const struct xc_save_image *im, char *warn,
                        size_t wlen)
{
    char kernel[1024], vcpus[16], kver[512], rel_b[128], rel_k[128];
    const char *banner;
    unsigned long n;
    char *end;
    int rc;

    if (wlen)
        warn[0] = '\0';
    if (!im->guest_id)
        return 0;
    if (id_field(im->guest_id, "vcpus", vcpus, sizeof(vcpus)) == 0 &&
        (n = strtoul(vcpus, &end, 10), *end == '\0') && n != 0 &&
        n != im->hdr.nr_vcpus)
        return xc_fail(h, EINVAL, "restore: %s says its guest had %lu "
                       "vCPUs but holds %u: the file's identity and "
                       "contents disagree", path, n, im->hdr.nr_vcpus);
    banner = id_banner(im->guest_id);
    if (!banner || id_field(im->guest_id, "kernel", kernel,
                            sizeof(kernel)) != 0 || kernel[0] != '/')
        return 0;           /* a test kernel without a banner: nothing to say */
    release_of(banner, rel_b, sizeof(rel_b));
    rc = xc_kernel_file_version(kernel, kver, sizeof(kver));
    if (rc == -ENOENT)
        snprintf(warn, wlen, "%s holds a guest running Linux %s; its "
                 "config's kernel %s is gone, so the guest cannot be "
                 "rebooted or created again from that config", path, rel_b,
                 kernel);
    if (rc != 0)
        return 0;           /* not a bzImage: its version is not read */
    release_of(kver, rel_k, sizeof(rel_k));
    if (rel_b[0] && strcmp(rel_b, rel_k) != 0)
        snprintf(warn, wlen, "%s holds a guest running Linux %s; its "
                 "config's kernel %s is now Linux %s: the restored guest "
                 "runs the saved kernel until it reboots, then boots the "
                 "new one", path, rel_b, kernel, rel_k);
    return 0;
}
