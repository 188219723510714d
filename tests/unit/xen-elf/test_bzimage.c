/* Tests of xen/common/bzimage.c, the dom0 builder's bzImage reader:
 * synthetic images (a setup header in front of an xz or gzip payload made
 * by Debian's tools, with the size word the kernel build appends) and
 * each way a header can be wrong; and, given one, Debian's own vmlinuz:
 * its payload decoded by unxz must equal what Debian's xz makes of the
 * same bytes, and the ELF the build extracted with it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/bzimage.h>
#include <xen/unxz.h>
#include "check.h"
#include "host.h"
#include "tests.h"

#define SETUP_SECTS 3                   /* protected mode at 0x800 */
#define PM_START    ((SETUP_SECTS + 1) * 512)
#define PAYLOAD_OFF 0x40

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

/* A bzImage around stream (+ size word unless gzip); malloc'd. */
static uint8_t *make_bzimage(const uint8_t *stream, size_t slen,
                             uint32_t size, bool add_size, size_t *len)
{
    size_t plen = slen + (add_size ? 4 : 0);
    uint8_t *img;

    *len = PM_START + PAYLOAD_OFF + plen + 16;
    img = calloc(1, *len);
    img[0x1f1] = SETUP_SECTS;
    img[0x1fe] = 0x55;
    img[0x1ff] = 0xaa;
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = 0x0f;
    img[0x207] = 0x02;                  /* protocol 2.15 */
    put32(img + 0x248, PAYLOAD_OFF);
    put32(img + 0x24c, plen);
    memcpy(img + PM_START + PAYLOAD_OFF, stream, slen);
    if ( add_size )
        put32(img + PM_START + PAYLOAD_OFF + slen, size);
    return img;
}

static void check_decodes(const uint8_t *img, size_t len,
                          enum bzimage_format fmt, const uint8_t *want,
                          size_t want_len)
{
    struct bzimage_payload pl;
    const char *why = NULL;
    uint8_t *out = malloc(want_len);
    size_t n;
    int rc;

    CHECK(bzimage_probe(img, len));
    rc = bzimage_payload(img, len, &pl, &why);
    CHECK_RC(rc, 0);
    if ( rc )
        return;
    CHECK_EQ(pl.format, fmt);
    CHECK_EQ(pl.size, want_len);
    CHECK_EQ(pl.version, 0x020f);
    rc = bzimage_decode(&pl, out, want_len, &n);
    CHECK_RC(rc, 0);
    CHECK(rc == 0 && n == want_len && !memcmp(out, want, n));
    free(out);
}

static void test_synthetic(void)
{
    uint8_t data[20000], *xz, *gz, *img;
    size_t xz_len, gz_len, len, n;
    struct bzimage_payload pl;
    const char *why;
    uint8_t out[20000];

    for ( size_t i = 0; i < sizeof(data); i++ )
        data[i] = (i * 7) ^ (i >> 5);
    xz = xz_data("--check=crc32 --x86 --lzma2=dict=32MiB", data,
                 sizeof(data), &xz_len);
    gz = gzip_data("-9 -n", "bz-payload", data, sizeof(data), &gz_len);
    case_begin("bzimage/xz-payload");
    if ( !xz || !gz )
        FAIL("xz or gzip failed");
    img = make_bzimage(xz, xz_len, sizeof(data), true, &len);
    check_decodes(img, len, BZ_FORMAT_XZ, data, sizeof(data));
    free(img);
    case_end();

    case_begin("bzimage/gzip-payload");
    img = make_bzimage(gz, gz_len, 0, false, &len);
    check_decodes(img, len, BZ_FORMAT_GZIP, data, sizeof(data));
    free(img);
    case_end();

#define REFUSE(name, want, edit) do {                                       \
        case_begin("bzimage/refused-" name);                                \
        img = make_bzimage(xz, xz_len, sizeof(data), true, &len);           \
        edit;                                                               \
        why = NULL;                                                         \
        CHECK_RC(bzimage_payload(img, len, &pl, &why), want);               \
        CHECK(why != NULL && why[0]);                                       \
        free(img);                                                          \
        case_end();                                                         \
    } while ( 0 )

    REFUSE("no-hdrs", -EINVAL, img[0x202] = 'h');
    REFUSE("no-boot-flag", -EINVAL, img[0x1fe] = 0);
    REFUSE("truncated-header", -EINVAL, len = 0x240);
    REFUSE("old-protocol", -EOPNOTSUPP, img[0x206] = 0x07);
    REFUSE("payload-past-end", -EINVAL, put32(img + 0x24c, len));
    REFUSE("payload-offset-past-end", -EINVAL, put32(img + 0x248, 0xfffffff0));
    REFUSE("image-truncated", -EINVAL, len = PM_START + PAYLOAD_OFF + 100);
    REFUSE("zstd-payload", -EOPNOTSUPP,
           memcpy(img + PM_START + PAYLOAD_OFF, "\x28\xb5\x2f\xfd", 4));
    REFUSE("empty-size", -EINVAL,
           put32(img + PM_START + PAYLOAD_OFF + xz_len, 0));

    case_begin("bzimage/refused-size-word-mismatch");
    img = make_bzimage(xz, xz_len, sizeof(data) - 1, true, &len);
    CHECK_RC(bzimage_payload(img, len, &pl, &why), 0);
    CHECK_RC(bzimage_decode(&pl, out, sizeof(out), &n), -EINVAL);
    free(img);
    img = make_bzimage(xz, xz_len, sizeof(data) + 1, true, &len);
    CHECK_RC(bzimage_payload(img, len, &pl, &why), 0);
    CHECK_RC(bzimage_decode(&pl, out, sizeof(out), &n), -EINVAL);
    free(img);
    case_end();

    case_begin("bzimage/refused-corrupt-payload");
    img = make_bzimage(xz, xz_len, sizeof(data), true, &len);
    img[PM_START + PAYLOAD_OFF + xz_len / 2] ^= 0x10;
    CHECK_RC(bzimage_payload(img, len, &pl, &why), 0);
    {
        int rc = bzimage_decode(&pl, out, sizeof(out), &n);

        CHECK(rc == -EINVAL || rc == -EILSEQ);
    }
    free(img);
    case_end();

    case_begin("bzimage/not-a-bzimage");
    CHECK(!bzimage_probe(data, sizeof(data)));
    CHECK(!bzimage_probe(xz, 10));
    case_end();
    free(xz);
    free(gz);
}

