/*
 * bzimage-extract: find the compressed kernel inside an x86 bzImage.
 *
 * A bzImage is real-mode setup code followed by a small self-decompressor
 * and the compressed vmlinux.  Boot protocol 2.08 and later describe where
 * that compressed blob lies (payload_offset, payload_length in the setup
 * header), so a loader that wants the plain ELF never has to run the
 * decompressor stub.  This tool reads those fields, checks them against the
 * file, names the compression by its magic bytes and writes the blob out
 * so the matching Debian decompressor can turn it back into the ELF.
 *
 * Usage: bzimage-extract BZIMAGE [OUT]
 *   Prints one line "format=F size=N offset=0x.. length=0x.. protocol=M.m"
 *   where size is the uncompressed size the kernel build recorded.  With
 *   OUT, also writes the compressed stream there, minus the 4-byte size
 *   trailer the kernel build appends to every format except gzip (whose own
 *   trailer already ends in the size), so the stream is exactly what the
 *   format's tool expects.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The setup-header layout, shared with libxc's and the hypervisor's
 * bzImage readers (xen/include/xen/bzimage-layout.h). */
#include "xen/bzimage-layout.h"

#define SIZE_TRAILER       4

struct compression {
    const char *name;
    const unsigned char *magic;
    size_t magic_len;
    int has_size_trailer;       /* kernel's *_with_size build rules */
};

static const unsigned char magic_gzip[]  = { 0x1f, 0x8b };
static const unsigned char magic_bzip2[] = { 'B', 'Z', 'h' };
static const unsigned char magic_lzma[]  = { 0x5d, 0x00, 0x00 };
static const unsigned char magic_xz[]    = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const unsigned char magic_lzo[]   = { 0x89, 'L', 'Z', 'O', 0x00 };
static const unsigned char magic_lz4[]   = { 0x02, 0x21, 0x4c, 0x18 };
static const unsigned char magic_zstd[]  = { 0x28, 0xb5, 0x2f, 0xfd };

static const struct compression compressions[] = {
    { "gzip",  magic_gzip,  sizeof magic_gzip,  0 },
    { "bzip2", magic_bzip2, sizeof magic_bzip2, 1 },
    { "lzma",  magic_lzma,  sizeof magic_lzma,  1 },
    { "xz",    magic_xz,    sizeof magic_xz,    1 },
    { "lzo",   magic_lzo,   sizeof magic_lzo,   1 },
    { "lz4",   magic_lz4,   sizeof magic_lz4,   1 },
    { "zstd",  magic_zstd,  sizeof magic_zstd,  1 },
};

static const char *prog = "bzimage-extract";

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void die_errno(const char *what, const char *path)
{
    fprintf(stderr, "%s: %s %s: %s\n", prog, what, path, strerror(errno));
    exit(1);
}

static uint32_t le16(const unsigned char *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* Whole file in memory; kernels are a few tens of MiB. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die_errno("cannot open", path);
    if (fseek(f, 0, SEEK_END) != 0)
        die("cannot seek in %s", path);
    long end = ftell(f);
    if (end < 0)
        die("cannot size %s", path);
    rewind(f);
    unsigned char *buf = malloc(end ? (size_t)end : 1);
    if (!buf)
        die("out of memory reading %s", path);
    if (fread(buf, 1, (size_t)end, f) != (size_t)end)
        die("short read from %s", path);
    fclose(f);
    *len = (size_t)end;
    return buf;
}

static const struct compression *identify(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < sizeof compressions / sizeof compressions[0]; i++) {
        const struct compression *c = &compressions[i];
        if (len >= c->magic_len && memcmp(p, c->magic, c->magic_len) == 0)
            return c;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s BZIMAGE [OUT]\n", prog);
        return 2;
    }
    const char *in_path = argv[1];
    size_t len;
    unsigned char *img = read_file(in_path, &len);

    if (len < HDR_END)
        die("%s: too small to hold a setup header", in_path);
    if (le16(img + HDR_BOOT_FLAG) != BOOT_FLAG_VALUE)
        die("%s: no 0xAA55 boot flag, not a bzImage", in_path);
    if (memcmp(img + HDR_MAGIC, "HdrS", 4) != 0)
        die("%s: no \"HdrS\" setup header (boot protocol < 2.00)", in_path);

    uint32_t version = le16(img + HDR_VERSION);
    if (version < PROTOCOL_PAYLOAD) {
        char v[16];
        snprintf(v, sizeof v, "%u.%02u", version >> 8, version & 0xff);
        die("boot protocol %s is too old: payload fields need 2.08", v);
    }

    uint64_t pm_start = bzimage_pm_start(img);
    uint64_t offset = pm_start + le32(img + HDR_PAYLOAD_OFFSET);
    uint64_t length = le32(img + HDR_PAYLOAD_LENGTH);

    if (length < SIZE_TRAILER + 2)
        die("%s: payload_length is implausibly small", in_path);
    if (offset > len || length > len - offset)
        die("%s: payload lies beyond the end of the file (truncated?)", in_path);

    const unsigned char *payload = img + offset;
    const struct compression *c = identify(payload, length);
    if (!c) {
        char hex[32];
        snprintf(hex, sizeof hex, "%02x %02x %02x %02x",
                 payload[0], payload[1], payload[2], payload[3]);
        die("unknown compression magic %s at the payload start", hex);
    }

    /* Every format's payload ends in the little-endian uncompressed size. */
    uint32_t size = le32(payload + length - SIZE_TRAILER);
    size_t stream_len = (size_t)length - (c->has_size_trailer ? SIZE_TRAILER : 0);

    printf("format=%s size=%u offset=0x%llx length=0x%llx protocol=%u.%02u\n",
           c->name, size, (unsigned long long)offset,
           (unsigned long long)length, version >> 8, version & 0xff);

    if (argc == 3) {
        FILE *out = fopen(argv[2], "wb");
        if (!out)
            die_errno("cannot create", argv[2]);
        if (fwrite(payload, 1, stream_len, out) != stream_len || fclose(out) != 0)
            die("cannot write %s", argv[2]);
    }
    free(img);
    return 0;
}
