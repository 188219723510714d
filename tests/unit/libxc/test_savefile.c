/*
 * test_savefile.c - the save-file reader (xc_save_parse) and restore's
 * checks before it creates anything, on files built here: good files in
 * each codec, and hostile or damaged ones (truncated, bit-flipped, absurd
 * page counts, records claiming pages they do not hold, decompression
 * bombs, an ABI this host cannot run).  Each must be refused with its
 * reason, and restore must not create a domain for it.
 */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "xc_private.h"
#include "xc_save_image.h"
#include "public/version.h"

#define PAGE XC_PAGE_SIZE
#define NPAGES 8

/* A growing byte buffer: the file being built. */
struct fbuf { uint8_t *p; size_t len, cap; };

static void put(struct fbuf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 4096;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void rec(struct fbuf *b, uint32_t type, const void *p, size_t n)
{
    uint32_t h[2] = { type, 0 };
    uint64_t len = n;

    put(b, h, 8);
    put(b, &len, 8);
    put(b, p, n);
}

/* Page i of the test guest: page 1 is all zero, the others hold a
 * pattern (start_info is pfn 0). */
static void fill_page(uint64_t i, uint8_t *pg)
{
    memset(pg, 0, PAGE);
    if (i != 1)
        memset(pg + 64, (int)(0x10 + i), PAGE - 128);
}

/* One PAGE_DATA record for pages first..first+n-1 with codec; drop:
 * the last present page left out; stray: a byte of data added to a
 * record without pages.  A record whose pages are all zero has no data
 * (as xc_save writes it: nothing to compress). */
static void page_rec(struct fbuf *b, uint64_t first, unsigned n,
                     unsigned codec, int drop, int stray)
{
    uint8_t *raw = calloc(n, PAGE), *z, pg[PAGE];
    uint64_t hdr[3], bitmap[1] = { 0 };
    unsigned i, present = 0;
    size_t zlen, cap;
    struct xc_save_ck ck = { 0, 0 };
    struct fbuf r = { 0 };

    for (i = 0; i < n; i++) {
        fill_page(first + i, pg);
        if (first + i == 1)
            continue;
        bitmap[0] |= 1ull << i;
        memcpy(raw + (size_t)present++ * PAGE, pg, PAGE);
    }
    xc_save_ck_update(&ck, raw, (size_t)present * PAGE);
    xc_save_ck_update(&ck, bitmap, 8);
    if (drop)
        present--;
    cap = xc_save_codec_bound(codec, (size_t)present * PAGE);
    z = malloc(cap + 1);
    zlen = present ? xc_save_codec_compress(codec, raw,
                                            (size_t)present * PAGE, z, cap) : 0;
    if (!present && stray)
        z[zlen++] = 0;
    hdr[0] = first;
    hdr[1] = n | (uint64_t)codec << 32;
    hdr[2] = xc_save_ck_final(&ck);
    put(&r, hdr, sizeof(hdr));
    put(&r, bitmap, 8);
    put(&r, z, zlen);
    rec(b, XC_SAVE_REC_PAGE_DATA, r.p, r.len);
    free(r.p);
    free(raw);
    free(z);
}

struct opts {
    unsigned codec;
    uint64_t nr_pages;          /* header (0: NPAGES) */
    int skip_last_rec;          /* pages 4..7 never come */
    int drop_page;              /* a record holds one page less than it says */
    int zero_rec;               /* page 1 (all zero) in a record of its own;
                                   2: with a stray byte of data */
    uint32_t ctx_size;          /* ABI vCPU context size (0: right) */
    const char *caps;           /* ABI caps (NULL: ours) */
    uint32_t hv_major;
    const char *id;             /* GUEST_ID text (NULL: a consistent one) */
    uint32_t version;           /* header (0: XC_SAVE_VERSION) */
    int domain_rec;             /* 0: one DOMAIN record first in v4, none
                                   before; -1: none; 2: two; 3: one after
                                   the ABI record */
};

/* The UUID the test files carry. */
static const uint8_t test_uuid[16] = {
    0x5a, 0x1e, 0x0c, 0x2d, 0x11, 0x22, 0x33, 0x44,
    0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
};

static void build(struct fbuf *b, const struct opts *o)
{
    xc_save_header_t h;
    xc_save_abi_t abi;
    uint8_t vrec[8 + sizeof(struct vcpu_guest_context)];
    struct vcpu_guest_context *c = (void *)(vrec + 8);
    uint8_t types[NPAGES] = { 0, 0, 0, 0, 4 | XC_SAVE_TYPE_PINNED, 0, 0, 0 };
    uint64_t p2m[1] = { 2 };
    const char *id = o->id ? o->id :
                     "kernel=/boot/vmlinuz vcpus=1 vcpus_saved=1";

    memset(b, 0, sizeof(*b));
    memset(&h, 0, sizeof(h));
    memcpy(h.magic, XC_SAVE_MAGIC, 8);
    h.version = o->version ? o->version : XC_SAVE_VERSION;
    h.nr_vcpus = 1;
    h.nr_pages = o->nr_pages ? o->nr_pages : NPAGES;
    put(b, &h, sizeof(h));
    if ((h.version >= 4 && o->domain_rec == 0) || o->domain_rec == 1 ||
        o->domain_rec == 2)
        rec(b, XC_SAVE_REC_DOMAIN, test_uuid, sizeof(test_uuid));
    if (o->domain_rec == 2)
        rec(b, XC_SAVE_REC_DOMAIN, test_uuid, sizeof(test_uuid));
    memset(&abi, 0, sizeof(abi));
    abi.hv_major = o->hv_major;
    abi.vcpu_context_size = o->ctx_size ? o->ctx_size :
                            sizeof(struct vcpu_guest_context);
    abi.page_size = PAGE;
    snprintf(abi.caps, sizeof(abi.caps), "%s",
             o->caps ? o->caps : "xen-3.0-x86_64");
    rec(b, XC_SAVE_REC_ABI, &abi, sizeof(abi));
    if (o->domain_rec == 3)
        rec(b, XC_SAVE_REC_DOMAIN, test_uuid, sizeof(test_uuid));
    rec(b, XC_SAVE_REC_P2M_FRAMES, p2m, sizeof(p2m));
    memset(vrec, 0, sizeof(vrec));
    c->flags = VGCF_online;
    c->ctrlreg[3] = xen_pfn_to_cr3(4);
    rec(b, XC_SAVE_REC_VCPU, vrec, sizeof(vrec));
    rec(b, XC_SAVE_REC_TYPES, types, NPAGES);
    if (o->zero_rec) {
        page_rec(b, 0, 1, o->codec, 0, 0);
        page_rec(b, 1, 1, o->codec, 0, o->zero_rec == 2);
        page_rec(b, 2, 2, o->codec, 0, 0);
    } else
        page_rec(b, 0, 4, o->codec, o->drop_page, 0);
    if (!o->skip_last_rec)
        page_rec(b, 4, 4, o->codec, 0, 0);
    rec(b, XC_SAVE_REC_GUEST_ID, id, strlen(id));
    rec(b, XC_SAVE_REC_END, NULL, 0);
}

static char msg[512];

/* A handle for the calls that record errors outside parse(). */
static xc_interface *hh(void)
{
    static struct fake f;
    static xc_interface *h;

    if (!h)
        h = fake_open(&f);
    return h;
}

static int parse(const struct fbuf *b, struct xc_save_image *im)
{
    struct fake f;
    xc_interface *h = fake_open(&f);
    int rc;

    memset(im, 0, sizeof(*im));
    rc = xc_save_parse(h, "t.save", b->p, b->len, im);
    snprintf(msg, sizeof(msg), "%s", xc_last_error(h));
    xc_interface_close(h);
    return rc;
}

static void check_refused(const struct fbuf *b, const char *why)
{
    struct xc_save_image im;

    CHECK(parse(b, &im) == -1);
    CHECK(strstr(msg, "not a usable save file") != NULL);
    if (why && !strstr(msg, why))
        CHECK_FAIL("refused for '%s', wanted '%s'", msg, why);
    xc_save_image_free(&im);
}

/* A good file in each codec parses, and its records decode to the pages
 * (the all-zero page 1 left out of the data). */
static void test_good_files(void)
{
    unsigned codec;

    for (codec = 0; codec < XC_SAVE_CODEC_COUNT; codec++) {
        struct opts o = { .codec = codec };
        struct xc_save_image im;
        struct fbuf b;
        uint8_t *out = malloc(4 * PAGE), pg[PAGE];

        build(&b, &o);
        CHECK(parse(&b, &im) == 0);
        CHECK(im.nr_recs == 2);
        CHECK(im.recs[0].present == 3 && im.recs[1].present == 4);
        CHECK(xc_save_prec_decode(hh(), &im.recs[0], out) == 0);
        fill_page(2, pg);
        CHECK(memcmp(out + PAGE, pg, PAGE) == 0);  /* 0, [1 left out], 2 */
        CHECK(im.have_abi && im.guest_id &&
              strstr(im.guest_id, "vcpus_saved=1"));
        xc_save_image_free(&im);
        free(out);
        free(b.p);
    }
}

/* A record whose pages are all zero holds no data, in every codec: it
 * parses and decodes to nothing (an empty LZ4 block does not decode, and
 * every LZ4 save of a Linux guest has such records: 86-linux-save's
 * checkpoint file was refused); with a byte of data it is refused. */
static void test_zero_record(void)
{
    unsigned codec;

    for (codec = 0; codec < XC_SAVE_CODEC_COUNT; codec++) {
        struct opts o = { .codec = codec, .zero_rec = 1 };
        struct xc_save_image im;
        struct fbuf b;
        uint8_t out[PAGE];

        build(&b, &o);
        CHECK(parse(&b, &im) == 0);
        if (im.nr_recs == 4) {
            CHECK(im.recs[1].present == 0 && im.recs[1].len == 0);
            CHECK(xc_save_prec_decode(hh(), &im.recs[1], out) == 0);
        } else
            CHECK_FAIL("codec %u: %u records, wanted 4: %s", codec,
                       (unsigned)im.nr_recs, msg);
        xc_save_image_free(&im);
        free(b.p);
        o.zero_rec = 2;
        build(&b, &o);
        check_refused(&b, "page data");
        free(b.p);
    }
}

/* Every truncation is refused with a reason (never a crash). */
static void test_truncated(void)
{
    struct opts o = { .codec = XC_SAVE_CODEC_LZ4 };
    struct fbuf b, t;
    size_t n;

    build(&b, &o);
    for (n = 0; n < b.len; n += (n < 256 ? 1 : 61)) {
        t = b;
        t.len = n;
        check_refused(&t, NULL);
    }
    free(b.p);
}

/* Record 0 of im decodes to pages 0, 2, 3 as build() made them. */
static int decodes_to_saved(const struct xc_save_image *im)
{
    uint8_t *out = malloc(4 * PAGE), pg[PAGE];
    static const unsigned pfns[3] = { 0, 2, 3 };
    int ok = im->recs[0].present == 3 &&
             xc_save_prec_decode(hh(), &im->recs[0], out) == 0;
    unsigned i;

    for (i = 0; ok && i < 3; i++) {
        fill_page(pfns[i], pg);
        ok = memcmp(out + (size_t)i * PAGE, pg, PAGE) == 0;
    }
    free(out);
    return ok;
}

/* Any flipped bit in the page data or its bitmap is caught by the
 * record's checksum (raw) or the codec (compressed); a flip anywhere
 * else never crashes the reader. */
static void test_bit_flips(void)
{
    unsigned codec;

    for (codec = 0; codec < XC_SAVE_CODEC_COUNT; codec++) {
        struct opts o = { .codec = codec };
        struct xc_save_image im;
        struct fbuf b;
        size_t data0, end, bit;

        build(&b, &o);
        CHECK(parse(&b, &im) == 0);
        data0 = (size_t)(im.recs[0].bitmap - b.p);
        end = data0 + 8 + im.recs[0].len;
        xc_save_image_free(&im);
        /* The first record's bitmap and data (the codecs' own checks
         * differ in strength; the checksum over the decoded pages
         * catches what they miss). */
        for (bit = data0 * 8; bit < end * 8; bit += codec ? 1 : 13) {
            b.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            /* Raw data: any flip is refused.  Compressed: a flip may
             * leave the decoded pages the same (e.g. a match offset
             * within a run of one byte); accepted only then. */
            if (parse(&b, &im) == 0 &&
                (codec == XC_SAVE_CODEC_NONE || !decodes_to_saved(&im)))
                CHECK_FAIL("codec %u: flipped bit %zu accepted", codec, bit);
            xc_save_image_free(&im);
            b.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (bit = 0; bit < data0 * 8; bit += 5) {
            b.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            (void)parse(&b, &im);
            xc_save_image_free(&im);
            b.p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        free(b.p);
    }
}

/* Records that claim pages they do not hold. */
static void test_missing_pages(void)
{
    struct opts o = { .skip_last_rec = 1 };
    struct fbuf b;

    build(&b, &o);
    check_refused(&b, "some pages are missing");
    free(b.p);
    o = (struct opts){ .drop_page = 1 };
    build(&b, &o);
    check_refused(&b, "does not match its bitmap");
    free(b.p);
    o = (struct opts){ .drop_page = 1, .codec = XC_SAVE_CODEC_ZSTD };
    build(&b, &o);
    check_refused(&b, "does not decode");
    free(b.p);
}

/* A header claiming 4M pages: refused before memory for them is taken. */
static void test_absurd_sizes(void)
{
    struct opts o = { .nr_pages = 1ull << 22 };
    struct fbuf b;

    build(&b, &o);
    check_refused(&b, "too short for its page count");
    free(b.p);
    o.nr_pages = (1ull << 22) + 1;
    build(&b, &o);
    check_refused(&b, "header values out of range");
    free(b.p);
}

/* Decompression bombs: a record whose data inflates past what it
 * announces, and a zstd frame that claims 16 GiB: each is refused, and
 * no more than one record's worth is ever written. */
static void test_bombs(void)
{
    unsigned codec;

    for (codec = XC_SAVE_CODEC_LZ4; codec <= XC_SAVE_CODEC_ZSTD; codec++) {
        size_t big = 64 * PAGE, cap = xc_save_codec_bound(codec, big), zl;
        uint8_t *zero = calloc(1, big), *z = malloc(cap);
        uint64_t hdr[3] = { 0, 1 | (uint64_t)codec << 32, 0 }, bm = 1;
        struct fbuf b, r = { 0 };
        struct opts o = { .codec = codec };

        build(&b, &o);
        /* Replace the file's page records by one bomb for page 0. */
        zl = xc_save_codec_compress(codec, zero, big, z, cap);
        CHECK(zl > 0 && zl < PAGE);
        put(&r, hdr, sizeof(hdr));
        put(&r, &bm, 8);
        put(&r, z, zl);
        b.len = 0;
        {
            struct fbuf nb;
            xc_save_header_t h;

            build(&nb, &o);
            memcpy(&h, nb.p, sizeof(h));
            put(&b, &h, sizeof(h));
            rec(&b, XC_SAVE_REC_DOMAIN, test_uuid, sizeof(test_uuid));
            rec(&b, XC_SAVE_REC_PAGE_DATA, r.p, r.len);
            rec(&b, XC_SAVE_REC_END, NULL, 0);
            free(nb.p);
        }
        check_refused(&b, "does not decode");
        free(r.p);
        free(b.p);
        free(zero);
        free(z);
    }
    /* A zstd frame whose header claims 16 GiB of content. */
    {
        uint8_t frame[32] = { 0x28, 0xb5, 0x2f, 0xfd, 0xe0 };
        uint8_t out[PAGE];
        uint64_t sz = 1ull << 34;
        struct xc_save_prec r = { .data = frame, .len = sizeof(frame),
                                  .count = 1, .present = 1,
                                  .codec = XC_SAVE_CODEC_ZSTD };

        memcpy(frame + 5, &sz, 8);
        CHECK(xc_save_prec_decode(hh(), &r, out) == -1);
    }
}

/* Restore's host checks, on the fake: an ABI this host cannot run, and
 * more pages than the host has free.  Refused with the reason, and no
 * domain is created. */
static int creates;
static long answer_host(struct fake *f, struct xen_dom0_op *op)
{
    (void)f;
    if (op->cmd == XEN_DOM0_createdomain)
        creates++;
    if (op->cmd == XEN_DOM0_physinfo) {
        op->u.physinfo.free_pages = 4;      /* 16 KiB: less than 8 pages */
        op->u.physinfo.total_pages = 1024;
    }
    return op->cmd == XEN_DOM0_physinfo ? 0 : -EPERM;
}

static long answer_version(struct fake *f, const struct xc_privcmd_hypercall *c)
{
    (void)f;
    if (c->op != __HYPERVISOR_xen_version)
        return -ENOSYS;
    if (c->arg[0] == XENVER_version)
        return 4 << 16 | 1;
    if (c->arg[0] == XENVER_capabilities) {
        strcpy((char *)(uintptr_t)c->arg[1], "xen-3.0-x86_64");
        return 0;
    }
    return -ENOSYS;
}

static void restore_refused(const struct opts *o, const char *why)
{
    char path[] = "/tmp/test_savefile.XXXXXX";
    xc_restore_result_t res;
    struct fake f;
    xc_interface *h;
    struct fbuf b;
    int fd = mkstemp(path);

    CHECK(fd >= 0);
    build(&b, o);
    CHECK(write(fd, b.p, b.len) == (ssize_t)b.len);
    close(fd);
    h = fake_open(&f);
    f.dom0_op = answer_host;
    f.hypercall = answer_version;
    creates = 0;
    CHECK(xc_domain_restore(h, path, XC_DOMID_ANY, NULL, true, &res) == -1);
    if (!strstr(xc_last_error(h), why))
        CHECK_FAIL("refused for '%s', wanted '%s'", xc_last_error(h), why);
    CHECK(creates == 0);
    CHECK(f.live_maps == 0);
    xc_interface_close(h);
    unlink(path);
    free(b.p);
}

static void test_restore_host_checks(void)
{
    struct opts o = { 0 };

    o.ctx_size = 100;
    restore_refused(&o, "100-byte vCPU context");
    o = (struct opts){ .caps = "xen-3.0-x86_32p" };
    restore_refused(&o, "needs guest ABI 'xen-3.0-x86_32p'");
    o = (struct opts){ .hv_major = 9 };
    restore_refused(&o, "saved on hypervisor 9.0, newer");
    /* The identity record contradicting the header (xc_save_identity.c). */
    o = (struct opts){ .id = "kernel=/boot/vmlinuz vcpus=2 vcpus_saved=1" };
    restore_refused(&o, "says its guest had 2 vCPUs but holds 1");
    o = (struct opts){ 0 };
    restore_refused(&o, "the host has 0 MiB free");
}

/* Write b to a new temporary file; its path in path. */
static void write_file(const struct fbuf *b, char *path)
{
    int fd = mkstemp(path);

    CHECK(fd >= 0);
    CHECK(write(fd, b->p, b->len) == (ssize_t)b->len);
    close(fd);
}

/*
 * Format 4 carries the domain's UUID in a DOMAIN record that comes first:
 * the reader keeps it, xc_save_file_uuid finds it from the file's first
 * bytes.  Version 3 files (no UUID) are still read, and say they have
 * none; a version 5 file, a version 4 file without the record first, a
 * DOMAIN record in a version 3 file or twice are refused with the reason.
 */
static void test_domain_identity(void)
{
    static const struct { struct opts o; const char *why; } bad[] = {
        { { .version = 5 }, "format version 5, this libxc reads versions "
                            "1 to 4 (at byte 8)" },
        { { .domain_rec = -1 }, "must begin with its domain record" },
        { { .domain_rec = 3 }, "must begin with its domain record" },
        { { .domain_rec = 2 }, "bad domain record" },
        { { .version = 3, .domain_rec = 1 }, "bad domain record" },
    };
    struct xc_save_image im;
    struct fbuf b;
    uint8_t uuid[16];
    size_t i;

    {
        struct opts o = { 0 };
        char path[] = "/tmp/test_savefile.XXXXXX";

        build(&b, &o);
        CHECK(parse(&b, &im) == 0);
        CHECK(im.have_domain && memcmp(im.uuid, test_uuid, 16) == 0);
        xc_save_image_free(&im);
        write_file(&b, path);
        memset(uuid, 0, sizeof(uuid));
        CHECK_EQ(xc_save_file_uuid(hh(), path, uuid), 1);
        CHECK(memcmp(uuid, test_uuid, 16) == 0);
        unlink(path);
        free(b.p);
    }
    {
        struct opts o = { .version = 3 };
        char path[] = "/tmp/test_savefile.XXXXXX";

        build(&b, &o);
        CHECK(parse(&b, &im) == 0);
        CHECK(!im.have_domain);
        xc_save_image_free(&im);
        write_file(&b, path);
        CHECK_EQ(xc_save_file_uuid(hh(), path, uuid), 0);
        unlink(path);
        free(b.p);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[] = "/tmp/test_savefile.XXXXXX";

        build(&b, &bad[i].o);
        check_refused(&b, bad[i].why);
        write_file(&b, path);
        /* The quick look sees only the header and the first record. */
        if (bad[i].o.domain_rec != 2 && bad[i].o.version != 3) {
            CHECK_EQ(xc_save_file_uuid(hh(), path, uuid), -1);
            if (!strstr(xc_last_error(hh()), bad[i].why))
                CHECK_FAIL("quick look refused for '%s', wanted '%s'",
                           xc_last_error(hh()), bad[i].why);
        }
        unlink(path);
        free(b.p);
    }
    CHECK_EQ(xc_save_file_uuid(hh(), "/nonexistent/x.save", uuid), -1);
}

const struct test_case savefile_tests[] = {
    { "the domain's UUID in format 4; 3 still read, 5 refused",
      test_domain_identity },
    { "good files in every codec", test_good_files },
    { "a record of all-zero pages has no data, in every codec", test_zero_record },
    { "truncated files refused", test_truncated },
    { "flipped bits refused", test_bit_flips },
    { "records claiming pages they lack", test_missing_pages },
    { "absurd page counts", test_absurd_sizes },
    { "decompression bombs", test_bombs },
    { "restore: host checks before create", test_restore_host_checks },
    { NULL, NULL },
};
