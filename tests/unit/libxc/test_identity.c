/*
 * test_identity.c - restore's look at a save file's GUEST_ID record
 * (xc_save_identity.c): the kernel version read from a bzImage, a file
 * whose identity contradicts its header refused, and the warning when
 * the saved guest's kernel is not the one its config names now.
 */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "xc_private.h"
#include "xc_save_image.h"
#include "xc_save_identity.h"

#define DEB_V "6.1.0-28-amd64 (debian-kernel@lists.debian.org) #1 SMP " \
              "PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)"
#define DEB_BANNER "Linux version 6.1.0-28-amd64 " \
              "(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) " \
              "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP " \
              "PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)"

/* A file with a bzImage's setup header naming version string v (only
 * what xc_kernel_file_version reads); NULL v: no HdrS signature. */
static void write_bzimage(const char *path, const char *v)
{
    uint8_t img[0x1000] = { 0 };
    uint16_t off = 0x300;
    FILE *f = fopen(path, "wb");

    CHECK(f != NULL);
    if (v) {
        memcpy(img + 0x202, "HdrS", 4);
        memcpy(img + 0x20e, &off, 2);
        snprintf((char *)img + 0x200 + off, sizeof(img) - 0x500, "%s", v);
    }
    CHECK(fwrite(img, sizeof(img), 1, f) == 1);
    fclose(f);
}

static void test_kernel_version(void)
{
    char path[] = "/tmp/test_identity.XXXXXX", v[256];
    int fd = mkstemp(path);

    CHECK(fd >= 0);
    close(fd);
    write_bzimage(path, DEB_V);
    CHECK(xc_kernel_file_version(path, v, sizeof(v)) == 0);
    CHECK(strcmp(v, DEB_V) == 0);
    write_bzimage(path, NULL);
    CHECK(xc_kernel_file_version(path, v, sizeof(v)) == -ENOEXEC);
    unlink(path);
    CHECK(xc_kernel_file_version(path, v, sizeof(v)) == -ENOENT);
}

/* xc_restore_identity on an image holding only a header and guest_id. */
static int identity(const char *id, uint32_t nr_vcpus, char *warn,
                    size_t wlen, char *err, size_t elen)
{
    struct xc_save_image im;
    struct fake f;
    xc_interface *h = fake_open(&f);
    int rc;

    memset(&im, 0, sizeof(im));
    im.hdr.nr_vcpus = nr_vcpus;
    im.guest_id = (char *)id;
    rc = xc_restore_identity(h, "t.save", &im, warn, wlen);
    snprintf(err, elen, "%s", xc_last_error(h));
    CHECK(f.nr_hypercalls == 0);        /* decided from the file alone */
    xc_interface_close(h);
    return rc;
}

static void test_vcpus_contradiction(void)
{
    char warn[512], err[512];

    CHECK(identity("kernel=/boot/vmlinuz vcpus=2 vcpus_saved=1", 1, warn,
                   sizeof(warn), err, sizeof(err)) == -1);
    CHECK(strstr(err, "says its guest had 2 vCPUs but holds 1") != NULL);
    CHECK(identity("kernel=/boot/vmlinuz vcpus=2 vcpus_saved=1", 2, warn,
                   sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
    /* A toolstack that did not know the count ("vcpus=0"): no claim. */
    CHECK(identity("kernel=? vcpus=0 vcpus_saved=1", 1, warn, sizeof(warn),
                   err, sizeof(err)) == 0);
}

static void test_banner_against_kernel(void)
{
    char path[] = "/tmp/test_identity.XXXXXX", id[1024];
    char warn[512], err[512];
    int fd = mkstemp(path);

    CHECK(fd >= 0);
    close(fd);
    snprintf(id, sizeof(id), "kernel=%s vcpus=1 vcpus_saved=1\nbanner="
             DEB_BANNER, path);
    /* The same kernel: nothing to say. */
    write_bzimage(path, DEB_V);
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
    /* Another upload of the same release: not told apart (only the
     * release is compared; a banner read from guest memory may be cut). */
    write_bzimage(path, "6.1.0-28-amd64 (debian-kernel@lists.debian.org) "
                  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.123-1 (2025-01-02)");
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
    /* A cut banner (as 86-linux-save found one) with the same release. */
    snprintf(id, sizeof(id), "kernel=%s vcpus=1 vcpus_saved=1\nbanner="
             "Linux version 6.1.0-28-amd64 # SMP PREEMPT_D", path);
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
    /* Another release. */
    write_bzimage(path, "6.1.0-30-amd64 (debian-kernel@lists.debian.org) "
                  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.124-1 (2025-01-12)");
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(strstr(warn, "holds a guest running Linux 6.1.0-28-amd64;") != NULL);
    CHECK(strstr(warn, "is now Linux 6.1.0-30-amd64") != NULL);
    CHECK(strstr(warn, "runs the saved kernel until it reboots") != NULL);
    /* Not a bzImage (an ELF test kernel): its version is not read. */
    write_bzimage(path, NULL);
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
    /* Gone. */
    unlink(path);
    CHECK(identity(id, 1, warn, sizeof(warn), err, sizeof(err)) == 0);
    CHECK(strstr(warn, "is gone") != NULL);
    /* No banner (our test kernels): nothing compared. */
    CHECK(identity("kernel=/nonexistent vcpus=1 vcpus_saved=1", 1, warn,
                   sizeof(warn), err, sizeof(err)) == 0);
    CHECK(warn[0] == '\0');
}

const struct test_case identity_tests[] = {
    { "bzImage version string", test_kernel_version },
    { "identity contradicting the file refused", test_vcpus_contradiction },
    { "saved kernel against the config's", test_banner_against_kernel },
    { NULL, NULL },
};