/* Debian's vmlinuz: decode with unxz (through the bzImage reader) and
 * compare with Debian's xz on the same payload bytes, and with the ELF the
 * build extracted (elf_path, may be NULL). */
static void test_vmlinuz(const char *path, const char *elf_path)
{
    struct bzimage_payload pl;
    const char *why = "";
    uint8_t *img, *out = NULL, *ref, *elf;
    size_t len, n = 0, ref_len, elf_len;
    char xzpath[300], cmd[800];
    int rc;

    case_begin("bzimage/debian-vmlinuz");
    img = read_whole_file(path, &len);
    if ( !img )
        FAIL("cannot read %s", path);
    CHECK(bzimage_probe(img, len));
    rc = bzimage_payload(img, len, &pl, &why);
    CHECK_RC(rc, 0);
    if ( rc )
        FAIL("payload: %s", why);
    CHECK_EQ(pl.format, BZ_FORMAT_XZ);
    out = malloc(pl.size);
    rc = bzimage_decode(&pl, out, pl.size, &n);
    CHECK_RC(rc, 0);
    CHECK_EQ(n, pl.size);

    /* Debian's xz on the same bytes. */
    snprintf(xzpath, sizeof(xzpath), "%s/vmlinuz-payload.xz", scratch_dir());
    write_whole_file(xzpath, pl.data, pl.len);
    snprintf(cmd, sizeof(cmd), "xz -dc '%s' > '%s.out'", xzpath, xzpath);
    CHECK(system(cmd) == 0);
    snprintf(cmd, sizeof(cmd), "%s.out", xzpath);
    ref = read_whole_file(cmd, &ref_len);
    CHECK(ref != NULL);
    if ( ref )
    {
        CHECK_EQ(ref_len, n);
        CHECK(rc == 0 && ref_len == n && !memcmp(ref, out, n));
        printf("  info: %s: xz payload %zu bytes -> %zu bytes, same as xz -dc\n",
               path, pl.len, n);
    }
    remove(cmd);
    remove(xzpath);
    free(ref);
    if ( elf_path && (elf = read_whole_file(elf_path, &elf_len)) )
    {
        CHECK(elf_len == n && !memcmp(elf, out, n));
        free(elf);
    }
    /* One byte too little room. */
    CHECK_RC(bzimage_decode(&pl, out, pl.size - 1, &n), -ENOSPC);
    free(out);
    free(img);
    case_end();
}

void test_bzimage(const char *vmlinuz, const char *elf)
{
    test_synthetic();
    if ( vmlinuz )
        test_vmlinuz(vmlinuz, elf);
}
