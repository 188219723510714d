/*
 * test_bzimage.c - libxc's bzImage reader (libxc/xc_dom_bzimage.c).
 *
 * Builds small synthetic bzImages here: a setup header (boot flag, "HdrS",
 * protocol version, payload_offset/payload_length) followed by a tiny PV
 * kernel ELF compressed with Debian's libraries in each format the kernel
 * build knows, plus the 4-byte size trailer the build appends.  Checks
 * that every format comes back byte for byte, that xc_dom_probe_kernel
 * accepts the file (and reads the ELF's notes through it), and that bad,
 * truncated, oversized and old-protocol images are refused with a reason.
 * With an argument, also unpacks and probes that real bzImage (Debian's
 * vmlinuz).
 *
 * Usage: test_bzimage SCRATCH_DIR [VMLINUZ]
 * Prints PASS:/FAIL: lines; exits 1 if any check failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bzlib.h>
#include <lz4.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "fake_transport.h"
#include "xc_dom_bzimage.h"
#include "xc_dom_image.h"

static int failed, passed, nfailed;
static const char *scratch;

static void check(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void check(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        printf("PASS: bzimage/%s\n", name);
        passed++;
        return;
    }
    printf("FAIL: bzimage/%s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    failed = 1;
    nfailed++;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* ---- a tiny PV kernel ELF ---------------------------------------------- */

#define VIRT_BASE 0xffffffff80000000ull
#define TEXT_OFF  0x1000u
#define TEXT_LEN  (96u << 10)      /* compresses well, yet several KiB */
#define ENTRY     (VIRT_BASE + 0x2340)

static size_t add_note(uint8_t *p, uint32_t type, const void *desc,
                       uint32_t descsz)
{
    size_t n = 12 + 4 + ((descsz + 3) & ~3u);

    memset(p, 0, n);
    put32(p, 4);
    put32(p + 4, descsz);
    put32(p + 8, type);
    memcpy(p + 12, "Xen", 4);
    memcpy(p + 16, desc, descsz);
    return n;
}

static uint8_t *make_elf(size_t *len)
{
    size_t total = TEXT_OFF + TEXT_LEN, notes_off = 0x200, nlen = 0;
    uint8_t *e = calloc(1, total), num[8];

    /* ELF header */
    memcpy(e, "\x7f" "ELF", 4);
    e[4] = 2; e[5] = 1; e[6] = 1;           /* ELF64, LSB, version 1 */
    e[16] = 2;                              /* ET_EXEC */
    e[18] = 62;                             /* EM_X86_64 */
    put32(e + 20, 1);
    put64(e + 24, ENTRY);
    put64(e + 32, 64);                      /* e_phoff */
    e[52] = 64;                             /* e_ehsize */
    e[54] = 56;                             /* e_phentsize */
    e[56] = 2;                              /* e_phnum */
    /* notes */
    put64(num, ENTRY);
    nlen += add_note(e + notes_off + nlen, 1, num, 8);       /* ENTRY */
    put64(num, VIRT_BASE);
    nlen += add_note(e + notes_off + nlen, 3, num, 8);       /* VIRT_BASE */
    put64(num, 0);
    nlen += add_note(e + notes_off + nlen, 4, num, 8);       /* PADDR_OFFSET */
    nlen += add_note(e + notes_off + nlen, 5, "xen-3.0", 8); /* XEN_VERSION */
    nlen += add_note(e + notes_off + nlen, 6, "linux", 6);   /* GUEST_OS */
    /* phdr 0: PT_LOAD of the text at paddr 0 */
    uint8_t *ph = e + 64;
    put32(ph, 1); put32(ph + 4, 5);
    put64(ph + 8, TEXT_OFF); put64(ph + 16, VIRT_BASE); put64(ph + 24, 0);
    put64(ph + 32, TEXT_LEN); put64(ph + 40, TEXT_LEN + 0x4000);
    put64(ph + 48, 0x1000);
    /* phdr 1: PT_NOTE */
    ph += 56;
    put32(ph, 4); put32(ph + 4, 4);
    put64(ph + 8, notes_off); put64(ph + 32, nlen); put64(ph + 40, nlen);
    put64(ph + 48, 4);
    /* "code": a repeating but not trivial pattern */
    for (size_t i = 0; i < TEXT_LEN; i++)
        e[TEXT_OFF + i] = (uint8_t)((i * 7) ^ (i >> 9));
    *len = total;
    return e;
}

/* ---- compressors (what the kernel build's rules produce) --------------- */

static uint8_t *c_gzip(const uint8_t *in, size_t n, size_t *out_len)
{
    z_stream s;
    size_t cap = compressBound(n) + 64;
    uint8_t *o = malloc(cap);

    memset(&s, 0, sizeof(s));
    deflateInit2(&s, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    s.next_in = (Bytef *)in; s.avail_in = n;
    s.next_out = o; s.avail_out = cap;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
        abort();
    *out_len = s.total_out;
    deflateEnd(&s);
    return o;
}

static uint8_t *c_xz(const uint8_t *in, size_t n, size_t *out_len)
{
    size_t cap = n + n / 2 + 4096, pos = 0;
    uint8_t *o = malloc(cap);

    /* The kernel build uses --check=crc32 (its decompressor knows no
     * other); liblzma must take it too. */
    if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, n, o, &pos,
                                cap) != LZMA_OK)
        abort();
    *out_len = pos;
    return o;
}

static uint8_t *c_lzma(const uint8_t *in, size_t n, size_t *out_len)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_options_lzma opt;
    size_t cap = n + n / 2 + 4096;
    uint8_t *o = malloc(cap);

    lzma_lzma_preset(&opt, 6);
    if (lzma_alone_encoder(&s, &opt) != LZMA_OK)
        abort();
    s.next_in = in; s.avail_in = n;
    s.next_out = o; s.avail_out = cap;
    if (lzma_code(&s, LZMA_FINISH) != LZMA_STREAM_END)
        abort();
    *out_len = s.total_out;
    lzma_end(&s);
    return o;
}

static uint8_t *c_zstd(const uint8_t *in, size_t n, size_t *out_len)
{
    size_t cap = ZSTD_compressBound(n);
    uint8_t *o = malloc(cap);
    size_t r = ZSTD_compress(o, cap, in, n, 19);

    if (ZSTD_isError(r))
        abort();
    *out_len = r;
    return o;
}

/* lz4 legacy frame, in two blocks (as a >8 MiB kernel would be). */
static uint8_t *c_lz4(const uint8_t *in, size_t n, size_t *out_len)
{
    size_t half = n / 2, cap = 4 + 2 * (4 + (size_t)LZ4_compressBound((int)n));
    uint8_t *o = malloc(cap);
    size_t pos = 4;

    put32(o, 0x184c2102);
    for (int b = 0; b < 2; b++) {
        const uint8_t *src = in + (b ? half : 0);
        int len = (int)(b ? n - half : half);
        int c = LZ4_compress_default((const char *)src, (char *)o + pos + 4,
                                     len, (int)(cap - pos - 4));
        if (c <= 0)
            abort();
        put32(o + pos, (uint32_t)c);
        pos += 4 + (size_t)c;
    }
    *out_len = pos;
    return o;
}

static uint8_t *c_bzip2(const uint8_t *in, size_t n, size_t *out_len)
{
    unsigned int cap = (unsigned int)(n + n / 100 + 1024);
    uint8_t *o = malloc(cap);

    if (BZ2_bzBuffToBuffCompress((char *)o, &cap, (char *)in,
                                 (unsigned int)n, 9, 0, 0) != BZ_OK)
        abort();
    *out_len = cap;
    return o;
}

static const struct {
    const char *name;
    enum xc_bz_format f;
    uint8_t *(*compress)(const uint8_t *, size_t, size_t *);
} formats[] = {
    { "gzip",  XC_BZ_GZIP,  c_gzip },
    { "xz",    XC_BZ_XZ,    c_xz },
    { "zstd",  XC_BZ_ZSTD,  c_zstd },
    { "lz4",   XC_BZ_LZ4,   c_lz4 },
    { "bzip2", XC_BZ_BZIP2, c_bzip2 },
    { "lzma",  XC_BZ_LZMA,  c_lzma },
};

/* ---- bzImage assembly -------------------------------------------------- */

#define SETUP_SECTS 3                 /* protected-mode code at 0x800 */
#define PAYLOAD_OFF 0x3a0             /* where a real stub would end */

/* Stream + size trailer (all but gzip, whose ISIZE ends its stream) into
 * a bzImage with protocol `version`. */
static uint8_t *make_bzimage(const uint8_t *stream, size_t slen, int gzip,
                             uint32_t announced, uint16_t version,
                             size_t *len)
{
    size_t pm = (SETUP_SECTS + 1) * 512, plen = slen + (gzip ? 0 : 4);
    size_t total = pm + PAYLOAD_OFF + plen + 0x80;   /* + a tail, as real */
    uint8_t *b = calloc(1, total);

    b[0x1f1] = SETUP_SECTS;
    b[0x1fe] = 0x55; b[0x1ff] = 0xaa;
    memcpy(b + 0x202, "HdrS", 4);
    b[0x206] = version & 0xff; b[0x207] = version >> 8;
    put32(b + 0x248, PAYLOAD_OFF);
    put32(b + 0x24c, (uint32_t)plen);
    memcpy(b + pm + PAYLOAD_OFF, stream, slen);
    if (!gzip)
        put32(b + pm + PAYLOAD_OFF + slen, announced);
    *len = total;
    return b;
}

static char *write_tmp(const char *name, const void *data, size_t len)
{
    static char path[4][512];
    static int slot;
    char *p = path[slot++ & 3];
    FILE *f;

    snprintf(p, sizeof(path[0]), "%s/%s", scratch, name);
    f = fopen(p, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
        perror(p);
        exit(2);
    }
    return p;
}

/* Probe PATH; 0 on success, else the errno, with the handle's message. */
static int probe(const char *path, xc_dom_kernel_info_t *ki, char *msg,
                 size_t msglen)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    int rc = xc_dom_probe_kernel(h, path, ki);
    int e = rc ? errno : 0;
    const char *xe = xc_last_error(h);

    snprintf(msg, msglen, "%s", rc && xe ? xe : "");
    xc_interface_close(h);
    return e ? e : (rc ? -1 : 0);
}

static void expect_refused(const char *name, const uint8_t *img, size_t len,
                           const char *want)
{
    char err[300] = "", msg[400];
    uint8_t *out = NULL;
    size_t out_len;
    enum xc_bz_format f;
    xc_dom_kernel_info_t ki;
    int r = xc_dom_bzimage_unpack(img, len, XC_DOM_KERNEL_MAX, &out,
                                  &out_len, &f, err, sizeof(err));
    char *path = write_tmp("refused.bzimage", img, len);
    int e = probe(path, &ki, msg, sizeof(msg));

    check(r == -1 && out == NULL && strstr(err, want) &&
          e == ENOEXEC && strstr(msg, want), name,
          "unpack %d '%s', probe errno %d '%s' (wanted '%s')", r, err, e,
          msg, want);
    free(out);
}

int main(int argc, char **argv)
{
    size_t elf_len, one_len = 0;
    uint8_t *elf = make_elf(&elf_len), *one = NULL;
    char msg[400], name[80];
    xc_dom_kernel_info_t plain;

    if (argc < 2) {
        fprintf(stderr, "usage: %s SCRATCH_DIR [VMLINUZ]\n", argv[0]);
        return 2;
    }
    scratch = argv[1];

    /* The synthetic ELF is a PV kernel as it stands. */
    int e = probe(write_tmp("tiny.elf", elf, elf_len), &plain, msg, sizeof(msg));
    check(e == 0 && plain.entry == ENTRY && plain.image_bytes == elf_len,
          "plain-elf-still-loads", "errno %d '%s' entry %#llx", e, msg,
          (unsigned long long)plain.entry);

    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        size_t slen, blen, out_len = 0;
        uint8_t *s = formats[i].compress(elf, elf_len, &slen);
        int gz = formats[i].f == XC_BZ_GZIP;
        uint8_t *b = make_bzimage(s, slen, gz, (uint32_t)elf_len, 0x020f, &blen);
        uint8_t *out = NULL;
        enum xc_bz_format f = XC_BZ_NONE;
        char err[300] = "";
        xc_dom_kernel_info_t ki;
        int r;

        r = xc_dom_bzimage_unpack(b, blen, XC_DOM_KERNEL_MAX, &out, &out_len,
                                  &f, err, sizeof(err));
        snprintf(name, sizeof(name), "%s-unpacks-exactly", formats[i].name);
        check(r == 0 && f == formats[i].f && out_len == elf_len &&
              memcmp(out, elf, elf_len) == 0, name,
              "rc %d format %s len %zu/%zu: %s", r, xc_dom_bz_format_name(f),
              out_len, elf_len, err);
        free(out);

        snprintf(name, sizeof(name), "tiny-%s.bzimage", formats[i].name);
        e = probe(write_tmp(name, b, blen), &ki, msg, sizeof(msg));
        snprintf(name, sizeof(name), "%s-bzimage-probes", formats[i].name);
        check(e == 0 && ki.entry == plain.entry &&
              ki.virt_base == VIRT_BASE && ki.image_bytes == elf_len &&
              !strcmp(ki.guest_os, "linux"), name,
              "errno %d '%s' entry %#llx", e, msg,
              (unsigned long long)ki.entry);

        /* Cut the payload short (the header still claims it all). */
        snprintf(name, sizeof(name), "%s-truncated-file-refused", formats[i].name);
        expect_refused(name, b, (SETUP_SECTS + 1) * 512 + PAYLOAD_OFF + slen / 2,
                       "beyond the end of the file");

        /* A payload whose stream stops early but whose header fits: shrink
         * payload_length, moving the trailer in with it. */
        if (!gz) {
            uint8_t *t = malloc(blen);
            size_t pm = (SETUP_SECTS + 1) * 512;
            size_t cut = slen * 2 / 3;

            memcpy(t, b, blen);
            put32(t + 0x24c, (uint32_t)(cut + 4));
            put32(t + pm + PAYLOAD_OFF + cut, (uint32_t)elf_len);
            snprintf(name, sizeof(name), "%s-truncated-stream-refused", formats[i].name);
            expect_refused(name, t, blen, formats[i].name);
            free(t);

            /* Announce fewer bytes than the stream holds: the hard cap. */
            memcpy(t = malloc(blen), b, blen);
            put32(t + pm + PAYLOAD_OFF + slen, (uint32_t)(elf_len / 3));
            snprintf(name, sizeof(name), "%s-more-than-announced-refused", formats[i].name);
            expect_refused(name, t, blen, "more than announced");
            free(t);
        } else {
            /* gzip: damage the deflate data. */
            uint8_t *t = malloc(blen);

            memcpy(t, b, blen);
            for (size_t k = 20; k < 60; k++)
                t[(SETUP_SECTS + 1) * 512 + PAYLOAD_OFF + k] ^= 0x5a;
            expect_refused("gzip-damaged-refused", t, blen, "gzip");
            free(t);
        }
        if (i == 0) {
            one = b;
            one_len = blen;
        } else {
            free(b);
        }
        free(s);
    }

    /* The builder's cache (xc_dom_kcache.c): probing the same image
     * again is a hit with the same kernel; one byte changed outside the
     * payload (the same size, a valid image) is a miss, unpacked anew. */
    {
        uint64_t h0, m0, h1, m1, h2, m2;
        xc_dom_kernel_info_t k1, k2;
        uint8_t *t = malloc(one_len);
        int e1, e2;

        /* Once to make it the cached one (the loop above cached the
         * last format's image), then the probe that counts. */
        probe(write_tmp("cache.bzimage", one, one_len), &k1, msg,
              sizeof(msg));
        xc_dom_kernel_cache_stats(&h0, &m0);
        e1 = probe(write_tmp("cache.bzimage", one, one_len), &k1, msg,
                   sizeof(msg));
        xc_dom_kernel_cache_stats(&h1, &m1);
        check(e1 == 0 && h1 == h0 + 1 && m1 == m0 &&
              k1.entry == plain.entry && k1.image_bytes == elf_len,
              "cache-hit-same-image", "errno %d hits %llu->%llu misses "
              "%llu->%llu", e1, (unsigned long long)h0,
              (unsigned long long)h1, (unsigned long long)m0,
              (unsigned long long)m1);
        memcpy(t, one, one_len);
        t[one_len - 1] ^= 0x01;             /* the tail after the payload */
        e2 = probe(write_tmp("cache.bzimage", t, one_len), &k2, msg,
                   sizeof(msg));
        xc_dom_kernel_cache_stats(&h2, &m2);
        check(e2 == 0 && h2 == h1 && m2 == m1 + 1 &&
              k2.entry == plain.entry && k2.image_bytes == elf_len,
              "cache-miss-changed-image", "errno %d hits %llu->%llu "
              "misses %llu->%llu", e2, (unsigned long long)h1,
              (unsigned long long)h2, (unsigned long long)m1,
              (unsigned long long)m2);
        xc_dom_kernel_cache_drop();
        free(t);
    }

    /* Header-level refusals, on the gzip image. */
    {
        uint8_t *t = malloc(one_len);
        size_t pm = (SETUP_SECTS + 1) * 512;

        memcpy(t, one, one_len);
        t[0x206] = 0x07; t[0x207] = 0x02;
        expect_refused("old-protocol-refused", t, one_len, "older than 2.08");

        memcpy(t, one, one_len);
        memcpy(t + pm + PAYLOAD_OFF, "\x12\x34\x56\x78", 4);
        expect_refused("unknown-compression-refused", t, one_len,
                       "unknown compression");

        memcpy(t, one, one_len);
        /* gzip's ISIZE is the announced size: claim 1 GiB */
        put32(t + one_len - 0x80 - 4, 0x40000000u);
        expect_refused("oversized-refused", t, one_len, "more than the");

        memcpy(t, one, one_len);
        memcpy(t + pm + PAYLOAD_OFF, "\x89LZO\0", 5);
        expect_refused("lzo-refused-by-name", t, one_len, "lzo");

        expect_refused("header-truncated-refused", one, 0x240, "setup header");
        free(t);
    }

    /* The real thing: Debian's vmlinuz. */
    if (argc > 2) {
        FILE *fz = fopen(argv[2], "rb");
        uint8_t *img = NULL, *out = NULL;
        size_t n = 0, out_len = 0;
        enum xc_bz_format f = XC_BZ_NONE;
        char err[300] = "";
        xc_dom_kernel_info_t ki;

        if (fz && !fseek(fz, 0, SEEK_END)) {
            n = (size_t)ftell(fz);
            rewind(fz);
            img = malloc(n);
            if (fread(img, 1, n, fz) != n)
                n = 0;
        }
        if (fz)
            fclose(fz);
        int r = n ? xc_dom_bzimage_unpack(img, n, XC_DOM_KERNEL_MAX, &out,
                                          &out_len, &f, err, sizeof(err)) : -1;
        check(r == 0 && out_len > (16u << 20) && !memcmp(out, "\x7f" "ELF", 4),
              "debian-vmlinuz-unpacks", "%s: rc %d len %zu: %s", argv[2], r,
              out_len, err);
        if (r == 0)
            printf("INFO: bzimage: %s: %s payload, %zu -> %zu bytes\n",
                   argv[2], xc_dom_bz_format_name(f), n, out_len);
        e = probe(argv[2], &ki, msg, sizeof(msg));
        check(e == 0 && !strcmp(ki.guest_os, "linux") &&
              ki.virt_base == 0xffffffff80000000ull && ki.entry > ki.virt_base,
              "debian-vmlinuz-probes", "errno %d '%s'", e, msg);
        /* Chopped in the middle of its payload. */
        if (n > 1000000) {
            expect_refused("debian-vmlinuz-truncated-refused", img, n / 2,
                           "beyond the end of the file");
        }
        free(out);
        free(img);
    }

    free(elf);
    free(one);
    printf("bzimage: %d passed, %d failed\n", passed, nfailed);
    return failed;
}
